// SPDX-License-Identifier: GPL-2.0
/*
 * The hypercall page transport. CPUID leaf 0x40000002 announces one page and MSR
 * 0x40000000; a write of `gpa | index` to the MSR makes the VMM fill that guest page with
 * one 32-byte stub per hypercall number. A stub loads its number in EAX and writes it to
 * port XEN_HYPERCALL_PORT: a port-I/O exit, the transport that works on every KVM (a
 * `vmcall` does not exit to user space without KVM_CAP_XEN_HVM). The handler reads the
 * arguments with the ABI of the vCPU's current mode and returns the result in RAX.
 */
#include <errno.h>
#include <string.h>
#include <xen/errno.h>

#include "vmm/log.h"
#include "xen-emul/xen.h"

#define STUB_SIZE 32

/*
 * mov $nr, %eax ; out %eax, $XEN_HYPERCALL_PORT ; ret, then int3 padding. Identical
 * bytes in 32- and 64-bit code, and only EAX (RAX) changes, as with Xen's own stubs.
 */
static void write_stub(uint8_t *slot, uint32_t nr)
{
	memset(slot, 0xcc, STUB_SIZE);
	slot[0] = 0xb8;
	memcpy(&slot[1], &nr, 4);
	slot[5] = 0xe7;
	slot[6] = XEN_HYPERCALL_PORT;
	slot[7] = 0xc3;
}

/* Xen leaves HYPERVISOR_iret out of an HVM guest's page: its slot is ud2. */
static void write_iret_slot(uint8_t *slot)
{
	memset(slot, 0xcc, STUB_SIZE);
	slot[0] = 0x0f;
	slot[1] = 0x0b;
}

static int hypercall_msr(struct vcpu *vcpu, uint32_t index, bool is_write, uint64_t *val,
			 void *opaque)
{
	struct xen_domain *dom = opaque;
	uint64_t gpa = *val & ~(GUEST_PAGE_SIZE - 1);
	uint8_t *page;

	/* The MSR is write-only, and index 0 is the only page there is. */
	if (!is_write || (*val & (GUEST_PAGE_SIZE - 1)) >= XEN_HYPERCALL_PAGES)
		return -EINVAL;
	page = guest_mem_ptr(&dom->vm->mem, gpa, GUEST_PAGE_SIZE);
	if (!page) {
		log_once(LOG_WARN, "hypercall page at 0x%llx is not guest RAM",
			 (unsigned long long)gpa);
		return -EINVAL;
	}
	for (uint32_t nr = 0; nr < GUEST_PAGE_SIZE / STUB_SIZE; nr++) {
		if (nr == __HYPERVISOR_iret)
			write_iret_slot(page + nr * STUB_SIZE);
		else
			write_stub(page + nr * STUB_SIZE, nr);
	}
	log_debug("hypercall page written at 0x%llx by vCPU %u", (unsigned long long)gpa, vcpu->id);
	return 0;
}

static void decode_args(struct xen_call *call, const struct kvm_regs *r)
{
	if (call->is_64) {
		const uint64_t a[6] = { r->rdi, r->rsi, r->rdx, r->r10, r->r8, r->r9 };

		memcpy(call->args, a, sizeof(a));
	} else {
		const uint64_t a[6] = { (uint32_t)r->rbx, (uint32_t)r->rcx, (uint32_t)r->rdx,
					(uint32_t)r->rsi, (uint32_t)r->rdi, (uint32_t)r->rbp };

		memcpy(call->args, a, sizeof(a));
	}
}

void xen_call_store_args(const struct xen_call *call, struct kvm_regs *r)
{
	const uint64_t *a = call->args;

	if (call->is_64) {
		r->rdi = a[0], r->rsi = a[1], r->rdx = a[2], r->r10 = a[3], r->r8 = a[4],
		r->r9 = a[5];
		return;
	}
	r->rbx = (uint32_t)a[0], r->rcx = (uint32_t)a[1], r->rdx = (uint32_t)a[2];
	r->rsi = (uint32_t)a[3], r->rdi = (uint32_t)a[4], r->rbp = (uint32_t)a[5];
}

static int hypercall_port(struct vcpu *vcpu, uint16_t port, unsigned int size, bool is_write,
			  uint32_t *val, void *opaque)
{
	struct xen_call call = { .dom = opaque, .vcpu = vcpu };
	struct kvm_regs *regs;
	long ret;

	if (!is_write) {
		*val = 0xffffffff;
		return 0;
	}
	regs = vcpu_regs(vcpu);
	call.is_64 = vcpu_is_64bit(vcpu);
	call.cpl = vcpu_cpl(vcpu);
	vcpu_paging_ctx(vcpu, &call.paging);
	call.nr = call.is_64 ? regs->rax : (uint32_t)regs->rax;
	decode_args(&call, regs);
	ret = xen_hypercall_dispatch(&call);
	if (call.continuation) {
		/*
		 * Back to the stub's first byte (the page is page-aligned in every mapping):
		 * it loads the number again and exits with the new arguments. A changed RIP
		 * also keeps KVM from stepping past the `out` it exited on.
		 */
		regs->rip &= ~(uint64_t)(STUB_SIZE - 1);
		xen_call_store_args(&call, regs);
	} else {
		regs->rax = call.is_64 ? (uint64_t)ret : (uint32_t)ret;
	}
	vcpu_regs_dirty(vcpu);
	return 0;
}

int xen_hypercall_page_init(struct xen_domain *dom)
{
	int rc = vm_register_msr(dom->vm, XEN_HYPERCALL_MSR, hypercall_msr, dom);

	if (!rc)
		rc = vm_register_pio(dom->vm, XEN_HYPERCALL_PORT, 1, hypercall_port, dom);
	return rc;
}
