// SPDX-License-Identifier: GPL-2.0
/*
 * Auto-EOI vectors through KVM's Hyper-V SynIC. When an unmasked synthetic-interrupt
 * source register (SINTx) names a vector with its auto-EOI bit, KVM acknowledges that
 * vector as it delivers it, whatever raised it: kvm_get_apic_interrupt() leaves it out
 * of the in-service register, so the processor priority is not raised and nothing waits
 * for an EOI. An MSI of that vector then behaves like Xen's direct injection of the
 * HVM_PARAM_CALLBACK_IRQ vector. The guest is not shown Hyper-V (its CPUID stays Xen's);
 * the registers are written by the VMM (host-initiated writes need no Hyper-V CPUID), and
 * SINT0 alone is used.
 */
#include <errno.h>
#include <sys/ioctl.h>

#include "vmm/auto_eoi.h"
#include "vmm/vm.h"

#define HV_X64_MSR_SINT0 0x40000090u
#define HV_SYNIC_SINT_MASKED (1ULL << 16)
#define HV_SYNIC_SINT_AUTO_EOI (1ULL << 17)
#define HV_SYNIC_FIRST_VALID_VECTOR 16

bool vm_has_auto_eoi(struct vm *vm)
{
	return vm->vm_fd >= 0 && vm_check_extension(vm, KVM_CAP_HYPERV_SYNIC) > 0;
}

int vcpu_set_auto_eoi_vector(struct vcpu *v, uint8_t vector)
{
	struct {
		struct kvm_msrs hdr;
		struct kvm_msr_entry entry;
	} msrs = { .hdr.nmsrs = 1, .entry.index = HV_X64_MSR_SINT0 };

	if (!v->synic_enabled) {
		struct kvm_enable_cap cap = { .cap = KVM_CAP_HYPERV_SYNIC };

		if (ioctl(v->fd, KVM_ENABLE_CAP, &cap) < 0)
			return -errno;
		v->synic_enabled = true;
	}
	msrs.entry.data = vector >= HV_SYNIC_FIRST_VALID_VECTOR ?
				  (uint64_t)vector | HV_SYNIC_SINT_AUTO_EOI :
				  HV_SYNIC_SINT_MASKED;
	if (ioctl(v->fd, KVM_SET_MSRS, &msrs) != 1)
		return -EIO;
	return 0;
}
