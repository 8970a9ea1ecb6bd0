// SPDX-License-Identifier: GPL-2.0
/*
 * HVMOP_set_param / HVMOP_get_param through the dispatcher. The expected answer for
 * every index is restated here from Xen 4.17's hvm_allow_set_param() and
 * hvm_allow_get_param() (arch/x86/hvm/hvm.c), not taken from hvm_params.c.
 */
#define __XEN_TOOLS__ 1 /* the deprecated param numbers */
#include <stdint.h>
#include <string.h>
#include <xen/hvm/params.h>
#include <xen/errno.h>
#include <xen/hvm/hvm_op.h>

#include "tests/unit/unit.h"
#include "tests/unit/xen/fixture.h"
#include "xen-emul/hvm/hvm_params.h"

#define REQ 0x200000ULL
#define BAD 0x40000000000ULL

XEN_FIXTURE_SUITE(1000000)

static long param_op(unsigned int op, domid_t domid, uint32_t index, uint64_t *value)
{
	struct xen_hvm_param *p = fixture_ptr(&fx, REQ, sizeof(*p));
	long rc;

	*p = (struct xen_hvm_param){ .domid = domid, .index = index, .value = *value };
	rc = fixture_call(&fx, __HYPERVISOR_hvm_op, op, REQ, 0);
	*value = p->value;
	return rc;
}

static long set(uint32_t index, uint64_t value)
{
	return param_op(HVMOP_set_param, DOMID_SELF, index, &value);
}

static long get(uint32_t index, uint64_t *value)
{
	*value = 0;
	return param_op(HVMOP_get_param, DOMID_SELF, index, value);
}

static bool deprecated(uint32_t i)
{
	return i == HVM_PARAM_PAE_ENABLED || i == HVM_PARAM_DM_DOMAIN ||
	       (i >= HVM_PARAM_MEMORY_EVENT_CR0 && i <= HVM_PARAM_BUFIOREQ_EVTCHN) ||
	       i == HVM_PARAM_MEMORY_EVENT_MSR;
}

static bool guest_settable(uint32_t i)
{
	return i == HVM_PARAM_CALLBACK_IRQ || i == HVM_PARAM_VM86_TSS ||
	       i == HVM_PARAM_VM86_TSS_SIZED || i == HVM_PARAM_ACPI_IOPORTS_LOCATION ||
	       i == HVM_PARAM_VM_GENERATION_ID_ADDR || i == HVM_PARAM_STORE_EVTCHN ||
	       i == HVM_PARAM_CONSOLE_EVTCHN || i == HVM_PARAM_X87_FIP_WIDTH;
}

static bool guest_readable(uint32_t i)
{
	return guest_settable(i) || i == HVM_PARAM_STORE_PFN || i == HVM_PARAM_CONSOLE_PFN ||
	       i == HVM_PARAM_ALTP2M;
}

static void test_permissions_of_every_index(void)
{
	for (uint32_t i = 0; i < HVM_NR_PARAMS; i++) {
		long want_get = deprecated(i) ? -XEN_EINVAL : guest_readable(i) ? 0 : -XEN_EPERM;
		long want_set = deprecated(i) ? -XEN_EINVAL : guest_settable(i) ? 0 : -XEN_EPERM;
		uint64_t v;

		CU_ASSERT_EQUAL(get(i, &v), want_get);
		if (!guest_settable(i))
			CU_ASSERT_EQUAL(set(i, 0), want_set);
	}
}

static void test_round_trips(void)
{
	static const uint32_t plain[] = { HVM_PARAM_CALLBACK_IRQ, HVM_PARAM_VM_GENERATION_ID_ADDR,
					  HVM_PARAM_STORE_EVTCHN, HVM_PARAM_CONSOLE_EVTCHN };
	uint64_t v;

	for (unsigned int i = 0; i < sizeof(plain) / sizeof(plain[0]); i++) {
		CU_ASSERT_EQUAL(set(plain[i], 0xfedcba9876543210ULL), 0);
		CU_ASSERT_EQUAL(get(plain[i], &v), 0);
		CU_ASSERT_EQUAL(v, 0xfedcba9876543210ULL);
		CU_ASSERT_EQUAL(fx.dom.hvm_params[plain[i]], 0xfedcba9876543210ULL);
		CU_ASSERT_EQUAL(set(plain[i], 0), 0);
	}
	CU_ASSERT_EQUAL(set(HVM_PARAM_X87_FIP_WIDTH, 4), 0);
	CU_ASSERT_EQUAL(get(HVM_PARAM_X87_FIP_WIDTH, &v), 0);
	CU_ASSERT_EQUAL(v, 4);
	CU_ASSERT_EQUAL(set(HVM_PARAM_X87_FIP_WIDTH, 16), -XEN_EINVAL);
	CU_ASSERT_EQUAL(get(HVM_PARAM_X87_FIP_WIDTH, &v), 0);
	CU_ASSERT_EQUAL(v, 4);
	CU_ASSERT_EQUAL(set(HVM_PARAM_ACPI_IOPORTS_LOCATION, 1), -XEN_ENODEV);
}

static void test_vm86_tss_forms(void)
{
	uint64_t v;

	CU_ASSERT_EQUAL(set(HVM_PARAM_VM86_TSS, 0x9000), 0);
	CU_ASSERT_EQUAL(get(HVM_PARAM_VM86_TSS_SIZED, &v), 0);
	CU_ASSERT_EQUAL(v, (128ULL << 32) | 0x9000);
	CU_ASSERT_EQUAL(get(HVM_PARAM_VM86_TSS, &v), 0);
	CU_ASSERT_EQUAL(v, 0x9000);
	CU_ASSERT_EQUAL(set(HVM_PARAM_VM86_TSS, 0), 0);
	CU_ASSERT_EQUAL(get(HVM_PARAM_VM86_TSS_SIZED, &v), 0);
	CU_ASSERT_EQUAL(v, 0);
	CU_ASSERT_EQUAL(set(HVM_PARAM_VM86_TSS_SIZED, (0x7fffffffULL << 32) | 0x1000), 0);
	CU_ASSERT_EQUAL(get(HVM_PARAM_VM86_TSS_SIZED, &v), 0);
	CU_ASSERT_EQUAL(v, ((104ULL + 32 + 8192 + 1) << 32) | 0x1000);
}

static void test_index_and_domain(void)
{
	uint64_t v = 0;

	CU_ASSERT_EQUAL(param_op(HVMOP_get_param, DOMID_SELF, HVM_NR_PARAMS, &v), -XEN_EINVAL);
	CU_ASSERT_EQUAL(param_op(HVMOP_set_param, DOMID_IO, HVM_NR_PARAMS, &v), -XEN_EINVAL);
	CU_ASSERT_EQUAL(param_op(HVMOP_get_param, DOMID_IO, HVM_PARAM_STORE_PFN, &v), -XEN_ESRCH);
	CU_ASSERT_EQUAL(param_op(HVMOP_get_param, 0, HVM_PARAM_STORE_PFN, &v), -XEN_EPERM);
	CU_ASSERT_EQUAL(param_op(HVMOP_get_param, 7, HVM_PARAM_STORE_PFN, &v), 0);
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_hvm_op, HVMOP_get_param, BAD, 0),
			-XEN_EFAULT);
}

static void test_set_by_vmm(void)
{
	uint64_t v;

	CU_ASSERT_EQUAL(xen_hvm_param_set_by_vmm(&fx.dom, HVM_PARAM_STORE_PFN, 0xfeffc), 0);
	CU_ASSERT_EQUAL(get(HVM_PARAM_STORE_PFN, &v), 0);
	CU_ASSERT_EQUAL(v, 0xfeffc);
	CU_ASSERT_EQUAL(set(HVM_PARAM_STORE_PFN, 1), -XEN_EPERM);
	CU_ASSERT_NOT_EQUAL(xen_hvm_param_set_by_vmm(&fx.dom, HVM_NR_PARAMS, 1), 0);
}

static void test_fip_width_follows_cpuid(void)
{
	uint64_t v;

	CU_ASSERT_EQUAL(cpuid_set_subleaf(&fx.vm, 7, 0, 0, 1u << 13, 0, 0), 0);
	xen_hvm_params_init(&fx.dom);
	CU_ASSERT_EQUAL(get(HVM_PARAM_X87_FIP_WIDTH, &v), 0);
	CU_ASSERT_EQUAL(v, 8);
	CU_ASSERT_EQUAL(cpuid_set_subleaf(&fx.vm, 7, 0, 0, 0, 0, 0), 0);
	xen_hvm_params_init(&fx.dom);
	CU_ASSERT_EQUAL(get(HVM_PARAM_X87_FIP_WIDTH, &v), 0);
	CU_ASSERT_EQUAL(v, 0);
}

/* hvm_set_param() crashes a domain that gives itself an unusable VM86 TSS. */
static void test_bad_tss_crashes_the_domain(void)
{
	CU_ASSERT_EQUAL(set(HVM_PARAM_VM86_TSS_SIZED, 64ULL << 32), -XEN_EINVAL);
	CU_ASSERT(fx.vm.stopping);
	CU_ASSERT_EQUAL(fx.vm.exit_status, VM_EXIT_CRASH);
}

UNIT_SUITE(xen_hvm_params, setup, teardown, UNIT_TEST(test_permissions_of_every_index),
	   UNIT_TEST(test_round_trips), UNIT_TEST(test_vm86_tss_forms),
	   UNIT_TEST(test_index_and_domain), UNIT_TEST(test_set_by_vmm),
	   UNIT_TEST(test_fip_width_follows_cpuid), UNIT_TEST(test_bad_tss_crashes_the_domain))
