/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The domain's xenstore connection: the store ring page and event channel (given to the
 * guest in HVM_PARAM_STORE_PFN/EVTCHN), handed to xenstored with the fd-passing
 * XS_INTRODUCE of docs/XENSTORED.md so that the daemon runs the ring protocol itself; the
 * VMM only turns event-channel sends into eventfd kicks and back. Before introducing the
 * domain it writes the xenstore layout a toolstack writes (xenstore_layout.c).
 */
#ifndef XENKVM_XEN_EMUL_XENSTORE_LINK_H
#define XENKVM_XEN_EMUL_XENSTORE_LINK_H

#include "xen-emul/xen.h"

struct xen_store_link;

struct xen_store_config {
	const char *socket_path; /* NULL: XENSTORED_PATH, else the default socket */
	bool required; /* fail when xenstored cannot be reached */
	uint64_t memory_kib;
};

/*
 * Sets up the ring, the port and the HVM params, writes the layout and introduces the
 * domain. 0 also when xenstored is absent and not required (the domain then has no store:
 * *link stays NULL); -errno otherwise, with a message logged.
 */
int xen_store_link_init(struct xen_domain *dom, const struct xen_store_config *cfg,
			struct xen_store_link **link);
/* As libxl does when it destroys a domain: XS_RELEASE, then frees the link. */
void xen_store_link_release(struct xen_store_link *link);

#endif
