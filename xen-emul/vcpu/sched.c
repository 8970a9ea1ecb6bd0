// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_sched_op: yield, block, shutdown and shutdown_code as Xen 4.17 defines them
 * for a domU. A shutdown ends the VM with the exit status of the reason; as in Xen, a
 * reason recorded earlier with SCHEDOP_shutdown_code takes precedence.
 */
#include <stdint.h>
#include <sched.h>
#include <xen/errno.h>
#include <xen/sched.h>

#include "vmm/log.h"
#include "xen-emul/evtchn/evtchn.h"
#include "xen-emul/xen.h"

static int exit_status_for(unsigned int reason)
{
	switch (reason) {
	case SHUTDOWN_poweroff:
		return VM_EXIT_POWEROFF;
	case SHUTDOWN_reboot:
		return VM_EXIT_REBOOT;
	case SHUTDOWN_suspend:
		return VM_EXIT_SUSPEND;
	case SHUTDOWN_crash:
		return VM_EXIT_CRASH;
	case SHUTDOWN_watchdog:
		return VM_EXIT_WATCHDOG;
	case SHUTDOWN_soft_reset:
		return VM_EXIT_SOFT_RESET;
	default:
		/* libxl destroys a domain that stops for a reason it does not know. */
		log_warn("guest shut down with unknown reason %u: treated as a crash", reason);
		return VM_EXIT_CRASH;
	}
}

/* Xen keeps the reason as a u8 and the first recorded code wins; returns the one in force. */
static uint8_t record_shutdown_code(struct xen_domain *dom, unsigned int reason)
{
	uint8_t code;

	pthread_mutex_lock(&dom->vm->lock);
	if (dom->shutdown_code < 0)
		dom->shutdown_code = (uint8_t)reason;
	code = (uint8_t)dom->shutdown_code;
	pthread_mutex_unlock(&dom->vm->lock);
	return code;
}

void xen_domain_shutdown(struct xen_domain *dom, unsigned int reason)
{
	reason = record_shutdown_code(dom, reason);
	log_info("domain shutdown, reason %u", reason);
	vm_request_exit(dom->vm, exit_status_for(reason));
}

static long sched_shutdown(struct xen_call *call, bool code_only)
{
	struct sched_shutdown arg;

	if (xen_copy_from_guest(call, &arg, call->args[1], sizeof(arg)))
		return -XEN_EFAULT;
	if (code_only) {
		record_shutdown_code(call->dom, arg.reason);
		return 0;
	}
	log_info("vCPU %u: SCHEDOP_shutdown", call->vcpu->id);
	xen_domain_shutdown(call->dom, arg.reason);
	return 0;
}

static long sched_remote_shutdown(struct xen_call *call)
{
	struct sched_remote_shutdown arg;

	if (xen_copy_from_guest(call, &arg, call->args[1], sizeof(arg)))
		return -XEN_EFAULT;
	/* Xen looks the domain up first, then refuses a domU that is not its device model. */
	return arg.domain_id == call->dom->cfg.domid ? -XEN_EPERM : -XEN_ESRCH;
}

long xen_do_sched_op(struct xen_call *call)
{
	switch ((int)call->args[0]) {
	case SCHEDOP_yield:
		sched_yield();
		return 0;
	case SCHEDOP_block:
		return xen_evtchn_block(call);
	case SCHEDOP_poll:
		return xen_evtchn_poll(call);
	case SCHEDOP_shutdown:
		return sched_shutdown(call, false);
	case SCHEDOP_shutdown_code:
		return sched_shutdown(call, true);
	case SCHEDOP_remote_shutdown:
		return sched_remote_shutdown(call);
	case SCHEDOP_pin_override:
		return -XEN_EPERM; /* the hardware domain's only */
	default:
		return -XEN_ENOSYS;
	}
}
