/* SPDX-License-Identifier: GPL-2.0 */
/* What the EC2 actions share: id lists, filters, tags, times, pagination. */
#ifndef XENKVM_TOOLSTACK_API_ACTION_UTIL_H
#define XENKVM_TOOLSTACK_API_ACTION_UTIL_H

#include <stdbool.h>

#include "toolstack/api/api.h"
#include "toolstack/api/api_state.h"

#define OWNER_ID "000000000000" /* the one account of this host */
#define ID_LIST_MAX 1000

/* The values of PREFIX.N (InstanceId.N); malformed lists get EC2's error. *n may be 0. */
int param_list(struct api_call *c, const char *prefix, struct query_item **items, size_t *n);
/* Integer parameter within [min, max], or dflt when absent. */
int param_int(struct api_call *c, const char *name, long min, long max, long dflt, long *out);

struct filter {
	char name[160];
	struct query_item *values;
	size_t nvalues;
};

struct filters {
	struct filter *f;
	size_t n;
};

/* Filter.N.Name / Filter.N.Value.M; names outside allowed (NULL-terminated, a trailing
 * ':' entry allows that prefix, as "tag:") get InvalidParameterValue. */
int filters_parse(struct api_call *c, const char *const *allowed, struct filters *fs);
void filters_free(struct filters *fs);
/* Whether value matches one of the filter's values (EC2's * and ? wildcards). */
bool filter_match(const struct filter *f, const char *value);
/* Whether tags satisfy a tag:K, tag-key or tag-value filter. */
bool filter_match_tags(const struct filter *f, const struct tags *t);

/* TagSpecification.N with ResourceType rtype into tags; other resource types refused. */
int tag_specs_parse(struct api_call *c, const char *rtype, struct tags *tags);
/* <tagSet> with the tags (nothing when empty). */
void xml_tag_set(struct ec2_doc *d, const struct tags *t);

/* ISO 8601 with milliseconds as EC2 writes times: 2025-11-29T00:00:00.000Z. */
void iso_time(long long t, char buf[32]);

#endif
