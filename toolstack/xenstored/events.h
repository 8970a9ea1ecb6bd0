/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Change events produced by store operations, fired at watches once the change is
 * committed (immediately outside a transaction, at commit inside one). Each keeps a
 * copy of the node's permissions as they were, so a watcher that could not read the
 * node is not told about it (xenstore.txt, WATCH).
 */
#ifndef XENSTORED_EVENTS_H
#define XENSTORED_EVENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "toolstack/xenstored/perms.h"

struct event {
	char *path;
	bool recursive; /* a removal: watches below the path fire too */
	uint32_t nperms;
	struct perm *perms;
};

struct events {
	struct event *v;
	unsigned int n, cap;
};

int events_add(struct events *e, const char *path, bool recursive, const struct perm *p,
	       uint32_t np);
/* Moves every event of src to the end of dst. */
int events_splice(struct events *dst, struct events *src);
void events_clear(struct events *e);

#endif
