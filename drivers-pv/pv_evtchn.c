// SPDX-License-Identifier: GPL-2.0
/*
 * A device's event channels: each bound frontend port is a host end whose far side is an
 * eventfd (xen_evtchn_bind_host_eventfd), identified by the device's slot so that a port
 * the guest closed and reused is never raised for the old binding. Local port n is slot
 * n - 1.
 */
#include <errno.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "drivers-pv/pv_device.h"
#include "drivers-pv/pv_evtchn.h"
#include "xen-emul/evtchn/evtchn.h"

static struct pv_evtchn *slot(struct pv_device *dev, evtchn_port_t local_port)
{
	if (local_port < 1 || local_port > PV_DEVICE_MAX_EVTCHNS)
		return NULL;
	return &dev->evtchns[local_port - 1];
}

int pv_device_bind_evtchn(struct pv_device *dev, evtchn_port_t remote_port,
			  evtchn_port_t *local_port, int *fd)
{
	for (unsigned int i = 0; i < PV_DEVICE_MAX_EVTCHNS; i++) {
		struct pv_evtchn *e = &dev->evtchns[i];
		int efd, rc;

		if (e->bound)
			continue;
		efd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		if (efd < 0)
			return -errno;
		rc = xen_evtchn_bind_host_eventfd(dev->dom, remote_port, efd, e);
		if (rc) {
			close(efd);
			return rc;
		}
		e->guest_port = remote_port;
		e->fd = efd;
		__atomic_store_n(&e->bound, true, __ATOMIC_RELEASE);
		*local_port = i + 1;
		*fd = efd;
		return 0;
	}
	return -ENOSPC;
}

void pv_device_unbind_evtchn(struct pv_device *dev, evtchn_port_t local_port)
{
	struct pv_evtchn *e = slot(dev, local_port);

	if (!e || !e->bound)
		return;
	__atomic_store_n(&e->bound, false, __ATOMIC_RELEASE);
	/* After this the guest's sends no longer reach the fd, so it can go. */
	xen_evtchn_unbind_host(dev->dom, e->guest_port, e);
	pv_device_iothread_del_fd(dev, e->fd);
	close(e->fd);
	e->fd = -1;
}

int pv_device_notify(struct pv_device *dev, evtchn_port_t local_port)
{
	struct pv_evtchn *e = slot(dev, local_port);

	if (!e || !__atomic_load_n(&e->bound, __ATOMIC_ACQUIRE))
		return -EINVAL;
	return xen_evtchn_host_send_owned(dev->dom, e->guest_port, e);
}

void pv_evtchn_unbind_all(struct pv_device *dev)
{
	for (unsigned int i = 1; i <= PV_DEVICE_MAX_EVTCHNS; i++)
		pv_device_unbind_evtchn(dev, i);
}
