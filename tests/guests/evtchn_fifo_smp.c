// SPDX-License-Identifier: MIT
/*
 * evtchn_fifo_smp: FIFO event channels on two vCPUs, each with its own control block
 * (EVTCHNOP_init_control per vCPU, as Linux's evtchn_fifo_percpu_init does) and its own
 * upcall vector (HVMOP_set_evtchn_upcall_vector). Expectations from Xen 4.17's
 * common/event_fifo.c: an event goes to the queue of the port's notify vCPU; an IPI bound
 * to vCPU 1 is taken there; EVTCHNOP_bind_vcpu moves a port to vCPU 1 from its next link
 * on, and a port still LINKED on vCPU 0's queue stays there until vCPU 0 consumes it.
 */
#include "kit.h"
#include "events.h"
#include "events_fifo.h"
#include "hypercall.h"
#include "smp.h"

#define WAIT 200000UL
#define CPU1_VECTOR 0xf4

static uint8_t cb1_page[4096] __attribute__((aligned(4096)));
static evtchn_port_t cpu1_head[EVTCHN_FIFO_MAX_QUEUES];
/* Events vCPU 1's handler dispatched, per port. */
static volatile uint32_t cpu1_count[KIT_MAX_COUNTED_PORTS];
static volatile bool cpu1_stop;

/* vCPU 1's upcall: Linux's consumption loop on its own control block. */
static void cpu1_upcall(struct kit_regs *regs)
{
	struct evtchn_fifo_control_block *cb = (void *)cb1_page;
	struct vcpu_info *vi = &kit_shared_info->vcpu_info[1];
	uint32_t ready;

	__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
	ready = __atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST);
	while (ready) {
		unsigned int q = __builtin_ctz(ready);
		evtchn_port_t port = cpu1_head[q] ? cpu1_head[q] : cb->head[q];
		event_word_t w = __atomic_fetch_and(
			kit_fifo_word(port), ~((1u << EVTCHN_FIFO_LINKED) | EVTCHN_FIFO_LINK_MASK),
			__ATOMIC_SEQ_CST);

		cpu1_head[q] = w & EVTCHN_FIFO_LINK_MASK;
		if (!cpu1_head[q])
			ready &= ~(1u << q);
		if (kit_fifo_is_pending(port) && !kit_fifo_is_masked(port)) {
			kit_fifo_clear_pending(port);
			if (port < KIT_MAX_COUNTED_PORTS)
				cpu1_count[port]++;
		}
		ready |= __atomic_exchange_n(&cb->ready, 0, __ATOMIC_SEQ_CST);
	}
	kit_apic_eoi();
}

/* Runs on vCPU 1: take upcalls until told to stop. */
static void cpu1_listen(unsigned int cpu, void *arg)
{
	irq_enable();
	while (!__atomic_load_n(&cpu1_stop, __ATOMIC_ACQUIRE))
		;
	irq_disable();
}

static void setup_cpu1(void)
{
	struct evtchn_init_control ic = { .control_gfn = (uintptr_t)cb1_page >> 12, .vcpu = 1 };
	struct xen_hvm_evtchn_upcall_vector uv = { .vcpu = 1, .vector = CPU1_VECTOR };

	check_eq(evtchn_op(EVTCHNOP_init_control, &ic), 0, "init_control for vCPU 1");
	kit_set_irq_handler(CPU1_VECTOR, cpu1_upcall);
	check_eq(HYPERVISOR_hvm_op(HVMOP_set_evtchn_upcall_vector, &uv), 0,
		 "upcall vector of vCPU 1");
	kit_cpu_call_async(1, cpu1_listen, NULL);
}

static void test_ipi_on_cpu1(void)
{
	struct evtchn_bind_ipi ipi = { .vcpu = 1 };

	check_eq(evtchn_op(EVTCHNOP_bind_ipi, &ipi), 0, "bind_ipi to vCPU 1");
	check_eq(kit_fifo_setup_port(ipi.port), 0, "expand");
	kit_fifo_unmask(ipi.port);
	check_eq(kit_send(ipi.port), 0, "send the IPI");
	check(kit_wait_for(cpu1_count[ipi.port] == 1, WAIT), "IPI taken on vCPU 1: %u",
	      cpu1_count[ipi.port]);
	check_eq(kit_event_count[ipi.port], 0, "not on vCPU 0");
	check_eq(kit_close(ipi.port), 0, "close");
}

static void test_bind_vcpu(void)
{
	struct evtchn_bind_vcpu bv = { .vcpu = 1 };
	evtchn_port_t a, b;

	check_eq(kit_alloc_unbound(DOMID_SELF, &a), 0, "alloc_unbound");
	check_eq(kit_fifo_setup_port(a), 0, "expand");
	kit_fifo_unmask(a);
	check_eq(kit_bind_loopback(a, &b), 0, "bind");
	check_eq(kit_fifo_setup_port(b), 0, "expand");
	kit_fifo_unmask(b);
	/* Ports are reused after close (the IPI's port is a now); nothing was taken yet. */
	kit_event_count[a] = kit_event_count[b] = 0;
	cpu1_count[a] = cpu1_count[b] = 0;
	check(kit_wait_for(kit_event_count[b] == 1, WAIT), "bind event on vCPU 0");
	check_eq(kit_send(b), 0, "send to a");
	check(kit_wait_for(kit_event_count[a] == 1, WAIT), "a on vCPU 0");

	/* Interrupts off on vCPU 0: the next event stays LINKED on vCPU 0's queue. */
	check_eq(kit_send(b), 0, "send to a");
	check(kit_fifo_is_linked(a), "a linked on vCPU 0's queue");
	bv.port = a;
	check_eq(evtchn_op(EVTCHNOP_bind_vcpu, &bv), 0, "bind_vcpu a -> vCPU 1");
	check_eq(kit_send(b), 0, "send to a while still linked on vCPU 0");
	check(kit_wait_for(kit_event_count[a] == 2, WAIT), "the queued event on vCPU 0: %u",
	      kit_event_count[a]);
	check_eq(cpu1_count[a], 0, "nothing on vCPU 1 while a was linked on vCPU 0");
	/* Unlinked now: the next event links on vCPU 1's queue. */
	check_eq(kit_send(b), 0, "send to a");
	check(kit_wait_for(cpu1_count[a] == 1, WAIT), "a now on vCPU 1: %u", cpu1_count[a]);
	check_eq(kit_event_count[a], 2, "no more on vCPU 0");
	check_eq(kit_close(a), 0, "close");
	check_eq(kit_close(b), 0, "close");
}

void test_main(void)
{
	kit_events_init();
	if (kit_smp_init() < 2)
		kit_skip("needs 2 vCPUs (--vcpus 2)");
	check_eq(kit_fifo_init(), 0, "init_control for vCPU 0");
	setup_cpu1();
	test_ipi_on_cpu1();
	test_bind_vcpu();
	__atomic_store_n(&cpu1_stop, true, __ATOMIC_RELEASE);
	while (!kit_cpu_call_done(1))
		;
	printf("evtchn_fifo_smp: done\n");
}
