// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include "tests/unit/xen/fixture.h"
#include "vmm/console.h"
#include "vmm/log.h"
#include "xen-emul/magic_pages.h"

int fixture_init(struct xen_fixture *f, uint32_t tsc_khz)
{
	return fixture_init_vcpus(f, tsc_khz, 1);
}

int fixture_init_vcpus(struct xen_fixture *f, uint32_t tsc_khz, unsigned int nr_vcpus)
{
	struct xen_config cfg = {
		.domid = 7, .version_major = 4, .version_minor = 17, .name = "unit"
	};

	memset(f, 0, sizeof(*f));
	if (guest_mem_init(&f->vm.mem, 32ULL << 20))
		return -1;
	/* As xenkvm's main does: the special pages are the map's reserved range. */
	guest_mem_reserve(&f->vm.mem, XEN_MAGIC_FIRST_GFN << GUEST_PAGE_SHIFT,
			  XEN_MAGIC_NR_PAGES << GUEST_PAGE_SHIFT);
	f->vm.cpuid = calloc(1, sizeof(*f->vm.cpuid));
	f->vm.tsc_khz = tsc_khz;
	f->vm.vm_fd = f->vm.kvm_fd = f->vm.special_fd = -1;
	f->vm.nr_vcpus = nr_vcpus;
	pthread_mutex_init(&f->vm.lock, NULL);
	pthread_cond_init(&f->vm.cond, NULL);
	f->vcpu.vm = &f->vm;
	memcpy(cfg.uuid, "0123456789abcdef", 16);
	log_set_level(LOG_ERR); /* the tests provoke warnings on purpose */
	/* console_io output goes to the console; keep the test log readable. */
	console_open("/dev/null");
	return xen_domain_init(&f->dom, &f->vm, &cfg, NULL);
}

void fixture_destroy(struct xen_fixture *f)
{
	xen_domain_destroy(&f->dom);
	free(f->vm.cpuid);
	guest_mem_destroy(&f->vm.mem);
	console_close();
}

long fixture_call(struct xen_fixture *f, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2)
{
	struct xen_call call = {
		.dom = &f->dom,
		.vcpu = &f->vcpu,
		.paging = { .cr0 = X86_CR0_PE },
		.is_64 = true,
		.nr = nr,
		.args = { a0, a1, a2 },
	};
	long rc;

	/* A continuation enters again with the rewritten arguments, as the guest would. */
	do {
		call.continuation = false;
		rc = xen_hypercall_dispatch(&call);
		f->continuations += call.continuation;
	} while (call.continuation);
	return rc;
}

void *fixture_ptr(struct xen_fixture *f, uint64_t gpa, uint64_t len)
{
	return guest_mem_ptr(&f->vm.mem, gpa, len);
}
