// SPDX-License-Identifier: GPL-2.0
/*
 * Connections: framing of the byte stream into messages and the output queue. Both
 * transports feed bytes in and drain the queue out; neither interprets messages.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "toolstack/xenstored/daemon.h"
#include "toolstack/xenstored/ring.h"

struct conn *conn_new(struct xsd *d, enum conn_kind kind, const struct caller *who)
{
	struct conn *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->kind = kind;
	c->who = *who;
	c->fd = -1;
	c->serial = ++d->next_serial;
	c->next_txid = 1;
	c->next = d->conns;
	d->conns = c;
	return c;
}

void conn_close_fds(struct conn *c)
{
	for (unsigned int i = 0; i < c->nfds; i++)
		close(c->fds[i]);
	c->nfds = 0;
}

void conn_free(struct xsd *d, struct conn *c)
{
	struct conn **pp;

	for (pp = &d->conns; *pp; pp = &(*pp)->next) {
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	}
	domain_conn_gone(d, c);
	watch_remove_all(c);
	while (c->txns) {
		struct txn *tx = c->txns;

		c->txns = tx->next;
		txn_free(tx);
	}
	conn_close_fds(c);
	if (c->ring)
		ring_detach(d, c);
	if (c->fd >= 0) {
		if (d->epfd >= 0)
			epoll_ctl(d->epfd, EPOLL_CTL_DEL, c->fd, NULL);
		close(c->fd);
	}
	free(c->out);
	free(c);
}

int conn_queue(struct conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id, const void *payload,
	       size_t len)
{
	struct xsd_sockmsg hdr = {
		.type = type, .req_id = req_id, .tx_id = tx_id, .len = (uint32_t)len
	};
	size_t need = sizeof(hdr) + len;

	if (c->out_off && c->out_off == c->out_len)
		c->out_off = c->out_len = 0;
	if (c->out_len + need > c->out_cap) {
		size_t cap = c->out_cap ? c->out_cap : 4096;
		char *o;

		/* Reclaim the consumed front before growing. */
		if (c->out_off) {
			memmove(c->out, c->out + c->out_off, c->out_len - c->out_off);
			c->out_len -= c->out_off;
			c->out_off = 0;
		}
		while (cap < c->out_len + need)
			cap *= 2;
		if (cap > c->out_cap) {
			o = realloc(c->out, cap);
			if (!o)
				return -ENOMEM;
			c->out = o;
			c->out_cap = cap;
		}
	}
	memcpy(c->out + c->out_len, &hdr, sizeof(hdr));
	if (len)
		memcpy(c->out + c->out_len + sizeof(hdr), payload, len);
	c->out_len += need;
	return 0;
}

void conn_check_backlog(struct xsd *d, struct conn *c)
{
	if (c->kind != CONN_RING || c->dead || c->out_len - c->out_off <= d->q.memory)
		return;
	xsd_log(d, "domain %u: %zu bytes of replies and events not consumed; disconnecting",
		c->who.domid, c->out_len - c->out_off);
	ring_fail(c, XENSTORE_ERROR_COMM);
}

int conn_feed(struct xsd *d, struct conn *c, const char *buf, size_t len)
{
	while (len && !c->dead) {
		size_t take;

		if (c->hdr_have < sizeof(c->hdr)) {
			if (!c->hdr_have)
				c->msg_start = c->rx_pos;
			take = sizeof(c->hdr) - c->hdr_have;
			take = take < len ? take : len;
			memcpy((char *)&c->hdr + c->hdr_have, buf, take);
			c->hdr_have += (uint32_t)take;
			buf += take, len -= take, c->rx_pos += take;
			/* Beyond the payload limit the stream cannot be trusted. */
			if (c->hdr_have == sizeof(c->hdr) && c->hdr.len > XENSTORE_PAYLOAD_MAX)
				return -EPROTO;
			if (c->hdr_have < sizeof(c->hdr) || c->hdr.len)
				continue;
		} else {
			take = c->hdr.len - c->body_have;
			take = take < len ? take : len;
			memcpy(c->body + c->body_have, buf, take);
			c->body_have += (uint32_t)take;
			buf += take, len -= take, c->rx_pos += take;
			if (c->body_have < c->hdr.len)
				continue;
		}
		c->body[c->hdr.len] = '\0';
		proto_handle(d, c, &c->hdr, c->body);
		c->hdr_have = c->body_have = 0;
	}
	return 0;
}
