// SPDX-License-Identifier: MIT
/*
 * shutdown_watchdog: SCHEDOP_shutdown with SHUTDOWN_watchdog. The domain ends with that reason
 * (sched.h), so the guest prints no result: the runner checks xenkvm's exit status
 * (docs/VMM-INTERFACE.md). Should the call return, the test has failed.
 */
#include "kit.h"
#include "hypercall.h"

void test_main(void)
{
	long rc;

	printf("shutdown_watchdog: SCHEDOP_shutdown(SHUTDOWN_watchdog)\n");
	rc = kit_shutdown(SHUTDOWN_watchdog);
	fail("SCHEDOP_shutdown(SHUTDOWN_watchdog) returned %ld", rc);
}
