/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Offload metadata between the netif flags and the virtio-net header that the host side
 * carries in front of every packet (a tap with IFF_VNET_HDR, or xenkvm's loopback):
 * where a packet's TCP or UDP header is, so that a NETTXF_csum_blank packet becomes
 * VIRTIO_NET_HDR_F_NEEDS_CSUM with csum_start/csum_offset and a GSO packet gets its
 * gso_type, gso_size and hdr_len; and the software checksum for a frontend that cannot
 * take a partial one. Pure functions over a frame in memory.
 *
 * The semantics are the kernel's CHECKSUM_PARTIAL (what netfront's csum_blank and the
 * virtio flag both mean): the checksum field already holds the folded pseudo-header
 * sum; the sum from csum_start to the end of the frame, complemented, goes into the field.
 */
#ifndef XENKVM_DRIVERS_PV_NET_OFFLOAD_H
#define XENKVM_DRIVERS_PV_NET_OFFLOAD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <linux/virtio_net.h>

/* Where the transport header of an Ethernet frame lies. */
struct net_l4 {
	uint16_t offset; /* of the TCP/UDP header from the frame's start */
	uint8_t proto; /* IPPROTO_TCP or IPPROTO_UDP */
	bool ipv6;
	uint16_t hdr_len; /* Ethernet + IP + TCP/UDP headers (TCP: its data offset) */
};

/*
 * Finds the TCP or UDP header of an IPv4 or IPv6 frame (one VLAN tag allowed; IPv4
 * options and IPv6 hop-by-hop, routing and destination options skipped): 0, or -EINVAL
 * for anything else (another protocol, a fragment, a header past the frame's end).
 */
int net_find_l4(const uint8_t *frame, size_t len, struct net_l4 *l4);

/* The checksum field's offset inside the transport header (TCP 16, UDP 6). */
static inline uint16_t net_l4_csum_offset(const struct net_l4 *l4)
{
	return l4->proto == 6 ? 16 : 6;
}

/*
 * Completes a partial checksum: sums frame[start..len), complements it into the 16 bits
 * at start + offset (a UDP sum of 0 is sent as 0xffff). -EINVAL when the field is not
 * inside the frame.
 */
int net_csum_complete(uint8_t *frame, size_t len, uint16_t start, uint16_t offset);

#endif
