/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One queue of a vif: a tx ring, an rx ring (one granted page each, io/netif.h), their
 * event channels and a host queue (net_host.h). Everything runs on the device's I/O
 * thread, called from netback.c:
 *  - netback_queue_tx(): the frontend notified the tx channel. Waiting requests are
 *    copied off the ring once, each packet checked (netif_tx.h), its fragments copied out
 *    of the granted pages into one frame (grant copy: nothing stays mapped), written to
 *    the host with the virtio-net header its flags ask for, and every slot answered
 *    (NETIF_RSP_OKAY or _ERROR; extra-info slots NETIF_RSP_NULL).
 *  - netback_queue_rx(): the host has frames. Each is copied into the buffers the
 *    frontend posted on the rx ring (request-rx-copy): one page per slot, NETRXF_more_data
 *    between them, NETRXF_extra_info and a GSO extra slot after the first for a segmented
 *    frame, NETRXF_csum_blank/data_validated from the header. A frame that finds too few
 *    buffers waits (the host queue is no longer polled) until the frontend posts more:
 *    netback_queue_rx_posted().
 * Notifications follow io/ring.h: RING_PUSH_RESPONSES_AND_CHECK_NOTIFY for responses,
 * req_event re-armed before the backend waits for requests.
 */
#ifndef XENKVM_DRIVERS_PV_NETBACK_QUEUE_H
#define XENKVM_DRIVERS_PV_NETBACK_QUEUE_H

#include <stdbool.h>
#include <stddef.h>

#include "drivers-pv/net_host.h"
#include "drivers-pv/netif_tx.h"
#include "xen-emul/gnttab/grant_table.h"

#define NET_TX_RING_SIZE __CONST_RING_SIZE(netif_tx, NET_PAGE_SIZE)

/* What the frontend said it can receive (its feature-* keys). */
struct net_rx_caps {
	bool sg; /* feature-sg: a frame may span several rx buffers */
	bool gso_tcpv4, gso_tcpv6; /* feature-gso-tcpv4/-tcpv6 */
	bool csum; /* not feature-no-csum-offload: partial IPv4 checksums */
	bool ipv6_csum; /* feature-ipv6-csum-offload */
};

struct netback_queue_config {
	struct xen_domain *dom;
	domid_t backend;
	grant_ref_t tx_ref, rx_ref;
	struct net_host_queue host;
	struct net_tx_limits tx_limits; /* what the backend offered */
	struct net_rx_caps rx_caps;
	void (*notify_tx)(void *arg), (*notify_rx)(void *arg);
	void *notify_arg;
};

struct netback_queue_stats {
	unsigned long long tx_packets, tx_bytes, tx_errors, tx_host_drops;
	unsigned long long rx_packets, rx_bytes, rx_drops;
};

struct netback_queue {
	struct netback_queue_config cfg;
	struct xen_gnttab_map tx_map, rx_map;
	netif_tx_back_ring_t tx;
	netif_rx_back_ring_t rx;
	bool tx_broken, rx_broken; /* the frontend broke a ring's rules: it is not served */
	struct netif_tx_request slots[NET_TX_RING_SIZE]; /* the tx requests, copied */
	unsigned char *tx_frame, *rx_frame; /* virtio_net_hdr + frame */
	size_t rx_len; /* of the frame held in rx_frame, 0: none */
	struct netback_queue_stats stats;
};

/* Maps both rings: 0 or -errno (nothing left mapped). */
int netback_queue_start(struct netback_queue *q, const struct netback_queue_config *cfg);
/* Unmaps the rings; nothing is answered after it. */
void netback_queue_stop(struct netback_queue *q);

/* Serves the tx ring until it is empty. */
void netback_queue_tx(struct netback_queue *q);
/*
 * Moves frames from the host to the frontend: false when a frame waits for rx buffers
 * (stop polling the host queue until netback_queue_rx_posted() says true).
 */
bool netback_queue_rx(struct netback_queue *q);
/* The frontend notified the rx channel: true when no frame waits any more. */
bool netback_queue_rx_posted(struct netback_queue *q);

#endif
