/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A PV device: one backend instance (a vbd, a vif, ...) serving one frontend of one domain
 * through xenstore, grants and event channels, as a Xen backend in dom0 does.
 *
 * The split. pv_device.c owns everything that is the same for every device type: the
 * backend and frontend directories with libxl's keys and permissions, the xenbus state
 * machine of io/xenbus.h driven by xenstore watches, the device's I/O thread, event
 * channels bound as eventfds, and removal. A backend type supplies only struct
 * pv_backend_ops: what to advertise before InitWait, what to do when the frontend is
 * ready, and how to stop.
 *
 * Threads. Every op and every fd callback of a device runs on that device's own I/O
 * thread, one at a time: a backend needs no lock for its own state, and never runs on a
 * vCPU thread or on another device's thread. pv_device_notify() may be called from any
 * thread.
 *
 * The frontend is untrusted: whatever a backend reads from the frontend directory, from
 * a ring or from a granted page is validated before use (DESIGN.md, "The guest is
 * hostile"); a bad value fails connect() with -errno, which puts the device in Closing
 * with an error node, never crashes the VMM.
 */
#ifndef XENKVM_DRIVERS_PV_PV_DEVICE_H
#define XENKVM_DRIVERS_PV_PV_DEVICE_H

#include <pthread.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <xen/event_channel.h>
#include <xen/io/xenbus.h>

#include "xen-emul/xen.h"

struct pv_device;
struct pv_bus;
struct pv_fd;
struct pv_iothread;

/* Event channels one device may bind (blkback: one per queue; netback: two per queue). */
#define PV_DEVICE_MAX_EVTCHNS 32

struct pv_evtchn {
	bool bound;
	evtchn_port_t guest_port;
	int fd; /* signalled by the guest's sends */
};

/* Which of the device's two xenstore directories a key lives in. */
enum pv_side { PV_FRONTEND, PV_BACKEND };

struct pv_backend_ops {
	const char *type; /* "vbd", "vif", "console": the xenstore device class */
	/*
	 * The device was created and its directories written (state Initialising): read the
	 * backend's own configuration keys, open what it needs (an image file, a tap) and
	 * write the feature keys the frontend reads before it connects (feature-*,
	 * sectors...). The device goes to InitWait after it returns 0; an error removes the
	 * device with the reason logged.
	 */
	int (*setup)(struct pv_device *dev);
	/*
	 * The frontend is Initialised (or Connected): read its ring refs and event channels,
	 * map and bind them, start I/O (pv_device_iothread_add_fd). The device goes to
	 * Connected after it returns 0; on error (after undoing what it did), to Closing with
	 * the error written, as Linux's xenbus_dev_fatal() does.
	 */
	int (*connect)(struct pv_device *dev);
	/*
	 * The frontend is Closing or Closed, or the device is being removed: stop I/O,
	 * answer nothing more, unmap every grant. Event channels bound with
	 * pv_device_bind_evtchn() and fds added to the I/O thread are released by the caller
	 * afterwards. Only called after a successful connect(); the device may connect again.
	 */
	void (*disconnect)(struct pv_device *dev);
	/* The device goes away: free dev->priv and close what setup() opened. */
	void (*free)(struct pv_device *dev);
};

/*
 * Registers a backend type at program start, from the backend's own file:
 * PV_BACKEND_REGISTER(blkback_ops); a type nobody registered is refused by
 * pv_device_add() with -ENODEV ("no vbd backend").
 */
void pv_backend_register(const struct pv_backend_ops *ops);
const struct pv_backend_ops *pv_backend_find(const char *type);
#define PV_BACKEND_REGISTER(ops)                                                 \
	__attribute__((constructor)) static void pv_backend_register_##ops(void) \
	{                                                                        \
		pv_backend_register(&(ops));                                     \
	}

struct pv_device {
	struct xen_domain *dom;
	domid_t frontend_id;
	domid_t backend_id; /* the domain grants and event channels must name: 0 */
	const char *type; /* ops->type */
	unsigned int devid; /* vbd: the virtual-device number (xvda = 51712); vif: the index */
	char *backend_path; /* /local/domain/0/backend/<type>/<domid>/<devid> */
	char *frontend_path; /* /local/domain/<domid>/device/<type>/<devid> */
	const struct pv_backend_ops *ops;
	void *priv; /* the backend's own state */

	/* Owned by pv_device.c. */
	struct pv_bus *bus; /* the VMM's xenstore connection */
	struct pv_iothread *io;
	enum xenbus_state state; /* ours, as last written to backend/state */
	enum xenbus_state frontend_state; /* as last read */
	bool connected; /* connect() succeeded and disconnect() has not run since */
	bool removing; /* hot remove asked: Closing, then the directories go */
	struct pv_evtchn evtchns[PV_DEVICE_MAX_EVTCHNS]; /* pv_device_bind_evtchn() */
	struct pv_fd *fds; /* pv_device_iothread_add_fd() */
	unsigned int bus_id; /* the watch token's number */
	char token[24];
	bool watching;
	bool change_queued; /* a look at the frontend's state is queued on the I/O thread */
	pthread_mutex_t lock; /* with `changed`: removal waits for the frontend */
	pthread_cond_t changed;
	struct pv_device *next; /* on the bus's list */
};

/*
 * What a toolstack knows about a new device: its type and number, and the extra keys
 * libxl writes for that type with the generic ones (backend: frontend, frontend-id,
 * online, state; frontend: backend, backend-id, state). Key/value pairs, NULL-terminated
 * (vbd: params, mode, type, device-type, removable, bootable, dev on the backend side;
 * virtual-device, device-type on the frontend side).
 */
struct pv_device_spec {
	const char *type;
	unsigned int devid;
	const char *const *backend_keys;
	const char *const *frontend_keys;
};

/*
 * Hot add: writes both directories in one transaction and starts the device (setup(),
 * then InitWait). Works before the guest runs and while it runs. -ENODEV for a type no
 * backend registered, -EEXIST for a devid in use, -errno for xenstore failures.
 */
int pv_device_add(struct pv_bus *bus, const struct pv_device_spec *spec, struct pv_device **dev);
/*
 * Hot remove, libxl's way: backend state Closing, wait (up to timeout_ms) for the
 * frontend to reach Closed, disconnect, remove both directories, free. With no frontend
 * (never connected, or the guest gone) it does not wait.
 */
int pv_device_remove(struct pv_device *dev, unsigned int timeout_ms);

/* xenstore access relative to a device directory (values from the frontend untrusted). */
/* *val is malloc'ed, NUL-terminated; -ENOENT when the key is absent. */
int pv_device_read_str(struct pv_device *dev, enum pv_side side, const char *key, char **val);
/* A decimal number that fits (-EINVAL for anything else: signs, junk, overflow). */
int pv_device_read_uint(struct pv_device *dev, enum pv_side side, const char *key,
			unsigned int *val);
int pv_device_read_ullong(struct pv_device *dev, enum pv_side side, const char *key,
			  unsigned long long *val);
/* Writes go to the backend directory only: the frontend's is the guest's. */
int pv_device_write_str(struct pv_device *dev, const char *key, const char *val);
int pv_device_write_uint(struct pv_device *dev, const char *key, unsigned long long val);
int pv_device_printf(struct pv_device *dev, const char *key, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/*
 * Binds the frontend's unbound port `remote_port` (EVTCHNOP_alloc_unbound to domain 0,
 * published in the frontend directory) as Xen's EVTCHNOP_bind_interdomain does.
 * *local_port is the device's handle for the channel (what dom0 would call its local
 * port; never 0); *fd is an eventfd that becomes readable each time the guest sends on the port:
 * add it with pv_device_iothread_add_fd() and read it (8 bytes) to clear it. -EINVAL
 * when the port is not unbound to domain 0.
 */
int pv_device_bind_evtchn(struct pv_device *dev, evtchn_port_t remote_port,
			  evtchn_port_t *local_port, int *fd);
/* Closes the binding (the guest's port goes back to unbound, as in Xen). */
void pv_device_unbind_evtchn(struct pv_device *dev, evtchn_port_t local_port);
/* Raises the frontend's port: thread-safe; -EINVAL once the binding is gone. */
int pv_device_notify(struct pv_device *dev, evtchn_port_t local_port);

/*
 * Runs fn(dev, fd, opaque) on the device's I/O thread each time fd is readable
 * (level-triggered: the callback consumes what it was woken for). Callable from ops.
 */
typedef void (*pv_io_fn)(struct pv_device *dev, int fd, void *opaque);
int pv_device_iothread_add_fd(struct pv_device *dev, int fd, pv_io_fn fn, void *opaque);
int pv_device_iothread_del_fd(struct pv_device *dev, int fd);

#endif
