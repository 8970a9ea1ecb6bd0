/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The xenbus backend state machine of io/xenbus.h as a pure function, so that every
 * transition is unit-tested without xenstore. Given where the backend is and the state
 * the frontend shows now (watches coalesce: intermediate frontend states may never be
 * seen), it says what to do: disconnect, connect, and which state to write.
 *
 * The rules are those of Linux's backends (xen-blkback's frontend_changed()) and of
 * QEMU's xen-bus backends:
 * - frontend Initialising: a backend that closed earlier goes back to InitWait (the
 *   frontend reconnects after a module reload or a resume);
 * - frontend Initialised or Connected: connect and go to Connected, unless connected
 *   already; a backend that closed and missed the frontend's Initialising goes through
 *   the same reconnection;
 * - frontend Closing: disconnect, backend Closing;
 * - frontend Closed or gone (Unknown): disconnect, backend Closed;
 * - while the device is being removed nothing connects again.
 */
#ifndef XENKVM_DRIVERS_PV_XENBUS_STATE_H
#define XENKVM_DRIVERS_PV_XENBUS_STATE_H

#include <stdbool.h>
#include <xen/io/xenbus.h>

struct pv_xenbus_step {
	bool disconnect; /* run the backend's disconnect first (only when connected) */
	bool connect; /* then its connect */
	enum xenbus_state next; /* the backend's state after those (== current: no write) */
};

struct pv_xenbus_step pv_xenbus_next(enum xenbus_state backend, enum xenbus_state frontend,
				     bool connected, bool removing);

/* The name io/xenbus.h gives a state ("Connected"), or "invalid". */
const char *pv_xenbus_state_name(enum xenbus_state s);

#endif
