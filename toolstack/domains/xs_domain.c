// SPDX-License-Identifier: GPL-2.0
/* xs_domain.h over libxenstore (XENSTORED_PATH or the default socket). */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "toolstack/domains/xs_domain.h"

static int rename_in(struct xs_handle *h, xs_transaction_t t, unsigned domid, const char *name)
{
	char path[128];
	unsigned int len;
	char *vm;

	snprintf(path, sizeof(path), "/local/domain/%u/vm", domid);
	vm = xs_read(h, t, path, &len);
	if (!vm)
		return -ENOENT;
	snprintf(path, sizeof(path), "/local/domain/%u/name", domid);
	if (!xs_write(h, t, path, name, strlen(name))) {
		free(vm);
		return -errno;
	}
	snprintf(path, sizeof(path), "%.100s/name", vm);
	free(vm);
	return xs_write(h, t, path, name, strlen(name)) ? 0 : -errno;
}

int xs_domain_rename(unsigned domid, const char *name)
{
	struct xs_handle *h = xs_open(0);
	int rc;

	if (!h)
		return errno ? -errno : -ECONNREFUSED;
	for (;;) {
		xs_transaction_t t = xs_transaction_start(h);

		if (t == XBT_NULL) {
			rc = -errno;
			break;
		}
		rc = rename_in(h, t, domid, name);
		if (!xs_transaction_end(h, t, rc != 0) && !rc) {
			if (errno == EAGAIN)
				continue; /* a conflict: again */
			rc = -errno;
		}
		break;
	}
	xs_close(h);
	return rc;
}
