/* SPDX-License-Identifier: GPL-2.0 */
/* A growable NUL-terminated byte string; an allocation failure sticks (strbuf_failed). */
#ifndef XENKVM_TOOLSTACK_API_STRBUF_H
#define XENKVM_TOOLSTACK_API_STRBUF_H

#include <stdbool.h>
#include <stddef.h>

struct strbuf {
	char *s; /* NULL until the first append */
	size_t len, cap;
	bool failed;
};

void strbuf_add(struct strbuf *sb, const char *data, size_t len);
void strbuf_adds(struct strbuf *sb, const char *s);
void strbuf_addc(struct strbuf *sb, char c);
void strbuf_addf(struct strbuf *sb, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The text ("" when empty), or NULL after a failed allocation. */
const char *strbuf_str(struct strbuf *sb);
/* Hands the text over to the caller (malloc'd, or NULL after a failure); sb is emptied. */
char *strbuf_detach(struct strbuf *sb, size_t *len);
void strbuf_free(struct strbuf *sb);

#endif
