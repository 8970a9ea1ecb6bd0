// SPDX-License-Identifier: GPL-2.0
/*
 * Operation semantics. Access to a missing node is answered as Xen does: ENOENT if the
 * caller may read the nearest existing ancestor, EACCES otherwise, so that existence
 * does not leak through unreadable directories. Creating a node needs write access to
 * the nearest existing ancestor; new nodes inherit their parent's permissions, and an
 * unprivileged creator becomes the owner.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/xenstored/ops.h"
#include "toolstack/xenstored/paths.h"

static bool quota_applies(const struct op_ctx *c)
{
	return !c->who->privileged;
}

/* Nearest existing ancestor (the root always exists). */
static int nearest(struct op_ctx *c, const char *path, const struct node **out,
		   unsigned int *missing)
{
	char cur[PATH_BUF];
	unsigned int levels = 0;
	int rc;

	snprintf(cur, sizeof(cur), "%s", path);
	for (;;) {
		rc = view_get(c->v, cur, out);
		if (rc != -ENOENT)
			break;
		if (!strcmp(cur, "/"))
			return -EIO; /* a store without a root is corrupt */
		levels++;
		path_parent(cur, cur);
	}
	if (missing)
		*missing = levels;
	return rc;
}

/* Looks up path needing want; the ENOENT/EACCES rule for missing nodes. */
static int access_node(struct op_ctx *c, const char *path, unsigned int want,
		       const struct node **out)
{
	const struct node *n, *anc;
	int rc = view_get(c->v, path, &n);

	if (rc == 0) {
		if ((perms_for(c->who, n->perms, n->nperms) & want) != want)
			return -EACCES;
		*out = n;
		return 0;
	}
	if (rc != -ENOENT)
		return rc;
	rc = nearest(c, path, &anc, NULL);
	if (rc)
		return rc;
	return perms_for(c->who, anc->perms, anc->nperms) & PERM_READ ? -ENOENT : -EACCES;
}

int op_read(struct op_ctx *c, const char *path, const struct node **out)
{
	return access_node(c, path, PERM_READ, out);
}

int op_directory(struct op_ctx *c, const char *path, const struct node **out)
{
	return access_node(c, path, PERM_READ, out);
}

int op_get_perms(struct op_ctx *c, const char *path, const struct node **out)
{
	return access_node(c, path, PERM_READ, out);
}

static size_t perms_size(uint32_t np)
{
	return np * 7; /* letter + up to 5 digits + NUL, as sent on the wire */
}

static bool too_big(const struct op_ctx *c, uint32_t vlen, uint32_t clen, uint32_t np)
{
	return quota_applies(c) && vlen + clen + perms_size(np) > c->q->node_size;
}

/* Creates path and its missing parents, each inheriting from the one above. */
static int create_chain(struct op_ctx *c, const char *path, const void *val, uint32_t vlen)
{
	char cur[PATH_BUF];
	const struct node *anc;
	struct perm *perms;
	unsigned int missing, i;
	uint32_t np;
	int rc = nearest(c, path, &anc, &missing);

	if (rc)
		return rc;
	if (!(perms_for(c->who, anc->perms, anc->nperms) & PERM_WRITE))
		return -EACCES;
	if (quota_applies(c) && view_owned(c->v, c->who->domid) + missing > (long)c->q->entries)
		return -ENOSPC;
	np = anc->nperms;
	perms = malloc(np * sizeof(*perms));
	if (!perms)
		return -ENOMEM;
	memcpy(perms, anc->perms, np * sizeof(*perms));
	if (!c->who->privileged)
		perms[0].id = (uint16_t)c->who->domid;
	/* Build from the top: the prefix of path that is i levels below anc. */
	for (i = missing; i-- > 0;) {
		const char *end = path + strlen(path);
		bool last = i == 0;

		for (unsigned int up = 0; up < i; up++)
			while (end > path && *--end != '/')
				;
		snprintf(cur, sizeof(cur), "%.*s", (int)(end - path), path);
		rc = view_create(c->v, cur, perms, np, last ? val : NULL, last ? vlen : 0);
		if (rc)
			break;
	}
	free(perms);
	return rc;
}

int op_write(struct op_ctx *c, const char *path, const void *val, uint32_t vlen)
{
	const struct node *n;
	int rc = access_node(c, path, PERM_WRITE, &n);

	if (rc == 0) {
		if (too_big(c, vlen, n->clen, n->nperms))
			return -ENOSPC;
		rc = view_set_value(c->v, path, val, vlen);
	} else if (rc == -ENOENT) {
		if (too_big(c, vlen, 0, 1))
			return -ENOSPC;
		rc = create_chain(c, path, val, vlen);
	}
	if (rc)
		return rc;
	rc = view_get(c->v, path, &n);
	return rc ? rc : events_add(c->ev, path, false, n->perms, n->nperms);
}

int op_mkdir(struct op_ctx *c, const char *path)
{
	const struct node *n;
	int rc = access_node(c, path, PERM_WRITE, &n);

	if (rc != -ENOENT)
		return rc; /* exists (fine, unchanged) or an error */
	rc = create_chain(c, path, NULL, 0);
	if (rc)
		return rc;
	rc = view_get(c->v, path, &n);
	return rc ? rc : events_add(c->ev, path, false, n->perms, n->nperms);
}

/* Deletes the subtree below and including path, children first. */
static int delete_tree(struct view *v, const char *path)
{
	char child[PATH_BUF];
	const struct node *n;
	int rc = view_get(v, path, &n);

	while (!rc && n->clen) {
		int len = snprintf(child, sizeof(child), "%s/%s", path, n->children);

		if (len < 0 || (size_t)len >= sizeof(child))
			return -EIO;
		rc = delete_tree(v, child);
		if (!rc)
			rc = view_get(v, path, &n);
	}
	return rc ? rc : view_delete(v, path);
}

int op_rm(struct op_ctx *c, const char *path)
{
	char parent[PATH_BUF];
	const struct node *n;
	struct perm *saved;
	uint32_t np;
	int rc;

	if (!strcmp(path, "/"))
		return -EINVAL;
	rc = access_node(c, path, PERM_WRITE, &n);
	if (rc == -ENOENT) {
		/* Fine if absent, an error if the parent is absent too. */
		path_parent(path, parent);
		return view_get(c->v, parent, &n);
	}
	if (rc)
		return rc;
	np = n->nperms;
	saved = malloc(np * sizeof(*saved));
	if (!saved)
		return -ENOMEM;
	memcpy(saved, n->perms, np * sizeof(*saved));
	rc = delete_tree(c->v, path);
	if (!rc)
		rc = events_add(c->ev, path, true, saved, np);
	free(saved);
	return rc;
}

int op_set_perms(struct op_ctx *c, const char *path, const struct perm *p, uint32_t np)
{
	const struct node *n;
	int rc;

	if (quota_applies(c) && np > c->q->perms)
		return -ENOSPC;
	rc = access_node(c, path, PERM_WRITE | PERM_OWNER, &n);
	if (rc)
		return rc;
	/* A guest may share its node but not give it away (Xen: EPERM). */
	if (!c->who->privileged && p[0].id != n->perms[0].id)
		return -EPERM;
	rc = view_set_perms(c->v, path, p, np);
	return rc ? rc : events_add(c->ev, path, false, p, np);
}

struct owned_list {
	unsigned int domid;
	char **paths;
	size_t n, cap;
};

static int list_add(struct owned_list *l, const char *path)
{
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **p = realloc(l->paths, cap * sizeof(*p));

		if (!p)
			return -ENOMEM;
		l->paths = p;
		l->cap = cap;
	}
	l->paths[l->n] = strdup(path);
	return l->paths[l->n++] ? 0 : -ENOMEM;
}

static int collect_owned(struct store *st, struct node *n, void *arg)
{
	struct owned_list *l = arg;

	if (n->perms[0].id != l->domid || !strcmp(n->path, "/"))
		return 0;
	return list_add(l, n->path);
}

/* Nodes whose ACL (entries after the owner's) names l->domid. */
static int collect_acl(struct store *st, struct node *n, void *arg)
{
	struct owned_list *l = arg;

	for (uint32_t i = 1; i < n->nperms; i++)
		if (n->perms[i].id == l->domid)
			return list_add(l, n->path);
	return 0;
}

/*
 * A released domain's ACL entries are removed everywhere, so that a later domain
 * reusing the id inherits nothing (Xen 4.17 ignores such stale entries; XSA-322).
 */
static int revoke_acl(struct store *st, unsigned int domid)
{
	struct owned_list l = { .domid = domid };
	int rc = store_walk(st, "/", collect_acl, &l);

	for (size_t i = 0; i < l.n; i++) {
		struct node *n = store_lookup(st, l.paths[i]);
		struct perm *p = n ? malloc(n->nperms * sizeof(*p)) : NULL;
		uint32_t np = 0;

		if (!rc && n && !p)
			rc = -ENOMEM;
		if (!rc && p) {
			for (uint32_t k = 0; k < n->nperms; k++)
				if (!k || n->perms[k].id != domid)
					p[np++] = n->perms[k];
			rc = store_set_perms(st, n, p, np);
		}
		free(p);
		free(l.paths[i]);
	}
	free(l.paths);
	return rc;
}

int op_drop_domain_nodes(struct store *st, unsigned int domid, bool keep, struct events *ev)
{
	struct owned_list l = { .domid = domid };
	int rc = store_walk(st, "/", collect_owned, &l);

	for (size_t i = 0; i < l.n; i++) {
		struct node *n = store_lookup(st, l.paths[i]);

		if (!rc && n && keep) {
			struct perm *p = malloc(n->nperms * sizeof(*p));

			if (!p) {
				rc = -ENOMEM;
			} else {
				memcpy(p, n->perms, n->nperms * sizeof(*p));
				p[0].id = 0; /* orphans go to dom0, as Xen's -K does */
				rc = store_set_perms(st, n, p, n->nperms);
				free(p);
			}
		} else if (!rc && n) {
			rc = events_add(ev, n->path, true, n->perms, n->nperms);
			if (!rc)
				rc = store_delete_tree(st, l.paths[i]);
		}
		free(l.paths[i]);
	}
	free(l.paths);
	return rc ? rc : revoke_acl(st, domid);
}
