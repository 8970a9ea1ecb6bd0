// SPDX-License-Identifier: GPL-2.0
/* The action table: each EC2 action this API implements, and where it lives. */
#include <string.h>

#include "toolstack/api/actions.h"

static const struct api_action actions[] = {
	{ "DescribeRegions", action_describe_regions },
	{ "DescribeAvailabilityZones", action_describe_availability_zones },
	{ "DescribeInstanceTypes", action_describe_instance_types },
	{ "RegisterImage", action_register_image },
	{ "DeregisterImage", action_deregister_image },
	{ "DescribeImages", action_describe_images },
	{ "RunInstances", action_run_instances },
	{ "StartInstances", action_start_instances },
	{ "StopInstances", action_stop_instances },
	{ "RebootInstances", action_reboot_instances },
	{ "TerminateInstances", action_terminate_instances },
	{ "DescribeInstances", action_describe_instances },
	{ "DescribeInstanceStatus", action_describe_instance_status },
	{ "CreateTags", action_create_tags },
	{ "DeleteTags", action_delete_tags },
	{ "GetConsoleOutput", action_get_console_output },
};

const struct api_action *api_action_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(actions) / sizeof(actions[0]); i++)
		if (!strcmp(actions[i].name, name))
			return &actions[i];
	return NULL;
}
