// SPDX-License-Identifier: MIT
/* The kit's xenbus frontend (xenbus.h). */
#include "xenbus.h"
#include "events.h"
#include "xs.h"
#include "tests/guests/gnttab_guest.h"

#define POLL_US 2000ULL

static uint8_t grant_frame[GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));
static volatile struct grant_entry_v1 *grants;
static grant_ref_t next_ref = GNTTAB_NR_RESERVED_ENTRIES; /* as Linux hands them out */

static void path_of(char *out, uint32_t size, const char *dir, const char *key)
{
	snprintf(out, size, "%s/%s", dir, key);
}

int kit_xenbus_read_uint(const char *dir, const char *key, uint32_t *val)
{
	char path[192], buf[24];
	uint32_t v = 0;

	path_of(path, sizeof(path), dir, key);
	if (kit_xs_read(0, path, buf, sizeof(buf)) != XS_READ || !buf[0])
		return -1;
	for (const char *p = buf; *p; p++) {
		if (*p < '0' || *p > '9' || v > 429496729u)
			return -1;
		v = v * 10 + (uint32_t)(*p - '0');
	}
	*val = v;
	return 0;
}

int kit_xenbus_probe(const char *type, unsigned int id, struct kit_xenbus_dev *dev)
{
	uint32_t backend_id;

	snprintf(dev->nodename, sizeof(dev->nodename), "device/%s/%u", type, id);
	{
		char path[96];

		path_of(path, sizeof(path), dev->nodename, "backend");
		if (kit_xs_read(0, path, dev->otherend, sizeof(dev->otherend)) != XS_READ ||
		    !dev->otherend[0])
			return -1;
	}
	if (kit_xenbus_read_uint(dev->nodename, "backend-id", &backend_id) ||
	    backend_id >= DOMID_FIRST_RESERVED)
		return -1;
	dev->otherend_id = (domid_t)backend_id;
	return 0;
}

enum xenbus_state kit_xenbus_read_state(const char *dir)
{
	uint32_t s;

	if (kit_xenbus_read_uint(dir, "state", &s) || s > XenbusStateReconfigured)
		return XenbusStateUnknown;
	return (enum xenbus_state)s;
}

int kit_xenbus_write(struct kit_xenbus_dev *dev, const char *key, const char *value)
{
	char path[96];

	path_of(path, sizeof(path), dev->nodename, key);
	return kit_xs_write(0, path, value) == XS_WRITE ? 0 : -1;
}

int kit_xenbus_write_uint(struct kit_xenbus_dev *dev, const char *key, uint32_t value)
{
	char buf[16];

	snprintf(buf, sizeof(buf), "%u", value);
	return kit_xenbus_write(dev, key, buf);
}

int kit_xenbus_switch_state(struct kit_xenbus_dev *dev, enum xenbus_state state)
{
	return kit_xenbus_write_uint(dev, "state", (uint32_t)state);
}

/* Linux watches the other end's state node; the kit looks at it until it changes. */
bool kit_xenbus_wait_otherend(struct kit_xenbus_dev *dev, enum xenbus_state state, uint64_t us)
{
	uint64_t deadline = kit_system_time() + us * 1000;

	for (;;) {
		if (kit_xenbus_read_state(dev->otherend) == state)
			return true;
		if (kit_system_time() > deadline)
			return false;
		kit_wait_for(false, POLL_US);
	}
}

long kit_xenbus_alloc_evtchn(struct kit_xenbus_dev *dev, evtchn_port_t *port)
{
	return kit_alloc_unbound(dev->otherend_id, port);
}

long kit_xenbus_grant_ring(struct kit_xenbus_dev *dev, void *page, grant_ref_t *ref)
{
	if (!grants) {
		long rc = gnttab_place_frame(0, gfn_of(grant_frame));

		if (rc)
			return rc;
		grants = (volatile struct grant_entry_v1 *)grant_frame;
	}
	if (next_ref >= GUEST_PAGE / sizeof(struct grant_entry_v1))
		return -1;
	*ref = next_ref++;
	gnttab_grant(&grants[*ref], dev->otherend_id, (uint32_t)gfn_of(page), GTF_permit_access);
	return 0;
}

bool kit_xenbus_end_grant(grant_ref_t ref)
{
	return grants && gnttab_end_access(&grants[ref]);
}

uint16_t kit_xenbus_grant_flags(grant_ref_t ref)
{
	return grants ? gnttab_flags(&grants[ref]) : 0;
}
