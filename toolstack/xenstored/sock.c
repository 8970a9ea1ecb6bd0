// SPDX-License-Identifier: GPL-2.0
/* Unix socket: listen, accept, receive (with passed descriptors) and send. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "toolstack/xenstored/daemon.h"
#include "toolstack/xenstored/sock.h"

/*
 * A client that sends requests but does not read its replies is not read further once
 * the memory quota's worth of replies waits for it: memory stays bounded.
 */
bool sock_throttled(const struct xsd *d, const struct conn *c)
{
	return c->out_len - c->out_off > d->q.memory;
}

int sock_listen(struct xsd *d)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = &d->listen_fd };
	const char *path = d->opt.socket_path;
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path); /* a stale socket of a previous run */
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(path, d->opt.socket_mode) ||
	    listen(fd, 128) || epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev)) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	d->listen_fd = fd;
	return 0;
}

void sock_accept(struct xsd *d)
{
	static const struct caller dom0 = { .domid = 0, .target = -1, .privileged = true };

	for (;;) {
		int fd = accept4(d->listen_fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
		struct epoll_event ev = { .events = EPOLLIN };
		struct conn *c;

		if (fd < 0)
			return;
		c = conn_new(d, CONN_SOCKET, &dom0);
		if (!c) {
			close(fd);
			continue;
		}
		c->fd = fd;
		c->ev_mask = EPOLLIN;
		ev.data.ptr = c;
		if (epoll_ctl(d->epfd, EPOLL_CTL_ADD, fd, &ev))
			c->dead = true;
	}
}

/* Keeps descriptors passed with SCM_RIGHTS; they pair with the message they came with. */
static void take_fds(struct conn *c, struct msghdr *mh, size_t got)
{
	for (struct cmsghdr *cm = CMSG_FIRSTHDR(mh); cm; cm = CMSG_NXTHDR(mh, cm)) {
		size_t n;
		int *fds;

		if (cm->cmsg_level != SOL_SOCKET || cm->cmsg_type != SCM_RIGHTS)
			continue;
		n = (cm->cmsg_len - CMSG_LEN(0)) / sizeof(int);
		fds = (int *)CMSG_DATA(cm);
		conn_close_fds(c); /* only the latest set can be meant */
		for (size_t i = 0; i < n; i++) {
			if (c->nfds < 3 && !(mh->msg_flags & MSG_CTRUNC))
				c->fds[c->nfds++] = fds[i];
			else
				close(fds[i]);
		}
		/* The kernel ends a read at the segment that carried them. */
		c->fds_pos = c->rx_pos + got - 1;
	}
}

void sock_read(struct xsd *d, struct conn *c)
{
	char buf[65536];
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(4 * sizeof(int))];
	} ctl;

	for (int round = 0; round < 4 && !c->dead && !sock_throttled(d, c); round++) {
		struct iovec iov = { .iov_base = buf, .iov_len = sizeof(buf) };
		struct msghdr mh = { .msg_iov = &iov,
				     .msg_iovlen = 1,
				     .msg_control = ctl.buf,
				     .msg_controllen = sizeof(ctl.buf) };
		ssize_t n = recvmsg(c->fd, &mh, MSG_CMSG_CLOEXEC);

		if (n < 0 && (errno == EAGAIN || errno == EINTR))
			return;
		if (n <= 0) {
			c->dead = true;
			return;
		}
		if (mh.msg_controllen)
			take_fds(c, &mh, (size_t)n);
		if (conn_feed(d, c, buf, (size_t)n)) {
			xsd_log(d, "conn%lu: message too long, closing", c->serial);
			c->dead = true;
			return;
		}
		if ((size_t)n < sizeof(buf))
			return;
	}
}

void sock_flush(struct xsd *d, struct conn *c)
{
	struct epoll_event ev = { .data.ptr = c };

	while (!c->dead && c->out_off < c->out_len) {
		ssize_t n = send(c->fd, c->out + c->out_off, c->out_len - c->out_off, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN)
			break;
		if (n < 0) {
			c->dead = true;
			return;
		}
		c->out_off += (size_t)n;
	}
	/* Wait for room while something is left; stop reading a client that does not read. */
	size_t backlog = c->out_len - c->out_off;
	uint32_t want = (backlog ? EPOLLOUT : 0) | (sock_throttled(d, c) ? 0 : EPOLLIN);

	if (want != c->ev_mask) {
		ev.events = want;
		epoll_ctl(d->epfd, EPOLL_CTL_MOD, c->fd, &ev);
		c->ev_mask = want;
	}
}
