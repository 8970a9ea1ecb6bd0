// SPDX-License-Identifier: GPL-2.0
/* The FIFO event-channel ABI. Not implemented yet: guests fall back to 2-level. */
#include <stdint.h>
#include <xen/errno.h>

#include "xen-emul/evtchn.h"

long xen_evtchn_fifo_init_control(struct xen_call *call, struct evtchn_init_control *ic)
{
	return -XEN_ENOSYS;
}

long xen_evtchn_fifo_expand_array(struct xen_call *call, struct evtchn_expand_array *ea)
{
	return -XEN_ENOSYS;
}

long xen_evtchn_fifo_set_priority(struct xen_domain *dom, struct evtchn_set_priority *sp)
{
	return -XEN_ENOSYS;
}

void xen_evtchn_fifo_destroy(struct xen_domain *dom)
{
}
