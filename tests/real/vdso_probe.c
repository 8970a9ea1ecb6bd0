// SPDX-License-Identifier: GPL-2.0
/*
 * vdso_probe: whether clock_gettime() is answered without entering the kernel, that is by
 * the vDSO (on a Xen guest with the xen clocksource: the pvclock page Linux registered
 * with VCPUOP_register_vcpu_time_memory_area, used while PVCLOCK_TSC_STABLE_BIT is set).
 * A seccomp filter makes the clock_gettime system call fail with ENOSYS, so a call that
 * still succeeds never made it. Prints "vdso", "syscall", or "unknown (why)". Static, for
 * the busybox initramfs of tests/real.
 */
#include <errno.h>
#include <linux/audit.h>
#include <linux/filter.h>
#include <linux/seccomp.h>
#include <stddef.h>
#include <stdio.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <time.h>
#include <unistd.h>

static int refuse_clock_gettime(void)
{
	struct sock_filter filter[] = {
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, AUDIT_ARCH_X86_64, 1, 0),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
		BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr)),
		BPF_JUMP(BPF_JMP | BPF_JEQ | BPF_K, __NR_clock_gettime, 0, 1),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ERRNO | ENOSYS),
		BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW),
	};
	struct sock_fprog prog = { .len = sizeof(filter) / sizeof(filter[0]), .filter = filter };

	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	return prctl(PR_SET_SECCOMP, SECCOMP_MODE_FILTER, &prog) ? -errno : 0;
}

int main(void)
{
	struct timespec a, b;
	int rc = refuse_clock_gettime();

	if (rc) {
		printf("unknown (seccomp: %d)\n", rc);
		return 1;
	}
	/* The filter is in force: the system call itself fails. */
	if (syscall(__NR_clock_gettime, CLOCK_MONOTONIC, &a) == 0) {
		printf("unknown (the filter let clock_gettime through)\n");
		return 1;
	}
	if (clock_gettime(CLOCK_MONOTONIC, &a) || clock_gettime(CLOCK_MONOTONIC, &b)) {
		printf("syscall\n");
		return 0;
	}
	printf(b.tv_sec > a.tv_sec || (b.tv_sec == a.tv_sec && b.tv_nsec >= a.tv_nsec) ?
		       "vdso\n" :
		       "unknown (the clock went back)\n");
	return 0;
}
