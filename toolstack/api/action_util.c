// SPDX-License-Identifier: GPL-2.0
/* Parameter helpers shared by the EC2 actions. */
#include <errno.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "toolstack/api/action_util.h"

int param_list(struct api_call *c, const char *prefix, struct query_item **items, size_t *n)
{
	int rc = query_list(c->q, prefix, "", items, n);

	if (rc == -EINVAL)
		return api_fail(c, EC2_INVALID_PARAMETER_VALUE, "%s.N: an index is given twice.",
				prefix);
	if (rc)
		return api_fail(c, EC2_INTERNAL_ERROR, "Out of memory.");
	if (*n > ID_LIST_MAX) {
		free(*items);
		return api_fail(c, EC2_INVALID_PARAMETER_VALUE, "%s.N: at most %d values.", prefix,
				ID_LIST_MAX);
	}
	return 0;
}

int param_int(struct api_call *c, const char *name, long min, long max, long dflt, long *out)
{
	const char *v = query_get(c->q, name);
	char *end;
	long n;

	if (!v) {
		*out = dflt;
		return 0;
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (!*v || *end || errno || n < min || n > max)
		return api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				"Invalid value '%.64s' for %s: an integer from %ld to %ld is "
				"expected.",
				v, name, min, max);
	*out = n;
	return 0;
}

static bool name_allowed(const char *name, const char *const *allowed)
{
	for (; *allowed; allowed++) {
		size_t len = strlen(*allowed);

		if ((*allowed)[len - 1] == ':' ? !strncmp(name, *allowed, len) && name[len] :
						 !strcmp(name, *allowed))
			return true;
	}
	return false;
}

int filters_parse(struct api_call *c, const char *const *allowed, struct filters *fs)
{
	struct query_item *names;
	size_t n;
	int rc;

	memset(fs, 0, sizeof(*fs));
	rc = query_list(c->q, "Filter", ".Name", &names, &n);
	if (rc)
		return api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				"Filter.N.Name: an index is "
				"given twice.");
	fs->f = calloc(n + 1, sizeof(*fs->f));
	if (!fs->f) {
		free(names);
		return api_fail(c, EC2_INTERNAL_ERROR, "Out of memory.");
	}
	for (size_t i = 0; i < n; i++) {
		struct filter *f = &fs->f[fs->n++];
		char prefix[64];

		if (!name_allowed(names[i].value, allowed) ||
		    strlen(names[i].value) >= sizeof(f->name)) {
			rc = api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				      "The filter '%.100s' is invalid", names[i].value);
			break;
		}
		strcpy(f->name, names[i].value);
		snprintf(prefix, sizeof(prefix), "Filter.%lu.Value", names[i].index);
		rc = query_list(c->q, prefix, "", &f->values, &f->nvalues);
		if (!rc && !f->nvalues)
			rc = api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				      "The filter '%s' needs at least one value (%s.1).", f->name,
				      prefix);
		else if (rc)
			rc = api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				      "%s.N: an index is given twice.", prefix);
		if (rc)
			break;
	}
	free(names);
	if (rc)
		filters_free(fs);
	return rc;
}

void filters_free(struct filters *fs)
{
	for (size_t i = 0; i < fs->n; i++)
		free(fs->f[i].values);
	free(fs->f);
	memset(fs, 0, sizeof(*fs));
}

bool filter_match(const struct filter *f, const char *value)
{
	for (size_t i = 0; i < f->nvalues; i++)
		if (!fnmatch(f->values[i].value, value, FNM_NOESCAPE))
			return true;
	return false;
}

bool filter_match_tags(const struct filter *f, const struct tags *t)
{
	for (size_t i = 0; i < t->n; i++) {
		if (!strncmp(f->name, "tag:", 4)) {
			if (!strcmp(f->name + 4, t->v[i].key) && filter_match(f, t->v[i].value))
				return true;
		} else if (!strcmp(f->name, "tag-key")) {
			if (filter_match(f, t->v[i].key))
				return true;
		} else if (filter_match(f, t->v[i].value)) {
			return true;
		}
	}
	return false;
}

static int tag_spec(struct api_call *c, unsigned long index, const char *rtype, struct tags *tags)
{
	char name[96];
	const char *type;
	struct query_item *keys;
	size_t n;
	int rc = 0;

	snprintf(name, sizeof(name), "TagSpecification.%lu.ResourceType", index);
	type = query_get(c->q, name);
	if (!type)
		return api_fail(c, EC2_MISSING_PARAMETER,
				"The request must contain the parameter "
				"%s.",
				name);
	if (strcmp(type, rtype))
		return api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				"'%.64s' is not a valid taggable resource type for this operation "
				"(only '%s').",
				type, rtype);
	snprintf(name, sizeof(name), "TagSpecification.%lu.Tag", index);
	if (query_list(c->q, name, ".Key", &keys, &n))
		return api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				"%s.N.Key: an index is given twice.", name);
	for (size_t i = 0; !rc && i < n; i++) {
		char vname[128];
		const char *value;

		snprintf(vname, sizeof(vname), "%s.%lu.Value", name, keys[i].index);
		value = query_get(c->q, vname);
		if (!strncmp(keys[i].value, "aws:", 4))
			rc = api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				      "Tag keys starting with 'aws:' "
				      "are reserved for internal use");
		else if (tags_set(tags, keys[i].value, value ? value : ""))
			rc = api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				      "Tag %.64s: keys are 1-128 characters, values up to 256, at "
				      "most 50 tags.",
				      keys[i].value);
	}
	free(keys);
	return rc;
}

int tag_specs_parse(struct api_call *c, const char *rtype, struct tags *tags)
{
	struct query_item *specs;
	size_t n;
	int rc = 0;

	if (query_list(c->q, "TagSpecification", ".ResourceType", &specs, &n))
		return api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				"TagSpecification.N: an index is "
				"given twice.");
	for (size_t i = 0; !rc && i < n; i++)
		rc = tag_spec(c, specs[i].index, rtype, tags);
	free(specs);
	return rc;
}

void xml_tag_set(struct ec2_doc *d, const struct tags *t)
{
	if (!t->n)
		return;
	ec2_open(d, "tagSet");
	for (size_t i = 0; i < t->n; i++) {
		ec2_open(d, "item");
		ec2_add(d, "key", t->v[i].key);
		ec2_add(d, "value", t->v[i].value);
		ec2_close(d);
	}
	ec2_close(d);
}

void iso_time(long long t, char buf[32])
{
	time_t tt = (time_t)t;
	struct tm tm;

	gmtime_r(&tt, &tm);
	strftime(buf, 32, "%Y-%m-%dT%H:%M:%S.000Z", &tm);
}
