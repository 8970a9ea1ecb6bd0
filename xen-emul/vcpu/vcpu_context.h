/* SPDX-License-Identifier: GPL-2.0 */
/* The VCPUOP_initialise context of an HVM vCPU (xen/hvm/hvm_vcpu.h) turned into KVM state. */
#ifndef XENKVM_XEN_EMUL_VCPU_CONTEXT_H
#define XENKVM_XEN_EMUL_VCPU_CONTEXT_H

#include <linux/kvm.h>
#include <xen/hvm/hvm_vcpu.h>

/*
 * Checks `ctx` as Xen 4.17's arch_set_info_hvm_guest() does, against the CPUID table the
 * guest sees, and on success loads it into `regs` and `sregs` (which hold the vCPU's
 * current state: what the context does not name is kept). 0 or -XEN_EINVAL; `regs` and
 * `sregs` are untouched on error.
 */
long xen_vcpu_context_load(const struct vcpu_hvm_context *ctx, const struct kvm_cpuid2 *cpuid,
			   struct kvm_regs *regs, struct kvm_sregs *sregs);

#endif
