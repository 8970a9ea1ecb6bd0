// SPDX-License-Identifier: MIT
/*
 * runstate32: the runstate area and VCPUOP_get_runstate_info from 32-bit code get Xen's
 * compat vcpu_runstate_info: uint64_t aligned to 4 bytes, so state_entry_time follows
 * state at offset 4 and the structure is 44 bytes (48 in the 64-bit layout, with its
 * padding after state). Linux's 32-bit kernels read it so (arch/x86/xen/time.c).
 *
 * The values are Xen system time, the host's uptime under real Xen: a time's high word is
 * held to under 0x1000 (4.8 hours), which a 64-bit layout read at these offsets (a low
 * word, or padding and a low word, in the high word's place) misses with odds of about
 * 2^-20. The registered copy is the runstate as of the vCPU's last state change (Xen
 * copies v->runstate): its running time may be 0, but the times never add up to more
 * than state_entry_time (they count from the vCPU's creation). VCPUOP_get_runstate_info
 * adds the time since then, so running is never 0 there.
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

#define TIME_HI_MAX 0x1000 /* 2^44 ns, 4.8 hours */

static uint64_t u64_at(const uint8_t *p, unsigned int off)
{
	return (uint64_t)u32_at(p, off + 4) << 32 | u32_at(p, off);
}

/*
 * The compat layout: state, then state_entry_time and four times, 4-byte aligned.
 * `running_known`: the copy includes the running time up to now.
 */
static void check_layout(const uint8_t *p, const char *what, bool running_known)
{
	uint32_t entry_lo = u32_at(p, 4), entry_hi = u32_at(p, 8);
	uint64_t sum = 0;

	check(u32_at(p, 0) == RUNSTATE_running, what, u32_at(p, 0));
	check(!(entry_hi & RUNSTATE_UPDATE_HI), "XEN_RUNSTATE_UPDATE left set", entry_hi);
	check(entry_hi < TIME_HI_MAX, "state_entry_time (high word) is not a time at offset 4",
	      entry_hi);
	check(entry_lo || entry_hi, "state_entry_time at offset 4 is 0", entry_lo);
	for (unsigned int i = 0; i < 4; i++) {
		check(u32_at(p, 16 + 8 * i) < TIME_HI_MAX,
		      "a time's high word (offset 16 + 8 * the seen state) is not a time", i);
		sum += u64_at(p, 12 + 8 * i);
	}
	if (running_known)
		check(u64_at(p, 12) != 0, "no running time at offset 12", u32_at(p, 12));
	else
		check(sum <= u64_at(p, 4), "the times add up to more than state_entry_time",
		      (uint32_t)(sum >> 32));
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
	check_layout(area, "state in the area (offset 0)", false);
	rc = hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_get_runstate_info, 0,
			(uint32_t)(uintptr_t)got);
	check(rc == 0, "VCPUOP_get_runstate_info", (uint32_t)rc);
	check_layout(got, "state from get_runstate_info (offset 0)", true);
	puts_port("runstate32: compat layout checked\n");
}
