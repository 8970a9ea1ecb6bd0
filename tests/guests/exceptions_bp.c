// SPDX-License-Identifier: MIT
/*
 * exceptions_bp: #BP from int3 (0xcc) and from int $3 (0xcd 0x03). Both are traps,
 * so the saved RIP is the next instruction, and neither pushes an error code. Split
 * from exceptions because on kvm_pvm hosts (HOST.md) any software interrupt at CPL 0
 * ends the vCPU with a KVM emulation failure; the manifest runs it on hardware KVM only.
 */
#include "kit.h"

KIT_TEST_RUNS_WITHOUT_XEN;

static void check_bp(const char *name, uint64_t rip, unsigned int before)
{
	const struct kit_exception *x = &kit_last_exception;

	if (x->count != before + 1) {
		fail("%s: no exception was caught", name);
		return;
	}
	printf("exceptions_bp: %s: vector %lu error %#lx rip %#lx\n", name, x->vector,
	       x->error_code, x->rip);
	check_eq(x->vector, 3, name);
	check_eq(x->error_code, 0, name);
	check_eq(x->rip, rip, name);
}

void test_main(void)
{
	unsigned int before = kit_last_exception.count;
	uint64_t rip;

	asm volatile("lea 1f(%%rip), %0\n\t"
		     "int3\n"
		     "1:\n\t" KIT_EXTABLE(1b, 1b)
		     : "=r"(rip)
		     :
		     : "memory");
	check_bp("int3", rip, before);

	before = kit_last_exception.count;
	asm volatile("lea 1f(%%rip), %0\n\t"
		     ".byte 0xcd, 0x03\n" /* int $3, the two-byte form */
		     "1:\n\t" KIT_EXTABLE(1b, 1b)
		     : "=r"(rip)
		     :
		     : "memory");
	check_bp("int $3", rip, before);
}
