// SPDX-License-Identifier: GPL-2.0
/* The action table: each EC2 action this API implements, and where it lives. */
#include <string.h>

#include "toolstack/api/actions.h"

static const struct api_action actions[] = {
	{ "DescribeRegions", action_describe_regions, true },
	{ "DescribeAvailabilityZones", action_describe_availability_zones, true },
	{ "DescribeInstanceTypes", action_describe_instance_types, true },
	{ "RegisterImage", action_register_image, false },
	{ "DeregisterImage", action_deregister_image, false },
	{ "DescribeImages", action_describe_images, true },
	{ "RunInstances", action_run_instances, false },
	{ "StartInstances", action_start_instances, false },
	{ "StopInstances", action_stop_instances, false },
	{ "RebootInstances", action_reboot_instances, false },
	{ "TerminateInstances", action_terminate_instances, false },
	{ "DescribeInstances", action_describe_instances, true },
	{ "DescribeInstanceStatus", action_describe_instance_status, true },
	{ "CreateTags", action_create_tags, false },
	{ "DeleteTags", action_delete_tags, false },
	{ "GetConsoleOutput", action_get_console_output, true },
};

const struct api_action *api_action_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(actions[i].name, name))
			return &actions[i];
	return NULL;
}
