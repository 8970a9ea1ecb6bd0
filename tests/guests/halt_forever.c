// SPDX-License-Identifier: MIT
/*
 * halt_forever: hlt with interrupts off. Nothing can wake the only vCPU, which
 * xenkvm reports as exit status 14 (docs/VMM-INTERFACE.md).
 */
#include "kit.h"

KIT_TEST_RUNS_WITHOUT_XEN;

void test_main(void)
{
	printf("halt_forever: cli; hlt\n");
	asm volatile("cli; hlt");
	fail("woke up from hlt with interrupts off");
}
