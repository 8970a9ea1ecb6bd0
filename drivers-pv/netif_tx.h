/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One packet of a netif tx ring (io/netif.h) taken apart: the backend copies the
 * waiting request slots off the ring once, net_tx_parse() walks the copy from a packet's
 * first slot (its extra-info slots, then the data slots chained by NETTXF_more_data) and
 * either accepts the packet as a list of granted fragments with its offload metadata, or
 * says how many slots to answer with NETIF_RSP_ERROR. Pure: no ring, no grant, no I/O.
 *
 * The rules are those of netif.h and of Linux's xen-netback (xenvif_tx_build_gops and
 * xenvif_count_requests), which Linux's xen-netfront is written against:
 *  - the first slot's size is the whole packet's length; each following slot holds its
 *    own size, and the first slot's own data is what remains (never negative);
 *  - every slot's data lies inside its 4 KiB page (offset + size <= XEN_PAGE_SIZE);
 *  - a packet is at least an Ethernet header (14 bytes) and at most 65535 bytes (the
 *    first size is 16 bits) in at most XEN_NETIF_NR_SLOTS_MIN (18) data slots;
 *  - extra-info slots follow the first slot when it has NETTXF_extra_info, chained by
 *    XEN_NETIF_EXTRA_FLAG_MORE; only XEN_NETIF_EXTRA_TYPE_GSO is accepted (once), with a
 *    non-zero size and a type the backend offered (feature-gso-tcpv4/-tcpv6), and only on
 *    a packet with NETTXF_csum_blank (the segments' checksums are the host's to fill).
 * The MTU is not enforced on transmit: Linux's netfront may raise its MTU up to 65521
 * with feature-sg, and Linux's netback does not enforce it either.
 */
#ifndef XENKVM_DRIVERS_PV_NETIF_TX_H
#define XENKVM_DRIVERS_PV_NETIF_TX_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/io/netif.h>

#define NET_PAGE_SIZE (1u << XEN_PAGE_SHIFT)
#define NET_ETH_HLEN 14
#define NET_MAX_PACKET 65535u
/* Data slots of one packet: what netfront promises (it linearizes longer skbs). */
#define NET_TX_MAX_DATA_SLOTS XEN_NETIF_NR_SLOTS_MIN
/* Extra-info slots of one packet: one per type at most. */
#define NET_TX_MAX_EXTRAS (XEN_NETIF_EXTRA_TYPE_MAX - 1)

/* What the backend offered (the frontend may use no more). */
struct net_tx_limits {
	bool gso_tcpv4, gso_tcpv6;
};

struct net_tx_frag {
	grant_ref_t gref;
	uint16_t offset;
	uint16_t len;
};

/* A packet accepted by net_tx_parse(). */
struct net_tx_pkt {
	unsigned int nr_slots; /* ring slots it took: first, extras, following data slots */
	unsigned int nr_extras; /* slots 1..nr_extras are extra info (answered RSP_NULL) */
	unsigned int nr_frags;
	struct net_tx_frag frag[NET_TX_MAX_DATA_SLOTS];
	uint32_t len; /* the whole packet: the sum of frag[].len */
	uint16_t flags; /* NETTXF_csum_blank and NETTXF_data_validated of the first slot */
	uint8_t gso_type; /* XEN_NETIF_GSO_TYPE_NONE, _TCPV4 or _TCPV6 */
	uint16_t gso_size; /* segment payload size when gso_type is set */
};

enum net_tx_result {
	NET_TX_OK, /* pkt describes the packet; it took pkt->nr_slots slots */
	NET_TX_DROP, /* malformed: answer pkt->nr_slots slots with NETIF_RSP_ERROR */
	NET_TX_PARTIAL, /* the packet continues past the slots given: wait for more */
};

/*
 * Parses the packet starting at slots[0] among `avail` slots copied off the ring (an
 * extra-info slot is read from its netif_tx_request slot's bytes). On NET_TX_DROP,
 * pkt->nr_slots and pkt->nr_extras say which slots to answer and how; on NET_TX_PARTIAL
 * nothing is taken (a ring already full with such a packet can never complete it: the
 * caller then treats the ring as broken).
 */
enum net_tx_result net_tx_parse(const struct net_tx_limits *lim,
				const struct netif_tx_request *slots, unsigned int avail,
				struct net_tx_pkt *pkt);

/* True for slot `i` of a parsed (or dropped) packet that holds extra info. */
static inline bool net_tx_slot_is_extra(const struct net_tx_pkt *pkt, unsigned int i)
{
	return i >= 1 && i <= pkt->nr_extras;
}

#endif
