/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host end of a vif: where the frames a guest transmits go and where the frames it
 * receives come from. Every frame crosses it as one read() or write() of a struct
 * virtio_net_hdr followed by the Ethernet frame, so checksum and segmentation offloads
 * travel with it (net_offload.h).
 *
 *  - tap (the default): a tap device (IFF_TAP | IFF_NO_PI | IFF_VNET_HDR |
 *    IFF_MULTI_QUEUE) named as the vif (vifname=, else vif<domid>.<devid> as Xen names
 *    its vifs), one file descriptor per queue; the same fd carries both directions.
 *    Creating one needs CAP_NET_ADMIN (or a tap made persistent for the user beforehand).
 *  - loopback (hostnet=loopback): no host networking, for tests: each frame a queue
 *    transmits comes back to the same queue's receive side, through a SOCK_SEQPACKET
 *    socketpair (one frame per message, the kernel's buffer as the wire).
 */
#ifndef XENKVM_DRIVERS_PV_NET_HOST_H
#define XENKVM_DRIVERS_PV_NET_HOST_H

#include <net/if.h>
#include <stdbool.h>
#include <stdint.h>

/* multi-queue-max-queues offered. */
#define NET_MAX_QUEUES 4

enum net_host_kind { NET_HOST_TAP, NET_HOST_LOOPBACK };

struct net_host_queue {
	int tx_fd; /* the guest's frames are written here */
	int rx_fd; /* frames for the guest are read here (tap: the same fd as tx_fd) */
};

struct net_host {
	enum net_host_kind kind;
	char ifname[IFNAMSIZ]; /* tap: the interface */
	unsigned int nr_queues; /* open queues (queue 0 stays open while the vif exists) */
	struct net_host_queue q[NET_MAX_QUEUES];
};

/* Opens the host end with its first queue: 0 or -errno (logged with the reason). */
int net_host_open(struct net_host *h, enum net_host_kind kind, const char *ifname);
/* Opens or closes queues so that `n` are open (1..NET_MAX_QUEUES). */
int net_host_set_queues(struct net_host *h, unsigned int n);
/*
 * What the guest can take on receive (TUNSETOFFLOAD): partial checksums, and TCP
 * segmentation offload for v4 and v6 (only with partial checksums). Without them the
 * kernel completes checksums and segments before the frame reaches us.
 */
int net_host_set_offload(struct net_host *h, bool csum, bool tso4, bool tso6);
/*
 * The tap as Xen's vif-bridge leaves a vif: MAC fe:ff:ff:ff:ff:ff (so that the bridge
 * never takes the guest's address as its own), the MTU, up, and a port of `bridge`
 * (created and brought up when it does not exist). 0 or -errno.
 */
int net_host_bridge(struct net_host *h, const char *bridge, unsigned int mtu);
void net_host_close(struct net_host *h);

#endif
