/*
 * container.h - name the container, pod, unit or sandbox behind a process.
 *
 * Four kinds of evidence, tried by the caller in this order:
 *   1. the process's own /proc/PID/cgroup text (nsf_container_from_cgroup),
 *   2. an ancestor that is a container monitor, shim or sandbox setter
 *      (nsf_container_from_ancestor: conmon, containerd shims, lxc,
 *      nspawn, bwrap, firejail),
 *   3. the process's own command line, for sandboxes that have no cgroup
 *      of their own (nsf_container_from_cmdline),
 *   4. the state directories of bare OCI runtimes, whose containers have
 *      no other trace (nsf_container_from_oci_state: runc, crun).
 * nsf_container_resolve_name() then fills in human names from what the
 * engines leave on disk.  Nothing here knows about the rest of nsfind.
 *
 * Every nsf_container_from_*() overwrites *out without freeing it (so an
 * uninitialised struct is fine), returns 1 when it attributed something
 * and 0 otherwise, leaving *out zeroed.  Free a result with
 * nsf_container_free().
 */
#ifndef NSFIND_CONTAINER_H
#define NSFIND_CONTAINER_H

#include <stddef.h>

struct nsf_container {
	/*
	 * "docker", "containerd", "kubernetes", "cri-o", "podman", "lxc",
	 * "systemd-nspawn", "snap", "flatpak", "chrome", "electron",
	 * "mininet", "bubblewrap", "firejail", "runc", "crun"; "host" for
	 * the initial namespaces, "kernel" for kernel threads; NULL when the
	 * process is in no container.
	 */
	char *engine;
	/* Full container id (64 hex for docker, podman, cri-o), or NULL. */
	char *id;
	/*
	 * Human name: docker name without '/', lxc name, nspawn machine,
	 * snap name, flatpak app id, k8s container name, chrome process type,
	 * electron binary, mininet host; or NULL.
	 */
	char *name;
	/* Pod name: Kubernetes or podman (its id until resolved). */
	char *pod;
	/* Kubernetes namespace, or NULL. */
	char *k8s_namespace;
	/* systemd unit or session when engine is NULL: "ssh.service". */
	char *unit;
	/*
	 * Static string, how it is known: "cgroup", "ancestry", "cmdline",
	 * "state" (an OCI runtime's state dir), "mount", "initial", "kthread".
	 */
	const char *source;

	/* Additions beyond the required API. */

	/*
	 * The pod's id, kept when pod becomes the name: a Kubernetes pod
	 * uid with dashes, a podman pod id (JSON "pod_id").
	 */
	char *pod_uid;
	/* containerd namespace ("default", "k8s.io", "moby", ...), or NULL. */
	char *ctr_namespace;
	/*
	 * 1 when the process is the engine's monitor for the container
	 * (conmon, crio-conmon, lxc.monitor, nspawn supervisor), not the
	 * container's payload.
	 */
	int monitor;
};

int	 nsf_container_from_cgroup(const char *proc_pid_cgroup_text,
	    struct nsf_container *out);
int	 nsf_container_from_ancestor(const char *comm, const char *argv,
	    size_t argv_len, struct nsf_container *out);
int	 nsf_container_from_cmdline(const char *argv, size_t argv_len,
	    struct nsf_container *out);
int	 nsf_container_from_oci_state(const char *rootdir, const int *pids,
	    size_t npids, struct nsf_container *out);
void	 nsf_container_oci_forget(void);
int	 nsf_container_from_flatpak(const char *rootdir, const int *pids,
	    size_t npids, struct nsf_container *out);
void	 nsf_container_resolve_name(struct nsf_container *c,
	    const char *rootdir);
char	*nsf_container_label(const struct nsf_container *c);
void	 nsf_container_free(struct nsf_container *c);

#endif
