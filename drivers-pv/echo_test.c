// SPDX-License-Identifier: GPL-2.0
/*
 * A test-only xenbus device, type "xenkvm-echo" (xenkvm --test-devices with xenstore):
 * the smallest backend with real I/O, so that a test guest's frontend can prove the whole
 * path (xenstore directories, the state machine, a granted page, an event channel both
 * ways, close and reconnect) without a block or network backend. docs/VMM-INTERFACE.md,
 * "Test devices", has the protocol: the frontend grants one page holding struct
 * echo_page and publishes ring-ref and event-channel; for each request (req != rsp) the
 * backend writes ~value into result and rsp = req, then notifies.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <unistd.h>

#include "drivers-pv/echo_test.h"
#include "drivers-pv/pv_device.h"
#include "xen-emul/gnttab/grant_table.h"

struct echo_page {
	uint32_t req; /* the frontend's request number */
	uint32_t rsp; /* the last one answered */
	uint32_t value;
	uint32_t result; /* ~value */
};

struct echo {
	struct xen_gnttab_map map;
	bool mapped;
	evtchn_port_t local;
	uint64_t answered;
};

static void on_kick(struct pv_device *dev, int fd, void *opaque)
{
	struct echo *e = dev->priv;
	struct echo_page *p = e->map.addr;
	uint32_t req, value;
	uint64_t n;

	if (read(fd, &n, sizeof(n)) != sizeof(n))
		return;
	/* Each field read once: the guest may change the page under us. */
	req = __atomic_load_n(&p->req, __ATOMIC_ACQUIRE);
	if (req == __atomic_load_n(&p->rsp, __ATOMIC_RELAXED))
		return;
	value = __atomic_load_n(&p->value, __ATOMIC_RELAXED);
	__atomic_store_n(&p->result, ~value, __ATOMIC_RELAXED);
	__atomic_store_n(&p->rsp, req, __ATOMIC_RELEASE);
	e->answered++;
	pv_device_notify(dev, e->local);
}

static int echo_setup(struct pv_device *dev)
{
	dev->priv = calloc(1, sizeof(struct echo));
	if (!dev->priv)
		return -ENOMEM;
	return pv_device_write_str(dev, "feature-echo", "1");
}

static void unmap(struct pv_device *dev)
{
	struct echo *e = dev->priv;

	if (e->mapped)
		xen_gnttab_unmap(dev->dom, &e->map);
	e->mapped = false;
}

static int echo_connect(struct pv_device *dev)
{
	struct echo *e = dev->priv;
	unsigned int ref, port;
	int fd, rc;

	rc = pv_device_read_uint(dev, PV_FRONTEND, "ring-ref", &ref);
	if (!rc)
		rc = pv_device_read_uint(dev, PV_FRONTEND, "event-channel", &port);
	if (rc)
		return rc;
	if (xen_gnttab_map(dev->dom, dev->backend_id, ref, false, &e->map) != GNTST_okay)
		return -EFAULT;
	e->mapped = true;
	rc = pv_device_bind_evtchn(dev, port, &e->local, &fd);
	if (!rc)
		rc = pv_device_iothread_add_fd(dev, fd, on_kick, NULL);
	if (rc)
		unmap(dev); /* pv_device.c unbinds what was bound */
	return rc;
}

static void echo_disconnect(struct pv_device *dev)
{
	unmap(dev);
}

static void echo_free(struct pv_device *dev)
{
	free(dev->priv);
	dev->priv = NULL;
}

static const struct pv_backend_ops echo_ops = {
	.type = ECHO_TEST_TYPE,
	.setup = echo_setup,
	.connect = echo_connect,
	.disconnect = echo_disconnect,
	.free = echo_free,
};
PV_BACKEND_REGISTER(echo_ops)
