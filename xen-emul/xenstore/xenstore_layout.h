/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The xenstore nodes a toolstack writes for a new domain, as libxl does: the domain's
 * directory and its permissions, name, domid, vm path, memory, the store and console
 * locations, and the directories the guest may write (control, data, device, ...).
 */
#ifndef XENKVM_XEN_EMUL_XENSTORE_LAYOUT_H
#define XENKVM_XEN_EMUL_XENSTORE_LAYOUT_H

#include <stdint.h>
#include <xenstore.h>

#include "xen-emul/xen.h"

struct xen_layout_info {
	const struct xen_config *cfg;
	uint64_t memory_kib;
	unsigned int nr_vcpus;
	uint64_t store_gfn;
	uint32_t store_port;
	uint64_t console_gfn; /* 0: no PV console */
	uint32_t console_port;
};

/* Writes the layout in one transaction (retried on EAGAIN). 0 or -errno. */
int xen_store_write_layout(struct xs_handle *h, const struct xen_layout_info *info);
/* Removes the domain's directory and its /vm entry, as libxl does when it destroys it. */
void xen_store_remove_layout(struct xs_handle *h, const struct xen_config *cfg);

#endif
