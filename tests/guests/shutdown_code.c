// SPDX-License-Identifier: MIT
/*
 * shutdown_code: SCHEDOP_shutdown_code records a reason for a later shutdown and
 * returns 0. Xen's domain_shutdown() lets a recorded code win over the reason of the
 * shutdown itself, so after registering SHUTDOWN_reboot the kit's ordinary
 * SHUTDOWN_poweroff must end the domain as a reboot (the runner expects status 4).
 */
#include "kit.h"
#include "hypercall.h"

void test_main(void)
{
	struct sched_shutdown s = { .reason = SHUTDOWN_reboot };
	long rc;

	rc = HYPERVISOR_sched_op(SCHEDOP_shutdown_code, &s);
	check_eq(rc, 0, "SCHEDOP_shutdown_code(SHUTDOWN_reboot)");
	printf("shutdown_code: reboot code recorded, now powering off\n");
}
