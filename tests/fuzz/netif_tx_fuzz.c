// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the vif's guest-facing parsing: net_tx_parse() over any tx ring
 * slots (drivers-pv/netif_tx.c) and net_find_l4()/net_csum_complete() over any frame
 * (drivers-pv/net_offload.c). Whatever the input, an accepted packet must stay inside
 * what io/netif.h allows: at least one slot and no more than given, its fragments inside
 * their pages and adding up to its length, at most XEN_NETIF_NR_SLOTS_MIN of them, GSO
 * only of an offered type and with a partial checksum; a dropped one names slots to
 * answer; a transport header found lies inside the frame.
 */
#include <stdlib.h>
#include <string.h>

#include "drivers-pv/net_offload.h"
#include "drivers-pv/netif_tx.h"
#include "tests/fuzz/fuzz_input.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void must(int cond)
{
	if (!cond)
		abort();
}

static void check_ok(const struct net_tx_limits *lim, const struct net_tx_pkt *pkt,
		     unsigned int avail)
{
	uint32_t sum = 0;

	must(pkt->nr_slots >= 1 && pkt->nr_slots <= avail);
	must(pkt->nr_frags >= 1 && pkt->nr_frags <= NET_TX_MAX_DATA_SLOTS);
	must(pkt->nr_frags + pkt->nr_extras == pkt->nr_slots);
	for (unsigned int i = 0; i < pkt->nr_frags; i++) {
		must((uint32_t)pkt->frag[i].offset + pkt->frag[i].len <= NET_PAGE_SIZE);
		sum += pkt->frag[i].len;
	}
	must(sum == pkt->len && pkt->len >= NET_ETH_HLEN && pkt->len <= NET_MAX_PACKET);
	if (pkt->gso_type) {
		must(pkt->flags & NETTXF_csum_blank);
		must(pkt->gso_size > 0);
		must(pkt->gso_type == XEN_NETIF_GSO_TYPE_TCPV4 ? lim->gso_tcpv4 :
		     pkt->gso_type == XEN_NETIF_GSO_TYPE_TCPV6 ? lim->gso_tcpv6 :
								 0);
	}
}

static void fuzz_frame(const uint8_t *data, size_t size)
{
	uint8_t *frame = malloc(size ? size : 1);
	struct net_l4 l4;

	memcpy(frame, data, size);
	if (!net_find_l4(frame, size, &l4)) {
		must(l4.offset >= NET_ETH_HLEN && l4.hdr_len <= size && l4.offset < l4.hdr_len);
		must(net_csum_complete(frame, size, l4.offset, net_l4_csum_offset(&l4)) == 0);
	}
	free(frame);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct net_tx_limits lim;
	struct netif_tx_request slots[64];
	struct net_tx_pkt pkt;
	unsigned int flags = (unsigned int)take(&in, 1), avail;

	lim.gso_tcpv4 = flags & 1;
	lim.gso_tcpv6 = flags & 2;
	avail = in.left / sizeof(slots[0]);
	if (avail > 64)
		avail = 64;
	memcpy(slots, in.p, avail * sizeof(slots[0]));
	switch (net_tx_parse(&lim, slots, avail, &pkt)) {
	case NET_TX_OK:
		check_ok(&lim, &pkt, avail);
		break;
	case NET_TX_DROP:
		must(pkt.nr_slots >= 1 && pkt.nr_slots <= avail);
		break;
	case NET_TX_PARTIAL:
		break;
	default:
		must(0);
	}
	fuzz_frame(in.p, in.left);
	return 0;
}
