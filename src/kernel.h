/*
 * kernel.h - kernel interfaces that Debian 12's 6.1 UAPI headers lack.
 *
 * Every definition is guarded so that newer headers win.  Support is
 * always detected at run time (ENOSYS, ENOTTY, EINVAL), never here.
 * Values are for x86_64, checked against a 6.18 kernel.
 */
#ifndef NSFIND_KERNEL_H
#define NSFIND_KERNEL_H

#include <stdint.h>
#include <sys/ioctl.h>
#include <linux/types.h>

/* CLONE_NEW* bits, as NS_GET_NSTYPE returns them. */
#ifndef CLONE_NEWTIME
#define CLONE_NEWTIME		0x00000080
#endif
#ifndef CLONE_NEWNS
#define CLONE_NEWNS		0x00020000
#endif
#ifndef CLONE_NEWCGROUP
#define CLONE_NEWCGROUP		0x02000000
#endif
#ifndef CLONE_NEWUTS
#define CLONE_NEWUTS		0x04000000
#endif
#ifndef CLONE_NEWIPC
#define CLONE_NEWIPC		0x08000000
#endif
#ifndef CLONE_NEWUSER
#define CLONE_NEWUSER		0x10000000
#endif
#ifndef CLONE_NEWPID
#define CLONE_NEWPID		0x20000000
#endif
#ifndef CLONE_NEWNET
#define CLONE_NEWNET		0x40000000
#endif

/* nsfs */
#ifndef NSFS_MAGIC
#define NSFS_MAGIC		0x6e736673
#endif
#define NSIO			0xb7
#ifndef NS_GET_USERNS
#define NS_GET_USERNS		_IO(NSIO, 0x1)
#endif
#ifndef NS_GET_PARENT
#define NS_GET_PARENT		_IO(NSIO, 0x2)
#endif
#ifndef NS_GET_NSTYPE
#define NS_GET_NSTYPE		_IO(NSIO, 0x3)
#endif
#ifndef NS_GET_OWNER_UID
#define NS_GET_OWNER_UID	_IO(NSIO, 0x4)
#endif
#ifndef NS_GET_MNTNS_ID
#define NS_GET_MNTNS_ID		_IOR(NSIO, 0x5, __u64)
#endif
#ifndef NS_MNT_GET_INFO
struct mnt_ns_info {
	__u32 size;
	__u32 nr_mounts;
	__u64 mnt_ns_id;
};
#define NS_MNT_GET_INFO		_IOR(NSIO, 10, struct mnt_ns_info)
#define NS_MNT_GET_NEXT		_IOR(NSIO, 11, struct mnt_ns_info)
#define NS_MNT_GET_PREV		_IOR(NSIO, 12, struct mnt_ns_info)
#endif
#ifndef NS_GET_ID
#define NS_GET_ID		_IOR(NSIO, 13, __u64)
#endif

/* The kernel's fixed inodes of the initial namespaces (PROC_*_INIT_INO). */
#define PROC_IPC_INIT_INO	0xEFFFFFFFU
#define PROC_UTS_INIT_INO	0xEFFFFFFEU
#define PROC_USER_INIT_INO	0xEFFFFFFDU
#define PROC_PID_INIT_INO	0xEFFFFFFCU
#define PROC_CGROUP_INIT_INO	0xEFFFFFFBU
#define PROC_TIME_INIT_INO	0xEFFFFFFAU
#define PROC_NET_INIT_INO	0xEFFFFFF9U	/* 6.18+ */
#define PROC_MNT_INIT_INO	0xEFFFFFF8U	/* 6.18+ */

/* listmount / statmount (6.8+) */
#ifndef SYS_statmount
#define SYS_statmount		457
#endif
#ifndef SYS_listmount
#define SYS_listmount		458
#endif
#ifndef LSMT_ROOT
#define LSMT_ROOT		0xffffffffffffffffULL
#endif

struct nsf_mnt_id_req {
	__u32 size;
	__u32 mnt_ns_fd;
	__u64 mnt_id;
	__u64 param;
	__u64 mnt_ns_id;
};
#define NSF_MNT_ID_REQ_SIZE_VER0 24
#define NSF_MNT_ID_REQ_SIZE_VER1 32

#define NSF_STATMOUNT_SB_BASIC		0x00000001U
#define NSF_STATMOUNT_MNT_BASIC		0x00000002U
#define NSF_STATMOUNT_PROPAGATE_FROM	0x00000004U
#define NSF_STATMOUNT_MNT_ROOT		0x00000008U
#define NSF_STATMOUNT_MNT_POINT		0x00000010U
#define NSF_STATMOUNT_FS_TYPE		0x00000020U
#define NSF_STATMOUNT_MNT_NS_ID		0x00000040U
#define NSF_STATMOUNT_MNT_OPTS		0x00000080U
#define NSF_STATMOUNT_SB_SOURCE		0x00000200U

/* struct statmount as of 6.18: 512 bytes before str[]. */
struct nsf_statmount {
	__u32 size;
	__u32 mnt_opts;
	__u64 mask;
	__u32 sb_dev_major;
	__u32 sb_dev_minor;
	__u64 sb_magic;
	__u32 sb_flags;
	__u32 fs_type;
	__u64 mnt_id;
	__u64 mnt_parent_id;
	__u32 mnt_id_old;
	__u32 mnt_parent_id_old;
	__u64 mnt_attr;
	__u64 mnt_propagation;
	__u64 mnt_peer_group;
	__u64 mnt_master;
	__u64 propagate_from;
	__u32 mnt_root;
	__u32 mnt_point;
	__u64 mnt_ns_id;
	__u32 fs_subtype;
	__u32 sb_source;
	__u32 opt_num;
	__u32 opt_array;
	__u32 opt_sec_num;
	__u32 opt_sec_array;
	__u64 supported_mask;
	__u32 mnt_uidmap_num;
	__u32 mnt_uidmap;
	__u32 mnt_gidmap_num;
	__u32 mnt_gidmap;
	__u64 __spare2[43];
	char str[];
};
_Static_assert(sizeof(struct nsf_statmount) == 512, "statmount layout");

/* nsfs file handles (6.18) */
#define NSF_FILEID_NSFS		0xf1
#define NSF_FD_NSFS_ROOT	(-10003)
struct nsf_nsfs_file_handle {
	__u64 ns_id;
	__u32 ns_type;
	__u32 ns_inum;
};

/* listns(2) (6.19+) */
#ifndef SYS_listns
#define SYS_listns		470
#endif
struct nsf_ns_id_req {
	__u32 size;
	__u32 spare;
	__u64 ns_id;
	__u32 ns_type;
	__u32 spare2;
	__u64 user_ns_id;
};

/* pidfds */
#ifndef SYS_pidfd_open
#define SYS_pidfd_open		434
#endif
#ifndef SYS_pidfd_getfd
#define SYS_pidfd_getfd		438
#endif
#define PIDFS_IOCTL_MAGIC	0xFF
#define NSF_PIDFD_GET_CGROUP_NAMESPACE		_IO(PIDFS_IOCTL_MAGIC, 1)
#define NSF_PIDFD_GET_IPC_NAMESPACE		_IO(PIDFS_IOCTL_MAGIC, 2)
#define NSF_PIDFD_GET_MNT_NAMESPACE		_IO(PIDFS_IOCTL_MAGIC, 3)
#define NSF_PIDFD_GET_NET_NAMESPACE		_IO(PIDFS_IOCTL_MAGIC, 4)
#define NSF_PIDFD_GET_PID_NAMESPACE		_IO(PIDFS_IOCTL_MAGIC, 5)
#define NSF_PIDFD_GET_PID_FOR_CHILDREN_NAMESPACE _IO(PIDFS_IOCTL_MAGIC, 6)
#define NSF_PIDFD_GET_TIME_NAMESPACE		_IO(PIDFS_IOCTL_MAGIC, 7)
#define NSF_PIDFD_GET_TIME_FOR_CHILDREN_NAMESPACE _IO(PIDFS_IOCTL_MAGIC, 8)
#define NSF_PIDFD_GET_USER_NAMESPACE		_IO(PIDFS_IOCTL_MAGIC, 9)
#define NSF_PIDFD_GET_UTS_NAMESPACE		_IO(PIDFS_IOCTL_MAGIC, 10)

/* sockets and tun */
#ifndef SIOCGSKNS
#define SIOCGSKNS		0x894C
#endif
#ifndef TUNGETDEVNETNS
#define TUNGETDEVNETNS		_IO('T', 227)
#endif

/* rtnetlink netns ids */
#ifndef RTM_NEWNSID
#define RTM_NEWNSID		88
#define RTM_DELNSID		89
#define RTM_GETNSID		90
#endif
#ifndef NETNSA_NSID
#define NETNSA_NONE		0
#define NETNSA_NSID		1
#define NETNSA_PID		2
#define NETNSA_FD		3
#define NETNSA_TARGET_NSID	4
#define NETNSA_CURRENT_NSID	5
#endif
#ifndef IFLA_LINK_NETNSID
#define IFLA_LINK_NETNSID	37
#endif
#ifndef IFLA_TARGET_NETNSID
#define IFLA_TARGET_NETNSID	46
#endif

#endif /* NSFIND_KERNEL_H */
