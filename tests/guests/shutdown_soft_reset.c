// SPDX-License-Identifier: MIT
/*
 * shutdown_soft_reset: SCHEDOP_shutdown with SHUTDOWN_soft_reset. The domain ends with that reason
 * (sched.h), so the guest prints no result: the runner checks xenkvm's exit status
 * (docs/VMM-INTERFACE.md). Should the call return, the test has failed.
 */
#include "kit.h"
#include "hypercall.h"

void test_main(void)
{
	long rc;

	printf("shutdown_soft_reset: SCHEDOP_shutdown(SHUTDOWN_soft_reset)\n");
	rc = kit_shutdown(SHUTDOWN_soft_reset);
	fail("SCHEDOP_shutdown(SHUTDOWN_soft_reset) returned %ld", rc);
}
