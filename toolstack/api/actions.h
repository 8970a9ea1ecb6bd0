/* SPDX-License-Identifier: GPL-2.0 */
/* The EC2 actions, one file per group (action_*.c), listed in actions.c. */
#ifndef XENKVM_TOOLSTACK_API_ACTIONS_H
#define XENKVM_TOOLSTACK_API_ACTIONS_H

#include "toolstack/api/api.h"

/* action_region.c: this host is one region with one availability zone, REGION + "a". */
int action_describe_regions(struct api_call *c);
int action_describe_availability_zones(struct api_call *c);

#endif
