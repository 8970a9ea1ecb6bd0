// SPDX-License-Identifier: MIT
/*
 * cpuid32: the Xen leaves from 32-bit code with garbage in ECX, as a third-party kernel
 * that does not clear ECX before CPUID issues them. The signature search must find
 * the same base, and each leaf must answer as Xen does (kit/cpuid_ecx.h): the ECX=0
 * answer for base+0..2, zeroes for an undefined sub-leaf of base+3..5.
 */
#include "rt32.h"
#include "cpuid_ecx.h"

#include <xen/arch-x86/cpuid.h>

const char test32_name[] = "cpuid32";

static uint32_t search(uint32_t ecx)
{
	for (uint32_t leaf = 0x40000000; leaf < 0x40010000; leaf += 0x100) {
		uint32_t a, b, c, d;

		cpuid_count(leaf, ecx, &a, &b, &c, &d);
		if (b == XEN_CPUID_SIGNATURE_EBX && c == XEN_CPUID_SIGNATURE_ECX &&
		    d == XEN_CPUID_SIGNATURE_EDX)
			return leaf;
	}
	return 0;
}

static void check_leaf(uint32_t base, uint32_t i, uint32_t ecx)
{
	enum xen_subleaf_answer kind = xen_subleaf_answer(i, ecx);
	uint32_t want[4], got[4];

	if (kind == XEN_SUBLEAF_OWN)
		return;
	cpuid_count(base + i, 0, &want[0], &want[1], &want[2], &want[3]);
	cpuid_count(base + i, ecx, &got[0], &got[1], &got[2], &got[3]);
	for (int r = 0; r < 4; r++) {
		bool ok = got[r] == (kind == XEN_SUBLEAF_AS_ECX0 ? want[r] : 0);

		if (!ok) {
			puts_port("cpuid32: leaf base+");
			put_hex(i);
			puts_port(" with ECX ");
			put_hex(ecx);
			puts_port(":\n");
		}
		check(ok, "a Xen leaf with garbage ECX", got[r]);
	}
}

void test32_main(const struct hvm_start_info *si, uint32_t base)
{
	uint32_t max, b, c, d;

	cpuid(base, &max, &b, &c, &d);
	kit_fact_hex("Xen leaves base", base);
	kit_fact_hex("largest Xen leaf", max);
	/* Leaf base+3 holds the TSC frequency: the host's, no fact. */
	for (uint32_t i = 1; base + i <= max; i++) {
		static const char *const names[] = { "leaf base+1 EAX", "leaf base+2 EAX",
						     "leaf base+2 EBX", "leaf base+4 EAX" };
		uint32_t a;

		if (i == 3 || i > 4)
			continue;
		cpuid(base + i, &a, &b, &c, &d);
		kit_fact_hex(names[i == 4 ? 3 : i - 1], a);
		if (i == 2)
			kit_fact_hex(names[2], b);
	}
	for (unsigned int g = 0; g < XEN_GARBAGE_ECX_COUNT; g++) {
		check(search(xen_garbage_ecx[g]) == base, "signature search with garbage ECX",
		      xen_garbage_ecx[g]);
		for (uint32_t i = 0; base + i <= max; i++)
			check_leaf(base, i, xen_garbage_ecx[g]);
	}
	puts_port("cpuid32: every Xen leaf checked with garbage ECX\n");
}
