// SPDX-License-Identifier: GPL-2.0
/*
 * Plays the guest side of a xenstore ring, so that real clients can act as an
 * unprivileged domain: it makes an in-memory ring page (a memfd, page 1 of it, to use a
 * non-zero mfn), introduces it to xenstored with descriptors through
 * toolstack/xenstored/introduce_client.c (the VMM's code path), then accepts clients on
 * its own Unix socket one at a time and moves their bytes through the ring. Each new
 * client starts with a ring reconnect (XENSTORE_RECONNECT), which drops the previous
 * client's watches and transactions in the daemon.
 *
 * usage: xs_ring_bridge XENSTORED_SOCKET LISTEN_SOCKET DOMID
 */
#include <errno.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <xen/io/xs_wire.h>

#include "toolstack/xenstored/introduce_client.h"

static struct xenstore_domain_interface *intf;
static int kick_fd, notify_fd;

static void kick(void)
{
	uint64_t one = 1;

	if (write(kick_fd, &one, sizeof(one)) < 0)
		perror("kick");
}

static void drain_notify(void)
{
	uint64_t v;

	if (read(notify_fd, &v, sizeof(v)) < 0 && errno != EAGAIN)
		perror("notify");
}

/* Client bytes into req[]; returns -1 when the client is gone. */
static int to_ring(int cfd)
{
	char buf[XENSTORE_RING_SIZE];
	XENSTORE_RING_IDX prod = intf->req_prod;
	XENSTORE_RING_IDX cons = __atomic_load_n(&intf->req_cons, __ATOMIC_ACQUIRE);
	size_t space = XENSTORE_RING_SIZE - (prod - cons);
	ssize_t n;

	if (!space)
		return 0;
	n = read(cfd, buf, space);
	if (n <= 0)
		return -1;
	for (ssize_t i = 0; i < n; i++)
		intf->req[MASK_XENSTORE_IDX(prod + (XENSTORE_RING_IDX)i)] = buf[i];
	__atomic_store_n(&intf->req_prod, prod + (XENSTORE_RING_IDX)n, __ATOMIC_RELEASE);
	kick();
	return 0;
}

/* rsp[] bytes to the client. */
static int from_ring(int cfd)
{
	char buf[XENSTORE_RING_SIZE];
	XENSTORE_RING_IDX cons = intf->rsp_cons;
	XENSTORE_RING_IDX prod = __atomic_load_n(&intf->rsp_prod, __ATOMIC_ACQUIRE);
	size_t n = prod - cons;

	if (!n)
		return 0;
	for (size_t i = 0; i < n; i++)
		buf[i] = intf->rsp[MASK_XENSTORE_IDX(cons + (XENSTORE_RING_IDX)i)];
	__atomic_store_n(&intf->rsp_cons, prod, __ATOMIC_RELEASE);
	kick(); /* the daemon may be waiting for room */
	for (size_t off = 0; off < n;) {
		ssize_t w = write(cfd, buf + off, n - off);

		if (w <= 0)
			return -1;
		off += (size_t)w;
	}
	return 0;
}

static int reconnect(void)
{
	struct pollfd p = { .fd = notify_fd, .events = POLLIN };

	__atomic_store_n(&intf->connection, XENSTORE_RECONNECT, __ATOMIC_RELEASE);
	kick();
	for (int i = 0; i < 200; i++) {
		if (__atomic_load_n(&intf->connection, __ATOMIC_ACQUIRE) == XENSTORE_CONNECTED)
			return 0;
		poll(&p, 1, 10);
		drain_notify();
	}
	return -1;
}

static void serve(int cfd)
{
	struct pollfd p[2] = { { .fd = cfd, .events = POLLIN },
			       { .fd = notify_fd, .events = POLLIN } };

	if (reconnect()) {
		fprintf(stderr, "xs_ring_bridge: reconnect not acknowledged\n");
		return;
	}
	for (;;) {
		if (poll(p, 2, 50) < 0 && errno != EINTR)
			return;
		if (p[1].revents & POLLIN)
			drain_notify();
		if (intf->error) {
			fprintf(stderr, "xs_ring_bridge: daemon reports ring error %u\n",
				intf->error);
			return;
		}
		if ((p[0].revents & (POLLIN | POLLHUP)) && to_ring(cfd))
			return;
		if (from_ring(cfd))
			return;
	}
}

static int listen_on(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	unlink(path);
	if (fd < 0 || bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || listen(fd, 8))
		return -1;
	return fd;
}

int main(int argc, char **argv)
{
	int page_fd, lfd, rc;
	unsigned int domid;
	char *map;

	if (argc != 4) {
		fprintf(stderr, "usage: xs_ring_bridge XENSTORED_SOCKET LISTEN_SOCKET DOMID\n");
		return 2;
	}
	domid = (unsigned int)strtoul(argv[3], NULL, 10);
	page_fd = memfd_create("xs-ring", MFD_CLOEXEC);
	kick_fd = eventfd(0, EFD_CLOEXEC);
	notify_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (page_fd < 0 || kick_fd < 0 || notify_fd < 0 || ftruncate(page_fd, 2 * 4096)) {
		perror("xs_ring_bridge: setup");
		return 1;
	}
	map = mmap(NULL, 2 * 4096, PROT_READ | PROT_WRITE, MAP_SHARED, page_fd, 0);
	if (map == MAP_FAILED) {
		perror("xs_ring_bridge: mmap");
		return 1;
	}
	intf = (struct xenstore_domain_interface *)(map + 4096);
	rc = xs_introduce_ring_at(argv[1], domid, 1, 1, page_fd, kick_fd, notify_fd);
	if (rc) {
		fprintf(stderr, "xs_ring_bridge: introduce: %s\n", strerror(-rc));
		return 1;
	}
	if (!(intf->server_features & XENSTORE_SERVER_FEATURE_RECONNECTION)) {
		fprintf(stderr, "xs_ring_bridge: daemon lacks the reconnection feature\n");
		return 1;
	}
	lfd = listen_on(argv[2]);
	if (lfd < 0) {
		perror("xs_ring_bridge: listen");
		return 1;
	}
	for (;;) {
		int cfd = accept(lfd, NULL, NULL);

		if (cfd < 0)
			continue;
		serve(cfd);
		close(cfd);
	}
}
