// SPDX-License-Identifier: MIT
/* Guest-side xenstore client: see xs.h. */
#include "xs.h"
#include "events.h"
#include "hypercall.h"

#include <xen/hvm/params.h>

static struct xenstore_domain_interface *ring;
static evtchn_port_t port;
static uint32_t next_req_id = 1;

/* Watch events that arrived while waiting for a reply: kept until asked for. */
#define EVENT_QUEUE 8
static struct {
	char data[256];
	uint32_t len;
} events[EVENT_QUEUE];
static unsigned int ev_head, ev_count;

static long get_param(uint32_t index, uint64_t *value)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
	long rc = hypercall2(__HYPERVISOR_hvm_op, HVMOP_get_param, &p);

	*value = p.value;
	return rc;
}

int kit_xs_init(void)
{
	uint64_t pfn, evtchn;

	if (get_param(HVM_PARAM_STORE_PFN, &pfn) || get_param(HVM_PARAM_STORE_EVTCHN, &evtchn) ||
	    !pfn)
		return -1;
	/* The kit identity-maps the low 4 GiB, where the VMM places the store page. */
	ring = (struct xenstore_domain_interface *)(uintptr_t)(pfn << 12);
	port = (evtchn_port_t)evtchn;
	return 0;
}

static bool ring_write(const void *data, uint32_t len)
{
	const char *p = data;
	uint64_t deadline = kit_system_time() + 1000000000ULL;

	while (len) {
		XENSTORE_RING_IDX prod = ring->req_prod,
				  cons = __atomic_load_n(&ring->req_cons, __ATOMIC_ACQUIRE);
		uint32_t space = XENSTORE_RING_SIZE - (prod - cons);

		if (!space) {
			if (kit_system_time() > deadline)
				return false;
			continue;
		}
		while (space && len) {
			ring->req[MASK_XENSTORE_IDX(prod)] = *p++;
			prod++;
			space--;
			len--;
		}
		__atomic_store_n(&ring->req_prod, prod, __ATOMIC_RELEASE);
		kit_send(port);
	}
	return true;
}

static bool ring_read(void *data, uint32_t len)
{
	char *p = data;
	uint64_t deadline = kit_system_time() + 1000000000ULL;

	while (len) {
		XENSTORE_RING_IDX cons = ring->rsp_cons,
				  prod = __atomic_load_n(&ring->rsp_prod, __ATOMIC_ACQUIRE);

		if (prod == cons) {
			if (kit_system_time() > deadline)
				return false;
			continue;
		}
		while (prod != cons && len) {
			*p++ = ring->rsp[MASK_XENSTORE_IDX(cons)];
			cons++;
			len--;
		}
		__atomic_store_n(&ring->rsp_cons, cons, __ATOMIC_RELEASE);
		kit_send(port);
	}
	return true;
}

/* Reads one message; watch events go to the queue. Returns the header. */
static bool read_message(struct xsd_sockmsg *hdr, char *body, uint32_t size)
{
	if (!ring_read(hdr, sizeof(*hdr)) || hdr->len > XENSTORE_PAYLOAD_MAX)
		return false;
	if (hdr->len > size) {
		char discard[64];

		for (uint32_t left = hdr->len; left;) {
			uint32_t n = left < sizeof(discard) ? left : sizeof(discard);

			if (!ring_read(discard, n))
				return false;
			left -= n;
		}
		hdr->len = 0;
		return true;
	}
	return ring_read(body, hdr->len);
}

static void queue_event(const char *body, uint32_t len)
{
	unsigned int slot = (ev_head + ev_count) % EVENT_QUEUE;

	if (ev_count == EVENT_QUEUE || len > sizeof(events[0].data))
		return;
	memcpy(events[slot].data, body, len);
	events[slot].len = len;
	ev_count++;
}

int kit_xs_request(uint32_t type, uint32_t tx, const void *payload, uint32_t plen, char *reply,
		   uint32_t *len)
{
	struct xsd_sockmsg hdr = {
		.type = type, .req_id = next_req_id++, .tx_id = tx, .len = plen
	};
	static char body[XENSTORE_PAYLOAD_MAX];

	if (!ring || !ring_write(&hdr, sizeof(hdr)) || !ring_write(payload, plen))
		return -1;
	for (;;) {
		struct xsd_sockmsg r;

		if (!read_message(&r, body, sizeof(body)))
			return -1;
		if (r.type == XS_WATCH_EVENT) {
			queue_event(body, r.len);
			continue;
		}
		if (r.req_id != hdr.req_id)
			continue;
		memcpy(reply, body, r.len);
		*len = r.len;
		return (int)r.type;
	}
}

int kit_xs_read(uint32_t tx, const char *path, char *buf, uint32_t size)
{
	static char reply[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t len;
	int type = kit_xs_request(XS_READ, tx, path, strlen(path) + 1, reply, &len);

	if (type < 0)
		return type;
	reply[len] = '\0';
	if (size) {
		uint32_t n = len < size - 1 ? len : size - 1;

		memcpy(buf, reply, n);
		buf[n] = '\0';
	}
	return type;
}

int kit_xs_write(uint32_t tx, const char *path, const char *value)
{
	static char msg[XENSTORE_PAYLOAD_MAX], reply[XENSTORE_PAYLOAD_MAX];
	uint32_t plen = strlen(path) + 1, vlen = strlen(value), len;

	if (plen + vlen > sizeof(msg))
		return -1;
	memcpy(msg, path, plen);
	memcpy(msg + plen, value, vlen);
	return kit_xs_request(XS_WRITE, tx, msg, plen + vlen, reply, &len);
}

int kit_xs_watch(const char *path, const char *token)
{
	static char msg[512], reply[XENSTORE_PAYLOAD_MAX];
	uint32_t plen = strlen(path) + 1, tlen = strlen(token) + 1, len;

	if (plen + tlen > sizeof(msg))
		return -1;
	memcpy(msg, path, plen);
	memcpy(msg + plen, token, tlen);
	return kit_xs_request(XS_WATCH, 0, msg, plen + tlen, reply, &len);
}

/* Copies at most len bytes of s, NUL-terminated, into out[size]. */
static void copy_str(char *out, uint32_t size, const char *s, uint32_t len)
{
	uint32_t n = strnlen(s, len);

	if (n > size - 1)
		n = size - 1;
	memcpy(out, s, n);
	out[n] = '\0';
}

/* A watch event's payload is the path and the token, each NUL-terminated. */
static void split_event(unsigned int slot, char *path, uint32_t psize, char *token, uint32_t tsize)
{
	const char *d = events[slot].data;
	uint32_t len = events[slot].len;
	uint32_t plen = strnlen(d, len);

	copy_str(path, psize, d, len);
	if (plen + 1 < len)
		copy_str(token, tsize, d + plen + 1, len - plen - 1);
	else
		token[0] = '\0';
}

int kit_xs_wait_event(char *path, uint32_t path_size, char *token, uint32_t token_size, uint64_t us)
{
	static char body[XENSTORE_PAYLOAD_MAX];
	uint64_t deadline = kit_system_time() + us * 1000;

	while (!ev_count) {
		XENSTORE_RING_IDX prod = __atomic_load_n(&ring->rsp_prod, __ATOMIC_ACQUIRE);
		struct xsd_sockmsg r;

		if (prod == ring->rsp_cons) {
			if (kit_system_time() > deadline)
				return -1;
			continue;
		}
		if (!read_message(&r, body, sizeof(body)))
			return -1;
		if (r.type == XS_WATCH_EVENT)
			queue_event(body, r.len);
	}
	split_event(ev_head, path, path_size, token, token_size);
	ev_head = (ev_head + 1) % EVENT_QUEUE;
	ev_count--;
	return 0;
}
