// SPDX-License-Identifier: GPL-2.0
/* Growable strings for the API's canonical requests and replies. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/api/strbuf.h"

static bool reserve(struct strbuf *sb, size_t more)
{
	size_t cap;
	char *ns;

	if (sb->failed)
		return false;
	if (sb->len + more + 1 <= sb->cap)
		return true;
	cap = sb->cap ? sb->cap : 64;
	while (cap < sb->len + more + 1)
		cap *= 2;
	ns = realloc(sb->s, cap);
	if (!ns) {
		sb->failed = true;
		return false;
	}
	sb->s = ns;
	sb->cap = cap;
	return true;
}

void strbuf_add(struct strbuf *sb, const char *data, size_t len)
{
	if (!reserve(sb, len))
		return;
	memcpy(sb->s + sb->len, data, len);
	sb->len += len;
	sb->s[sb->len] = 0;
}

void strbuf_adds(struct strbuf *sb, const char *s)
{
	strbuf_add(sb, s, strlen(s));
}

void strbuf_addc(struct strbuf *sb, char c)
{
	strbuf_add(sb, &c, 1);
}

void strbuf_addf(struct strbuf *sb, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0 || !reserve(sb, n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->s + sb->len, n + 1, fmt, ap);
	va_end(ap);
	sb->len += n;
}

const char *strbuf_str(struct strbuf *sb)
{
	if (sb->failed)
		return NULL;
	return sb->s ? sb->s : "";
}

char *strbuf_detach(struct strbuf *sb, size_t *len)
{
	char *s = NULL;

	if (!sb->failed)
		s = sb->s ? sb->s : strdup("");
	else
		free(sb->s);
	if (len)
		*len = s ? sb->len : 0;
	memset(sb, 0, sizeof(*sb));
	return s;
}

void strbuf_free(struct strbuf *sb)
{
	free(sb->s);
	memset(sb, 0, sizeof(*sb));
}
