/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Quotas and limits, with Xen 4.17's option letters and defaults. They bind unprivileged
 * domains only, as in Xen: the privileged domain is never refused for quota.
 */
#ifndef XENSTORED_QUOTA_H
#define XENSTORED_QUOTA_H

#include <stdbool.h>

struct quota {
	unsigned int entries; /* -E: nodes owned per domain */
	unsigned int node_size; /* -S: value + children names + perms of one node */
	unsigned int watches; /* -W: watches per domain */
	unsigned int transactions; /* -t: open transactions per domain */
	unsigned int perms; /* -A: permission entries per node */
	unsigned int path_max; /* -M: path length below /local/domain/N */
	unsigned int txn_nodes; /* -Q transaction-nodes: nodes touched per transaction */
	unsigned int outstanding; /* -Q outstanding: requests queued per domain */
	unsigned int memory; /* -Q memory: undelivered output bytes per guest */
};

void quota_defaults(struct quota *q);
/* "name=value" as -Q takes it. Returns 0 or -EINVAL. */
int quota_parse_assign(struct quota *q, const char *arg);
/* Sets one quota by its -Q name. Returns 0 or -EINVAL. */
int quota_set(struct quota *q, const char *name, unsigned long val);
/* Writes "name: value" lines. Returns the length (snprintf-like). */
int quota_format(const struct quota *q, char *out, unsigned long outsz);

#endif
