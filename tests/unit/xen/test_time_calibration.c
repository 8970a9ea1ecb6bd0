// SPDX-License-Identifier: GPL-2.0
/*
 * The pvclock calibration: a guest whose TSC runs off its nominal rate, or whose clock
 * is ahead of or behind the host's, is brought onto the host clock without its clock
 * ever jumping back, as Xen's time calibration keeps a domain's system time on the
 * platform time.
 */
#include <stdint.h>
#include <stdlib.h>

#include "tests/unit/unit.h"
#include "xen-emul/time/time_calibration.h"

#define PERIOD XEN_TIME_CAL_PERIOD_NS
#define NOMINAL_HZ 2400000000ULL

/* A TSC running `ppm` parts per million fast, `periods` calibrations; returns the error. */
static int64_t run(int ppm, int periods, int64_t start_error_ns, uint64_t *worst_after_3)
{
	uint64_t true_hz = NOMINAL_HZ + NOMINAL_HZ / 1000000 * (uint64_t)(int64_t)ppm;
	struct xen_time_line l = { .tsc = 1000, .ns = 0, .scale = xen_time_scale_for(NOMINAL_HZ) };
	uint64_t tsc = 1000, host = 0, cal_tsc = tsc, cal_ns = host;
	int64_t err = 0;

	l.ns = (uint64_t)((int64_t)PERIOD * 10 + start_error_ns);
	host = PERIOD * 10;
	cal_ns = host;
	*worst_after_3 = 0;
	for (int i = 1; i <= periods; i++) {
		/* Sample inside the period: never behind an earlier sample. */
		uint64_t before = xen_time_line_at(&l, tsc);

		for (int k = 1; k <= 4; k++) {
			uint64_t t = tsc + true_hz / 4 * (uint64_t)k;

			CU_ASSERT(xen_time_line_at(&l, t) >= before);
			before = xen_time_line_at(&l, t);
		}
		tsc += true_hz; /* one second of host time */
		host += PERIOD;
		err = (int64_t)(xen_time_line_at(&l, tsc) - host);
		if (i > 3 && (uint64_t)llabs(err) > *worst_after_3)
			*worst_after_3 = (uint64_t)llabs(err);
		{
			uint64_t hz = xen_time_measure_hz(tsc - cal_tsc, host - cal_ns);
			struct xen_time_line next = xen_time_line_next(&l, tsc, host, hz);

			/* Continuous unless a step forward was due. */
			if (err >= -(int64_t)XEN_TIME_CAL_STEP_NS)
				CU_ASSERT_EQUAL(next.ns, xen_time_line_at(&l, tsc));
			CU_ASSERT(next.ns >= xen_time_line_at(&l, tsc));
			l = next;
			cal_tsc = tsc;
			cal_ns = host;
		}
	}
	return err;
}

static void test_measure_and_line(void)
{
	struct xen_time_line l = { .tsc = 100,
				   .ns = 5000,
				   .scale = xen_time_scale_for(1000000000) };

	CU_ASSERT_EQUAL(xen_time_line_at(&l, 50), 5000); /* before the line: its start */
	CU_ASSERT_EQUAL(xen_time_line_at(&l, 1100), 6000);
	CU_ASSERT_EQUAL(xen_time_measure_hz(2400000000ULL, PERIOD), 2400000000ULL);
	CU_ASSERT_EQUAL(xen_time_measure_hz(2400000ULL, 1000000), 0); /* 1 ms: too short */
	CU_ASSERT_EQUAL(xen_time_measure_hz(0, PERIOD), 0);
}

/* A TSC 200 ppm off its nominal rate: within a microsecond after a few seconds. */
static void test_rate_error_converges(void)
{
	uint64_t worst;

	run(200, 20, 0, &worst);
	CU_ASSERT(worst < 1000);
	run(-200, 20, 0, &worst);
	CU_ASSERT(worst < 1000);
}

/* A clock 5 ms ahead is slowed, never set back: on the host clock after a period. */
static void test_ahead_is_slowed(void)
{
	uint64_t worst;
	int64_t err = run(0, 10, 5000000, &worst);

	CU_ASSERT(llabs(err) < 1000);
	/* 100 ms ahead: at most 1% of a period is taken back per period. */
	err = run(0, 5, 100000000, &worst);
	CU_ASSERT(err > 100000000 - 5 * (int64_t)XEN_TIME_CAL_MAX_SLEW_NS - 1000);
	CU_ASSERT(err < 100000000 - 4 * (int64_t)XEN_TIME_CAL_MAX_SLEW_NS);
}

/* Behind by more than the step limit (a paused VM): one jump forward, then on track. */
static void test_far_behind_steps(void)
{
	struct xen_time_line l = { .tsc = 1, .ns = 0, .scale = xen_time_scale_for(NOMINAL_HZ) };
	struct xen_time_line next = xen_time_line_next(&l, 1 + NOMINAL_HZ, 10 * PERIOD, NOMINAL_HZ);
	uint64_t worst;

	CU_ASSERT_EQUAL(next.ns, 10 * PERIOD);
	CU_ASSERT_EQUAL(next.tsc, 1 + NOMINAL_HZ);
	/* Behind by 3 ms (under the step limit): slewed, not stepped. */
	CU_ASSERT(llabs(run(0, 10, -3000000, &worst)) < 1000);
}

/* Without a rate (a reference taken between calibrations) the slope is kept. */
static void test_no_rate_keeps_slope(void)
{
	struct xen_time_line l = { .tsc = 1, .ns = 0, .scale = xen_time_scale_for(NOMINAL_HZ) };
	struct xen_time_line next =
		xen_time_line_next(&l, 1 + NOMINAL_HZ / 2, PERIOD / 2 + 2000, 0);

	CU_ASSERT_EQUAL(next.ns, xen_time_line_at(&l, 1 + NOMINAL_HZ / 2));
	CU_ASSERT_EQUAL(next.scale.mul_frac, l.scale.mul_frac);
	CU_ASSERT_EQUAL(next.scale.shift, l.scale.shift);
}

UNIT_SUITE(xen_time_calibration, NULL, NULL, UNIT_TEST(test_measure_and_line),
	   UNIT_TEST(test_rate_error_converges), UNIT_TEST(test_ahead_is_slowed),
	   UNIT_TEST(test_far_behind_steps), UNIT_TEST(test_no_rate_keeps_slope));
