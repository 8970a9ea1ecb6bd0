/* SPDX-License-Identifier: GPL-2.0 */
/* The EC2 actions, one file per group (action_*.c), listed in actions.c. */
#ifndef XENKVM_TOOLSTACK_API_ACTIONS_H
#define XENKVM_TOOLSTACK_API_ACTIONS_H

#include "toolstack/api/api.h"
#include "toolstack/api/api_state.h"

/* action_region.c: this host is one region with one availability zone, REGION + "a". */
int action_describe_regions(struct api_call *c);
int action_describe_availability_zones(struct api_call *c);
/* action_types.c */
int action_describe_instance_types(struct api_call *c);
/* action_images.c */
int action_register_image(struct api_call *c);
int action_deregister_image(struct api_call *c);
int action_describe_images(struct api_call *c);
/* action_run.c */
int action_run_instances(struct api_call *c);
/* action_state.c */
int action_start_instances(struct api_call *c);
int action_stop_instances(struct api_call *c);
int action_reboot_instances(struct api_call *c);
int action_terminate_instances(struct api_call *c);
/* action_describe.c */
int action_describe_instances(struct api_call *c);
int action_describe_instance_status(struct api_call *c);
/* action_tags.c */
int action_create_tags(struct api_call *c);
int action_delete_tags(struct api_call *c);
/* action_console.c */
int action_get_console_output(struct api_call *c);

/* Shared between the instance actions. */
void describe_instance(struct api_call *c, const struct instance *in);
void describe_state(struct ec2_doc *d, const char *name, enum instance_state s);
/* InstanceId.N, each well formed (required: at least one). */
int instance_ids_param(struct api_call *c, struct query_item **ids, size_t *n, bool required);
/* Under the lock: the instances named, or InvalidInstanceID.NotFound naming the missing. */
int instances_find(struct api_call *c, const struct query_item *ids, size_t n,
		   struct instance **out);

#endif
