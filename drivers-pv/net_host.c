// SPDX-License-Identifier: GPL-2.0
/*
 * The host end of a vif (net_host.h): tap queues, the loopback's socketpairs, and the
 * interface ioctls that Xen's vif-bridge would do with ip(8) (link up, MTU, MAC, bridge
 * port), done here with ioctls so that no tool is needed.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/if_tun.h>
#include <linux/virtio_net.h>
#include <linux/sockios.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "drivers-pv/net_host.h"
#include "vmm/log.h"

static int tap_queue(struct net_host *h, int *fd)
{
	struct ifreq ifr;
	int hdr = sizeof(struct virtio_net_hdr), rc;

	*fd = open("/dev/net/tun", O_RDWR | O_NONBLOCK | O_CLOEXEC);
	if (*fd < 0) {
		rc = -errno;
		log_err("vif %s: /dev/net/tun: %s", h->ifname, strerror(errno));
		return rc;
	}
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_flags = IFF_TAP | IFF_NO_PI | IFF_VNET_HDR | IFF_MULTI_QUEUE;
	snprintf(ifr.ifr_name, sizeof(ifr.ifr_name), "%s", h->ifname);
	if (ioctl(*fd, TUNSETIFF, &ifr) || ioctl(*fd, TUNSETVNETHDRSZ, &hdr)) {
		rc = -errno;
		log_err("vif %s: tap: %s%s", h->ifname, strerror(errno),
			rc == -EPERM ? " (creating a tap needs CAP_NET_ADMIN; hostnet=loopback "
				       "needs no host networking)" :
				       "");
		close(*fd);
		*fd = -1;
		return rc;
	}
	return 0;
}

static int loopback_queue(struct net_host_queue *q)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, sv))
		return -errno;
	q->tx_fd = sv[0];
	q->rx_fd = sv[1];
	return 0;
}

static int open_queue(struct net_host *h, unsigned int i)
{
	struct net_host_queue *q = &h->q[i];
	int rc;

	if (h->kind == NET_HOST_LOOPBACK)
		return loopback_queue(q);
	rc = tap_queue(h, &q->tx_fd);
	q->rx_fd = q->tx_fd;
	return rc;
}

static void close_queue(struct net_host_queue *q)
{
	if (q->rx_fd != q->tx_fd && q->rx_fd >= 0)
		close(q->rx_fd);
	if (q->tx_fd >= 0)
		close(q->tx_fd);
	q->tx_fd = q->rx_fd = -1;
}

int net_host_open(struct net_host *h, enum net_host_kind kind, const char *ifname)
{
	memset(h, 0, sizeof(*h));
	for (unsigned int i = 0; i < NET_MAX_QUEUES; i++)
		h->q[i].tx_fd = h->q[i].rx_fd = -1;
	h->kind = kind;
	if (strlen(ifname) >= sizeof(h->ifname))
		return -ENAMETOOLONG;
	strcpy(h->ifname, ifname);
	return net_host_set_queues(h, 1);
}

int net_host_set_queues(struct net_host *h, unsigned int n)
{
	int rc;

	if (n < 1 || n > NET_MAX_QUEUES)
		return -EINVAL;
	while (h->nr_queues > n)
		close_queue(&h->q[--h->nr_queues]);
	while (h->nr_queues < n) {
		rc = open_queue(h, h->nr_queues);
		if (rc)
			return rc;
		h->nr_queues++;
	}
	return 0;
}

int net_host_set_offload(struct net_host *h, bool csum, bool tso4, bool tso6)
{
	unsigned int flags = 0;

	if (h->kind != NET_HOST_TAP)
		return 0;
	if (csum)
		flags = TUN_F_CSUM | (tso4 ? TUN_F_TSO4 : 0) | (tso6 ? TUN_F_TSO6 : 0);
	for (unsigned int i = 0; i < h->nr_queues; i++)
		if (ioctl(h->q[i].tx_fd, TUNSETOFFLOAD, flags))
			return -errno;
	return 0;
}

/* An interface ioctl on `name` through a throw-away socket. */
static int if_ioctl(unsigned long req, const char *name, struct ifreq *ifr)
{
	int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc = 0;

	if (s < 0)
		return -errno;
	snprintf(ifr->ifr_name, sizeof(ifr->ifr_name), "%s", name);
	if (ioctl(s, req, ifr))
		rc = -errno;
	close(s);
	return rc;
}

static int link_up(const char *name)
{
	struct ifreq ifr;
	int rc;

	memset(&ifr, 0, sizeof(ifr));
	rc = if_ioctl(SIOCGIFFLAGS, name, &ifr);
	if (rc || (ifr.ifr_flags & IFF_UP))
		return rc;
	ifr.ifr_flags |= IFF_UP;
	return if_ioctl(SIOCSIFFLAGS, name, &ifr);
}

/* The bridge, created (and up) when missing. */
static int bridge_get(const char *bridge, unsigned int *ifindex)
{
	int s, rc = 0;

	*ifindex = if_nametoindex(bridge);
	if (*ifindex)
		return link_up(bridge);
	s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (s < 0)
		return -errno;
	if (ioctl(s, SIOCBRADDBR, bridge) && errno != EEXIST)
		rc = -errno;
	close(s);
	if (rc)
		return rc;
	log_info("vif: bridge %s created", bridge);
	*ifindex = if_nametoindex(bridge);
	return *ifindex ? link_up(bridge) : -ENODEV;
}

int net_host_bridge(struct net_host *h, const char *bridge, unsigned int mtu)
{
	struct ifreq ifr;
	unsigned int br;
	int rc;

	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_hwaddr.sa_family = 1; /* ARPHRD_ETHER */
	memset(ifr.ifr_hwaddr.sa_data, 0xff, 6);
	ifr.ifr_hwaddr.sa_data[0] = (char)0xfe;
	rc = if_ioctl(SIOCSIFHWADDR, h->ifname, &ifr);
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_mtu = (int)mtu;
	rc = rc ?: if_ioctl(SIOCSIFMTU, h->ifname, &ifr);
	rc = rc ?: link_up(h->ifname);
	if (rc || !bridge || !*bridge)
		return rc;
	rc = bridge_get(bridge, &br);
	if (rc)
		return rc;
	memset(&ifr, 0, sizeof(ifr));
	ifr.ifr_ifindex = (int)if_nametoindex(h->ifname);
	rc = if_ioctl(SIOCBRADDIF, bridge, &ifr);
	return rc == -EBUSY ? 0 : rc; /* EBUSY: already its port */
}

void net_host_close(struct net_host *h)
{
	while (h->nr_queues)
		close_queue(&h->q[--h->nr_queues]);
}
