// SPDX-License-Identifier: GPL-2.0
/*
 * Instance descriptions (EC2's RunningInstancesItemType, hypervisor "xen" always),
 * DescribeInstances with its filters and pagination, DescribeInstanceStatus.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/api/action_util.h"
#include "toolstack/api/actions.h"
#include "toolstack/api/instance_run.h"
#include "toolstack/api/records.h"

void describe_state(struct ec2_doc *d, const char *name, enum instance_state s)
{
	ec2_open(d, name);
	ec2_addf(d, "code", "%d", (int)s);
	ec2_add(d, "name", instance_state_name(s));
	ec2_close(d);
}

void describe_instance(struct api_call *c, const struct instance *in)
{
	struct ec2_doc *d = &c->doc;
	char t[32];

	ec2_open(d, "item");
	ec2_add(d, "instanceId", in->id);
	ec2_add(d, "imageId", in->image_id);
	describe_state(d, "instanceState", in->state);
	ec2_add(d, "privateDnsName", NULL);
	ec2_add(d, "dnsName", NULL);
	ec2_add(d, "reason", in->reason);
	ec2_addf(d, "amiLaunchIndex", "%u", in->launch_index);
	ec2_add(d, "productCodes", NULL);
	ec2_add(d, "instanceType", in->type);
	iso_time(in->launch_time, t);
	ec2_add(d, "launchTime", t);
	ec2_open(d, "placement");
	ec2_addf(d, "availabilityZone", "%sa", c->api->sig.region);
	ec2_add(d, "groupName", NULL);
	ec2_add(d, "tenancy", "default");
	ec2_close(d);
	ec2_addf(d, "kernelId", "aki-%s", in->image_id + 4);
	if (in->has_ramdisk)
		ec2_addf(d, "ramdiskId", "ari-%s", in->image_id + 4);
	ec2_open(d, "monitoring");
	ec2_add(d, "state", "disabled");
	ec2_close(d);
	ec2_add(d, "groupSet", NULL);
	if (in->reason_code[0]) {
		ec2_open(d, "stateReason");
		ec2_add(d, "code", in->reason_code);
		ec2_add(d, "message", in->reason);
		ec2_close(d);
	}
	ec2_add(d, "architecture", "x86_64");
	ec2_add(d, "rootDeviceType", "ebs");
	ec2_add(d, "rootDeviceName", in->root_device);
	ec2_open(d, "blockDeviceMapping");
	if (in->has_disk) {
		ec2_open(d, "item");
		ec2_add(d, "deviceName", in->root_device);
		ec2_close(d);
	}
	ec2_close(d);
	ec2_add(d, "virtualizationType", in->virtualization);
	if (in->client_token[0])
		ec2_add(d, "clientToken", in->client_token);
	xml_tag_set(d, &in->tags);
	ec2_add(d, "hypervisor", "xen");
	ec2_add(d, "networkInterfaceSet", NULL);
	ec2_add(d, "ebsOptimized", "false");
	ec2_open(d, "cpuOptions");
	ec2_addf(d, "coreCount", "%u", in->vcpus);
	ec2_add(d, "threadsPerCore", "1");
	ec2_close(d);
	ec2_add(d, "bootMode", "legacy-bios");
	ec2_close(d);
}

int instance_ids_param(struct api_call *c, struct query_item **ids, size_t *n, bool required)
{
	if (param_list(c, "InstanceId", ids, n))
		return -1;
	if (!*n && required)
		return api_fail(c, EC2_MISSING_PARAMETER,
				"The request must contain the parameter "
				"InstanceId.");
	for (size_t i = 0; i < *n; i++) {
		if (!rec_id_valid("i", (*ids)[i].value)) {
			api_fail(c, EC2_INVALID_INSTANCE_ID_MALFORMED, "Invalid id: \"%.64s\"",
				 (*ids)[i].value);
			free(*ids);
			return -1;
		}
	}
	return 0;
}

int instances_find(struct api_call *c, const struct query_item *ids, size_t n,
		   struct instance **out)
{
	struct api_state *st = c->api->state;
	char missing[512] = "";
	size_t nmissing = 0;

	for (size_t i = 0; i < n; i++) {
		out[i] = instance_find(st, ids[i].value);
		if (out[i])
			continue;
		if (strlen(missing) + strlen(ids[i].value) + 3 < sizeof(missing))
			snprintf(missing + strlen(missing), sizeof(missing) - strlen(missing),
				 "%s%s", nmissing ? ", " : "", ids[i].value);
		nmissing++;
	}
	if (!nmissing)
		return 0;
	return api_fail(c, EC2_INVALID_INSTANCE_ID_NOT_FOUND,
			nmissing == 1 ? "The instance ID '%s' does not exist" :
					"The instance IDs '%s' do not exist",
			missing);
}

static bool instance_selected(const struct instance *in, const struct filters *fs)
{
	char code[8];

	snprintf(code, sizeof(code), "%d", (int)in->state);
	for (size_t i = 0; i < fs->n; i++) {
		const struct filter *f = &fs->f[i];
		bool ok;

		if (!strcmp(f->name, "instance-id"))
			ok = filter_match(f, in->id);
		else if (!strcmp(f->name, "instance-state-name"))
			ok = filter_match(f, instance_state_name(in->state));
		else if (!strcmp(f->name, "instance-state-code"))
			ok = filter_match(f, code);
		else if (!strcmp(f->name, "instance-type"))
			ok = filter_match(f, in->type);
		else if (!strcmp(f->name, "image-id"))
			ok = filter_match(f, in->image_id);
		else if (!strcmp(f->name, "reservation-id"))
			ok = filter_match(f, in->reservation_id);
		else
			ok = filter_match_tags(f, &in->tags);
		if (!ok)
			return false;
	}
	return true;
}

/* The pagination token: the id of the first instance of the next page. */
static int page_start(struct api_call *c, struct api_state *st, size_t *start)
{
	const char *token = query_get(c->q, "NextToken");

	*start = 0;
	if (!token)
		return 0;
	for (size_t i = 0; i < st->ninstances; i++) {
		if (!strcmp(st->instances[i]->id, token)) {
			*start = i;
			return 0;
		}
	}
	return api_fail(c, EC2_INVALID_PAGINATION_TOKEN,
			"The token '%.64s' is invalid or "
			"has expired.",
			token);
}

static void emit_page(struct api_call *c, struct instance **sel, size_t nsel, size_t max)
{
	struct ec2_doc *d = &c->doc;
	const char *cur = NULL;
	size_t i;

	ec2_open(d, "reservationSet");
	for (i = 0; i < nsel && i < max; i++) {
		if (!cur || strcmp(cur, sel[i]->reservation_id)) {
			if (cur) {
				ec2_close(d); /* instancesSet */
				ec2_close(d); /* item */
			}
			cur = sel[i]->reservation_id;
			ec2_open(d, "item");
			ec2_add(d, "reservationId", cur);
			ec2_add(d, "ownerId", OWNER_ID);
			ec2_add(d, "groupSet", NULL);
			ec2_open(d, "instancesSet");
		}
		describe_instance(c, sel[i]);
	}
	if (cur) {
		ec2_close(d);
		ec2_close(d);
	}
	ec2_close(d); /* reservationSet */
	if (i < nsel)
		ec2_add(d, "nextToken", sel[i]->id);
}

int action_describe_instances(struct api_call *c)
{
	static const char *const allowed[] = { "instance-id",
					       "instance-state-name",
					       "instance-state-code",
					       "instance-type",
					       "image-id",
					       "reservation-id",
					       "tag-key",
					       "tag-value",
					       "tag:",
					       NULL };
	struct api_state *st = c->api->state;
	struct instance **sel = NULL, **named = NULL;
	struct query_item *ids;
	struct filters fs = { 0 };
	size_t n, nsel = 0, start;
	long max;
	int rc;

	if (instance_ids_param(c, &ids, &n, false))
		return -1;
	rc = param_int(c, "MaxResults", 5, 1000, 1000, &max);
	if (!rc && n && query_get(c->q, "MaxResults"))
		rc = api_fail(c, EC2_INVALID_PARAMETER_COMBINATION,
			      "The parameter instancesSet "
			      "cannot be used with the parameter maxResults");
	if (!rc)
		rc = filters_parse(c, allowed, &fs);
	if (rc) {
		free(ids);
		return -1;
	}
	/* States first (exclusive, short), then the document under the shared lock. */
	instances_refresh(st);
	state_read_lock(st);
	named = calloc(n + 1, sizeof(*named));
	sel = calloc(st->ninstances + 1, sizeof(*sel));
	rc = !named || !sel ? api_fail(c, EC2_INTERNAL_ERROR, "Out of memory.") :
			      instances_find(c, ids, n, named);
	if (!rc)
		rc = page_start(c, st, &start);
	for (size_t i = 0; !rc && i < st->ninstances; i++) {
		struct instance *in = st->instances[i];
		bool listed = !n;

		for (size_t j = 0; j < n && !listed; j++)
			listed = named[j] == in;
		if (listed && i >= start && instance_selected(in, &fs))
			sel[nsel++] = in;
	}
	if (!rc)
		emit_page(c, sel, nsel, (size_t)max);
	state_unlock(st);
	free(sel);
	free(named);
	filters_free(&fs);
	free(ids);
	return rc;
}

static void describe_check(struct ec2_doc *d, const char *name, bool up)
{
	ec2_open(d, name);
	ec2_add(d, "status", up ? "ok" : "not-applicable");
	ec2_open(d, "details");
	ec2_open(d, "item");
	ec2_add(d, "name", "reachability");
	ec2_add(d, "status", up ? "passed" : "not-applicable");
	ec2_close(d);
	ec2_close(d);
	ec2_close(d);
}

static void describe_status(struct api_call *c, const struct instance *in)
{
	struct ec2_doc *d = &c->doc;
	bool up = in->state == STATE_RUNNING;

	ec2_open(d, "item");
	ec2_add(d, "instanceId", in->id);
	ec2_addf(d, "availabilityZone", "%sa", c->api->sig.region);
	describe_state(d, "instanceState", in->state);
	describe_check(d, "systemStatus", up);
	describe_check(d, "instanceStatus", up);
	ec2_close(d);
}

int action_describe_instance_status(struct api_call *c)
{
	struct api_state *st = c->api->state;
	const char *all = query_get(c->q, "IncludeAllInstances");
	bool include_all = all && !strcmp(all, "true");
	struct instance **named;
	struct query_item *ids;
	size_t n;
	int rc;

	if (instance_ids_param(c, &ids, &n, false))
		return -1;
	named = calloc(n + 1, sizeof(*named));
	if (!named) {
		free(ids);
		return api_fail(c, EC2_INTERNAL_ERROR, "Out of memory.");
	}
	state_lock(st);
	rc = instances_find(c, ids, n, named);
	ec2_open(&c->doc, "instanceStatusSet");
	for (size_t i = 0; !rc && i < st->ninstances; i++) {
		struct instance *in = st->instances[i];
		bool listed = !n;

		for (size_t j = 0; j < n && !listed; j++)
			listed = named[j] == in;
		instance_refresh(st, in);
		if (listed && (include_all || in->state == STATE_RUNNING))
			describe_status(c, in);
	}
	ec2_close(&c->doc);
	state_unlock(st);
	free(named);
	free(ids);
	return rc;
}
