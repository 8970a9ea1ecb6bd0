// SPDX-License-Identifier: GPL-2.0
/*
 * RunInstances: checks and capacity under the lock, the instances recorded as pending
 * (so that concurrent launches see them and no id is handed out twice), then each
 * root disk cloned and each domain started outside the lock, then their states.
 * ClientToken makes a launch idempotent, as on EC2.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "toolstack/api/action_util.h"
#include "toolstack/api/actions.h"
#include "toolstack/api/capacity.h"
#include "toolstack/api/instance_run.h"
#include "toolstack/api/records.h"

#define RUN_MAX_COUNT 100

struct run_request {
	const struct image *im;
	const struct instance_type *type;
	long min, max;
	const char *token;
	struct tags tags;
};

static int run_params(struct api_call *c, struct run_request *r)
{
	struct api_state *st = c->api->state;
	const char *image = query_get(c->q, "ImageId"), *type = query_get(c->q, "InstanceType"),
		   *az = query_get(c->q, "Placement.AvailabilityZone");
	char zone[80];

	if (!image)
		return api_fail(c, EC2_MISSING_PARAMETER,
				"The request must contain the parameter "
				"ImageId.");
	if (!rec_id_valid("ami", image))
		return api_fail(c, EC2_INVALID_AMI_ID_MALFORMED,
				"Invalid id: \"%.64s\" (expecting "
				"\"ami-...\")",
				image);
	if (!query_get(c->q, "MinCount") || !query_get(c->q, "MaxCount"))
		return api_fail(c, EC2_MISSING_PARAMETER,
				"The request must contain the parameters "
				"MinCount and MaxCount.");
	if (param_int(c, "MinCount", 1, RUN_MAX_COUNT, 1, &r->min) ||
	    param_int(c, "MaxCount", 1, RUN_MAX_COUNT, 1, &r->max))
		return -1;
	if (r->max < r->min)
		return api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				"MaxCount (%ld) must not be less "
				"than MinCount (%ld).",
				r->max, r->min);
	r->type = instance_type_find(&st->types, type ? type : "m1.small");
	if (!r->type)
		return api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				"Invalid value '%.64s' for "
				"InstanceType.",
				type);
	snprintf(zone, sizeof(zone), "%sa", c->api->sig.region);
	if (az && strcmp(az, zone))
		return api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				"Invalid availability zone: "
				"[%.64s] (this host is %s)",
				az, zone);
	r->token = query_get(c->q, "ClientToken");
	if (r->token && strlen(r->token) > 64)
		return api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				"ClientToken: at most 64 "
				"characters.");
	return tag_specs_parse(c, "instance", &r->tags);
}

static void emit_reservation(struct api_call *c, struct instance **ins, size_t n)
{
	ec2_add(&c->doc, "reservationId", ins[0]->reservation_id);
	ec2_add(&c->doc, "ownerId", OWNER_ID);
	ec2_add(&c->doc, "groupSet", NULL);
	ec2_open(&c->doc, "instancesSet");
	for (size_t i = 0; i < n; i++)
		describe_instance(c, ins[i]);
	ec2_close(&c->doc);
}

/* Under the lock: the instances of an earlier launch with this token, if any. */
static size_t find_token(struct api_state *st, const char *token, struct instance **out)
{
	size_t n = 0;

	for (size_t i = 0; token && i < st->ninstances && n < RUN_MAX_COUNT; i++)
		if (!strcmp(st->instances[i]->client_token, token))
			out[n++] = st->instances[i];
	return n;
}

static struct instance *new_instance(const struct run_request *r, const char *reservation,
				     unsigned index)
{
	struct instance *in = calloc(1, sizeof(*in));

	if (!in)
		return NULL;
	rec_new_id("i", in->id);
	snprintf(in->image_id, sizeof(in->image_id), "%s", r->im->id);
	snprintf(in->type, sizeof(in->type), "%s", r->type->name);
	snprintf(in->reservation_id, sizeof(in->reservation_id), "%s", reservation);
	snprintf(in->client_token, sizeof(in->client_token), "%s", r->token ? r->token : "");
	snprintf(in->virtualization, sizeof(in->virtualization), "%s", r->im->virtualization);
	snprintf(in->root_device, sizeof(in->root_device), "%s", r->im->root_device);
	in->state = STATE_PENDING;
	in->launch_time = time(NULL);
	in->launch_index = index;
	in->vcpus = r->type->vcpus;
	in->memory_mib = r->type->memory_mib;
	in->has_ramdisk = r->im->ramdisk[0] != 0;
	in->has_disk = r->im->root_disk[0] != 0;
	in->tags = r->tags;
	in->busy = true;
	return in;
}

/* Under the lock: records count new pending instances into ins. */
static int launch_locked(struct api_call *c, struct run_request *r, struct instance **ins,
			 long *count)
{
	struct api_state *st = c->api->state;
	long fits = capacity_fits(st, r->type);
	struct capacity_use u = capacity_in_use(st);
	char reservation[32];

	if (fits < r->min)
		return api_fail(c, EC2_INSUFFICIENT_INSTANCE_CAPACITY,
				"We currently do not have sufficient %s capacity in the "
				"Availability Zone you requested (%sa): %ld of %ld fit (%u vCPUs "
				"and %lu MiB each); %u of %u vCPUs and %lu of %lu MiB are placed "
				"on this host of %u CPUs.",
				r->type->name, c->api->sig.region, fits, r->min, r->type->vcpus,
				r->type->memory_mib, u.vcpus, st->vcpu_capacity, u.mib,
				st->memory_capacity_mib, st->host_cpus);
	*count = fits < r->max ? fits : r->max;
	rec_new_id("r", reservation);
	for (long i = 0; i < *count; i++) {
		ins[i] = new_instance(r, reservation, i);
		if (!ins[i] || instance_save(st, ins[i]) || instance_add(st, ins[i])) {
			free(ins[i]);
			*count = i;
			return api_fail(c, EC2_INTERNAL_ERROR,
					"The instance record could not be "
					"written.");
		}
	}
	return 0;
}

/* Outside the lock: disk, config, domain. Then, locked, the outcome. */
static void start_one(struct api_state *st, struct instance *in, const struct image *im)
{
	char err[256] = "";
	int rc = instance_prepare(st, in, im, err, sizeof(err));

	if (!rc)
		rc = instance_boot(st, in, err, sizeof(err));
	state_lock(st);
	in->busy = false;
	if (rc) {
		in->state = STATE_TERMINATED;
		snprintf(in->reason_code, sizeof(in->reason_code), "Server.InternalError");
		snprintf(in->reason, sizeof(in->reason), "Server.InternalError: %s",
			 err[0] ? err : "the domain did not start");
	} else {
		in->state = STATE_RUNNING;
	}
	instance_save(st, in);
	state_unlock(st);
}

int action_run_instances(struct api_call *c)
{
	struct api_state *st = c->api->state;
	struct instance *ins[RUN_MAX_COUNT];
	struct run_request r = { 0 };
	struct image im;
	long count = 0;
	int rc;

	if (run_params(c, &r))
		return -1;
	state_lock(st);
	count = (long)find_token(st, r.token, ins);
	if (count) {
		emit_reservation(c, ins, count);
		state_unlock(st);
		return 0;
	}
	r.im = image_find(st, query_get(c->q, "ImageId"));
	if (!r.im) {
		state_unlock(st);
		return api_fail(c, EC2_INVALID_AMI_ID_NOT_FOUND,
				"The image id '[%s]' does not "
				"exist",
				query_get(c->q, "ImageId"));
	}
	im = *r.im; /* the image may be deregistered while the domains start */
	r.im = &im;
	rc = launch_locked(c, &r, ins, &count);
	state_unlock(st);
	for (long i = 0; i < count; i++)
		start_one(st, ins[i], &im);
	if (rc)
		return rc;
	state_lock(st);
	emit_reservation(c, ins, count);
	state_unlock(st);
	return 0;
}
