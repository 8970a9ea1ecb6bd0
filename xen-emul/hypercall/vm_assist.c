// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_vm_assist for an HVM/PVH domain. Xen's do_vm_assist() takes (unsigned int
 * cmd, unsigned int type): a type outside the domain's valid mask is -EINVAL (for HVM
 * the mask is HVM_VM_ASSIST_MASK, runstate_update_flag alone), enable and disable set or
 * clear it, any other command is -ENOSYS. Linux enables VMASST_TYPE_runstate_update_flag
 * in xen_setup_runstate_info() and then reads other vCPUs' runstate areas (steal time)
 * under the XEN_RUNSTATE_UPDATE protocol.
 */
#include <stdint.h>
#include <xen/errno.h>
#include <xen/xen.h>

#include "xen-emul/transport/accel.h"
#include "xen-emul/xen.h"

#define HVM_VM_ASSIST_MASK (1ULL << VMASST_TYPE_runstate_update_flag)

long xen_do_vm_assist(struct xen_call *call)
{
	struct xen_domain *dom = call->dom;
	uint32_t cmd = (uint32_t)call->args[0], type = (uint32_t)call->args[1];
	uint64_t bits;

	if (type >= 64 || !(HVM_VM_ASSIST_MASK & (1ULL << type)))
		return -XEN_EINVAL;
	if (cmd != VMASST_CMD_enable && cmd != VMASST_CMD_disable)
		return -XEN_ENOSYS;
	pthread_mutex_lock(&dom->lock);
	if (cmd == VMASST_CMD_enable)
		dom->vm_assist |= 1ULL << type;
	else
		dom->vm_assist &= ~(1ULL << type);
	bits = dom->vm_assist;
	pthread_mutex_unlock(&dom->lock);
	if (type == VMASST_TYPE_runstate_update_flag && dom->accel &&
	    dom->accel->runstate_update_flag)
		dom->accel->runstate_update_flag(dom, bits & (1ULL << type));
	return 0;
}
