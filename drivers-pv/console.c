// SPDX-License-Identifier: GPL-2.0
/*
 * PV console backend. The guest produces into `out` and consumes from `in`; the backend
 * owns out_cons and in_prod. Indices are free-running and read once per pass; a producer
 * index more than a ring's size ahead of the consumer is a broken guest: its output is
 * dropped rather than read out of bounds. Each drain notifies the guest, so that a guest
 * that filled the ring and waits for space makes progress as the backend empties it.
 * The guest's sends land on an eventfd served by the console's own I/O thread, so a slow
 * terminal never holds a vCPU.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>
#include <xen/grant_table.h>
#include <xen/io/console.h>

#include "drivers-pv/console.h"
#include "drivers-pv/iothread.h"
#include "vmm/console.h"
#include "vmm/log.h"
#include "xen-emul/evtchn/evtchn.h"
#include "xen-emul/gnttab/grant_table.h"
#include "xen-emul/hvm/hvm_params.h"
#include "xen-emul/magic_pages.h"

struct pv_console {
	struct xen_domain *dom;
	struct xencons_interface *ring;
	evtchn_port_t port;
	int kick_fd; /* the port's host end: signalled by the guest's sends */
	struct pv_iothread *io; /* the console's own I/O thread */
	pthread_mutex_t lock;
	bool connected; /* the guest has notified us at least once */
};

/* Copies the guest's pending output to the console; true when anything was consumed. */
static bool drain_output(struct pv_console *c)
{
	struct xencons_interface *r = c->ring;
	XENCONS_RING_IDX cons = r->out_cons;
	XENCONS_RING_IDX prod = __atomic_load_n(&r->out_prod, __ATOMIC_ACQUIRE);
	XENCONS_RING_IDX avail = prod - cons;
	char buf[sizeof(r->out)];

	if (!avail)
		return false;
	if (avail > sizeof(r->out)) {
		log_once(LOG_WARN,
			 "PV console: out_prod %u is %u bytes ahead of out_cons %u: "
			 "output dropped",
			 prod, avail, cons);
		__atomic_store_n(&r->out_cons, prod, __ATOMIC_RELEASE);
		return true;
	}
	for (XENCONS_RING_IDX i = 0; i < avail; i++)
		buf[i] = r->out[MASK_XENCONS_IDX(cons + i, r->out)];
	/* The bytes are copied before the guest may reuse them. */
	__atomic_store_n(&r->out_cons, prod, __ATOMIC_RELEASE);
	console_write(buf, avail);
	return true;
}

/* Moves queued console input into the guest's ring; true when anything was produced. */
static bool fill_input(struct pv_console *c)
{
	struct xencons_interface *r = c->ring;
	XENCONS_RING_IDX prod = r->in_prod;
	XENCONS_RING_IDX cons = __atomic_load_n(&r->in_cons, __ATOMIC_ACQUIRE);
	XENCONS_RING_IDX used = prod - cons;
	bool produced = false;

	if (used > sizeof(r->in))
		return false; /* a broken consumer index: give nothing */
	while (used < sizeof(r->in)) {
		int ch = console_input_pop();

		if (ch < 0)
			break;
		r->in[MASK_XENCONS_IDX(prod, r->in)] = (char)ch;
		prod++;
		used++;
		produced = true;
	}
	if (produced)
		__atomic_store_n(&r->in_prod, prod, __ATOMIC_RELEASE);
	return produced;
}

static void service(struct pv_console *c)
{
	bool notify;

	pthread_mutex_lock(&c->lock);
	notify = drain_output(c);
	if (c->connected)
		notify |= fill_input(c);
	pthread_mutex_unlock(&c->lock);
	if (notify)
		xen_evtchn_host_send(c->dom, c->port);
}

/* On the console's I/O thread, never on the vCPU that sent. */
static void on_guest_send(int fd, void *opaque)
{
	struct pv_console *c = opaque;
	uint64_t n;

	if (read(fd, &n, sizeof(n)) != sizeof(n))
		return;
	__atomic_store_n(&c->connected, true, __ATOMIC_RELEASE);
	service(c);
}

static void input_on_thread(void *arg)
{
	service(arg);
}

void pv_console_input(struct pv_console *c)
{
	if (c && __atomic_load_n(&c->connected, __ATOMIC_ACQUIRE))
		pv_iothread_post(c->io, input_on_thread, c);
}

/* The port's host end is an eventfd that the console's I/O thread waits on. */
static int bind_port(struct pv_console *c)
{
	uint64_t n;
	int rc;

	c->kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (c->kick_fd < 0)
		return -errno;
	rc = xen_evtchn_alloc_unbound_host(c->dom, &c->port);
	if (!rc)
		rc = xen_evtchn_bind_host_eventfd(c->dom, c->port, c->kick_fd, c);
	if (rc)
		return rc;
	/* Binding signals once (a lost send); the guest has not spoken yet. */
	if (read(c->kick_fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		return -errno;
	rc = pv_iothread_start("console", &c->io);
	if (!rc)
		rc = pv_iothread_add_fd(c->io, c->kick_fd, on_guest_send, c);
	return rc;
}

int pv_console_init(struct xen_domain *dom, struct pv_console **out)
{
	struct pv_console *c = calloc(1, sizeof(*c));
	void *page;
	int rc;

	if (!c)
		return -ENOMEM;
	c->dom = dom;
	c->kick_fd = -1;
	pthread_mutex_init(&c->lock, NULL);
	rc = vm_map_special_page(dom->vm, XEN_MAGIC_CONSOLE_GFN << GUEST_PAGE_SHIFT, &page);
	if (!rc) {
		memset(page, 0, GUEST_PAGE_SIZE);
		c->ring = page;
		rc = bind_port(c);
	}
	if (!rc)
		rc = xen_hvm_param_set_by_vmm(dom, HVM_PARAM_CONSOLE_PFN, XEN_MAGIC_CONSOLE_GFN);
	if (!rc)
		rc = xen_hvm_param_set_by_vmm(dom, HVM_PARAM_CONSOLE_EVTCHN, c->port);
	if (!rc)
		rc = xen_gnttab_seed(dom, GNTTAB_RESERVED_CONSOLE, 0, XEN_MAGIC_CONSOLE_GFN);
	if (rc) {
		pv_console_destroy(c);
		return rc;
	}
	*out = c;
	return 0;
}

void pv_console_destroy(struct pv_console *c)
{
	if (!c)
		return;
	/* The thread first: it may be draining; then guest sends stop reaching the fd. */
	pv_iothread_stop(c->io);
	if (c->kick_fd >= 0) {
		xen_evtchn_unbind_host(c->dom, c->port, c);
		close(c->kick_fd);
	}
	if (c->ring)
		drain_output(c); /* whatever the guest wrote last still reaches the console */
	pthread_mutex_destroy(&c->lock);
	free(c);
}
