// SPDX-License-Identifier: GPL-2.0
/*
 * Form and query-string decoding (the WHATWG urlencoded rules: '&' separates pairs, '+'
 * is a space, %XX a byte) and EC2's numbered list parameters.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/api/query.h"

static int hex_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c = (char)tolower((unsigned char)c);
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

int query_pct_decode(const char *s, size_t len, char *out, size_t *out_len)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (c == '+') {
			c = ' ';
		} else if (c == '%') {
			int hi, lo;

			if (i + 2 >= len)
				return -EINVAL;
			hi = hex_value(s[i + 1]);
			lo = hex_value(s[i + 2]);
			if (hi < 0 || lo < 0)
				return -EINVAL;
			c = (char)(hi << 4 | lo);
			i += 2;
		}
		if (!c)
			return -EINVAL;
		out[o++] = c;
	}
	out[o] = 0;
	if (out_len)
		*out_len = o;
	return 0;
}

static char *decode_dup(const char *s, size_t len, int *rc)
{
	char *out = malloc(len + 1);

	if (!out) {
		*rc = -ENOMEM;
		return NULL;
	}
	*rc = query_pct_decode(s, len, out, NULL);
	if (*rc) {
		free(out);
		return NULL;
	}
	return out;
}

static int add_pair(struct query *q, const char *s, size_t len)
{
	const char *eq = memchr(s, '=', len);
	size_t nlen = eq ? (size_t)(eq - s) : len;
	struct query_param p;
	int rc;

	if (!nlen)
		return -EINVAL;
	if (q->n >= QUERY_MAX_PARAMS)
		return -E2BIG;
	if (q->n == q->cap) {
		size_t cap = q->cap ? q->cap * 2 : 16;
		struct query_param *np = realloc(q->params, cap * sizeof(*np));

		if (!np)
			return -ENOMEM;
		q->params = np;
		q->cap = cap;
	}
	p.name = decode_dup(s, nlen, &rc);
	if (!p.name)
		return rc;
	p.value = eq ? decode_dup(eq + 1, len - nlen - 1, &rc) : decode_dup("", 0, &rc);
	if (!p.value) {
		free(p.name);
		return rc;
	}
	q->params[q->n++] = p;
	return 0;
}

int query_parse(struct query *q, const char *s, size_t len)
{
	size_t start = 0;

	for (size_t i = 0; i <= len; i++) {
		int rc;

		if (i < len && s[i] != '&')
			continue;
		if (i > start) {
			rc = add_pair(q, s + start, i - start);
			if (rc)
				return rc;
		}
		start = i + 1;
	}
	return 0;
}

void query_free(struct query *q)
{
	for (size_t i = 0; i < q->n; i++) {
		free(q->params[i].name);
		free(q->params[i].value);
	}
	free(q->params);
	memset(q, 0, sizeof(*q));
}

const char *query_get(const struct query *q, const char *name)
{
	for (size_t i = 0; i < q->n; i++)
		if (!strcmp(q->params[i].name, name))
			return q->params[i].value;
	return NULL;
}

/* N from "N<suffix>" exactly: decimal, from 1, no leading zero, no overflow. */
static bool list_index(const char *s, const char *suffix, unsigned long *index)
{
	unsigned long n = 0;
	const char *p = s;

	if (*p < '1' || *p > '9')
		return false;
	for (; isdigit((unsigned char)*p); p++) {
		if (n > 100000000)
			return false;
		n = n * 10 + (*p - '0');
	}
	if (strcmp(p, suffix))
		return false;
	*index = n;
	return true;
}

static int item_cmp(const void *a, const void *b)
{
	const struct query_item *x = a, *y = b;

	return x->index < y->index ? -1 : x->index > y->index;
}

int query_list(const struct query *q, const char *prefix, const char *suffix,
	       struct query_item **items, size_t *n)
{
	size_t plen = strlen(prefix), count = 0;
	struct query_item *out = NULL;

	*items = NULL;
	*n = 0;
	for (size_t i = 0; i < q->n; i++) {
		const char *name = q->params[i].name;
		unsigned long index;

		if (strncmp(name, prefix, plen) || name[plen] != '.' ||
		    !list_index(name + plen + 1, suffix, &index))
			continue;
		if (!out) {
			out = calloc(q->n, sizeof(*out));
			if (!out)
				return -ENOMEM;
		}
		out[count].index = index;
		out[count].value = q->params[i].value;
		count++;
	}
	if (!count)
		return 0;
	qsort(out, count, sizeof(*out), item_cmp);
	for (size_t i = 1; i < count; i++) {
		if (out[i].index == out[i - 1].index) {
			free(out);
			return -EINVAL;
		}
	}
	*items = out;
	*n = count;
	return 0;
}
