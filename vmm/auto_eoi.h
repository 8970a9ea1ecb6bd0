/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A vector the local APIC does not keep in service once delivered, so that the guest
 * need not EOI it: KVM's Hyper-V SynIC auto-EOI (KVM_CAP_HYPERV_SYNIC), see auto_eoi.c.
 */
#ifndef XENKVM_VMM_AUTO_EOI_H
#define XENKVM_VMM_AUTO_EOI_H

#include <stdbool.h>
#include <stdint.h>

struct vm;
struct vcpu;

/* Whether this KVM can do it (Linux built with CONFIG_KVM_HYPERV; not kvm_pvm). */
bool vm_has_auto_eoi(struct vm *vm);
/* Makes `vector` (0: none) auto-EOI on this vCPU; on its own thread. 0 or -errno. */
int vcpu_set_auto_eoi_vector(struct vcpu *v, uint8_t vector);

#endif
