// SPDX-License-Identifier: GPL-2.0
/*
 * The xenstore ring (xs_wire.h, struct xenstore_domain_interface). The guest produces
 * requests into req[] and consumes replies from rsp[]; we do the opposite. Indices are
 * free-running and read once per pass; any producer/consumer pair more than a ring
 * apart is a protocol violation: we set the page's error field (the ERROR feature),
 * stop serving that ring and leave every other connection alone.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "toolstack/xenstored/daemon.h"
#include "toolstack/xenstored/ring.h"

#define PAGE_SIZE 4096ul

struct ring {
	struct xenstore_domain_interface *intf;
	int page_fd, kick_fd, notify_fd;
};

int ring_kick_fd(const struct conn *c)
{
	return c->ring ? c->ring->kick_fd : -1;
}

static void notify(struct ring *r)
{
	uint64_t one = 1;

	/* A full eventfd counter still means "pending": nothing to retry. */
	if (write(r->notify_fd, &one, sizeof(one)) < 0)
		return;
}

void ring_fail(struct conn *c, uint32_t error)
{
	__atomic_store_n(&c->ring->intf->error, error, __ATOMIC_RELEASE);
	notify(c->ring);
	c->dead = true;
}

int ring_attach(struct xsd *d, struct conn *c, int page_fd, unsigned long mfn, int kick_fd,
		int notify_fd)
{
	struct ring *r = calloc(1, sizeof(*r));
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = c };
	struct stat sb;
	void *map;

	if (!r || mfn > (unsigned long)INT64_MAX / PAGE_SIZE - 1)
		goto fail;
	/*
	 * Mapping past the end of the file succeeds but faults (SIGBUS) on first touch:
	 * the page must lie inside the file (guest RAM is a memfd of that size).
	 */
	if (fstat(page_fd, &sb) || (off_t)((mfn + 1) * PAGE_SIZE) > sb.st_size)
		goto fail;
	map = mmap(NULL, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED, page_fd,
		   (off_t)(mfn * PAGE_SIZE));
	if (map == MAP_FAILED)
		goto fail;
	r->intf = map;
	fcntl(kick_fd, F_SETFL, fcntl(kick_fd, F_GETFL) | O_NONBLOCK);
	fcntl(notify_fd, F_SETFL, fcntl(notify_fd, F_GETFL) | O_NONBLOCK);
	r->page_fd = page_fd;
	r->kick_fd = kick_fd;
	r->notify_fd = notify_fd;
	c->ring = r;
	/* We serve reconnection and report errors in the page (4.17 features). */
	r->intf->server_features =
		XENSTORE_SERVER_FEATURE_RECONNECTION | XENSTORE_SERVER_FEATURE_ERROR;
	r->intf->error = XENSTORE_ERROR_NONE;
	__atomic_store_n(&r->intf->connection, XENSTORE_CONNECTED, __ATOMIC_RELEASE);
	if (d->epfd >= 0 && epoll_ctl(d->epfd, EPOLL_CTL_ADD, kick_fd, &ev)) {
		ring_detach(d, c);
		return -EINVAL;
	}
	/* Requests may already be waiting (a reintroduced guest). */
	ring_kick(d, c);
	return 0;
fail:
	free(r);
	close(page_fd);
	close(kick_fd);
	close(notify_fd);
	return -EINVAL;
}

void ring_detach(struct xsd *d, struct conn *c)
{
	struct ring *r = c->ring;

	if (!r)
		return;
	/*
	 * The VMM keeps its own reference to the eventfd: closing ours would not take it out
	 * of the epoll set, and a later kick would reach a freed connection.
	 */
	if (d->epfd >= 0)
		epoll_ctl(d->epfd, EPOLL_CTL_DEL, r->kick_fd, NULL);
	munmap(r->intf, PAGE_SIZE);
	close(r->page_fd);
	close(r->kick_fd);
	close(r->notify_fd);
	free(r);
	c->ring = NULL;
}

/* The guest asked to reconnect: drop all state of the connection, reset the ring. */
static void reconnect(struct xsd *d, struct conn *c)
{
	struct xenstore_domain_interface *intf = c->ring->intf;

	watch_remove_all(c);
	while (c->txns) {
		struct txn *tx = c->txns;

		c->txns = tx->next;
		txn_free(tx);
	}
	c->ntxns = 0;
	c->hdr_have = c->body_have = 0;
	c->out_len = c->out_off = 0;
	c->out_msg_left = 0;
	intf->req_cons = intf->req_prod = 0;
	intf->rsp_cons = intf->rsp_prod = 0;
	intf->error = XENSTORE_ERROR_NONE;
	__atomic_store_n(&intf->connection, XENSTORE_CONNECTED, __ATOMIC_RELEASE);
	notify(c->ring);
}

/*
 * Bytes to take at a message boundary: the whole request when it fits the ring, so that a
 * daemon killed between two reads never leaves half a request behind for the one that
 * replaces it (which would then frame the rest as a new message); 0 to wait for the rest.
 * A request larger than the ring can only be taken in pieces: its header goes first.
 */
static XENSTORE_RING_IDX whole_request(const struct xenstore_domain_interface *intf,
				       XENSTORE_RING_IDX cons, XENSTORE_RING_IDX avail)
{
	struct xsd_sockmsg h;
	char *p = (char *)&h;
	size_t total;

	if (avail < sizeof(h))
		return 0;
	for (size_t i = 0; i < sizeof(h); i++)
		p[i] = intf->req[MASK_XENSTORE_IDX(cons + i)];
	total = sizeof(h) + (size_t)h.len;
	if (h.len > XENSTORE_PAYLOAD_MAX || total > XENSTORE_RING_SIZE)
		return sizeof(h); /* framing refuses the first, the second comes in pieces */
	return avail < total ? 0 : (XENSTORE_RING_IDX)total;
}

/* Copies what the guest produced, once, then frames it. */
static void read_requests(struct xsd *d, struct conn *c)
{
	struct xenstore_domain_interface *intf = c->ring->intf;
	/*
	 * A guest that does not consume its replies is not read further ("outstanding"
	 * quota): its kick after consuming resumes reading, and memory stays bounded.
	 */
	size_t limit =
		(size_t)d->q.outstanding * (XENSTORE_PAYLOAD_MAX + sizeof(struct xsd_sockmsg));
	char buf[XENSTORE_RING_SIZE];
	bool consumed = false;

	c->ring_partial = false;
	while (!c->dead && c->out_len - c->out_off <= limit) {
		XENSTORE_RING_IDX cons = intf->req_cons;
		XENSTORE_RING_IDX prod = __atomic_load_n(&intf->req_prod, __ATOMIC_ACQUIRE);
		XENSTORE_RING_IDX avail = prod - cons, first, need;

		if (avail > XENSTORE_RING_SIZE) {
			ring_fail(c, XENSTORE_ERROR_RINGIDX);
			return;
		}
		if (!avail)
			break;
		/* One message at a time, so that the backlog check runs between them. */
		if (!c->hdr_have)
			need = whole_request(intf, cons, avail);
		else if (c->hdr_have < sizeof(c->hdr))
			need = (XENSTORE_RING_IDX)(sizeof(c->hdr) - c->hdr_have);
		else
			need = c->hdr.len - c->body_have;
		if (!need) {
			c->ring_partial = true;
			break;
		}
		avail = avail < need ? avail : need;
		first = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(cons);
		first = first < avail ? first : avail;
		memcpy(buf, intf->req + MASK_XENSTORE_IDX(cons), first);
		memcpy(buf + first, intf->req, avail - first);
		__atomic_store_n(&intf->req_cons, cons + avail, __ATOMIC_RELEASE);
		consumed = true;
		if (conn_feed(d, c, buf, avail)) {
			ring_fail(c, XENSTORE_ERROR_PROTO);
			return;
		}
	}
	/* Room in the request ring: tell a guest that may be waiting for it. */
	if (consumed && !c->dead)
		notify(c->ring);
}

bool ring_resume(struct xsd *d, struct conn *c)
{
	uint64_t before = c->rx_pos;

	if (!c->ring || c->dead)
		return false;
	read_requests(d, c);
	return c->rx_pos != before;
}

/*
 * Bytes of c->out to put into `space` bytes of ring: whole replies only, for the same
 * reason as whole_request(), except a reply larger than the ring, which goes in pieces.
 */
static size_t reply_bytes(struct conn *c, size_t space)
{
	size_t off = c->out_off, n = 0;

	if (c->out_msg_left) {
		n = c->out_msg_left < space ? c->out_msg_left : space;
		c->out_msg_left -= n;
		return n;
	}
	while (off < c->out_len) {
		struct xsd_sockmsg h;
		size_t total;

		memcpy(&h, c->out + off, sizeof(h));
		total = sizeof(h) + (size_t)h.len;
		if (total > space - n) {
			if (!n && total > XENSTORE_RING_SIZE) {
				c->out_msg_left = total - space;
				return space;
			}
			break;
		}
		n += total;
		off += total;
	}
	return n;
}

void ring_flush(struct xsd *d, struct conn *c)
{
	struct xenstore_domain_interface *intf;
	XENSTORE_RING_IDX cons, prod, space, n, first;

	if (!c->ring || c->dead || c->out_off == c->out_len)
		return;
	intf = c->ring->intf;
	cons = __atomic_load_n(&intf->rsp_cons, __ATOMIC_ACQUIRE);
	prod = intf->rsp_prod;
	if (prod - cons > XENSTORE_RING_SIZE) {
		ring_fail(c, XENSTORE_ERROR_RINGIDX);
		return;
	}
	space = XENSTORE_RING_SIZE - (prod - cons);
	n = (XENSTORE_RING_IDX)reply_bytes(c, space);
	if (!n)
		return; /* full: the guest kicks us when it has consumed */
	first = XENSTORE_RING_SIZE - MASK_XENSTORE_IDX(prod);
	first = first < n ? first : n;
	memcpy(intf->rsp + MASK_XENSTORE_IDX(prod), c->out + c->out_off, first);
	memcpy(intf->rsp, c->out + c->out_off + first, n - first);
	__atomic_store_n(&intf->rsp_prod, prod + n, __ATOMIC_RELEASE);
	c->out_off += n;
	notify(c->ring);
}

void ring_kick(struct xsd *d, struct conn *c)
{
	uint64_t count;

	if (!c->ring || c->dead)
		return;
	if (read(c->ring->kick_fd, &count, sizeof(count)) < 0 && errno != EAGAIN)
		count = 0; /* nothing to drain: we look at the ring anyway */
	if (__atomic_load_n(&c->ring->intf->connection, __ATOMIC_ACQUIRE) == XENSTORE_RECONNECT) {
		reconnect(d, c);
		return;
	}
	/* Replies leave in the event loop, once the journal holds what they confirm. */
	read_requests(d, c);
}
