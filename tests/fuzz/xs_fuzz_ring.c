// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: a hostile guest ring. Each input overwrites the shared page (request
 * bytes, all four indices, connection and error fields) in steps between kicks; the
 * daemon must never crash or touch memory outside the page, must leave other
 * connections alone, and the store invariants must hold. A ring the daemon gave up on
 * is re-introduced.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <unistd.h>

#include "tests/fuzz/xs_invariants.h"
#include "toolstack/xenstored/daemon.h"
#include "toolstack/xenstored/loop.h"
#include "toolstack/xenstored/ring.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct xsd d;
static struct conn *dom0;
static struct xenstore_domain_interface *page;
static int page_fd, kick_fd, notify_fd;

static void setup(void)
{
	static const struct caller priv = { .domid = 0, .target = -1, .privileged = true };

	if (xsd_init(&d))
		abort();
	d.opt.no_fork = true;
	dom0 = conn_new(&d, CONN_SOCKET, &priv);
	page_fd = memfd_create("ring", 0);
	kick_fd = eventfd(0, 0);
	notify_fd = eventfd(0, EFD_NONBLOCK);
	if (!dom0 || page_fd < 0 || ftruncate(page_fd, 4096))
		abort();
	page = mmap(NULL, 4096, PROT_READ | PROT_WRITE, MAP_SHARED, page_fd, 0);
	if (page == MAP_FAILED)
		abort();
	/* Give the guest a writable home so that its requests reach the store. */
	conn_feed(&d, dom0, "\x0b\0\0\0\0\0\0\0\0\0\0\0\x13\0\0\0/local/domain/7/x\0v", 35);
	conn_feed(&d, dom0, "\x0e\0\0\0\0\0\0\0\0\0\0\0\x14\0\0\0/local/domain/7\0b7\0", 36);
}

static struct conn *guest(void)
{
	struct domain *dom = domain_find(&d, 7);

	if (dom && dom->conn && !dom->conn->dead)
		return dom->conn;
	memset(page, 0, 4096);
	dom0->fds[0] = dup(page_fd);
	dom0->fds[1] = dup(kick_fd);
	dom0->fds[2] = dup(notify_fd);
	dom0->nfds = 3;
	dom0->fds_pos = dom0->rx_pos + 16;
	conn_feed(&d, dom0,
		  "\x08\0\0\0\0\0\0\0\0\0\0\0\x06\0\0\0"
		  "7\0"
		  "0\0"
		  "1",
		  22);
	xsd_after_batch(&d);
	dom = domain_find(&d, 7);
	return dom ? dom->conn : NULL;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;

	if (!ready) {
		setup();
		ready = true;
	}
	/* Steps: [what][u32 value][payload for "produce"], applied between kicks. */
	for (size_t off = 0; off + 5 <= size;) {
		struct conn *c = guest();
		uint8_t what = data[off];
		uint32_t v, n;

		if (!c)
			abort(); /* a valid re-introduction must always work */
		memcpy(&v, data + off + 1, 4);
		off += 5;
		switch (what % 6) {
		case 0: /* an honest producer: request bytes into req[] */
			n = v & 0xff;
			n = n < size - off ? n : (uint32_t)(size - off);
			for (uint32_t i = 0; i < n; i++)
				page->req[MASK_XENSTORE_IDX(page->req_prod + i)] =
					(char)data[off + i];
			page->req_prod += n;
			off += n;
			break;
		case 1:
			page->req_prod = v;
			break;
		case 2:
			page->rsp_cons = v;
			break;
		case 3:
			page->req_cons = v; /* ours, but the guest can scribble on it */
			break;
		case 4:
			page->connection = v & 1;
			break;
		default: /* an honest consumer */
			page->rsp_cons = page->rsp_prod;
		}
		ring_kick(&d, c);
		xsd_after_batch(&d);
	}
	dom0->out_off = dom0->out_len = 0;
	xs_check_invariants(&d.st, false);
	return 0;
}
