// SPDX-License-Identifier: GPL-2.0
/*
 * The raw-KVM floor for the boot benchmark: create a VM with 2 MiB of RAM and one vCPU,
 * install the supported CPUID table (required on these hosts), run a real-mode HLT, exit.
 * Nothing a VMM can do to start a guest is cheaper than this.
 */
#include <fcntl.h>
#include <stdint.h>
#include <linux/kvm.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

static int die(const char *what)
{
	perror(what);
	return 1;
}

static int set_cpuid(int kvm, int vcpu)
{
	struct kvm_cpuid2 *t = calloc(1, sizeof(*t) + 256 * sizeof(t->entries[0]));
	int rc;

	t->nent = 256;
	rc = ioctl(kvm, KVM_GET_SUPPORTED_CPUID, t);
	if (!rc)
		rc = ioctl(vcpu, KVM_SET_CPUID2, t);
	free(t);
	return rc;
}

int main(void)
{
	int kvm = open("/dev/kvm", O_RDWR | O_CLOEXEC), vm, vcpu;
	size_t ram = 2 << 20;
	uint8_t *mem;
	struct kvm_run *run;
	struct kvm_sregs sregs;
	struct kvm_regs regs = { .rip = 0x1000, .rflags = 0x2 };

	if (kvm < 0)
		return die("/dev/kvm");
	vm = ioctl(kvm, KVM_CREATE_VM, 0);
	mem = mmap(NULL, ram, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
	if (vm < 0 || mem == MAP_FAILED)
		return die("KVM_CREATE_VM");
	mem[0x1000] = 0xf4; /* hlt */
	struct kvm_userspace_memory_region slot = { .memory_size = ram,
						    .userspace_addr = (uintptr_t)mem };
	if (ioctl(vm, KVM_SET_USER_MEMORY_REGION, &slot) < 0)
		return die("KVM_SET_USER_MEMORY_REGION");
	vcpu = ioctl(vm, KVM_CREATE_VCPU, 0);
	if (vcpu < 0 || set_cpuid(kvm, vcpu) < 0)
		return die("vCPU");
	run = mmap(NULL, (size_t)ioctl(kvm, KVM_GET_VCPU_MMAP_SIZE, 0), PROT_READ | PROT_WRITE,
		   MAP_SHARED, vcpu, 0);
	ioctl(vcpu, KVM_GET_SREGS, &sregs);
	sregs.cs.base = 0;
	sregs.cs.selector = 0;
	ioctl(vcpu, KVM_SET_SREGS, &sregs);
	ioctl(vcpu, KVM_SET_REGS, &regs);
	if (ioctl(vcpu, KVM_RUN, 0) < 0)
		return die("KVM_RUN");
	if (run->exit_reason != KVM_EXIT_HLT) {
		fprintf(stderr, "kvm_floor: exit reason %u, expected HLT\n", run->exit_reason);
		return 1;
	}
	return 0;
}
