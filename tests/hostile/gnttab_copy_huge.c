// SPDX-License-Identifier: MIT
/*
 * gnttab_copy_huge: GNTTABOP_copy with a count of 2^31 - 1, forever. The op array starts
 * at 64 MiB in zeroed RAM and runs to the end of RAM: every whole op there names frame 0
 * of domain 0 without GNTCOPY_source_gref, which Xen refuses per op with
 * GNTST_permission_denied (gnttab_copy_lock_domain(): only DOMID_SELF may name frames);
 * the first op that reaches past RAM cannot be copied in, which ends the call with
 * -EFAULT (do_grant_table_op()). Work that once kept a vCPU in the VMM for seconds.
 */
#include "hostile.h"

#include <xen/grant_table.h>

#define OPS_BASE (64ULL << 20)
#define OPS_SPAN (4ULL << 20) /* about 100000 ops: hundreds of continuations a call */
#define HUGE_COUNT 0x7fffffffu

static uint64_t ram_end(void)
{
	unsigned int n;
	const struct hvm_memmap_table_entry *map = kit_memmap(&n);

	for (unsigned int i = 0; i < n; i++)
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM && map[i].addr <= OPS_BASE &&
		    map[i].addr + map[i].size > OPS_BASE)
			return map[i].addr + map[i].size;
	return 0;
}

void test_main(void)
{
	uint64_t end = ram_end();
	struct gnttab_copy *ops = (struct gnttab_copy *)(uintptr_t)(end - OPS_SPAN);
	uint64_t whole = OPS_SPAN / sizeof(*ops);
	unsigned long calls = 0;

	if (end < OPS_BASE + OPS_SPAN)
		kit_error("needs RAM from 64 MiB to past 68 MiB (run with --memory 128)");
	hostile_start("GNTTABOP_copy with a count of 2^31-1");
	for (;;) {
		long rc = hypercall3(__HYPERVISOR_grant_table_op, GNTTABOP_copy, ops, HUGE_COUNT);

		hostile_expect(rc == -XEN_EFAULT, "call %lu returned %ld", calls, rc);
		hostile_expect(ops[0].status == GNTST_permission_denied, "first op status %d",
			       ops[0].status);
		hostile_expect(ops[whole - 1].status == GNTST_permission_denied,
			       "last whole op (%llu) status %d", (unsigned long long)(whole - 1),
			       ops[whole - 1].status);
		ops[0].status = ops[whole - 1].status = 0;
		hostile_round_done(++calls);
	}
}
