// SPDX-License-Identifier: GPL-2.0
/*
 * One vif queue (netback_queue.h): the tx path (ring -> host) and the rx path (host ->
 * ring), with io/ring.h's index and event rules. Every value read from a ring is
 * copied before use; a frontend that breaks the ring's rules (req_prod more than a ring
 * ahead, a packet longer than the ring) loses that ring, logged, until it reconnects.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers-pv/net_offload.h"
#include "drivers-pv/netback_queue.h"
#include "vmm/log.h"

#define xen_mb() __atomic_thread_fence(__ATOMIC_SEQ_CST)
#define xen_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define xen_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)

#define VNET_HDR sizeof(struct virtio_net_hdr)
/* A frame read from the host: the largest GSO frame a tap hands out, with room to spare. */
#define RX_FRAME_MAX (VNET_HDR + 65536 + 256)
/* Frames moved to the frontend per call, so that the tx side gets its turn. */
#define RX_BATCH 64

int netback_queue_start(struct netback_queue *q, const struct netback_queue_config *cfg)
{
	memset(q, 0, sizeof(*q));
	q->cfg = *cfg;
	q->tx_frame = malloc(VNET_HDR + NET_MAX_PACKET);
	q->rx_frame = malloc(RX_FRAME_MAX);
	if (!q->tx_frame || !q->rx_frame)
		goto nomem;
	if (xen_gnttab_map(cfg->dom, cfg->backend, cfg->tx_ref, false, &q->tx_map) != GNTST_okay)
		goto fail;
	if (xen_gnttab_map(cfg->dom, cfg->backend, cfg->rx_ref, false, &q->rx_map) != GNTST_okay) {
		xen_gnttab_unmap(cfg->dom, &q->tx_map);
		goto fail;
	}
	BACK_RING_INIT(&q->tx, (struct netif_tx_sring *)q->tx_map.addr, NET_PAGE_SIZE);
	BACK_RING_INIT(&q->rx, (struct netif_rx_sring *)q->rx_map.addr, NET_PAGE_SIZE);
	return 0;
nomem:
	free(q->tx_frame);
	free(q->rx_frame);
	return -ENOMEM;
fail:
	free(q->tx_frame);
	free(q->rx_frame);
	return -EIO;
}

void netback_queue_stop(struct netback_queue *q)
{
	xen_gnttab_unmap(q->cfg.dom, &q->tx_map);
	xen_gnttab_unmap(q->cfg.dom, &q->rx_map);
	free(q->tx_frame);
	free(q->rx_frame);
	q->tx_frame = q->rx_frame = NULL;
}

/* ---- tx: the frontend's packets to the host ---- */

/* The virtio-net header for a packet's flags; false when they cannot be honoured. */
static bool tx_vnet_hdr(const struct net_tx_pkt *pkt, const uint8_t *frame,
			struct virtio_net_hdr *hdr)
{
	struct net_l4 l4;

	memset(hdr, 0, sizeof(*hdr));
	if (!(pkt->flags & NETTXF_csum_blank)) {
		if (pkt->flags & NETTXF_data_validated)
			hdr->flags = VIRTIO_NET_HDR_F_DATA_VALID;
		return true;
	}
	if (net_find_l4(frame, pkt->len, &l4))
		return false; /* a partial checksum where none can be completed */
	hdr->flags = VIRTIO_NET_HDR_F_NEEDS_CSUM;
	hdr->csum_start = l4.offset;
	hdr->csum_offset = net_l4_csum_offset(&l4);
	if (pkt->gso_type == XEN_NETIF_GSO_TYPE_NONE)
		return true;
	if (l4.proto != 6 || l4.ipv6 != (pkt->gso_type == XEN_NETIF_GSO_TYPE_TCPV6))
		return false; /* the GSO type does not match the frame */
	hdr->gso_type = l4.ipv6 ? VIRTIO_NET_HDR_GSO_TCPV6 : VIRTIO_NET_HDR_GSO_TCPV4;
	hdr->gso_size = pkt->gso_size;
	hdr->hdr_len = l4.hdr_len;
	return true;
}

/* Copies the packet out of its grants and hands it to the host: the slots' status. */
static int16_t tx_send(struct netback_queue *q, const struct net_tx_pkt *pkt)
{
	uint8_t *frame = q->tx_frame + VNET_HDR;
	struct virtio_net_hdr hdr;
	uint32_t off = 0;

	for (unsigned int i = 0; i < pkt->nr_frags; i++) {
		const struct net_tx_frag *f = &pkt->frag[i];

		if (f->len && xen_gnttab_copy_from(q->cfg.dom, q->cfg.backend, f->gref, f->offset,
						   frame + off, f->len) != GNTST_okay)
			return NETIF_RSP_ERROR;
		off += f->len;
	}
	if (!tx_vnet_hdr(pkt, frame, &hdr))
		return NETIF_RSP_ERROR;
	memcpy(q->tx_frame, &hdr, sizeof(hdr));
	/* A full host queue drops the frame, as a wire would: the guest sent it. */
	if (write(q->cfg.host.tx_fd, q->tx_frame, VNET_HDR + pkt->len) < 0)
		q->stats.tx_host_drops++;
	q->stats.tx_packets++;
	q->stats.tx_bytes += pkt->len;
	return NETIF_RSP_OKAY;
}

static void tx_respond(struct netback_queue *q, const struct net_tx_pkt *pkt,
		       const struct netif_tx_request *slots, int16_t status)
{
	for (unsigned int i = 0; i < pkt->nr_slots; i++) {
		struct netif_tx_response *rsp = RING_GET_RESPONSE(&q->tx, q->tx.rsp_prod_pvt);

		rsp->id = slots[i].id;
		rsp->status = net_tx_slot_is_extra(pkt, i) ? NETIF_RSP_NULL : status;
		q->tx.rsp_prod_pvt++;
	}
	if (status != NETIF_RSP_OKAY)
		q->stats.tx_errors++;
}

/* Copies the requests in [req_cons, rp) once. */
static void tx_copy_slots(struct netback_queue *q, RING_IDX rp)
{
	for (RING_IDX i = q->tx.req_cons; i != rp; i++)
		memcpy(&q->slots[i - q->tx.req_cons], RING_GET_REQUEST(&q->tx, i),
		       sizeof(q->slots[0]));
}

/* Takes the packets among the slots copied: false when the ring must be given up. */
static bool tx_take(struct netback_queue *q, unsigned int avail)
{
	unsigned int pos = 0;
	struct net_tx_pkt pkt;

	while (pos < avail) {
		enum net_tx_result r =
			net_tx_parse(&q->cfg.tx_limits, q->slots + pos, avail - pos, &pkt);

		if (r == NET_TX_PARTIAL)
			return avail - pos < NET_TX_RING_SIZE;
		tx_respond(q, &pkt, q->slots + pos,
			   r == NET_TX_OK ? tx_send(q, &pkt) : NETIF_RSP_ERROR);
		pos += pkt.nr_slots;
		q->tx.req_cons += pkt.nr_slots;
	}
	return true;
}

void netback_queue_tx(struct netback_queue *q)
{
	netif_tx_back_ring_t *tx = &q->tx;
	RING_IDX rp;
	int notify;

	while (!q->tx_broken) {
		rp = __atomic_load_n(&tx->sring->req_prod, __ATOMIC_RELAXED);
		xen_rmb();
		if (RING_REQUEST_PROD_OVERFLOW(tx, rp)) {
			log_err("vif: tx req_prod %u is more than a ring past %u: tx ring dropped",
				rp, tx->rsp_prod_pvt);
			q->tx_broken = true;
			break;
		}
		tx_copy_slots(q, rp);
		if (!tx_take(q, rp - tx->req_cons)) {
			log_err("vif: a tx packet longer than the ring: tx ring dropped");
			q->tx_broken = true;
		}
		RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(tx, notify);
		if (notify)
			q->cfg.notify_tx(q->cfg.notify_arg);
		/* Wake on the next request beyond those seen (a partial packet waits for it). */
		tx->sring->req_event = rp + 1;
		xen_mb();
		if (__atomic_load_n(&tx->sring->req_prod, __ATOMIC_RELAXED) == rp)
			break;
	}
}

/* ---- rx: host frames to the frontend's posted buffers ---- */

static bool frame_is_ipv6(const uint8_t *frame, size_t len)
{
	size_t t = len >= 18 && frame[12] == 0x81 && frame[13] == 0x00 ? 16 : 12;

	return len >= t + 2 && frame[t] == 0x86 && frame[t + 1] == 0xdd;
}

struct rx_plan {
	uint16_t flags; /* of the first response */
	uint8_t gso_type;
	uint16_t gso_size;
	unsigned int slots; /* rx requests it takes */
};

/* What delivering the held frame takes; false when the frontend cannot have it. */
static bool rx_plan(struct netback_queue *q, uint8_t *frame, size_t len, struct rx_plan *p)
{
	const struct net_rx_caps *c = &q->cfg.rx_caps;
	struct virtio_net_hdr hdr;

	memcpy(&hdr, q->rx_frame, sizeof(hdr));
	memset(p, 0, sizeof(*p));
	if (len < NET_ETH_HLEN || len > NET_MAX_PACKET || (!c->sg && len > NET_PAGE_SIZE))
		return false;
	switch (hdr.gso_type) {
	case VIRTIO_NET_HDR_GSO_NONE:
		break;
	case VIRTIO_NET_HDR_GSO_TCPV4:
		p->gso_type = XEN_NETIF_GSO_TYPE_TCPV4;
		break;
	case VIRTIO_NET_HDR_GSO_TCPV6:
		p->gso_type = XEN_NETIF_GSO_TYPE_TCPV6;
		break;
	default:
		return false; /* UDP, ECN: nothing netif can say */
	}
	if (p->gso_type &&
	    (!hdr.gso_size || !(hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) ||
	     !(p->gso_type == XEN_NETIF_GSO_TYPE_TCPV4 ? c->gso_tcpv4 : c->gso_tcpv6)))
		return false;
	p->gso_size = hdr.gso_size;
	if (hdr.flags & VIRTIO_NET_HDR_F_NEEDS_CSUM) {
		if (c->csum && (c->ipv6_csum || !frame_is_ipv6(frame, len)))
			p->flags = NETRXF_csum_blank | NETRXF_data_validated;
		else if (!p->gso_type &&
			 !net_csum_complete(frame, len, hdr.csum_start, hdr.csum_offset))
			p->flags = NETRXF_data_validated; /* completed here */
		else
			return false;
	} else if (hdr.flags & VIRTIO_NET_HDR_F_DATA_VALID) {
		p->flags = NETRXF_data_validated;
	}
	p->slots = (unsigned int)((len + NET_PAGE_SIZE - 1) / NET_PAGE_SIZE) + !!p->gso_type;
	if (p->gso_type)
		p->flags |= NETRXF_extra_info;
	return true;
}

/* Requests posted and not taken; re-arms req_event when fewer than `need` are there. */
static bool rx_room(struct netback_queue *q, unsigned int need)
{
	netif_rx_back_ring_t *rx = &q->rx;
	RING_IDX rp;

	do {
		rp = __atomic_load_n(&rx->sring->req_prod, __ATOMIC_RELAXED);
		xen_rmb();
		if (RING_REQUEST_PROD_OVERFLOW(rx, rp)) {
			log_err("vif: rx req_prod %u is more than a ring past %u: rx ring dropped",
				rp, rx->rsp_prod_pvt);
			q->rx_broken = true;
			return false;
		}
		if (rp - rx->req_cons >= need)
			return true;
		rx->sring->req_event = rp + 1;
		xen_mb();
	} while (__atomic_load_n(&rx->sring->req_prod, __ATOMIC_RELAXED) != rp);
	return false;
}

/* The next posted buffer's request, copied, and its response slot. */
static struct netif_rx_response *rx_slot(struct netback_queue *q, struct netif_rx_request *req)
{
	struct netif_rx_response *rsp;

	memcpy(req, RING_GET_REQUEST(&q->rx, q->rx.req_cons), sizeof(*req));
	q->rx.req_cons++;
	rsp = RING_GET_RESPONSE(&q->rx, q->rx.rsp_prod_pvt);
	q->rx.rsp_prod_pvt++;
	return rsp;
}

static void rx_gso_extra(struct netback_queue *q, const struct rx_plan *p)
{
	struct netif_rx_request req;
	struct netif_extra_info ex;
	void *slot = rx_slot(q, &req);

	memset(&ex, 0, sizeof(ex));
	ex.type = XEN_NETIF_EXTRA_TYPE_GSO;
	ex.u.gso.size = p->gso_size;
	ex.u.gso.type = p->gso_type;
	memcpy(slot, &ex, sizeof(ex));
}

/* Copies the frame into p->slots posted buffers (the ring has them). */
static void rx_fill(struct netback_queue *q, const uint8_t *frame, size_t len,
		    const struct rx_plan *p)
{
	size_t off = 0;
	bool first = true;

	while (off < len) {
		struct netif_rx_request req;
		struct netif_rx_response *rsp = rx_slot(q, &req);
		uint16_t n = (uint16_t)(len - off < NET_PAGE_SIZE ? len - off : NET_PAGE_SIZE);
		struct netif_rx_response r = { .id = req.id, .offset = 0, .status = (int16_t)n };

		if (xen_gnttab_copy_to(q->cfg.dom, q->cfg.backend, req.gref, 0, frame + off, n) !=
		    GNTST_okay)
			r.status = NETIF_RSP_ERROR; /* netfront drops the whole frame */
		off += n;
		r.flags = (first ? p->flags : 0) | (off < len ? NETRXF_more_data : 0);
		memcpy(rsp, &r, sizeof(r));
		if (first && p->gso_type)
			rx_gso_extra(q, p);
		first = false;
	}
}

/* Delivers the held frame: true when it is gone (delivered or dropped). */
static bool rx_deliver(struct netback_queue *q)
{
	uint8_t *frame = q->rx_frame + VNET_HDR;
	size_t len = q->rx_len - VNET_HDR;
	struct rx_plan p;

	if (q->rx_broken || !rx_plan(q, frame, len, &p)) {
		q->stats.rx_drops++;
		return true;
	}
	if (!rx_room(q, p.slots)) {
		if (q->rx_broken)
			q->stats.rx_drops++;
		return q->rx_broken; /* a broken ring drops what the host sends */
	}
	rx_fill(q, frame, len, &p);
	q->stats.rx_packets++;
	q->stats.rx_bytes += len;
	return true;
}

static void rx_push(struct netback_queue *q)
{
	int notify;

	RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&q->rx, notify);
	if (notify)
		q->cfg.notify_rx(q->cfg.notify_arg);
}

bool netback_queue_rx(struct netback_queue *q)
{
	bool waiting = false;

	for (int n = 0; n < RX_BATCH; n++) {
		if (!q->rx_len) {
			ssize_t got = read(q->cfg.host.rx_fd, q->rx_frame, RX_FRAME_MAX);

			if (got < 0)
				break; /* EAGAIN: nothing more now */
			if ((size_t)got <= VNET_HDR) {
				q->stats.rx_drops++;
				continue;
			}
			q->rx_len = (size_t)got;
		}
		if (!rx_deliver(q)) {
			waiting = true;
			break;
		}
		q->rx_len = 0;
	}
	if (!q->rx_broken)
		rx_push(q);
	return !waiting;
}

bool netback_queue_rx_posted(struct netback_queue *q)
{
	if (!q->rx_len)
		return true;
	if (!rx_deliver(q))
		return false;
	q->rx_len = 0;
	rx_push(q);
	return true;
}
