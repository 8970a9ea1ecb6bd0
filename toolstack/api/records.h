/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Persistent records: "key=value" lines, values percent-encoded (bytes up to space,
 * '%', '+' and DEL), written crash-safe: a temporary file in the same directory,
 * fsync, rename over the old record, fsync of the directory. A reader sees the old
 * record or the new one, never a mixture, whatever moment the host fails at.
 */
#ifndef XENKVM_TOOLSTACK_API_RECORDS_H
#define XENKVM_TOOLSTACK_API_RECORDS_H

#include <stdbool.h>

#include "toolstack/api/strbuf.h"

void rec_put(struct strbuf *sb, const char *key, const char *value);
void rec_putll(struct strbuf *sb, const char *key, long long value);
/* Replaces path with the text of sb, crash-safe; -errno. */
int rec_save(const char *path, struct strbuf *sb);
/* Calls fn for each line of path (value decoded); stops at fn's first non-zero; -errno,
 * -EINVAL for a malformed line. */
int rec_load(const char *path, int (*fn)(void *ctx, const char *key, const char *value), void *ctx);
/* "PREFIX-" and 17 random lower-case hex digits (EC2's long ids), into id[32]. */
void rec_new_id(const char *prefix, char id[32]);
/* Whether id is PREFIX- and 17 (or, for ids from older EC2, 8) lower-case hex digits. */
bool rec_id_valid(const char *prefix, const char *id);
/* mkdir -p with mode 0700 for the last component. */
int rec_mkdirs(const char *path);

#endif
