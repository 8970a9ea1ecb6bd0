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
	struct ec2_doc *d = &c->doc;

	ec2_open(d, "regionInfo");
	ec2_open(d, "item");
	ec2_add(d, "regionName", c->api->sig.region);
	ec2_add(d, "regionEndpoint", "127.0.0.1");
	ec2_add(d, "optInStatus", "opt-in-not-required");
	ec2_close(d);
	ec2_close(d);
	return 0;
}

int action_describe_availability_zones(struct api_call *c)
{
	struct ec2_doc *d = &c->doc;

	ec2_open(d, "availabilityZoneInfo");
	ec2_open(d, "item");
	ec2_addf(d, "zoneName", "%sa", c->api->sig.region);
	ec2_add(d, "zoneState", "available");
	ec2_add(d, "regionName", c->api->sig.region);
	ec2_addf(d, "zoneId", "%s-az1", c->api->sig.region);
	ec2_add(d, "zoneType", "availability-zone");
	ec2_add(d, "optInStatus", "opt-in-not-required");
	ec2_add(d, "messageSet", NULL);
	ec2_close(d);
	ec2_close(d);
	return 0;
}
