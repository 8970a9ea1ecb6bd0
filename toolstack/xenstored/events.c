// SPDX-License-Identifier: GPL-2.0
/* The pending-event list: a growable array, cleared once fired. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/xenstored/events.h"

static int reserve(struct events *e, unsigned int more)
{
	unsigned int cap = e->cap ? e->cap : 8;
	struct event *v;

	if (e->n + more <= e->cap)
		return 0;
	while (cap < e->n + more)
		cap *= 2;
	v = realloc(e->v, cap * sizeof(*v));
	if (!v)
		return -ENOMEM;
	e->v = v;
	e->cap = cap;
	return 0;
}

int events_add(struct events *e, const char *path, bool recursive, const struct perm *p,
	       uint32_t np)
{
	struct event *ev;

	if (reserve(e, 1))
		return -ENOMEM;
	ev = &e->v[e->n];
	ev->path = strdup(path);
	ev->perms = np ? malloc(np * sizeof(*p)) : NULL;
	if (!ev->path || (np && !ev->perms)) {
		free(ev->path);
		free(ev->perms);
		return -ENOMEM;
	}
	if (np)
		memcpy(ev->perms, p, np * sizeof(*p));
	ev->nperms = np;
	ev->recursive = recursive;
	e->n++;
	return 0;
}

int events_splice(struct events *dst, struct events *src)
{
	if (!src->n)
		return 0;
	if (reserve(dst, src->n))
		return -ENOMEM;
	memcpy(dst->v + dst->n, src->v, src->n * sizeof(*src->v));
	dst->n += src->n;
	src->n = 0;
	return 0;
}

void events_clear(struct events *e)
{
	for (unsigned int i = 0; i < e->n; i++) {
		free(e->v[i].path);
		free(e->v[i].perms);
	}
	free(e->v);
	memset(e, 0, sizeof(*e));
}
