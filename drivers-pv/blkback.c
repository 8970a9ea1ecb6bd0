// SPDX-License-Identifier: GPL-2.0
/*
 * The vbd backend (type "vbd", what `xenkvm --disk` and xl's disk= create): the keys
 * Linux's xen-blkfront reads, the rings and event channels it writes, and one
 * blkback_queue per ring on the device's I/O thread.
 *
 * setup() opens the disk named by the backend's "params" ("mode" r or w, as libxl
 * writes them) and advertises: sectors and sector-size (512-byte units: blkfront does
 * not write feature-large-sector-size), physical-sector-size, info (VDISK_*),
 * feature-flush-cache and feature-barrier (blkfront prefers the flush), feature-discard
 * with discard-granularity/-alignment/-secure when the disk can discard,
 * feature-max-indirect-segments, feature-persistent, max-ring-page-order and
 * multi-queue-max-queues.
 *
 * connect() reads what blkfront's talk_to_blkback() writes: multi-queue-num-queues,
 * ring-page-order, ring-ref or ring-ref0..N and event-channel (in queue-N/ with several
 * queues), protocol and feature-persistent.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xen/io/protocols.h>

#include "drivers-pv/blk_io.h"
#include "drivers-pv/blkback_queue.h"
#include "drivers-pv/pv_device.h"
#include "vmm/log.h"

/* Queues offered (blkfront takes at most min(this, its max_queues=4, its vCPUs)). */
#define BLKBACK_MAX_QUEUES 4

struct blkback_ring {
	struct blkback_queue q;
	struct pv_device *dev;
	evtchn_port_t port;
	int evtchn_fd;
	bool bound; /* the event channel */
	bool started; /* the queue, and its fds on the I/O thread */
};

struct blkback {
	struct blk_disk disk;
	struct blk_limits limits;
	bool cdrom, removable;
	bool discard_enabled; /* the toolstack's discard-enable (default 1) */
	unsigned int nr_rings;
	struct blkback_ring *rings;
};

static int write_features(struct pv_device *dev, const struct blkback *b)
{
	const struct blk_disk *d = &b->disk;
	unsigned int info = (d->readonly ? VDISK_READONLY : 0) | (b->cdrom ? VDISK_CDROM : 0) |
			    (b->removable ? VDISK_REMOVABLE : 0);
	int rc = 0;

	rc = rc ?: pv_device_write_uint(dev, "sectors", d->size >> BLK_SECTOR_SHIFT);
	rc = rc ?: pv_device_write_uint(dev, "sector-size", BLK_SECTOR_SIZE);
	rc = rc ?: pv_device_write_uint(dev, "physical-sector-size", d->physical_block_size);
	rc = rc ?: pv_device_write_uint(dev, "info", info);
	rc = rc ?: pv_device_write_uint(dev, "feature-flush-cache", 1);
	rc = rc ?: pv_device_write_uint(dev, "feature-barrier", 1);
	rc = rc ?: pv_device_write_uint(dev, "feature-discard", d->discard);
	if (d->discard) {
		rc = rc ?: pv_device_write_uint(dev, "discard-granularity", d->physical_block_size);
		rc = rc ?: pv_device_write_uint(dev, "discard-alignment", 0);
		rc = rc ?: pv_device_write_uint(dev, "discard-secure", 0);
	}
	rc = rc	   ?:
		     pv_device_write_uint(dev, "feature-max-indirect-segments",
					  BLK_MAX_INDIRECT_SEGMENTS);
	rc = rc ?: pv_device_write_uint(dev, "feature-persistent", 1);
	rc = rc ?: pv_device_write_uint(dev, "max-ring-page-order", BLKIF_MAX_RING_ORDER);
	rc = rc ?: pv_device_write_uint(dev, "multi-queue-max-queues", BLKBACK_MAX_QUEUES);
	return rc;
}

/*
 * The image path of "params": libxl writes qdisk's "FORMAT:PATH" (aio: for raw images);
 * a bare path is taken as raw. Other formats (qcow2, vhd, ...) are refused: only raw
 * images and block devices are served.
 */
static int image_path(struct pv_device *dev, const char *params, const char **path)
{
	const char *colon = strchr(params, ':'), *slash = strchr(params, '/');
	static const char *const raw[] = { "aio", "raw", "file", "phy" };

	*path = params;
	if (!colon || (slash && slash < colon))
		return 0;
	for (unsigned int i = 0; i < sizeof(raw) / sizeof(raw[0]); i++) {
		if (strlen(raw[i]) == (size_t)(colon - params) &&
		    !strncmp(params, raw[i], colon - params)) {
			*path = colon + 1;
			return 0;
		}
	}
	log_err("vbd %u: %.*s images are not served (raw images and block devices only)",
		dev->devid, (int)(colon - params), params);
	return -EOPNOTSUPP;
}

/*
 * The backend keys libxl writes: params (the image), mode (r or w), device-type,
 * removable and discard-enable.
 */
static int read_config(struct pv_device *dev, char **params, bool *readonly, struct blkback *b)
{
	char *mode = NULL, *type = NULL;
	unsigned int removable = 0, discard = 1;
	int rc;

	rc = pv_device_read_str(dev, PV_BACKEND, "params", params);
	if (rc) {
		log_err("vbd %u: no params (the disk's path): %s", dev->devid, strerror(-rc));
		return rc;
	}
	*readonly = pv_device_read_str(dev, PV_BACKEND, "mode", &mode) || mode[0] != 'w';
	if (!pv_device_read_str(dev, PV_BACKEND, "device-type", &type))
		b->cdrom = !strcmp(type, "cdrom");
	pv_device_read_uint(dev, PV_BACKEND, "removable", &removable);
	pv_device_read_uint(dev, PV_BACKEND, "discard-enable", &discard);
	b->removable = removable;
	b->discard_enabled = discard;
	/* A CD-ROM is read-only whatever its mode says. */
	if (b->cdrom)
		*readonly = true;
	free(mode);
	free(type);
	return 0;
}

static int blkback_setup(struct pv_device *dev)
{
	struct blkback *b = calloc(1, sizeof(*b));
	char *params = NULL;
	const char *path;
	bool readonly;
	int rc;

	if (!b)
		return -ENOMEM;
	b->disk.fd = -1;
	rc = read_config(dev, &params, &readonly, b);
	rc = rc ?: image_path(dev, params, &path);
	if (rc)
		goto fail;
	rc = blk_disk_open(&b->disk, path, readonly);
	if (rc) {
		log_err("vbd %u: %s: %s", dev->devid, path, strerror(-rc));
		goto fail;
	}
	if (!b->discard_enabled)
		b->disk.discard = false;
	b->limits = (struct blk_limits){
		.sectors = b->disk.size >> BLK_SECTOR_SHIFT,
		.readonly = readonly,
		.discard = b->disk.discard,
		.flush = true,
		.max_indirect_segments = BLK_MAX_INDIRECT_SEGMENTS,
	};
	rc = write_features(dev, b);
	if (rc)
		goto fail;
	free(params);
	dev->priv = b;
	return 0;
fail:
	blk_disk_close(&b->disk);
	free(params);
	free(b);
	return rc;
}

/* The frontend's key for queue `i` of `n`: "key", or "queue-i/key" with several queues. */
static int queue_key(char *buf, size_t len, unsigned int i, unsigned int n, const char *key)
{
	int w = n > 1 ? snprintf(buf, len, "queue-%u/%s", i, key) : snprintf(buf, len, "%s", key);

	return w < (int)len ? 0 : -ENAMETOOLONG;
}

static int read_ring_refs(struct pv_device *dev, unsigned int i, unsigned int n, unsigned int order,
			  grant_ref_t *refs)
{
	char key[48], name[24];
	int rc;

	if (!order) {
		unsigned int ref;

		rc = queue_key(key, sizeof(key), i, n, "ring-ref");
		rc = rc ?: pv_device_read_uint(dev, PV_FRONTEND, key, &ref);
		refs[0] = ref;
		return rc;
	}
	for (unsigned int p = 0; p < (1u << order); p++) {
		unsigned int ref;

		snprintf(name, sizeof(name), "ring-ref%u", p);
		rc = queue_key(key, sizeof(key), i, n, name);
		rc = rc ?: pv_device_read_uint(dev, PV_FRONTEND, key, &ref);
		if (rc)
			return rc;
		refs[p] = ref;
	}
	return 0;
}

static void on_kick(struct pv_device *dev, int fd, void *opaque)
{
	struct blkback_ring *r = opaque;
	uint64_t n;

	if (read(fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		log_err("vbd %u: event channel read: %s", dev->devid, strerror(errno));
	blkback_queue_kick(&r->q);
}

static void on_complete(struct pv_device *dev, int fd, void *opaque)
{
	struct blkback_ring *r = opaque;

	blkback_queue_complete(&r->q);
}

static void notify_frontend(void *arg)
{
	struct blkback_ring *r = arg;

	pv_device_notify(r->dev, r->port);
}

struct connect_params {
	unsigned int nr_queues, order;
	bool persistent;
};

static int read_connect_params(struct pv_device *dev, struct connect_params *cp)
{
	unsigned int persistent = 0;
	char *protocol = NULL;
	int rc;

	cp->nr_queues = 1;
	cp->order = 0;
	rc = pv_device_read_uint(dev, PV_FRONTEND, "multi-queue-num-queues", &cp->nr_queues);
	if ((rc && rc != -ENOENT) || cp->nr_queues < 1 || cp->nr_queues > BLKBACK_MAX_QUEUES) {
		log_err("vbd %u: bad multi-queue-num-queues", dev->devid);
		return -EINVAL;
	}
	rc = pv_device_read_uint(dev, PV_FRONTEND, "ring-page-order", &cp->order);
	if ((rc && rc != -ENOENT) || cp->order > BLKIF_MAX_RING_ORDER) {
		log_err("vbd %u: bad ring-page-order", dev->devid);
		return -EINVAL;
	}
	pv_device_read_uint(dev, PV_FRONTEND, "feature-persistent", &persistent);
	cp->persistent = persistent == 1;
	pv_device_read_str(dev, PV_FRONTEND, "protocol", &protocol);
	rc = blk_protocol_check(protocol);
	if (rc)
		log_err("vbd %u: protocol %s is not served (only %s)", dev->devid, protocol,
			XEN_IO_PROTO_ABI_X86_64);
	free(protocol);
	return rc;
}

static int start_ring(struct pv_device *dev, struct blkback *b, unsigned int i,
		      const struct connect_params *cp)
{
	struct blkback_ring *r = &b->rings[i];
	grant_ref_t refs[BLKIF_MAX_RING_PAGES];
	unsigned int remote_port;
	char key[48];
	int rc;

	rc = read_ring_refs(dev, i, cp->nr_queues, cp->order, refs);
	rc = rc ?: queue_key(key, sizeof(key), i, cp->nr_queues, "event-channel");
	rc = rc ?: pv_device_read_uint(dev, PV_FRONTEND, key, &remote_port);
	if (rc) {
		log_err("vbd %u: queue %u: ring-ref or event-channel missing or bad", dev->devid,
			i);
		return -EINVAL;
	}
	r->dev = dev;
	rc = pv_device_bind_evtchn(dev, remote_port, &r->port, &r->evtchn_fd);
	if (rc)
		return rc;
	r->bound = true;
	rc = blkback_queue_start(&r->q, &(struct blkback_queue_config){
						.dom = dev->dom,
						.backend = dev->backend_id,
						.disk = &b->disk,
						.limits = b->limits,
						.ring_refs = refs,
						.nr_ring_pages = 1u << cp->order,
						.persistent = cp->persistent,
						.notify = notify_frontend,
						.notify_arg = r,
					});
	if (rc) {
		log_err("vbd %u: queue %u: ring not mapped: %s", dev->devid, i, strerror(-rc));
		return rc;
	}
	r->started = true;
	rc = pv_device_iothread_add_fd(dev, blkback_queue_io_fd(&r->q), on_complete, r);
	rc = rc ?: pv_device_iothread_add_fd(dev, r->evtchn_fd, on_kick, r);
	return rc;
}

/*
 * Stops every queue. The event channels and their fds are the caller's to release after
 * disconnect(); after a failed connect() they are ours (`release`).
 */
static void stop_rings(struct pv_device *dev, struct blkback *b, bool release)
{
	for (unsigned int i = 0; i < b->nr_rings; i++) {
		struct blkback_ring *r = &b->rings[i];

		if (r->started) {
			/* Its fd closes with the queue: no callback may see it after. */
			pv_device_iothread_del_fd(dev, blkback_queue_io_fd(&r->q));
			if (release)
				pv_device_iothread_del_fd(dev, r->evtchn_fd);
			blkback_queue_stop(&r->q);
		}
		if (r->bound && release)
			pv_device_unbind_evtchn(dev, r->port);
	}
	free(b->rings);
	b->rings = NULL;
	b->nr_rings = 0;
}

static void blkback_disconnect(struct pv_device *dev)
{
	stop_rings(dev, dev->priv, false);
}

static int blkback_connect(struct pv_device *dev)
{
	struct blkback *b = dev->priv;
	struct connect_params cp;
	int rc;

	rc = read_connect_params(dev, &cp);
	if (rc)
		return rc;
	b->rings = calloc(cp.nr_queues, sizeof(*b->rings));
	if (!b->rings)
		return -ENOMEM;
	b->nr_rings = cp.nr_queues;
	for (unsigned int i = 0; i < cp.nr_queues; i++) {
		rc = start_ring(dev, b, i, &cp);
		if (rc) {
			stop_rings(dev, b, true);
			return rc;
		}
	}
	log_info("vbd %u: connected: %u queue(s) of %u page(s), %s%s", dev->devid, cp.nr_queues,
		 1u << cp.order, b->limits.readonly ? "read-only" : "read-write",
		 cp.persistent ? ", persistent grants" : "");
	/* Requests the frontend queued before we listened. */
	for (unsigned int i = 0; i < cp.nr_queues; i++)
		blkback_queue_kick(&b->rings[i].q);
	return 0;
}

static void blkback_free(struct pv_device *dev)
{
	struct blkback *b = dev->priv;

	if (!b)
		return;
	blk_disk_close(&b->disk);
	free(b);
	dev->priv = NULL;
}

static const struct pv_backend_ops blkback_ops = {
	.type = "vbd",
	.setup = blkback_setup,
	.connect = blkback_connect,
	.disconnect = blkback_disconnect,
	.free = blkback_free,
};

PV_BACKEND_REGISTER(blkback_ops)
