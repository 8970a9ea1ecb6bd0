// SPDX-License-Identifier: GPL-2.0
/*
 * Capacity: both vCPUs and memory are counted for every instance that has (or is
 * about to have) a domain, so concurrent launches cannot together overcommit the host
 * past what the operator configured (RunInstances holds the state lock from this check
 * until its instances are recorded as pending).
 */
#include "toolstack/api/capacity.h"

static bool holds_resources(const struct instance *in)
{
	return in->state != STATE_STOPPED && in->state != STATE_TERMINATED;
}

struct capacity_use capacity_in_use(const struct api_state *st)
{
	struct capacity_use u = { 0, 0 };

	for (size_t i = 0; i < st->ninstances; i++) {
		if (!holds_resources(st->instances[i]))
			continue;
		u.vcpus += st->instances[i]->vcpus;
		u.mib += st->instances[i]->memory_mib;
	}
	return u;
}

long capacity_fits(const struct api_state *st, const struct instance_type *t)
{
	struct capacity_use u = capacity_in_use(st);
	unsigned long by_cpu, by_mem;

	if (t->vcpus > st->host_cpus || t->memory_mib > st->memory_capacity_mib || !t->vcpus ||
	    !t->memory_mib)
		return 0;
	if (u.vcpus >= st->vcpu_capacity || u.mib >= st->memory_capacity_mib)
		return 0;
	by_cpu = (st->vcpu_capacity - u.vcpus) / t->vcpus;
	by_mem = (st->memory_capacity_mib - u.mib) / t->memory_mib;
	return (long)(by_cpu < by_mem ? by_cpu : by_mem);
}

bool capacity_allows(const struct api_state *st, struct capacity_use need)
{
	struct capacity_use u = capacity_in_use(st);

	return u.vcpus + need.vcpus <= st->vcpu_capacity &&
	       u.mib + need.mib <= st->memory_capacity_mib;
}
