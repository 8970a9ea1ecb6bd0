/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Node permissions: entry 0 names the owner and the access of every domain not listed;
 * entries 1.. are per-domain ACL entries ("n", "r", "w", "b" + domid, xenstore.txt).
 */
#ifndef XENSTORED_PERMS_H
#define XENSTORED_PERMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PERM_NONE 0u
#define PERM_READ 1u
#define PERM_WRITE 2u
#define PERM_OWNER 4u /* never stored: computed for the owner and the privileged */

/* DOMID_FIRST_RESERVED in xen.h; domids at or above are not real domains. */
#define DOMID_LIMIT 0x7FF0u

struct perm {
	uint16_t id;
	uint8_t bits;
};

/* Who is asking: a connection's domain, its SET_TARGET delegation and privilege. */
struct caller {
	unsigned int domid;
	int target; /* -1: none */
	bool privileged;
};

/*
 * Parses a NUL-separated list of n perm strings from buf (len bytes) into out (room for
 * max entries). Returns the number of entries, or -EINVAL.
 */
int perms_parse(const char *buf, size_t len, struct perm *out, unsigned int max);

/* Formats perms as NUL-separated strings. Returns the bytes written, or -E2BIG. */
int perms_format(const struct perm *p, unsigned int n, char *out, size_t outsz);

/* The access (PERM_* bits) caller has on a node with these perms (Xen's rules). */
unsigned int perms_for(const struct caller *c, const struct perm *p, unsigned int n);

#endif
