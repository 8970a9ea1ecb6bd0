/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EC2 Query API parameters: application/x-www-form-urlencoded text (a POST body or a
 * query string) decoded into name/value pairs, and EC2's numbered lists on top of them
 * (InstanceId.1, Filter.1.Name, Filter.1.Value.2, TagSpecification.1.Tag.1.Key, ...).
 */
#ifndef XENKVM_TOOLSTACK_API_QUERY_H
#define XENKVM_TOOLSTACK_API_QUERY_H

#include <stddef.h>

/* At most this many parameters in one request (query string and body together). */
#define QUERY_MAX_PARAMS 1000

struct query_param {
	char *name;
	char *value;
};

struct query {
	struct query_param *params;
	size_t n, cap;
};

/*
 * Decodes percent escapes and '+' (a space) from s[0..len) into out (room for len + 1
 * bytes), NUL-terminated; *out_len the decoded length. -EINVAL for a bad escape or an
 * escaped NUL.
 */
int query_pct_decode(const char *s, size_t len, char *out, size_t *out_len);

/*
 * Appends the pairs of s[0..len) ("a=1&b=2"; a name without '=' has the value "").
 * -EINVAL for a bad escape or an empty name, -E2BIG past QUERY_MAX_PARAMS, -ENOMEM.
 */
int query_parse(struct query *q, const char *s, size_t len);
void query_free(struct query *q);

/* The value of the first parameter with this exact name, or NULL. */
const char *query_get(const struct query *q, const char *name);

struct query_item {
	unsigned long index;
	const char *value;
};

/*
 * The items of the list PREFIX.N SUFFIX (N a decimal from 1, no leading zero), sorted
 * by N: query_list(q, "InstanceId", "", ...) gives InstanceId.1, InstanceId.2, ...;
 * query_list(q, "Filter", ".Name", ...) the filter names. *items is malloc'd (NULL
 * when *n is 0); names that do not have that form are not items. -EINVAL when an N
 * is given twice, -ENOMEM.
 */
int query_list(const struct query *q, const char *prefix, const char *suffix,
	       struct query_item **items, size_t *n);

#endif
