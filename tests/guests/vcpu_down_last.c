// SPDX-License-Identifier: MIT
/*
 * vcpu_down_last: VCPUOP_down of the last vCPU that is up shuts the domain down with
 * SHUTDOWN_poweroff (common/domain.c common_vcpu_op: "Last vcpu going down?"). vCPUs
 * that were never brought up do not count. The domain must end inside the call: no
 * "Test result" line, exit status 0.
 */
#include "kit.h"
#include "hypercall.h"

#include <xen/vcpu.h>

void test_main(void)
{
	long rc;

	printf("vcpu_down_last: taking vCPU 0 down, the only one up\n");
	rc = HYPERVISOR_vcpu_op(VCPUOP_down, 0, NULL);
	printf("vcpu_down_last: VCPUOP_down returned %ld\n", rc);
	kit_end(KIT_FAILURE);
}
