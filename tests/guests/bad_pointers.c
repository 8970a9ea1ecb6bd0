// SPDX-License-Identifier: MIT
/*
 * bad_pointers: guest handles that do not lead to guest memory. Xen copies to and
 * from an HVM guest through its page tables and guest physical memory, and a copy
 * that reaches a page with no RAM behind it fails as a whole with -EFAULT.
 *
 * The addresses come from the start_info memory map: just past the end of RAM, ranges
 * that start in RAM and run into a hole (the PCI hole below 4 GiB when RAM reaches
 * it), addresses that wrap past 2^64, and low addresses whose answer depends on what
 * the map says is there. Three hypercalls cover both directions: XENVER_extraversion
 * (a 16-byte write), XENVER_get_features (read, then write) and CONSOLEIO_write (a
 * read). Afterwards an ordinary hypercall must still work.
 */
#include "kit.h"
#include "hypercall.h"

#define FOUR_GIB 0x100000000ULL

enum op { OP_EXTRAVERSION, OP_GET_FEATURES, OP_CONSOLE_WRITE };
static const char *const op_names[] = { "XENVER_extraversion", "XENVER_get_features",
					"CONSOLEIO_write" };

static long do_op(enum op op, uint64_t ptr)
{
	switch (op) {
	case OP_EXTRAVERSION:
		return HYPERVISOR_xen_version(XENVER_extraversion, (void *)ptr);
	case OP_GET_FEATURES:
		return HYPERVISOR_xen_version(XENVER_get_features, (void *)ptr);
	default:
		return HYPERVISOR_console_io(CONSOLEIO_write, 16, (const char *)ptr);
	}
}

/* Every op on a range with no RAM in part or whole must give -EFAULT. */
static void expect_fault(const char *why, uint64_t ptr)
{
	for (unsigned int op = 0; op < ARRAY_SIZE(op_names); op++) {
		long rc = do_op(op, ptr);

		printf("bad_pointers: %s %#lx (%s): %ld\n", op_names[op], ptr, why, rc);
		kit_fact(op_names[op], "%#lx (%s): %ld", ptr, why, rc);
		check(rc == -XEN_EFAULT, "%s on %#lx (%s) returned %ld, expected -EFAULT %d",
		      op_names[op], ptr, why, rc, -XEN_EFAULT);
	}
}

/* Highest end of any RAM entry (the first byte past guest RAM). */
static uint64_t ram_top(void)
{
	unsigned int n;
	const struct hvm_memmap_table_entry *map = kit_memmap(&n);
	uint64_t top = 0;

	for (unsigned int i = 0; i < n; i++)
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM && map[i].addr + map[i].size > top)
			top = map[i].addr + map[i].size;
	return top;
}

/*
 * Every RAM entry below 4 GiB whose end is followed by a hole: a copy that starts
 * 4 bytes before the end runs into the hole (the PCI hole when RAM reaches it); each
 * op touches at least 8 bytes.
 */
static void test_ram_ends(void)
{
	unsigned int n, tested = 0;
	const struct hvm_memmap_table_entry *map = kit_memmap(&n);

	for (unsigned int i = 0; i < n; i++) {
		uint64_t end = map[i].addr + map[i].size;

		if (map[i].type != XEN_HVM_MEMMAP_TYPE_RAM || end > FOUR_GIB)
			continue;
		if (kit_memmap_type(end, 1) != KIT_MEM_HOLE || end == FOUR_GIB)
			continue;
		expect_fault("crosses from RAM into a hole", end - 4);
		expect_fault("first byte of a hole after RAM", end);
		tested++;
	}
	check(tested > 0, "the memory map shows no RAM below 4 GiB followed by a hole");
}

/*
 * The first pages: if the map says RAM, the call must work (saving and restoring the
 * bytes it writes); if no entry covers them, -EFAULT. Other types are not asserted:
 * Xen may back reserved ranges with memory.
 */
static void test_low(uint64_t ptr)
{
	int type = kit_memmap_type(ptr, 16);
	uint8_t save[16];
	long rc;

	if (type == KIT_MEM_HOLE) {
		expect_fault("low address in a hole", ptr);
		return;
	}
	if (type != XEN_HVM_MEMMAP_TYPE_RAM) {
		printf("bad_pointers: %#lx is memory type %d, not asserted\n", ptr, type);
		return;
	}
	memcpy(save, (void *)ptr, sizeof(save));
	rc = HYPERVISOR_xen_version(XENVER_extraversion, (void *)ptr);
	memcpy((void *)ptr, save, sizeof(save));
	printf("bad_pointers: XENVER_extraversion %#lx (low RAM): %ld\n", ptr, rc);
	check(rc == 0, "XENVER_extraversion into RAM at %#lx returned %ld", ptr, rc);
}

void test_main(void)
{
	long ver = HYPERVISOR_xen_version(XENVER_version, NULL);
	uint64_t top = ram_top();

	check(top != 0, "no RAM in the start_info memory map");
	if (!top)
		return;
	printf("bad_pointers: RAM ends at %#lx\n", top);
	kit_fact("RAM ends at", "%#lx", top);

	if (top < FOUR_GIB) {
		expect_fault("just past the end of RAM", top);
		expect_fault("crosses the end of RAM", top - 4);
	}
	test_ram_ends();
	/* Neither RAM nor mapped by the kit's page tables. */
	expect_fault("512 GiB, beyond RAM", 0x8000000000ULL);
	expect_fault("wraps past 2^64", 0xfffffffffffffff8ULL);
	expect_fault("last byte of the address space", 0xffffffffffffffffULL);
	expect_fault("non-canonical", 0x8000000000000000ULL);

	test_low(0);
	test_low(0x10);
	test_low(0x1000);
	test_low(0x9fff8);
	test_low(0xa0000);

	/* The hypervisor survived all that. */
	check_eq(HYPERVISOR_xen_version(XENVER_version, NULL), ver, "XENVER_version afterwards");
}
