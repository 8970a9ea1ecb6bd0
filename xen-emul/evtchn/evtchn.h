/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Event channels: the per-domain port table, the 2-level and FIFO ABIs behind one set of
 * port operations, upcall delivery, blocking (SCHEDOP_block/poll), and host ends: ports
 * whose far end is inside the VMM (backends, the console, the xenstore link), which act
 * as domain 0 does on Xen.
 */
#ifndef XENKVM_XEN_EMUL_EVTCHN_H
#define XENKVM_XEN_EMUL_EVTCHN_H

#include <stdint.h>
#include <xen/event_channel.h>

#include "xen-emul/xen.h"

/* libxl's default for a domain's event channels (xl.cfg max_event_channels). */
#define XEN_EVTCHN_DEFAULT_MAX_PORT 1023
/* The domain id under which the VMM's host ends appear to the guest. */
#define XEN_EVTCHN_HOST_DOMID 0

/* Called (without locks held) when the guest sends on a port bound to a host end. */
typedef void (*xen_evtchn_host_fn)(struct xen_domain *dom, evtchn_port_t port, void *opaque);

struct xen_evtchn_port {
	uint8_t state; /* EVTCHNSTAT_* (closed = free) */
	bool reserved; /* port 0 */
	uint8_t priority; /* FIFO priority */
	uint32_t vcpu; /* the vCPU notified */
	domid_t remote_dom;
	evtchn_port_t remote_port; /* interdomain within this domain (loopback) */
	uint32_t virq;
	xen_evtchn_host_fn host_fn; /* interdomain to a host end */
	void *host_opaque; /* the host end's owner */
	int host_fd; /* with host_fn == xen_evtchn_host_eventfd: the eventfd sends signal */
};

struct xen_evtchn_abi;
struct xen_evtchn_fifo;

struct xen_evtchn {
	pthread_mutex_t lock; /* the port table, the ABI state, and event delivery */
	pthread_cond_t wake; /* broadcast whenever an event becomes pending */
	uint32_t max_port;
	struct xen_evtchn_port *ports; /* max_port + 1 entries */
	uint32_t (*virq_port)[NR_VIRQS]; /* per vCPU: VIRQ -> port, 0 = unbound */
	const struct xen_evtchn_abi *abi;
	struct xen_evtchn_fifo *fifo;
	/* HVM_PARAM_CALLBACK_IRQ: delivery by vector (type VECTOR), 0 when none. */
	uint8_t callback_vector;
};

/* The operations that differ between the 2-level and FIFO ABIs (lock held). */
struct xen_evtchn_abi {
	const char *name;
	uint32_t max_ports;
	void (*set_pending)(struct xen_domain *dom, evtchn_port_t port);
	void (*clear_pending)(struct xen_domain *dom, evtchn_port_t port);
	void (*unmask)(struct xen_domain *dom, evtchn_port_t port);
	bool (*is_pending)(struct xen_domain *dom, evtchn_port_t port);
	bool (*is_masked)(struct xen_domain *dom, evtchn_port_t port);
	/* Still in use by the guest after close, so not handed out again (NULL: never). */
	bool (*is_busy)(struct xen_domain *dom, evtchn_port_t port);
	/* A port changed its notify vCPU or priority. */
	void (*bind_vcpu)(struct xen_domain *dom, evtchn_port_t port);
};

extern const struct xen_evtchn_abi xen_evtchn_2l_abi;

int xen_evtchn_init(struct xen_domain *dom, uint32_t max_port);
void xen_evtchn_destroy(struct xen_domain *dom);
void xen_evtchn_lock(struct xen_domain *dom);
void xen_evtchn_unlock(struct xen_domain *dom);

/* Core operations, lock held. */
struct xen_evtchn_port *xen_evtchn_port(struct xen_domain *dom, evtchn_port_t port);
int xen_evtchn_alloc_port(struct xen_domain *dom, evtchn_port_t *port);
void xen_evtchn_free_port(struct xen_domain *dom, evtchn_port_t port);
/* Makes `port` pending for its vCPU and delivers the upcall if needed. */
void xen_evtchn_set_pending(struct xen_domain *dom, evtchn_port_t port);
/* Marks the vCPU's upcall pending and injects it (after vcpu_info's pending_sel is set). */
void xen_evtchn_vcpu_notify(struct xen_domain *dom, unsigned int vcpu);
/* Whether the vCPU's evtchn_upcall_pending is set (false without a vcpu_info). */
bool xen_evtchn_upcall_pending(struct xen_vcpu *xv);
/* VCPUOP_register_vcpu_info's "everything pending" so nothing is lost in the move. */
void xen_evtchn_mark_all_pending(struct xen_domain *dom, struct xen_vcpu *xv);

/* Raises a per-vCPU VIRQ (VIRQ_TIMER...) if bound; takes the lock. */
void xen_evtchn_send_virq(struct xen_domain *dom, unsigned int vcpu, unsigned int virq);

/* Host ends (take the lock). */
int xen_evtchn_alloc_unbound_host(struct xen_domain *dom, evtchn_port_t *port);
int xen_evtchn_bind_host(struct xen_domain *dom, evtchn_port_t port, xen_evtchn_host_fn fn,
			 void *opaque);
/*
 * Binds the guest's port (unbound to domain 0) to a host end whose far side is the
 * eventfd `fd`: every guest send on the port adds 1 to it, from whichever thread runs the
 * hypercall, or inside KVM without a VM exit on the KVM_XEN transport. The caller keeps
 * `fd` open until xen_evtchn_unbind_host(). `owner` identifies the binding.
 */
int xen_evtchn_bind_host_eventfd(struct xen_domain *dom, evtchn_port_t port, int fd, void *owner);
/* The host_fn of eventfd host ends (for identification; never called directly). */
void xen_evtchn_host_eventfd(struct xen_domain *dom, evtchn_port_t port, void *opaque);
/*
 * The host end closes its side, as dom0's EVTCHNOP_close does: the guest's port goes back
 * to unbound (to domain 0) if it is still bound to `owner`; nothing otherwise.
 */
void xen_evtchn_unbind_host(struct xen_domain *dom, evtchn_port_t port, void *owner);
/* Raises the guest's end of a host end: safe from any thread. */
int xen_evtchn_host_send(struct xen_domain *dom, evtchn_port_t port);
/* The same, only while the port is still bound to `owner` (-EINVAL otherwise). */
int xen_evtchn_host_send_owned(struct xen_domain *dom, evtchn_port_t port, void *owner);

/* SCHEDOP_block and SCHEDOP_poll: the calling vCPU waits for events. */
long xen_evtchn_block(struct xen_call *call);
long xen_evtchn_poll(struct xen_call *call);

/* The FIFO ABI (evtchn_fifo.c); destroy returns the domain to 2-level. */
long xen_evtchn_fifo_init_control(struct xen_call *call, struct evtchn_init_control *ic);
long xen_evtchn_fifo_expand_array(struct xen_call *call, struct evtchn_expand_array *ea);
long xen_evtchn_fifo_set_priority(struct xen_domain *dom, struct evtchn_set_priority *sp);
void xen_evtchn_fifo_destroy(struct xen_domain *dom);

/* Frees every vCPU's timers (timer.c), after the event loop has stopped. */
void xen_timers_destroy(struct xen_domain *dom);

/* HVMOP_set_evtchn_upcall_vector, with the guest's xen_hvm_evtchn_upcall_vector at gva. */
long xen_evtchn_upcall_vector_op(struct xen_call *call, uint64_t gva);
/* HVM_PARAM_CALLBACK_IRQ was set to `val`: 0 or -XEN_E*. */
long xen_evtchn_set_callback_irq(struct xen_domain *dom, uint64_t val);

#endif
