// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: the xenstored message decoder. The input is a byte stream as a client
 * would send it (first byte: 0 = the privileged socket, else an unprivileged guest
 * connection); the daemon must answer or drop the connection, never crash, and leave
 * the store consistent.
 */
#include <stdint.h>
#include <stdlib.h>

#include "tests/fuzz/xs_invariants.h"
#include "toolstack/xenstored/daemon.h"
#include "toolstack/xenstored/loop.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct xsd d;
	static unsigned int runs;
	struct caller who = { .domid = 0, .target = -1, .privileged = true };
	struct conn *c;

	/* A fresh daemon now and then keeps memory bounded but lets state build up. */
	if (runs++ % 64 == 0) {
		if (runs > 1)
			xsd_fini(&d);
		if (xsd_init(&d))
			abort();
		d.opt.no_fork = true;
	}
	if (size && data[0]) {
		who = (struct caller){ .domid = data[0], .target = -1 };
		data++, size--;
	}
	c = conn_new(&d, CONN_SOCKET, &who);
	if (!c)
		return 0;
	conn_feed(&d, c, (const char *)data, size);
	c->dead = true;
	xsd_after_batch(&d); /* frees the connection, as the event loop does */
	xs_check_invariants(&d.st, true);
	return 0;
}
