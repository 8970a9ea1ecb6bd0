// SPDX-License-Identifier: GPL-2.0
#include "xen-emul/time/time_scale.h"

#define NSEC_PER_SEC 1000000000ULL

/*
 * Normalise the tick rate into (NSEC_PER_SEC / 2, NSEC_PER_SEC * 2] by shifting, so the
 * remaining factor NSEC_PER_SEC / rate lies in [0.5, 2) and, as a 32-bit binary fraction
 * of a power-of-two-adjusted rate, keeps full precision.
 */
struct xen_time_scale xen_time_scale_for(uint64_t hz)
{
	struct xen_time_scale s = { 0, 0 };
	uint64_t rate = hz;

	if (!hz)
		return s;
	while (rate > 2 * NSEC_PER_SEC) {
		rate >>= 1;
		s.shift--;
	}
	while (rate <= NSEC_PER_SEC) {
		rate <<= 1;
		s.shift++;
	}
	/* rate > NSEC_PER_SEC here, so the quotient is below 2^32. */
	s.mul_frac = (uint32_t)((NSEC_PER_SEC << 32) / rate);
	return s;
}

uint64_t xen_time_scale_apply(struct xen_time_scale s, uint64_t ticks)
{
	if (s.shift < 0)
		ticks >>= -s.shift;
	else
		ticks <<= s.shift;
	return (uint64_t)(((unsigned __int128)ticks * s.mul_frac) >> 32);
}
