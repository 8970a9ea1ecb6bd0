// SPDX-License-Identifier: MIT
/* Event-channel helpers for guest tests: see events.h. */
#include "events.h"
#include "hypercall.h"

struct shared_info *kit_shared_info;
volatile uint32_t kit_event_count[KIT_MAX_COUNTED_PORTS];
volatile uint32_t kit_upcalls;
volatile uint8_t kit_event_cpu[KIT_MAX_COUNTED_PORTS];
void (*kit_event_hook)(evtchn_port_t port);

static uint8_t shared_info_page[4096] __attribute__((aligned(4096)));

#define WORD_BITS (sizeof(xen_ulong_t) * 8)

long kit_map_shared_info(uint64_t gfn)
{
	struct xen_add_to_physmap xatp = {
		.domid = DOMID_SELF,
		.space = XENMAPSPACE_shared_info,
		.idx = 0,
		.gpfn = gfn ? gfn : (uint64_t)(uintptr_t)shared_info_page >> 12,
	};
	long rc = hypercall2(__HYPERVISOR_memory_op, XENMEM_add_to_physmap, &xatp);

	if (!rc)
		kit_shared_info = (struct shared_info *)(uintptr_t)(xatp.gpfn << 12);
	return rc;
}

/*
 * Linux's 2-level upcall: clear evtchn_upcall_pending, take the selector, then for each
 * selected word the pending and unmasked ports, clearing each pending bit before acting.
 */
static void on_upcall(struct kit_regs *regs)
{
	/* The vCPU this runs on: its x2APIC id (the kit starts vCPU n with id n). */
	unsigned int cpu = kit_x2apic ? kit_apic_id() : 0;
	struct vcpu_info *vi = &kit_shared_info->vcpu_info[cpu];
	xen_ulong_t sel;

	__atomic_fetch_add(&kit_upcalls, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&vi->evtchn_upcall_pending, 0, __ATOMIC_SEQ_CST);
	sel = __atomic_exchange_n(&vi->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
	while (sel) {
		unsigned int w = __builtin_ctzl(sel);
		xen_ulong_t bits;

		sel &= sel - 1;
		bits = kit_shared_info->evtchn_pending[w] & ~kit_shared_info->evtchn_mask[w];
		while (bits) {
			unsigned int b = __builtin_ctzl(bits);
			evtchn_port_t port = w * WORD_BITS + b;

			bits &= bits - 1;
			__atomic_fetch_and(&kit_shared_info->evtchn_pending[w],
					   ~((xen_ulong_t)1 << b), __ATOMIC_SEQ_CST);
			if (port < KIT_MAX_COUNTED_PORTS) {
				kit_event_cpu[port] = (uint8_t)cpu;
				__atomic_fetch_add(&kit_event_count[port], 1, __ATOMIC_SEQ_CST);
			}
			if (kit_event_hook)
				kit_event_hook(port);
		}
	}
	kit_apic_eoi();
}

void kit_events_init(void)
{
	struct xen_hvm_evtchn_upcall_vector uv = { .vcpu = 0, .vector = KIT_UPCALL_VECTOR };
	long rc;

	if (!kit_x2apic)
		kit_skip("no x2APIC: upcalls cannot be received");
	rc = kit_map_shared_info(0);
	if (rc)
		kit_error("XENMEM_add_to_physmap(shared_info) failed: %ld", rc);
	kit_set_irq_handler(KIT_UPCALL_VECTOR, on_upcall);
	rc = hypercall2(__HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, &uv);
	if (rc)
		kit_error("HVMOP_set_evtchn_upcall_vector failed: %ld", rc);
}

long evtchn_op(int cmd, void *arg)
{
	return hypercall2(__HYPERVISOR_event_channel_op, cmd, arg);
}

long kit_alloc_unbound(domid_t remote, evtchn_port_t *port)
{
	struct evtchn_alloc_unbound a = { .dom = DOMID_SELF, .remote_dom = remote };
	long rc = evtchn_op(EVTCHNOP_alloc_unbound, &a);

	*port = a.port;
	return rc;
}

long kit_bind_loopback(evtchn_port_t remote_port, evtchn_port_t *local)
{
	struct evtchn_bind_interdomain b = { .remote_dom = DOMID_SELF, .remote_port = remote_port };
	long rc = evtchn_op(EVTCHNOP_bind_interdomain, &b);

	*local = b.local_port;
	return rc;
}

long kit_send(evtchn_port_t port)
{
	struct evtchn_send s = { .port = port };

	return evtchn_op(EVTCHNOP_send, &s);
}

long kit_close(evtchn_port_t port)
{
	struct evtchn_close c = { .port = port };

	return evtchn_op(EVTCHNOP_close, &c);
}

long kit_unmask(evtchn_port_t port)
{
	struct evtchn_unmask u = { .port = port };

	return evtchn_op(EVTCHNOP_unmask, &u);
}

void kit_mask(evtchn_port_t port)
{
	__atomic_fetch_or(&kit_shared_info->evtchn_mask[port / WORD_BITS],
			  (xen_ulong_t)1 << (port % WORD_BITS), __ATOMIC_SEQ_CST);
}

bool kit_is_pending(evtchn_port_t port)
{
	return kit_shared_info->evtchn_pending[port / WORD_BITS] &
	       ((xen_ulong_t)1 << (port % WORD_BITS));
}

void kit_clear_pending(evtchn_port_t port)
{
	__atomic_fetch_and(&kit_shared_info->evtchn_pending[port / WORD_BITS],
			   ~((xen_ulong_t)1 << (port % WORD_BITS)), __ATOMIC_SEQ_CST);
}

static inline uint64_t rdtsc(void)
{
	uint32_t lo, hi;

	asm volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((uint64_t)hi << 32) | lo;
}

long kit_events_enable_cpu(unsigned int cpu)
{
	struct xen_hvm_evtchn_upcall_vector uv = { .vcpu = cpu, .vector = KIT_UPCALL_VECTOR };

	return hypercall2(__HYPERVISOR_hvm_op, HVMOP_set_evtchn_upcall_vector, &uv);
}

uint64_t kit_system_time(void)
{
	return kit_system_time_on(0);
}

uint64_t kit_system_time_on(unsigned int cpu)
{
	uint64_t tsc;

	return kit_system_time_tsc(cpu, &tsc);
}

/* The pvclock formula of xen.h's vcpu_time_info comment, at one TSC reading. */
uint64_t kit_time_from(volatile struct vcpu_time_info *t, uint64_t *tsc, uint32_t *version)
{
	uint32_t v;
	uint64_t ns;

	do {
		v = t->version;
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		*tsc = rdtsc();
		uint64_t delta = *tsc - t->tsc_timestamp;

		if (t->tsc_shift < 0)
			delta >>= -t->tsc_shift;
		else
			delta <<= t->tsc_shift;
		ns = t->system_time +
		     (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
	} while ((v & 1) || v != t->version);
	if (version)
		*version = v;
	return ns;
}

uint64_t kit_system_time_tsc(unsigned int cpu, uint64_t *tsc)
{
	return kit_time_from(&kit_shared_info->vcpu_info[cpu].time, tsc, NULL);
}
