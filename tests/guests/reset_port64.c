// SPDX-License-Identifier: MIT
/*
 * reset_port64: writing 0xFE to the keyboard controller's command port (0x64) pulses
 * the reset line. xenkvm ends with status 4, a reboot (docs/VMM-INTERFACE.md).
 */
#include "kit.h"

/* Needs no hypervisor: it also runs under plain QEMU. */
KIT_TEST_RUNS_WITHOUT_XEN;

void test_main(void)
{
	printf("reset_port64: writing 0xfe to port 0x64\n");
	outb(0x64, 0xfe);
	fail("still running after the reset request");
}
