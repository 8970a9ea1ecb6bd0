// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for the hypercall dispatcher: each input is a sequence of steps, each
 * either a write of guest memory (the argument area the pointers mostly point into) or a
 * hypercall with a fuzzed number, sub-op and arguments, issued from 64-bit or 32-bit code.
 * Whatever a guest passes, the VMM must answer with a Xen error, never crash, and never
 * touch memory outside guest RAM (ASan watches the host side). Calls that block the vCPU
 * (SCHEDOP_block, SCHEDOP_poll), end the domain or start other vCPUs are left to the
 * guest tests: in the fixture there is no KVM to run them.
 */
#include <stdint.h>
#include <string.h>
#include <xen/xen.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

#include "tests/fuzz/fuzz_input.h"
#include "tests/unit/xen/fixture.h"

#define ARG_AREA 0x200000ULL
#define ARG_SIZE 0x4000ULL

static struct xen_fixture fx;
static bool ready;

/* Pointer-ish arguments: mostly into the argument area, sometimes anywhere. */
static uint64_t arg(struct input *in)
{
	uint8_t kind = (uint8_t)take(in, 1);

	switch (kind % 4) {
	case 0:
		return ARG_AREA + take(in, 2) % ARG_SIZE;
	case 1:
		return take(in, 8);
	default:
		return take(in, kind % 4 == 2 ? 1 : 4);
	}
}

static bool left_to_guest_tests(uint64_t nr, uint64_t op)
{
	if (nr == __HYPERVISOR_sched_op)
		return op == SCHEDOP_block || op == SCHEDOP_poll || op == SCHEDOP_shutdown;
	if (nr == __HYPERVISOR_vcpu_op)
		return op == VCPUOP_initialise || op == VCPUOP_up || op == VCPUOP_down;
	return false;
}

static void call(struct input *in)
{
	struct xen_call c = {
		.dom = &fx.dom,
		.vcpu = &fx.vcpu,
		.paging = { .cr0 = X86_CR0_PE },
	};

	c.is_64 = take(in, 1) & 1;
	c.nr = take(in, 1) % 48;
	c.args[0] = take(in, 1);
	for (int i = 1; i < 6; i++)
		c.args[i] = arg(in);
	if (!c.is_64)
		for (int i = 0; i < 6; i++)
			c.args[i] = (uint32_t)c.args[i];
	if (left_to_guest_tests(c.nr, c.args[0]))
		return;
	xen_hypercall_dispatch(&c);
}

static void write_guest(struct input *in)
{
	uint64_t off = take(in, 2) % ARG_SIZE;
	uint64_t len = take(in, 1);
	uint8_t *p = fixture_ptr(&fx, ARG_AREA + off, 1);

	for (uint64_t i = 0; i < len && off + i < ARG_SIZE && in->left; i++)
		p[i] = (uint8_t)take(in, 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct input in = { data, size };

	if (!ready) {
		if (fixture_init(&fx, 2000000))
			return 0;
		ready = true;
	}
	while (in.left) {
		if (take(&in, 1) & 1)
			call(&in);
		else
			write_guest(&in);
	}
	return 0;
}
