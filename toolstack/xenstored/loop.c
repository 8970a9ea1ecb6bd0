// SPDX-License-Identifier: GPL-2.0
/* The event loop: epoll over the listening socket, client sockets and ring kicks. */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <unistd.h>

#include "toolstack/xenstored/journal.h"
#include "toolstack/xenstored/loop.h"
#include "toolstack/xenstored/ring.h"
#include "toolstack/xenstored/sock.h"

static volatile sig_atomic_t stop;

static void on_signal(int sig)
{
	stop = sig;
}

int xsd_init(struct xsd *d)
{
	memset(d, 0, sizeof(*d));
	d->epfd = -1;
	d->listen_fd = -1;
	quota_defaults(&d->q);
	/* Special watch nodes start as Xen's: owned by dom0, no access for others. */
	d->special_perms[0] = (struct perm){ .id = 0, .bits = PERM_NONE };
	d->special_perms[1] = d->special_perms[0];
	d->opt.socket_mode = 0600;
	d->opt.compact_bytes = 4ul << 20;
	return store_init(&d->st);
}

int xsd_open_db(struct xsd *d)
{
	int err = 0;

	if (!d->opt.db_dir)
		return 0;
	d->journal = journal_open(d, d->opt.db_dir, d->opt.compact_bytes, &err);
	if (!d->journal)
		return err;
	d->st.hook = journal_node;
	d->st.hook_opaque = d->journal;
	return 0;
}

static void sync_and_flush(struct xsd *d)
{
	int rc = journal_sync(d->journal);

	if (rc) {
		/* Acknowledging what is not on disk would break the promise: stop. */
		xsd_log(d, "journal write failed: %s; exiting", strerror(-rc));
		exit(3);
	}
	for (struct conn *c = d->conns; c; c = c->next) {
		if (c->kind == CONN_SOCKET && c->fd >= 0)
			sock_flush(d, c);
		else if (c->kind == CONN_RING)
			ring_flush(d, c);
	}
}

bool xsd_after_batch(struct xsd *d)
{
	bool more = false;
	int rc;

	/* Replies leaving may let throttled guests be read again (ring_resume). */
	for (int pass = 0; pass < 4; pass++) {
		sync_and_flush(d);
		more = false;
		for (struct conn *c = d->conns; c; c = c->next)
			if (c->kind == CONN_RING)
				more |= ring_resume(d, c);
		if (!more)
			break;
	}
	if (more)
		sync_and_flush(d);
	for (struct conn **pp = &d->conns; *pp;) {
		struct conn *c = *pp;

		if (c->dead)
			conn_free(d, c); /* unlinks c */
		else
			pp = &c->next;
	}
	rc = journal_maybe_compact(d->journal, d);
	if (rc)
		xsd_log(d, "compaction failed: %s (journal kept)", strerror(-rc));
	return more;
}

int xsd_wait_ms(const struct xsd *d, bool pending)
{
	if (pending)
		return 0;
	for (const struct conn *c = d->conns; c; c = c->next)
		if (c->kind == CONN_RING && c->ring_partial && !c->dead)
			return XSD_PARTIAL_POLL_MS;
	return -1;
}

static void dispatch(struct xsd *d, struct epoll_event *ev)
{
	struct conn *c = ev->data.ptr;

	if (ev->data.ptr == &d->listen_fd) {
		sock_accept(d);
		return;
	}
	if (c->dead)
		return;
	if (c->kind == CONN_RING) {
		ring_kick(d, c);
		return;
	}
	/* A throttled client that hung up can never take its replies: drop it. */
	if ((ev->events & (EPOLLHUP | EPOLLERR)) && sock_throttled(d, c)) {
		c->dead = true;
		return;
	}
	if (ev->events & (EPOLLIN | EPOLLHUP | EPOLLERR))
		sock_read(d, c);
	if (ev->events & EPOLLOUT)
		sock_flush(d, c);
}

int xsd_run(struct xsd *d)
{
	struct sigaction sa = { .sa_handler = on_signal };
	struct epoll_event evs[64];

	sigaction(SIGTERM, &sa, NULL);
	sigaction(SIGINT, &sa, NULL);
	signal(SIGPIPE, SIG_IGN);
	bool pending = false;

	while (!stop) {
		int n = epoll_wait(d->epfd, evs, 64, xsd_wait_ms(d, pending));

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		for (int i = 0; i < n; i++)
			dispatch(d, &evs[i]);
		pending = xsd_after_batch(d);
	}
	xsd_log(d, "signal %d: exiting", (int)stop);
	return 0;
}

void xsd_fini(struct xsd *d)
{
	while (d->conns)
		conn_free(d, d->conns);
	while (d->domains) {
		struct domain *dom = d->domains;

		d->domains = dom->next;
		free(dom);
	}
	journal_sync(d->journal);
	journal_close(d->journal);
	d->journal = NULL;
	store_destroy(&d->st);
	if (d->listen_fd >= 0) {
		close(d->listen_fd);
		unlink(d->opt.socket_path);
	}
	if (d->epfd >= 0)
		close(d->epfd);
	if (d->trace)
		fclose(d->trace);
}
