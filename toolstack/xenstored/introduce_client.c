// SPDX-License-Identifier: GPL-2.0
/* The fd-passing XS_INTRODUCE, client side. libc and Xen headers only. */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>
#include <xen/io/xs_wire.h>

#include "toolstack/xenstored/introduce_client.h"

static int read_full(int fd, void *buf, size_t len)
{
	char *p = buf;

	while (len) {
		ssize_t n = read(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -ECONNRESET;
		p += n, len -= (size_t)n;
	}
	return 0;
}

static int error_from_name(const char *name)
{
	for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
		if (!strcmp(name, xsd_errors[i].errstring))
			return xsd_errors[i].errnum;
	return EIO;
}

/* Waits for the reply to req_id, skipping watch events that may be interleaved. */
static int wait_reply(int fd, uint32_t req_id)
{
	char body[XENSTORE_PAYLOAD_MAX + 1];
	struct xsd_sockmsg h;
	int rc;

	for (;;) {
		rc = read_full(fd, &h, sizeof(h));
		if (rc)
			return rc;
		if (h.len > XENSTORE_PAYLOAD_MAX)
			return -EPROTO;
		rc = read_full(fd, body, h.len);
		if (rc)
			return rc;
		body[h.len] = '\0';
		if (h.type == XS_WATCH_EVENT || h.req_id != req_id)
			continue;
		if (h.type == XS_ERROR)
			return -error_from_name(body);
		return h.type == XS_INTRODUCE ? 0 : -EPROTO;
	}
}

int xs_introduce_ring(int sock_fd, unsigned int domid, unsigned long mfn, unsigned int port,
		      int page_fd, int kick_fd, int notify_fd)
{
	static uint32_t next_req = 0x49000000u; /* distinct from libxenstore's ids */
	char payload[64];
	int len = snprintf(payload, sizeof(payload), "%u%c%lu%c%u", domid, 0, mfn, 0, port);
	struct xsd_sockmsg h = { .type = XS_INTRODUCE, .req_id = next_req++ };
	union {
		struct cmsghdr align;
		char buf[CMSG_SPACE(3 * sizeof(int))];
	} ctl;
	struct iovec iov[2];
	struct msghdr mh = { .msg_iov = iov,
			     .msg_iovlen = 2,
			     .msg_control = ctl.buf,
			     .msg_controllen = sizeof(ctl.buf) };
	struct cmsghdr *cm;
	int fds[3] = { page_fd, kick_fd, notify_fd };
	ssize_t sent;

	if (len < 0 || (size_t)len >= sizeof(payload))
		return -EINVAL;
	h.len = (uint32_t)len + 1; /* the last string's NUL */
	iov[0] = (struct iovec){ .iov_base = &h, .iov_len = sizeof(h) };
	iov[1] = (struct iovec){ .iov_base = payload, .iov_len = h.len };
	memset(&ctl, 0, sizeof(ctl));
	cm = CMSG_FIRSTHDR(&mh);
	cm->cmsg_level = SOL_SOCKET;
	cm->cmsg_type = SCM_RIGHTS;
	cm->cmsg_len = CMSG_LEN(sizeof(fds));
	memcpy(CMSG_DATA(cm), fds, sizeof(fds));
	do {
		sent = sendmsg(sock_fd, &mh, MSG_NOSIGNAL);
	} while (sent < 0 && errno == EINTR);
	if (sent < 0)
		return -errno;
	if ((size_t)sent != sizeof(h) + h.len)
		return -EIO; /* a stream socket takes a message this small whole */
	return wait_reply(sock_fd, h.req_id);
}

int xs_connect_socket(const char *socket_path, int flags)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	size_t len = strlen(socket_path);
	int fd;

	if (len >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	memcpy(sa.sun_path, socket_path, len + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | flags, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
		int err = -errno;

		close(fd);
		return err;
	}
	return fd;
}

int xs_introduce_ring_at(const char *socket_path, unsigned int domid, unsigned long mfn,
			 unsigned int port, int page_fd, int kick_fd, int notify_fd)
{
	int fd, rc;

	if (!socket_path)
		socket_path = getenv("XENSTORED_PATH");
	if (!socket_path)
		socket_path = "/run/xenstored/socket";
	fd = xs_connect_socket(socket_path, 0);
	if (fd < 0)
		return fd;
	rc = xs_introduce_ring(fd, domid, mfn, port, page_fd, kick_fd, notify_fd);
	close(fd);
	return rc;
}
