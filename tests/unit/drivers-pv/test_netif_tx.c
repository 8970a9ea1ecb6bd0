// SPDX-License-Identifier: GPL-2.0
/*
 * net_tx_parse(): packets laid out as Linux's xen-netfront lays them out
 * (xennet_start_xmit: the first slot's size is the whole packet, NETTXF_more_data
 * between slots, a GSO extra-info slot after the first) are accepted with the meaning
 * io/netif.h gives them; malformed ones are dropped, with the slots to answer, by the
 * rules of Linux's netback (xenvif_count_requests, xenvif_get_extras).
 */
#include <stddef.h>
#include <string.h>

#include "drivers-pv/netif_tx.h"
#include "tests/unit/unit.h"

static const struct net_tx_limits both = { .gso_tcpv4 = true, .gso_tcpv6 = true };
static struct netif_tx_request s[300];
static struct net_tx_pkt pkt;

static void slot(unsigned int i, grant_ref_t gref, uint16_t offset, uint16_t size, uint16_t flags)
{
	s[i] = (struct netif_tx_request){ .gref = gref,
					  .offset = offset,
					  .flags = flags,
					  .id = (uint16_t)(40 + i),
					  .size = size };
}

static void extra(unsigned int i, uint8_t type, uint8_t flags, uint16_t size, uint8_t gso_type)
{
	struct netif_extra_info ex = { .type = type, .flags = flags };

	ex.u.gso.size = size;
	ex.u.gso.type = gso_type;
	memset(&s[i], 0, sizeof(s[i]));
	memcpy(&s[i], &ex, sizeof(ex));
}

static void test_single_slot(void)
{
	slot(0, 7, 100, 60, NETTXF_data_validated);
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 1, &pkt), NET_TX_OK);
	CU_ASSERT_EQUAL(pkt.nr_slots, 1);
	CU_ASSERT_EQUAL(pkt.nr_frags, 1);
	CU_ASSERT_EQUAL(pkt.len, 60);
	CU_ASSERT_EQUAL(pkt.frag[0].gref, 7);
	CU_ASSERT_EQUAL(pkt.frag[0].offset, 100);
	CU_ASSERT_EQUAL(pkt.frag[0].len, 60);
	CU_ASSERT_EQUAL(pkt.flags, NETTXF_data_validated);
	CU_ASSERT_EQUAL(pkt.gso_type, XEN_NETIF_GSO_TYPE_NONE);
	/* The whole of a page, and the smallest frame: an Ethernet header. */
	slot(0, 7, 0, 4096, 0);
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 1, &pkt), NET_TX_OK);
	slot(0, 7, 4082, 14, 0);
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 1, &pkt), NET_TX_OK);
}

/* The first slot's own data is what the following slots leave of its size. */
static void test_chain(void)
{
	slot(0, 1, 2000, 9000, NETTXF_csum_blank | NETTXF_more_data);
	slot(1, 2, 0, 4096, NETTXF_more_data);
	slot(2, 3, 10, 2808, 0);
	slot(3, 9, 0, 100, 0); /* the next packet */
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 4, &pkt), NET_TX_OK);
	CU_ASSERT_EQUAL(pkt.nr_slots, 3);
	CU_ASSERT_EQUAL(pkt.nr_frags, 3);
	CU_ASSERT_EQUAL(pkt.len, 9000);
	CU_ASSERT_EQUAL(pkt.frag[0].len, 2096);
	CU_ASSERT_EQUAL(pkt.frag[1].len, 4096);
	CU_ASSERT_EQUAL(pkt.frag[2].offset, 10);
	CU_ASSERT_EQUAL(pkt.frag[2].len, 2808);
	CU_ASSERT_EQUAL(pkt.flags, NETTXF_csum_blank);
	/* Not all there yet: nothing is taken. */
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 2, &pkt), NET_TX_PARTIAL);
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 0, &pkt), NET_TX_PARTIAL);
}

static void test_gso(void)
{
	slot(0, 1, 0, 20000, NETTXF_csum_blank | NETTXF_more_data | NETTXF_extra_info);
	extra(1, XEN_NETIF_EXTRA_TYPE_GSO, 0, 1448, XEN_NETIF_GSO_TYPE_TCPV4);
	for (unsigned int i = 2; i < 6; i++)
		slot(i, (grant_ref_t)i, 0, 4000, i < 5 ? NETTXF_more_data : 0);
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 6, &pkt), NET_TX_OK);
	CU_ASSERT_EQUAL(pkt.nr_slots, 6);
	CU_ASSERT_EQUAL(pkt.nr_extras, 1);
	CU_ASSERT_TRUE(net_tx_slot_is_extra(&pkt, 1));
	CU_ASSERT_FALSE(net_tx_slot_is_extra(&pkt, 0));
	CU_ASSERT_FALSE(net_tx_slot_is_extra(&pkt, 2));
	CU_ASSERT_EQUAL(pkt.nr_frags, 5);
	CU_ASSERT_EQUAL(pkt.frag[0].len, 4000);
	CU_ASSERT_EQUAL(pkt.frag[1].gref, 2);
	CU_ASSERT_EQUAL(pkt.gso_type, XEN_NETIF_GSO_TYPE_TCPV4);
	CU_ASSERT_EQUAL(pkt.gso_size, 1448);
	/* A type the backend did not offer. */
	CU_ASSERT_EQUAL(net_tx_parse(&(struct net_tx_limits){ .gso_tcpv6 = true }, s, 6, &pkt),
			NET_TX_DROP);
	CU_ASSERT_EQUAL(pkt.nr_slots, 6);
	/* GSO needs the partial checksum (the segments' checksums are the host's). */
	s[0].flags &= ~NETTXF_csum_blank;
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 6, &pkt), NET_TX_DROP);
	s[0].flags |= NETTXF_csum_blank;
	extra(1, XEN_NETIF_EXTRA_TYPE_GSO, 0, 0, XEN_NETIF_GSO_TYPE_TCPV4); /* size 0 */
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 6, &pkt), NET_TX_DROP);
	extra(1, XEN_NETIF_EXTRA_TYPE_GSO, 0, 1448, 9); /* an unknown GSO type */
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 6, &pkt), NET_TX_DROP);
	/* The extra slot itself not there yet. */
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 1, &pkt), NET_TX_PARTIAL);
}

static void test_extras_refused(void)
{
	static const uint8_t types[] = {
		XEN_NETIF_EXTRA_TYPE_NONE,	XEN_NETIF_EXTRA_TYPE_MCAST_ADD,
		XEN_NETIF_EXTRA_TYPE_MCAST_DEL, XEN_NETIF_EXTRA_TYPE_HASH,
		XEN_NETIF_EXTRA_TYPE_MAX,	200
	};

	for (unsigned int t = 0; t < sizeof(types); t++) {
		slot(0, 1, 0, 100, NETTXF_extra_info);
		extra(1, types[t], 0, 0, 0);
		CU_ASSERT_EQUAL(net_tx_parse(&both, s, 2, &pkt), NET_TX_DROP);
		CU_ASSERT_EQUAL(pkt.nr_slots, 2);
		CU_ASSERT_TRUE(net_tx_slot_is_extra(&pkt, 1));
	}
	/* Two GSO extras, chained. */
	slot(0, 1, 0, 100, NETTXF_extra_info | NETTXF_csum_blank);
	extra(1, XEN_NETIF_EXTRA_TYPE_GSO, XEN_NETIF_EXTRA_FLAG_MORE, 1448, 1);
	extra(2, XEN_NETIF_EXTRA_TYPE_GSO, 0, 1448, 1);
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 3, &pkt), NET_TX_DROP);
	CU_ASSERT_EQUAL(pkt.nr_slots, 3);
	/* A chain of extras that never ends within the types there are: stopped at five. */
	slot(0, 1, 0, 100, NETTXF_extra_info);
	for (unsigned int i = 1; i < 20; i++)
		extra(i, XEN_NETIF_EXTRA_TYPE_HASH, XEN_NETIF_EXTRA_FLAG_MORE, 0, 0);
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 20, &pkt), NET_TX_DROP);
	CU_ASSERT_EQUAL(pkt.nr_slots, 1 + NET_TX_MAX_EXTRAS + 1);
}

static void test_sizes_refused(void)
{
	slot(0, 1, 0, 13, 0); /* shorter than an Ethernet header */
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 1, &pkt), NET_TX_DROP);
	CU_ASSERT_EQUAL(pkt.nr_slots, 1);
	slot(0, 1, 4000, 100, 0); /* past the page */
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 1, &pkt), NET_TX_DROP);
	slot(0, 1, 0, 100, NETTXF_more_data); /* the rest is more than the whole */
	slot(1, 2, 0, 101, 0);
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 2, &pkt), NET_TX_DROP);
	CU_ASSERT_EQUAL(pkt.nr_slots, 2);
	slot(0, 1, 0, 5000, NETTXF_more_data); /* a following slot past its page */
	slot(1, 2, 100, 4000, 0);
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 2, &pkt), NET_TX_DROP);
	/* The first slot's own part past its page. */
	slot(0, 1, 3000, 5000, NETTXF_more_data);
	slot(1, 2, 0, 2000, 0);
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 2, &pkt), NET_TX_DROP);
}

/* At most XEN_NETIF_NR_SLOTS_MIN data slots; a longer chain is taken whole and refused. */
static void test_slot_count(void)
{
	for (unsigned int n = NET_TX_MAX_DATA_SLOTS; n <= NET_TX_MAX_DATA_SLOTS + 1; n++) {
		for (unsigned int i = 0; i < n; i++)
			slot(i, i, 0, i ? 100 : (uint16_t)(100 * n),
			     i + 1 < n ? NETTXF_more_data : 0);
		CU_ASSERT_EQUAL(net_tx_parse(&both, s, n, &pkt),
				n <= NET_TX_MAX_DATA_SLOTS ? NET_TX_OK : NET_TX_DROP);
		CU_ASSERT_EQUAL(pkt.nr_slots, n);
	}
	/* A chain as long as the ring never ends: the caller gives the ring up. */
	for (unsigned int i = 0; i < 256; i++)
		slot(i, i, 0, 100, NETTXF_more_data);
	CU_ASSERT_EQUAL(net_tx_parse(&both, s, 256, &pkt), NET_TX_PARTIAL);
}

/* The layout netfront writes: 12-byte tx slots, 8-byte extra info, 256 per page. */
static void test_ring_layout(void)
{
	unsigned int tx = __CONST_RING_SIZE(netif_tx, 4096), rx = __CONST_RING_SIZE(netif_rx, 4096);

	CU_ASSERT_EQUAL(tx, 256);
	CU_ASSERT_EQUAL(rx, 256);
	CU_ASSERT_EQUAL(sizeof(struct netif_tx_request), 12);
	CU_ASSERT_EQUAL(sizeof(struct netif_extra_info), 8);
}

UNIT_SUITE(netif_tx, NULL, NULL, UNIT_TEST(test_single_slot), UNIT_TEST(test_chain),
	   UNIT_TEST(test_gso), UNIT_TEST(test_extras_refused), UNIT_TEST(test_sizes_refused),
	   UNIT_TEST(test_slot_count), UNIT_TEST(test_ring_layout))
