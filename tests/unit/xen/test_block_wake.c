// SPDX-License-Identifier: GPL-2.0
/*
 * A vCPU blocked in SCHEDOP_block leaves it when the VM starts stopping (the stop
 * notifier wakes it), not when its wait slice runs out: the test gives the transport a
 * 10 s slice, so only the wake-up can end the block in time.
 */
#include <pthread.h>
#include <stdint.h>
#include <time.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "tests/unit/xen/fixture.h"
#include "xen-emul/transport/accel.h"

#include <xen/sched.h>

XEN_FIXTURE_SUITE(1000000)

static long block_rc = 1;

static void *blocker(void *arg)
{
	block_rc = fixture_call(&fx, __HYPERVISOR_sched_op, SCHEDOP_block, 0, 0);
	return NULL;
}

static double seconds_since(const struct timespec *t0)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void test_stop_wakes_a_blocked_vcpu(void)
{
	struct xen_accel_ops slow = *fx.dom.accel;
	struct timespec t0;
	pthread_t t;

	slow.block_slice_ns = 10000000000ULL;
	fx.dom.accel = &slow;
	CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, blocker, NULL), 0);
	usleep(100000); /* into the wait (if not, it sees the stop at once: the same result) */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	vm_request_exit(&fx.vm, 0);
	pthread_join(t, NULL);
	CU_ASSERT_EQUAL(block_rc, 0);
	/* A bound far under the 10 s slice, not a speed. */
	CU_ASSERT(seconds_since(&t0) < 2.0);
}

UNIT_SUITE(xen_block_wake, setup, teardown, UNIT_TEST(test_stop_wakes_a_blocked_vcpu));
