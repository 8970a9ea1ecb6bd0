// SPDX-License-Identifier: MIT
/*
 * halt_forever: hlt with interrupts off. Nothing can wake the only vCPU: Xen (hvm_hlt)
 * takes it down and powers the domain off, and so does xenkvm (exit status 0,
 * docs/VMM-INTERFACE.md). PVH Linux powers off this way.
 */
#include "kit.h"

KIT_TEST_RUNS_WITHOUT_XEN;

void test_main(void)
{
	printf("halt_forever: cli; hlt\n");
	asm volatile("cli; hlt");
	fail("woke up from hlt with interrupts off");
}
