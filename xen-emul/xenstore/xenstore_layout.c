// SPDX-License-Identifier: GPL-2.0
/*
 * The toolstack's part of a domain's xenstore tree. Linux's xenbus reads `name`, the
 * `vm` path and `device/`, its shutdown watcher `control/shutdown`, its balloon driver
 * `memory/target`; the permissions are libxl's: the domain directory is owned by dom0 and
 * readable by the domain, the guest-writable directories are owned by the domain.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>

#include "xen-emul/xenstore/xenstore_layout.h"

struct layout_ctx {
	struct xs_handle *h;
	xs_transaction_t t;
	char base[64];
	unsigned int domid;
	bool ok;
};

static void put(struct layout_ctx *c, const char *rel, const char *value)
{
	char path[160];

	snprintf(path, sizeof(path), "%s/%s", c->base, rel);
	if (c->ok && !xs_write(c->h, c->t, path, value, strlen(value)))
		c->ok = false;
}

static void putf(struct layout_ctx *c, const char *rel, unsigned long long v)
{
	char buf[32];

	snprintf(buf, sizeof(buf), "%llu", v);
	put(c, rel, buf);
}

/* A directory with dom0 as owner and read for the domain (ro) or owned by it (rw). */
static void dir(struct layout_ctx *c, const char *path, bool guest_writable)
{
	struct xs_permissions ro[2] = { { .id = 0, .perms = XS_PERM_NONE },
					{ .id = c->domid, .perms = XS_PERM_READ } };
	struct xs_permissions rw[1] = { { .id = c->domid, .perms = XS_PERM_NONE } };

	if (!c->ok)
		return;
	if (!xs_mkdir(c->h, c->t, path) ||
	    !xs_set_permissions(c->h, c->t, path, guest_writable ? rw : ro, guest_writable ? 1 : 2))
		c->ok = false;
}

/*
 * libxl__domain_make()'s guest-writable nodes: Linux's manage.c writes "1" to
 * control/feature-{poweroff,reboot,suspend} at boot (libxl then knows PV shutdown works),
 * and a suspend-capable guest its suspend event channel.
 */
static const char *const guest_writable[] = {
	"control/shutdown",
	"control/feature-poweroff",
	"control/feature-reboot",
	"control/feature-suspend",
	"control/sysrq",
	"device/suspend/event-channel",
	"data",
	"drivers",
	"feature",
	"attr",
	"error",
	"messages",
};

static void domain_dirs(struct layout_ctx *c)
{
	static const char *const ro_dirs[] = { "cpu", "memory", "device", "device/suspend",
					       "control" };
	char path[160];

	dir(c, c->base, false);
	for (size_t i = 0; i < sizeof(ro_dirs) / sizeof(ro_dirs[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", c->base, ro_dirs[i]);
		dir(c, path, false);
	}
	for (size_t i = 0; i < sizeof(guest_writable) / sizeof(guest_writable[0]); i++) {
		snprintf(path, sizeof(path), "%s/%s", c->base, guest_writable[i]);
		dir(c, path, true);
	}
}

/*
 * What libxl tells the guest it may rely on: XS_RESET_WATCHES (Linux's xenbus sends it at
 * boot only when this node says 1) and suspend with all vCPUs up; and each vCPU's
 * availability, which Linux's cpu_hotplug.c reads to decide which vCPUs stay online.
 */
static void platform_nodes(struct layout_ctx *c, unsigned int nr_vcpus)
{
	char rel[48];

	put(c, "control/platform-feature-xs_reset_watches", "1");
	put(c, "control/platform-feature-multiprocessor-suspend", "1");
	for (unsigned int i = 0; i < nr_vcpus; i++) {
		snprintf(rel, sizeof(rel), "cpu/%u/availability", i);
		put(c, rel, "online");
	}
}

static void uuid_string(const uint8_t *u, char *out, size_t size)
{
	snprintf(out, size, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
		 u[13], u[14], u[15]);
}

static void vm_dir(struct layout_ctx *c, const struct xen_config *cfg)
{
	char uuid[40], vm[64], path[128];

	uuid_string(cfg->uuid, uuid, sizeof(uuid));
	snprintf(vm, sizeof(vm), "/vm/%s", uuid);
	dir(c, vm, false);
	snprintf(path, sizeof(path), "%s/uuid", vm);
	if (c->ok && !xs_write(c->h, c->t, path, uuid, strlen(uuid)))
		c->ok = false;
	snprintf(path, sizeof(path), "%s/name", vm);
	if (c->ok && !xs_write(c->h, c->t, path, cfg->name, strlen(cfg->name)))
		c->ok = false;
	put(c, "vm", vm);
}

static void fill(struct layout_ctx *c, const struct xen_layout_info *info)
{
	domain_dirs(c);
	platform_nodes(c, info->nr_vcpus);
	vm_dir(c, info->cfg);
	put(c, "name", info->cfg->name);
	putf(c, "domid", info->cfg->domid);
	putf(c, "memory/static-max", info->memory_kib);
	putf(c, "memory/target", info->memory_kib);
	putf(c, "store/port", info->store_port);
	putf(c, "store/ring-ref", info->store_gfn);
	if (info->console_gfn) {
		putf(c, "console/port", info->console_port);
		putf(c, "console/ring-ref", info->console_gfn);
		put(c, "console/type", "xenconsoled");
	}
}

int xen_store_write_layout(struct xs_handle *h, const struct xen_layout_info *info)
{
	for (int attempt = 0; attempt < 10; attempt++) {
		struct layout_ctx c = { .h = h, .domid = info->cfg->domid, .ok = true };

		snprintf(c.base, sizeof(c.base), "/local/domain/%u", info->cfg->domid);
		c.t = xs_transaction_start(h);
		if (c.t == XBT_NULL)
			return -errno;
		fill(&c, info);
		if (!c.ok) {
			int err = errno;

			xs_transaction_end(h, c.t, true);
			return -err;
		}
		if (xs_transaction_end(h, c.t, false))
			return 0;
		if (errno != EAGAIN)
			return -errno;
	}
	return -EAGAIN;
}

void xen_store_remove_layout(struct xs_handle *h, const struct xen_config *cfg)
{
	char uuid[40], path[64];

	snprintf(path, sizeof(path), "/local/domain/%u", cfg->domid);
	xs_rm(h, XBT_NULL, path);
	uuid_string(cfg->uuid, uuid, sizeof(uuid));
	snprintf(path, sizeof(path), "/vm/%s", uuid);
	xs_rm(h, XBT_NULL, path);
}
