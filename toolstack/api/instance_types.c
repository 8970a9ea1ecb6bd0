// SPDX-License-Identifier: GPL-2.0
/*
 * The built-in instance types, with the figures of AWS's instance-type pages (C5:
 * "Compute optimized instances"; m1, m3, c3, c4, t2: "Previous generation instances"
 * and the T2 page). Memory in MiB as 1024 * GiB (1.7 GiB is 1741 MiB, 3.75 GiB 3840).
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/api/instance_types.h"

static const struct instance_type builtin[] = {
	{ "c5.large", 2, 4096, 4750, "Up to 10 Gigabit", 1 },
	{ "c5.xlarge", 4, 8192, 4750, "Up to 10 Gigabit", 1 },
	{ "c5.2xlarge", 8, 16384, 4750, "Up to 10 Gigabit", 1 },
	{ "c5.4xlarge", 16, 32768, 4750, "Up to 10 Gigabit", 1 },
	{ "c5.9xlarge", 36, 73728, 9500, "12 Gigabit", 1 },
	{ "c5.12xlarge", 48, 98304, 9500, "12 Gigabit", 1 },
	{ "c5.18xlarge", 72, 147456, 19000, "25 Gigabit", 1 },
	{ "c5.24xlarge", 96, 196608, 19000, "25 Gigabit", 1 },
	{ "c5.metal", 96, 196608, 19000, "25 Gigabit", 1 },
	{ "m1.small", 1, 1741, 0, "Low", 0 },
	{ "m1.medium", 1, 3840, 0, "Moderate", 0 },
	{ "m1.large", 2, 7680, 500, "Moderate", 0 },
	{ "m1.xlarge", 4, 15360, 1000, "High", 0 },
	{ "m3.medium", 1, 3840, 0, "Moderate", 0 },
	{ "m3.large", 2, 7680, 0, "Moderate", 0 },
	{ "m3.xlarge", 4, 15360, 500, "High", 0 },
	{ "m3.2xlarge", 8, 30720, 1000, "High", 0 },
	{ "c3.large", 2, 3840, 0, "Moderate", 0 },
	{ "c3.xlarge", 4, 7680, 500, "Moderate", 0 },
	{ "c3.2xlarge", 8, 15360, 1000, "High", 0 },
	{ "c3.4xlarge", 16, 30720, 2000, "High", 0 },
	{ "c3.8xlarge", 32, 61440, 0, "10 Gigabit", 0 },
	{ "c4.large", 2, 3840, 500, "Moderate", 0 },
	{ "c4.xlarge", 4, 7680, 750, "High", 0 },
	{ "c4.2xlarge", 8, 15360, 1000, "High", 0 },
	{ "c4.4xlarge", 16, 30720, 2000, "High", 0 },
	{ "c4.8xlarge", 36, 61440, 4000, "10 Gigabit", 0 },
	{ "t2.nano", 1, 512, 0, "Low to Moderate", 1 },
	{ "t2.micro", 1, 1024, 0, "Low to Moderate", 1 },
	{ "t2.small", 1, 2048, 0, "Low to Moderate", 1 },
	{ "t2.medium", 2, 4096, 0, "Low to Moderate", 1 },
	{ "t2.large", 2, 8192, 0, "Low to Moderate", 1 },
	{ "t2.xlarge", 4, 16384, 0, "Moderate", 1 },
	{ "t2.2xlarge", 8, 32768, 0, "Moderate", 1 },
};

int instance_types_init(struct instance_types *t)
{
	t->n = sizeof(builtin) / sizeof(builtin[0]);
	t->types = malloc(sizeof(builtin));
	if (!t->types) {
		t->n = 0;
		return -ENOMEM;
	}
	memcpy(t->types, builtin, sizeof(builtin));
	return 0;
}

const struct instance_type *instance_type_find(const struct instance_types *t, const char *name)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->types[i].name, name))
			return &t->types[i];
	return NULL;
}

static bool valid_name(const char *s)
{
	const char *dot = strchr(s, '.');

	if (!dot || dot == s || !dot[1] || strchr(dot + 1, '.'))
		return false;
	for (; *s; s++)
		if (!islower((unsigned char)*s) && !isdigit((unsigned char)*s) && *s != '.' &&
		    *s != '-')
			return false;
	return true;
}

static int parse_line(struct instance_types *t, char *line, const char *path, unsigned ln,
		      char *err, size_t errsize)
{
	struct instance_type it = { .current_generation = 1 };
	struct instance_type *slot;
	int used = 0;

	if (sscanf(line, "%31s %u %lu %u %n", it.name, &it.vcpus, &it.memory_mib, &it.ebs_mbps,
		   &used) != 4 ||
	    !used) {
		snprintf(err, errsize, "%s:%u: expected NAME VCPUS MEMORY-MIB EBS-MBPS NETWORK",
			 path, ln);
		return -EINVAL;
	}
	snprintf(it.network, sizeof(it.network), "%s", line + used);
	it.network[strcspn(it.network, "\r\n")] = 0;
	if (!valid_name(it.name) || !it.vcpus || it.vcpus > 4096 || it.memory_mib < 16 ||
	    it.memory_mib > (1UL << 30) || !it.network[0]) {
		snprintf(err, errsize,
			 "%s:%u: `%s': a FAMILY.SIZE name, 1-4096 vCPUs, 16 MiB-1 PiB and a "
			 "network wording are needed",
			 path, ln, it.name);
		return -EINVAL;
	}
	slot = (struct instance_type *)instance_type_find(t, it.name);
	if (!slot) {
		slot = realloc(t->types, (t->n + 1) * sizeof(*slot));
		if (!slot)
			return -ENOMEM;
		t->types = slot;
		slot = &t->types[t->n++];
	}
	*slot = it;
	return 0;
}

int instance_types_load(struct instance_types *t, const char *path, char *err, size_t errsize)
{
	FILE *f = fopen(path, "re");
	char line[256];
	unsigned ln = 0;
	int rc = 0;

	if (!f) {
		rc = -errno;
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return rc;
	}
	while (!rc && fgets(line, sizeof(line), f)) {
		char *s = line;

		ln++;
		while (isspace((unsigned char)*s))
			s++;
		if (*s && *s != '#')
			rc = parse_line(t, s, path, ln, err, errsize);
	}
	fclose(f);
	return rc;
}

void instance_types_free(struct instance_types *t)
{
	free(t->types);
	t->types = NULL;
	t->n = 0;
}
