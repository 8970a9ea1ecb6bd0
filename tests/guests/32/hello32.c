// SPDX-License-Identifier: MIT
/*
 * hello32: an ELF32 PVH guest that never enables paging and calls Xen through the
 * hypercall page with the 32-bit ABI (number in EAX, arguments in EBX, ECX, EDX, ESI,
 * EDI). It proves the loader takes ELF32 images and that the VMM decodes 32-bit calls
 * and writes 32-bit (compat) layouts, which 64-bit guests never exercise.
 */
#include "rt32.h"

#include <xen/xen.h>
#include <xen/errno.h>
#include <xen/features.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/arch-x86/hvm/start_info.h>

const char test32_name[] = "hello32";

static void test_version(uint32_t base)
{
	uint32_t a, b, c, d;
	long v = hypercall3(__HYPERVISOR_xen_version, XENVER_version, 0, 0);

	cpuid(base + 1, &a, &b, &c, &d);
	/* The version leaf and XENVER_version report the same major.minor. */
	check((uint32_t)v == a, "XENVER_version differs from CPUID leaf base+1", (uint32_t)v);
}

static void test_features(void)
{
	static xen_feature_info_t fi;
	long rc;

	fi.submap_idx = 0;
	rc = hypercall3(__HYPERVISOR_xen_version, XENVER_get_features, (uint32_t)(uintptr_t)&fi, 0);
	check(rc == 0, "XENVER_get_features", (uint32_t)rc);
	check(fi.submap & (1u << XENFEAT_auto_translated_physmap),
	      "an HVM guest lacks auto_translated_physmap", fi.submap);
	/* A pointer into the MMIO hole below 4 GiB is no memory: -EFAULT. */
	rc = hypercall3(__HYPERVISOR_xen_version, XENVER_get_features, 0xfee00000u, 0);
	check(rc == -XEN_EFAULT, "XENVER_get_features on 0xfee00000", (uint32_t)rc);
}

/*
 * A 32-bit caller gets the compat layout: a 4-byte virt_start, the domain's compat
 * hypervisor start, which Xen sets only for 32-bit PV domains: 0 for an HVM domain (as
 * real Xen 4.17 answers; an earlier reading of its source said ~0).
 */
static void test_platform_parameters(void)
{
	static uint32_t buf[2];
	long rc;

	buf[0] = buf[1] = 0xaaaaaaaau;
	rc = hypercall3(__HYPERVISOR_xen_version, XENVER_platform_parameters,
			(uint32_t)(uintptr_t)buf, 0);
	check(rc == 0, "XENVER_platform_parameters", (uint32_t)rc);
	check(buf[0] == 0, "compat virt_start", buf[0]);
	check(buf[1] == 0xaaaaaaaau, "bytes written past the 32-bit layout", buf[1]);
}

static void test_console_and_unknown(void)
{
	static const char msg[] = "hello32: through CONSOLEIO_write from 32-bit code\n";
	long rc = hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, sizeof(msg) - 1,
			     (uint32_t)(uintptr_t)msg);

	check(rc == 0, "CONSOLEIO_write", (uint32_t)rc);
	rc = hypercall3(55, 0, 0, 0);
	check(rc == -XEN_ENOSYS, "unknown hypercall 55", (uint32_t)rc);
}

/*
 * SCHEDOP_poll from 32-bit code: struct sched_poll has a 4-byte handle there, so the
 * count is at offset 4 and the timeout at 8 (Xen's compat layout).
 */
static void test_poll_layout(void)
{
	static uint32_t port = 100000; /* no such port */
	static struct {
		uint32_t ports, nr_ports;
		uint64_t timeout;
	} __attribute__((packed)) poll;
	long rc;

	poll.ports = (uint32_t)(uintptr_t)&port;
	poll.nr_ports = 129;
	poll.timeout = 1;
	rc = hypercall3(__HYPERVISOR_sched_op, SCHEDOP_poll, (uint32_t)(uintptr_t)&poll, 0);
	check(rc == -XEN_EINVAL, "SCHEDOP_poll with 129 ports", (uint32_t)rc);
	poll.nr_ports = 1;
	rc = hypercall3(__HYPERVISOR_sched_op, SCHEDOP_poll, (uint32_t)(uintptr_t)&poll, 0);
	check(rc == -XEN_EINVAL, "SCHEDOP_poll on a bad port", (uint32_t)rc);
}

void test32_main(const struct hvm_start_info *si, uint32_t base)
{
	test_poll_layout();
	test_version(base);
	test_features();
	test_platform_parameters();
	test_console_and_unknown();
}
