// SPDX-License-Identifier: GPL-2.0
/* Temporary: the parts of issue 4 not written yet answer -ENOSYS. */
#include <stdint.h>
#include <xen/errno.h>

#include "xen-emul/evtchn.h"
#include "xen-emul/shared_info.h"
#include "xen-emul/vcpu_op.h"



long xen_runstate_register(struct xen_call *call, struct xen_vcpu *target, uint64_t arg)
{
	return -XEN_ENOSYS;
}

long xen_runstate_get(struct xen_call *call, struct xen_vcpu *target, uint64_t arg)
{
	return -XEN_ENOSYS;
}

long xen_timer_vcpu_op(struct xen_call *call, int cmd, struct xen_vcpu *target, uint64_t arg)
{
	return -XEN_ENOSYS;
}




long xen_do_set_timer_op(struct xen_call *call)
{
	return -XEN_ENOSYS;
}
