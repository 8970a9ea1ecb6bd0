// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "xen-emul/transport/accel.h"
#include "xen-emul/evtchn/evtchn.h"
#include "xen-emul/gnttab/grant_table.h"
#include "xen-emul/shared_info.h"
#include "xen-emul/time/time.h"
#include "xen-emul/vcpu/vcpu_op.h"
#include "xen-emul/hvm/hvm_params.h"
#include "xen-emul/memory/memory.h"
#include "xen-emul/xen.h"

int xen_domain_init(struct xen_domain *dom, struct vm *vm, const struct xen_config *cfg,
		    struct evloop *loop)
{
	int rc;

	memset(dom, 0, sizeof(*dom));
	dom->vm = vm;
	dom->cfg = *cfg;
	dom->shutdown_code = -1;
	dom->loop = loop;
	pthread_mutex_init(&dom->lock, NULL);
	dom->nr_vcpus = vm->nr_vcpus;
	dom->vcpus = calloc(dom->nr_vcpus, sizeof(*dom->vcpus));
	if (!dom->vcpus)
		return -ENOMEM;
	for (unsigned int i = 0; i < dom->nr_vcpus; i++)
		/* vCPU 0 is booted by the toolstack; the others wait for VCPUOP_initialise
		 * or INIT/SIPI. */
		dom->vcpus[i] = (struct xen_vcpu){ .dom = dom,
						   .id = i,
						   .initialised = i == 0,
						   .down = i != 0,
						   .vcpu_info_gpa = XEN_NO_GPA,
						   .runstate_gpa = XEN_NO_GPA };
	for (unsigned int i = 0; i < dom->nr_vcpus; i++)
		xen_runstate_init(&dom->vcpus[i]);
	dom->accel = cfg->accel;
	if (!dom->accel && xen_accel_choose(vm, XEN_ACCEL_AUTO, &dom->accel, NULL, 0))
		return -ENODEV;
	xen_time_init(dom);
	xen_vcpu_hotplug_init(dom);
	xen_runstate_pause_hook(dom);
	rc = xen_shared_info_init(dom);
	if (!rc)
		rc = xen_evtchn_init(dom, XEN_EVTCHN_DEFAULT_MAX_PORT);
	if (!rc)
		rc = xen_cpuid_init(dom);
	if (!rc)
		rc = xen_memres_init(dom);
	if (!rc)
		xen_hvm_params_init(dom);
	if (!rc)
		rc = dom->accel->init(dom);
	if (!rc)
		rc = xen_gnttab_init(dom);
	if (!rc)
		rc = xen_time_start(dom);
	return rc;
}

void xen_domain_destroy(struct xen_domain *dom)
{
	xen_timers_destroy(dom);
	xen_time_stop(dom);
	xen_gnttab_destroy(dom);
	xen_evtchn_destroy(dom);
	if (dom->accel && dom->accel->destroy)
		dom->accel->destroy(dom);
	xen_shared_info_destroy(dom);
	xen_memres_destroy(dom);
	free(dom->vcpus);
	dom->vcpus = NULL;
	pthread_mutex_destroy(&dom->lock);
}
