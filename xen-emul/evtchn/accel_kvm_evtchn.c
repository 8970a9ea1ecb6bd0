// SPDX-License-Identifier: GPL-2.0
/*
 * Event channels on the KVM_XEN transport. KVM knows the 2-level ABI only:
 * - the VMM raises a port with KVM_XEN_HVM_EVTCHN_SEND, so that KVM sets the bits, injects
 *   the upcall and wakes a vCPU it holds in SCHEDOP_poll;
 * - IPI and loopback ports are registered with KVM_XEN_ATTR_TYPE_EVTCHN, so that the
 *   guest's EVTCHNOP_send on them never leaves the kernel (other ports still exit);
 * - with EVTCHN_SEND in the config KVM runs SCHEDOP_poll itself.
 * - ports whose far end is an eventfd host end (a backend's I/O thread, xenstored) are
 *   registered with that eventfd, so that the guest's send signals it without a VM exit.
 * Under the FIFO ABI all of that is off except the eventfd ports, which do not touch the
 * 2-level bitmaps (KVM would use them): events and other sends go through the VMM as on
 * the user transport, and KVM treats SCHEDOP_poll as a yield (a poll may always return
 * early).
 */
#include <errno.h>
#include <string.h>
#include <sys/ioctl.h>

#include "vmm/log.h"
#include "xen-emul/transport/accel_kvm.h"
#include "xen-emul/evtchn/evtchn.h"

static struct xen_kvm *kvm_of(struct xen_domain *dom)
{
	return dom->accel_priv;
}

static bool is_2level(struct xen_domain *dom)
{
	return dom->evtchn->abi == &xen_evtchn_2l_abi;
}

bool xen_kvm_raise_2l(struct xen_domain *dom, evtchn_port_t port, unsigned int vcpu)
{
	struct kvm_irq_routing_xen_evtchn e = {
		.port = port,
		.vcpu = vcpu,
		.priority = KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL,
	};

	if (!__atomic_load_n(&kvm_of(dom)->shinfo_set, __ATOMIC_ACQUIRE))
		return false;
	if (ioctl(dom->vm->vm_fd, KVM_XEN_HVM_EVTCHN_SEND, &e) < 0) {
		log_once(LOG_WARN, "KVM_XEN_HVM_EVTCHN_SEND port %u: %s; raising in the VMM", port,
			 strerror(errno));
		return false;
	}
	return true;
}

static bool is_host_eventfd(const struct xen_evtchn_port *e)
{
	return e->state == EVTCHNSTAT_interdomain && e->host_fn == xen_evtchn_host_eventfd;
}

/*
 * The port the guest's send on `port` reaches when KVM may handle it (the port itself for
 * an eventfd host end), else 0.
 */
static evtchn_port_t kernel_target(struct xen_domain *dom, evtchn_port_t port)
{
	const struct xen_evtchn_port *e = &dom->evtchn->ports[port];

	if (is_host_eventfd(e))
		return port;
	if (!is_2level(dom))
		return 0;
	if (e->state == EVTCHNSTAT_ipi)
		return port;
	if (e->state == EVTCHNSTAT_interdomain && !e->host_fn)
		return e->remote_port;
	return 0;
}

static int evtchn_attr(struct xen_domain *dom, evtchn_port_t port, uint32_t flags,
		       evtchn_port_t target)
{
	const struct xen_evtchn_port *e = &dom->evtchn->ports[port];
	struct kvm_xen_hvm_attr a = { .type = KVM_XEN_ATTR_TYPE_EVTCHN };

	a.u.evtchn.send_port = port;
	a.u.evtchn.flags = flags;
	if (target && is_host_eventfd(e)) {
		a.u.evtchn.type = EVTCHNSTAT_interdomain;
		a.u.evtchn.deliver.eventfd.port = 0;
		a.u.evtchn.deliver.eventfd.fd = e->host_fd;
		return xen_kvm_set_attr(dom, &a);
	}
	a.u.evtchn.type = target == port ? EVTCHNSTAT_ipi : EVTCHNSTAT_interdomain;
	a.u.evtchn.deliver.port.port = target;
	a.u.evtchn.deliver.port.vcpu = target ? dom->evtchn->ports[target].vcpu : 0;
	a.u.evtchn.deliver.port.priority = KVM_IRQ_ROUTING_XEN_EVTCHN_PRIO_2LEVEL;
	return xen_kvm_set_attr(dom, &a);
}

/* Makes KVM's view of sends on `port` match the port table. */
static void sync_port(struct xen_domain *dom, evtchn_port_t port)
{
	evtchn_port_t *cur = &kvm_of(dom)->in_kernel[port];
	evtchn_port_t want = kernel_target(dom, port);
	int rc = 0;

	/* An eventfd delivery cannot be updated in place, and has nothing to update. */
	if (*cur && *cur == want && is_host_eventfd(&dom->evtchn->ports[port]))
		return;
	if (*cur && *cur != want) {
		rc = evtchn_attr(dom, port, KVM_XEN_EVTCHN_DEASSIGN, 0);
		*cur = 0;
	}
	if (!rc && want)
		rc = evtchn_attr(dom, port, *cur ? KVM_XEN_EVTCHN_UPDATE : 0, want);
	if (rc) {
		log_once(LOG_WARN, "KVM_XEN_ATTR_TYPE_EVTCHN port %u: %s; sends go to the VMM",
			 port, strerror(-rc));
		return;
	}
	*cur = want;
}

void xen_kvm_port_changed(struct xen_domain *dom, evtchn_port_t port)
{
	const struct xen_evtchn_port *e = &dom->evtchn->ports[port];

	sync_port(dom, port);
	/* The loopback peer delivers here: it follows this port's vCPU. */
	if (e->state == EVTCHNSTAT_interdomain && !e->host_fn)
		sync_port(dom, e->remote_port);
}

void xen_kvm_abi_changed(struct xen_domain *dom)
{
	struct xen_kvm *kx = kvm_of(dom);
	struct kvm_xen_hvm_attr reset = { .type = KVM_XEN_ATTR_TYPE_EVTCHN };
	bool two_level = is_2level(dom);
	int rc;

	reset.u.evtchn.flags = KVM_XEN_EVTCHN_RESET;
	rc = xen_kvm_set_attr(dom, &reset);
	memset(kx->in_kernel, 0, (dom->evtchn->max_port + 1) * sizeof(*kx->in_kernel));
	if (!rc && kx->kernel_poll != two_level) {
		rc = xen_kvm_config(dom, two_level);
		if (!rc)
			kx->kernel_poll = two_level;
	}
	if (rc)
		log_warn("KVM_XEN after the switch to the %s ABI: %s", dom->evtchn->abi->name,
			 strerror(-rc));
	for (evtchn_port_t p = 1; p <= dom->evtchn->max_port; p++)
		if (two_level || is_host_eventfd(&dom->evtchn->ports[p]))
			sync_port(dom, p);
}
