// SPDX-License-Identifier: GPL-2.0
/*
 * xenstored daemon layer: the wire protocol (framing, errors, limits), watches, the
 * guest ring transport against an in-memory ring (including hostile rings that must
 * disconnect only their own domain) and the journal. Messages are built as xs_wire.h
 * defines them; expected replies and errno names are xenstore.txt's.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "toolstack/xenstored/daemon.h"
#include "toolstack/xenstored/loop.h"
#include "toolstack/xenstored/ring.h"

static struct xsd d;
static struct conn *c0; /* a socket connection: privileged dom0 */
static uint32_t next_req = 1;

static int setup(void)
{
	static const struct caller dom0 = { .domid = 0, .target = -1, .privileged = true };

	if (xsd_init(&d))
		return -1;
	d.opt.no_fork = true; /* logs to stderr */
	c0 = conn_new(&d, CONN_SOCKET, &dom0);
	return c0 ? 0 : -1;
}

static int teardown(void)
{
	xsd_fini(&d);
	return 0;
}

/* Sends one request on c; payload is len bytes. */
static void send_msg(struct conn *c, uint32_t type, uint32_t tx, const void *p, uint32_t len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = next_req++, .tx_id = tx, .len = len };

	CU_ASSERT_EQUAL(conn_feed(&d, c, (const char *)&h, sizeof(h)), 0);
	if (len)
		CU_ASSERT_EQUAL(conn_feed(&d, c, p, len), 0);
}

/* Pops the next queued message of c into h/body; false if none. */
static bool pop(struct conn *c, struct xsd_sockmsg *h, char *body)
{
	if (c->out_len - c->out_off < sizeof(*h))
		return false;
	memcpy(h, c->out + c->out_off, sizeof(*h));
	memcpy(body, c->out + c->out_off + sizeof(*h), h->len);
	body[h->len] = '\0';
	c->out_off += sizeof(*h) + h->len;
	return true;
}

/* Request + its reply; returns the reply type and body. */
static uint32_t call(struct conn *c, uint32_t type, uint32_t tx, const void *p, uint32_t len,
		     char *body)
{
	struct xsd_sockmsg h;

	send_msg(c, type, tx, p, len);
	while (pop(c, &h, body))
		if (h.type != XS_WATCH_EVENT)
			return h.type;
	return 0xdead;
}

#define CALL_S(c, type, str, body) call(c, type, 0, str, sizeof(str), body)

static void test_errors_and_framing(void)
{
	char b[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg h = { .type = XS_READ, .len = XENSTORE_PAYLOAD_MAX + 1 };

	CU_ASSERT_EQUAL(call(c0, 999, 0, "x", 2, b), XS_ERROR);
	CU_ASSERT_STRING_EQUAL(b, "EINVAL");
	CU_ASSERT_EQUAL(call(c0, XS_WATCH_EVENT, 0, "a\0b", 4, b), XS_ERROR);
	CU_ASSERT_EQUAL(call(c0, XS_SET_TARGET + 1, 0, "x", 2, b), XS_ERROR); /* RESTRICT */
	CU_ASSERT_EQUAL(call(c0, XS_READ, 0, "/nonul", 6, b), XS_ERROR);
	CU_ASSERT_STRING_EQUAL(b, "EINVAL");
	CU_ASSERT_EQUAL(call(c0, XS_READ, 0, NULL, 0, b), XS_ERROR);
	CU_ASSERT_EQUAL(CALL_S(c0, XS_READ, "/absent", b), XS_ERROR);
	CU_ASSERT_STRING_EQUAL(b, "ENOENT");
	CU_ASSERT_EQUAL(call(c0, XS_READ, 77, "/", 2, b), XS_ERROR); /* unknown tx */
	CU_ASSERT_STRING_EQUAL(b, "ENOENT");
	CU_ASSERT_EQUAL(call(c0, XS_TRANSACTION_START, 5, "", 1, b), XS_ERROR);
	CU_ASSERT_STRING_EQUAL(b, "EBUSY");
	CU_ASSERT_EQUAL(CALL_S(c0, XS_GET_DOMAIN_PATH, "12", b), XS_GET_DOMAIN_PATH);
	CU_ASSERT_STRING_EQUAL(b, "/local/domain/12");
	CU_ASSERT_EQUAL(CALL_S(c0, XS_GET_DOMAIN_PATH, "x12", b), XS_ERROR);
	/* A header announcing more than XENSTORE_PAYLOAD_MAX breaks the stream. */
	CU_ASSERT_EQUAL(conn_feed(&d, c0, (const char *)&h, sizeof(h)), -EPROTO);
	c0->hdr_have = c0->body_have = 0; /* the transport would close it; reuse here */
}

static void test_write_directory_part(void)
{
	char b[XENSTORE_PAYLOAD_MAX + 1], msg[64], names[9000];
	size_t off = 0;
	int n;

	for (int i = 0; i < 500; i++) {
		n = snprintf(msg, sizeof(msg), "/big/name-%04d%cv", i, 0);
		CU_ASSERT_EQUAL(call(c0, XS_WRITE, 0, msg, (uint32_t)n, b), XS_WRITE);
	}
	CU_ASSERT_EQUAL(CALL_S(c0, XS_DIRECTORY, "/big", b), XS_ERROR);
	CU_ASSERT_STRING_EQUAL(b, "E2BIG"); /* 400 * 10 bytes > 4096 */
	/* DIRECTORY_PART: "<gen>\0" then whole names; a final extra NUL ends the list. */
	for (int round = 0; round < 5; round++) {
		struct xsd_sockmsg h;

		n = snprintf(msg, sizeof(msg), "/big%c%zu", 0, off);
		send_msg(c0, XS_DIRECTORY_PART, 0, msg, (uint32_t)n + 1);
		CU_ASSERT_FATAL(pop(c0, &h, b) && h.type == XS_DIRECTORY_PART);
		size_t gl = strlen(b) + 1, len = h.len - gl;

		memcpy(names + off, b + gl, len);
		off += len;
		if (len >= 2 && b[h.len - 1] == 0 && b[h.len - 2] == 0)
			break;
	}
	CU_ASSERT_EQUAL(off, 500 * 10 + 1);
	CU_ASSERT_STRING_EQUAL(names, "name-0000");
	CU_ASSERT_STRING_EQUAL(names + 499 * 10, "name-0499");
}

static void test_watch_semantics(void)
{
	char b[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg h;

	CU_ASSERT_EQUAL(call(c0, XS_WATCH, 0, "/w/a\0t1", 8, b), XS_WATCH);
	CU_ASSERT(pop(c0, &h, b) && h.type == XS_WATCH_EVENT && !strcmp(b, "/w/a") &&
		  !strcmp(b + 5, "t1"));
	CU_ASSERT_EQUAL(call(c0, XS_WATCH, 0, "/w/a\0t1", 8, b), XS_ERROR);
	CU_ASSERT_STRING_EQUAL(b, "EEXIST");
	CALL_S(c0, XS_MKDIR, "/w/ab", b); /* a sibling with a common prefix: no event */
	CU_ASSERT(!pop(c0, &h, b));
	send_msg(c0, XS_WRITE, 0, "/w/a/x/y\0v", 10);
	CU_ASSERT(pop(c0, &h, b) && h.type == XS_WATCH_EVENT && !strcmp(b, "/w/a/x/y"));
	CU_ASSERT(pop(c0, &h, b) && h.type == XS_WRITE);
	send_msg(c0, XS_RM, 0, "/w", 3);
	CU_ASSERT(pop(c0, &h, b) && h.type == XS_WATCH_EVENT && !strcmp(b, "/w/a"));
	CU_ASSERT(pop(c0, &h, b) && h.type == XS_RM);
	CU_ASSERT_EQUAL(CALL_S(c0, XS_RESET_WATCHES, "", b), XS_RESET_WATCHES);
	CALL_S(c0, XS_MKDIR, "/w/a", b);
	CU_ASSERT(!pop(c0, &h, b));
	CU_ASSERT_EQUAL(call(c0, XS_UNWATCH, 0, "/w/a\0t1", 8, b), XS_ERROR);
	CU_ASSERT_STRING_EQUAL(b, "ENOENT");
}

/* --- the ring transport against an in-memory ring --- */

struct guest {
	int page_fd, kick_fd, notify_fd;
	struct xenstore_domain_interface *intf;
	unsigned int domid;
};

static void guest_new(struct guest *g, unsigned int domid)
{
	g->domid = domid;
	g->page_fd = memfd_create("ring", 0);
	g->kick_fd = eventfd(0, 0);
	g->notify_fd = eventfd(0, EFD_NONBLOCK);
	CU_ASSERT_FATAL(g->page_fd >= 0 && !ftruncate(g->page_fd, 4096));
	g->intf = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, g->page_fd, 0);
	CU_ASSERT_FATAL(g->intf != MAP_FAILED);
}

/* Introduce g on c0 with its descriptors (dup'ed: the daemon owns its copies). */
static void guest_introduce(struct guest *g)
{
	char b[XENSTORE_PAYLOAD_MAX + 1], msg[32];
	int n = snprintf(msg, sizeof(msg), "%u%c0%c1", g->domid, 0, 0);

	c0->fds[0] = dup(g->page_fd);
	c0->fds[1] = dup(g->kick_fd);
	c0->fds[2] = dup(g->notify_fd);
	c0->nfds = 3;
	c0->fds_pos = c0->rx_pos + sizeof(struct xsd_sockmsg); /* inside this message */
	CU_ASSERT_EQUAL(call(c0, XS_INTRODUCE, 0, msg, (uint32_t)n + 1, b), XS_INTRODUCE);
	CU_ASSERT_EQUAL(g->intf->server_features,
			XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR);
}

static void guest_put(struct guest *g, const void *p, size_t len)
{
	for (size_t i = 0; i < len; i++)
		g->intf->req[MASK_XENSTORE_IDX(g->intf->req_prod + i)] = ((const char *)p)[i];
	g->intf->req_prod += (XENSTORE_RING_IDX)len;
}

static void guest_request(struct guest *g, uint32_t type, const void *p, uint32_t len)
{
	struct xsd_sockmsg h = { .type = type, .req_id = 42, .len = len };

	guest_put(g, &h, sizeof(h));
	guest_put(g, p, len);
}

static struct conn *conn_of(unsigned int domid)
{
	struct domain *dom = domain_find(&d, domid);

	return dom ? dom->conn : NULL;
}

/* The VMM's kick, then the event loop's end of batch. */
static void kick(struct guest *g)
{
	struct conn *c = conn_of(g->domid);

	if (c)
		ring_kick(&d, c);
	xsd_after_batch(&d);
}

static bool guest_reply(struct guest *g, struct xsd_sockmsg *h, char *body)
{
	struct xenstore_domain_interface *in = g->intf;

	if (in->rsp_prod - in->rsp_cons < sizeof(*h))
		return false;
	for (size_t i = 0; i < sizeof(*h); i++)
		((char *)h)[i] = in->rsp[MASK_XENSTORE_IDX(in->rsp_cons + i)];
	for (size_t i = 0; i < h->len; i++)
		body[i] = in->rsp[MASK_XENSTORE_IDX(in->rsp_cons + sizeof(*h) + i)];
	body[h->len] = '\0';
	in->rsp_cons += (XENSTORE_RING_IDX)(sizeof(*h) + h->len);
	return true;
}

static void test_ring_requests(void)
{
	struct guest g;
	struct xsd_sockmsg h;
	char b[XENSTORE_PAYLOAD_MAX + 1];
	uint64_t notified = 0;

	guest_new(&g, 3);
	guest_introduce(&g);
	CALL_S(c0, XS_MKDIR, "/local/domain/3", b);
	call(c0, XS_SET_PERMS, 0, "/local/domain/3\0n3", 19, b);
	/* Many requests in one kick, wrapping the 1024-byte ring several times. */
	for (int round = 0; round < 40; round++) {
		guest_request(&g, XS_WRITE, "k\0value-value", 14);
		kick(&g);
		CU_ASSERT(guest_reply(&g, &h, b) && h.type == XS_WRITE && h.req_id == 42 &&
			  !strcmp(b, "OK"));
	}
	guest_request(&g, XS_READ, "/local/domain/3/k", 18);
	kick(&g);
	CU_ASSERT(guest_reply(&g, &h, b) && h.type == XS_READ && !strcmp(b, "value-value"));
	guest_request(&g, XS_READ, "/local/domain/0", 16);
	kick(&g);
	CU_ASSERT(guest_reply(&g, &h, b) && h.type == XS_ERROR && !strcmp(b, "EACCES"));
	guest_request(&g, XS_INTRODUCE,
		      "9\0"
		      "1\0"
		      "1",
		      6);
	kick(&g);
	CU_ASSERT(guest_reply(&g, &h, b) && h.type == XS_ERROR && !strcmp(b, "EACCES"));
	/* A request split across two kicks is reassembled. */
	guest_put(&g, &(struct xsd_sockmsg){ .type = XS_READ, .req_id = 7, .len = 18 }, 16);
	kick(&g);
	CU_ASSERT(!guest_reply(&g, &h, b));
	guest_put(&g, "/local/domain/3/k", 18);
	kick(&g);
	CU_ASSERT(guest_reply(&g, &h, b) && h.req_id == 7);
	CU_ASSERT(read(g.notify_fd, &notified, 8) == 8 && notified > 0);
	/* Reconnect (4.17 feature): the daemon resets the ring and says connected. */
	g.intf->connection = XENSTORE_RECONNECT;
	guest_put(&g, "garbage", 7);
	kick(&g);
	CU_ASSERT_EQUAL(g.intf->connection, XENSTORE_CONNECTED);
	CU_ASSERT(g.intf->req_prod == 0 && g.intf->req_cons == 0 && g.intf->rsp_prod == 0);
	guest_request(&g, XS_READ, "/local/domain/3/k", 18);
	kick(&g);
	CU_ASSERT(guest_reply(&g, &h, b) && h.type == XS_READ);
}

/*
 * Requests and replies cross the ring whole when they fit it: a daemon killed between two
 * reads or writes must not leave half a message for the daemon restarted in its place.
 */
static void test_ring_whole_messages(void)
{
	struct guest g;
	struct xsd_sockmsg h;
	char b[XENSTORE_PAYLOAD_MAX + 1], value[18 + 2000]; /* the path and a 2000-byte value */
	XENSTORE_RING_IDX before;

	guest_new(&g, 5);
	guest_introduce(&g);
	CALL_S(c0, XS_MKDIR, "/local/domain/5", b);
	call(c0, XS_SET_PERMS, 0, "/local/domain/5\0n5", 19, b);
	memset(value, 'v', sizeof(value));
	memcpy(value, "/local/domain/5/v", 18);
	call(c0, XS_WRITE, 0, value, 18 + 300, b);
	/* A header without its body stays in the ring. */
	before = g.intf->req_cons;
	guest_put(&g, &(struct xsd_sockmsg){ .type = XS_READ, .req_id = 8, .len = 18 }, 16);
	kick(&g);
	CU_ASSERT_EQUAL(g.intf->req_cons, before);
	guest_put(&g, "/local/domain/5/v", 18);
	kick(&g);
	CU_ASSERT_EQUAL(g.intf->req_cons, before + 16 + 18);
	CU_ASSERT(guest_reply(&g, &h, b) && h.req_id == 8 && h.len == 300);
	/* Four 316-byte replies: three fit the 1024-byte ring, the fourth waits whole. */
	for (int i = 0; i < 4; i++)
		guest_request(&g, XS_READ, "/local/domain/5/v", 18);
	kick(&g);
	CU_ASSERT_EQUAL(g.intf->rsp_prod - g.intf->rsp_cons, 3 * 316);
	for (int i = 0; i < 3; i++)
		CU_ASSERT(guest_reply(&g, &h, b) && h.len == 300);
	kick(&g);
	CU_ASSERT_EQUAL(g.intf->rsp_prod - g.intf->rsp_cons, 316);
	CU_ASSERT(guest_reply(&g, &h, b) && h.len == 300);
	/* A reply larger than the ring goes in pieces: the first fills it. */
	call(c0, XS_WRITE, 0, value, 18 + 2000, b);
	guest_request(&g, XS_READ, "/local/domain/5/v", 18);
	kick(&g);
	CU_ASSERT_EQUAL(g.intf->rsp_prod - g.intf->rsp_cons, XENSTORE_RING_SIZE);
	g.intf->rsp_cons = g.intf->rsp_prod;
	kick(&g);
	CU_ASSERT_EQUAL(g.intf->rsp_prod - g.intf->rsp_cons, 16 + 2000 - XENSTORE_RING_SIZE);
}

/*
 * Linux's writer (drivers/xen/xenbus/xenbus_comms.c xb_write) puts a request's header and
 * payload with two writes and kicks only when the ring was empty before a write: the
 * payload after an unconsumed header comes with no kick. The loop must look again.
 */
static void test_ring_linux_writer(void)
{
	struct guest g;
	struct xsd_sockmsg h;
	char b[XENSTORE_PAYLOAD_MAX + 1];

	guest_new(&g, 6);
	guest_introduce(&g);
	CALL_S(c0, XS_MKDIR, "/local/domain/6", b);
	call(c0, XS_SET_PERMS, 0, "/local/domain/6\0n6", 19, b);
	CU_ASSERT_EQUAL(xsd_wait_ms(&d, false), -1);
	guest_put(&g, &(struct xsd_sockmsg){ .type = XS_READ, .req_id = 9, .len = 16 }, 16);
	kick(&g);
	CU_ASSERT_EQUAL(xsd_wait_ms(&d, false), XSD_PARTIAL_POLL_MS);
	CU_ASSERT_EQUAL(xsd_wait_ms(&d, true), 0);
	guest_put(&g, "/local/domain/6", 16);
	/* No kick: what the loop does when its poll times out. */
	xsd_after_batch(&d);
	CU_ASSERT(guest_reply(&g, &h, b) && h.req_id == 9 && h.type == XS_READ);
	CU_ASSERT_EQUAL(xsd_wait_ms(&d, false), -1);
}

/* Descriptors that cannot be mapped: EINVAL, and no domain is left registered. */
static void test_ring_bad_introduce(void)
{
	struct guest g;
	char b[XENSTORE_PAYLOAD_MAX + 1];
	const char msg[] = "61\0"
			   "99999\0"
			   "1";

	guest_new(&g, 61);
	c0->fds[0] = dup(g.page_fd); /* one page only: page 99999 is beyond its end */
	c0->fds[1] = dup(g.kick_fd);
	c0->fds[2] = dup(g.notify_fd);
	c0->nfds = 3;
	c0->fds_pos = c0->rx_pos + sizeof(struct xsd_sockmsg);
	CU_ASSERT_EQUAL(call(c0, XS_INTRODUCE, 0, msg, sizeof(msg), b), XS_ERROR);
	CU_ASSERT_STRING_EQUAL(b, "EINVAL");
	CU_ASSERT_PTR_NULL(domain_find(&d, 61));
	xsd_after_batch(&d);
}

static void test_ring_hostile(void)
{
	struct guest bad, good, worse;
	struct xsd_sockmsg h;
	char b[XENSTORE_PAYLOAD_MAX + 1];

	guest_new(&good, 21);
	guest_new(&bad, 22);
	guest_new(&worse, 23);
	guest_introduce(&good);
	guest_introduce(&bad);
	guest_introduce(&worse);
	/* Producer index far beyond the consumer: a ring index violation. */
	bad.intf->req_prod = bad.intf->req_cons + 5000;
	kick(&bad);
	CU_ASSERT_EQUAL(bad.intf->error, XENSTORE_ERROR_RINGIDX);
	CU_ASSERT_PTR_NULL(conn_of(22));
	CU_ASSERT(domain_find(&d, 22) != NULL); /* still introduced, only disconnected */
	/* A header announcing an oversized payload: a protocol violation. */
	guest_put(&worse, &(struct xsd_sockmsg){ .type = XS_WRITE, .len = 100000 }, 16);
	kick(&worse);
	CU_ASSERT_EQUAL(worse.intf->error, XENSTORE_ERROR_PROTO);
	CU_ASSERT_PTR_NULL(conn_of(23));
	/* Garbage within the rules only earns errors; every other domain is served. */
	guest_request(&good, 0x7777, "\xff\xfe", 2);
	guest_request(&good, XS_READ, "\x01\x02\x03", 3);
	guest_request(&good, XS_GET_DOMAIN_PATH, "21", 3);
	kick(&good);
	CU_ASSERT(guest_reply(&good, &h, b) && h.type == XS_ERROR && !strcmp(b, "EINVAL"));
	CU_ASSERT(guest_reply(&good, &h, b) && h.type == XS_ERROR && !strcmp(b, "EINVAL"));
	CU_ASSERT(guest_reply(&good, &h, b) && h.type == XS_GET_DOMAIN_PATH);
	/* The response consumer index can be hostile too. */
	good.intf->rsp_cons = good.intf->rsp_prod + 3000;
	guest_request(&good, XS_GET_DOMAIN_PATH, "21", 3);
	kick(&good);
	CU_ASSERT_EQUAL(good.intf->error, XENSTORE_ERROR_RINGIDX);
	CU_ASSERT_EQUAL(CALL_S(c0, XS_GET_DOMAIN_PATH, "1", b), XS_GET_DOMAIN_PATH);
	/* RELEASE removes the domain: IS_DOMAIN_INTRODUCED then says F. */
	CU_ASSERT_EQUAL(CALL_S(c0, XS_RELEASE, "22", b), XS_RELEASE);
	CU_ASSERT_EQUAL(CALL_S(c0, XS_IS_DOMAIN_INTRODUCED, "22", b), XS_IS_DOMAIN_INTRODUCED);
	CU_ASSERT_STRING_EQUAL(b, "F");
}

static void test_guest_limits(void)
{
	struct guest g;
	struct xsd_sockmsg h;
	char b[XENSTORE_PAYLOAD_MAX + 1], w[32];

	guest_new(&g, 31);
	guest_introduce(&g);
	d.q.transactions = 2;
	d.q.watches = 2;
	for (int i = 0; i < 3; i++)
		guest_request(&g, XS_TRANSACTION_START, "", 1);
	kick(&g);
	CU_ASSERT(guest_reply(&g, &h, b) && h.type == XS_TRANSACTION_START);
	CU_ASSERT(guest_reply(&g, &h, b) && h.type == XS_TRANSACTION_START);
	CU_ASSERT(guest_reply(&g, &h, b) && h.type == XS_ERROR && !strcmp(b, "ENOSPC"));
	for (int i = 0; i < 3; i++) {
		int n = snprintf(w, sizeof(w), "/x%c%d", 0, i);

		guest_request(&g, XS_WATCH, w, (uint32_t)n + 1);
	}
	kick(&g);
	for (int i = 0; i < 2; i++) {
		CU_ASSERT(guest_reply(&g, &h, b) && h.type == XS_WATCH);
		CU_ASSERT(guest_reply(&g, &h, b) && h.type == XS_WATCH_EVENT);
	}
	CU_ASSERT(guest_reply(&g, &h, b) && h.type == XS_ERROR && !strcmp(b, "E2BIG"));
	CU_ASSERT_EQUAL(call(c0, XS_TRANSACTION_START, 0, "", 1, b), XS_TRANSACTION_START);
	CU_ASSERT_EQUAL(call(c0, XS_TRANSACTION_START, 0, "", 1, b), XS_TRANSACTION_START);
	CU_ASSERT_EQUAL(call(c0, XS_TRANSACTION_START, 0, "", 1, b), XS_TRANSACTION_START);
	d.q.transactions = 10;
	d.q.watches = 128;
}

/* A guest that never consumes replies stops being read ("outstanding"), then resumes. */
static void test_ring_backpressure(void)
{
	struct guest g;
	struct xsd_sockmsg h;
	char b[XENSTORE_PAYLOAD_MAX + 1];
	int answered = 0;
	struct conn *c;

	guest_new(&g, 41);
	guest_introduce(&g);
	d.q.outstanding = 1; /* one reply's worth of bytes may wait */
	c = conn_of(41);
	static char msg[2100] = "/local/domain/41/v";

	memset(msg + 19, 'x', 2000); /* a 2000-byte value: replies of 2016 bytes */
	CU_ASSERT_EQUAL(call(c0, XS_WRITE, 0, msg, 19 + 2000, b), XS_WRITE);
	call(c0, XS_SET_PERMS, 0, "/local/domain/41/v\0r41", 23, b);
	for (int i = 0; i < 25; i++) /* 25 * 35 bytes fit the 1024-byte ring */
		guest_request(&g, XS_READ, "/local/domain/41/v", 19);
	kick(&g);
	/* The rsp ring holds 1024 bytes; beyond one reply's worth queued, no more reading. */
	CU_ASSERT(g.intf->req_cons != g.intf->req_prod);
	CU_ASSERT(c->out_len - c->out_off <= 4112 + 2016);
	/* Now consume as a guest does: take what is there, kick, repeat. */
	static char acc[65536];
	size_t have = 0;

	for (int round = 0; round < 500 && answered < 25; round++) {
		struct xenstore_domain_interface *in = g.intf;

		while (in->rsp_cons != in->rsp_prod && have < sizeof(acc))
			acc[have++] = in->rsp[MASK_XENSTORE_IDX(in->rsp_cons++)];
		while (have >= sizeof(h)) {
			memcpy(&h, acc, sizeof(h));
			if (have < sizeof(h) + h.len)
				break;
			answered += h.type == XS_READ && h.len == 2000;
			memmove(acc, acc + sizeof(h) + h.len, have - sizeof(h) - h.len);
			have -= sizeof(h) + h.len;
		}
		kick(&g);
	}
	CU_ASSERT_EQUAL(answered, 25);
	CU_ASSERT_EQUAL(g.intf->req_cons, g.intf->req_prod);
	d.q.outstanding = 20;
}

/* Events a guest never consumes: past the memory quota only that guest is cut off. */
static void test_event_backlog(void)
{
	struct guest g;
	char b[XENSTORE_PAYLOAD_MAX + 1];

	guest_new(&g, 51);
	guest_introduce(&g);
	CALL_S(c0, XS_MKDIR, "/local/domain/51", b);
	call(c0, XS_SET_PERMS, 0, "/local/domain/51\0n51", 21, b);
	guest_request(&g, XS_WATCH, "/local/domain/51\0t", 19);
	kick(&g);
	d.q.memory = 20000;
	for (int i = 0; i < 2000 && conn_of(51); i++) {
		call(c0, XS_WRITE, 0, "/local/domain/51/x\0v", 20, b);
		xsd_after_batch(&d);
	}
	CU_ASSERT_PTR_NULL(conn_of(51));
	CU_ASSERT_EQUAL(g.intf->error, XENSTORE_ERROR_COMM);
	CU_ASSERT_EQUAL(CALL_S(c0, XS_READ, "/local/domain/51/x", b), XS_READ);
	d.q.memory = 2 * 1024 * 1024 + 512 * 1024;
}

static void test_control(void)
{
	char b[XENSTORE_PAYLOAD_MAX + 1];

	CU_ASSERT_EQUAL(CALL_S(c0, XS_CONTROL, "help", b), XS_CONTROL);
	CU_ASSERT(strstr(b, "quota") && strstr(b, "memreport") && strstr(b, "print"));
	CU_ASSERT_EQUAL(call(c0, XS_CONTROL, 0,
			     "quota\0set\0nodes\0"
			     "77",
			     19, b),
			XS_CONTROL);
	CU_ASSERT_EQUAL(d.q.entries, 77);
	CU_ASSERT_EQUAL(call(c0, XS_CONTROL, 0, "log\0on", 7, b), XS_CONTROL);
	CU_ASSERT_EQUAL(call(c0, XS_CONTROL, 0, "log\0maybe", 10, b), XS_ERROR);
	d.q.entries = 1000;
}

static void test_journal_reload(void)
{
	char dir[] = "/tmp/xsd-unit-XXXXXX", path[128], b[XENSTORE_PAYLOAD_MAX + 1];
	static const struct caller dom0 = { .domid = 0, .target = -1, .privileged = true };
	static struct xsd d2;
	struct conn *c;
	FILE *f;

	CU_ASSERT_FATAL(mkdtemp(dir) != NULL);
	CU_ASSERT_FATAL(xsd_init(&d2) == 0);
	d2.opt.no_fork = true;
	d2.opt.db_dir = dir;
	CU_ASSERT_FATAL(xsd_open_db(&d2) == 0);
	c = conn_new(&d2, CONN_SOCKET, &dom0);
	for (int i = 0; i < 50; i++) {
		char msg[64];
		int n = snprintf(msg, sizeof(msg), "/j/k%d%cv%d", i, 0, i);
		struct xsd_sockmsg h = { .type = XS_WRITE, .len = (uint32_t)n };

		conn_feed(&d2, c, (const char *)&h, sizeof(h));
		conn_feed(&d2, c, msg, (uint32_t)n);
	}
	{
		struct xsd_sockmsg h = { .type = XS_RM, .len = 6 };

		conn_feed(&d2, c, (const char *)&h, sizeof(h));
		conn_feed(&d2, c, "/j/k7", 6);
	}
	domain_introduce(&d2, 44, 1, 2, NULL, 0, false);
	xsd_after_batch(&d2); /* the sync point of the event loop */
	xsd_fini(&d2);
	/* A record cut by a crash at the end of the journal. */
	snprintf(path, sizeof(path), "%s/xenstore.journal", dir);
	f = fopen(path, "a");
	CU_ASSERT_FATAL(f != NULL);
	fwrite("\x30\x00\x00\x00garbage", 1, 11, f);
	fclose(f);
	CU_ASSERT_FATAL(xsd_init(&d2) == 0);
	d2.opt.no_fork = true;
	d2.opt.db_dir = dir;
	CU_ASSERT_FATAL(xsd_open_db(&d2) == 0);
	CU_ASSERT_EQUAL(store_lookup(&d2.st, "/j/k49")->vlen, 3);
	CU_ASSERT_PTR_NULL(store_lookup(&d2.st, "/j/k7"));
	CU_ASSERT_PTR_NOT_NULL(domain_find(&d2, 44));
	CU_ASSERT_EQUAL(d2.st.count, 1 + 1 + 49);
	xsd_fini(&d2);
	snprintf(b, sizeof(b), "rm -rf %s", dir);
	CU_ASSERT_EQUAL(system(b), 0);
}

UNIT_SUITE(xenstored_daemon, setup, teardown, UNIT_TEST(test_errors_and_framing),
	   UNIT_TEST(test_write_directory_part), UNIT_TEST(test_watch_semantics),
	   UNIT_TEST(test_ring_requests), UNIT_TEST(test_ring_whole_messages),
	   UNIT_TEST(test_ring_linux_writer), UNIT_TEST(test_ring_bad_introduce),
	   UNIT_TEST(test_ring_hostile), UNIT_TEST(test_guest_limits),
	   UNIT_TEST(test_ring_backpressure), UNIT_TEST(test_event_backlog),
	   UNIT_TEST(test_control), UNIT_TEST(test_journal_reload))
