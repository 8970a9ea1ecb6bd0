// SPDX-License-Identifier: GPL-2.0
/* The action table: each EC2 action this API implements, and where it lives. */
#include <string.h>

#include "toolstack/api/actions.h"

static const struct api_action actions[] = {
	{ "DescribeRegions", action_describe_regions },
	{ "DescribeAvailabilityZones", action_describe_availability_zones },
};

const struct api_action *api_action_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(actions[i].name, name))
			return &actions[i];
	return NULL;
}
