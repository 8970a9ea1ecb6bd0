// SPDX-License-Identifier: GPL-2.0
/*
 * kvm-probe: is this machine's /dev/kvm usable for running guests? Opens it, checks the
 * API version, creates a VM with one page of RAM holding a real-mode "hlt", creates a
 * vCPU and runs it until it halts. Exits 0 and prints "usable" when all of that works,
 * else exits 1 with one line naming the step that failed (tests/run-suites then runs
 * the guest suites in the test host).
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#define PROBE_PAGE 4096

struct probe {
	int kvm, vm, vcpu;
	void *mem;
	struct kvm_run *run;
	size_t run_size;
	const char *why;
	int err;
};

/* fail: records the failed step and errno for the message. */
static int fail(struct probe *p, const char *why)
{
	p->why = why;
	p->err = errno;
	return -1;
}

static int probe_vm(struct probe *p)
{
	struct kvm_userspace_memory_region region = { 0 };
	int size;

	p->kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (p->kvm < 0)
		return fail(p, "cannot open /dev/kvm");
	if (ioctl(p->kvm, KVM_GET_API_VERSION, 0) != KVM_API_VERSION) {
		errno = EPROTO;
		return fail(p, "unexpected KVM API version");
	}
	p->vm = ioctl(p->kvm, KVM_CREATE_VM, 0);
	if (p->vm < 0)
		return fail(p, "KVM_CREATE_VM failed");
	p->mem = mmap(NULL, PROBE_PAGE, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p->mem == MAP_FAILED) {
		p->mem = NULL;
		return fail(p, "mmap of guest RAM failed");
	}
	memset(p->mem, 0xf4, PROBE_PAGE); /* hlt, wherever execution starts */
	region.memory_size = PROBE_PAGE;
	region.userspace_addr = (unsigned long)p->mem;
	if (ioctl(p->vm, KVM_SET_USER_MEMORY_REGION, &region) < 0)
		return fail(p, "KVM_SET_USER_MEMORY_REGION failed");
	size = ioctl(p->kvm, KVM_GET_VCPU_MMAP_SIZE, 0);
	if (size <= 0)
		return fail(p, "KVM_GET_VCPU_MMAP_SIZE failed");
	p->run_size = size;
	return 0;
}

static int probe_vcpu(struct probe *p)
{
	struct kvm_sregs sregs;
	struct kvm_regs regs = { 0 };

	p->vcpu = ioctl(p->vm, KVM_CREATE_VCPU, 0);
	if (p->vcpu < 0)
		return fail(p, "KVM_CREATE_VCPU failed");
	p->run = mmap(NULL, p->run_size, PROT_READ | PROT_WRITE, MAP_SHARED, p->vcpu, 0);
	if (p->run == MAP_FAILED) {
		p->run = NULL;
		return fail(p, "mmap of kvm_run failed");
	}
	if (ioctl(p->vcpu, KVM_GET_SREGS, &sregs) < 0)
		return fail(p, "KVM_GET_SREGS failed");
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	if (ioctl(p->vcpu, KVM_SET_SREGS, &sregs) < 0)
		return fail(p, "KVM_SET_SREGS failed");
	regs.rflags = 2;
	if (ioctl(p->vcpu, KVM_SET_REGS, &regs) < 0)
		return fail(p, "KVM_SET_REGS failed");
	if (ioctl(p->vcpu, KVM_RUN, 0) < 0)
		return fail(p, "KVM_RUN failed");
	if (p->run->exit_reason != KVM_EXIT_HLT) {
		errno = EPROTO;
		return fail(p, "the vCPU did not stop at its hlt");
	}
	return 0;
}

int main(void)
{
	struct probe p = { .kvm = -1, .vm = -1, .vcpu = -1 };
	int ret;

	/* A vCPU that never halts must not hang make check. */
	alarm(10);
	ret = probe_vm(&p);
	if (!ret)
		ret = probe_vcpu(&p);
	if (ret)
		printf("not usable: %s: %s\n", p.why, strerror(p.err));
	else
		printf("usable\n");
	if (p.run)
		munmap(p.run, p.run_size);
	if (p.mem)
		munmap(p.mem, PROBE_PAGE);
	if (p.vcpu >= 0)
		close(p.vcpu);
	if (p.vm >= 0)
		close(p.vm);
	if (p.kvm >= 0)
		close(p.kvm);
	return ret ? 1 : 0;
}
