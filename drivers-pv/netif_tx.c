// SPDX-License-Identifier: GPL-2.0
/*
 * netif tx packets taken apart (netif_tx.h): the extra-info chain, then the data chain,
 * each slot checked against io/netif.h's rules before anything is accepted.
 */
#include <string.h>

#include "drivers-pv/netif_tx.h"

/* Checks one extra-info slot into pkt; false when it must be refused. */
static bool take_extra(const struct net_tx_limits *lim, const struct netif_extra_info *ex,
		       struct net_tx_pkt *pkt)
{
	if (ex->type != XEN_NETIF_EXTRA_TYPE_GSO || pkt->gso_type != XEN_NETIF_GSO_TYPE_NONE)
		return false; /* multicast control and hashing are not offered; one GSO only */
	if (!ex->u.gso.size || ex->u.gso.features)
		return false;
	if (!((ex->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV4 && lim->gso_tcpv4) ||
	      (ex->u.gso.type == XEN_NETIF_GSO_TYPE_TCPV6 && lim->gso_tcpv6)))
		return false;
	pkt->gso_type = ex->u.gso.type;
	pkt->gso_size = ex->u.gso.size;
	return true;
}

/*
 * Walks the extra-info slots after the first: *next is the slot after them. False when
 * the chain runs past `avail` (*partial) or is refused (*bad, the chain still walked).
 */
static bool walk_extras(const struct net_tx_limits *lim, const struct netif_tx_request *slots,
			unsigned int avail, struct net_tx_pkt *pkt, unsigned int *next, bool *bad)
{
	unsigned int i = 1;
	struct netif_extra_info ex;

	do {
		if (i >= avail)
			return false;
		memcpy(&ex, &slots[i], sizeof(ex));
		if (pkt->nr_extras == NET_TX_MAX_EXTRAS || !take_extra(lim, &ex, pkt))
			*bad = true;
		pkt->nr_extras++;
		i++;
	} while ((ex.flags & XEN_NETIF_EXTRA_FLAG_MORE) && pkt->nr_extras <= NET_TX_MAX_EXTRAS);
	if (ex.flags & XEN_NETIF_EXTRA_FLAG_MORE)
		*bad = true; /* a chain longer than the types there are: stop at it */
	*next = i;
	return true;
}

static bool frag_in_page(uint16_t offset, uint32_t len)
{
	return (uint32_t)offset + len <= NET_PAGE_SIZE;
}

enum net_tx_result net_tx_parse(const struct net_tx_limits *lim,
				const struct netif_tx_request *slots, unsigned int avail,
				struct net_tx_pkt *pkt)
{
	const struct netif_tx_request *first = &slots[0];
	unsigned int i = 1, data_slots = 1;
	uint32_t rest = 0;
	bool bad = false, more;

	memset(pkt, 0, sizeof(*pkt));
	if (!avail)
		return NET_TX_PARTIAL;
	if ((first->flags & NETTXF_extra_info) && !walk_extras(lim, slots, avail, pkt, &i, &bad))
		return NET_TX_PARTIAL;
	/* The data chain: every following slot, refused ones included, is taken. */
	for (more = first->flags & NETTXF_more_data; more; i++, data_slots++) {
		const struct netif_tx_request *s;

		if (i >= avail)
			return NET_TX_PARTIAL;
		s = &slots[i];
		more = s->flags & NETTXF_more_data;
		if (data_slots >= NET_TX_MAX_DATA_SLOTS || !frag_in_page(s->offset, s->size)) {
			bad = true;
			continue;
		}
		pkt->frag[data_slots] = (struct net_tx_frag){ s->gref, s->offset, s->size };
		rest += s->size;
	}
	pkt->nr_slots = i;
	if (bad || first->size < NET_ETH_HLEN || first->size < rest ||
	    !frag_in_page(first->offset, first->size - rest) ||
	    (pkt->gso_type && !(first->flags & NETTXF_csum_blank)))
		return NET_TX_DROP;
	pkt->frag[0] =
		(struct net_tx_frag){ first->gref, first->offset, (uint16_t)(first->size - rest) };
	pkt->nr_frags = data_slots;
	pkt->len = first->size;
	pkt->flags = first->flags & (NETTXF_csum_blank | NETTXF_data_validated);
	return NET_TX_OK;
}
