/* SPDX-License-Identifier: MIT */
/*
 * A small xenbus frontend for guest tests, doing what Linux's xenbus_probe_frontend.c and
 * xenbus_client.c do for a driver: find the device under device/<type>/<id> and read the
 * other end's path and domain (xenbus_read_otherend_details), grant pages and allocate
 * event channels to that domain, publish keys and walk the frontend states of
 * io/xenbus.h while watching the backend's state.
 */
#ifndef KIT_XENBUS_H
#define KIT_XENBUS_H

#include "kit.h"

#include <xen/event_channel.h>
#include <xen/grant_table.h>
#include <xen/io/xenbus.h>

struct kit_xenbus_dev {
	char nodename[64]; /* device/<type>/<id>, relative to the domain's path */
	char otherend[128]; /* the backend's directory, from "backend" */
	domid_t otherend_id; /* from "backend-id" */
};

/* 0, or -1 when the device or its backend keys are missing (the domain needs a store). */
int kit_xenbus_probe(const char *type, unsigned int id, struct kit_xenbus_dev *dev);

/* The state in dir/state (the device's or the other end's), XenbusStateUnknown if none. */
enum xenbus_state kit_xenbus_read_state(const char *dir);
/* Writes our state (xenbus_switch_state); 0 or -1. */
int kit_xenbus_switch_state(struct kit_xenbus_dev *dev, enum xenbus_state state);
/* Waits up to `us` microseconds for the backend to reach `state`; false on a timeout. */
bool kit_xenbus_wait_otherend(struct kit_xenbus_dev *dev, enum xenbus_state state, uint64_t us);

/* dir/key as a decimal number; 0, or -1 when absent or not a number. */
int kit_xenbus_read_uint(const char *dir, const char *key, uint32_t *val);
/* Writes nodename/key = value; 0 or -1. */
int kit_xenbus_write(struct kit_xenbus_dev *dev, const char *key, const char *value);
int kit_xenbus_write_uint(struct kit_xenbus_dev *dev, const char *key, uint32_t value);

/* xenbus_alloc_evtchn(): a port unbound to the backend's domain. */
long kit_xenbus_alloc_evtchn(struct kit_xenbus_dev *dev, evtchn_port_t *port);
/*
 * xenbus_grant_ring() for one page: grants `page` (page-aligned, identity-mapped) to the
 * backend's domain, writable. The kit's grant table (frame 0) is placed on first use.
 */
long kit_xenbus_grant_ring(struct kit_xenbus_dev *dev, void *page, grant_ref_t *ref);
/* gnttab_end_foreign_access_ref(): false while the backend still holds the grant. */
bool kit_xenbus_end_grant(grant_ref_t ref);
/* The grant entry's flags (GTF_*), to see what the backend holds. */
uint16_t kit_xenbus_grant_flags(grant_ref_t ref);

#endif
