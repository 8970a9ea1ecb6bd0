/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The database operations of xenstore.txt with their permission and quota rules, on a
 * view (the store or a transaction). Paths are already canonical. Changes append to
 * ev the events the caller must fire once the change is committed.
 * All return 0 or -errno (the errno the protocol reports).
 */
#ifndef XENSTORED_OPS_H
#define XENSTORED_OPS_H

#include "toolstack/xenstored/events.h"
#include "toolstack/xenstored/quota.h"
#include "toolstack/xenstored/txn.h"

struct op_ctx {
	struct view *v;
	const struct caller *who;
	const struct quota *q;
	struct events *ev;
};

int op_read(struct op_ctx *c, const char *path, const struct node **out);
int op_write(struct op_ctx *c, const char *path, const void *val, uint32_t vlen);
int op_mkdir(struct op_ctx *c, const char *path);
int op_rm(struct op_ctx *c, const char *path);
/* Directory and permissions need read access; out is the node. */
int op_directory(struct op_ctx *c, const char *path, const struct node **out);
int op_get_perms(struct op_ctx *c, const char *path, const struct node **out);
int op_set_perms(struct op_ctx *c, const char *path, const struct perm *p, uint32_t np);

/* Removes every node owned by domid (domain release), or gives them to dom0 (keep). */
int op_drop_domain_nodes(struct store *st, unsigned int domid, bool keep, struct events *ev);

#endif
