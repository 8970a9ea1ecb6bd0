/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The committed database: nodes indexed by absolute path in a hash table. Each node
 * keeps its value, permissions, the NUL-separated names of its children (the DIRECTORY
 * reply as Xen builds it) and the generation of its last change, which transactions
 * use to detect conflicts and DIRECTORY_PART reports.
 *
 * Every change is reported to a hook (the journal), so the store itself knows nothing
 * about durability.
 */
#ifndef XENSTORED_STORE_H
#define XENSTORED_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "toolstack/xenstored/perms.h"

struct node {
	char *path;
	char *value;
	uint32_t vlen;
	uint32_t nperms;
	struct perm *perms;
	char *children; /* "a\0b\0" */
	uint32_t clen, ccap;
	uint64_t gen;
	struct node *hnext;
};

enum store_change { STORE_SET, STORE_DEL };

typedef void store_hook_fn(void *opaque, enum store_change what, const struct node *n);

struct store {
	struct node **buckets;
	size_t nbuckets, count;
	uint64_t gen;
	uint32_t *owned; /* nodes owned, per domid (65536 entries) */
	size_t bytes; /* memory held by nodes, for memreport */
	store_hook_fn *hook;
	void *hook_opaque;
};

/* Creates the root "/" owned by dom0 with no access for others ("n0"). */
int store_init(struct store *st);
void store_destroy(struct store *st);

struct node *store_lookup(const struct store *st, const char *path);

/* Creates a node whose parent exists; links it into the parent. -EEXIST, -ENOENT, -ENOMEM. */
int store_create(struct store *st, const char *path, const struct perm *perms, uint32_t nperms,
		 const void *val, uint32_t vlen);
int store_set_value(struct store *st, struct node *n, const void *val, uint32_t vlen);
int store_set_perms(struct store *st, struct node *n, const struct perm *perms, uint32_t nperms);
/* Removes one node (its children must already be gone) and unlinks it. */
int store_delete(struct store *st, const char *path);
/* Removes a node and its whole subtree (replay and domain clean-up). */
int store_delete_tree(struct store *st, const char *path);

/* Calls fn on every node, parents before children. Stops on non-zero. */
int store_walk(struct store *st, const char *root,
	       int (*fn)(struct store *st, struct node *n, void *arg), void *arg);

/* Node helpers shared with transactions. */
struct node *node_new(const char *path);
void node_free(struct node *n);
struct node *node_clone(const struct node *n);
int node_set_value(struct node *n, const void *val, uint32_t vlen);
int node_set_perms(struct node *n, const struct perm *perms, uint32_t nperms);
int node_add_child(struct node *n, const char *name);
void node_del_child(struct node *n, const char *name);
bool node_has_child(const struct node *n, const char *name);
size_t node_bytes(const struct node *n);

#endif
