// SPDX-License-Identifier: GPL-2.0
/*
 * The PV control protocol (pvcontrol.h) over a xenstore connection (libxenstore, which
 * finds xenstored at XENSTORED_PATH or its default socket). The acknowledgement is
 * awaited with a xenstore watch on the node, not by polling it.
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <xenstore.h>

#include "toolstack/domains/pvcontrol.h"

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* The node's value is empty (acknowledged) or the node is gone (so is the domain). */
static bool acknowledged(struct xs_handle *h, const char *path)
{
	unsigned int len = 0;
	char *v = xs_read(h, XBT_NULL, path, &len);
	bool done = !v || len == 0;

	free(v);
	return done;
}

static int wait_ack(struct xs_handle *h, const char *path, int timeout_ms)
{
	long long deadline = now_ms() + timeout_ms;

	if (!xs_watch(h, path, "pvcontrol"))
		return -errno;
	for (;;) {
		struct pollfd p = { .fd = xs_fileno(h), .events = POLLIN };
		long long left = deadline - now_ms();
		unsigned int n;
		char **ev;

		/* The watch fires once at once: the first look is done there. */
		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&p, 1, (int)left) <= 0)
			continue;
		ev = xs_read_watch(h, &n);
		free(ev);
		if (acknowledged(h, path))
			return 0;
	}
}

static int domain_path(struct xs_handle *h, unsigned domid, const char *node, char *out,
		       size_t size)
{
	char dir[64];
	char *v;
	unsigned int len;

	snprintf(dir, sizeof(dir), "/local/domain/%u", domid);
	v = xs_read(h, XBT_NULL, dir, &len);
	if (!v)
		return -ENOENT;
	free(v);
	snprintf(out, size, "%s/control/%s", dir, node);
	return 0;
}

int pvcontrol_shutdown(unsigned domid, const char *cmd, int timeout_ms)
{
	struct xs_handle *h = xs_open(0);
	char path[96];
	int rc;

	if (!h)
		return errno ? -errno : -ECONNREFUSED;
	rc = domain_path(h, domid, "shutdown", path, sizeof(path));
	if (!rc && !xs_write(h, XBT_NULL, path, cmd, strlen(cmd)))
		rc = -errno;
	if (!rc)
		rc = wait_ack(h, path, timeout_ms);
	if (rc == -ETIMEDOUT)
		xs_rm(h, XBT_NULL, path); /* a late guest must not act on a stale request */
	xs_close(h);
	return rc;
}

int pvcontrol_sysrq(unsigned domid, char key)
{
	struct xs_handle *h = xs_open(0);
	char path[96];
	int rc;

	if (!h)
		return errno ? -errno : -ECONNREFUSED;
	rc = domain_path(h, domid, "sysrq", path, sizeof(path));
	if (!rc && !xs_write(h, XBT_NULL, path, &key, 1))
		rc = -errno;
	xs_close(h);
	return rc;
}
