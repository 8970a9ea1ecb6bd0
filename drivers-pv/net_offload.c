// SPDX-License-Identifier: GPL-2.0
/*
 * Header walking and the Internet checksum for the vif's offloads (net_offload.h).
 * Frames come from guests: every header read is checked against the frame's length.
 */
#include <errno.h>
#include <netinet/in.h>
#include <string.h>

#include "drivers-pv/net_offload.h"

#define NET_ETHTYPE_IPV4 0x0800
#define NET_ETHTYPE_IPV6 0x86dd
#define NET_ETHTYPE_VLAN 0x8100

static uint16_t be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

/* IPv6: skips the extension headers a checksum offload may cross. */
static int ipv6_l4(const uint8_t *frame, size_t len, size_t off, struct net_l4 *l4)
{
	uint8_t next;

	if (len < off + 40)
		return -EINVAL;
	next = frame[off + 6];
	off += 40;
	for (int n = 0; n < 8; n++) {
		if (next == IPPROTO_TCP || next == IPPROTO_UDP) {
			l4->proto = next;
			l4->offset = (uint16_t)off;
			l4->ipv6 = true;
			return 0;
		}
		if (next != IPPROTO_HOPOPTS && next != IPPROTO_ROUTING && next != IPPROTO_DSTOPTS)
			return -EINVAL; /* fragments and anything else */
		if (len < off + 8)
			return -EINVAL;
		next = frame[off];
		off += 8 + (size_t)frame[off + 1] * 8;
	}
	return -EINVAL;
}

static int ipv4_l4(const uint8_t *frame, size_t len, size_t off, struct net_l4 *l4)
{
	size_t ihl;

	if (len < off + 20 || (frame[off] >> 4) != 4)
		return -EINVAL;
	ihl = (size_t)(frame[off] & 0xf) * 4;
	if (ihl < 20 || (be16_at(frame + off + 6) & 0x3fff))
		return -EINVAL; /* a short header, or a fragment (MF or an offset) */
	if (frame[off + 9] != IPPROTO_TCP && frame[off + 9] != IPPROTO_UDP)
		return -EINVAL;
	l4->proto = frame[off + 9];
	l4->offset = (uint16_t)(off + ihl);
	l4->ipv6 = false;
	return 0;
}

int net_find_l4(const uint8_t *frame, size_t len, struct net_l4 *l4)
{
	size_t off = 14;
	uint16_t type;
	int rc;

	memset(l4, 0, sizeof(*l4));
	if (len < off)
		return -EINVAL;
	type = be16_at(frame + 12);
	if (type == NET_ETHTYPE_VLAN) {
		if (len < off + 4)
			return -EINVAL;
		type = be16_at(frame + 16);
		off += 4;
	}
	if (type == NET_ETHTYPE_IPV4)
		rc = ipv4_l4(frame, len, off, l4);
	else if (type == NET_ETHTYPE_IPV6)
		rc = ipv6_l4(frame, len, off, l4);
	else
		rc = -EINVAL;
	if (rc)
		return rc;
	if (l4->proto == IPPROTO_TCP) {
		if (len < (size_t)l4->offset + 20)
			return -EINVAL;
		l4->hdr_len = l4->offset + (frame[l4->offset + 12] >> 4) * 4;
		if (l4->hdr_len < l4->offset + 20 || l4->hdr_len > len)
			return -EINVAL;
	} else {
		if (len < (size_t)l4->offset + 8)
			return -EINVAL;
		l4->hdr_len = l4->offset + 8;
	}
	return 0;
}

int net_csum_complete(uint8_t *frame, size_t len, uint16_t start, uint16_t offset)
{
	size_t at = (size_t)start + offset;
	uint64_t sum = 0;
	uint16_t csum;
	size_t i;

	if (start > len || at + 2 > len)
		return -EINVAL;
	for (i = start; i + 1 < len; i += 2)
		sum += be16_at(frame + i);
	if (i < len)
		sum += (uint16_t)(frame[i] << 8);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	csum = (uint16_t)~sum;
	if (!csum && offset == 6)
		csum = 0xffff; /* UDP: 0 means "no checksum" */
	frame[at] = (uint8_t)(csum >> 8);
	frame[at + 1] = (uint8_t)csum;
	return 0;
}
