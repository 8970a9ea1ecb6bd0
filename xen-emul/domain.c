// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xen-emul/xen.h"

int xen_domain_init(struct xen_domain *dom, struct vm *vm, const struct xen_config *cfg)
{
	int rc;

	memset(dom, 0, sizeof(*dom));
	dom->vm = vm;
	dom->cfg = *cfg;
	dom->shutdown_code = -1;
	pthread_mutex_init(&dom->lock, NULL);
	dom->nr_vcpus = vm->nr_vcpus;
	dom->vcpus = calloc(dom->nr_vcpus, sizeof(*dom->vcpus));
	if (!dom->vcpus)
		return -ENOMEM;
	for (unsigned int i = 0; i < dom->nr_vcpus; i++)
		dom->vcpus[i] = (struct xen_vcpu){ .dom = dom, .id = i };
	rc = xen_cpuid_init(dom);
	if (!rc)
		rc = xen_hypercall_page_init(dom);
	return rc;
}

void xen_domain_destroy(struct xen_domain *dom)
{
	free(dom->vcpus);
	dom->vcpus = NULL;
	pthread_mutex_destroy(&dom->lock);
}
