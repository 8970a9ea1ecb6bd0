// SPDX-License-Identifier: GPL-2.0
/*
 * Hypercall argument checks through the dispatcher, with Xen 4.17's answers for an
 * unprivileged HVM domain as the expectation (common/kernel.c do_xen_version, the XSM
 * dummy policy, drivers/char/console.c, common/sched/core.c).
 */
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/features.h>
#include <xen/sched.h>
#include <xen/vcpu.h>
#include <xen/version.h>
#include <xen/xen.h>

#include "tests/unit/unit.h"
#include "tests/unit/xen/fixture.h"

#define BUF 0x200000ULL /* a RAM address, identity-mapped */
#define HOLE 0xf0000000ULL /* the MMIO hole below 4 GiB */
#define BEYOND_RAM (32ULL << 20) /* first byte after RAM */

XEN_FIXTURE_SUITE(1000000)

static void test_unknown_numbers(void)
{
	static const uint64_t nrs[] = { 43, 55, 63, 64, 1000, UINT64_MAX };

	for (size_t i = 0; i < sizeof(nrs) / sizeof(nrs[0]); i++)
		CU_ASSERT_EQUAL(fixture_call(&fx, nrs[i], 0, 0, 0), -XEN_ENOSYS);
	/* PV-only hypercalls do not exist for an HVM guest either. */
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_mmu_update, 0, 0, 0), -XEN_ENOSYS);
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_set_trap_table, 0, 0, 0), -XEN_ENOSYS);
}

static void test_counters(void)
{
	uint64_t before = atomic_load(&fx.dom.hypercall_count[__HYPERVISOR_xen_version]);

	fixture_call(&fx, __HYPERVISOR_xen_version, XENVER_version, 0, 0);
	fixture_call(&fx, __HYPERVISOR_xen_version, XENVER_version, 0, 0);
	CU_ASSERT_EQUAL(atomic_load(&fx.dom.hypercall_count[__HYPERVISOR_xen_version]), before + 2);
}

static void test_version_values(void)
{
	char *s = fixture_ptr(&fx, BUF, 1024);

	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_xen_version, XENVER_version, 0, 0),
			(4 << 16) | 17);
	/* pagesize answers only with a NULL argument. */
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_xen_version, XENVER_pagesize, 0, 0), 4096);
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_xen_version, XENVER_pagesize, BUF, 0),
			-XEN_EINVAL);
	memset(s, 'x', 1024);
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_xen_version, XENVER_extraversion, BUF, 0),
			0);
	CU_ASSERT_PTR_NOT_NULL(memchr(s, '\0', sizeof(xen_extraversion_t)));
	CU_ASSERT_EQUAL(s[sizeof(xen_extraversion_t)], 'x'); /* wrote exactly the array */
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_xen_version, XENVER_guest_handle, BUF, 0),
			0);
	CU_ASSERT_EQUAL(memcmp(s, "0123456789abcdef", 16), 0);
	/* A domU gets Xen's denial string for the command line, -EPERM for the build id. */
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_xen_version, XENVER_commandline, BUF, 0), 0);
	CU_ASSERT_STRING_EQUAL(s, "<denied>");
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_xen_version, XENVER_build_id, BUF, 0),
			-XEN_EPERM);
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_xen_version, 99, BUF, 0), -XEN_ENOSYS);
}

static void test_get_features(void)
{
	xen_feature_info_t *fi = fixture_ptr(&fx, BUF, sizeof(*fi));

	fi->submap_idx = 0;
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_xen_version, XENVER_get_features, BUF, 0),
			0);
	/* An HVM domain is translated and not direct-mapped; never dom0. */
	CU_ASSERT(fi->submap & (1u << XENFEAT_auto_translated_physmap));
	CU_ASSERT(fi->submap & (1u << XENFEAT_not_direct_mapped));
	CU_ASSERT_FALSE(fi->submap & (1u << XENFEAT_direct_mapped));
	CU_ASSERT_FALSE(fi->submap & (1u << XENFEAT_dom0));
	fi->submap_idx = 1; /* XENFEAT_NR_SUBMAPS is 1 */
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_xen_version, XENVER_get_features, BUF, 0),
			-XEN_EINVAL);
}

static void test_bad_pointers(void)
{
	static const uint64_t bad[] = { HOLE,		HOLE - 2,      BEYOND_RAM,
					BEYOND_RAM - 2, 0xc0000000ULL, UINT64_MAX - 3,
					0x100000000ULL };

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		CU_ASSERT_EQUAL(
			fixture_call(&fx, __HYPERVISOR_xen_version, XENVER_extraversion, bad[i], 0),
			-XEN_EFAULT);
		CU_ASSERT_EQUAL(
			fixture_call(&fx, __HYPERVISOR_xen_version, XENVER_get_features, bad[i], 0),
			-XEN_EFAULT);
		CU_ASSERT_EQUAL(
			fixture_call(&fx, __HYPERVISOR_console_io, CONSOLEIO_write, 8, bad[i]),
			-XEN_EFAULT);
		CU_ASSERT_EQUAL(
			fixture_call(&fx, __HYPERVISOR_sched_op, SCHEDOP_shutdown, bad[i], 0),
			-XEN_EFAULT);
	}
	CU_ASSERT_FALSE(vm_stopping(&fx.vm));
}

static void test_console_io(void)
{
	memcpy(fixture_ptr(&fx, BUF, 6), "hello\n", 6);
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_console_io, CONSOLEIO_write, 6, BUF), 0);
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_console_io, CONSOLEIO_write, 0, HOLE), 0);
	/* Reading Xen's console is for privileged domains only. */
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_console_io, CONSOLEIO_read, 6, BUF),
			-XEN_EPERM);
}

static void test_sched_ops(void)
{
	struct sched_remote_shutdown *rs = fixture_ptr(&fx, BUF, sizeof(*rs));

	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0), 0);
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_sched_op, 99, 0, 0), -XEN_ENOSYS);
	rs->domain_id = 3;
	rs->reason = SHUTDOWN_poweroff;
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_sched_op, SCHEDOP_remote_shutdown, BUF, 0),
			-XEN_ESRCH);
	CU_ASSERT_FALSE(vm_stopping(&fx.vm));
}

static void test_shutdown_code_wins(void)
{
	struct sched_shutdown *sd = fixture_ptr(&fx, BUF, sizeof(*sd));

	sd->reason = SHUTDOWN_reboot;
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_sched_op, SCHEDOP_shutdown_code, BUF, 0), 0);
	CU_ASSERT_FALSE(vm_stopping(&fx.vm));
	sd->reason = SHUTDOWN_crash; /* a second code does not replace the first */
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_sched_op, SCHEDOP_shutdown_code, BUF, 0), 0);
	sd->reason = SHUTDOWN_poweroff;
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_sched_op, SCHEDOP_shutdown, BUF, 0), 0);
	CU_ASSERT_TRUE(vm_stopping(&fx.vm));
	CU_ASSERT_EQUAL(fx.vm.exit_status, VM_EXIT_REBOOT);
}

/* Xen's hvm_hypercall(): any CPL but 0 gets -EPERM, whatever the hypercall. */
static void test_user_mode_refused(void)
{
	struct sched_shutdown *sd = fixture_ptr(&fx, BUF, sizeof(*sd));
	uint64_t before = atomic_load(&fx.dom.hypercall_count[__HYPERVISOR_sched_op]);

	for (unsigned int cpl = 1; cpl <= 3; cpl++) {
		struct xen_call call = {
			.dom = &fx.dom,
			.vcpu = &fx.vcpu,
			.paging = { .cr0 = X86_CR0_PE },
			.is_64 = true,
			.cpl = cpl,
			.nr = __HYPERVISOR_xen_version,
			.args = { XENVER_version },
		};

		CU_ASSERT_EQUAL(xen_hypercall_dispatch(&call), -XEN_EPERM);
		sd->reason = SHUTDOWN_poweroff;
		call.nr = __HYPERVISOR_sched_op;
		call.args[0] = SCHEDOP_shutdown;
		call.args[1] = BUF;
		CU_ASSERT_EQUAL(xen_hypercall_dispatch(&call), -XEN_EPERM);
		call.nr = 1000;
		CU_ASSERT_EQUAL(xen_hypercall_dispatch(&call), -XEN_EPERM);
	}
	/* Refused before dispatch: nothing ran (no shutdown), so nothing was counted. */
	CU_ASSERT_EQUAL(atomic_load(&fx.dom.hypercall_count[__HYPERVISOR_sched_op]), before);
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_xen_version, XENVER_version, 0, 0),
			(4 << 16) | 17);
}

/*
 * Xen's do_vm_assist() for an HVM domain: only VMASST_TYPE_runstate_update_flag is valid
 * (HVM_VM_ASSIST_MASK), other types -EINVAL, other commands -ENOSYS. Linux enables it.
 */
static void test_vm_assist(void)
{
	static const uint64_t bad_types[] = { VMASST_TYPE_4gb_segments,
					      VMASST_TYPE_writable_pagetables,
					      VMASST_TYPE_pae_extended_cr3,
					      VMASST_TYPE_architectural_iopl,
					      VMASST_TYPE_m2p_strict,
					      63,
					      64,
					      1ULL << 32 | VMASST_TYPE_4gb_segments };
	struct vcpu_register_runstate_memory_area area = { .addr.p = BUF + 0x100 };
	struct vcpu_runstate_info *ri = fixture_ptr(&fx, BUF + 0x100, sizeof(*ri));

	for (size_t i = 0; i < sizeof(bad_types) / sizeof(bad_types[0]); i++)
		CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_vm_assist, VMASST_CMD_enable,
					     bad_types[i], 0),
				-XEN_EINVAL);
	CU_ASSERT_EQUAL(
		fixture_call(&fx, __HYPERVISOR_vm_assist, 2, VMASST_TYPE_runstate_update_flag, 0),
		-XEN_ENOSYS);
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_vm_assist, VMASST_CMD_enable,
				     VMASST_TYPE_runstate_update_flag, 0),
			0);
	/* The area written under the flag's protocol ends with the flag clear. */
	memset(ri, 0xff, sizeof(*ri));
	memcpy(fixture_ptr(&fx, BUF, sizeof(area)), &area, sizeof(area));
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_vcpu_op,
				     VCPUOP_register_runstate_memory_area, 0, BUF),
			0);
	CU_ASSERT_EQUAL(ri->state, RUNSTATE_running);
	CU_ASSERT_FALSE(ri->state_entry_time & XEN_RUNSTATE_UPDATE);
	CU_ASSERT_EQUAL(fixture_call(&fx, __HYPERVISOR_vm_assist, VMASST_CMD_disable,
				     VMASST_TYPE_runstate_update_flag, 0),
			0);
	CU_ASSERT_EQUAL(fx.dom.vm_assist, 0);
}

UNIT_SUITE(xen_hypercalls, setup, teardown, UNIT_TEST(test_unknown_numbers),
	   UNIT_TEST(test_counters), UNIT_TEST(test_version_values), UNIT_TEST(test_get_features),
	   UNIT_TEST(test_bad_pointers), UNIT_TEST(test_console_io), UNIT_TEST(test_sched_ops),
	   UNIT_TEST(test_shutdown_code_wins), UNIT_TEST(test_user_mode_refused),
	   UNIT_TEST(test_vm_assist));
