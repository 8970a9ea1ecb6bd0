/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMM's xenstore connection for PV devices: one libxenstore handle kept for the VMM's
 * life, and one thread that waits for watch events and hands each device its frontend's
 * state changes (on the device's I/O thread). The devices of one domain hang off it.
 */
#ifndef XENKVM_DRIVERS_PV_PV_BUS_H
#define XENKVM_DRIVERS_PV_PV_BUS_H

#include <pthread.h>
#include <stdbool.h>
#include <xenstore.h>

#include "xen-emul/xen.h"

struct pv_device;

struct pv_bus {
	struct xen_domain *dom;
	domid_t domid; /* the frontends' domain */
	domid_t backend_id; /* ours, as grants and paths name it: 0 */
	struct xs_handle *xs;
	pthread_t watch_thread;
	int stop_fd; /* eventfd: the watch thread ends */
	pthread_mutex_t lock; /* the device list and next_id */
	struct pv_device *devices;
	unsigned int next_id; /* watch tokens */
};

/*
 * Connects to xenstored at `socket_path` (NULL: XENSTORED_PATH, else the default) and
 * starts the watch thread. -errno when xenstored cannot be reached.
 */
int pv_bus_open(struct xen_domain *dom, const char *socket_path, struct pv_bus **bus);
/* Removes every device without waiting for the frontends (the guest is gone), closes. */
void pv_bus_close(struct pv_bus *bus);

/* pv_device.c: a watch on a device's token fired. */
void pv_device_watch_fired(struct pv_device *dev);

#endif
