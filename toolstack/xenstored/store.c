// SPDX-License-Identifier: GPL-2.0
/*
 * The committed node tree. A chained hash table keyed by path gives O(1) lookup; the
 * tree shape lives in each node's child-name list, exactly the DIRECTORY payload.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/xenstored/paths.h"
#include "toolstack/xenstored/store.h"

static uint64_t hash_path(const char *s)
{
	uint64_t h = 1469598103934665603ull;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ull;
	return h;
}

struct node *node_new(const char *path)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->path = strdup(path);
	if (!n->path) {
		free(n);
		return NULL;
	}
	return n;
}

void node_free(struct node *n)
{
	if (!n)
		return;
	free(n->path);
	free(n->value);
	free(n->perms);
	free(n->children);
	free(n);
}

int node_set_value(struct node *n, const void *val, uint32_t vlen)
{
	char *v = NULL;

	if (vlen) {
		v = malloc(vlen);
		if (!v)
			return -ENOMEM;
		memcpy(v, val, vlen);
	}
	free(n->value);
	n->value = v;
	n->vlen = vlen;
	return 0;
}

int node_set_perms(struct node *n, const struct perm *perms, uint32_t nperms)
{
	struct perm *p = malloc(nperms * sizeof(*p));

	if (!p)
		return -ENOMEM;
	memcpy(p, perms, nperms * sizeof(*p));
	free(n->perms);
	n->perms = p;
	n->nperms = nperms;
	return 0;
}

struct node *node_clone(const struct node *src)
{
	struct node *n = node_new(src->path);

	if (!n)
		return NULL;
	if (node_set_value(n, src->value, src->vlen) || node_set_perms(n, src->perms, src->nperms))
		goto fail;
	if (src->clen) {
		n->children = malloc(src->clen);
		if (!n->children)
			goto fail;
		memcpy(n->children, src->children, src->clen);
		n->clen = n->ccap = src->clen;
	}
	n->gen = src->gen;
	return n;
fail:
	node_free(n);
	return NULL;
}

int node_add_child(struct node *n, const char *name)
{
	uint32_t len = (uint32_t)strlen(name) + 1;

	if (n->clen + len > n->ccap) {
		uint32_t cap = n->ccap ? n->ccap * 2 : 64;
		char *c;

		while (cap < n->clen + len)
			cap *= 2;
		c = realloc(n->children, cap);
		if (!c)
			return -ENOMEM;
		n->children = c;
		n->ccap = cap;
	}
	memcpy(n->children + n->clen, name, len);
	n->clen += len;
	return 0;
}

static char *find_child(const struct node *n, const char *name)
{
	for (uint32_t off = 0; off < n->clen;) {
		char *c = n->children + off;
		size_t len = strlen(c) + 1;

		if (!strcmp(c, name))
			return c;
		off += (uint32_t)len;
	}
	return NULL;
}

bool node_has_child(const struct node *n, const char *name)
{
	return find_child(n, name) != NULL;
}

void node_del_child(struct node *n, const char *name)
{
	char *c = find_child(n, name);
	uint32_t len, off;

	if (!c)
		return;
	len = (uint32_t)strlen(c) + 1;
	off = (uint32_t)(c - n->children);
	memmove(c, c + len, n->clen - off - len);
	n->clen -= len;
}

size_t node_bytes(const struct node *n)
{
	return sizeof(*n) + strlen(n->path) + 1 + n->vlen + n->ccap +
	       n->nperms * sizeof(struct perm);
}

static int grow(struct store *st)
{
	size_t nb = st->nbuckets ? st->nbuckets * 2 : 1024;
	struct node **b = calloc(nb, sizeof(*b));

	if (!b)
		return -ENOMEM;
	for (size_t i = 0; i < st->nbuckets; i++) {
		struct node *n = st->buckets[i], *next;

		for (; n; n = next) {
			size_t h = hash_path(n->path) & (nb - 1);

			next = n->hnext;
			n->hnext = b[h];
			b[h] = n;
		}
	}
	free(st->buckets);
	st->buckets = b;
	st->nbuckets = nb;
	return 0;
}

struct node *store_lookup(const struct store *st, const char *path)
{
	struct node *n = st->buckets[hash_path(path) & (st->nbuckets - 1)];

	for (; n; n = n->hnext)
		if (!strcmp(n->path, path))
			return n;
	return NULL;
}

static void index_insert(struct store *st, struct node *n)
{
	size_t h = hash_path(n->path) & (st->nbuckets - 1);

	n->hnext = st->buckets[h];
	st->buckets[h] = n;
	st->count++;
	st->bytes += node_bytes(n);
	if (n->nperms)
		st->owned[n->perms[0].id]++;
}

static void index_remove(struct store *st, struct node *n)
{
	struct node **pp = &st->buckets[hash_path(n->path) & (st->nbuckets - 1)];

	for (; *pp; pp = &(*pp)->hnext) {
		if (*pp == n) {
			*pp = n->hnext;
			break;
		}
	}
	st->count--;
	st->bytes -= node_bytes(n);
	if (n->nperms)
		st->owned[n->perms[0].id]--;
}

static void changed(struct store *st, struct node *n, enum store_change what)
{
	n->gen = ++st->gen;
	if (st->hook)
		st->hook(st->hook_opaque, what, n);
}

int store_init(struct store *st)
{
	static const struct perm root_perm = { .id = 0, .bits = PERM_NONE };
	struct node *root;

	memset(st, 0, sizeof(*st));
	st->owned = calloc(65536, sizeof(*st->owned));
	if (!st->owned || grow(st))
		goto fail;
	root = node_new("/");
	if (!root || node_set_perms(root, &root_perm, 1)) {
		node_free(root);
		goto fail;
	}
	index_insert(st, root);
	return 0;
fail:
	free(st->owned);
	free(st->buckets);
	return -ENOMEM;
}

void store_destroy(struct store *st)
{
	for (size_t i = 0; i < st->nbuckets; i++) {
		struct node *n = st->buckets[i], *next;

		for (; n; n = next) {
			next = n->hnext;
			node_free(n);
		}
	}
	free(st->buckets);
	free(st->owned);
	memset(st, 0, sizeof(*st));
}

int store_create(struct store *st, const char *path, const struct perm *perms, uint32_t nperms,
		 const void *val, uint32_t vlen)
{
	char parent_path[PATH_BUF];
	struct node *parent, *n;
	int rc = -ENOMEM;

	if (store_lookup(st, path))
		return -EEXIST;
	path_parent(path, parent_path);
	parent = store_lookup(st, parent_path);
	if (!parent)
		return -ENOENT;
	if (st->count * 2 >= st->nbuckets && grow(st))
		return -ENOMEM;
	n = node_new(path);
	if (!n || node_set_perms(n, perms, nperms) || node_set_value(n, val, vlen))
		goto fail;
	st->bytes -= node_bytes(parent);
	rc = node_add_child(parent, path_basename(path));
	st->bytes += node_bytes(parent);
	if (rc)
		goto fail;
	index_insert(st, n);
	parent->gen = ++st->gen;
	changed(st, n, STORE_SET);
	return 0;
fail:
	node_free(n);
	return rc;
}

int store_set_value(struct store *st, struct node *n, const void *val, uint32_t vlen)
{
	size_t before = node_bytes(n);
	int rc = node_set_value(n, val, vlen);

	st->bytes += node_bytes(n) - before;
	if (!rc)
		changed(st, n, STORE_SET);
	return rc;
}

int store_set_perms(struct store *st, struct node *n, const struct perm *perms, uint32_t nperms)
{
	size_t before = node_bytes(n);
	unsigned int old_owner = n->perms[0].id;
	int rc = node_set_perms(n, perms, nperms);

	st->bytes += node_bytes(n) - before;
	if (rc)
		return rc;
	st->owned[old_owner]--;
	st->owned[n->perms[0].id]++;
	changed(st, n, STORE_SET);
	return 0;
}

int store_delete(struct store *st, const char *path)
{
	char parent_path[PATH_BUF];
	struct node *n = store_lookup(st, path), *parent;

	if (!n)
		return -ENOENT;
	if (!strcmp(path, "/") || n->clen)
		return -EBUSY;
	path_parent(path, parent_path);
	parent = store_lookup(st, parent_path);
	if (parent) {
		node_del_child(parent, path_basename(path));
		parent->gen = ++st->gen;
	}
	index_remove(st, n);
	changed(st, n, STORE_DEL);
	node_free(n);
	return 0;
}

int store_delete_tree(struct store *st, const char *path)
{
	char child[PATH_BUF];
	struct node *n = store_lookup(st, path);

	if (!n)
		return -ENOENT;
	while (n->clen) {
		int len = snprintf(child, sizeof(child), "%s/%s", strcmp(path, "/") ? path : "",
				   n->children);

		if (len < 0 || (size_t)len >= sizeof(child))
			return -EINVAL;
		store_delete_tree(st, child);
		/* A child that vanished from the index must still leave the list. */
		if (n->clen && !strcmp(n->children, path_basename(child)) &&
		    !store_lookup(st, child))
			node_del_child(n, n->children);
	}
	if (!strcmp(path, "/"))
		return 0;
	return store_delete(st, path);
}

static int walk(struct store *st, struct node *n,
		int (*fn)(struct store *st, struct node *n, void *arg), void *arg)
{
	char child[PATH_BUF];
	int rc = fn(st, n, arg);

	if (rc)
		return rc;
	for (uint32_t off = 0; off < n->clen;) {
		const char *name = n->children + off;
		struct node *c;
		int len = snprintf(child, sizeof(child), "%s/%s",
				   strcmp(n->path, "/") ? n->path : "", name);

		off += (uint32_t)strlen(name) + 1;
		if (len < 0 || (size_t)len >= sizeof(child))
			continue;
		c = store_lookup(st, child);
		if (c) {
			rc = walk(st, c, fn, arg);
			if (rc)
				return rc;
		}
	}
	return 0;
}

int store_walk(struct store *st, const char *root,
	       int (*fn)(struct store *st, struct node *n, void *arg), void *arg)
{
	struct node *n = store_lookup(st, root);

	return n ? walk(st, n, fn, arg) : -ENOENT;
}
