// SPDX-License-Identifier: MIT
/*
 * wait_forever: a domain that stays up until the toolstack ends it, for the xl
 * lifecycle tests (tests/compat/xl-lifecycle.sh). It blocks in SCHEDOP_block with
 * events enabled, so it costs no CPU and is never "halted with interrupts off"; it is
 * not in the manifest, since it never ends by itself.
 */
#include "kit.h"
#include "hypercall.h"

KIT_TEST_RUNS_WITHOUT_XEN;

void test_main(void)
{
	printf("wait_forever: blocking until the domain is destroyed\n");
	irq_enable();
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
}
