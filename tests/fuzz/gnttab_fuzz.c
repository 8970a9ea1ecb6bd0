// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for grant tables: each input is a sequence of what a hostile guest
 * and the backends can do (rewrite entries with any flags, domid and frame; move frames;
 * grow the table; swap entries; GNTTABOP_copy with arbitrary arguments) interleaved with
 * backend maps, unmaps and copies. After every step: no entry without a holder shows
 * GTF_reading or GTF_writing (the guest never sets them here, so only the VMM can have
 * left them), every held mapping is still mapped, and every dropped one is gone.
 */
#include <stdint.h>
#include <string.h>
#include <sys/mman.h>
#include <xen/xen.h>
#include <xen/grant_table.h>
#include <xen/memory.h>

#include "tests/fuzz/fuzz_input.h"
#include "tests/unit/xen/fixture.h"
#include "xen-emul/gnttab/gnttab_internal.h"

#define ARG 0x200000ULL
#define NR_HELD 8
#define NR_REFS 1024 /* two frames' worth: the fuzzer reaches past the table too */

static struct xen_fixture fx;
static bool ready;
static struct xen_gnttab_map held[NR_HELD];
static uint8_t buf[0x10000 + 4096];

/* Frames an entry may name: RAM pages (some of them grant frames), a hole, past RAM. */
static const uint32_t frames[] = { 0x400, 0x401, 0x300, 0x301, 0xa0, 0x2000, 0xffffffff };
/* Where frames may be placed (RAM only: no KVM here). */
static const uint64_t places[] = { 0x300, 0x301, 0x302, 0x400 };

static uint8_t *entry_of(grant_ref_t ref)
{
	struct xen_gnttab *gt = fx.dom.gnttab;

	if (ref >= gnttab_nr_entries(gt))
		return NULL;
	return gt->frames[ref / GNTTAB_V1_PER_FRAME].page +
	       (ref % GNTTAB_V1_PER_FRAME) * sizeof(struct grant_entry_v1);
}

/* The guest writes an entry (never the bits only Xen sets). */
static void write_entry(struct input *in)
{
	uint8_t *e = entry_of(take(in, 2) % NR_REFS);
	struct grant_entry_v1 v = {
		.flags = (uint16_t)(take(in, 2) & ~(GTF_reading | GTF_writing)),
		.domid = (domid_t)(take(in, 1) % 3 == 0 ? 0 :
				   take(in, 1) % 2	? 7 :
							  9),
		.frame = frames[take(in, 1) % (sizeof(frames) / sizeof(frames[0]))],
	};

	if (e)
		memcpy(e, &v, sizeof(v));
}

static void guest_call(struct input *in, unsigned int op)
{
	uint8_t *arg = fixture_ptr(&fx, ARG, 64);

	for (unsigned int i = 0; i < 64; i++)
		arg[i] = (uint8_t)take(in, 1);
	if (op == 0) {
		struct xen_add_to_physmap x = {
			.domid = DOMID_SELF,
			.space = XENMAPSPACE_grant_table,
			.idx = take(in, 1) % 70,
			.gpfn = places[take(in, 1) % (sizeof(places) / sizeof(places[0]))],
		};

		memcpy(arg, &x, sizeof(x));
		fixture_call(&fx, __HYPERVISOR_memory_op, XENMEM_add_to_physmap, ARG, 0);
		return;
	}
	if (op == 1)
		((struct gnttab_copy *)arg)->len %= 4200;
	static const unsigned int cmds[] = { GNTTABOP_copy, GNTTABOP_swap_grant_ref,
					     GNTTABOP_setup_table, GNTTABOP_query_size };
	fixture_call(&fx, __HYPERVISOR_grant_table_op, cmds[op - 1], ARG, 1);
}

static void backend(struct input *in, unsigned int op)
{
	unsigned int slot = take(in, 1) % NR_HELD;
	grant_ref_t ref = take(in, 2) % (NR_REFS + 8);
	domid_t dom = (domid_t)(take(in, 1) % 2 ? 0 : 9);
	uint16_t off = (uint16_t)take(in, 2), len = (uint16_t)take(in, 2);

	switch (op) {
	case 0:
		if (!held[slot].addr)
			xen_gnttab_map(&fx.dom, dom, ref, take(in, 1) & 1, &held[slot]);
		break;
	case 1:
		if (held[slot].addr) {
			void *addr = held[slot].addr;
			unsigned char vec;

			xen_gnttab_unmap(&fx.dom, &held[slot]);
			if (mincore(addr, 4096, &vec) == 0)
				__builtin_trap(); /* still mapped after unmap */
		}
		break;
	case 2:
		xen_gnttab_copy_from(&fx.dom, dom, ref, off, buf, len);
		break;
	default:
		xen_gnttab_copy_to(&fx.dom, dom, ref, off, buf, len);
		break;
	}
}

static void check_invariants(void)
{
	struct xen_gnttab *gt = fx.dom.gnttab;

	for (grant_ref_t ref = 0; ref < gnttab_nr_entries(gt); ref++) {
		const struct gnttab_active *act = &gt->active[ref];
		uint16_t flags;

		memcpy(&flags, entry_of(ref), sizeof(flags));
		if (!act->readers && !act->writers && (flags & (GTF_reading | GTF_writing)))
			__builtin_trap(); /* a flag left behind */
	}
	for (unsigned int i = 0; i < NR_HELD; i++) {
		unsigned char vec;

		if (held[i].addr && mincore(held[i].addr, 4096, &vec) != 0)
			__builtin_trap(); /* a held mapping vanished */
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	if (!ready) {
		if (fixture_init(&fx, 1000000))
			__builtin_trap();
		ready = true;
	}
	xen_gnttab_destroy(&fx.dom);
	if (xen_gnttab_init(&fx.dom))
		__builtin_trap();
	while (in.left) {
		unsigned int op = take(&in, 1) % 10;

		if (op == 0)
			write_entry(&in);
		else if (op < 6)
			guest_call(&in, op - 1);
		else
			backend(&in, op - 6);
		check_invariants();
	}
	for (unsigned int i = 0; i < NR_HELD; i++)
		if (held[i].addr)
			xen_gnttab_unmap(&fx.dom, &held[i]);
	check_invariants();
	return 0;
}
