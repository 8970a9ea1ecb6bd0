/* SPDX-License-Identifier: MIT */
/*
 * 64-bit hypercalls through the hypercall page.
 *
 * Xen's x86-64 ABI: the number selects the 32-byte stub at hypercall_page + 32 * nr,
 * arguments go in rdi, rsi, rdx, r10, r8, r9 and the result comes back in rax. Like
 * Linux, the argument registers are treated as clobbered (debug builds of Xen overwrite
 * the ones a hypercall takes); every other register survives.
 */
#ifndef KIT_HYPERCALL_H
#define KIT_HYPERCALL_H

#include "kit.h"

#include <xen/xen.h>
#include <xen/version.h>
#include <xen/sched.h>
#include <xen/errno.h>

static inline long hypercall6(unsigned int nr, unsigned long a1, unsigned long a2, unsigned long a3,
			      unsigned long a4, unsigned long a5, unsigned long a6)
{
	register unsigned long r10 asm("r10") = a4;
	register unsigned long r8 asm("r8") = a5;
	register unsigned long r9 asm("r9") = a6;
	void *stub = hypercall_page + 32 * nr;
	long rax;

	asm volatile("call *%[stub]"
		     : "=a"(rax), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8), "+r"(r9)
		     : [stub] "r"(stub)
		     : "memory");
	return rax;
}

#define hypercall0(nr) hypercall6(nr, 0, 0, 0, 0, 0, 0)
#define hypercall1(nr, a) hypercall6(nr, (unsigned long)(a), 0, 0, 0, 0, 0)
#define hypercall2(nr, a, b) hypercall6(nr, (unsigned long)(a), (unsigned long)(b), 0, 0, 0, 0)
#define hypercall3(nr, a, b, c) \
	hypercall6(nr, (unsigned long)(a), (unsigned long)(b), (unsigned long)(c), 0, 0, 0)

static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_xen_version, cmd, arg);
}

static inline long HYPERVISOR_console_io(int cmd, unsigned int count, const char *buf)
{
	return hypercall3(__HYPERVISOR_console_io, cmd, count, buf);
}

static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_sched_op, cmd, arg);
}

static inline long HYPERVISOR_memory_op(unsigned long cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_memory_op, cmd, arg);
}

static inline long HYPERVISOR_hvm_op(unsigned long op, void *arg)
{
	return hypercall2(__HYPERVISOR_hvm_op, op, arg);
}

static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{
	return hypercall3(__HYPERVISOR_vcpu_op, cmd, vcpu, arg);
}

/* SCHEDOP_shutdown with @reason; returns only if the hypervisor refused. */
static inline long kit_shutdown(unsigned int reason)
{
	struct sched_shutdown s = { .reason = reason };

	return HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
}

/*
 * Calls @stub with every general register loaded from @in (rsp excepted) and stores
 * every register as the stub left it into @out (rsp as seen right after the call).
 * Used to check which registers a hypercall stub changes.
 */
struct kit_gprs {
	uint64_t rax, rbx, rcx, rdx, rsi, rdi, rbp, rsp;
	uint64_t r8, r9, r10, r11, r12, r13, r14, r15;
};
void kit_probe_call(const void *stub, const struct kit_gprs *in, struct kit_gprs *out);
extern uint64_t kit_probe_rsp_before;
/* A stub that breaks the ABI on purpose (rbx = 0, r11 = 1): the probe's own test. */
extern const char kit_probe_bad_stub[];

#endif
