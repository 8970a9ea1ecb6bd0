// SPDX-License-Identifier: GPL-2.0
/*
 * DescribeInstanceTypes: the catalogue, in the shape of EC2's InstanceTypeInfo. The
 * hypervisor is "xen" for every type: that is the face this API keeps.
 */
#include <stdlib.h>
#include <string.h>

#include "toolstack/api/action_util.h"
#include "toolstack/api/actions.h"

static void describe_type(xmlNodePtr set, const struct instance_type *t)
{
	xmlNodePtr item = ec2_add(set, "item", NULL), n;
	bool metal = strstr(t->name, ".metal") != NULL;

	ec2_add(item, "instanceType", t->name);
	ec2_add(item, "currentGeneration", t->current_generation ? "true" : "false");
	ec2_add(item, "freeTierEligible", !strcmp(t->name, "t2.micro") ? "true" : "false");
	ec2_add(ec2_add(item, "supportedUsageClasses", NULL), "item", "on-demand");
	ec2_add(ec2_add(item, "supportedRootDeviceTypes", NULL), "item", "ebs");
	n = ec2_add(item, "supportedVirtualizationTypes", NULL);
	ec2_add(n, "item", "hvm");
	if (!t->current_generation)
		ec2_add(n, "item", "paravirtual");
	ec2_add(item, "bareMetal", metal ? "true" : "false");
	if (!metal)
		ec2_add(item, "hypervisor", "xen");
	n = ec2_add(item, "processorInfo", NULL);
	ec2_add(ec2_add(n, "supportedArchitectures", NULL), "item", "x86_64");
	ec2_addf(ec2_add(item, "vCpuInfo", NULL), "defaultVCpus", "%u", t->vcpus);
	ec2_addf(ec2_add(item, "memoryInfo", NULL), "sizeInMiB", "%lu", t->memory_mib);
	ec2_add(item, "instanceStorageSupported", "false");
	n = ec2_add(item, "ebsInfo", NULL);
	ec2_add(n, "ebsOptimizedSupport", t->ebs_mbps ? "default" : "unsupported");
	if (t->ebs_mbps)
		ec2_addf(ec2_add(n, "ebsOptimizedInfo", NULL), "maximumBandwidthInMbps", "%u",
			 t->ebs_mbps);
	ec2_add(ec2_add(item, "networkInfo", NULL), "networkPerformance", t->network);
	ec2_add(item, "autoRecoverySupported", "false");
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
	xmlNodePtr set;
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
	set = ec2_add(c->doc.root, "instanceTypeSet", NULL);
	for (size_t i = 0; i < st->types.n; i++)
		if (type_selected(&st->types.types[i], names, n, &fs))
			describe_type(set, &st->types.types[i]);
	filters_free(&fs);
	free(names);
	return 0;
}
