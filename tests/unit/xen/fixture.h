/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A Xen domain without KVM for unit tests: guest RAM, a CPUID table and the Xen layer's
 * state, with hypercalls issued from a vCPU in flat 32-bit mode or with identity paging.
 */
#ifndef XENKVM_TESTS_XEN_FIXTURE_H
#define XENKVM_TESTS_XEN_FIXTURE_H

#include "vmm/vm.h"
#include "xen-emul/xen.h"

struct xen_fixture {
	struct vm vm;
	struct vcpu vcpu;
	struct xen_domain dom;
	unsigned long continuations; /* hypercall continuations fixture_call() followed */
};

int fixture_init(struct xen_fixture *f, uint32_t tsc_khz);
/* The same with `nr_vcpus` vCPUs in the domain (vCPU 0 issues the hypercalls). */
int fixture_init_vcpus(struct xen_fixture *f, uint32_t tsc_khz, unsigned int nr_vcpus);
void fixture_destroy(struct xen_fixture *f);
/* Issues hypercall nr from 64-bit code with paging off-equivalent identity addresses. */
long fixture_call(struct xen_fixture *f, uint64_t nr, uint64_t a0, uint64_t a1, uint64_t a2);
void *fixture_ptr(struct xen_fixture *f, uint64_t gpa, uint64_t len);

/* A suite's fixture `fx` with the CUnit set-up and tear-down that create and free it. */
#define XEN_FIXTURE_SUITE(tsc_khz)                            \
	static struct xen_fixture fx;                         \
	static int setup(void)                                \
	{                                                     \
		return fixture_init(&fx, (tsc_khz)) ? -1 : 0; \
	}                                                     \
	static int teardown(void)                             \
	{                                                     \
		fixture_destroy(&fx);                         \
		return 0;                                     \
	}

#endif
