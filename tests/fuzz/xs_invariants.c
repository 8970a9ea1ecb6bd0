// SPDX-License-Identifier: GPL-2.0
/*
 * What must hold in the committed store whatever clients did: every node but the root
 * is listed exactly once by an existing parent, every listed child exists, paths are
 * valid, every node has an owner, and the per-domain owner counts and the byte count
 * match the nodes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/xs_invariants.h"
#include "toolstack/xenstored/paths.h"

#define FAIL_IF(cond, ...)                                          \
	do {                                                        \
		if (cond) {                                         \
			fprintf(stderr, "invariant: " __VA_ARGS__); \
			fprintf(stderr, "\n");                      \
			abort();                                    \
		}                                                   \
	} while (0)

static void check_node(const struct store *st, const struct node *n, size_t *listed,
		       uint32_t *owned)
{
	char parent[PATH_BUF], child[PATH_BUF];
	const struct node *p;

	FAIL_IF(!path_valid(n->path, 0), "bad path %s", n->path);
	FAIL_IF(!n->nperms || !n->perms, "no owner: %s", n->path);
	owned[n->perms[0].id]++; /* callers bound ids to < 256 unless full */
	if (strcmp(n->path, "/")) {
		path_parent(n->path, parent);
		p = store_lookup(st, parent);
		FAIL_IF(!p, "orphan %s", n->path);
		FAIL_IF(!node_has_child(p, path_basename(n->path)), "%s not listed", n->path);
	}
	FAIL_IF(n->clen > n->ccap || (n->clen && n->children[n->clen - 1]), "child list %s",
		n->path);
	for (uint32_t off = 0; off < n->clen;) {
		const char *name = n->children + off;

		snprintf(child, sizeof(child), "%s/%s", strcmp(n->path, "/") ? n->path : "", name);
		FAIL_IF(!store_lookup(st, child), "listed child %s missing", child);
		off += (uint32_t)strlen(name) + 1;
		(*listed)++;
	}
}

void xs_check_invariants(const struct store *st, bool full)
{
	static uint32_t owned[65536];
	size_t count = 0, listed = 0, bytes = 0;

	memset(owned, 0, full ? sizeof(owned) : 256 * sizeof(owned[0]));
	FAIL_IF(!store_lookup(st, "/"), "no root");
	for (size_t i = 0; i < st->nbuckets; i++) {
		for (const struct node *n = st->buckets[i]; n; n = n->hnext) {
			check_node(st, n, &listed, owned);
			bytes += node_bytes(n);
			count++;
		}
	}
	FAIL_IF(count != st->count, "count %zu != %zu", count, st->count);
	FAIL_IF(listed + 1 != count, "%zu listed for %zu nodes (duplicates?)", listed, count);
	FAIL_IF(bytes != st->bytes, "bytes %zu != %zu", bytes, st->bytes);
	for (size_t i = 0; i < (full ? 65536u : 256u); i++)
		FAIL_IF(owned[i] != st->owned[i], "domain %zu owns %u, counted %u", i, owned[i],
			st->owned[i]);
}
