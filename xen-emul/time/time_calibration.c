// SPDX-License-Identifier: GPL-2.0
#include "xen-emul/time/time_calibration.h"

#define NSEC_PER_SEC 1000000000ULL
/* A rate measured over less than this is noise (clock reads jitter by ~1 us). */
#define MIN_MEASURE_NS 500000000ULL

uint64_t xen_time_line_at(const struct xen_time_line *l, uint64_t tsc)
{
	if (tsc < l->tsc)
		return l->ns;
	return l->ns + xen_time_scale_apply(l->scale, tsc - l->tsc);
}

uint64_t xen_time_measure_hz(uint64_t tsc_ticks, uint64_t ns)
{
	if (ns < MIN_MEASURE_NS || !tsc_ticks)
		return 0;
	return (uint64_t)(((unsigned __int128)tsc_ticks * NSEC_PER_SEC + ns / 2) / ns);
}

struct xen_time_line xen_time_line_next(const struct xen_time_line *l, uint64_t tsc,
					uint64_t host_ns, uint64_t hz)
{
	struct xen_time_line next = { .tsc = tsc, .ns = xen_time_line_at(l, tsc) };
	int64_t error = (int64_t)(host_ns - next.ns);
	uint64_t cover;

	if (error > (int64_t)XEN_TIME_CAL_STEP_NS) {
		/* Far behind: catch up at once, forward only, at the measured rate. */
		next.ns = host_ns;
		next.scale = hz ? xen_time_scale_for(hz) : l->scale;
		return next;
	}
	if (!hz) {
		next.scale = l->scale;
		return next;
	}
	if (error > (int64_t)XEN_TIME_CAL_MAX_SLEW_NS)
		error = (int64_t)XEN_TIME_CAL_MAX_SLEW_NS;
	if (error < -(int64_t)XEN_TIME_CAL_MAX_SLEW_NS)
		error = -(int64_t)XEN_TIME_CAL_MAX_SLEW_NS;
	/*
	 * Over the next period the TSC advances hz ticks per second of host time; the line
	 * must cover the period plus the error in that many ticks, i.e. run as a clock of
	 * hz * period / cover.
	 */
	cover = error >= 0 ? XEN_TIME_CAL_PERIOD_NS + (uint64_t)error :
			     XEN_TIME_CAL_PERIOD_NS - (uint64_t)-error;
	next.scale = xen_time_scale_for(
		(uint64_t)(((unsigned __int128)hz * XEN_TIME_CAL_PERIOD_NS + cover / 2) / cover));
	return next;
}
