/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Xen's fixed-point time scale (vcpu_time_info, CPUID time leaf): nanoseconds =
 * ((ticks << shift) * mul_frac) >> 32, with a negative shift meaning a right shift.
 */
#ifndef XENKVM_XEN_EMUL_TIME_SCALE_H
#define XENKVM_XEN_EMUL_TIME_SCALE_H

#include <stdint.h>

struct xen_time_scale {
	uint32_t mul_frac;
	int8_t shift;
};

/* The scale that turns ticks of a clock running at `hz` into nanoseconds. */
struct xen_time_scale xen_time_scale_for(uint64_t hz);
uint64_t xen_time_scale_apply(struct xen_time_scale s, uint64_t ticks);

#endif
