// SPDX-License-Identifier: MIT
/*
 * runstate32: the runstate area and VCPUOP_get_runstate_info from 32-bit code get Xen's
 * compat vcpu_runstate_info: uint64_t aligned to 4 bytes, so state_entry_time follows
 * state at offset 4 and the structure is 44 bytes (48 in the 64-bit layout, with its
 * padding after state). Linux's 32-bit kernels read it so (arch/x86/xen/time.c).
 */
#include "rt32.h"

#include <xen/vcpu.h>

const char test32_name[] = "runstate32";

#define COMPAT_SIZE 44
#define RUNSTATE_UPDATE_HI (1u << 31) /* XEN_RUNSTATE_UPDATE in the high word */

static uint8_t area[64] __attribute__((aligned(8)));
static uint8_t got[64] __attribute__((aligned(8)));

static uint32_t u32_at(const uint8_t *p, unsigned int off)
{
	return (uint32_t)p[off] | (uint32_t)p[off + 1] << 8 | (uint32_t)p[off + 2] << 16 |
	       (uint32_t)p[off + 3] << 24;
}

/* The compat layout: state, then state_entry_time and four times, 4-byte aligned. */
static void check_layout(const uint8_t *p, const char *what)
{
	uint32_t entry_lo = u32_at(p, 4), entry_hi = u32_at(p, 8);
	uint32_t running_lo = u32_at(p, 12), running_hi = u32_at(p, 16);

	check(u32_at(p, 0) == RUNSTATE_running, what, u32_at(p, 0));
	check(!(entry_hi & RUNSTATE_UPDATE_HI), "XEN_RUNSTATE_UPDATE left set", entry_hi);
	check(entry_hi < 0x10, "state_entry_time (high word) is not a time at offset 4", entry_hi);
	check(entry_lo || entry_hi, "state_entry_time at offset 4 is 0", entry_lo);
	check(running_lo || running_hi, "no running time at offset 12", running_lo);
	check(running_hi < 0x10, "time[running] (high word) is not a time at offset 12",
	      running_hi);
	for (unsigned int i = COMPAT_SIZE; i < sizeof(area); i++)
		check(p[i] == 0xee, "a byte past the 44-byte compat layout was written", i);
}

void test32_main(const struct hvm_start_info *si, uint32_t base)
{
	struct vcpu_register_runstate_memory_area reg;
	long rc;

	(void)si;
	(void)base;
	for (unsigned int i = 0; i < sizeof(area); i++)
		area[i] = got[i] = 0xee;
	reg.addr.p = (uint32_t)(uintptr_t)area;
	rc = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_register_runstate_memory_area, 0,
			(uint32_t)(uintptr_t)&reg);
	check(rc == 0, "VCPUOP_register_runstate_memory_area", (uint32_t)rc);
	check_layout(area, "state in the area (offset 0)");
	rc = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0,
			(uint32_t)(uintptr_t)got);
	check(rc == 0, "VCPUOP_get_runstate_info", (uint32_t)rc);
	check_layout(got, "state from get_runstate_info (offset 0)");
	puts_port("runstate32: compat layout checked\n");
}
