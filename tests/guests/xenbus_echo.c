// SPDX-License-Identifier: MIT
/*
 * xenbus_echo: a PV device end to end as a Linux frontend drives one (xenbus_probe_frontend.c,
 * xenbus_client.c, and xen-blkfront's talk_to_blkback()/blkfront_closing() for the order),
 * against the VMM's test echo device (docs/VMM-INTERFACE.md, "Test devices"):
 * - the directories libxl writes: device/<type>/<id> owned by us and readable by the
 *   backend's domain, backend and backend-id in it, the backend in InitWait with its
 *   feature key before we look;
 * - connect: grant the page, allocate a port unbound to the backend's domain, publish
 *   ring-ref and event-channel, Initialised; the backend goes Connected; requests and
 *   answers through the page with notifications both ways (our upcall counts them);
 * - close: Closing answered with Closing, Closed with Closed; the backend has dropped
 *   its mapping (our grant ends) and its end of the channel (our port is unbound again);
 * - reconnect with a new page and port after Initialising (module reload, resume);
 * - a ring-ref that grants nothing: the backend goes Closing and writes an error node
 *   (xenbus_dev_fatal), and is served again after the frontend closes and restarts.
 */
#include "kit.h"
#include "events.h"
#include "xenbus.h"
#include "xs.h"

#define SECOND 1000000ULL
#define WAIT (30 * SECOND) /* the test host is slow; never a timing check */
#define TYPE "xenkvm-echo"

struct echo_page {
	uint32_t req, rsp, value, result;
};

static uint8_t pages[2][4096] __attribute__((aligned(4096)));
static struct kit_xenbus_dev dev;
static evtchn_port_t port;
static grant_ref_t ref;
static volatile struct echo_page *page;

static void test_layout(void)
{
	char path[160], buf[64];
	uint32_t v, len, a, b, c, d;

	check_eq(kit_xenbus_probe(TYPE, 0, &dev), 0, "probe " TYPE "/0");
	check_eq(dev.otherend_id, 0, "backend-id");
	cpuid(kit_xen.base + 4, &a, &b, &c, &d);
	snprintf(path, sizeof(path), "/local/domain/0/backend/" TYPE "/%u/0", c);
	check(!strcmp(dev.otherend, path), "backend path %s, expected %s", dev.otherend, path);
	check_eq(kit_xenbus_read_state(dev.nodename), XenbusStateInitialising, "our state");
	check_eq(kit_xenbus_read_state(dev.otherend), XenbusStateInitWait, "backend state");
	check(!kit_xenbus_read_uint(dev.otherend, "feature-echo", &v) && v == 1,
	      "backend feature-echo");
	check(!kit_xenbus_read_uint(dev.otherend, "frontend-id", &v) && v == c,
	      "backend frontend-id");
	/* libxl's permissions: ours, readable by the backend's domain ("n<us>", "r0"). */
	check_eq(kit_xs_request(XS_GET_PERMS, 0, dev.nodename, strlen(dev.nodename) + 1, buf, &len),
		 XS_GET_PERMS, "XS_GET_PERMS on our directory");
	snprintf(path, sizeof(path), "n%u", c);
	check(!strcmp(buf, path) && !strcmp(buf + strlen(buf) + 1, "r0"),
	      "our directory's permissions %s %s", buf, buf + strlen(buf) + 1);
}

/* talk_to_blkback(): the ring, the port, the keys, then Initialised. */
static bool publish(void *ring, const char *ring_ref_value)
{
	page = ring;
	page->req = page->rsp = 0;
	check_eq(kit_xenbus_grant_ring(&dev, ring, &ref), 0, "grant the page");
	check_eq(kit_xenbus_alloc_evtchn(&dev, &port), 0, "alloc_unbound to the backend");
	if (ring_ref_value)
		check_eq(kit_xenbus_write(&dev, "ring-ref", ring_ref_value), 0, "write ring-ref");
	else
		check_eq(kit_xenbus_write_uint(&dev, "ring-ref", ref), 0, "write ring-ref");
	check_eq(kit_xenbus_write_uint(&dev, "event-channel", port), 0, "write event-channel");
	check_eq(kit_xenbus_switch_state(&dev, XenbusStateInitialised), 0, "Initialised");
	return true;
}

static void connect(void *ring)
{
	publish(ring, NULL);
	check(kit_xenbus_wait_otherend(&dev, XenbusStateConnected, WAIT),
	      "backend Connected after our Initialised");
	check_eq(kit_xenbus_switch_state(&dev, XenbusStateConnected), 0, "Connected");
	check(kit_xenbus_grant_flags(ref) & GTF_writing, "the backend holds the page writable");
}

static void echo_round(uint32_t value)
{
	uint32_t before = kit_event_count[port], req = page->req + 1;

	page->value = value;
	__atomic_store_n(&page->req, req, __ATOMIC_RELEASE);
	check_eq(kit_send(port), 0, "EVTCHNOP_send to the backend");
	check(kit_wait_for(__atomic_load_n(&page->rsp, __ATOMIC_ACQUIRE) == req &&
				   kit_event_count[port] != before,
			   WAIT),
	      "answer %u and its event", req);
	check_eq(page->result, ~value, "the backend's result");
}

static void test_connect_and_echo(void)
{
	connect(pages[0]);
	for (uint32_t i = 0; i < 16; i++)
		echo_round(0x12345678u * (i + 1));
}

/* blkfront_closing(): Closing, wait for the backend, Closed. */
static void close_device(void)
{
	struct evtchn_status st = { .dom = DOMID_SELF, .port = port };

	check_eq(kit_xenbus_switch_state(&dev, XenbusStateClosing), 0, "Closing");
	check(kit_xenbus_wait_otherend(&dev, XenbusStateClosing, WAIT), "backend Closing");
	check_eq(kit_xenbus_switch_state(&dev, XenbusStateClosed), 0, "Closed");
	check(kit_xenbus_wait_otherend(&dev, XenbusStateClosed, WAIT), "backend Closed");
	check(kit_xenbus_end_grant(ref), "the backend let go of the page (flags 0x%x)",
	      kit_xenbus_grant_flags(ref));
	check_eq(evtchn_op(EVTCHNOP_status, &st), 0, "EVTCHNOP_status");
	check(st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == 0,
	      "our port unbound to domain 0 again (status %u)", st.status);
	check_eq(kit_close(port), 0, "close our port");
}

static void test_close_and_reconnect(void)
{
	close_device();
	check_eq(kit_xenbus_switch_state(&dev, XenbusStateInitialising), 0, "Initialising");
	check(kit_xenbus_wait_otherend(&dev, XenbusStateInitWait, WAIT), "backend InitWait again");
	connect(pages[1]);
	echo_round(0xa5a5a5a5u);
	echo_round(7);
}

static void test_bad_ring_ref(void)
{
	char path[160], buf[128];

	close_device();
	check_eq(kit_xenbus_switch_state(&dev, XenbusStateInitialising), 0, "Initialising");
	check(kit_xenbus_wait_otherend(&dev, XenbusStateInitWait, WAIT), "backend InitWait");
	publish(pages[0], "500"); /* an entry we never filled */
	check(kit_xenbus_wait_otherend(&dev, XenbusStateClosing, WAIT),
	      "backend Closing after a ring-ref that grants nothing");
	snprintf(path, sizeof(path), "%s/error", dev.otherend);
	check_eq(kit_xs_read(0, path, buf, sizeof(buf)), XS_READ, "the backend's error node");
	close_device();
	check_eq(kit_xenbus_switch_state(&dev, XenbusStateInitialising), 0, "Initialising");
	check(kit_xenbus_wait_otherend(&dev, XenbusStateInitWait, WAIT), "backend InitWait");
	connect(pages[0]);
	echo_round(42);
	close_device();
}

void test_main(void)
{
	kit_events_init();
	if (kit_xs_init())
		kit_skip("no xenstore (run with --with-xenstored --test-devices)");
	test_layout();
	test_connect_and_echo();
	test_close_and_reconnect();
	test_bad_ring_ref();
	printf("xenbus_echo: done\n");
}
