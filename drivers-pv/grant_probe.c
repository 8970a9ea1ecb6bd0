// SPDX-License-Identifier: GPL-2.0
/*
 * The grant probe (see grant_probe.h): every command goes through xen-emul's backend API
 * exactly as a PV backend would, so a guest test can check from its side what the API
 * promises: the data it granted, the GTF_reading/GTF_writing bits while the probe holds a
 * mapping, and refusals once it revokes. The probe checks its own ranges; a guest can
 * make it fail but never make it touch memory outside the page it mapped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "drivers-pv/grant_probe.h"
#include "vmm/log.h"
#include "xen-emul/gnttab/grant_table.h"

/* Big enough for any 16-bit length, so the API's own bounds check is what is tested. */
#define COPY_BUF_SIZE (0x10000 + 4096)

struct grant_probe {
	pthread_mutex_t lock;
	struct xen_domain *dom;
	uint32_t ref, offset, len, data;
	int32_t status;
	struct xen_gnttab_map map;
	uint8_t buf[COPY_BUF_SIZE];
};

static struct grant_probe *probe;

static uint32_t fnv1a(const uint8_t *p, size_t len)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < len; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

static void fill(uint8_t *p, size_t len, uint32_t seed)
{
	for (size_t i = 0; i < len; i++)
		p[i] = (uint8_t)(seed + i);
}

static int32_t do_map(struct grant_probe *gp, bool readonly)
{
	if (gp->map.addr)
		return GRANT_PROBE_EBUSY;
	return xen_gnttab_map(gp->dom, GRANT_PROBE_DOMID, gp->ref, readonly, &gp->map);
}

/* Commands on the mapping itself; ranges are the probe's to check. */
static int32_t on_mapping(struct grant_probe *gp, uint32_t cmd)
{
	uint8_t *page = gp->map.addr;
	bool word = cmd == GRANT_PROBE_READ || cmd == GRANT_PROBE_WRITE;
	uint32_t len = word ? 4 : gp->len;

	if (!page)
		return GRANT_PROBE_ENOTMAPPED;
	if (gp->offset + len > 4096)
		return GRANT_PROBE_EINVAL;
	if ((cmd == GRANT_PROBE_WRITE || cmd == GRANT_PROBE_FILL) && gp->map.readonly)
		return GRANT_PROBE_EROFS;
	switch (cmd) {
	case GRANT_PROBE_READ:
		memcpy(&gp->data, page + gp->offset, 4);
		break;
	case GRANT_PROBE_WRITE:
		memcpy(page + gp->offset, &gp->data, 4);
		break;
	case GRANT_PROBE_FILL:
		fill(page + gp->offset, len, gp->data);
		break;
	default:
		gp->data = fnv1a(page + gp->offset, len);
		break;
	}
	return 0;
}

static int32_t run(struct grant_probe *gp, uint32_t cmd)
{
	int32_t rc;

	switch (cmd) {
	case GRANT_PROBE_MAP_RO:
	case GRANT_PROBE_MAP_RW:
		return do_map(gp, cmd == GRANT_PROBE_MAP_RO);
	case GRANT_PROBE_UNMAP:
		if (!gp->map.addr)
			return GRANT_PROBE_ENOTMAPPED;
		return xen_gnttab_unmap(gp->dom, &gp->map);
	case GRANT_PROBE_READ:
	case GRANT_PROBE_WRITE:
	case GRANT_PROBE_FILL:
	case GRANT_PROBE_SUM:
		return on_mapping(gp, cmd);
	case GRANT_PROBE_COPY_FROM:
		rc = xen_gnttab_copy_from(gp->dom, GRANT_PROBE_DOMID, gp->ref, gp->offset, gp->buf,
					  gp->len);
		if (!rc)
			gp->data = fnv1a(gp->buf, gp->len);
		return rc;
	case GRANT_PROBE_COPY_TO:
		fill(gp->buf, gp->len, gp->data);
		return xen_gnttab_copy_to(gp->dom, GRANT_PROBE_DOMID, gp->ref, gp->offset, gp->buf,
					  gp->len);
	default:
		return GRANT_PROBE_EINVAL;
	}
}

static int probe_io(struct vcpu *vcpu, uint16_t port, unsigned int size, bool is_write,
		    uint32_t *val, void *opaque)
{
	struct grant_probe *gp = opaque;

	if (size != 4) {
		if (!is_write)
			*val = 0xffffffff;
		return 0;
	}
	pthread_mutex_lock(&gp->lock);
	switch (port - GRANT_PROBE_PORT) {
	case 0:
		if (is_write)
			gp->ref = *val;
		break;
	case 4:
		if (is_write) {
			gp->offset = *val & 0xffff;
			gp->len = *val >> 16;
		}
		break;
	case 8:
		if (is_write)
			gp->data = *val;
		else
			*val = gp->data;
		break;
	case 12:
		if (is_write)
			gp->status = run(gp, *val);
		else
			*val = (uint32_t)gp->status;
		break;
	default:
		if (!is_write)
			*val = 0xffffffff;
		break;
	}
	pthread_mutex_unlock(&gp->lock);
	return 0;
}

int grant_probe_init(struct xen_domain *dom)
{
	int rc;

	probe = calloc(1, sizeof(*probe));
	if (!probe)
		return -ENOMEM;
	pthread_mutex_init(&probe->lock, NULL);
	probe->dom = dom;
	rc = vm_register_pio(dom->vm, GRANT_PROBE_PORT, 16, probe_io, probe);
	if (rc) {
		free(probe);
		probe = NULL;
		return rc;
	}
	log_info("test device: grant probe at ports %#x-%#x", GRANT_PROBE_PORT,
		 GRANT_PROBE_PORT + 15);
	return 0;
}

void grant_probe_destroy(void)
{
	if (!probe)
		return;
	if (probe->map.addr)
		xen_gnttab_unmap(probe->dom, &probe->map);
	pthread_mutex_destroy(&probe->lock);
	free(probe);
	probe = NULL;
}
