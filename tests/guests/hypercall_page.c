// SPDX-License-Identifier: MIT
/*
 * hypercall_page: the page the hypervisor fills when the guest writes its address to
 * the MSR of CPUID leaf base+2.
 *
 * - Xen writes a stub into every 32-byte slot of the page (128 of them), so every
 *   slot must have been written (the kit fills the page with ud2 beforehand).
 *   Slot __HYPERVISOR_iret is the exception: Xen puts ud2 there for HVM guests.
 * - A stub may change rax (the result) and the argument registers (Xen debug builds
 *   overwrite the ones a hypercall takes); rbx, rcx, rbp, rsp, r11 and r12-r15 must
 *   come back unchanged (HVM stubs trap with vmcall, which touches no other register).
 * - A hypercall number Xen does not implement for 64-bit HVM guests returns -ENOSYS.
 */
#include "kit.h"
#include "hypercall.h"

#define SLOTS (sizeof(hypercall_page) / 32)

/*
 * Numbers Xen 4.17 has no 64-bit HVM handler for (xen/include/hypercall-defs.c):
 * PV-only ones (set_trap_table, stack_switch), the retired tmem_op, the unused
 * arch_7, and numbers past the table up to the last slot of the page.
 */
static const unsigned int unknown_nrs[] = {
	__HYPERVISOR_set_trap_table,
	__HYPERVISOR_stack_switch,
	__HYPERVISOR_tmem_op,
	__HYPERVISOR_arch_7,
	63,
	64,
	100,
	SLOTS - 1,
};

static void check_slots_written(void)
{
	unsigned int missing = 0;

	for (unsigned int nr = 0; nr < SLOTS; nr++) {
		if (nr == __HYPERVISOR_iret || kit_hypercall_slot_written(nr))
			continue;
		if (!missing)
			fail("hypercall page slot %u was never written", nr);
		missing++;
	}
	if (missing > 1)
		fail("%u slots of the hypercall page were never written", missing);
}

static void fill_pattern(struct kit_gprs *g)
{
	uint64_t *r = (uint64_t *)g;

	for (unsigned int i = 0; i < sizeof(*g) / 8; i++)
		r[i] = 0x5a5a000000000000ULL | ((uint64_t)(i + 1) << 32) | (0x1000 + i);
}

/* Registers a stub must preserve, by name and offset. */
#define REG(name)                                                \
	{                                                        \
#name, __builtin_offsetof(struct kit_gprs, name) \
	}
static const struct {
	const char *name;
	size_t off;
} preserved[] = {
	REG(rbx), REG(rcx), REG(rbp), REG(r11), REG(r12), REG(r13), REG(r14), REG(r15),
};

static uint64_t reg_at(const struct kit_gprs *g, size_t off)
{
	return *(const uint64_t *)((const char *)g + off);
}

/*
 * Calls stub @nr with the pattern in every register except the first three arguments;
 * checks the registers a stub must keep and returns what came back in rax.
 */
static long probe3(unsigned int nr, uint64_t rdi, uint64_t rsi, uint64_t rdx)
{
	struct kit_gprs in, out;

	fill_pattern(&in);
	in.rdi = rdi;
	in.rsi = rsi;
	in.rdx = rdx;
	memset(&out, 0, sizeof(out));
	kit_probe_call(hypercall_page + 32 * nr, &in, &out);
	for (unsigned int i = 0; i < ARRAY_SIZE(preserved); i++) {
		uint64_t before = reg_at(&in, preserved[i].off);
		uint64_t after = reg_at(&out, preserved[i].off);

		check(before == after, "hypercall %u changed %s: %#lx -> %#lx", nr,
		      preserved[i].name, before, after);
	}
	check(out.rsp == kit_probe_rsp_before, "hypercall %u changed rsp: %#lx -> %#lx", nr,
	      kit_probe_rsp_before, out.rsp);
	return (long)out.rax;
}

static long probe(unsigned int nr, uint64_t rdi, uint64_t rsi)
{
	struct kit_gprs in;

	fill_pattern(&in);
	return probe3(nr, rdi, rsi, in.rdx);
}

/*
 * The kit's stub that breaks the rules (zeroes rbx, sets r11 to 1) shows the probe notices:
 * without this the register checks above could never fail.
 */
static void check_probe_catches(void)
{
	struct kit_gprs in, out;

	fill_pattern(&in);
	kit_probe_call(kit_probe_bad_stub, &in, &out);
	check(out.rbx == 0 && in.rbx != 0, "probe did not see rbx change: %#lx", out.rbx);
	check(out.r11 == 1, "probe did not see r11 change: %#lx", out.r11);
	check(out.r12 == in.r12 && out.rsp == kit_probe_rsp_before,
	      "probe reports changes the stub did not make");
}

void test_main(void)
{
	long ver = HYPERVISOR_xen_version(XENVER_version, NULL);
	long rc;

	printf("hypercall_page: page at %p, MSR %#x, XENVER_version %#lx\n", hypercall_page,
	       kit_xen.msr, ver);
	check_slots_written();
	check_probe_catches();

	/* A known hypercall through the probe: same answer, registers intact. */
	rc = probe(__HYPERVISOR_xen_version, XENVER_version, 0);
	check_eq(rc, ver, "xen_version(XENVER_version) through the probe");
	check(ver > 0, "XENVER_version returned %ld", ver);

	/* Two more handlers with harmless arguments: yield, and an empty console write. */
	rc = probe(__HYPERVISOR_sched_op, SCHEDOP_yield, 0);
	check_eq(rc, 0, "sched_op(SCHEDOP_yield) through the probe");
	rc = probe3(__HYPERVISOR_console_io, CONSOLEIO_write, 0, 0);
	check_eq(rc, 0, "console_io(CONSOLEIO_write, 0) through the probe");

	/* Numbers no table knows: -ENOSYS, registers intact. */
	for (unsigned int i = 0; i < ARRAY_SIZE(unknown_nrs); i++) {
		rc = probe(unknown_nrs[i], 0, 0);
		printf("hypercall_page: hypercall %u returned %ld\n", unknown_nrs[i], rc);
		check_eq(rc, -XEN_ENOSYS, "unknown hypercall");
	}

	/* And the ordinary path still works afterwards. */
	check_eq(HYPERVISOR_xen_version(XENVER_version, NULL), ver, "XENVER_version again");
}
