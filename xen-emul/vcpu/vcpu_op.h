/* SPDX-License-Identifier: GPL-2.0 */
/* The VCPUOP_* handlers vcpu_op.c dispatches to; `target` exists (id checked). */
#ifndef XENKVM_XEN_EMUL_VCPU_OP_H
#define XENKVM_XEN_EMUL_VCPU_OP_H

#include "xen-emul/xen.h"

/* vcpu_info.c */
long xen_vcpu_info_register(struct xen_call *call, struct xen_vcpu *target, uint64_t arg);
/* vcpu_time_area.c */
long xen_vcpu_time_area_register(struct xen_call *call, struct xen_vcpu *target, uint64_t arg);
/* runstate.c */
long xen_runstate_register(struct xen_call *call, struct xen_vcpu *target, uint64_t arg);
long xen_runstate_get(struct xen_call *call, struct xen_vcpu *target, uint64_t arg);
/* Hooks the VM's pause (vm_pause()) to the runstate: a paused vCPU is offline, as on Xen. */
void xen_runstate_pause_hook(struct xen_domain *dom);
/* timer.c */
long xen_timer_vcpu_op(struct xen_call *call, int cmd, struct xen_vcpu *target, uint64_t arg);
/* vcpu_hotplug.c: VCPUOP_initialise, up, down, is_up */
long xen_vcpu_hotplug_op(struct xen_call *call, int cmd, struct xen_vcpu *target, uint64_t arg);
/* Keeps is_up/initialised true to vCPUs the guest starts and stops with INIT/SIPI. */
void xen_vcpu_hotplug_init(struct xen_domain *dom);

#endif
