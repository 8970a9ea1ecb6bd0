/* SPDX-License-Identifier: GPL-2.0 */
/*
 * xenstore path rules (docs/misc/xenstore.txt): absolute paths, domain-relative
 * paths, the allowed characters, the length limits and the special '@' watch names.
 */
#ifndef XENSTORED_PATHS_H
#define XENSTORED_PATHS_H

#include <stdbool.h>
#include <stddef.h>

/* Longest absolute path we ever hold, including the NUL (xs_wire.h's limit). */
#define PATH_BUF 3073

/*
 * Turns a client-supplied path into an absolute one: "/..." is kept, "x/y" becomes
 * "/local/domain/<domid>/x/y". @path_max is the -M quota (length allowed after a
 * "/local/domain/N/" prefix); 0 means no quota (the privileged domain).
 * Returns 0, or -EINVAL for a path that breaks the rules.
 */
int path_canonicalize(const char *in, unsigned int domid, size_t path_max, char *out, size_t outsz);

/* The rules alone, on an absolute path. */
bool path_valid(const char *path, size_t path_max);

/* "@introduceDomain" and friends: any '@' name is a special watch path. */
bool path_is_special(const char *path);

/* xenstore.txt's "child": equal, or parent is "/", or "parent/" prefixes child. */
bool path_is_child(const char *child, const char *parent);

/* Writes the parent of a non-root absolute path into out (which holds PATH_BUF). */
void path_parent(const char *path, char *out);

/* Last component of a non-root absolute path. */
const char *path_basename(const char *path);

/* Number of '/'-separated components ("/" is 0). */
unsigned int path_depth(const char *path);

/* The home of a domain, "/local/domain/<domid>". */
void path_domain_home(unsigned int domid, char *out, size_t outsz);

#endif
