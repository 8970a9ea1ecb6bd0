// SPDX-License-Identifier: GPL-2.0
/*
 * DescribeInstanceTypes: the catalogue, in the shape of EC2's InstanceTypeInfo. The
 * hypervisor is "xen" for every type: that is the face this API keeps.
 */
#include <stdlib.h>
#include <string.h>

#include "toolstack/api/action_util.h"
#include "toolstack/api/actions.h"

static void describe_type(struct ec2_doc *d, const struct instance_type *t)
{
	bool metal = strstr(t->name, ".metal") != NULL;

	ec2_open(d, "item");
	ec2_add(d, "instanceType", t->name);
	ec2_add(d, "currentGeneration", t->current_generation ? "true" : "false");
	ec2_add(d, "freeTierEligible", !strcmp(t->name, "t2.micro") ? "true" : "false");
	ec2_add_in(d, "supportedUsageClasses", "item", "on-demand");
	ec2_add_in(d, "supportedRootDeviceTypes", "item", "ebs");
	ec2_open(d, "supportedVirtualizationTypes");
	ec2_add(d, "item", "hvm");
	if (!t->current_generation)
		ec2_add(d, "item", "paravirtual");
	ec2_close(d);
	ec2_add(d, "bareMetal", metal ? "true" : "false");
	if (!metal)
		ec2_add(d, "hypervisor", "xen");
	ec2_open(d, "processorInfo");
	ec2_add_in(d, "supportedArchitectures", "item", "x86_64");
	ec2_close(d);
	ec2_open(d, "vCpuInfo");
	ec2_addf(d, "defaultVCpus", "%u", t->vcpus);
	ec2_close(d);
	ec2_open(d, "memoryInfo");
	ec2_addf(d, "sizeInMiB", "%lu", t->memory_mib);
	ec2_close(d);
	ec2_add(d, "instanceStorageSupported", "false");
	ec2_open(d, "ebsInfo");
	ec2_add(d, "ebsOptimizedSupport", t->ebs_mbps ? "default" : "unsupported");
	if (t->ebs_mbps) {
		ec2_open(d, "ebsOptimizedInfo");
		ec2_addf(d, "maximumBandwidthInMbps", "%u", t->ebs_mbps);
		ec2_close(d);
	}
	ec2_close(d);
	ec2_add_in(d, "networkInfo", "networkPerformance", t->network);
	ec2_add(d, "autoRecoverySupported", "false");
	ec2_close(d);
}

static bool type_selected(const struct instance_type *t, const struct query_item *names, size_t n,
			  const struct filters *fs)
{
	bool named = !n;

	for (size_t i = 0; i < n && !named; i++)
		named = !strcmp(names[i].value, t->name);
	for (size_t i = 0; named && i < fs->n; i++)
		named = filter_match(&fs->f[i], t->name);
	return named;
}

int action_describe_instance_types(struct api_call *c)
{
	static const char *const allowed[] = { "instance-type", NULL };
	struct api_state *st = c->api->state;
	struct query_item *names;
	struct filters fs;
	size_t n;

	if (param_list(c, "InstanceType", &names, &n))
		return -1;
	for (size_t i = 0; i < n; i++) {
		if (!instance_type_find(&st->types, names[i].value)) {
			api_fail(c, EC2_INVALID_INSTANCE_TYPE,
				 "The following supplied instance "
				 "types do not exist: [%.64s]",
				 names[i].value);
			free(names);
			return -1;
		}
	}
	if (filters_parse(c, allowed, &fs)) {
		free(names);
		return -1;
	}
	ec2_open(&c->doc, "instanceTypeSet");
	for (size_t i = 0; i < st->types.n; i++)
		if (type_selected(&st->types.types[i], names, n, &fs))
			describe_type(&c->doc, &st->types.types[i]);
	ec2_close(&c->doc);
	filters_free(&fs);
	free(names);
	return 0;
}
