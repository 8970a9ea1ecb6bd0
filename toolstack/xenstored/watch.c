// SPDX-License-Identifier: GPL-2.0
/*
 * Watches (xenstore.txt, WATCH): a change at path P fires every watch whose path is
 * a parent of P (or P itself), with P as the event path; a removal also fires watches
 * below the removed node, with their own path. Relative watches get relative event
 * paths. Events go to the connection's queue in the order the changes happened.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/xenstored/daemon.h"
#include "toolstack/xenstored/paths.h"

struct watch {
	char *path; /* absolute, or a special '@' name */
	char *token;
	bool relative;
	struct watch *next;
};

static void send_event(struct xsd *d, struct conn *c, const struct watch *w, const char *epath)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg h = { .type = XS_WATCH_EVENT };
	size_t plen, tlen;

	/* A relative watch was made under /local/domain/N/: strip that prefix back. */
	if (w->relative && epath[0] == '/') {
		char home[32];
		size_t hl;

		path_domain_home(c->who.domid, home, sizeof(home));
		hl = strlen(home);
		if (!strncmp(epath, home, hl) && epath[hl] == '/')
			epath += hl + 1;
	}
	plen = strlen(epath) + 1;
	tlen = strlen(w->token) + 1;
	if (plen + tlen > sizeof(buf))
		return; /* cannot be framed; Xen drops such events too */
	memcpy(buf, epath, plen);
	memcpy(buf + plen, w->token, tlen);
	h.len = (uint32_t)(plen + tlen);
	trace_msg(d, c, true, &h, buf);
	if (conn_queue(c, XS_WATCH_EVENT, 0, 0, buf, plen + tlen))
		c->dead = true;
	conn_check_backlog(d, c);
}

int watch_add(struct xsd *d, struct conn *c, const char *wpath, const char *token, bool relative)
{
	struct watch *w, **tail;

	for (tail = &c->watches; *tail; tail = &(*tail)->next)
		if (!strcmp((*tail)->path, wpath) && !strcmp((*tail)->token, token))
			return -EEXIST;
	if (!c->who.privileged && c->nwatches >= d->q.watches)
		return -E2BIG;
	w = calloc(1, sizeof(*w));
	if (!w)
		return -ENOMEM;
	w->path = strdup(wpath);
	w->token = strdup(token);
	if (!w->path || !w->token) {
		free(w->path);
		free(w->token);
		free(w);
		return -ENOMEM;
	}
	w->relative = relative;
	*tail = w;
	c->nwatches++;
	return 0;
}

void watch_initial(struct xsd *d, struct conn *c, const char *wpath, const char *token)
{
	for (struct watch *w = c->watches; w; w = w->next)
		if (!strcmp(w->path, wpath) && !strcmp(w->token, token))
			send_event(d, c, w, wpath);
}

static void watch_free(struct watch *w)
{
	free(w->path);
	free(w->token);
	free(w);
}

int watch_remove(struct conn *c, const char *wpath, const char *token)
{
	for (struct watch **pp = &c->watches; *pp; pp = &(*pp)->next) {
		struct watch *w = *pp;

		if (!strcmp(w->path, wpath) && !strcmp(w->token, token)) {
			*pp = w->next;
			watch_free(w);
			c->nwatches--;
			return 0;
		}
	}
	return -ENOENT;
}

void watch_remove_all(struct conn *c)
{
	while (c->watches) {
		struct watch *w = c->watches;

		c->watches = w->next;
		watch_free(w);
	}
	c->nwatches = 0;
}

static const char *match(const struct watch *w, const struct event *ev)
{
	if (path_is_special(ev->path) || path_is_special(w->path))
		return strcmp(ev->path, w->path) ? NULL : ev->path;
	if (path_is_child(ev->path, w->path))
		return ev->path;
	if (ev->recursive && path_is_child(w->path, ev->path))
		return w->path;
	return NULL;
}

void watch_fire(struct xsd *d, struct events *ev)
{
	for (unsigned int i = 0; i < ev->n; i++) {
		const struct event *e = &ev->v[i];

		for (struct conn *c = d->conns; c; c = c->next) {
			if (c->dead || !c->watches)
				continue;
			if (!(perms_for(&c->who, e->perms, e->nperms) & PERM_READ))
				continue;
			for (struct watch *w = c->watches; w; w = w->next) {
				const char *epath = match(w, e);

				if (epath)
					send_event(d, c, w, epath);
			}
		}
	}
	events_clear(ev);
}

void watch_fire_special(struct xsd *d, const char *name)
{
	struct events ev = { 0 };
	int i = strcmp(name, "@introduceDomain") ? 1 : 0;

	if (!events_add(&ev, name, false, &d->special_perms[i], 1))
		watch_fire(d, &ev);
	events_clear(&ev);
}
