/* SPDX-License-Identifier: GPL-2.0 */
/* The domain's nodes in xenstore that the toolstack changes after creation. */
#ifndef XENKVM_TOOLSTACK_DOMAINS_XS_DOMAIN_H
#define XENKVM_TOOLSTACK_DOMAINS_XS_DOMAIN_H

/*
 * libxl_domain_rename()'s xenstore half: /local/domain/DOMID/name and the name under
 * the domain's vm path, in one transaction. -ENOENT when the domain has no directory
 * (no xenstored, or it ran without one), -errno otherwise.
 */
int xs_domain_rename(unsigned domid, const char *name);

#endif
