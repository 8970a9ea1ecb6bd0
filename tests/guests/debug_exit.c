// SPDX-License-Identifier: MIT
/*
 * debug_exit: a write of 42 to port 0xf4 (isa-debug-exit) ends the VM with status
 * (42 << 1) | 1 = 85, as QEMU does (docs/VMM-INTERFACE.md).
 */
#include "kit.h"

KIT_TEST_RUNS_WITHOUT_XEN;

void test_main(void)
{
	printf("debug_exit: writing 42 to port 0xf4\n");
	outb(0xf4, 42);
	fail("still running after the write to port 0xf4");
}
