// SPDX-License-Identifier: MIT
/*
 * exceptions: a self-test of the kit's exception handling. Each case provokes one
 * exception at a known instruction with an exception-table fixup, then checks the
 * vector, the error code, the reported RIP (the faulting instruction for faults, the
 * next one for traps) and, for #PF, CR2. Runs with or without Xen, so it can be
 * tried under plain QEMU too. #BP lives in exceptions_bp: it needs hardware KVM.
 */
#include "kit.h"

KIT_TEST_RUNS_WITHOUT_XEN;

/* Not mapped: the kit's page tables cover only the first 4 GiB (one PML4 entry). */
#define UNMAPPED 0x8000000000ULL
/* Bit 63 set with bits 62-47 clear: non-canonical, so any access is #GP(0). */
#define NON_CANONICAL 0x8000000000000000ULL

/* #PF error-code bit for a write (Intel SDM); the present bit stays clear here. */
#define PFEC_WRITE 0x2

struct expect {
	const char *name;
	unsigned int vector;
	uint64_t error_code;
	uint64_t rip;
	uint64_t cr2;
};

static void check_caught(const struct expect *e, unsigned int count_before)
{
	const struct kit_exception *x = &kit_last_exception;

	if (x->count != count_before + 1) {
		fail("%s: no exception was caught", e->name);
		return;
	}
	printf("exceptions: %s: vector %lu (%s) error %#lx rip %#lx cr2 %#lx\n", e->name, x->vector,
	       kit_vector_name(x->vector), x->error_code, x->rip, x->cr2);
	check_eq(x->vector, e->vector, e->name);
	check_eq(x->error_code, e->error_code, e->name);
	check_eq(x->rip, e->rip, e->name);
	if (e->vector == 14)
		check_eq(x->cr2, e->cr2, e->name);
}

/* Each case returns the address the handler must report as RIP. */
static uint64_t do_ud(void)
{
	uint64_t rip;

	asm volatile("lea 1f(%%rip), %0\n"
		     "1: ud2\n"
		     "2:\n\t" KIT_EXTABLE(1b, 2b)
		     : "=r"(rip)
		     :
		     : "memory");
	return rip;
}

static uint64_t do_de(void)
{
	uint64_t rip;

	asm volatile("lea 1f(%%rip), %0\n\t"
		     "xor %%edx, %%edx\n\t"
		     "mov $1, %%eax\n\t"
		     "xor %%ecx, %%ecx\n"
		     "1: div %%ecx\n"
		     "2:\n\t" KIT_EXTABLE(1b, 2b)
		     : "=r"(rip)
		     :
		     : "rax", "rcx", "rdx", "memory");
	return rip;
}

static uint64_t do_gp(void)
{
	uint64_t rip, val;

	asm volatile("lea 1f(%%rip), %0\n"
		     "1: mov (%2), %1\n"
		     "2:\n\t" KIT_EXTABLE(1b, 2b)
		     : "=&r"(rip), "=r"(val)
		     : "r"(NON_CANONICAL)
		     : "memory");
	return rip;
}

static uint64_t do_pf_read(void)
{
	uint64_t rip, val;

	asm volatile("lea 1f(%%rip), %0\n"
		     "1: mov (%2), %1\n"
		     "2:\n\t" KIT_EXTABLE(1b, 2b)
		     : "=&r"(rip), "=r"(val)
		     : "r"(UNMAPPED)
		     : "memory");
	return rip;
}

static uint64_t do_pf_write(void)
{
	uint64_t rip;

	asm volatile("lea 1f(%%rip), %0\n"
		     "1: movq $0, (%1)\n"
		     "2:\n\t" KIT_EXTABLE(1b, 2b)
		     : "=&r"(rip)
		     : "r"(UNMAPPED + 0x1008)
		     : "memory");
	return rip;
}

void test_main(void)
{
	static const struct {
		const char *name;
		uint64_t (*provoke)(void);
		unsigned int vector;
		uint64_t error_code;
		uint64_t cr2;
	} cases[] = {
		{ "#UD ud2", do_ud, 6, 0, 0 },
		{ "#DE div by 0", do_de, 0, 0, 0 },
		{ "#GP non-canonical load", do_gp, 13, 0, 0 },
		{ "#PF read unmapped", do_pf_read, 14, 0, UNMAPPED },
		{ "#PF write unmapped", do_pf_write, 14, PFEC_WRITE, UNMAPPED + 0x1008 },
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(cases); i++) {
		unsigned int before = kit_last_exception.count;
		struct expect e = {
			.name = cases[i].name,
			.vector = cases[i].vector,
			.error_code = cases[i].error_code,
			.cr2 = cases[i].cr2,
		};

		e.rip = cases[i].provoke();
		check_caught(&e, before);
	}
}
