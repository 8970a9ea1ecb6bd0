// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_event_channel_op, with Xen 4.17's checks and errors for a domU
 * (common/event_channel.c). The guest's argument is copied in once, validated, acted on
 * under the event-channel lock, and the result copied back.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <unistd.h>
#include <xen/errno.h>
#include <xen/event_channel.h>

#include "vmm/log.h"
#include "xen-emul/transport/accel.h"
#include "xen-emul/evtchn/evtchn.h"

/* Ports whose far end is the VMM answer sends through a callback, after the lock. */
struct host_call {
	xen_evtchn_host_fn fn;
	void *opaque;
	evtchn_port_t port;
};

/*
 * Under the lock: the host end closes its fd only after xen_evtchn_unbind_host(), which
 * takes the lock, so the fd written here is still the one bound. An eventfd write does
 * not block short of a counter overflow.
 */
static void signal_eventfd(int fd)
{
	uint64_t one = 1;

	if (write(fd, &one, sizeof(one)) != sizeof(one) && errno != EAGAIN)
		log_once(LOG_WARN, "event channel host end: eventfd write: %s", strerror(errno));
}

static bool is_self(struct xen_domain *dom, domid_t id)
{
	return id == DOMID_SELF || id == dom->cfg.domid;
}

/* The lookup Xen does for a domain argument a domU may only use on itself. */
static long check_target(struct xen_domain *dom, domid_t id)
{
	if (is_self(dom, id))
		return 0;
	return id == XEN_EVTCHN_HOST_DOMID ? -XEN_EPERM : -XEN_ESRCH;
}

static bool virq_is_global(uint32_t virq)
{
	switch (virq) {
	case VIRQ_TIMER:
	case VIRQ_DEBUG:
	case VIRQ_XENOPROF:
	case VIRQ_XENPMU:
		return false;
	default:
		return true;
	}
}

static long alloc_unbound(struct xen_domain *dom, struct evtchn_alloc_unbound *a)
{
	struct xen_evtchn_port *e;
	long rc = check_target(dom, a->dom);

	if (rc)
		return rc;
	rc = xen_evtchn_alloc_port(dom, &a->port);
	if (rc)
		return rc;
	e = &dom->evtchn->ports[a->port];
	e->state = EVTCHNSTAT_unbound;
	e->remote_dom = a->remote_dom == DOMID_SELF ? dom->cfg.domid : a->remote_dom;
	return 0;
}

/* Only loopback within the domain: the VMM's ends are bound by the VMM, not the guest. */
static long bind_interdomain(struct xen_domain *dom, struct evtchn_bind_interdomain *b)
{
	struct xen_evtchn_port *l, *r;
	evtchn_port_t lport;
	long rc;

	if (!is_self(dom, b->remote_dom))
		return b->remote_dom == XEN_EVTCHN_HOST_DOMID ? -XEN_EINVAL : -XEN_ESRCH;
	r = xen_evtchn_port(dom, b->remote_port);
	if (!r || r->state != EVTCHNSTAT_unbound || r->remote_dom != dom->cfg.domid)
		return -XEN_EINVAL;
	rc = xen_evtchn_alloc_port(dom, &lport);
	if (rc)
		return rc;
	l = &dom->evtchn->ports[lport];
	l->state = r->state = EVTCHNSTAT_interdomain;
	l->remote_dom = r->remote_dom = dom->cfg.domid;
	l->remote_port = b->remote_port;
	r->remote_port = lport;
	xen_accel_port_changed(dom, lport);
	/* Xen: notifications to the unbound port may have been lost; always set one. */
	xen_evtchn_set_pending(dom, lport);
	b->local_port = lport;
	return 0;
}

static long bind_virq(struct xen_domain *dom, struct evtchn_bind_virq *b)
{
	struct xen_evtchn *ev = dom->evtchn;
	evtchn_port_t port;
	long rc;

	if (b->virq >= NR_VIRQS)
		return -XEN_EINVAL;
	if (virq_is_global(b->virq) && b->vcpu != 0)
		return -XEN_EINVAL;
	if (b->vcpu >= dom->nr_vcpus)
		return -XEN_ENOENT;
	if (ev->virq_port[b->vcpu][b->virq])
		return -XEN_EEXIST;
	rc = xen_evtchn_alloc_port(dom, &port);
	if (rc)
		return rc;
	ev->ports[port].state = EVTCHNSTAT_virq;
	ev->ports[port].vcpu = b->vcpu;
	ev->ports[port].virq = b->virq;
	ev->virq_port[b->vcpu][b->virq] = port;
	b->port = port;
	return 0;
}

static long bind_ipi(struct xen_domain *dom, struct evtchn_bind_ipi *b)
{
	long rc;

	if (b->vcpu >= dom->nr_vcpus)
		return -XEN_ENOENT;
	rc = xen_evtchn_alloc_port(dom, &b->port);
	if (rc)
		return rc;
	dom->evtchn->ports[b->port].state = EVTCHNSTAT_ipi;
	dom->evtchn->ports[b->port].vcpu = b->vcpu;
	xen_accel_port_changed(dom, b->port);
	return 0;
}

static long close_port(struct xen_domain *dom, evtchn_port_t port)
{
	struct xen_evtchn *ev = dom->evtchn;
	struct xen_evtchn_port *e = xen_evtchn_port(dom, port);
	evtchn_port_t peer_port = 0;

	if (!e || e->reserved || e->state == EVTCHNSTAT_closed)
		return -XEN_EINVAL;
	switch (e->state) {
	case EVTCHNSTAT_virq:
		for (unsigned int v = 0; v < dom->nr_vcpus; v++)
			if (ev->virq_port[v][e->virq] == port)
				ev->virq_port[v][e->virq] = 0;
		break;
	case EVTCHNSTAT_interdomain:
		/* The loopback peer goes back to waiting for this domain. */
		if (!e->host_fn) {
			struct xen_evtchn_port *peer = &ev->ports[e->remote_port];

			peer->state = EVTCHNSTAT_unbound;
			peer->remote_dom = dom->cfg.domid;
			peer_port = e->remote_port;
		}
		break;
	default:
		break;
	}
	xen_evtchn_free_port(dom, port);
	xen_accel_port_changed(dom, port);
	if (peer_port)
		xen_accel_port_changed(dom, peer_port);
	return 0;
}

static long send(struct xen_domain *dom, evtchn_port_t port, struct host_call *hc)
{
	struct xen_evtchn_port *e = xen_evtchn_port(dom, port);

	if (!e)
		return -XEN_EINVAL;
	switch (e->state) {
	case EVTCHNSTAT_interdomain:
		if (e->host_fn == xen_evtchn_host_eventfd)
			signal_eventfd(e->host_fd);
		else if (e->host_fn)
			*hc = (struct host_call){ e->host_fn, e->host_opaque, port };
		else
			xen_evtchn_set_pending(dom, e->remote_port);
		return 0;
	case EVTCHNSTAT_ipi:
		xen_evtchn_set_pending(dom, port);
		return 0;
	case EVTCHNSTAT_unbound:
		return 0; /* dropped silently, as Xen does */
	default:
		return -XEN_EINVAL;
	}
}

static long status(struct xen_domain *dom, struct evtchn_status *s)
{
	struct xen_evtchn_port *e;
	long rc = check_target(dom, s->dom);

	if (rc)
		return rc;
	e = xen_evtchn_port(dom, s->port);
	if (!e)
		return -XEN_EINVAL;
	memset(&s->u, 0, sizeof(s->u));
	s->status = e->state;
	switch (e->state) {
	case EVTCHNSTAT_unbound:
		s->u.unbound.dom = e->remote_dom;
		break;
	case EVTCHNSTAT_interdomain:
		s->u.interdomain.dom = e->remote_dom;
		s->u.interdomain.port = e->host_fn ? 0 : e->remote_port;
		break;
	case EVTCHNSTAT_virq:
		s->u.virq = e->virq;
		break;
	default:
		break;
	}
	s->vcpu = e->vcpu;
	return 0;
}

static long bind_vcpu(struct xen_domain *dom, struct evtchn_bind_vcpu *b)
{
	struct xen_evtchn_port *e;

	if (b->vcpu >= dom->nr_vcpus)
		return -XEN_ENOENT;
	e = xen_evtchn_port(dom, b->port);
	if (!e)
		return -XEN_EINVAL;
	switch (e->state) {
	case EVTCHNSTAT_virq:
		if (!virq_is_global(e->virq))
			return -XEN_EINVAL;
		break;
	case EVTCHNSTAT_unbound:
	case EVTCHNSTAT_interdomain:
		break;
	default:
		return -XEN_EINVAL;
	}
	e->vcpu = b->vcpu;
	dom->evtchn->abi->bind_vcpu(dom, b->port);
	xen_accel_port_changed(dom, b->port);
	return 0;
}

static long unmask(struct xen_domain *dom, evtchn_port_t port)
{
	if (!xen_evtchn_port(dom, port))
		return -XEN_EINVAL;
	dom->evtchn->abi->unmask(dom, port);
	return 0;
}

/* Closes every port and returns to the 2-level ABI (EVTCHNOP_reset). */
static long reset(struct xen_domain *dom, struct evtchn_reset *r)
{
	long rc = check_target(dom, r->dom);

	if (rc)
		return rc;
	for (evtchn_port_t p = 1; p <= dom->evtchn->max_port; p++)
		if (p < dom->evtchn->abi->max_ports &&
		    dom->evtchn->ports[p].state != EVTCHNSTAT_closed)
			close_port(dom, p);
	xen_evtchn_fifo_destroy(dom);
	return 0;
}

union evtchn_arg {
	struct evtchn_alloc_unbound alloc_unbound;
	struct evtchn_bind_interdomain bind_interdomain;
	struct evtchn_bind_virq bind_virq;
	struct evtchn_bind_ipi bind_ipi;
	struct evtchn_close close;
	struct evtchn_send send;
	struct evtchn_status status;
	struct evtchn_bind_vcpu bind_vcpu;
	struct evtchn_unmask unmask;
	struct evtchn_reset reset;
	struct evtchn_init_control init_control;
	struct evtchn_expand_array expand_array;
	struct evtchn_set_priority set_priority;
};

static size_t arg_size(int cmd)
{
	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		return sizeof(struct evtchn_alloc_unbound);
	case EVTCHNOP_bind_interdomain:
		return sizeof(struct evtchn_bind_interdomain);
	case EVTCHNOP_bind_virq:
		return sizeof(struct evtchn_bind_virq);
	case EVTCHNOP_bind_ipi:
		return sizeof(struct evtchn_bind_ipi);
	case EVTCHNOP_close:
		return sizeof(struct evtchn_close);
	case EVTCHNOP_send:
		return sizeof(struct evtchn_send);
	case EVTCHNOP_status:
		return sizeof(struct evtchn_status);
	case EVTCHNOP_bind_vcpu:
		return sizeof(struct evtchn_bind_vcpu);
	case EVTCHNOP_unmask:
		return sizeof(struct evtchn_unmask);
	case EVTCHNOP_reset:
		return sizeof(struct evtchn_reset);
	case EVTCHNOP_init_control:
		return sizeof(struct evtchn_init_control);
	case EVTCHNOP_expand_array:
		return sizeof(struct evtchn_expand_array);
	case EVTCHNOP_set_priority:
		return sizeof(struct evtchn_set_priority);
	default:
		return 0;
	}
}

/* Which ops return data in the argument. */
static bool copies_back(int cmd)
{
	return cmd == EVTCHNOP_alloc_unbound || cmd == EVTCHNOP_bind_interdomain ||
	       cmd == EVTCHNOP_bind_virq || cmd == EVTCHNOP_bind_ipi || cmd == EVTCHNOP_status ||
	       cmd == EVTCHNOP_init_control;
}

static long do_op(struct xen_call *call, int cmd, union evtchn_arg *a, struct host_call *hc)
{
	struct xen_domain *dom = call->dom;

	switch (cmd) {
	case EVTCHNOP_alloc_unbound:
		return alloc_unbound(dom, &a->alloc_unbound);
	case EVTCHNOP_bind_interdomain:
		return bind_interdomain(dom, &a->bind_interdomain);
	case EVTCHNOP_bind_virq:
		return bind_virq(dom, &a->bind_virq);
	case EVTCHNOP_bind_ipi:
		return bind_ipi(dom, &a->bind_ipi);
	case EVTCHNOP_close:
		return close_port(dom, a->close.port);
	case EVTCHNOP_send:
		return send(dom, a->send.port, hc);
	case EVTCHNOP_status:
		return status(dom, &a->status);
	case EVTCHNOP_bind_vcpu:
		return bind_vcpu(dom, &a->bind_vcpu);
	case EVTCHNOP_unmask:
		return unmask(dom, a->unmask.port);
	case EVTCHNOP_reset:
		return reset(dom, &a->reset);
	case EVTCHNOP_init_control:
		return xen_evtchn_fifo_init_control(call, &a->init_control);
	case EVTCHNOP_expand_array:
		return xen_evtchn_fifo_expand_array(call, &a->expand_array);
	case EVTCHNOP_set_priority:
		return xen_evtchn_fifo_set_priority(dom, &a->set_priority);
	default:
		return -XEN_ENOSYS;
	}
}

long xen_do_event_channel_op(struct xen_call *call)
{
	int cmd = (int)call->args[0];
	size_t size = arg_size(cmd);
	struct host_call hc = { 0 };
	union evtchn_arg a;
	long rc;

	if (cmd == EVTCHNOP_bind_pirq)
		return -XEN_EINVAL; /* a PVH domain has no PIRQs */
	if (!size)
		return -XEN_ENOSYS;
	if (xen_copy_from_guest(call, &a, call->args[1], size))
		return -XEN_EFAULT;
	xen_evtchn_lock(call->dom);
	rc = do_op(call, cmd, &a, &hc);
	xen_evtchn_unlock(call->dom);
	if (hc.fn)
		hc.fn(call->dom, hc.port, hc.opaque);
	if (!rc && copies_back(cmd) && xen_copy_to_guest(call, call->args[1], &a, size))
		return -XEN_EFAULT;
	return rc;
}
