// SPDX-License-Identifier: GPL-2.0
/*
 * The client end of a domain's control socket (docs/CONTROL.md): one request line out,
 * one reply line back, on a fresh connection each time. A VMM that does not answer
 * within CONTROL_TIMEOUT_S is reported, never waited for forever.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "toolstack/xl/xl.h"

/* A pause waits up to 5 s for the vCPUs inside the VMM: room for that and more. */
#define CONTROL_TIMEOUT_S 10

int xl_connect_unix(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

/* Reads up to the first newline; -ETIMEDOUT when the VMM stays silent. */
static int read_line(int fd, char *buf, size_t size)
{
	size_t len = 0;

	while (len + 1 < size) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t n;
		char *nl;

		if (poll(&p, 1, CONTROL_TIMEOUT_S * 1000) == 0)
			return -ETIMEDOUT;
		n = read(fd, buf + len, size - 1 - len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -ECONNRESET;
		len += (size_t)n;
		buf[len] = 0;
		nl = memchr(buf, '\n', len);
		if (nl) {
			*nl = 0;
			return 0;
		}
	}
	return -EMSGSIZE;
}

int xl_control(const struct rundir *rd, unsigned domid, const char *request, char *reply,
	       size_t size)
{
	char path[600], line[512];
	int fd, rc;

	rundir_domain_path(rd, domid, "control.sock", path, sizeof(path));
	fd = xl_connect_unix(path);
	if (fd < 0)
		return fd;
	snprintf(line, sizeof(line), "{\"v\":1,%s}\n", request);
	rc = send(fd, line, strlen(line), MSG_NOSIGNAL) == (ssize_t)strlen(line) ? 0 : -errno;
	if (!rc)
		rc = read_line(fd, reply, size);
	close(fd);
	if (rc)
		return rc;
	return strstr(reply, "\"ok\":true") ? 0 : -EPROTO;
}

int xl_reply_str(const char *reply, const char *key, char *out, size_t size)
{
	char pat[64];
	const char *p;
	size_t n = 0;

	snprintf(pat, sizeof(pat), "\"%s\":\"", key);
	p = strstr(reply, pat);
	if (!p)
		return -ENOENT;
	/* The VMM escapes only quotes and backslashes in what xl reads (names, states). */
	for (p += strlen(pat); *p && *p != '"' && n + 1 < size; p++) {
		if (*p == '\\' && p[1])
			p++;
		out[n++] = *p;
	}
	out[n] = 0;
	return 0;
}

int xl_domain_control(const char *cmd, const char *what, int argc, char **argv, char *reply,
		      size_t size)
{
	struct rundir rd;
	char req[64];
	int d, rc;

	if (!xl_open_rundir(&rd))
		return -1;
	d = xl_find_domain(&rd, argv[optind]);
	if (d < 0)
		return -1;
	if (d == 0) {
		fprintf(stderr, "xl: domain 0 is the host: it cannot be %s\n", what);
		return -1;
	}
	snprintf(req, sizeof(req), "\"cmd\":\"%s\"", cmd);
	rc = xl_control(&rd, (unsigned)d, req, reply, size);
	if (rc == -EPROTO) {
		char err[256] = "the VMM refused";

		xl_reply_str(reply, "error", err, sizeof(err));
		fprintf(stderr, "libxl: error: domain %d: %s\n", d, err);
	} else if (rc) {
		fprintf(stderr, "libxl: error: domain %d: its control socket: %s\n", d,
			strerror(-rc));
	}
	(void)argc;
	return rc ? -1 : d;
}
