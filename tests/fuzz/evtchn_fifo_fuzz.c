// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the FIFO event-channel ABI: each input is a sequence of what a
 * hostile guest can do (write any value into its event words and control blocks, consume
 * its queues following whatever LINK values it finds, issue any EVTCHNOP with arbitrary
 * arguments, including init_control, expand_array and reset) interleaved with events
 * raised by the VMM's side. After every step: the VMM's queue tails name ports that have
 * a word, and the pages around the registered ones (never registered) are untouched.
 * AddressSanitizer and UBSan catch any access outside the VMM's own state.
 */
#include <stdint.h>
#include <string.h>
#include <xen/event_channel.h>
#include <xen/xen.h>

#include "tests/fuzz/fuzz_input.h"
#include "tests/unit/xen/fixture.h"
#include "xen-emul/evtchn/evtchn.h"
#include "xen-emul/evtchn/evtchn_fifo.h"

#define ARG 0x200000ULL
#define CANARY_LO 0x30f000ULL /* never registered: must keep its pattern */
#define ARRAY 0x310000ULL /* two array pages the guest may register */
#define CB 0x312000ULL /* a control-block page (two vCPUs at offsets) */
#define CANARY_HI 0x313000ULL
#define CANARY_ZERO 0x0ULL /* where 2^52 + page 0 would land if a frame number wrapped */
#define PATTERN 0x0f /* no FIFO flag set: any event written there changes it */

static struct xen_fixture fx;
static bool ready;

/* Frames the guest may name: its pages, a canary-free hole, past RAM, absurd. */
static const uint64_t gfns[] = { ARRAY >> 12,	      (ARRAY >> 12) + 1, CB >> 12,  0xa0,
				 (32ULL << 20) >> 12, 1ULL << 52,	 UINT64_MAX };

static uint32_t any_port(struct input *in)
{
	uint32_t v = take(in, 2);

	/* Mostly the first few ports (so that binds find each other), some anywhere. */
	if (v & 0x8000)
		return v;
	return v & 0x4000 ? v % 1100 : v % 8;
}

static event_word_t *guest_word(uint32_t index)
{
	return fixture_ptr(&fx, ARRAY + (index % 2048) * 4ULL, 4);
}

/* The guest scribbles on a word or on a control block. */
static void guest_write(struct input *in)
{
	uint32_t where = take(in, 2), value = take(in, 4);

	if (where & 0x8000) {
		uint32_t *cb = fixture_ptr(&fx, CB, 4096);

		cb[where % 1024] = value;
	} else {
		__atomic_store_n(guest_word(where), value, __ATOMIC_SEQ_CST);
	}
}

/* A guest consuming a queue as Linux does, trusting whatever LINK it finds (bounded). */
static void guest_consume(struct input *in)
{
	struct evtchn_fifo_control_block *cb =
		fixture_ptr(&fx, CB + (take(in, 1) & 1) * 2048, sizeof(*cb));
	uint32_t port = cb->head[take(in, 1) % EVTCHN_FIFO_MAX_QUEUES];

	__atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST);
	for (unsigned int i = 0; i < 16 && port; i++) {
		event_word_t w = __atomic_fetch_and(
			guest_word(port), ~((1u << EVTCHN_FIFO_LINKED) | EVTCHN_FIFO_LINK_MASK),
			__ATOMIC_SEQ_CST);

		if (take(in, 1) & 1)
			__atomic_fetch_and(guest_word(port), ~(1u << EVTCHN_FIFO_PENDING),
					   __ATOMIC_SEQ_CST);
		port = w & EVTCHN_FIFO_LINK_MASK;
	}
}

static void fill_arg(struct input *in, uint8_t *arg, int cmd)
{
	for (unsigned int i = 0; i < 64; i++)
		arg[i] = (uint8_t)take(in, 1);
	switch (cmd) {
	case EVTCHNOP_init_control: {
		struct evtchn_init_control *ic = (void *)arg;

		ic->control_gfn = gfns[ic->control_gfn % (sizeof(gfns) / sizeof(gfns[0]))];
		if (ic->offset & 1)
			ic->offset = (ic->offset & 0x800) ? 2048 : 0;
		ic->vcpu %= 3;
		break;
	}
	case EVTCHNOP_expand_array: {
		struct evtchn_expand_array *ea = (void *)arg;

		ea->array_gfn = gfns[ea->array_gfn % (sizeof(gfns) / sizeof(gfns[0]))];
		break;
	}
	default:
		/* Ports, vCPUs and domains near the values that mean something. */
		for (unsigned int i = 0; i < 16; i += 4)
			if (arg[63 - i] & 1)
				memcpy(arg + i, &(uint32_t){ any_port(in) }, 4);
		if (arg[62] & 1)
			memcpy(arg, &(domid_t){ DOMID_SELF }, 2);
		break;
	}
}

static void guest_call(struct input *in)
{
	static const int cmds[] = {
		EVTCHNOP_alloc_unbound, EVTCHNOP_bind_interdomain,
		EVTCHNOP_bind_ipi,	EVTCHNOP_bind_virq,
		EVTCHNOP_close,		EVTCHNOP_send,
		EVTCHNOP_unmask,	EVTCHNOP_bind_vcpu,
		EVTCHNOP_set_priority,	EVTCHNOP_status,
		EVTCHNOP_init_control,	EVTCHNOP_expand_array,
		EVTCHNOP_reset,
	};
	int cmd = cmds[take(in, 1) % (sizeof(cmds) / sizeof(cmds[0]))];

	fill_arg(in, fixture_ptr(&fx, ARG, 64), cmd);
	fixture_call(&fx, __HYPERVISOR_event_channel_op, (uint64_t)cmd, ARG, 0);
}

/* The VMM raises a port, as a host end or a VIRQ would. */
static void vmm_raise(struct input *in)
{
	uint32_t port = any_port(in);

	xen_evtchn_lock(&fx.dom);
	if (xen_evtchn_port(&fx.dom, port) && fx.dom.evtchn->ports[port].state != EVTCHNSTAT_closed)
		xen_evtchn_set_pending(&fx.dom, port);
	xen_evtchn_unlock(&fx.dom);
}

static void fill_canaries(void)
{
	memset(fixture_ptr(&fx, CANARY_LO, 4096), PATTERN, 4096);
	memset(fixture_ptr(&fx, CANARY_HI, 4096), PATTERN, 4096);
	memset(fixture_ptr(&fx, CANARY_ZERO, 4096), PATTERN, 4096);
}

static void check_invariants(void)
{
	struct xen_evtchn_fifo *f = fx.dom.evtchn->fifo;
	const uint8_t *lo = fixture_ptr(&fx, CANARY_LO, 4096);
	const uint8_t *hi = fixture_ptr(&fx, CANARY_HI, 4096);
	const uint8_t *zero = fixture_ptr(&fx, CANARY_ZERO, 4096);

	for (unsigned int i = 0; i < 4096; i++)
		if (lo[i] != PATTERN || hi[i] != PATTERN || zero[i] != PATTERN)
			__builtin_trap(); /* written outside the registered pages */
	if (!f)
		return;
	for (unsigned int v = 0; v < fx.dom.nr_vcpus; v++)
		for (unsigned int q = 0; q < EVTCHN_FIFO_MAX_QUEUES; q++) {
			evtchn_port_t t = f->vcpus[v].tail[q];

			if (t && (t >= f->nr_words || t > fx.dom.evtchn->max_port))
				__builtin_trap(); /* a tail without a word */
		}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };
	struct evtchn_reset r = { .dom = DOMID_SELF };

	if (!ready) {
		if (fixture_init_vcpus(&fx, 1000000, 2))
			__builtin_trap();
		ready = true;
	}
	memcpy(fixture_ptr(&fx, ARG, sizeof(r)), &r, sizeof(r));
	fixture_call(&fx, __HYPERVISOR_event_channel_op, EVTCHNOP_reset, ARG, 0);
	memset(fixture_ptr(&fx, ARRAY, 3 * 4096), 0, 3 * 4096);
	fill_canaries();
	while (in.left) {
		unsigned int op = take(&in, 1) % 8;

		if (op < 2)
			guest_write(&in);
		else if (op < 3)
			guest_consume(&in);
		else if (op < 7)
			guest_call(&in);
		else
			vmm_raise(&in);
		check_invariants();
	}
	return 0;
}
