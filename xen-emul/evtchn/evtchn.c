// SPDX-License-Identifier: GPL-2.0
/*
 * Event-channel core: the port table, pending/notify through the current ABI, upcall
 * injection, VIRQs, host ends and the blocking hypercalls. The guest-facing operations
 * are in evtchn_op.c, the ABIs in evtchn_2l.c and evtchn_fifo.c.
 */
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <xen/errno.h>
#include <xen/sched.h>

#include "vmm/log.h"
#include "xen-emul/transport/accel.h"
#include "xen-emul/evtchn/evtchn.h"
#include "xen-emul/time/time.h"

/* The VM stops: vCPUs blocked in SCHEDOP_block/poll return now, not at their slice's end. */
static void wake_on_stop(void *opaque)
{
	struct xen_domain *dom = opaque;

	xen_evtchn_lock(dom);
	pthread_cond_broadcast(&dom->evtchn->wake);
	xen_evtchn_unlock(dom);
}

int xen_evtchn_init(struct xen_domain *dom, uint32_t max_port)
{
	struct xen_evtchn *ev = calloc(1, sizeof(*ev));
	pthread_condattr_t attr;

	if (!ev)
		return -ENOMEM;
	ev->max_port = max_port;
	ev->ports = calloc(max_port + 1, sizeof(*ev->ports));
	ev->virq_port = calloc(dom->nr_vcpus, sizeof(*ev->virq_port));
	if (!ev->ports || !ev->virq_port) {
		free(ev->ports);
		free(ev->virq_port);
		free(ev);
		return -ENOMEM;
	}
	pthread_mutex_init(&ev->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC);
	pthread_cond_init(&ev->wake, &attr);
	pthread_condattr_destroy(&attr);
	ev->ports[0].reserved = true; /* port 0 is never handed out, as in Xen */
	ev->abi = &xen_evtchn_2l_abi;
	dom->evtchn = ev;
	vm_set_stop_notify(dom->vm, wake_on_stop, dom);
	return 0;
}

void xen_evtchn_destroy(struct xen_domain *dom)
{
	struct xen_evtchn *ev = dom->evtchn;

	if (!ev)
		return;
	vm_set_stop_notify(dom->vm, NULL, NULL);
	xen_evtchn_fifo_destroy(dom);
	free(ev->ports);
	free(ev->virq_port);
	pthread_mutex_destroy(&ev->lock);
	pthread_cond_destroy(&ev->wake);
	free(ev);
	dom->evtchn = NULL;
}

void xen_evtchn_lock(struct xen_domain *dom)
{
	pthread_mutex_lock(&dom->evtchn->lock);
}

void xen_evtchn_unlock(struct xen_domain *dom)
{
	pthread_mutex_unlock(&dom->evtchn->lock);
}

struct xen_evtchn_port *xen_evtchn_port(struct xen_domain *dom, evtchn_port_t port)
{
	struct xen_evtchn *ev = dom->evtchn;

	if (port > ev->max_port || port >= ev->abi->max_ports)
		return NULL;
	return &ev->ports[port];
}

/* The lowest free port that is not busy, as Xen's get_free_port(). */
int xen_evtchn_alloc_port(struct xen_domain *dom, evtchn_port_t *port)
{
	struct xen_evtchn *ev = dom->evtchn;

	for (evtchn_port_t p = 0; p <= ev->max_port && p < ev->abi->max_ports; p++) {
		struct xen_evtchn_port *e = &ev->ports[p];

		if (e->reserved || e->state != EVTCHNSTAT_closed)
			continue;
		if (ev->abi->is_busy && ev->abi->is_busy(dom, p))
			continue;
		*e = (struct xen_evtchn_port){ .priority = EVTCHN_FIFO_PRIORITY_DEFAULT };
		*port = p;
		return 0;
	}
	return -XEN_ENOSPC;
}

/* Frees a port: its pending state goes too (Xen's evtchn_free). */
void xen_evtchn_free_port(struct xen_domain *dom, evtchn_port_t port)
{
	struct xen_evtchn *ev = dom->evtchn;

	ev->abi->clear_pending(dom, port);
	ev->ports[port] = (struct xen_evtchn_port){ 0 };
}

/*
 * Xen asserts the callback vector at every VM entry while evtchn_upcall_pending is set;
 * an MSI per notification gives the guest the same: the local APIC coalesces repeats.
 */
void xen_evtchn_vcpu_notify(struct xen_domain *dom, unsigned int vcpu)
{
	struct vcpu_info *vi = __atomic_load_n(&dom->vcpus[vcpu].vcpu_info, __ATOMIC_ACQUIRE);

	if (vi)
		__atomic_store_n(&vi->evtchn_upcall_pending, 1, __ATOMIC_SEQ_CST);
	dom->accel->upcall(dom, vcpu);
	pthread_cond_broadcast(&dom->evtchn->wake);
}

void xen_evtchn_set_pending(struct xen_domain *dom, evtchn_port_t port)
{
	dom->evtchn->abi->set_pending(dom, port);
	/* Pollers wait on ports, pending or masked: wake them whatever the ABI did. */
	pthread_cond_broadcast(&dom->evtchn->wake);
}

void xen_evtchn_mark_all_pending(struct xen_domain *dom, struct xen_vcpu *xv)
{
	struct vcpu_info *vi = xv->vcpu_info;

	if (!vi)
		return;
	__atomic_store_n(&vi->evtchn_pending_sel, ~(xen_ulong_t)0, __ATOMIC_SEQ_CST);
	xen_evtchn_vcpu_notify(dom, xv->id);
}

void xen_evtchn_send_virq(struct xen_domain *dom, unsigned int vcpu, unsigned int virq)
{
	struct xen_evtchn *ev = dom->evtchn;
	evtchn_port_t port;

	pthread_mutex_lock(&ev->lock);
	port = ev->virq_port[vcpu][virq];
	if (port)
		xen_evtchn_set_pending(dom, port);
	pthread_mutex_unlock(&ev->lock);
}

int xen_evtchn_alloc_unbound_host(struct xen_domain *dom, evtchn_port_t *port)
{
	int rc;

	xen_evtchn_lock(dom);
	rc = xen_evtchn_alloc_port(dom, port);
	if (!rc) {
		dom->evtchn->ports[*port].state = EVTCHNSTAT_unbound;
		dom->evtchn->ports[*port].remote_dom = XEN_EVTCHN_HOST_DOMID;
	}
	xen_evtchn_unlock(dom);
	return rc;
}

/* What dom0 does with EVTCHNOP_bind_interdomain on a port the guest left unbound to it. */
int xen_evtchn_bind_host(struct xen_domain *dom, evtchn_port_t port, xen_evtchn_host_fn fn,
			 void *opaque)
{
	struct xen_evtchn_port *e;
	int rc = -EINVAL;

	xen_evtchn_lock(dom);
	e = xen_evtchn_port(dom, port);
	if (e && e->state == EVTCHNSTAT_unbound && e->remote_dom == XEN_EVTCHN_HOST_DOMID) {
		e->state = EVTCHNSTAT_interdomain;
		e->host_fn = fn;
		e->host_opaque = opaque;
		rc = 0;
	}
	xen_evtchn_unlock(dom);
	return rc;
}

void xen_evtchn_host_eventfd(struct xen_domain *dom, evtchn_port_t port, void *opaque)
{
}

int xen_evtchn_bind_host_eventfd(struct xen_domain *dom, evtchn_port_t port, int fd, void *owner)
{
	uint64_t one = 1;
	struct xen_evtchn_port *e;
	int rc = -EINVAL;

	if (fd < 0)
		return -EBADF;
	xen_evtchn_lock(dom);
	e = xen_evtchn_port(dom, port);
	if (e && e->state == EVTCHNSTAT_unbound && e->remote_dom == XEN_EVTCHN_HOST_DOMID) {
		e->state = EVTCHNSTAT_interdomain;
		e->host_fn = xen_evtchn_host_eventfd;
		e->host_opaque = owner;
		e->host_fd = fd;
		xen_accel_port_changed(dom, port);
		/*
		 * Xen's bind_interdomain sets the binder's new port pending: a send to the
		 * unbound port may have been lost. The binder's end here is the eventfd.
		 */
		if (write(fd, &one, sizeof(one)) != sizeof(one))
			log_once(LOG_WARN, "event channel host end: eventfd write failed");
		rc = 0;
	}
	xen_evtchn_unlock(dom);
	return rc;
}

void xen_evtchn_unbind_host(struct xen_domain *dom, evtchn_port_t port, void *owner)
{
	struct xen_evtchn_port *e;

	xen_evtchn_lock(dom);
	e = xen_evtchn_port(dom, port);
	if (e && e->state == EVTCHNSTAT_interdomain && e->host_fn && e->host_opaque == owner) {
		e->state = EVTCHNSTAT_unbound;
		e->remote_dom = XEN_EVTCHN_HOST_DOMID;
		e->host_fn = NULL;
		e->host_opaque = NULL;
		e->host_fd = 0;
		xen_accel_port_changed(dom, port);
	}
	xen_evtchn_unlock(dom);
}

static int host_send(struct xen_domain *dom, evtchn_port_t port, bool check_owner, void *owner)
{
	struct xen_evtchn_port *e;
	int rc = -EINVAL;

	xen_evtchn_lock(dom);
	e = xen_evtchn_port(dom, port);
	if (e && e->state == EVTCHNSTAT_interdomain && e->host_fn &&
	    (!check_owner || e->host_opaque == owner)) {
		xen_evtchn_set_pending(dom, port);
		rc = 0;
	}
	xen_evtchn_unlock(dom);
	return rc;
}

int xen_evtchn_host_send(struct xen_domain *dom, evtchn_port_t port)
{
	return host_send(dom, port, false, NULL);
}

int xen_evtchn_host_send_owned(struct xen_domain *dom, evtchn_port_t port, void *owner)
{
	return host_send(dom, port, true, owner);
}

/* Waits on the wake condition for at most `ns` (lock held); false when the VM stops. */
static bool wait_a_while(struct xen_domain *dom, uint64_t ns)
{
	struct timespec ts;

	if (vm_stopping(dom->vm))
		return false;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += (time_t)(ns / 1000000000ULL);
	ts.tv_nsec += (long)(ns % 1000000000ULL);
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_cond_timedwait(&dom->evtchn->wake, &dom->evtchn->lock, &ts);
	return !vm_stopping(dom->vm);
}

/*
 * Short waits: a stopping VM is noticed quickly even if nothing wakes the vCPU, and so is
 * an event a transport raised without the VMM (accel.h: block_slice_ns).
 */
static uint64_t block_slice(const struct xen_domain *dom)
{
	return dom->accel->block_slice_ns;
}

bool xen_evtchn_upcall_pending(struct xen_vcpu *xv)
{
	struct vcpu_info *vi = __atomic_load_n(&xv->vcpu_info, __ATOMIC_ACQUIRE);

	return vi && __atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_SEQ_CST);
}

#define RFLAGS_IF (1ull << 9)

/*
 * Xen's local_events_need_delivery() for an HVM vCPU making a hypercall: an upcall is
 * pending and the guest takes interrupts. SCHEDOP_poll returns at once then, before it
 * even looks at the ports.
 */
static bool events_need_delivery(struct xen_call *call, struct xen_vcpu *xv)
{
	return xen_evtchn_upcall_pending(xv) && (vcpu_regs(call->vcpu)->rflags & RFLAGS_IF);
}

/*
 * SCHEDOP_block as Xen's vcpu_block() for an HVM vCPU: no block at all when an upcall is
 * pending and the guest takes interrupts (local_events_need_delivery()); otherwise the
 * vCPU sleeps until Xen kicks it, which vcpu_mark_events_pending() does only when
 * evtchn_upcall_pending goes from 0 to 1. With interrupts off and an upcall already
 * pending, nothing wakes it (real Xen 4.17 left such a guest blocked: tests/oracle).
 */
long xen_evtchn_block(struct xen_call *call)
{
	struct xen_vcpu *xv = xen_call_vcpu(call);
	bool was_pending;

	if (events_need_delivery(call, xv))
		return 0;
	xen_accel_vcpu_blocking(call->dom, xv);
	xen_runstate_block(xv, true);
	xen_evtchn_lock(call->dom);
	was_pending = xen_evtchn_upcall_pending(xv);
	for (;;) {
		bool pending = xen_evtchn_upcall_pending(xv);

		if (pending && !was_pending)
			break;
		was_pending = pending;
		if (!wait_a_while(call->dom, block_slice(call->dom)))
			break;
	}
	xen_evtchn_unlock(call->dom);
	xen_runstate_block(xv, false);
	return 0;
}

#define POLL_MAX_PORTS 128

/* 1 when one of the ports is pending, 0 when none, -XEN_EINVAL for a bad port. */
static int any_pending(struct xen_domain *dom, const evtchn_port_t *ports, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		if (!xen_evtchn_port(dom, ports[i]))
			return -XEN_EINVAL;
		if (dom->evtchn->abi->is_pending(dom, ports[i]))
			return 1;
	}
	return 0;
}

/* struct sched_poll as a 32-bit caller lays it out: a 4-byte handle, timeout at 8. */
struct compat_sched_poll {
	uint32_t ports;
	uint32_t nr_ports;
	uint64_t timeout;
} __attribute__((packed));

/* Reads the caller's sched_poll in its own layout: handle, count, timeout. */
static int read_poll(struct xen_call *call, uint64_t *ports, uint32_t *nr, uint64_t *timeout)
{
	struct compat_sched_poll c;
	struct sched_poll sp;

	if (!call->is_64) {
		if (xen_copy_from_guest(call, &c, call->args[1], sizeof(c)))
			return -XEN_EFAULT;
		*ports = c.ports;
		*nr = c.nr_ports;
		*timeout = c.timeout;
		return 0;
	}
	if (xen_copy_from_guest(call, &sp, call->args[1], sizeof(sp)))
		return -XEN_EFAULT;
	*ports = (uint64_t)(uintptr_t)sp.ports.p;
	*nr = sp.nr_ports;
	*timeout = sp.timeout;
	return 0;
}

/*
 * SCHEDOP_poll as Xen's do_poll(): returns when one of the ports is pending, at the
 * timeout (absolute system time, 0 for none: Linux's PV spinlocks poll that way), or when
 * the vCPU is woken, which Xen does whenever an event becomes pending for it (its
 * evtchn_upcall_pending going from 0 to 1), masked port or not among the polled ones.
 */
long xen_evtchn_poll(struct xen_call *call)
{
	struct xen_domain *dom = call->dom;
	struct xen_vcpu *xv = xen_call_vcpu(call);
	evtchn_port_t ports[POLL_MAX_PORTS];
	struct {
		uint64_t ports;
		uint32_t nr_ports;
		uint64_t timeout;
	} sp;
	bool upcall_was_pending;
	int rc;

	rc = read_poll(call, &sp.ports, &sp.nr_ports, &sp.timeout);
	if (rc)
		return rc;
	if (sp.nr_ports > POLL_MAX_PORTS)
		return -XEN_EINVAL;
	if (xen_copy_from_guest(call, ports, sp.ports, sp.nr_ports * sizeof(ports[0])))
		return -XEN_EFAULT;
	if (events_need_delivery(call, xv))
		return 0;
	xen_runstate_block(xv, true);
	xen_evtchn_lock(dom);
	upcall_was_pending = xen_evtchn_upcall_pending(xv);
	for (;;) {
		uint64_t now = xen_system_time(dom), slice = block_slice(dom);

		rc = any_pending(dom, ports, sp.nr_ports);
		if (rc)
			break;
		if (!upcall_was_pending && xen_evtchn_upcall_pending(xv))
			break; /* Xen's vcpu_mark_events_pending() kicked us */
		/* A timeout (absolute system time) that has passed ends the poll. */
		if (sp.timeout && now >= sp.timeout)
			break;
		if (sp.timeout && sp.timeout - now < slice)
			slice = sp.timeout - now;
		if (!wait_a_while(dom, slice))
			break;
	}
	xen_evtchn_unlock(dom);
	xen_runstate_block(xv, false);
	return rc < 0 ? rc : 0;
}
