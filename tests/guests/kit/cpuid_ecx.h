/* SPDX-License-Identifier: MIT */
/*
 * What a Xen CPUID leaf answers when ECX is not 0, as Xen's cpuid_hypervisor_leaves()
 * does: base+0 to base+2 ignore ECX; the time leaf (base+3) has sub-leaves 0 to 2; base+4
 * and base+5 answer sub-leaf 0 only. Every other sub-leaf is all zeroes. Guests need not
 * clear ECX before CPUID (third-party kernels do not), so the signature search and the
 * hypercall-page leaf must work whatever ECX holds.
 *
 * Header only and freestanding: the 64-bit kit's guests and the 32-bit guests share it.
 */
#ifndef KIT_CPUID_ECX_H
#define KIT_CPUID_ECX_H

#include <stdint.h>

enum xen_subleaf_answer {
	XEN_SUBLEAF_AS_ECX0, /* the ECX=0 answer */
	XEN_SUBLEAF_OWN, /* a defined sub-leaf with its own answer */
	XEN_SUBLEAF_ZERO, /* undefined: all zeroes */
};

static inline enum xen_subleaf_answer xen_subleaf_answer(uint32_t index, uint32_t ecx)
{
	if (index <= 2)
		return XEN_SUBLEAF_AS_ECX0;
	if (ecx == 0 || (index == 3 && ecx <= 2))
		return XEN_SUBLEAF_OWN;
	return XEN_SUBLEAF_ZERO;
}

/* Values a guest may leave in ECX: all ones, one less, the sign bit, junk, small ones. */
static const uint32_t xen_garbage_ecx[] = { 0xfffffffe, 0xffffffff, 0x80000000, 0x12345678, 1, 3 };

#define XEN_GARBAGE_ECX_COUNT (sizeof(xen_garbage_ecx) / sizeof(xen_garbage_ecx[0]))

#endif
