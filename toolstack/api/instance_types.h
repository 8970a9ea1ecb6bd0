/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The instance-type catalogue: the C5 family and the Xen-era families still launched
 * (m1, m3, c3, c4, t2) with the vCPUs, memory, EBS and network figures AWS documents,
 * plus whatever an operator's catalogue file adds or redefines:
 *   # name        vCPUs  memory-MiB  EBS-Mbps  network performance (rest of line)
 *   c5.large      2      4096        4750      Up to 10 Gigabit
 * (EBS-Mbps 0: not EBS-optimised by default).
 */
#ifndef XENKVM_TOOLSTACK_API_INSTANCE_TYPES_H
#define XENKVM_TOOLSTACK_API_INSTANCE_TYPES_H

#include <stdbool.h>
#include <stddef.h>

struct instance_type {
	char name[32];
	unsigned vcpus;
	unsigned long memory_mib;
	unsigned ebs_mbps; /* baseline EBS bandwidth, 0 when not EBS-optimised */
	char network[48]; /* AWS's "network performance" wording */
	int current_generation;
};

struct instance_types {
	struct instance_type *types;
	size_t n;
};

/* The built-in catalogue; -ENOMEM. */
int instance_types_init(struct instance_types *t);
/* Adds or redefines types from an operator's file; errors name file and line in err. */
int instance_types_load(struct instance_types *t, const char *path, char *err, size_t errsize);
const struct instance_type *instance_type_find(const struct instance_types *t, const char *name);
void instance_types_free(struct instance_types *t);

#endif
