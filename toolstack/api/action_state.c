// SPDX-License-Identifier: GPL-2.0
/*
 * StartInstances, StopInstances, RebootInstances, TerminateInstances. Every instance of
 * a request is checked first (all exist, none busy, each in a state the operation
 * allows, as EC2 refuses the whole request otherwise), moved to its transitional
 * state, then its domain is started or stopped outside the lock. Stops and
 * terminations wait for the guest's own shutdown, which takes as long as the guest
 * takes: as on EC2, they are answered at once (stopping, shutting-down) and carried
 * out on a thread of their own, the instance reaching stopped or terminated by itself.
 */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toolstack/api/action_util.h"
#include "toolstack/api/actions.h"
#include "toolstack/api/capacity.h"
#include "toolstack/api/instance_run.h"

enum op { OP_START, OP_STOP, OP_REBOOT, OP_TERMINATE };

static const char *const op_verb[] = { "started", "stopped", "rebooted", "terminated" };

/* Whether in may undergo op; *act whether its domain must be touched. */
static bool allowed(const struct instance *in, enum op op, bool *act)
{
	*act = false;
	if (in->busy)
		return false;
	switch (op) {
	case OP_START:
		*act = in->state == STATE_STOPPED;
		return *act || in->state == STATE_RUNNING;
	case OP_STOP:
		*act = in->state == STATE_RUNNING;
		return *act || in->state == STATE_STOPPED;
	case OP_REBOOT:
		*act = in->state == STATE_RUNNING;
		return *act;
	case OP_TERMINATE:
		*act = in->state != STATE_TERMINATED;
		return true;
	}
	return false;
}

static enum instance_state transitional(enum op op)
{
	switch (op) {
	case OP_START:
		return STATE_PENDING;
	case OP_STOP:
		return STATE_STOPPING;
	case OP_TERMINATE:
		return STATE_SHUTTING_DOWN;
	default:
		return STATE_RUNNING;
	}
}

static void set_reason(struct instance *in, const char *code, const char *text)
{
	snprintf(in->reason_code, sizeof(in->reason_code), "%s", code);
	snprintf(in->reason, sizeof(in->reason), "%s%s%s", code, *text ? ": " : "", text);
}

/*
 * Outside the lock: the domain work; then, locked, the final state. Stop and terminate
 * ask the guest first (EC2 shuts an instance down cleanly unless Force is given); a
 * reboot asks the guest, and restarts the domain only if the guest cannot be asked.
 */
static void carry_out(struct api_state *st, struct instance *in, enum op op, bool force)
{
	char err[256] = "", path[700];
	int rc = 0;

	switch (op) {
	case OP_START:
		rc = instance_boot(st, in, err, sizeof(err));
		break;
	case OP_REBOOT:
		if (instance_reboot(st, in)) {
			instance_halt(st, in, true);
			rc = instance_boot(st, in, err, sizeof(err));
		}
		break;
	case OP_STOP:
		instance_halt(st, in, force);
		break;
	case OP_TERMINATE:
		instance_halt(st, in, force);
		/* The root volume goes with the instance, as DeleteOnTermination. */
		if (!instance_path(st, in->id, "root.img", path, sizeof(path)))
			unlink(path);
		break;
	}
	state_lock(st);
	in->busy = false;
	if (op == OP_STOP) {
		in->state = STATE_STOPPED;
		set_reason(in, "Client.UserInitiatedShutdown", "User initiated shutdown");
	} else if (op == OP_TERMINATE) {
		in->state = STATE_TERMINATED;
		set_reason(in, "Client.UserInitiatedShutdown", "User initiated shutdown");
	} else if (rc) {
		in->state = STATE_STOPPED;
		set_reason(in, "Server.InternalError", err[0] ? err : "the domain did not start");
	} else {
		in->state = STATE_RUNNING;
		in->reason_code[0] = in->reason[0] = 0;
	}
	instance_save(st, in);
	state_unlock(st);
}

struct later {
	struct api_state *st;
	struct instance *in;
	enum op op;
	bool force;
};

static void *carry_out_thread(void *arg)
{
	struct later *l = arg;

	carry_out(l->st, l->in, l->op, l->force);
	state_op_end(l->st);
	free(l);
	return NULL;
}

/* carry_out on a detached thread, counted so that the API's exit waits for it; in the
 * request's own thread if no thread can be had. */
static void carry_out_later(struct api_state *st, struct instance *in, enum op op, bool force)
{
	struct later *l = malloc(sizeof(*l));
	pthread_attr_t attr;
	pthread_t tid;
	int rc = -1;

	if (l) {
		*l = (struct later){ st, in, op, force };
		state_op_begin(st);
		pthread_attr_init(&attr);
		pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
		rc = pthread_create(&tid, &attr, carry_out_thread, l);
		pthread_attr_destroy(&attr);
		if (!rc)
			return;
		state_op_end(st);
		free(l);
	}
	carry_out(st, in, op, force);
}

/* Under the lock: all or nothing, as EC2. */
static int check_all(struct api_call *c, struct instance **ins, size_t n, enum op op, bool *act)
{
	struct api_state *st = c->api->state;
	struct capacity_use need = { 0, 0 }, u;

	for (size_t i = 0; i < n; i++) {
		instance_refresh(st, ins[i]);
		if (!allowed(ins[i], op, &act[i]))
			return api_fail(c, EC2_INCORRECT_INSTANCE_STATE,
					"The instance '%s' is not in a state from which it can be "
					"%s.",
					ins[i]->id, op_verb[op]);
		for (size_t j = 0; j < i; j++)
			if (ins[j] == ins[i])
				act[i] = false; /* named twice: once is enough */
		if (op == OP_START && act[i]) {
			need.vcpus += ins[i]->vcpus;
			need.mib += ins[i]->memory_mib;
		}
	}
	if (capacity_allows(st, need))
		return 0;
	u = capacity_in_use(st);
	return api_fail(c, EC2_INSUFFICIENT_INSTANCE_CAPACITY,
			"Insufficient capacity: starting needs %u vCPUs and %lu MiB; %u of %u "
			"vCPUs and %lu of %lu MiB are placed on this host.",
			need.vcpus, need.mib, u.vcpus, st->vcpu_capacity, u.mib,
			st->memory_capacity_mib);
}

static int change_state(struct api_call *c, enum op op)
{
	struct api_state *st = c->api->state;
	enum instance_state *prev = NULL, *cur = NULL;
	struct instance **ins = NULL;
	struct query_item *ids;
	const char *f = query_get(c->q, "Force");
	bool *act = NULL, force = f && !strcmp(f, "true");
	size_t n;
	int rc;

	if (instance_ids_param(c, &ids, &n, true))
		return -1;
	ins = calloc(n, sizeof(*ins));
	prev = calloc(n, sizeof(*prev));
	cur = calloc(n, sizeof(*cur));
	act = calloc(n, sizeof(*act));
	state_lock(st);
	rc = !ins || !prev || !cur || !act ? api_fail(c, EC2_INTERNAL_ERROR, "Out of memory.") :
					     instances_find(c, ids, n, ins);
	if (!rc)
		rc = check_all(c, ins, n, op, act);
	for (size_t i = 0; !rc && i < n; i++) {
		prev[i] = cur[i] = ins[i]->state;
		if (!act[i])
			continue;
		ins[i]->busy = true;
		ins[i]->state = cur[i] = transitional(op);
		instance_save(st, ins[i]);
	}
	state_unlock(st);
	for (size_t i = 0; !rc && i < n; i++) {
		if (!act[i])
			continue;
		if (op == OP_STOP || op == OP_TERMINATE)
			carry_out_later(st, ins[i], op, force);
		else
			carry_out(st, ins[i], op, force);
	}
	if (!rc && op == OP_REBOOT) {
		ec2_add(&c->doc, "return", "true");
	} else if (!rc) {
		/* A start has ended by now; a stop or terminate is answered with its
		 * transitional state, however far its thread has got. */
		state_read_lock(st);
		ec2_open(&c->doc, "instancesSet");
		for (size_t i = 0; i < n; i++) {
			ec2_open(&c->doc, "item");
			ec2_add(&c->doc, "instanceId", ins[i]->id);
			describe_state(&c->doc, "currentState",
				       op == OP_START ? ins[i]->state : cur[i]);
			describe_state(&c->doc, "previousState", prev[i]);
			ec2_close(&c->doc);
		}
		ec2_close(&c->doc);
		state_unlock(st);
	}
	free(ins);
	free(prev);
	free(cur);
	free(act);
	free(ids);
	return rc;
}

int action_start_instances(struct api_call *c)
{
	return change_state(c, OP_START);
}

int action_stop_instances(struct api_call *c)
{
	return change_state(c, OP_STOP);
}

int action_reboot_instances(struct api_call *c)
{
	return change_state(c, OP_REBOOT);
}

int action_terminate_instances(struct api_call *c)
{
	return change_state(c, OP_TERMINATE);
}
