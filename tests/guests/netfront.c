// SPDX-License-Identifier: MIT
/*
 * netfront: a small network frontend that negotiates as Linux's xen-netfront does
 * (talk_to_netback, xennet_connect): it waits for the backend's InitWait, reads the keys
 * netfront reads (feature-rx-copy, which it requires, feature-sg, feature-gso-tcpv4,
 * feature-split-event-channels, multi-queue-max-queues; its own mac), grants a tx and an
 * rx ring page, allocates split event channels for domain 0, writes tx-ring-ref,
 * rx-ring-ref, event-channel-tx/-rx, request-rx-copy, feature-rx-notify, feature-sg,
 * feature-gso-tcpv4/-tcpv6 and feature-ipv6-csum-offload, and goes Connected. The vif
 * runs with hostnet=loopback, so every frame it transmits comes back on its rx ring:
 * frames of one and of several slots, a partial UDP checksum and a TCP GSO frame come
 * back byte for byte with the flags and the extra-info slot io/netif.h gives them;
 * frames sent while no rx buffer is posted wait for the buffers; malformed packets are
 * answered with XEN_NETIF_RSP_ERROR (extra-info slots XEN_NETIF_RSP_NULL) and never
 * reach the wire. Then it closes, comes back from Initialising (as on a module reload)
 * with two queues (multi-queue-num-queues 2, keys under queue-N/, queue 1 with one event
 * channel for both rings), and each queue's frame comes back on that queue.
 *
 * Command line: vif=N (the vif's handle, default 0).
 */
#include "kit.h"
#include "events.h"
#include "gnttab_guest.h"
#include "xenbus.h"
#include "xs.h"

#define xen_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#include <xen/io/netif.h>
#include <xen/io/xenbus.h>

#define SECOND 1000000ULL
#define NET_RX_RING_SIZE __CONST_RING_SIZE(netif_rx, GUEST_PAGE)
#define NR_QUEUES 2
#define NR_TX_PAGES 20
#define RX_PER_QUEUE 20 /* rx pages of a queue, reused in ring order */
#define NR_RX_PAGES (NR_QUEUES * RX_PER_QUEUE)
#define RING_REF 8 /* queue q: tx ring RING_REF + 2q, rx ring RING_REF + 2q + 1 */
#define TX_REF 16 /* tx page i: TX_REF + i */
#define RX_REF 64 /* rx page i: RX_REF + i */

static uint8_t gt_frame[GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));
static uint8_t tx_ring_page[NR_QUEUES][GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));
static uint8_t rx_ring_page[NR_QUEUES][GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));
static uint8_t tx_pages[NR_TX_PAGES][GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));
static uint8_t rx_pages[NR_RX_PAGES][GUEST_PAGE] __attribute__((aligned(GUEST_PAGE)));
static uint8_t frame[65536], got[65536];

static struct grant_entry_v1 *const gt = (struct grant_entry_v1 *)gt_frame;

/* One queue: its rings and event channels (the same port twice when not split). */
struct nq {
	unsigned int index;
	evtchn_port_t tx_port, rx_port;
	netif_tx_front_ring_t tx;
	netif_rx_front_ring_t rx;
	domid_t backend;
};

struct vif {
	struct kit_xenbus_dev xb;
	unsigned int nr_queues;
	struct nq q[NR_QUEUES];
	uint8_t mac[6];
};

/* What came back on the rx ring for one frame. */
struct rx_frame {
	size_t len;
	uint16_t flags; /* of the first response */
	unsigned int slots; /* responses, the extra included */
	struct netif_extra_info gso; /* type 0 when none */
	bool error;
};

static uint64_t cmdline_num(const char *key, uint64_t dflt)
{
	uint64_t v;

	return kit_cmdline_u64(key, &v) ? v : dflt;
}

static uint32_t backend_uint(struct vif *v, const char *key)
{
	uint32_t val = 0;

	kit_xenbus_read_uint(v->xb.otherend, key, &val);
	return val;
}

static void write_key(struct vif *v, const char *key, unsigned int val)
{
	check_eq(kit_xenbus_write_uint(&v->xb, key, val), 0, key);
}

static int hexval(char c)
{
	return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* xen_net_read_mac(): six hex pairs separated by colons. */
static bool read_mac(struct vif *v)
{
	char path[128], buf[32];

	snprintf(path, sizeof(path), "%s/mac", v->xb.nodename);
	if (kit_xs_read(0, path, buf, sizeof(buf)) != XS_READ || strlen(buf) != 17)
		return false;
	for (int i = 0; i < 6; i++) {
		int hi = hexval(buf[i * 3]), lo = hexval(buf[i * 3 + 1]);

		if (hi < 0 || lo < 0 || (i < 5 && buf[i * 3 + 2] != ':'))
			return false;
		v->mac[i] = (uint8_t)(hi << 4 | lo);
	}
	return true;
}

/* The queue's key: flat with one queue, under queue-N/ with several (write_queue_xenstore_keys). */
static void write_qkey(struct vif *v, struct nq *q, const char *key, unsigned int val)
{
	char k[48];

	if (v->nr_queues > 1)
		snprintf(k, sizeof(k), "queue-%u/%s", q->index, key);
	else
		snprintf(k, sizeof(k), "%s", key);
	write_key(v, k, val);
}

/* setup_netfront(): rings granted, event channels allocated, keys written. */
static void setup_queue(struct vif *v, struct nq *q, bool split)
{
	struct netif_tx_sring *txs = (struct netif_tx_sring *)tx_ring_page[q->index];
	struct netif_rx_sring *rxs = (struct netif_rx_sring *)rx_ring_page[q->index];
	grant_ref_t ref = RING_REF + 2 * q->index;

	q->backend = v->xb.otherend_id;
	SHARED_RING_INIT(txs);
	FRONT_RING_INIT(&q->tx, txs, GUEST_PAGE);
	SHARED_RING_INIT(rxs);
	FRONT_RING_INIT(&q->rx, rxs, GUEST_PAGE);
	gnttab_grant(&gt[ref], q->backend, gfn_of(txs), GTF_permit_access);
	gnttab_grant(&gt[ref + 1], q->backend, gfn_of(rxs), GTF_permit_access);
	check_eq(kit_xenbus_alloc_evtchn(&v->xb, &q->tx_port), 0, "alloc_unbound tx");
	q->rx_port = q->tx_port;
	if (split)
		check_eq(kit_xenbus_alloc_evtchn(&v->xb, &q->rx_port), 0, "alloc_unbound rx");
	kit_unmask(q->tx_port);
	kit_unmask(q->rx_port);
	write_qkey(v, q, "tx-ring-ref", ref);
	write_qkey(v, q, "rx-ring-ref", ref + 1);
	if (split) {
		write_qkey(v, q, "event-channel-tx", q->tx_port);
		write_qkey(v, q, "event-channel-rx", q->rx_port);
	} else {
		write_qkey(v, q, "event-channel", q->tx_port);
	}
}

/* talk_to_netback(): queue 0 with split channels, the others with one channel each. */
static void connect(struct vif *v, unsigned int handle, unsigned int nr_queues)
{
	if (kit_xenbus_probe("vif", handle, &v->xb))
		kit_error("no vif %u in xenstore", handle);
	if (!kit_xenbus_wait_otherend(&v->xb, XenbusStateInitWait, 20 * SECOND))
		kit_error("backend %s never reached InitWait", v->xb.otherend);
	check_eq(backend_uint(v, "feature-rx-copy"), 1, "feature-rx-copy");
	check_eq(backend_uint(v, "feature-sg"), 1, "feature-sg");
	check_eq(backend_uint(v, "feature-gso-tcpv4"), 1, "feature-gso-tcpv4");
	check_eq(backend_uint(v, "feature-split-event-channels"), 1,
		 "feature-split-event-channels");
	check(backend_uint(v, "multi-queue-max-queues") >= nr_queues, "multi-queue-max-queues");
	check(read_mac(v), "no valid mac in %s", v->xb.nodename);
	check_eq(v->mac[0] & 1, 0, "mac is unicast");

	memset(v->q, 0, sizeof(v->q));
	v->nr_queues = nr_queues;
	write_key(v, "multi-queue-num-queues", nr_queues);
	for (unsigned int i = 0; i < nr_queues; i++) {
		v->q[i].index = i;
		setup_queue(v, &v->q[i], i == 0);
	}
	write_key(v, "request-rx-copy", 1);
	write_key(v, "feature-rx-notify", 1);
	write_key(v, "feature-sg", 1);
	write_key(v, "feature-gso-tcpv4", 1);
	write_key(v, "feature-gso-tcpv6", 1);
	write_key(v, "feature-ipv6-csum-offload", 1);
	/* netfront goes from Initialising straight to Connected. */
	check_eq(kit_xenbus_switch_state(&v->xb, XenbusStateConnected), 0, "Connected");
	if (!kit_xenbus_wait_otherend(&v->xb, XenbusStateConnected, 20 * SECOND))
		kit_error("backend %s never Connected", v->xb.otherend);
}

/* Posts n rx buffers (netfront's xennet_alloc_rx_buffers): id = the slot's index. */
static void post_rx(struct nq *q, unsigned int n)
{
	int notify;

	for (unsigned int i = 0; i < n; i++) {
		RING_IDX idx = q->rx.req_prod_pvt++;
		unsigned int slot = idx & (NET_RX_RING_SIZE - 1);
		unsigned int page = q->index * RX_PER_QUEUE + idx % RX_PER_QUEUE;
		struct netif_rx_request *req = RING_GET_REQUEST(&q->rx, idx);

		memset(rx_pages[page], 0xee, GUEST_PAGE);
		gnttab_grant(&gt[RX_REF + page], q->backend, gfn_of(rx_pages[page]),
			     GTF_permit_access);
		req->id = (uint16_t)slot;
		req->gref = RX_REF + page;
	}
	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->rx, notify);
	if (notify)
		kit_send(q->rx_port);
}

/* One tx slot: `len` bytes of page `page` at `offset` (grant read-only, as netfront). */
static struct netif_tx_request *tx_slot(struct nq *q, unsigned int page, uint16_t offset,
					uint16_t size, uint16_t flags)
{
	RING_IDX idx = q->tx.req_prod_pvt++;
	struct netif_tx_request *req = RING_GET_REQUEST(&q->tx, idx);

	gnttab_grant(&gt[TX_REF + page], q->backend, gfn_of(tx_pages[page]),
		     GTF_permit_access | GTF_readonly);
	*req = (struct netif_tx_request){ .gref = TX_REF + page,
					  .offset = offset,
					  .flags = flags,
					  .id = (uint16_t)(idx & 0xff),
					  .size = size };
	return req;
}

static void tx_extra(struct nq *q, uint8_t type, uint16_t gso_size, uint8_t gso_type)
{
	RING_IDX idx = q->tx.req_prod_pvt++;
	struct netif_extra_info *ex = (struct netif_extra_info *)RING_GET_REQUEST(&q->tx, idx);

	memset(ex, 0, sizeof(*ex));
	ex->type = type;
	ex->u.gso.size = gso_size;
	ex->u.gso.type = gso_type;
}

/* Publishes the slots and collects every tx response: each must carry `status`. */
static void tx_run(struct nq *q, int16_t status, unsigned int extras, const char *what)
{
	RING_IDX first = q->tx.rsp_cons, end = q->tx.req_prod_pvt;
	int notify;

	RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&q->tx, notify);
	if (notify)
		kit_send(q->tx_port);
	if (!kit_wait_for(q->tx.sring->rsp_prod == end, 10 * SECOND)) {
		fail("%s: %u of %u tx responses", what, q->tx.sring->rsp_prod - first, end - first);
		return;
	}
	xen_rmb();
	for (RING_IDX i = first; i != end; i++) {
		struct netif_tx_response *rsp = RING_GET_RESPONSE(&q->tx, i);
		bool extra = i - first >= 1 && i - first <= extras;

		if (extra)
			check_eq(rsp->status, NETIF_RSP_NULL, "tx extra slot status");
		else
			check_eq(rsp->status, status, what);
	}
	q->tx.rsp_cons = end;
	q->tx.sring->rsp_event = end + 1;
	for (unsigned int p = 0; p < NR_TX_PAGES; p++)
		check(gnttab_end_access(&gt[TX_REF + p]), "tx grant %u still held", p);
}

/* Takes one frame off the rx ring (waiting up to `us`): false when none came. */
static bool rx_take(struct nq *q, struct rx_frame *f, uint64_t us)
{
	bool more = true, first = true;

	memset(f, 0, sizeof(*f));
	while (more) {
		struct netif_rx_response rsp;

		if (!kit_wait_for(q->rx.sring->rsp_prod != q->rx.rsp_cons, us)) {
			if (!first)
				fail("rx frame cut short after %u slots", f->slots);
			return false;
		}
		xen_rmb();
		rsp = *RING_GET_RESPONSE(&q->rx, q->rx.rsp_cons);
		check_eq(rsp.id, q->rx.rsp_cons & (NET_RX_RING_SIZE - 1), "rx response id");
		if (rsp.status < 0 || rsp.offset + rsp.status > GUEST_PAGE) {
			f->error = true;
		} else {
			memcpy(got + f->len,
			       rx_pages[q->index * RX_PER_QUEUE + q->rx.rsp_cons % RX_PER_QUEUE] +
				       rsp.offset,
			       (size_t)rsp.status);
			f->len += (size_t)rsp.status;
		}
		q->rx.rsp_cons++;
		f->slots++;
		more = rsp.flags & NETRXF_more_data;
		if (first) {
			f->flags = rsp.flags;
			if (rsp.flags & NETRXF_extra_info) {
				kit_wait_for(q->rx.sring->rsp_prod != q->rx.rsp_cons, us);
				memcpy(&f->gso, RING_GET_RESPONSE(&q->rx, q->rx.rsp_cons),
				       sizeof(f->gso));
				q->rx.rsp_cons++;
				f->slots++;
			}
		}
		first = false;
	}
	/* Re-arms rsp_event, as netfront's RING_FINAL_CHECK_FOR_RESPONSES does. */
	q->rx.sring->rsp_event = q->rx.rsp_cons + 1;
	xen_mb();
	return true;
}

static void put_be16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

static uint32_t sum16(const uint8_t *p, size_t len, uint32_t sum)
{
	for (size_t i = 0; i + 1 < len; i += 2)
		sum += (uint32_t)(p[i] << 8 | p[i + 1]);
	if (len & 1)
		sum += (uint32_t)(p[len - 1] << 8);
	return sum;
}

static uint16_t fold(uint32_t sum)
{
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	return (uint16_t)sum;
}

/*
 * An Ethernet/IPv4 frame of `len` bytes to our own MAC, protocol `proto` (17 UDP, 6
 * TCP), its payload a pattern from `seed`; the transport checksum field holds the folded
 * pseudo-header sum, as a CHECKSUM_PARTIAL skb's does.
 */
static void build_ipv4(struct vif *v, size_t len, uint8_t proto, uint8_t seed)
{
	uint8_t *ip = frame + 14, *l4 = ip + 20;
	size_t l4_len = len - 34;
	uint32_t pseudo;

	memcpy(frame, v->mac, 6);
	memcpy(frame + 6, v->mac, 6);
	put_be16(frame + 12, 0x0800);
	memset(ip, 0, 20);
	ip[0] = 0x45;
	put_be16(ip + 2, (uint16_t)(len - 14));
	ip[8] = 64;
	ip[9] = proto;
	memcpy(ip + 12, (uint8_t[]){ 10, 0, 0, 1 }, 4);
	memcpy(ip + 16, (uint8_t[]){ 10, 0, 0, 2 }, 4);
	put_be16(ip + 10, (uint16_t)~fold(sum16(ip, 20, 0)));
	for (size_t i = 34; i < len; i++)
		frame[i] = (uint8_t)(i * 31 + seed);
	pseudo = sum16(ip + 12, 8, 0) + proto + (uint32_t)l4_len;
	if (proto == 17) {
		put_be16(l4, 4000);
		put_be16(l4 + 2, 4001);
		put_be16(l4 + 4, (uint16_t)l4_len);
		put_be16(l4 + 6, fold(pseudo));
	} else {
		memset(l4, 0, 20);
		put_be16(l4, 4000);
		put_be16(l4 + 2, 4001);
		l4[12] = 5 << 4;
		l4[13] = 0x18; /* PSH, ACK */
		put_be16(l4 + 16, fold(pseudo));
	}
}

/* Lays `len` bytes of frame[] out over tx slots, the first at `offset0`. */
static void tx_frame(struct nq *q, size_t len, uint16_t offset0, uint16_t flags,
		     const uint16_t *extra_gso)
{
	size_t off = 0;
	unsigned int page = 0;
	size_t room = (size_t)GUEST_PAGE - offset0;
	uint16_t first_len = (uint16_t)(len < room ? len : room);

	memcpy(tx_pages[0] + offset0, frame, first_len);
	off = first_len;
	tx_slot(q, 0, offset0, (uint16_t)len,
		flags | (off < len ? NETTXF_more_data : 0) | (extra_gso ? NETTXF_extra_info : 0));
	if (extra_gso)
		tx_extra(q, XEN_NETIF_EXTRA_TYPE_GSO, extra_gso[0], (uint8_t)extra_gso[1]);
	while (off < len) {
		uint16_t n = (uint16_t)(len - off < 3000 ? len - off : 3000);

		page++;
		memcpy(tx_pages[page] + 100, frame + off, n);
		off += n;
		tx_slot(q, page, 100, n, off < len ? NETTXF_more_data : 0);
	}
}

/* Sends frame[0..len) and expects it back intact with rx flags `want_flags`. */
static void loop_one(struct nq *q, size_t len, uint16_t offset0, uint16_t flags,
		     const uint16_t *gso, uint16_t want_flags, const char *what)
{
	struct rx_frame f;

	tx_frame(q, len, offset0, flags, gso);
	tx_run(q, NETIF_RSP_OKAY, gso ? 1 : 0, what);
	if (!rx_take(q, &f, 10 * SECOND)) {
		fail("%s: nothing came back", what);
		return;
	}
	check(!f.error, "%s: an rx response with an error", what);
	check_eq(f.len, len, what);
	check(!memcmp(got, frame, len), "%s: the bytes differ", what);
	check_eq(f.flags & ~NETRXF_more_data, want_flags, "rx flags");
	check_eq(f.slots, (len + GUEST_PAGE - 1) / GUEST_PAGE + (gso ? 1 : 0), "rx slots");
	if (gso) {
		check_eq(f.gso.type, XEN_NETIF_EXTRA_TYPE_GSO, "rx extra type");
		check_eq(f.gso.u.gso.size, gso[0], "rx gso size");
		check_eq(f.gso.u.gso.type, gso[1], "rx gso type");
	}
}

static void test_loopback(struct vif *v)
{
	struct nq *q = &v->q[0];
	static const uint16_t gso[2] = { 1448, XEN_NETIF_GSO_TYPE_TCPV4 };
	uint32_t rx_events = kit_event_count[q->rx_port];

	build_ipv4(v, 60, 17, 1);
	loop_one(q, 60, 0, NETTXF_data_validated, NULL, NETRXF_data_validated, "60-byte frame");
	check(kit_wait_for(kit_event_count[q->rx_port] != rx_events, SECOND),
	      "no rx event for a response");
	build_ipv4(v, 9000, 17, 2);
	loop_one(q, 9000, 2000, 0, NULL, 0, "9000-byte frame in 4 slots");
	build_ipv4(v, 1400, 17, 3);
	loop_one(q, 1400, 64, NETTXF_csum_blank | NETTXF_data_validated, NULL,
		 NETRXF_csum_blank | NETRXF_data_validated, "partial UDP checksum");
	build_ipv4(v, 20054, 6, 4);
	loop_one(q, 20054, 0, NETTXF_csum_blank | NETTXF_data_validated, gso,
		 NETRXF_csum_blank | NETRXF_data_validated | NETRXF_extra_info,
		 "TCP GSO frame of 20054 bytes");
	printf("netfront: frames of 1, 4 and 7 tx slots, a partial checksum and GSO came back\n");
}

/* Frames sent with no rx buffer posted wait for the buffers, in order. */
static void test_rx_wait(struct vif *v)
{
	struct nq *q = &v->q[0];
	struct rx_frame f;

	for (uint8_t i = 0; i < 5; i++) {
		build_ipv4(v, 200 + i, 17, (uint8_t)(10 + i));
		tx_frame(q, 200 + i, 0, 0, NULL);
		tx_run(q, NETIF_RSP_OKAY, 0, "frame sent with no rx buffer");
	}
	check(!rx_take(q, &f, SECOND / 2), "a frame arrived with no rx buffer posted");
	post_rx(q, 8);
	for (uint8_t i = 0; i < 5; i++) {
		build_ipv4(v, 200 + i, 17, (uint8_t)(10 + i));
		if (!rx_take(q, &f, 10 * SECOND)) {
			fail("waiting frame %u never came", i);
			return;
		}
		check_eq(f.len, 200 + i, "waiting frame length");
		check(!memcmp(got, frame, f.len), "waiting frame %u differs", i);
	}
	post_rx(q, RX_PER_QUEUE - 8);
	printf("netfront: 5 frames waited for rx buffers and came in order\n");
}

static void test_refused(struct vif *v)
{
	struct nq *q = &v->q[0];
	static const uint16_t gso[2] = { 1448, XEN_NETIF_GSO_TYPE_TCPV4 };
	struct rx_frame f;

	tx_slot(q, 0, 3500, 1000, 0); /* 3500 + 1000 passes the page */
	tx_run(q, NETIF_RSP_ERROR, 0, "slot past its page");
	tx_slot(q, 0, 0, 10, 0);
	tx_run(q, NETIF_RSP_ERROR, 0, "frame shorter than an Ethernet header");
	tx_slot(q, 0, 0, 100, NETTXF_more_data);
	tx_slot(q, 1, 0, 200, 0);
	tx_run(q, NETIF_RSP_ERROR, 0, "first size below the other slots'");
	tx_slot(q, 0, 0, 100, 0)->gref = 900; /* never granted */
	tx_run(q, NETIF_RSP_ERROR, 0, "ungranted page");
	build_ipv4(v, 3000, 6, 6);
	tx_frame(q, 3000, 0, 0, gso); /* GSO without csum_blank */
	tx_run(q, NETIF_RSP_ERROR, 1, "GSO without a partial checksum");
	tx_slot(q, 0, 0, 100, NETTXF_extra_info);
	tx_extra(q, XEN_NETIF_EXTRA_TYPE_MCAST_ADD, 0, 0); /* not offered */
	tx_run(q, NETIF_RSP_ERROR, 1, "multicast control not offered");
	/* None of them reached the wire: the next frame is the first to come back. */
	build_ipv4(v, 80, 17, 7);
	loop_one(q, 80, 0, 0, NULL, 0, "frame after the refused ones");
	check(!rx_take(q, &f, SECOND / 4), "a refused packet came back");
	printf("netfront: malformed packets refused with XEN_NETIF_RSP_ERROR\n");
}

/* A frame on each of two queues comes back on its own queue (queue 1: one channel). */
static void test_two_queues(struct vif *v)
{
	struct rx_frame f;

	for (unsigned int i = 0; i < v->nr_queues; i++)
		post_rx(&v->q[i], 4);
	for (unsigned int i = 0; i < v->nr_queues; i++) {
		struct nq *q = &v->q[i];
		uint32_t events = kit_event_count[q->rx_port];

		build_ipv4(v, 300 + i * 1000, 17, (uint8_t)(20 + i));
		loop_one(q, 300 + i * 1000, 0, 0, NULL, 0,
			 i ? "frame on queue 1" : "frame on queue 0");
		check(kit_wait_for(kit_event_count[q->rx_port] != events, SECOND),
		      "no event on queue %u", i);
	}
	for (unsigned int i = 0; i < v->nr_queues; i++)
		check(!rx_take(&v->q[i], &f, SECOND / 4), "a second frame on queue %u", i);
	printf("netfront: two queues, each frame back on its own queue\n");
}

/* netfront's way out: Closing, then Closed once the backend closed; grants end last. */
static void disconnect(struct vif *v)
{
	check_eq(kit_xenbus_switch_state(&v->xb, XenbusStateClosing), 0, "Closing");
	if (!kit_xenbus_wait_otherend(&v->xb, XenbusStateClosing, 10 * SECOND) &&
	    kit_xenbus_read_state(v->xb.otherend) != XenbusStateClosed)
		fail("backend did not close");
	check_eq(kit_xenbus_switch_state(&v->xb, XenbusStateClosed), 0, "Closed");
	if (!kit_xenbus_wait_otherend(&v->xb, XenbusStateClosed, 10 * SECOND))
		fail("backend not Closed after the frontend");
	for (unsigned int i = 0; i < v->nr_queues; i++) {
		struct nq *q = &v->q[i];

		check(kit_wait_for(gnttab_end_access(&gt[RING_REF + 2 * i]) &&
					   gnttab_end_access(&gt[RING_REF + 2 * i + 1]),
				   5 * SECOND),
		      "queue %u's ring grants still held after Closed", i);
		check_eq(kit_close(q->tx_port), 0, "close the tx port");
		if (q->rx_port != q->tx_port)
			check_eq(kit_close(q->rx_port), 0, "close the rx port");
	}
	for (unsigned int p = 0; p < NR_RX_PAGES; p++)
		check(gnttab_end_access(&gt[RX_REF + p]), "rx grant %u still held", p);
}

void test_main(void)
{
	struct vif v = { 0 };
	unsigned int handle = (unsigned int)cmdline_num("vif", 0);

	kit_events_init();
	if (kit_xs_init())
		kit_skip("no xenstore");
	check_eq(gnttab_place_frame(0, gfn_of(gt_frame)), 0, "grant frame 0");
	connect(&v, handle, 1);
	test_rx_wait(&v);
	test_loopback(&v);
	test_refused(&v);
	disconnect(&v);
	/* Back from Initialising, as netfront after a module reload, with two queues. */
	check_eq(kit_xenbus_switch_state(&v.xb, XenbusStateInitialising), 0, "Initialising");
	connect(&v, handle, 2);
	test_two_queues(&v);
	disconnect(&v);
	printf("netfront: done\n");
}
