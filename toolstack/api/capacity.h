/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The host's capacity as launches and starts see it: the vCPUs and memory of the
 * instances that hold resources (pending, running, stopping, shutting-down: a domain
 * exists or is about to) against the configured vCPU and memory capacity. What runs
 * is placed; nothing else is reserved.
 */
#ifndef XENKVM_TOOLSTACK_API_CAPACITY_H
#define XENKVM_TOOLSTACK_API_CAPACITY_H

#include "toolstack/api/api_state.h"

struct capacity_use {
	unsigned vcpus;
	unsigned long mib;
};

/* Under the lock: what the instances holding resources use. */
struct capacity_use capacity_in_use(const struct api_state *st);
/* Under the lock: how many instances of t fit beside them (0 for a type larger than the
 * host: more vCPUs than it has CPUs, or more memory than its capacity). */
long capacity_fits(const struct api_state *st, const struct instance_type *t);
/* Under the lock: whether need (instances being started) fits beside what runs. */
bool capacity_allows(const struct api_state *st, struct capacity_use need);

#endif
