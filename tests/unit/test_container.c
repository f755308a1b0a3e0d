/*
 * test_container.c - container attribution from cgroup paths, ancestors
 * and command lines; names from fixture trees built in a temp dir.
 */
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/openat2.h>
#include <linux/seccomp.h>

#include <cmocka.h>

#include "container.h"
#include "fixture_tree.h"

#define ID1	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
#define ID2	"fedcba9876543210fedcba9876543210fedcba9876543210fedcba9876543210"
#define PODID	"aaaabbbbccccddddaaaabbbbccccddddaaaabbbbccccddddaaaabbbbccccdddd"
#define ID63	"0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde"
#define IDUP	"0123456789ABCDEF0123456789abcdef0123456789abcdef0123456789abcdef"
#define IDG	"0123456789abcdeg0123456789abcdef0123456789abcdef0123456789abcdef"
#define UID	"8f3e2a1b-4c5d-4e6f-8a9b-0c1d2e3f4a5b"
#define UID_	"8f3e2a1b_4c5d_4e6f_8a9b_0c1d2e3f4a5b"
#define SUID	"5f2d8c1e9a1b4c3d8e7f6a5b4c3d2e1f"	/* static pod */
#define SNAPU	"2d4c1a5e-1111-4222-8333-444455556666"

/* A literal with embedded NULs and its length, as /proc/PID/cmdline. */
#define ARGV(s)	(s), (sizeof(s) - 1)

struct want {
	int		 ret;
	const char	*engine, *id, *name, *pod, *ns, *unit;
	const char	*pod_uid, *ctr_ns;
	int		 monitor;
};

static int
field_ok(const char *what, const char *field, const char *got,
    const char *want)
{
	if (want == NULL && got == NULL)
		return 1;
	if (want != NULL && got != NULL && strcmp(want, got) == 0)
		return 1;
	print_error("%s\n  %s: got \"%s\", want \"%s\"\n", what, field,
	    got ? got : "(null)", want ? want : "(null)");
	return 0;
}

/* Every field, so a stray attribution fails as loudly as a missing one. */
static void
check(const char *what, int ret, const struct nsf_container *c,
    const struct want *w)
{
	int ok = 1;

	if (ret != w->ret) {
		print_error("%s\n  ret: got %d, want %d\n", what, ret, w->ret);
		ok = 0;
	}
	ok &= field_ok(what, "engine", c->engine, w->engine);
	ok &= field_ok(what, "id", c->id, w->id);
	ok &= field_ok(what, "name", c->name, w->name);
	ok &= field_ok(what, "pod", c->pod, w->pod);
	ok &= field_ok(what, "k8s_namespace", c->k8s_namespace, w->ns);
	ok &= field_ok(what, "unit", c->unit, w->unit);
	ok &= field_ok(what, "pod_uid", c->pod_uid, w->pod_uid);
	ok &= field_ok(what, "ctr_namespace", c->ctr_namespace, w->ctr_ns);
	if (c->monitor != w->monitor) {
		print_error("%s\n  monitor: got %d, want %d\n", what,
		    c->monitor, w->monitor);
		ok = 0;
	}
	if (ok && ret && c->source == NULL) {
		print_error("%s\n  source: NULL\n", what);
		ok = 0;
	}
	if (!ok)
		fail();
}

struct cg_case {
	const char	*text;
	struct want	 w;
};

static void
run_cgroup(const struct cg_case *cases, size_t n)
{
	struct nsf_container c;
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		memset(&c, 0xa5, sizeof(c));	/* garbage in is fine */
		r = nsf_container_from_cgroup(cases[i].text, &c);
		check(cases[i].text, r, &c, &cases[i].w);
		if (r)
			assert_string_equal(c.source, "cgroup");
		nsf_container_free(&c);
	}
}

#define RUN(cases) run_cgroup((cases), sizeof(cases) / sizeof((cases)[0]))

/* Attributed to an engine, with an id or not, and nothing else. */
#define E(eng, idv) { .ret = 1, .engine = (eng), .id = (idv) }

#define K8S(idv, mon) { .ret = 1, .engine = "kubernetes", .id = (idv), \
	.pod = UID, .pod_uid = UID, .monitor = (mon) }

static void
test_cgroup_docker(void **state)
{
	static const struct cg_case cases[] = {
		{ "0::/docker/" ID1 "\n",
		    E("docker", ID1) },
		{ "0::/system.slice/docker-" ID1 ".scope\n",
		    E("docker", ID1) },
		{ "0::/system.slice/docker-" ID1 ".scope",	/* no newline */
		    E("docker", ID1) },
		{ "0::/system.slice/docker-" ID1 ".scope (deleted)\n",
		    E("docker", ID1) },
		/* docker in docker: the innermost wins */
		{ "0::/docker/" ID2 "/docker/" ID1 "\n",
		    E("docker", ID1) },
		{ "0::/system.slice/docker-" ID2 ".scope/docker/" ID1 "\n",
		    E("docker", ID1) },
		/* a unit inside a container does not undo the container */
		{ "0::/system.slice/docker-" ID1 ".scope/init.scope\n",
		    E("docker", ID1) },
	};

	(void)state;
	RUN(cases);
}

/* Hybrid hosts: v1 controller lines, name=systemd and a 0:: line. */
static void
test_cgroup_hybrid(void **state)
{
	static const struct cg_case cases[] = {
		/* docker's cgroupfs driver: v2 line left at the daemon */
		{ "12:cpuset:/docker/" ID1 "\n"
		  "11:memory:/docker/" ID1 "\n"
		  "5:cpu,cpuacct:/docker/" ID1 "\n"
		  "1:name=systemd:/docker/" ID1 "\n"
		  "0::/system.slice/containerd.service\n",
		    E("docker", ID1) },
		/* only a controller line knows */
		{ "5:cpu,cpuacct:/docker/" ID1 "\n"
		  "1:name=systemd:/system.slice/docker.service\n"
		  "0::/system.slice/docker.service\n",
		    E("docker", ID1) },
		/* systemd driver on a hybrid host */
		{ "9:pids:/system.slice/docker-" ID1 ".scope\n"
		  "1:name=systemd:/system.slice/docker-" ID1 ".scope\n"
		  "0::/system.slice/docker-" ID1 ".scope\n",
		    E("docker", ID1) },
		/* the v2 line beats name=systemd beats controllers */
		{ "5:cpu:/docker/" ID2 "\n"
		  "1:name=systemd:/docker/" ID2 "\n"
		  "0::/docker/" ID1 "\n",
		    E("docker", ID1) },
		{ "5:cpu:/docker/" ID2 "\n"
		  "1:name=systemd:/docker/" ID1 "\n"
		  "0::/\n",
		    E("docker", ID1) },
		/* pure v1 without a 0:: line */
		{ "4:memory:/docker/" ID1 "\n3:cpuset:/\n",
		    E("docker", ID1) },
		/* units: v2, then name=systemd */
		{ "5:cpu:/system.slice/cron.service\n"
		  "1:name=systemd:/system.slice/ssh.service\n"
		  "0::/\n",
		    { .ret = 1, .unit = "ssh.service" } },
		{ "5:cpu:/system.slice/cron.service\n"
		  "1:name=systemd:/system.slice/ssh.service\n"
		  "0::/system.slice/nginx.service\n",
		    { .ret = 1, .unit = "nginx.service" } },
		{ "5:cpu:/system.slice/cron.service\n0::/\n",
		    { .ret = 1, .unit = "cron.service" } },
		/* this machine's own shape: nothing to say */
		{ "9:name=systemd:/\n8:pids:/\n"
		  "4:memory:/process_api/934071698741cce8b79a1a2a9c5a56f0\n"
		  "1:cpu:/\n0::/\n",
		    { 0 } },
	};

	(void)state;
	RUN(cases);
}

static void
test_cgroup_containerd(void **state)
{
	static const struct cg_case cases[] = {
		{ "0::/default/" ID1 "\n",
		    { .ret = 1, .engine = "containerd", .id = ID1,
		      .ctr_ns = "default" } },
		{ "0::/buildkit/" ID1 "\n",
		    { .ret = 1, .engine = "containerd", .id = ID1,
		      .ctr_ns = "buildkit" } },
		{ "0::/moby/" ID1 "\n",
		    { .ret = 1, .engine = "docker", .id = ID1,
		      .ctr_ns = "moby" } },
		{ "0::/system.slice/cri-containerd-" ID1 ".scope\n",
		    E("containerd", ID1) },
		/* not top level, not a namespace, not an id: nothing */
		{ "0::/a/default/" ID1 "\n", { 0 } },
		{ "0::/default/" ID63 "\n", { 0 } },
		{ "0::/default/" ID1 "0\n", { 0 } },
		{ "0::/" ID2 "/" ID1 "\n", { 0 } },
		{ "0::/de..fault/" ID1 "\n", { 0 } },
		{ "0::/my.slice/" ID1 "\n", { 0 } },
		{ "0::/dockerfoo/" ID1 "\n", { 0 } },
		{ "0::/kubepods/" ID1 "\n", { 0 } },
		/* a namespace may be any word, even one that sounds taken */
		{ "0::/foodocker/" ID1 "\n",
		    { .ret = 1, .engine = "containerd", .id = ID1,
		      .ctr_ns = "foodocker" } },
		{ "0::/lxc.payload.x/" ID1 "\n",
		    { .ret = 1, .engine = "lxc", .name = "x" } },
	};

	(void)state;
	RUN(cases);
}

/* Kubernetes, systemd driver: every QoS class, every runtime. */
static void
test_cgroup_k8s_systemd(void **state)
{
	static const struct cg_case cases[] = {
		{ "0::/kubepods.slice/kubepods-besteffort.slice/"
		  "kubepods-besteffort-pod" UID_ ".slice/"
		  "cri-containerd-" ID1 ".scope\n", K8S(ID1, 0) },
		{ "0::/kubepods.slice/kubepods-burstable.slice/"
		  "kubepods-burstable-pod" UID_ ".slice/"
		  "cri-containerd-" ID1 ".scope\n", K8S(ID1, 0) },
		{ "0::/kubepods.slice/kubepods-pod" UID_ ".slice/"
		  "cri-containerd-" ID1 ".scope\n", K8S(ID1, 0) },
		{ "0::/kubepods.slice/kubepods-burstable.slice/"
		  "kubepods-burstable-pod" UID_ ".slice/crio-" ID1 ".scope\n",
		    K8S(ID1, 0) },
		{ "0::/kubepods.slice/kubepods-pod" UID_ ".slice/"
		  "crio-" ID1 ".scope\n", K8S(ID1, 0) },
		{ "0::/kubepods.slice/kubepods-besteffort.slice/"
		  "kubepods-besteffort-pod" UID_ ".slice/docker-" ID1
		  ".scope\n", K8S(ID1, 0) },
		/* CRI-O's conmon lives in the pod: the monitor, not the payload */
		{ "0::/kubepods.slice/kubepods-burstable.slice/"
		  "kubepods-burstable-pod" UID_ ".slice/crio-conmon-" ID1
		  ".scope\n", K8S(ID1, 1) },
		/* the pod's own cgroup */
		{ "0::/kubepods.slice/kubepods-besteffort.slice/"
		  "kubepods-besteffort-pod" UID_ ".slice\n", K8S(NULL, 0) },
		/* static pods have a 32-hex uid */
		{ "0::/kubepods.slice/kubepods-burstable.slice/"
		  "kubepods-burstable-pod" SUID ".slice/cri-containerd-" ID1
		  ".scope\n",
		    { .ret = 1, .engine = "kubernetes", .id = ID1,
		      .pod = SUID, .pod_uid = SUID } },
		/* hybrid, with the path on every line */
		{ "7:memory:/kubepods.slice/kubepods-besteffort.slice/"
		  "kubepods-besteffort-pod" UID_ ".slice/docker-" ID1 ".scope\n"
		  "1:name=systemd:/kubepods.slice/kubepods-besteffort.slice/"
		  "kubepods-besteffort-pod" UID_ ".slice/docker-" ID1 ".scope\n"
		  "0::/\n", K8S(ID1, 0) },
	};

	(void)state;
	RUN(cases);
}

/* Kubernetes, cgroupfs driver. */
static void
test_cgroup_k8s_cgroupfs(void **state)
{
	static const struct cg_case cases[] = {
		{ "0::/kubepods/besteffort/pod" UID "/" ID1 "\n", K8S(ID1, 0) },
		{ "0::/kubepods/burstable/pod" UID "/" ID1 "\n", K8S(ID1, 0) },
		{ "0::/kubepods/pod" UID "/" ID1 "\n", K8S(ID1, 0) },
		{ "0::/kubepods/burstable/pod" UID "/crio-" ID1 "\n",
		    K8S(ID1, 0) },
		{ "0::/kubepods/pod" UID "/crio-conmon-" ID1 "\n",
		    K8S(ID1, 1) },
		{ "0::/kubepods/besteffort/pod" UID "\n", K8S(NULL, 0) },
		{ "11:cpu,cpuacct:/kubepods/burstable/pod" UID "/" ID1 "\n"
		  "1:name=systemd:/kubepods/burstable/pod" UID "/" ID1 "\n"
		  "0::/system.slice/containerd.service\n", K8S(ID1, 0) },
	};

	(void)state;
	RUN(cases);
}

/* The kubepods tree below another prefix: kubelet slice, kind nodes. */
static void
test_cgroup_k8s_nested(void **state)
{
	static const struct cg_case cases[] = {
		{ "0::/kubelet.slice/kubelet-kubepods.slice/"
		  "kubelet-kubepods-besteffort.slice/"
		  "kubelet-kubepods-besteffort-pod" UID_ ".slice/"
		  "cri-containerd-" ID1 ".scope\n", K8S(ID1, 0) },
		{ "0::/kubelet.slice/kubelet-kubepods.slice/"
		  "kubelet-kubepods-pod" UID_ ".slice/"
		  "cri-containerd-" ID1 ".scope\n", K8S(ID1, 0) },
		/* kind node run by docker (cgroupfs), pod inside */
		{ "0::/docker/" ID2 "/kubepods/besteffort/pod" UID "/" ID1
		  "\n", K8S(ID1, 0) },
		/* kind node with the systemd driver on both levels */
		{ "0::/system.slice/docker-" ID2 ".scope/kubelet.slice/"
		  "kubelet-kubepods.slice/kubelet-kubepods-burstable.slice/"
		  "kubelet-kubepods-burstable-pod" UID_ ".slice/"
		  "cri-containerd-" ID1 ".scope\n", K8S(ID1, 0) },
		/* the node's own processes are the node container */
		{ "0::/system.slice/docker-" ID2 ".scope/system.slice/"
		  "containerd.service\n", E("docker", ID2) },
		{ "0::/docker/" ID2 "/kubelet.slice\n", E("docker", ID2) },
		/* a container inside the pod's container */
		{ "0::/kubepods/pod" UID "/" ID2 "/docker/" ID1 "\n",
		    E("docker", ID1) },
	};

	(void)state;
	RUN(cases);
}

static void
test_cgroup_crio(void **state)
{
	static const struct cg_case cases[] = {
		{ "0::/system.slice/crio-" ID1 ".scope\n", E("cri-o", ID1) },
		{ "0::/system.slice/crio-conmon-" ID1 ".scope\n",
		    { .ret = 1, .engine = "cri-o", .id = ID1, .monitor = 1 } },
		{ "0::/machine.slice/crio-" ID1 ".scope/container\n",
		    E("cri-o", ID1) },
	};

	(void)state;
	RUN(cases);
}

static void
test_cgroup_podman(void **state)
{
	static const struct cg_case cases[] = {
		{ "0::/machine.slice/libpod-" ID1 ".scope\n",
		    E("podman", ID1) },
		{ "0::/machine.slice/libpod-" ID1 ".scope/container\n",
		    E("podman", ID1) },
		{ "0::/machine.slice/libpod-conmon-" ID1 ".scope\n",
		    { .ret = 1, .engine = "podman", .id = ID1, .monitor = 1 } },
		{ "0::/machine.slice/machine-libpod_pod_" PODID ".slice/"
		  "libpod-" ID1 ".scope\n",
		    { .ret = 1, .engine = "podman", .id = ID1, .pod = PODID } },
		{ "0::/machine.slice/machine-libpod_pod_" PODID ".slice/"
		  "libpod-conmon-" ID1 ".scope\n",
		    { .ret = 1, .engine = "podman", .id = ID1, .pod = PODID,
		      .monitor = 1 } },
		/* rootless */
		{ "0::/user.slice/user-1000.slice/user@1000.service/user.slice/"
		  "libpod-" ID1 ".scope\n", E("podman", ID1) },
		{ "0::/user.slice/user-1000.slice/user@1000.service/user.slice/"
		  "user-libpod_pod_" PODID ".slice/libpod-" ID1 ".scope\n",
		    { .ret = 1, .engine = "podman", .id = ID1, .pod = PODID } },
		/* cgroupfs manager */
		{ "0::/libpod_parent/libpod-" ID1 "\n", E("podman", ID1) },
		{ "0::/libpod_parent/" PODID "/libpod-" ID1 "\n",
		    { .ret = 1, .engine = "podman", .id = ID1, .pod = PODID } },
		{ "0::/machine.slice/libpod-" ID63 ".scope\n",
		    { .ret = 1, .unit = "libpod-" ID63 ".scope" } },
	};

	(void)state;
	RUN(cases);
}

static void
test_cgroup_lxc(void **state)
{
	static const struct cg_case cases[] = {
		{ "0::/lxc.payload.web\n",
		    { .ret = 1, .engine = "lxc", .name = "web" } },
		{ "0::/lxc.payload.web/init.scope\n",
		    { .ret = 1, .engine = "lxc", .name = "web" } },
		{ "0::/lxc.payload.web/system.slice/ssh.service\n",
		    { .ret = 1, .engine = "lxc", .name = "web" } },
		{ "0::/lxc.monitor.web\n",
		    { .ret = 1, .engine = "lxc", .name = "web", .monitor = 1 } },
		{ "4:memory:/lxc/old1\n1:name=systemd:/lxc/old1\n0::/\n",
		    { .ret = 1, .engine = "lxc", .name = "old1" } },
		/* docker inside an LXC container */
		{ "0::/lxc.payload.web/system.slice/docker-" ID1 ".scope\n",
		    E("docker", ID1) },
		{ "0::/lxc.payload.\n", { 0 } },
		{ "0::/lxc.monitor.\n", { 0 } },
		{ "0::/lxc/\n", { 0 } },
		{ "0::/lxc\n", { 0 } },
		{ "0::/lxc.payload.a\x1b[2Jb\n", { 0 } },
	};

	(void)state;
	RUN(cases);
}

static void
test_cgroup_nspawn(void **state)
{
	static const struct cg_case cases[] = {
		{ "0::/machine.slice/machine-debian.scope\n",
		    { .ret = 1, .engine = "systemd-nspawn", .name = "debian" } },
		{ "0::/machine.slice/machine-my\\x2dbox.scope\n",
		    { .ret = 1, .engine = "systemd-nspawn", .name = "my-box" } },
		{ "0::/machine.slice/machine-my\\x2dbox.scope/init.scope\n",
		    { .ret = 1, .engine = "systemd-nspawn", .name = "my-box" } },
		{ "0::/machine.slice/systemd-nspawn@web\\x2d1.service/payload\n",
		    { .ret = 1, .engine = "systemd-nspawn", .name = "web-1" } },
		{ "0::/machine.slice/systemd-nspawn@web.service/supervisor\n",
		    { .ret = 1, .engine = "systemd-nspawn", .name = "web",
		      .monitor = 1 } },
		/* escapes that would print a control byte or '/' stay */
		{ "0::/machine.slice/machine-a\\x1bb\\x2fc.scope\n",
		    { .ret = 1, .engine = "systemd-nspawn",
		      .name = "a\\x1bb\\x2fc" } },
		{ "0::/machine.slice/machine-a\\x2.scope\n",
		    { .ret = 1, .engine = "systemd-nspawn", .name = "a\\x2" } },
		/* libvirt registers VMs as machines too: not nspawn */
		{ "0::/machine.slice/machine-qemu\\x2d1\\x2dvm1.scope/libvirt/"
		  "emulator\n",
		    { .ret = 1, .unit = "machine-qemu-1-vm1.scope" } },
		{ "0::/machine.slice/machine-.scope\n",
		    { .ret = 1, .unit = "machine-.scope" } },
	};

	(void)state;
	RUN(cases);
}

static void
test_cgroup_snap_flatpak(void **state)
{
	static const struct cg_case cases[] = {
		{ "0::/system.slice/snap.lxd.daemon.service\n",
		    { .ret = 1, .engine = "snap", .name = "lxd", .id = "daemon" } },
		{ "0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
		  "snap.firefox.firefox-" SNAPU ".scope\n",
		    { .ret = 1, .engine = "snap", .name = "firefox",
		      .id = "firefox" } },
		{ "0::/system.slice/snap.core.hook.configure-" SNAPU ".scope\n",
		    { .ret = 1, .engine = "snap", .name = "core",
		      .id = "hook.configure" } },
		{ "0::/system.slice/snap.my-snap_dev.app-x.service\n",
		    { .ret = 1, .engine = "snap", .name = "my-snap_dev",
		      .id = "app-x" } },
		{ "0::/system.slice/snapd.service\n",
		    { .ret = 1, .unit = "snapd.service" } },
		{ "0::/system.slice/snap.lxd.service\n",
		    { .ret = 1, .unit = "snap.lxd.service" } },
		/* prefix and suffix share the dot: nothing in between */
		{ "0::/snap.scope\n", { .ret = 1, .unit = "snap.scope" } },
		{ "0::/snap.service\n", { .ret = 1, .unit = "snap.service" } },
		{ "0::/snap..scope\n", { .ret = 1, .unit = "snap..scope" } },
		{ "0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
		  "app-flatpak-org.gnome.Calculator-12345.scope\n",
		    { .ret = 1, .engine = "flatpak",
		      .name = "org.gnome.Calculator" } },
		{ "0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
		  "app-flatpak-com.example.my\\x2dapp-42.scope\n",
		    { .ret = 1, .engine = "flatpak",
		      .name = "com.example.my-app" } },
		{ "0::/user.slice/user-1000.slice/user@1000.service/app.slice/"
		  "app-flatpak-org.x.App.scope\n",
		    { .ret = 1, .unit = "app-flatpak-org.x.App.scope" } },
		{ "0::/app.slice/app-flatpak--42.scope\n",
		    { .ret = 1, .unit = "app-flatpak--42.scope" } },
	};

	(void)state;
	RUN(cases);
}

static void
test_cgroup_units(void **state)
{
	static const struct cg_case cases[] = {
		{ "0::/system.slice/ssh.service\n",
		    { .ret = 1, .unit = "ssh.service" } },
		{ "0::/user.slice/user-1000.slice/session-3.scope\n",
		    { .ret = 1, .unit = "session-3.scope" } },
		{ "0::/user.slice/user-1000.slice/user@1000.service/init.scope\n",
		    { .ret = 1, .unit = "init.scope" } },
		{ "0::/user.slice/user-1000.slice/user@1000.service\n",
		    { .ret = 1, .unit = "user@1000.service" } },
		{ "0::/user.slice/user-1000.slice/user@1000.service/app.slice\n",
		    { .ret = 1, .unit = "user@1000.service" } },
		{ "0::/init.scope\n", { .ret = 1, .unit = "init.scope" } },
		{ "0::/system.slice/systemd-fsck@dev-disk-by\\x2duuid-"
		  "1234.service\n",
		    { .ret = 1, .unit = "systemd-fsck@dev-disk-by-uuid-"
		      "1234.service" } },
		{ "0::/system.slice/ssh.service/sub\n",
		    { .ret = 1, .unit = "ssh.service" } },
		{ "0::/../../system.slice/cron.service\n",
		    { .ret = 1, .unit = "cron.service" } },
		{ "0::/system.slice\n", { 0 } },
		{ "0::/\n", { 0 } },
		{ "0::/system.slice/evil\x1b]0;x\x07.service\n", { 0 } },
	};

	(void)state;
	RUN(cases);
}

/* What must never be attributed. */
static void
test_cgroup_malformed(void **state)
{
	static const struct cg_case cases[] = {
		{ "", { 0 } },
		{ "\n\n\n", { 0 } },
		{ "garbage", { 0 } },
		{ "0", { 0 } },
		{ "0:", { 0 } },
		{ "0::", { 0 } },
		{ "0::\n", { 0 } },
		{ "0::docker/" ID1 "\n", { 0 } },
		{ "x::/docker/" ID1 "\n", { 0 } },
		{ ":cpu:/docker/" ID1 "\n", { 0 } },
		{ "0:/docker/" ID1 "\n", { 0 } },
		{ "0::/docker/\n", { 0 } },
		{ "0::/docker\n", { 0 } },
		{ "0::/docker//\n", { 0 } },
		{ "0::/docker/" ID63 "\n", { 0 } },
		{ "0::/docker/" ID1 "0\n", { 0 } },
		{ "0::/docker/" IDUP "\n", { 0 } },
		{ "0::/docker/" IDG "\n", { 0 } },
		{ "0::/docker/0123\n", { 0 } },
		{ "0::/dockerfoo/" ID1 "\n", { 0 } },
		{ "0::/docker-" ID1 "x.scope\n",
		    { .ret = 1, .unit = "docker-" ID1 "x.scope" } },
		{ "0::/system.slice/docker-" ID63 ".scope\n",
		    { .ret = 1, .unit = "docker-" ID63 ".scope" } },
		{ "0::/system.slice/docker-.scope\n",
		    { .ret = 1, .unit = "docker-.scope" } },
		{ "0::/system.slice/crio-conmon-.scope\n",
		    { .ret = 1, .unit = "crio-conmon-.scope" } },
		/* a pod uid that is not one: no pod */
		{ "0::/kubepods/besteffort/podnotauid/" ID1 "\n", { 0 } },
		{ "0::/kubepods/besteffort/pod" UID "x/" ID1 "\n", { 0 } },
		{ "0::/kubepods/besteffort/pod8f3e2a1b-4c5d_4e6f-8a9b-"
		  "0c1d2e3f4a5b/" ID1 "\n", { 0 } },
		/* "pod<uid>" outside a kubepods tree is nobody's pod */
		{ "0::/pod" UID "/" ID1 "\n", { 0 } },
		{ "0::/kubepods.slice/kubepods-besteffort.slice/"
		  "kubepods-besteffort-pod.slice\n", { 0 } },
		/* a truncated read */
		{ "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-be",
		    { 0 } },
		{ "0::/system.slice/docker-0123456789abcdef", { 0 } },
		{ "12:cpuset:/docker/0123", { 0 } },
	};

	(void)state;
	RUN(cases);
}

/* Odd sizes and NULLs: no crash, no attribution. */
static void
test_cgroup_edges(void **state)
{
	struct nsf_container c;
	char *big;
	size_t n = 1 << 20, i;

	(void)state;
	assert_int_equal(nsf_container_from_cgroup("0::/docker/" ID1, NULL),
	    0);
	memset(&c, 0x5a, sizeof(c));
	assert_int_equal(nsf_container_from_cgroup(NULL, &c), 0);
	assert_null(c.engine);
	assert_null(c.unit);

	/* a megabyte of path, one component long */
	big = malloc(n + 16);
	assert_non_null(big);
	memcpy(big, "0::/", 4);
	for (i = 4; i < n; i++)
		big[i] = 'a';
	strcpy(big + n, ".service\n");
	assert_int_equal(nsf_container_from_cgroup(big, &c), 0);
	/* a megabyte of slashes and colons */
	for (i = 0; i < n; i++)
		big[i] = i % 3 ? '/' : ':';
	big[n] = '\0';
	assert_int_equal(nsf_container_from_cgroup(big, &c), 0);
	free(big);
}

/*
 * Ancestors.
 */

struct anc_case {
	const char	*comm;
	const char	*argv;
	size_t		 len;
	struct want	 w;
};

static void
run_ancestor(const struct anc_case *cases, size_t n)
{
	struct nsf_container c;
	char what[256];
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		snprintf(what, sizeof(what), "ancestor case %zu: comm %s, "
		    "argv[0] %s", i, cases[i].comm ? cases[i].comm : "(null)",
		    cases[i].argv ? cases[i].argv : "(null)");
		memset(&c, 0xa5, sizeof(c));
		r = nsf_container_from_ancestor(cases[i].comm, cases[i].argv,
		    cases[i].len, &c);
		check(what, r, &c, &cases[i].w);
		if (r)
			assert_string_equal(c.source, "ancestry");
		nsf_container_free(&c);
	}
}

static void
test_ancestor_shims(void **state)
{
	static const struct anc_case cases[] = {
		{ "containerd-shim", ARGV("/usr/bin/containerd-shim-runc-v2\0"
		  "-namespace\0moby\0-id\0" ID1 "\0-address\0"
		  "/run/containerd/containerd.sock\0"),
		    { .ret = 1, .engine = "docker", .id = ID1,
		      .ctr_ns = "moby" } },
		{ "containerd-shim", ARGV("/usr/bin/containerd-shim-runc-v2\0"
		  "-namespace\0k8s.io\0-id\0" ID1 "\0-address\0"
		  "/run/containerd/containerd.sock\0"),
		    { .ret = 1, .engine = "kubernetes", .id = ID1,
		      .ctr_ns = "k8s.io" } },
		{ "containerd-shim", ARGV("containerd-shim-runc-v2\0"
		  "--namespace=default\0--id=redis\0"),
		    { .ret = 1, .engine = "containerd", .id = "redis",
		      .ctr_ns = "default" } },
		/* not NUL-terminated at the end */
		{ "containerd-shim", ARGV("containerd-shim-runc-v2\0"
		  "-namespace\0default\0-id\0" ID1),
		    { .ret = 1, .engine = "containerd", .id = ID1,
		      .ctr_ns = "default" } },
		/* shim v1: the id is the workdir's last part */
		{ "containerd-shim", ARGV("containerd-shim\0-namespace\0moby\0"
		  "-workdir\0/var/lib/containerd/io.containerd.runtime.v1.linux/"
		  "moby/" ID1 "\0-address\0/run/containerd/containerd.sock\0"),
		    { .ret = 1, .engine = "docker", .id = ID1,
		      .ctr_ns = "moby" } },
		/* docker 17's shim: id first */
		{ "docker-containe", ARGV("docker-containerd-shim\0" ID1 "\0"
		  "/var/run/docker/libcontainerd/" ID1 "\0docker-runc\0"),
		    E("docker", ID1) },
		{ "docker-containe", ARGV("docker-containerd-shim\0-namespace\0"
		  "moby\0-workdir\0/var/lib/docker/containerd/daemon/"
		  "io.containerd.runtime.v1.linux/moby/" ID1 "\0"),
		    { .ret = 1, .engine = "docker", .id = ID1,
		      .ctr_ns = "moby" } },
		/* only comm survives: still a shim, id unknown */
		{ "containerd-shim", "", 0, E("containerd", NULL) },
		{ "docker-containe", NULL, 0, E("docker", NULL) },
		/* an id that would walk paths is no id */
		{ "containerd-shim", ARGV("containerd-shim-runc-v2\0"
		  "-namespace\0default\0-id\0../../etc\0"),
		    { .ret = 1, .engine = "containerd", .ctr_ns = "default" } },
		{ "containerd-shim", ARGV("containerd-shim-runc-v2\0"
		  "-namespace\0\x1b[1m\0-id\0"),
		    E("containerd", NULL) },
	};

	(void)state;
	run_ancestor(cases, sizeof(cases) / sizeof(cases[0]));
}

static void
test_ancestor_conmon(void **state)
{
	static const struct anc_case cases[] = {
		{ "conmon", ARGV("/usr/bin/conmon\0--api-version\0001\0-c\0" ID1
		  "\0-u\0" ID1 "\0-r\0/usr/bin/crun\0-b\0/var/lib/containers/"
		  "storage/overlay-containers/" ID1 "/userdata\0-n\0web\0-s\0"
		  "--exit-command\0/usr/bin/podman\0--exit-command-arg\0-c\0"),
		    { .ret = 1, .engine = "podman", .id = ID1, .name = "web" } },
		{ "conmon", ARGV("/usr/bin/conmon\0-c\0" ID1 "\0-n\0k8s_nginx_"
		  "nginx-7d_default_" UID "_0\0-r\0/usr/bin/runc\0"
		  "--socket-dir-path\0/var/run/crio\0"),
		    { .ret = 1, .engine = "kubernetes", .id = ID1,
		      .name = "nginx", .pod = "nginx-7d", .ns = "default",
		      .pod_uid = UID } },
		{ "conmon", ARGV("conmon\0--cid=" ID1 "\0--name=x\0"
		  "--socket-dir-path\0/var/run/crio\0"),
		    { .ret = 1, .engine = "cri-o", .id = ID1, .name = "x" } },
		{ "conmon", ARGV("conmon\0-c\0" ID1 "\0-r\0"
		  "/usr/lib/cri-o-runc/sbin/runc\0-n\0y\0"),
		    { .ret = 1, .engine = "cri-o", .id = ID1, .name = "y" } },
		{ "conmon", ARGV("conmon\0-c\0" ID1 "\0-r\0"
		  "/usr/lib/cri-o-runc/sbin/runc\0--exit-command\0"
		  "/usr/bin/podman\0"), E("podman", ID1) },
		{ "conmon", ARGV("conmon\0"), E("podman", NULL) },
		/* a k8s_ name with too many parts is just a name */
		{ "conmon", ARGV("conmon\0-c\0" ID1 "\0-n\0k8s_a_b_c_d_e_0\0"),
		    { .ret = 1, .engine = "podman", .id = ID1,
		      .name = "k8s_a_b_c_d_e_0" } },
	};

	(void)state;
	run_ancestor(cases, sizeof(cases) / sizeof(cases[0]));
}

static void
test_ancestor_lxc_nspawn(void **state)
{
	static const struct anc_case cases[] = {
		{ "lxc-start", ARGV("lxc-start\0-n\0c1\0"),
		    { .ret = 1, .engine = "lxc", .name = "c1" } },
		{ "lxc-start", ARGV("/usr/bin/lxc-start\0-F\0--name=c1\0"),
		    { .ret = 1, .engine = "lxc", .name = "c1" } },
		{ "lxc-start", ARGV("lxc-start\0-nc1\0"),
		    { .ret = 1, .engine = "lxc", .name = "c1" } },
		{ "lxc-start", ARGV("lxc-start\0-Fn\0c1\0"),
		    { .ret = 1, .engine = "lxc", .name = "c1" } },
		{ "lxc-start", ARGV("lxc-start\0-P\0-n\0-n\0c1\0"),
		    { .ret = 1, .engine = "lxc", .name = "c1" } },
		{ "lxc-start", ARGV("lxc-start\0--\0-n\0c1\0"),
		    E("lxc", NULL) },
		/* liblxc's monitor retitles itself */
		{ "lxc-start", ARGV("[lxc monitor] /var/lib/lxc c1\0"),
		    { .ret = 1, .engine = "lxc", .name = "c1" } },
		{ "lxd", ARGV("lxd\0forkstart\0web\0/var/snap/lxd/common/lxd/"
		  "containers\0/var/snap/lxd/common/lxd/logs/web/lxc.conf\0"),
		    { .ret = 1, .engine = "lxc", .name = "web" } },
		{ "lxd", ARGV("lxd\0--group\0lxd\0"), { 0 } },
		{ "systemd-nspawn", ARGV("systemd-nspawn\0-M\0web\0-D\0/srv/x\0"),
		    { .ret = 1, .engine = "systemd-nspawn", .name = "web" } },
		{ "systemd-nspawn", ARGV("systemd-nspawn\0--machine=web\0-b\0"),
		    { .ret = 1, .engine = "systemd-nspawn", .name = "web" } },
		{ "systemd-nspawn", ARGV("systemd-nspawn\0--machine\0web\0"),
		    { .ret = 1, .engine = "systemd-nspawn", .name = "web" } },
		{ "systemd-nspawn", ARGV("systemd-nspawn\0-bD\0"
		  "/var/lib/machines/deb/\0--\0-M\0fake\0"),
		    { .ret = 1, .engine = "systemd-nspawn", .name = "deb" } },
		{ "systemd-nspawn", ARGV("systemd-nspawn\0-u\0-M\0"
		  "--directory=/srv/deb\0"),
		    { .ret = 1, .engine = "systemd-nspawn", .name = "deb" } },
		{ "systemd-nspawn", ARGV("systemd-nspawn\0-i\0/img/foo.raw\0"),
		    { .ret = 1, .engine = "systemd-nspawn", .name = "foo" } },
		{ "systemd-nspawn", ARGV("systemd-nspawn\0-D\0/\0"),
		    E("systemd-nspawn", NULL) },
	};

	(void)state;
	run_ancestor(cases, sizeof(cases) / sizeof(cases[0]));
}

static void
test_ancestor_none(void **state)
{
	static const struct anc_case cases[] = {
		{ NULL, NULL, 0, { 0 } },
		{ "bash", ARGV("bash\0-l\0"), { 0 } },
		{ "systemd", ARGV("/sbin/init\0splash\0"), { 0 } },
		{ "containerd", ARGV("/usr/bin/containerd\0"), { 0 } },
		{ "dockerd", ARGV("/usr/bin/dockerd\0-H\0fd://\0"), { 0 } },
		{ NULL, ARGV("\0\0\0"), { 0 } },
		{ "conmo", ARGV("conmo\0-c\0" ID1 "\0"), { 0 } },
		/* comm is 15 bytes at most: a 15-byte truncation only */
		{ "docker-contain", NULL, 0, { 0 } },
		{ NULL, ARGV("[lxc monitor]\0"), { 0 } },
	};

	(void)state;
	run_ancestor(cases, sizeof(cases) / sizeof(cases[0]));
}

/*
 * Command lines.
 */

static void
run_cmdline(const struct anc_case *cases, size_t n)
{
	struct nsf_container c;
	char what[256];
	size_t i;
	int r;

	for (i = 0; i < n; i++) {
		snprintf(what, sizeof(what), "cmdline case %zu: %s", i,
		    cases[i].argv ? cases[i].argv : "(null)");
		memset(&c, 0xa5, sizeof(c));
		r = nsf_container_from_cmdline(cases[i].argv, cases[i].len, &c);
		check(what, r, &c, &cases[i].w);
		if (r)
			assert_string_equal(c.source, "cmdline");
		nsf_container_free(&c);
	}
}

static void
test_cmdline(void **state)
{
	static const struct anc_case cases[] = {
		{ NULL, ARGV("/opt/google/chrome/chrome\0--type=renderer\0"
		  "--crashpad-handler-pid=12\0"),
		    { .ret = 1, .engine = "chrome", .name = "renderer" } },
		{ NULL, ARGV("/opt/google/chrome/chrome\0--type=zygote\0"
		  "--no-zygote-sandbox\0"),
		    { .ret = 1, .engine = "chrome", .name = "zygote" } },
		{ NULL, ARGV("/usr/lib/chromium/chromium\0--type=utility\0"
		  "--utility-sub-type=network.mojom.NetworkService\0"),
		    { .ret = 1, .engine = "chrome", .name = "utility" } },
		{ NULL, ARGV("/usr/lib/chromium/chromium\0--type=gpu-process\0"),
		    { .ret = 1, .engine = "chrome", .name = "gpu-process" } },
		/* retitled: one string with spaces */
		{ NULL, ARGV("/usr/lib/chromium/chromium --type=renderer "
		  "--lang=en-US\0\0\0\0"),
		    { .ret = 1, .engine = "chrome", .name = "renderer" } },
		{ NULL, ARGV("/opt/My Apps/myapp --type=renderer --x\0"),
		    { .ret = 1, .engine = "electron", .name = "myapp" } },
		{ NULL, ARGV("/usr/lib/slack/slack\0--type=zygote\0"),
		    { .ret = 1, .engine = "electron", .name = "slack" } },
		{ NULL, ARGV("/usr/share/code/code\0--type=utility\0"),
		    { .ret = 1, .engine = "electron", .name = "code" } },
		{ NULL, ARGV("/opt/google/chrome/chrome\0"), { 0 } },
		{ NULL, ARGV("/opt/google/chrome/chrome\0"
		  "--type=crashpad-handler\0"), { 0 } },
		{ NULL, ARGV("/opt/google/chrome/chrome\0--type=\0"), { 0 } },
		{ NULL, ARGV("/opt/google/chrome/chrome\0--type\0renderer\0"),
		    { 0 } },
		/* mininet */
		{ NULL, ARGV("bash\0--norc\0--noediting\0-is\0mininet:h1\0"),
		    { .ret = 1, .engine = "mininet", .name = "h1" } },
		{ NULL, ARGV("mnexec\0-cd\0env\0PS1=\x7f\0bash\0--norc\0"
		  "--noediting\0-is\0mininet:s1\0"),
		    { .ret = 1, .engine = "mininet", .name = "s1" } },
		{ NULL, ARGV("/bin/bash\0--norc\0-is\0mininet:h1"),
		    { .ret = 1, .engine = "mininet", .name = "h1" } },
		{ NULL, ARGV("bash\0-c\0echo mininet:h1\0"), { 0 } },
		{ NULL, ARGV("python3\0mininet:h1\0"), { 0 } },
		{ NULL, ARGV("bash\0-is\0mininet:\0"), { 0 } },
		{ NULL, ARGV("bash\0-is\0mininet:a b\0"), { 0 } },
		{ NULL, ARGV("bash\0-is\0mininet:\x1b[1m\0"), { 0 } },
		{ NULL, NULL, 0, { 0 } },
		{ NULL, "", 0, { 0 } },
		{ NULL, ARGV("\0\0"), { 0 } },
		{ NULL, ARGV(" \0"), { 0 } },
		{ NULL, ARGV(" --type=renderer\0"), { 0 } },
	};

	(void)state;
	run_cmdline(cases, sizeof(cases) / sizeof(cases[0]));
}

/*
 * Names from fixture trees.
 */

static void
link_at(const char *root, const char *rel, const char *target)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (symlink(target, path) < 0)
		fail_msg("symlink %s: %s", path, strerror(errno));
}

static void
unlink_at(const char *root, const char *rel)
{
	char path[4096];

	snprintf(path, sizeof(path), "%s/%s", root, rel);
	if (unlink(path) < 0)
		fail_msg("unlink %s: %s", path, strerror(errno));
}

/*
 * Whether this kernel (or valgrind, which does not know the syscall)
 * gives us openat2: without it nsfind refuses links it would otherwise
 * follow inside the root.
 */
static int
have_openat2(void)
{
	struct open_how how;
	int fd;

	memset(&how, 0, sizeof(how));
	how.flags = O_PATH | O_CLOEXEC;
	how.resolve = RESOLVE_IN_ROOT;
	if ((fd = (int)syscall(SYS_openat2, AT_FDCWD, "/", &how,
	    sizeof(how))) < 0)
		return 0;
	close(fd);
	return 1;
}

#define DOCKER_CFG	"var/lib/docker/containers/" ID1 "/config.v2.json"

/* Resolves a docker container ID1 under ROOT and returns its name. */
static char *
docker_name(const char *root)
{
	struct nsf_container c = { 0 };
	char *name;

	c.engine = strdup("docker");
	c.id = strdup(ID1);
	nsf_container_resolve_name(&c, root);
	name = c.name;
	c.name = NULL;
	nsf_container_free(&c);
	return name;
}

static void
expect_docker_name(const char *root, const char *cfg, const char *want)
{
	char *name;

	put(root, DOCKER_CFG, cfg);
	name = docker_name(root);
	if (!field_ok(cfg, "name", name, want))
		fail();
	free(name);
}

static void
test_resolve_docker(void **state)
{
	const char *root = *state;

	/* a nested "Name" (a volume) comes first: only the top one counts */
	expect_docker_name(root, "{\"StreamConfig\":{},\"State\":{\"Running"
	    "\":true,\"Pid\":42},\"ID\":\"" ID1 "\",\"MountPoints\":{\"/data\""
	    ":{\"Name\":\"vol1\",\"RW\":true}},\"Args\":[\"-c\",\"x\",1.5e3,"
	    "null,false],\"Name\":\"/web-1\",\"Config\":{\"Labels\":{\"Name\":"
	    "\"x\"}}}\n", "web-1");
	expect_docker_name(root, " {\n \"Name\" : \"/caf\\u00e9\\ud83d\\ude00"
	    "\\t\" } ", NULL);
	expect_docker_name(root, "{\"Name\":\"/caf\\u00e9\\ud83d\\ude00\"}",
	    "caf\xc3\xa9\xf0\x9f\x98\x80");
	expect_docker_name(root, "{\"Name\":\"/a\\\"b\\\\c\"}", "a\"b\\c");
	/* unprintable or unsafe names are refused */
	expect_docker_name(root, "{\"Name\":\"/a\\u001b[2Jb\"}", NULL);
	expect_docker_name(root, "{\"Name\":\"/a\\u0000b\"}", NULL);
	expect_docker_name(root, "{\"Name\":\"/a/b\"}", NULL);
	expect_docker_name(root, "{\"Name\":\"/\"}", NULL);
	expect_docker_name(root, "{\"Name\":42}", NULL);
	/* malformed */
	expect_docker_name(root, "", NULL);
	expect_docker_name(root, "[]", NULL);
	expect_docker_name(root, "{}", NULL);
	expect_docker_name(root, "{\"Name\":\"/web", NULL);
	expect_docker_name(root, "{\"Name\":\"/web\\", NULL);
	expect_docker_name(root, "{\"Name\":\"/w\\ud83d\"}", NULL);
	expect_docker_name(root, "{\"Name\":\"/w\\udc00x\"}", NULL);
	expect_docker_name(root, "{\"Name\":\"/w\\u12\"}", NULL);
	expect_docker_name(root, "{\"Name\":\"/w\\q\"}", NULL);
	expect_docker_name(root, "{\"Name\" \"/web\"}", NULL);
	expect_docker_name(root, "{\"A\":[1,2,{\"B\":}],\"Name\":\"/w\"}",
	    NULL);
	expect_docker_name(root, "{\"A\":tru\001,\"Name\":\"/w\"}", NULL);
}

/* Deep nesting, huge and odd files: bounded, no crash, no hang. */
static void
test_resolve_docker_hostile(void **state)
{
	const char *root = *state;
	char path[4096], *deep;
	size_t i, n = 200000;
	int fd;

	deep = malloc(n * 2 + 64);
	assert_non_null(deep);
	strcpy(deep, "{\"A\":");
	for (i = 0; i < n; i++)
		deep[5 + i] = '[';
	strcpy(deep + 5 + n, "],\"Name\":\"/w\"}");
	expect_docker_name(root, deep, NULL);
	free(deep);

	/* over the 4 MiB cap, even though the name is at the start */
	put(root, DOCKER_CFG, "");
	snprintf(path, sizeof(path), "%s/%s", root, DOCKER_CFG);
	fd = open(path, O_WRONLY | O_TRUNC);
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "{\"Name\":\"/big\",\"X\":\"", 20), 20);
	assert_int_equal(ftruncate(fd, (5 << 20)), 0);
	close(fd);
	assert_null(docker_name(root));

	/* a FIFO must not hang us */
	unlink(path);
	assert_int_equal(mkfifo(path, 0600), 0);
	assert_null(docker_name(root));
	unlink(path);

	/* a directory where the file should be */
	mkdirs(root, DOCKER_CFG);
	assert_null(docker_name(root));
}

/* Nothing is read through a link that leaves the root. */
static void
test_resolve_docker_escape(void **state)
{
	const char *root = *state;
	char outside[1024], target[4096], *name;

	/* a config outside the root, and links to it from inside */
	snprintf(outside, sizeof(outside), "%s/outside", root);
	assert_int_equal(mkdir(outside, 0755), 0);
	put(outside, "config.v2.json", "{\"Name\":\"/evil\"}");
	put(outside, "docker/containers/" ID1 "/config.v2.json",
	    "{\"Name\":\"/evil\"}");
	snprintf(target, sizeof(target), "%s/config.v2.json", outside);

	mkdirs(root, "in/var/lib/docker/containers/" ID1);
	link_at(root, "in/" DOCKER_CFG, target);
	snprintf(target, sizeof(target), "%s/in", root);
	assert_null(docker_name(target));

	/* "../" six times is the fixture dir itself, where outside/ is */
	unlink_at(root, "in/" DOCKER_CFG);
	link_at(root, "in/" DOCKER_CFG,
	    "../../../../../../outside/config.v2.json");
	snprintf(target, sizeof(target), "%s/in", root);
	assert_null(docker_name(target));

	/* a whole directory swapped for a link out */
	mkdirs(root, "in2/var/lib");
	snprintf(target, sizeof(target), "%s/docker", outside);
	link_at(root, "in2/var/lib/docker", target);
	snprintf(target, sizeof(target), "%s/in2", root);
	assert_null(docker_name(target));

	/* a link that stays inside the root is fine, given openat2 */
	mkdirs(root, "in3/var/lib");
	put(root, "in3/data/docker/containers/" ID1 "/config.v2.json",
	    "{\"Name\":\"/ok\"}");
	link_at(root, "in3/var/lib/docker", "/data/docker");
	snprintf(target, sizeof(target), "%s/in3", root);
	name = docker_name(target);
	if (!field_ok("link inside the root", "name", name,
	    have_openat2() ? "ok" : NULL))
		fail();
	free(name);
}

/*
 * Runs FN in a child where openat2 fails with ENOSYS, as on kernels
 * before 5.6 or under a seccomp profile that does not know it.
 */
static int
without_openat2(int (*fn)(const char *), const char *root)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
		    offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, SYS_openat2, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { sizeof(filter) / sizeof(filter[0]), filter };
	pid_t pid;
	int st;

	if ((pid = fork()) == 0) {
		if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0 ||
		    prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) < 0)
			_exit(90);
		if (syscall(SYS_openat2, AT_FDCWD, ".", NULL, 0) >= 0 ||
		    errno != ENOSYS)
			_exit(91);
		_exit(fn(root));
	}
	assert_true(pid > 0);
	assert_int_equal(waitpid(pid, &st, 0), pid);
	assert_true(WIFEXITED(st));
	return WEXITSTATUS(st);
}

/* 0 when the plain fixture resolves and the linked ones do not. */
static int
fallback_checks(const char *root)
{
	char path[4096], *name;
	int bad = 0;

	name = docker_name(root);
	bad |= name == NULL || strcmp(name, "web-1") != 0;
	free(name);
	/* the fallback refuses every link, even one that stays inside */
	snprintf(path, sizeof(path), "%s/in3", root);
	name = docker_name(path);
	bad |= (name != NULL) << 1;
	free(name);
	snprintf(path, sizeof(path), "%s/in", root);
	name = docker_name(path);
	bad |= (name != NULL) << 2;
	free(name);
	return bad;
}

static void
test_resolve_fallback(void **state)
{
	const char *root = *state;
	char target[4096], *name;

#ifndef __x86_64__
	skip();
#endif
	if (!have_openat2())
		skip();		/* every test here already ran the fallback */
	put(root, DOCKER_CFG, "{\"Name\":\"/web-1\"}");
	put(root, "outside.json", "{\"Name\":\"/evil\"}");
	mkdirs(root, "in/var/lib/docker/containers/" ID1);
	snprintf(target, sizeof(target), "%s/outside.json", root);
	link_at(root, "in/" DOCKER_CFG, target);
	mkdirs(root, "in3/var/lib");
	put(root, "in3/data/docker/containers/" ID1 "/config.v2.json",
	    "{\"Name\":\"/ok\"}");
	link_at(root, "in3/var/lib/docker", "../../data/docker");
	/* openat2 follows the inner link; the fallback must refuse it */
	snprintf(target, sizeof(target), "%s/in3", root);
	name = docker_name(target);
	assert_non_null(name);
	assert_string_equal(name, "ok");
	free(name);
	assert_int_equal(without_openat2(fallback_checks, root), 0);
}

static void
test_resolve_docker_snap_root(void **state)
{
	const char *root = *state;
	char *name;

	put(root, "var/snap/docker/common/var-lib-docker/containers/" ID1
	    "/config.v2.json", "{\"Name\":\"/snappy\"}");
	name = docker_name(root);
	assert_non_null(name);
	assert_string_equal(name, "snappy");
	free(name);
}

/* docker --cgroup-parent=/ci looks like containerd until docker's files say. */
static void
test_resolve_cgroup_parent(void **state)
{
	const char *root = *state;
	struct nsf_container c;
	struct want ctr = { .ret = 1, .engine = "containerd", .id = ID1,
	    .ctr_ns = "ci" };
	struct want dkr = { .ret = 1, .engine = "docker", .id = ID1,
	    .name = "job-1", .ctr_ns = "ci" };

	assert_int_equal(nsf_container_from_cgroup("0::/ci/" ID1 "\n", &c), 1);
	nsf_container_resolve_name(&c, root);
	check("no docker config", 1, &c, &ctr);
	put(root, DOCKER_CFG, "{\"Name\":\"/job-1\"}");
	nsf_container_resolve_name(&c, root);
	check("docker config", 1, &c, &dkr);
	nsf_container_free(&c);
}

#define STORAGE	"var/lib/containers/storage/overlay-containers/containers.json"

static void
expect_podman_name(const char *root, const char *json, const char *want)
{
	struct nsf_container c;

	put(root, STORAGE, json);
	assert_int_equal(nsf_container_from_cgroup(
	    "0::/machine.slice/libpod-" ID1 ".scope\n", &c), 1);
	nsf_container_resolve_name(&c, root);
	if (!field_ok(json, "name", c.name, want))
		fail();
	nsf_container_free(&c);
}

static void
test_resolve_podman(void **state)
{
	const char *root = *state;

	expect_podman_name(root, "[{\"id\":\"" ID2 "\",\"names\":[\"other\"],"
	    "\"image\":\"x\",\"layer\":\"y\",\"metadata\":\"{\\\"a\\\":1}\","
	    "\"created\":\"2024-01-01T00:00:00Z\",\"flags\":{\"MountLabel\":"
	    "\"\"}},{\"names\":[\"web\",\"alias\"],\"id\":\"" ID1 "\"}]",
	    "web");
	expect_podman_name(root, "[{\"id\":\"" ID1 "\",\"names\":[]}]", NULL);
	expect_podman_name(root, "[{\"id\":\"" ID1 "\"}]", NULL);
	expect_podman_name(root, "[{\"id\":\"" ID1 "\",\"names\":[1,\"n\"]}]",
	    "n");
	expect_podman_name(root, "[{\"id\":\"" ID2 "\",\"names\":[\"o\"]}]",
	    NULL);
	expect_podman_name(root, "[]", NULL);
	expect_podman_name(root, "{}", NULL);
	expect_podman_name(root, "", NULL);
	expect_podman_name(root, "[{\"id\":\"" ID1 "\",\"names\":[\"web\"]",
	    NULL);
	/* Torn (unterminated) documents are not trusted at all. */
	expect_podman_name(root, "[{\"id\":\"" ID1 "\",\"names\":[\"web\"]}",
	    NULL);
	expect_podman_name(root, "[{\"id\":\"" ID1 "\",\"names\":\"web\"}]",
	    NULL);
	expect_podman_name(root, "[{\"id\":\"" ID2 "\",\"names\":[\"o\"]},"
	    "garbage,{\"id\":\"" ID1 "\",\"names\":[\"web\"]}]", NULL);
}

/* The kubelet's log tree: pods by uid, containers by name and id. */
static void
k8s_tree(const char *root, int with_ctr_log)
{
	mkdirs(root, "var/log/pods/kube-system_coredns-5d_"
	    "11111111-2222-4333-8444-555555555555/coredns");
	mkdirs(root, "var/log/pods/default_nginx-7d_" UID "/nginx");
	mkdirs(root, "var/log/pods/default_nginx-7d_" UID "/sidecar");
	mkdirs(root, "var/log/containers");
	link_at(root, "var/log/containers/nginx-7d_default_sidecar-" ID2
	    ".log", "/var/log/pods/default_nginx-7d_" UID "/sidecar/0.log");
	if (with_ctr_log)
		link_at(root, "var/log/containers/nginx-7d_default_nginx-" ID1
		    ".log", "/var/log/pods/default_nginx-7d_" UID "/nginx/0.log");
}

static void
resolve_k8s_text(const char *root, const char *text, struct want *w,
    const char *label)
{
	struct nsf_container c;
	char *l;

	assert_int_equal(nsf_container_from_cgroup(text, &c), 1);
	nsf_container_resolve_name(&c, root);
	check(text, 1, &c, w);
	l = nsf_container_label(&c);
	assert_non_null(l);
	assert_string_equal(l, label);
	free(l);
	nsf_container_free(&c);
}

static void
test_resolve_k8s(void **state)
{
	const char *root = *state;
	struct want w = { .ret = 1, .engine = "kubernetes", .id = ID1,
	    .name = "nginx", .pod = "nginx-7d", .ns = "default",
	    .pod_uid = UID };

	k8s_tree(root, 1);
	resolve_k8s_text(root, "0::/kubepods.slice/kubepods-burstable.slice/"
	    "kubepods-burstable-pod" UID_ ".slice/cri-containerd-" ID1
	    ".scope\n", &w, "default/nginx-7d/nginx (kubernetes)");
	resolve_k8s_text(root, "0::/kubepods/besteffort/pod" UID "/" ID1
	    "\n", &w, "default/nginx-7d/nginx (kubernetes)");
	w.id = NULL;
	w.name = NULL;
	resolve_k8s_text(root, "0::/kubepods/besteffort/pod" UID "\n", &w,
	    "default/nginx-7d (kubernetes)");
}

static void
test_resolve_k8s_partial(void **state)
{
	const char *root = *state;
	struct want w = { .ret = 1, .engine = "kubernetes", .id = ID1,
	    .pod = "nginx-7d", .ns = "default", .pod_uid = UID };
	struct want unknown = { .ret = 1, .engine = "kubernetes", .id = ID1,
	    .pod = "99999999-2222-4333-8444-555555555555",
	    .pod_uid = "99999999-2222-4333-8444-555555555555" };

	/* the pod is known, the container's log link is not */
	k8s_tree(root, 0);
	resolve_k8s_text(root, "0::/kubepods/pod" UID "/" ID1 "\n", &w,
	    "default/nginx-7d/0123456789ab (kubernetes)");
	/* an unknown pod stays a uid */
	resolve_k8s_text(root, "0::/kubepods/pod"
	    "99999999-2222-4333-8444-555555555555/" ID1 "\n", &unknown,
	    "99999999-2222-4333-8444-555555555555/0123456789ab (kubernetes)");
}

/* CRI-O and dockershim keep the kubelet's k8s_ name in their own files. */
static void
test_resolve_k8s_from_engines(void **state)
{
	const char *root = *state;
	struct want w = { .ret = 1, .engine = "kubernetes", .id = ID1,
	    .name = "nginx", .pod = "nginx-7d", .ns = "default",
	    .pod_uid = UID };
	struct want crio = { .ret = 1, .engine = "cri-o", .id = ID1,
	    .name = "plain" };
	struct want conmon = { .ret = 1, .engine = "cri-o", .id = ID1,
	    .name = "nginx", .pod = "nginx-7d", .ns = "default",
	    .pod_uid = UID, .monitor = 1 };

	put(root, STORAGE, "[{\"id\":\"" ID1 "\",\"names\":[\"k8s_nginx_"
	    "nginx-7d_default_" UID "_0\"]}]");
	resolve_k8s_text(root, "0::/kubepods.slice/kubepods-burstable.slice/"
	    "kubepods-burstable-pod" UID_ ".slice/crio-" ID1 ".scope\n", &w,
	    "default/nginx-7d/nginx (kubernetes)");
	resolve_k8s_text(root, "0::/system.slice/crio-conmon-" ID1
	    ".scope\n", &conmon, "default/nginx-7d/nginx (cri-o monitor)");
	unlink_at(root, STORAGE);

	put(root, DOCKER_CFG, "{\"Name\":\"/k8s_nginx_nginx-7d_default_" UID
	    "_3\"}");
	resolve_k8s_text(root, "0::/kubepods/pod" UID "/" ID1 "\n", &w,
	    "default/nginx-7d/nginx (kubernetes)");
	unlink_at(root, DOCKER_CFG);

	put(root, STORAGE, "[{\"id\":\"" ID1 "\",\"names\":[\"plain\"]}]");
	resolve_k8s_text(root, "0::/system.slice/crio-" ID1 ".scope\n", &crio,
	    "plain (cri-o)");
}

/* Odd inputs to resolve: no crash, nothing invented. */
static void
test_resolve_edges(void **state)
{
	const char *root = *state;
	struct nsf_container c;
	char bad[600];

	nsf_container_resolve_name(NULL, root);
	memset(&c, 0, sizeof(c));
	nsf_container_resolve_name(&c, root);
	nsf_container_resolve_name(&c, NULL);

	/* the real root: whatever is there, no crash */
	assert_int_equal(nsf_container_from_cgroup("0::/docker/" ID1, &c), 1);
	nsf_container_resolve_name(&c, NULL);
	nsf_container_resolve_name(&c, "");
	nsf_container_free(&c);

	/* a root that does not exist */
	assert_int_equal(nsf_container_from_cgroup("0::/docker/" ID1, &c), 1);
	nsf_container_resolve_name(&c, "/nonexistent/nsfind/root");
	assert_null(c.name);
	nsf_container_free(&c);

	/* ids that are no ids do not become paths */
	put(root, "var/lib/docker/containers/x/config.v2.json",
	    "{\"Name\":\"/x\"}");
	c.engine = strdup("docker");
	c.id = strdup("../containers/x");
	nsf_container_resolve_name(&c, root);
	assert_null(c.name);
	nsf_container_free(&c);

	/* caller-made overlong fields are not cut into a wrong match */
	k8s_tree(root, 1);
	memset(bad, 'a', sizeof(bad) - 1);
	bad[sizeof(bad) - 1] = '\0';
	c.engine = strdup("kubernetes");
	c.id = strdup(ID1);
	c.pod = strdup(bad);
	c.k8s_namespace = strdup("default");
	nsf_container_resolve_name(&c, root);
	assert_null(c.name);
	nsf_container_free(&c);

	/* other engines keep what they have */
	assert_int_equal(nsf_container_from_cgroup("0::/lxc.payload.c1", &c),
	    1);
	nsf_container_resolve_name(&c, root);
	assert_string_equal(c.name, "c1");
	nsf_container_free(&c);
}

/*
 * Labels.
 */

static void
expect_label(const struct nsf_container *c, const char *want)
{
	char *l = nsf_container_label(c);

	if (!field_ok("label", "label", l, want))
		fail();
	free(l);
}

static void
test_label(void **state)
{
	struct nsf_container c = { 0 };

	(void)state;
	expect_label(NULL, NULL);
	expect_label(&c, NULL);
	c.unit = "ssh.service";
	expect_label(&c, "ssh.service");

	c = (struct nsf_container){ .engine = "docker", .id = ID1,
	    .name = "web-1" };
	expect_label(&c, "web-1 (docker)");
	c.name = NULL;
	expect_label(&c, "0123456789ab (docker)");
	c.id = NULL;
	expect_label(&c, "docker");

	c = (struct nsf_container){ .engine = "kubernetes", .id = ID1,
	    .name = "nginx", .pod = "nginx-7d", .k8s_namespace = "default" };
	expect_label(&c, "default/nginx-7d/nginx (kubernetes)");
	c.name = NULL;
	c.k8s_namespace = NULL;
	c.pod = UID;
	expect_label(&c, UID "/0123456789ab (kubernetes)");
	c.id = NULL;
	c.pod = NULL;
	expect_label(&c, "kubernetes");

	c = (struct nsf_container){ .engine = "containerd", .id = "redis",
	    .ctr_namespace = "default" };
	expect_label(&c, "default/redis (containerd)");
	c.ctr_namespace = NULL;
	expect_label(&c, "redis (containerd)");

	c = (struct nsf_container){ .engine = "podman", .id = ID1,
	    .monitor = 1 };
	expect_label(&c, "0123456789ab (podman monitor)");
	c = (struct nsf_container){ .engine = "lxc", .name = "c1",
	    .monitor = 1 };
	expect_label(&c, "c1 (lxc monitor)");
	c = (struct nsf_container){ .engine = "lxc", .monitor = 1 };
	expect_label(&c, "lxc monitor");

	c = (struct nsf_container){ .engine = "snap", .name = "lxd",
	    .id = "daemon" };
	expect_label(&c, "lxd.daemon (snap)");
	c.id = "lxd";
	expect_label(&c, "lxd (snap)");

	c = (struct nsf_container){ .engine = "chrome", .name = "renderer" };
	expect_label(&c, "renderer (chrome)");
	c = (struct nsf_container){ .engine = "mininet", .name = "h1" };
	expect_label(&c, "h1 (mininet)");
	c = (struct nsf_container){ .engine = "flatpak",
	    .name = "org.gnome.Calculator", .unit = "ignored.scope" };
	expect_label(&c, "org.gnome.Calculator (flatpak)");
}

/* Labels straight from parsed text, end to end. */
static void
test_label_from_cgroup(void **state)
{
	static const struct {
		const char *text, *label;
	} cases[] = {
		{ "0::/system.slice/ssh.service\n", "ssh.service" },
		{ "0::/user.slice/user-1000.slice/session-3.scope\n",
		    "session-3.scope" },
		{ "0::/system.slice/docker-" ID1 ".scope\n",
		    "0123456789ab (docker)" },
		{ "0::/machine.slice/machine-my\\x2dbox.scope\n",
		    "my-box (systemd-nspawn)" },
		{ "0::/system.slice/snap.lxd.daemon.service\n",
		    "lxd.daemon (snap)" },
		{ "0::/default/" ID1 "\n", "default/0123456789ab (containerd)" },
	};
	struct nsf_container c;
	size_t i;

	(void)state;
	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(nsf_container_from_cgroup(cases[i].text, &c),
		    1);
		expect_label(&c, cases[i].label);
		nsf_container_free(&c);
	}
}

static void
test_container_free(void **state)
{
	struct nsf_container c, zero;

	(void)state;
	memset(&zero, 0, sizeof(zero));
	nsf_container_free(NULL);
	assert_int_equal(nsf_container_from_ancestor("conmon",
	    ARGV("conmon\0-c\0" ID1 "\0-n\0k8s_a_b_c_" UID "_0\0"), &c), 1);
	nsf_container_free(&c);
	assert_memory_equal(&c, &zero, sizeof(c));
	nsf_container_free(&c);
	assert_memory_equal(&c, &zero, sizeof(c));
}

#define FIXTURE(t) cmocka_unit_test_setup_teardown(t, fixture_setup, \
	fixture_teardown)

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cgroup_docker),
		cmocka_unit_test(test_cgroup_hybrid),
		cmocka_unit_test(test_cgroup_containerd),
		cmocka_unit_test(test_cgroup_k8s_systemd),
		cmocka_unit_test(test_cgroup_k8s_cgroupfs),
		cmocka_unit_test(test_cgroup_k8s_nested),
		cmocka_unit_test(test_cgroup_crio),
		cmocka_unit_test(test_cgroup_podman),
		cmocka_unit_test(test_cgroup_lxc),
		cmocka_unit_test(test_cgroup_nspawn),
		cmocka_unit_test(test_cgroup_snap_flatpak),
		cmocka_unit_test(test_cgroup_units),
		cmocka_unit_test(test_cgroup_malformed),
		cmocka_unit_test(test_cgroup_edges),
		cmocka_unit_test(test_ancestor_shims),
		cmocka_unit_test(test_ancestor_conmon),
		cmocka_unit_test(test_ancestor_lxc_nspawn),
		cmocka_unit_test(test_ancestor_none),
		cmocka_unit_test(test_cmdline),
		FIXTURE(test_resolve_docker),
		FIXTURE(test_resolve_docker_hostile),
		FIXTURE(test_resolve_docker_escape),
		FIXTURE(test_resolve_fallback),
		FIXTURE(test_resolve_docker_snap_root),
		FIXTURE(test_resolve_cgroup_parent),
		FIXTURE(test_resolve_podman),
		FIXTURE(test_resolve_k8s),
		FIXTURE(test_resolve_k8s_partial),
		FIXTURE(test_resolve_k8s_from_engines),
		FIXTURE(test_resolve_edges),
		cmocka_unit_test(test_label),
		cmocka_unit_test(test_label_from_cgroup),
		cmocka_unit_test(test_container_free),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
