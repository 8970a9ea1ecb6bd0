// SPDX-License-Identifier: GPL-2.0
/*
 * Transaction overlay. Each touched path has a tnode: the private copy (NULL when the
 * path does not exist in the transaction), the generation it had in the store when first
 * touched (0 when it was absent), and whether the transaction changed it.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/xenstored/paths.h"
#include "toolstack/xenstored/txn.h"

struct tnode {
	char *path;
	struct node *copy; /* NULL: absent in this transaction */
	uint64_t seen_gen; /* generation in the store when first touched */
	bool seen_absent; /* absent from the store when first touched */
	bool modified, content;
	struct tnode *hnext;
};

static unsigned int hash_str(const char *s)
{
	unsigned int h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

struct txn *txn_new(struct store *st, uint32_t id, unsigned int max_nodes)
{
	struct txn *tx = calloc(1, sizeof(*tx));

	if (!tx)
		return NULL;
	tx->nbuckets = 64;
	tx->buckets = calloc(tx->nbuckets, sizeof(*tx->buckets));
	if (!tx->buckets) {
		free(tx);
		return NULL;
	}
	tx->id = id;
	tx->start_gen = st->gen;
	tx->max_nodes = max_nodes;
	return tx;
}

void txn_free(struct txn *tx)
{
	if (!tx)
		return;
	for (unsigned int i = 0; i < tx->nbuckets; i++) {
		struct tnode *t = tx->buckets[i], *next;

		for (; t; t = next) {
			next = t->hnext;
			node_free(t->copy);
			free(t->path);
			free(t);
		}
	}
	free(tx->buckets);
	free(tx->owned_delta);
	events_clear(&tx->ev);
	free(tx);
}

static struct tnode *tlookup(struct txn *tx, const char *path)
{
	struct tnode *t = tx->buckets[hash_str(path) & (tx->nbuckets - 1)];

	for (; t; t = t->hnext)
		if (!strcmp(t->path, path))
			return t;
	return NULL;
}

static void tgrow(struct txn *tx)
{
	unsigned int nb = tx->nbuckets * 2;
	struct tnode **b = calloc(nb, sizeof(*b));

	if (!b)
		return; /* keep the old, longer chains */
	for (unsigned int i = 0; i < tx->nbuckets; i++) {
		struct tnode *t = tx->buckets[i], *next;

		for (; t; t = next) {
			unsigned int h = hash_str(t->path) & (nb - 1);

			next = t->hnext;
			t->hnext = b[h];
			b[h] = t;
		}
	}
	free(tx->buckets);
	tx->buckets = b;
	tx->nbuckets = nb;
}

/* The overlay entry for path, made on first touch from the store's current state. */
static int touch(struct txn *tx, struct store *st, const char *path, struct tnode **out)
{
	struct tnode *t = tlookup(tx, path);
	const struct node *n;
	unsigned int h;

	if (t) {
		*out = t;
		return 0;
	}
	if (tx->max_nodes && tx->count >= tx->max_nodes)
		return -ENOSPC;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->path = strdup(path);
	n = store_lookup(st, path);
	if (!t->path || (n && !(t->copy = node_clone(n)))) {
		free(t->path);
		free(t);
		return -ENOMEM;
	}
	t->seen_absent = !n;
	if (n) {
		t->seen_gen = n->gen;
		if (n->gen > tx->start_gen)
			tx->doomed = true;
	}
	if (tx->count * 2 >= tx->nbuckets)
		tgrow(tx);
	h = hash_str(path) & (tx->nbuckets - 1);
	t->hnext = tx->buckets[h];
	tx->buckets[h] = t;
	tx->count++;
	*out = t;
	return 0;
}

static void delta(struct txn *tx, unsigned int domid, int d)
{
	if (!tx->owned_delta) {
		tx->owned_delta = calloc(65536, sizeof(*tx->owned_delta));
		if (!tx->owned_delta)
			return; /* only the quota estimate suffers */
	}
	tx->owned_delta[domid & 0xFFFF] += d;
}

long view_owned(struct view *v, unsigned int domid)
{
	long n = v->st->owned[domid & 0xFFFF];

	if (v->tx && v->tx->owned_delta)
		n += v->tx->owned_delta[domid & 0xFFFF];
	return n;
}

int view_get(struct view *v, const char *path, const struct node **out)
{
	struct tnode *t;
	int rc;

	if (!v->tx) {
		*out = store_lookup(v->st, path);
		return *out ? 0 : -ENOENT;
	}
	rc = touch(v->tx, v->st, path, &t);
	if (rc)
		return rc;
	*out = t->copy;
	return t->copy ? 0 : -ENOENT;
}

int view_create(struct view *v, const char *path, const struct perm *perms, uint32_t np,
		const void *val, uint32_t vlen)
{
	char parent_path[PATH_BUF];
	struct tnode *t, *p;
	int rc;

	if (!v->tx)
		return store_create(v->st, path, perms, np, val, vlen);
	path_parent(path, parent_path);
	rc = touch(v->tx, v->st, path, &t);
	if (!rc)
		rc = touch(v->tx, v->st, parent_path, &p);
	if (rc)
		return rc;
	if (t->copy)
		return -EEXIST;
	if (!p->copy)
		return -ENOENT;
	t->copy = node_new(path);
	if (!t->copy)
		return -ENOMEM;
	if (node_set_perms(t->copy, perms, np) || node_set_value(t->copy, val, vlen) ||
	    node_add_child(p->copy, path_basename(path))) {
		node_free(t->copy);
		t->copy = NULL;
		return -ENOMEM;
	}
	t->modified = t->content = true;
	p->modified = true;
	delta(v->tx, perms[0].id, 1);
	return 0;
}

/* The transaction's copy of an existing node: -ENOENT when it does not exist there. */
static int touch_existing(struct view *v, const char *path, struct tnode **t)
{
	int rc = touch(v->tx, v->st, path, t);

	if (!rc && !(*t)->copy)
		rc = -ENOENT;
	return rc;
}

int view_set_value(struct view *v, const char *path, const void *val, uint32_t vlen)
{
	struct tnode *t;
	int rc;

	if (!v->tx) {
		struct node *n = store_lookup(v->st, path);

		return n ? store_set_value(v->st, n, val, vlen) : -ENOENT;
	}
	rc = touch_existing(v, path, &t);
	if (rc)
		return rc;
	rc = node_set_value(t->copy, val, vlen);
	if (!rc)
		t->modified = t->content = true;
	return rc;
}

int view_set_perms(struct view *v, const char *path, const struct perm *perms, uint32_t np)
{
	struct tnode *t;
	unsigned int old_owner;
	int rc;

	if (!v->tx) {
		struct node *n = store_lookup(v->st, path);

		return n ? store_set_perms(v->st, n, perms, np) : -ENOENT;
	}
	rc = touch_existing(v, path, &t);
	if (rc)
		return rc;
	old_owner = t->copy->perms[0].id;
	rc = node_set_perms(t->copy, perms, np);
	if (rc)
		return rc;
	delta(v->tx, old_owner, -1);
	delta(v->tx, perms[0].id, 1);
	t->modified = t->content = true;
	return 0;
}

int view_delete(struct view *v, const char *path)
{
	char parent_path[PATH_BUF];
	struct tnode *t, *p;
	int rc;

	if (!v->tx)
		return store_delete(v->st, path);
	path_parent(path, parent_path);
	rc = touch(v->tx, v->st, path, &t);
	if (!rc)
		rc = touch(v->tx, v->st, parent_path, &p);
	if (rc)
		return rc;
	if (!t->copy)
		return -ENOENT;
	if (t->copy->clen)
		return -EBUSY;
	delta(v->tx, t->copy->perms[0].id, -1);
	node_free(t->copy);
	t->copy = NULL;
	t->modified = true;
	if (p->copy) {
		node_del_child(p->copy, path_basename(path));
		p->modified = true;
	}
	return 0;
}

static bool unchanged(const struct tnode *t, struct store *st)
{
	const struct node *n = store_lookup(st, t->path);

	if (t->seen_absent)
		return n == NULL;
	return n && n->gen == t->seen_gen;
}

static int by_depth(const void *a, const void *b)
{
	const struct tnode *x = *(struct tnode *const *)a, *y = *(struct tnode *const *)b;
	unsigned int dx = path_depth(x->path), dy = path_depth(y->path);

	return dx < dy ? -1 : dx > dy;
}

/* Deletions deepest first, then creations and updates shallowest first. */
static int apply(struct tnode **list, unsigned int n, struct store *st)
{
	for (unsigned int i = n; i-- > 0;)
		if (!list[i]->copy && store_lookup(st, list[i]->path))
			store_delete_tree(st, list[i]->path);
	for (unsigned int i = 0; i < n; i++) {
		struct tnode *t = list[i];
		struct node *cur;
		int rc = 0;

		if (!t->copy || !t->content)
			continue;
		cur = store_lookup(st, t->path);
		if (!cur)
			rc = store_create(st, t->path, t->copy->perms, t->copy->nperms,
					  t->copy->value, t->copy->vlen);
		else if (cur->vlen != t->copy->vlen ||
			 (cur->vlen && memcmp(cur->value, t->copy->value, cur->vlen)))
			rc = store_set_value(st, cur, t->copy->value, t->copy->vlen);
		if (!rc && cur &&
		    (cur->nperms != t->copy->nperms ||
		     memcmp(cur->perms, t->copy->perms, cur->nperms * sizeof(struct perm))))
			rc = store_set_perms(st, cur, t->copy->perms, t->copy->nperms);
		if (rc)
			return rc;
	}
	/* Same children as the transaction saw; keep its order (creation order). */
	for (unsigned int i = 0; i < n; i++) {
		struct node *cur = list[i]->copy ? store_lookup(st, list[i]->path) : NULL;

		if (cur && cur->clen == list[i]->copy->clen && cur->clen)
			memcpy(cur->children, list[i]->copy->children, cur->clen);
	}
	return 0;
}

int txn_commit(struct txn *tx, struct store *st)
{
	struct tnode **list;
	unsigned int n = 0;
	int rc;

	if (tx->doomed)
		return -EAGAIN;
	list = malloc((tx->count + 1) * sizeof(*list));
	if (!list)
		return -ENOMEM;
	for (unsigned int i = 0; i < tx->nbuckets; i++) {
		for (struct tnode *t = tx->buckets[i]; t; t = t->hnext) {
			if (!unchanged(t, st)) {
				free(list);
				return -EAGAIN;
			}
			if (t->modified)
				list[n++] = t;
		}
	}
	qsort(list, n, sizeof(*list), by_depth);
	rc = apply(list, n, st);
	free(list);
	return rc;
}
