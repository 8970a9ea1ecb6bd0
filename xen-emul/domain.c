// SPDX-License-Identifier: GPL-2.0
#include <string.h>

#include "xen-emul/xen.h"

int xen_domain_init(struct xen_domain *dom, struct vm *vm, const struct xen_config *cfg)
{
	int rc;

	memset(dom, 0, sizeof(*dom));
	dom->vm = vm;
	dom->cfg = *cfg;
	dom->shutdown_code = -1;
	rc = xen_cpuid_init(dom);
	if (!rc)
		rc = xen_hypercall_page_init(dom);
	return rc;
}
