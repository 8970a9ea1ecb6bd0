/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What a toolstack attaches to a domain before it runs, done by xenkvm itself: the PV
 * console, the xenstore link (layout and introduction), console input from a file, the
 * PV devices of --disk and --vif.
 */
#ifndef XENKVM_BACKENDS_H
#define XENKVM_BACKENDS_H

#include "drivers-pv/console.h"
#include "drivers-pv/pv_bus.h"
#include "xen-emul/xenstore/xenstore_link.h"
#include "xenkvm/options.h"

struct backends {
	struct pv_console *console;
	struct xen_store_link *store;
	struct pv_bus *devices; /* --disk, --vif; NULL when none */
};

/*
 * 0, or -errno with the reason logged (a required xenstore that cannot be reached);
 * -EINVAL for a device this xenkvm cannot serve.
 */
int backends_init(struct backends *b, const struct options *o, struct xen_domain *dom);
/* Console input arrived: let the PV console take it. */
void backends_input(struct backends *b);
/* After the guest stopped: release the domain from xenstore, flush the console. */
void backends_release(struct backends *b);

#endif
