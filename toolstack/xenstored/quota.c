// SPDX-License-Identifier: GPL-2.0
/* Quota defaults (Xen 4.17 xenstored) and their names for -Q and CONTROL quota. */
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/xenstored/quota.h"

struct quota_name {
	const char *name;
	size_t off;
};

static const struct quota_name names[] = {
	{ "nodes", offsetof(struct quota, entries) },
	{ "node-size", offsetof(struct quota, node_size) },
	{ "watches", offsetof(struct quota, watches) },
	{ "transactions", offsetof(struct quota, transactions) },
	{ "node-permissions", offsetof(struct quota, perms) },
	{ "path-length", offsetof(struct quota, path_max) },
	{ "transaction-nodes", offsetof(struct quota, txn_nodes) },
	{ "outstanding", offsetof(struct quota, outstanding) },
	{ "memory", offsetof(struct quota, memory) },
};

void quota_defaults(struct quota *q)
{
	q->entries = 1000;
	q->node_size = 2048;
	q->watches = 128;
	q->transactions = 10;
	q->perms = 5;
	q->path_max = 2048; /* XENSTORE_REL_PATH_MAX */
	q->txn_nodes = 1024;
	q->outstanding = 20;
	q->memory = 2 * 1024 * 1024 + 512 * 1024;
}

int quota_set(struct quota *q, const char *name, unsigned long val)
{
	if (val < 1 || val > 0x7fffffff)
		return -EINVAL;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		if (!strcmp(name, names[i].name)) {
			*(unsigned int *)((char *)q + names[i].off) = (unsigned int)val;
			return 0;
		}
	}
	return -EINVAL;
}

int quota_parse_assign(struct quota *q, const char *arg)
{
	char name[32];
	const char *eq = strchr(arg, '=');
	unsigned long val;
	char *end;

	if (!eq || (size_t)(eq - arg) >= sizeof(name) || !eq[1])
		return -EINVAL;
	memcpy(name, arg, (size_t)(eq - arg));
	name[eq - arg] = '\0';
	errno = 0;
	val = strtoul(eq + 1, &end, 10);
	if (errno || *end)
		return -EINVAL;
	return quota_set(q, name, val);
}

int quota_format(const struct quota *q, char *out, unsigned long outsz)
{
	size_t off = 0;

	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		unsigned int v = *(const unsigned int *)((const char *)q + names[i].off);
		int w = snprintf(out + off, outsz > off ? outsz - off : 0, "%-18s: %u\n",
				 names[i].name, v);

		if (w < 0)
			return -EINVAL;
		off += (size_t)w;
	}
	return (int)off;
}
