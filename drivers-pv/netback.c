// SPDX-License-Identifier: GPL-2.0
/*
 * The vif backend (type "vif", what `xenkvm --vif` and xl's vif= create): the keys
 * Linux's xen-netfront reads, the rings and event channels it writes, and one
 * netback_queue per queue on the device's I/O thread.
 *
 * setup() reads what libxl wrote (mac, mtu, bridge, script, vifname, and xenkvm's own
 * xenkvm-hostnet), opens the host end (net_host.h), runs the hotplug script or does its
 * work itself, and advertises what Linux's xen-netback does: feature-sg,
 * feature-gso-tcpv4/-tcpv6, feature-ipv6-csum-offload, feature-rx-copy (and
 * feature-rx-flip 0: flipping is gone from Linux), feature-multicast-control 0 (no
 * multicast filter here), feature-split-event-channels, multi-queue-max-queues.
 *
 * connect() reads what netfront's talk_to_netback() writes: multi-queue-num-queues, per
 * queue (flat, or in queue-N/ with several) tx-ring-ref, rx-ring-ref and event-channel or
 * event-channel-tx/-rx; request-rx-copy and feature-rx-notify (both required, as by
 * Linux's netback); feature-sg, feature-gso-tcpv4/-tcpv6, feature-no-csum-offload and
 * feature-ipv6-csum-offload (what it can receive).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "drivers-pv/net_host.h"
#include "drivers-pv/net_hotplug.h"
#include "drivers-pv/netback_queue.h"
#include "drivers-pv/pv_device.h"
#include "vmm/log.h"

struct netback_vq {
	struct netback_queue q;
	struct pv_device *dev;
	evtchn_port_t tx_port, rx_port; /* the same port without split event channels */
	int tx_fd, rx_fd; /* their eventfds (rx_fd -1 without split event channels) */
	bool started, host_polled;
};

struct netback {
	struct net_host host;
	unsigned int mtu;
	char *script; /* run with online/offline; NULL: the backend does its work */
	char xenbus_path[48]; /* the script's XENBUS_PATH: backend/vif/DOMID/DEVID */
	unsigned int nr_queues;
	struct netback_vq *queues;
};

static int write_features(struct pv_device *dev)
{
	static const char *const one[] = { "feature-sg",	"feature-gso-tcpv4",
					   "feature-gso-tcpv6", "feature-ipv6-csum-offload",
					   "feature-rx-copy",	"feature-split-event-channels" };
	int rc = 0;

	for (unsigned int i = 0; i < sizeof(one) / sizeof(one[0]); i++)
		rc = rc ?: pv_device_write_uint(dev, one[i], 1);
	rc = rc ?: pv_device_write_uint(dev, "feature-rx-flip", 0);
	rc = rc ?: pv_device_write_uint(dev, "feature-multicast-control", 0);
	rc = rc ?: pv_device_write_uint(dev, "multi-queue-max-queues", NET_MAX_QUEUES);
	return rc;
}

/* The host kind from xenkvm-hostnet ("tap" when absent). */
static int host_kind(struct pv_device *dev, enum net_host_kind *kind)
{
	char *v = NULL;
	int rc = 0;

	*kind = NET_HOST_TAP;
	if (pv_device_read_str(dev, PV_BACKEND, "xenkvm-hostnet", &v))
		return 0;
	if (!strcmp(v, "loopback"))
		*kind = NET_HOST_LOOPBACK;
	else if (strcmp(v, "tap"))
		rc = -EINVAL;
	if (rc)
		log_err("vif %u: hostnet=%s: tap or loopback", dev->devid, v);
	free(v);
	return rc;
}

/*
 * The tap's setup: the hotplug script when it exists (Xen's vif-bridge does the bridge
 * port and writes hotplug-status itself), else the same work here, as vif-bridge would.
 */
static int tap_online(struct pv_device *dev, struct netback *nb)
{
	char *bridge = NULL;
	int rc;

	if (!pv_device_read_str(dev, PV_BACKEND, "script", &nb->script) &&
	    access(nb->script, X_OK) == 0) {
		rc = net_hotplug_run(nb->script, "online", nb->xenbus_path, nb->host.ifname);
		if (rc)
			return rc;
		log_info("vif %u: %s, set up by %s", dev->devid, nb->host.ifname, nb->script);
		return 0;
	}
	free(nb->script);
	nb->script = NULL;
	pv_device_read_str(dev, PV_BACKEND, "bridge", &bridge);
	rc = net_host_bridge(&nb->host, bridge, nb->mtu);
	if (rc)
		log_err("vif %u: %s on bridge %s: %s", dev->devid, nb->host.ifname,
			bridge ? bridge : "(none)", strerror(-rc));
	else
		log_info("vif %u: %s, port of %s", dev->devid, nb->host.ifname,
			 bridge ? bridge : "no bridge");
	free(bridge);
	return rc ?: pv_device_write_str(dev, "hotplug-status", "connected");
}

static int netback_setup(struct pv_device *dev)
{
	struct netback *nb = calloc(1, sizeof(*nb));
	enum net_host_kind kind;
	char ifname[IFNAMSIZ + 8], *vifname = NULL;
	int rc;

	if (!nb)
		return -ENOMEM;
	nb->mtu = 1500;
	if (pv_device_read_uint(dev, PV_BACKEND, "mtu", &nb->mtu) != -ENOENT &&
	    (nb->mtu < 68 || nb->mtu > NET_MAX_PACKET - NET_ETH_HLEN)) {
		log_err("vif %u: bad mtu", dev->devid);
		rc = -EINVAL;
		goto fail;
	}
	rc = host_kind(dev, &kind);
	if (rc)
		goto fail;
	if (!pv_device_read_str(dev, PV_BACKEND, "vifname", &vifname))
		snprintf(ifname, sizeof(ifname), "%s", vifname);
	else
		snprintf(ifname, sizeof(ifname), "vif%u.%u", dev->frontend_id, dev->devid);
	free(vifname);
	snprintf(nb->xenbus_path, sizeof(nb->xenbus_path), "backend/vif/%u/%u", dev->frontend_id,
		 dev->devid);
	rc = net_host_open(&nb->host, kind, ifname);
	if (rc == -ENAMETOOLONG)
		log_err("vif %u: vifname %s: at most %d characters", dev->devid, ifname,
			IFNAMSIZ - 1);
	if (rc)
		goto fail;
	if (kind == NET_HOST_TAP)
		rc = tap_online(dev, nb);
	rc = rc ?: write_features(dev);
	if (rc)
		goto fail;
	dev->priv = nb;
	return 0;
fail:
	net_host_close(&nb->host);
	free(nb->script);
	free(nb);
	return rc;
}

/* The frontend's key for queue `i` of `n`: "key", or "queue-i/key" with several queues. */
static int queue_key(char *buf, size_t len, unsigned int i, unsigned int n, const char *key)
{
	int w = n > 1 ? snprintf(buf, len, "queue-%u/%s", i, key) : snprintf(buf, len, "%s", key);

	return w < (int)len ? 0 : -ENAMETOOLONG;
}

static int read_queue_uint(struct pv_device *dev, unsigned int i, unsigned int n, const char *key,
			   unsigned int *val)
{
	char k[48];

	return queue_key(k, sizeof(k), i, n, key) ?: pv_device_read_uint(dev, PV_FRONTEND, k, val);
}

static bool frontend_flag(struct pv_device *dev, const char *key)
{
	unsigned int v = 0;

	pv_device_read_uint(dev, PV_FRONTEND, key, &v);
	return v == 1;
}

/* What the frontend can receive, and how many queues it asked for. */
static int read_frontend(struct pv_device *dev, struct net_rx_caps *caps, unsigned int *nr)
{
	int rc;

	if (!frontend_flag(dev, "request-rx-copy")) {
		log_err("vif %u: the frontend did not write request-rx-copy=1 (page flipping is "
			"not served)",
			dev->devid);
		return -EOPNOTSUPP;
	}
	if (!frontend_flag(dev, "feature-rx-notify")) {
		log_err("vif %u: feature-rx-notify is required", dev->devid);
		return -EOPNOTSUPP;
	}
	*nr = 1;
	rc = pv_device_read_uint(dev, PV_FRONTEND, "multi-queue-num-queues", nr);
	if ((rc && rc != -ENOENT) || *nr < 1 || *nr > NET_MAX_QUEUES) {
		log_err("vif %u: bad multi-queue-num-queues", dev->devid);
		return -EINVAL;
	}
	caps->sg = frontend_flag(dev, "feature-sg");
	caps->gso_tcpv4 = caps->sg && frontend_flag(dev, "feature-gso-tcpv4");
	caps->gso_tcpv6 = caps->sg && frontend_flag(dev, "feature-gso-tcpv6");
	caps->csum = !frontend_flag(dev, "feature-no-csum-offload");
	caps->ipv6_csum = frontend_flag(dev, "feature-ipv6-csum-offload");
	return 0;
}

static void on_tx(struct pv_device *dev, int fd, void *opaque)
{
	struct netback_vq *vq = opaque;
	uint64_t n;

	if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		log_err("vif %u: event channel read: %s", dev->devid, strerror(errno));
	netback_queue_tx(&vq->q);
}

static void on_host(struct pv_device *dev, int fd, void *opaque);

/* The frontend posted rx buffers: a frame waiting for them goes, the host is polled again. */
static void rx_posted(struct netback_vq *vq)
{
	if (netback_queue_rx_posted(&vq->q) && !vq->host_polled &&
	    !pv_device_iothread_add_fd(vq->dev, vq->q.cfg.host.rx_fd, on_host, vq))
		vq->host_polled = true;
}

static void on_rx(struct pv_device *dev, int fd, void *opaque)
{
	struct netback_vq *vq = opaque;
	uint64_t n;

	if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		log_err("vif %u: event channel read: %s", dev->devid, strerror(errno));
	rx_posted(vq);
}

/* One event channel for both rings. */
static void on_evtchn(struct pv_device *dev, int fd, void *opaque)
{
	struct netback_vq *vq = opaque;

	on_tx(dev, fd, opaque);
	rx_posted(vq);
}

static void on_host(struct pv_device *dev, int fd, void *opaque)
{
	struct netback_vq *vq = opaque;

	if (!netback_queue_rx(&vq->q)) {
		pv_device_iothread_del_fd(dev, fd);
		vq->host_polled = false;
	}
}

static void notify_tx(void *arg)
{
	struct netback_vq *vq = arg;

	pv_device_notify(vq->dev, vq->tx_port);
}

static void notify_rx(void *arg)
{
	struct netback_vq *vq = arg;

	pv_device_notify(vq->dev, vq->rx_port);
}

/* Binds the queue's event channels: split (-tx and -rx) when the frontend wrote them. */
static int bind_channels(struct pv_device *dev, struct netback_vq *vq, unsigned int i,
			 unsigned int n)
{
	unsigned int tx, rx;
	int rc;

	vq->rx_fd = -1;
	if (!read_queue_uint(dev, i, n, "event-channel-tx", &tx) &&
	    !read_queue_uint(dev, i, n, "event-channel-rx", &rx)) {
		rc = pv_device_bind_evtchn(dev, tx, &vq->tx_port, &vq->tx_fd);
		rc = rc ?: pv_device_bind_evtchn(dev, rx, &vq->rx_port, &vq->rx_fd);
		rc = rc ?: pv_device_iothread_add_fd(dev, vq->tx_fd, on_tx, vq);
		return rc ?: pv_device_iothread_add_fd(dev, vq->rx_fd, on_rx, vq);
	}
	if (read_queue_uint(dev, i, n, "event-channel", &tx)) {
		log_err("vif %u: queue %u: no event-channel", dev->devid, i);
		return -EINVAL;
	}
	rc = pv_device_bind_evtchn(dev, tx, &vq->tx_port, &vq->tx_fd);
	vq->rx_port = vq->tx_port;
	return rc ?: pv_device_iothread_add_fd(dev, vq->tx_fd, on_evtchn, vq);
}

static int start_queue(struct pv_device *dev, struct netback *nb, unsigned int i,
		       const struct net_rx_caps *caps)
{
	struct netback_vq *vq = &nb->queues[i];
	unsigned int tx_ref, rx_ref;
	int rc;

	vq->dev = dev;
	if (read_queue_uint(dev, i, nb->nr_queues, "tx-ring-ref", &tx_ref) ||
	    read_queue_uint(dev, i, nb->nr_queues, "rx-ring-ref", &rx_ref)) {
		log_err("vif %u: queue %u: tx-ring-ref or rx-ring-ref missing or bad", dev->devid,
			i);
		return -EINVAL;
	}
	rc = netback_queue_start(&vq->q, &(struct netback_queue_config){
						 .dom = dev->dom,
						 .backend = dev->backend_id,
						 .tx_ref = tx_ref,
						 .rx_ref = rx_ref,
						 .host = nb->host.q[i],
						 .tx_limits = { true, true },
						 .rx_caps = *caps,
						 .notify_tx = notify_tx,
						 .notify_rx = notify_rx,
						 .notify_arg = vq,
					 });
	if (rc) {
		log_err("vif %u: queue %u: rings not mapped: %s", dev->devid, i, strerror(-rc));
		return rc;
	}
	vq->started = true;
	rc = bind_channels(dev, vq, i, nb->nr_queues);
	rc = rc ?: pv_device_iothread_add_fd(dev, nb->host.q[i].rx_fd, on_host, vq);
	if (!rc)
		vq->host_polled = true;
	return rc;
}

static void log_stats(struct pv_device *dev, unsigned int i, const struct netback_queue_stats *s)
{
	log_info("vif %u: queue %u: tx %llu packets %llu bytes %llu errors %llu host drops; "
		 "rx %llu packets %llu bytes %llu drops",
		 dev->devid, i, s->tx_packets, s->tx_bytes, s->tx_errors, s->tx_host_drops,
		 s->rx_packets, s->rx_bytes, s->rx_drops);
}

/*
 * Stops every queue. The event channels and their fds are released by the caller
 * afterwards (after a failed connect() too); the host queues stay open, unpolled.
 */
static void stop_queues(struct pv_device *dev, struct netback *nb)
{
	for (unsigned int i = 0; i < nb->nr_queues; i++) {
		struct netback_vq *vq = &nb->queues[i];

		if (vq->host_polled)
			pv_device_iothread_del_fd(dev, vq->q.cfg.host.rx_fd);
		if (!vq->started)
			continue;
		log_stats(dev, i, &vq->q.stats);
		netback_queue_stop(&vq->q);
	}
	free(nb->queues);
	nb->queues = NULL;
	nb->nr_queues = 0;
}

static void netback_disconnect(struct pv_device *dev)
{
	stop_queues(dev, dev->priv);
}

static int netback_connect(struct pv_device *dev)
{
	struct netback *nb = dev->priv;
	struct net_rx_caps caps;
	unsigned int n;
	int rc;

	rc = read_frontend(dev, &caps, &n);
	rc = rc ?: net_host_set_queues(&nb->host, n);
	rc = rc ?: net_host_set_offload(&nb->host, caps.csum, caps.gso_tcpv4, caps.gso_tcpv6);
	if (rc)
		return rc;
	nb->queues = calloc(n, sizeof(*nb->queues));
	if (!nb->queues)
		return -ENOMEM;
	nb->nr_queues = n;
	for (unsigned int i = 0; i < n; i++) {
		rc = start_queue(dev, nb, i, &caps);
		if (rc) {
			stop_queues(dev, nb);
			return rc;
		}
	}
	log_info("vif %u: connected: %u queue(s), %s%s%s%s", dev->devid, n,
		 caps.sg ? "sg" : "no sg", caps.gso_tcpv4 ? ", gso-tcpv4" : "",
		 caps.gso_tcpv6 ? ", gso-tcpv6" : "", caps.csum ? ", csum offload" : "");
	/* What the frontend queued before we listened. */
	for (unsigned int i = 0; i < n; i++) {
		netback_queue_tx(&nb->queues[i].q);
		rx_posted(&nb->queues[i]);
	}
	return 0;
}

static void netback_free(struct pv_device *dev)
{
	struct netback *nb = dev->priv;

	if (!nb)
		return;
	if (nb->script)
		net_hotplug_run(nb->script, "offline", nb->xenbus_path, nb->host.ifname);
	net_host_close(&nb->host);
	free(nb->script);
	free(nb);
	dev->priv = NULL;
}

static const struct pv_backend_ops netback_ops = {
	.type = "vif",
	.setup = netback_setup,
	.connect = netback_connect,
	.disconnect = netback_disconnect,
	.free = netback_free,
};

PV_BACKEND_REGISTER(netback_ops)
