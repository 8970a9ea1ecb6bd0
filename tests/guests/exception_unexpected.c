// SPDX-License-Identifier: MIT
/*
 * exception_unexpected: a #UD nobody expects. The kit must report vector 6 with its
 * RIP and end the test as ERROR (the runner expects ERROR), still powering off
 * normally (status 0).
 */
#include "kit.h"

/* Needs no hypervisor: it also runs under plain QEMU. */
KIT_TEST_RUNS_WITHOUT_XEN;

void test_main(void)
{
	printf("exception_unexpected: executing ud2\n");
	asm volatile("ud2");
	fail("ud2 did not fault");
}
