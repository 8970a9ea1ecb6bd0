// SPDX-License-Identifier: MIT
/*
 * shutdown_suspend: SCHEDOP_shutdown with SHUTDOWN_suspend. The domain ends with that reason
 * (sched.h), so the guest prints no result: the runner checks xenkvm's exit status
 * (docs/VMM-INTERFACE.md). Should the call return, the test has failed.
 */
#include "kit.h"
#include "hypercall.h"

void test_main(void)
{
	long rc;

	printf("shutdown_suspend: SCHEDOP_shutdown(SHUTDOWN_suspend)\n");
	rc = kit_shutdown(SHUTDOWN_suspend);
	fail("SCHEDOP_shutdown(SHUTDOWN_suspend) returned %ld", rc);
}
