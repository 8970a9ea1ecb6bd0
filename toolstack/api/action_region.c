// SPDX-License-Identifier: GPL-2.0
/*
 * DescribeRegions and DescribeAvailabilityZones: the host is one region (--region) with
 * one zone, the region's name and "a", which is where every instance is placed.
 */
#include <stdio.h>
#include <string.h>

#include "toolstack/api/actions.h"

int action_describe_regions(struct api_call *c)
{
	xmlNodePtr item = ec2_add(ec2_add(c->doc.root, "regionInfo", NULL), "item", NULL);

	ec2_add(item, "regionName", c->api->sig.region);
	ec2_add(item, "regionEndpoint", "127.0.0.1");
	ec2_add(item, "optInStatus", "opt-in-not-required");
	return 0;
}

int action_describe_availability_zones(struct api_call *c)
{
	xmlNodePtr item = ec2_add(ec2_add(c->doc.root, "availabilityZoneInfo", NULL), "item", NULL);

	ec2_addf(item, "zoneName", "%sa", c->api->sig.region);
	ec2_add(item, "zoneState", "available");
	ec2_add(item, "regionName", c->api->sig.region);
	ec2_addf(item, "zoneId", "%s-az1", c->api->sig.region);
	ec2_add(item, "zoneType", "availability-zone");
	ec2_add(item, "optInStatus", "opt-in-not-required");
	ec2_add(item, "messageSet", NULL);
	return 0;
}
