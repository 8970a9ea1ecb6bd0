/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Keeping the guest's pvclock on the host clock without steps, as Xen's periodic time
 * calibration does: each calibration starts a new reference line where the current one
 * stands (so no vCPU sees its clock jump or go back) and gives it the slope that brings
 * it onto the host clock one period later, from the TSC rate measured against the host
 * over the last period. Pure arithmetic, so that it can be tested without clocks.
 */
#ifndef XENKVM_XEN_EMUL_TIME_CALIBRATION_H
#define XENKVM_XEN_EMUL_TIME_CALIBRATION_H

#include <stdint.h>

#include "xen-emul/time/time_scale.h"

/* How often time.c calibrates, and the most a line corrects in one period (1%). */
#define XEN_TIME_CAL_PERIOD_NS 1000000000ULL
#define XEN_TIME_CAL_MAX_SLEW_NS (XEN_TIME_CAL_PERIOD_NS / 100)
/* A line further behind the host than this (a paused VM) jumps forward instead. */
#define XEN_TIME_CAL_STEP_NS 50000000ULL

/* A pvclock reference: system time `ns` at guest TSC `tsc`, advancing by `scale`. */
struct xen_time_line {
	uint64_t tsc;
	uint64_t ns;
	struct xen_time_scale scale;
};

/* Where the line puts `tsc` (its start for a TSC before it). */
uint64_t xen_time_line_at(const struct xen_time_line *l, uint64_t tsc);

/*
 * The TSC rate in Hz over an interval the host clock measured as `ns`, or 0 when the
 * interval is too short to tell it within a part per million.
 */
uint64_t xen_time_measure_hz(uint64_t tsc_ticks, uint64_t ns);

/*
 * The line to use from guest TSC `tsc` on, when the host's system time there is
 * `host_ns` and the TSC runs at `hz` (measured; 0 keeps `l`'s slope): continuous with
 * `l`, aimed at the host clock one period later.
 */
struct xen_time_line xen_time_line_next(const struct xen_time_line *l, uint64_t tsc,
					uint64_t host_ns, uint64_t hz);

#endif
