/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Transactions and the "view" every operation goes through. A view is the committed
 * store, or a transaction: a private overlay of the nodes it touched, copied on first
 * access together with the generation they had. Commit checks that none of those nodes
 * changed since (else EAGAIN) and then applies the overlay to the store. A node first
 * seen with a generation newer than the transaction's start also dooms it, so a
 * transaction that commits saw one consistent snapshot.
 */
#ifndef XENSTORED_TXN_H
#define XENSTORED_TXN_H

#include <stdbool.h>
#include <stdint.h>

#include "toolstack/xenstored/events.h"
#include "toolstack/xenstored/store.h"

struct tnode;

struct txn {
	uint32_t id;
	uint64_t start_gen;
	bool doomed;
	struct tnode **buckets;
	unsigned int nbuckets, count;
	unsigned int max_nodes; /* transaction-nodes quota; 0 = none */
	int32_t *owned_delta; /* per domid, allocated lazily */
	struct events ev; /* fired if and when the transaction commits */
	struct txn *next; /* the owning connection's list */
};

struct view {
	struct store *st;
	struct txn *tx; /* NULL: act on the store directly */
};

struct txn *txn_new(struct store *st, uint32_t id, unsigned int max_nodes);
void txn_free(struct txn *tx);
/* Applies the transaction, or returns -EAGAIN on a conflict. Frees nothing. */
int txn_commit(struct txn *tx, struct store *st);

/* Read access: 0 and *out, -ENOENT, or -ENOSPC (transaction-nodes quota). */
int view_get(struct view *v, const char *path, const struct node **out);
int view_create(struct view *v, const char *path, const struct perm *perms, uint32_t np,
		const void *val, uint32_t vlen);
int view_set_value(struct view *v, const char *path, const void *val, uint32_t vlen);
int view_set_perms(struct view *v, const char *path, const struct perm *perms, uint32_t np);
/* One node without children. */
int view_delete(struct view *v, const char *path);
/* Nodes owned by domid as this view sees them (committed count plus the overlay's). */
long view_owned(struct view *v, unsigned int domid);

#endif
