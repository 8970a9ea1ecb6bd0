// SPDX-License-Identifier: GPL-2.0
/*
 * CreateTags and DeleteTags on instances (i-) and images (ami-): every resource is
 * checked before any tag changes, and the records are saved with the change.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/api/action_util.h"
#include "toolstack/api/actions.h"
#include "toolstack/api/records.h"

struct tagged {
	struct tags *tags;
	struct instance *in;
	struct image *im;
};

/* Under the lock: each ResourceId.N's tags, or EC2's error for the first bad one. */
static int resources(struct api_call *c, struct query_item *ids, size_t n, struct tagged *out)
{
	struct api_state *st = c->api->state;

	for (size_t i = 0; i < n; i++) {
		const char *id = ids[i].value;

		out[i] = (struct tagged){ 0 };
		if (rec_id_valid("i", id)) {
			out[i].in = instance_find(st, id);
			if (!out[i].in)
				return api_fail(c, EC2_INVALID_INSTANCE_ID_NOT_FOUND,
						"The instance ID '%s' does not exist", id);
			out[i].tags = &out[i].in->tags;
		} else if (rec_id_valid("ami", id)) {
			out[i].im = image_find(st, id);
			if (!out[i].im)
				return api_fail(c, EC2_INVALID_AMI_ID_NOT_FOUND,
						"The image id '[%s]' does not exist", id);
			out[i].tags = &out[i].im->tags;
		} else {
			return api_fail(c, EC2_INVALID_PARAMETER_VALUE,
					"Invalid id: \"%.64s\" (an instance or image id)", id);
		}
	}
	return 0;
}

static void save(struct api_state *st, struct tagged *t)
{
	if (t->in)
		instance_save(st, t->in);
	else
		image_save(st, t->im);
}

/* Applies the Tag.N list to each resource (create: set; delete: remove). */
static int apply(struct api_call *c, struct tagged *res, size_t nres, bool create)
{
	struct api_state *st = c->api->state;
	struct query_item *keys;
	size_t nkeys;
	int rc = 0;

	if (query_list(c->q, "Tag", ".Key", &keys, &nkeys))
		return api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				"Tag.N.Key: an index is given "
				"twice.");
	if (create && !nkeys)
		rc = api_fail(c, EC2_MISSING_PARAMETER,
			      "The request must contain the parameter "
			      "Tag.1.Key.");
	for (size_t k = 0; !rc && k < nkeys; k++)
		if (!strncmp(keys[k].value, "aws:", 4) || !keys[k].value[0] ||
		    strlen(keys[k].value) > TAG_KEY_MAX)
			rc = api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				      "Tag key '%.140s': 1 to 128 characters, not starting with "
				      "'aws:'.",
				      keys[k].value);
	for (size_t r = 0; !rc && r < nres; r++) {
		struct tags t = *res[r].tags;

		for (size_t k = 0; !rc && k < nkeys; k++) {
			char vname[64];
			const char *v;

			snprintf(vname, sizeof(vname), "Tag.%lu.Value", keys[k].index);
			v = query_get(c->q, vname);
			if (!create)
				tags_delete(&t, keys[k].value, v);
			else if (tags_set(&t, keys[k].value, v ? v : ""))
				rc = api_fail(c, EC2_INVALID_PARAMETER_VALUE,
					      "Tag %.64s: values up to 256 characters, at most 50 "
					      "tags per resource.",
					      keys[k].value);
		}
		if (!create && !nkeys)
			t.n = 0; /* DeleteTags without Tag.N: every tag */
		if (!rc) {
			*res[r].tags = t;
			save(st, &res[r]);
		}
	}
	free(keys);
	return rc;
}

static int change_tags(struct api_call *c, bool create)
{
	struct api_state *st = c->api->state;
	struct query_item *ids;
	struct tagged *res;
	size_t n;
	int rc;

	if (param_list(c, "ResourceId", &ids, &n))
		return -1;
	if (!n) {
		free(ids);
		return api_fail(c, EC2_MISSING_PARAMETER,
				"The request must contain the parameter "
				"ResourceId.1.");
	}
	res = calloc(n, sizeof(*res));
	state_lock(st);
	rc = res ? resources(c, ids, n, res) : api_fail(c, EC2_INTERNAL_ERROR, "Out of memory.");
	if (!rc)
		rc = apply(c, res, n, create);
	state_unlock(st);
	free(res);
	free(ids);
	if (!rc)
		ec2_add(&c->doc, "return", "true");
	return rc;
}

int action_create_tags(struct api_call *c)
{
	return change_tags(c, true);
}

int action_delete_tags(struct api_call *c)
{
	return change_tags(c, false);
}
