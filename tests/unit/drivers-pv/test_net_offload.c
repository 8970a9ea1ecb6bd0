// SPDX-License-Identifier: GPL-2.0
/*
 * net_find_l4() and net_csum_complete(): the transport header of IPv4 and IPv6 frames
 * (with a VLAN tag, IPv4 options, an IPv6 extension header) and the Internet checksum
 * (RFC 1071) of a frame whose field holds the pseudo-header sum, checked against a UDP
 * datagram whose checksum was computed independently (the RFC 768 sum over pseudo header,
 * header and data, written out below as constants).
 */
#include <string.h>

#include "drivers-pv/net_offload.h"
#include "tests/unit/unit.h"

static uint8_t f[256];

static void eth(uint16_t type)
{
	memset(f, 0, sizeof(f));
	f[12] = (uint8_t)(type >> 8);
	f[13] = (uint8_t)type;
}

static void test_ipv4(void)
{
	struct net_l4 l4;

	eth(0x0800);
	f[14] = 0x46; /* 24-byte header: one option word */
	f[23] = 6;
	f[38 + 12] = 8 << 4; /* TCP header of 32 bytes */
	CU_ASSERT_EQUAL(net_find_l4(f, 100, &l4), 0);
	CU_ASSERT_EQUAL(l4.offset, 38);
	CU_ASSERT_EQUAL(l4.proto, 6);
	CU_ASSERT_FALSE(l4.ipv6);
	CU_ASSERT_EQUAL(l4.hdr_len, 70);
	CU_ASSERT_EQUAL(net_l4_csum_offset(&l4), 16);
	CU_ASSERT_EQUAL(net_find_l4(f, 60, &l4), -EINVAL); /* the TCP header cut short */
	f[20] = 0x20; /* more fragments */
	CU_ASSERT_EQUAL(net_find_l4(f, 100, &l4), -EINVAL);
	f[20] = 0;
	f[23] = 1; /* ICMP */
	CU_ASSERT_EQUAL(net_find_l4(f, 100, &l4), -EINVAL);
	f[14] = 0x44; /* an IHL below 5 */
	f[23] = 17;
	CU_ASSERT_EQUAL(net_find_l4(f, 100, &l4), -EINVAL);
}

static void test_vlan_ipv6(void)
{
	struct net_l4 l4;

	eth(0x8100);
	f[16] = 0x86;
	f[17] = 0xdd;
	f[18] = 0x60;
	f[18 + 6] = 60; /* destination options, 16 bytes, then UDP */
	f[58] = 17;
	f[59] = 1;
	CU_ASSERT_EQUAL(net_find_l4(f, 100, &l4), 0);
	CU_ASSERT_EQUAL(l4.offset, 74);
	CU_ASSERT_EQUAL(l4.proto, 17);
	CU_ASSERT_TRUE(l4.ipv6);
	CU_ASSERT_EQUAL(net_l4_csum_offset(&l4), 6);
	f[58] = 44; /* a fragment header */
	CU_ASSERT_EQUAL(net_find_l4(f, 100, &l4), -EINVAL);
	eth(0x0806); /* ARP */
	CU_ASSERT_EQUAL(net_find_l4(f, 100, &l4), -EINVAL);
	CU_ASSERT_EQUAL(net_find_l4(f, 10, &l4), -EINVAL);
}

/*
 * UDP 10.0.0.1:4000 -> 10.0.0.2:4001, payload "abc": pseudo header sum 0x1434 + 17 + 11,
 * its checksum 0x0832 (RFC 768: the one's complement sum over pseudo header, header
 * and data, worked out apart from the code under test).
 */
static void test_udp_checksum(void)
{
	static const uint8_t udp[] = {
		0x0f, 0xa0, 0x0f, 0xa1, 0x00, 0x0b, 0x00, 0x00, 'a', 'b', 'c'
	};
	uint32_t pseudo = 0x0a00 + 0x0001 + 0x0a00 + 0x0002 + 17 + 11;

	memset(f, 0, sizeof(f));
	memcpy(f + 34, udp, sizeof(udp));
	f[34 + 6] = (uint8_t)(pseudo >> 8);
	f[34 + 7] = (uint8_t)pseudo;
	CU_ASSERT_EQUAL(net_csum_complete(f, 34 + sizeof(udp), 34, 6), 0);
	CU_ASSERT_EQUAL(f[40] << 8 | f[41], 0x0832);
	CU_ASSERT_EQUAL(net_csum_complete(f, 40, 34, 6), -EINVAL); /* field past the end */
}

UNIT_SUITE(net_offload, NULL, NULL, UNIT_TEST(test_ipv4), UNIT_TEST(test_vlan_ipv6),
	   UNIT_TEST(test_udp_checksum))
