// SPDX-License-Identifier: GPL-2.0
/*
 * The image reader's confinement (reader.h): another user for good, no way back through
 * set-id programs, and a seccomp filter allowing only what reading an open image and
 * answering through open descriptors needs. Anything else fails with EPERM rather than
 * killing the reader, so a library that probes (a locale file, the time) still works.
 */
#include <errno.h>
#include <grp.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <pwd.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "toolstack/image/errmsg.h"
#include "toolstack/image/reader.h"

#define NOBODY_FALLBACK 65534

static const int allowed[] = {
	SYS_read,    SYS_pread64,	SYS_write,	  SYS_pwrite64,	      SYS_lseek,
	SYS_fstat,   SYS_newfstatat,	SYS_close,	  SYS_mmap,	      SYS_munmap,
	SYS_mremap,  SYS_brk,		SYS_madvise,	  SYS_mprotect,	      SYS_futex,
	SYS_exit,    SYS_exit_group,	SYS_rt_sigreturn, SYS_rt_sigprocmask, SYS_getpid,
	SYS_gettid,  SYS_tgkill,	SYS_getuid,	  SYS_geteuid,	      SYS_getgid,
	SYS_getegid, SYS_clock_gettime, SYS_getrandom,	  SYS_ftruncate,      SYS_sigaltstack,
};

static int install_filter(void)
{
	enum { N = sizeof(allowed) / sizeof(allowed[0]), DENY = 4 + N, ALLOW = DENY + 1 };
	struct sock_filter prog[ALLOW + 1];
	struct sock_fprog fprog = { .len = ALLOW + 1, .filter = prog };

	/* x86-64 system calls only (no 32-bit entry around the list), then the number. */
	prog[0] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					       offsetof(struct seccomp_data, arch));
	prog[1] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0);
	prog[2] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_KILL_PROCESS);
	prog[3] = (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS,
					       offsetof(struct seccomp_data, nr));
	for (int i = 0; i < N; i++)
		prog[4 + i] = (struct sock_filter)BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, allowed[i],
							   ALLOW - (4 + i) - 1, 0);
	prog[DENY] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | EPERM);
	prog[ALLOW] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &fprog) ? -errno : 0;
}

/* The uid to become: the one asked for, else nobody when root, else stay. */
static bool target_uid(const struct img_reader_opts *o, uid_t *uid, gid_t *gid)
{
	const struct passwd *pw;

	if (o->set_uid) {
		*uid = o->uid;
		*gid = o->uid; /* as pygrub's --runas: the one id for both */
		return true;
	}
	if (geteuid() != 0)
		return false;
	pw = getpwnam("nobody");
	*uid = pw ? pw->pw_uid : NOBODY_FALLBACK;
	*gid = pw ? pw->pw_gid : NOBODY_FALLBACK;
	return true;
}

int img_reader_confine(const struct img_reader_opts *o, char *err, size_t errlen)
{
	struct rlimit none = { 0, 0 };
	uid_t uid;
	gid_t gid;
	int rc;

	if (target_uid(o, &uid, &gid) &&
	    (setgroups(0, NULL) || setresgid(gid, gid, gid) || setresuid(uid, uid, uid)))
		return img_err(err, errlen, -errno, "image reader: cannot become uid %u: %s",
			       (unsigned int)uid, strerror(errno));
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) || setrlimit(RLIMIT_CORE, &none) ||
	    setrlimit(RLIMIT_NPROC, &none))
		return img_err(err, errlen, -errno, "image reader: %s", strerror(errno));
	rc = install_filter();
	return rc ? img_err(err, errlen, rc, "image reader: seccomp: %s", strerror(-rc)) : 0;
}
