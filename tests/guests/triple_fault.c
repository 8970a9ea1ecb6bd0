// SPDX-License-Identifier: MIT
/*
 * triple_fault: with an empty IDT, #UD cannot be delivered, nor can the #DF that
 * follows, so the CPU shuts down. xenkvm treats that as a crash (status 8).
 */
#include "kit.h"

/* Needs no hypervisor: it also runs under plain QEMU. */
KIT_TEST_RUNS_WITHOUT_XEN;

void test_main(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) empty = { 0, 0 };

	printf("triple_fault: loading an empty IDT, then ud2\n");
	asm volatile("lidt %0\n\tud2" : : "m"(empty));
	fail("still running after the triple fault");
}
