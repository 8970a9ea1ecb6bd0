// SPDX-License-Identifier: GPL-2.0
/*
 * The FIFO event-channel ABI without KVM: the hypercalls and their errors as Xen 4.17
 * gives them (common/event_fifo.c, common/event_channel.c), and the queues as the guest
 * sees them in its pages (xen/event_channel.h: HEAD in the control block, LINK in each
 * word, READY per priority), including words a hostile guest scribbles on.
 */
#include <pthread.h>
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/event_channel.h>
#include <xen/xen.h>

#include "tests/unit/unit.h"
#include "tests/unit/xen/fixture.h"
#include "xen-emul/evtchn/evtchn.h"
#include "xen-emul/evtchn/evtchn_fifo.h"

#define ARG 0x200000ULL /* hypercall argument buffer (identity-mapped RAM) */
#define CB0 0x300000ULL /* vCPU 0's control block page */
#define CB1 0x301000ULL /* vCPU 1's */
#define ARRAY 0x310000ULL /* event-array pages, one after another */

#define W_PENDING (1u << EVTCHN_FIFO_PENDING)
#define W_MASKED (1u << EVTCHN_FIFO_MASKED)
#define W_LINKED (1u << EVTCHN_FIFO_LINKED)
#define W_BUSY (1u << EVTCHN_FIFO_BUSY)
#define PRIO_BIT(p) (1u << (p))

static struct xen_fixture fx;

static int setup(void)
{
	return fixture_init_vcpus(&fx, 1000000, 2) ? -1 : 0;
}

static int teardown(void)
{
	fixture_destroy(&fx);
	return 0;
}

/* One EVTCHNOP with its argument through guest memory, as a guest issues it. */
static long evop(int cmd, void *arg, size_t size)
{
	long rc;

	memcpy(fixture_ptr(&fx, ARG, size), arg, size);
	rc = fixture_call(&fx, __HYPERVISOR_event_channel_op, (uint64_t)cmd, ARG, 0);
	memcpy(arg, fixture_ptr(&fx, ARG, size), size);
	return rc;
}

static long init_control(uint64_t gfn, uint32_t offset, uint32_t vcpu)
{
	struct evtchn_init_control ic = { .control_gfn = gfn, .offset = offset, .vcpu = vcpu };

	return evop(EVTCHNOP_init_control, &ic, sizeof(ic));
}

/* Like Linux: every word of a new page starts MASKED. */
static long expand(unsigned int page)
{
	struct evtchn_expand_array ea = { .array_gfn = (ARRAY >> 12) + page };
	event_word_t *w = fixture_ptr(&fx, ARRAY + page * 4096ULL, 4096);

	for (unsigned int i = 0; i < 1024; i++)
		w[i] = W_MASKED;
	return evop(EVTCHNOP_expand_array, &ea, sizeof(ea));
}

static long set_priority(evtchn_port_t port, uint32_t prio)
{
	struct evtchn_set_priority sp = { .port = port, .priority = prio };

	return evop(EVTCHNOP_set_priority, &sp, sizeof(sp));
}

static long reset(void)
{
	struct evtchn_reset r = { .dom = DOMID_SELF };

	return evop(EVTCHNOP_reset, &r, sizeof(r));
}

static evtchn_port_t bind_ipi(uint32_t vcpu)
{
	struct evtchn_bind_ipi b = { .vcpu = vcpu };

	CU_ASSERT_EQUAL_FATAL(evop(EVTCHNOP_bind_ipi, &b, sizeof(b)), 0);
	return b.port;
}

static long send(evtchn_port_t port)
{
	struct evtchn_send s = { .port = port };

	return evop(EVTCHNOP_send, &s, sizeof(s));
}

static long unmask(evtchn_port_t port)
{
	struct evtchn_unmask u = { .port = port };

	return evop(EVTCHNOP_unmask, &u, sizeof(u));
}

static long close_port(evtchn_port_t port)
{
	struct evtchn_close c = { .port = port };

	return evop(EVTCHNOP_close, &c, sizeof(c));
}

static volatile event_word_t *word(evtchn_port_t port)
{
	return fixture_ptr(&fx, ARRAY + port * 4ULL, 4);
}

static struct evtchn_fifo_control_block *cb(unsigned int vcpu)
{
	return fixture_ptr(&fx, vcpu ? CB1 : CB0, sizeof(struct evtchn_fifo_control_block));
}

static uint8_t *upcall_pending(unsigned int vcpu)
{
	return &fx.dom.vcpus[vcpu].vcpu_info->evtchn_upcall_pending;
}

/* What Linux does before using a port: unmask it by clearing MASKED when not pending. */
static void guest_unmask(evtchn_port_t port)
{
	*word(port) &= ~W_MASKED;
}

/* Linux's consume_one_event for one queue entry: clear LINKED and LINK, return LINK. */
static evtchn_port_t guest_unlink(evtchn_port_t port)
{
	event_word_t w = __atomic_fetch_and(word(port), ~(W_LINKED | EVTCHN_FIFO_LINK_MASK),
					    __ATOMIC_SEQ_CST);

	return w & EVTCHN_FIFO_LINK_MASK;
}

/* A fresh FIFO domain with vCPU 0's control block and one array page (ports 0-1023). */
static void fresh_fifo(void)
{
	CU_ASSERT_EQUAL(reset(), 0);
	memset(cb(0), 0, 4096);
	memset(cb(1), 0, 4096);
	CU_ASSERT_EQUAL_FATAL(init_control(CB0 >> 12, 0, 0), 0);
	CU_ASSERT_EQUAL_FATAL(expand(0), 0);
	*upcall_pending(0) = 0;
	*upcall_pending(1) = 0;
}

static void test_init_control_errors(void)
{
	struct evtchn_init_control ic = { .control_gfn = CB0 >> 12, .vcpu = 2 };
	struct evtchn_expand_array ea = { .array_gfn = ARRAY >> 12 };

	CU_ASSERT_EQUAL(reset(), 0);
	CU_ASSERT_PTR_EQUAL(fx.dom.evtchn->abi, &xen_evtchn_2l_abi);
	/* Before FIFO: expand_array -EOPNOTSUPP, set_priority -ENOSYS (no such op). */
	CU_ASSERT_EQUAL(evop(EVTCHNOP_expand_array, &ea, sizeof(ea)), -XEN_EOPNOTSUPP);
	CU_ASSERT_EQUAL(set_priority(bind_ipi(0), 3), -XEN_ENOSYS);
	CU_ASSERT_EQUAL(set_priority(5000, 3), -XEN_EINVAL);

	CU_ASSERT_EQUAL(evop(EVTCHNOP_init_control, &ic, sizeof(ic)), -XEN_ENOENT);
	/* The 72-byte block must end inside the page and be 8-byte aligned. */
	CU_ASSERT_EQUAL(init_control(CB0 >> 12, 4096 - 72 + 8, 0), -XEN_EINVAL);
	CU_ASSERT_EQUAL(init_control(CB0 >> 12, 4, 0), -XEN_EINVAL);
	CU_ASSERT_EQUAL(init_control(CB0 >> 12, UINT32_MAX & ~7u, 0), -XEN_EINVAL);
	/* Frames that are not guest memory, including one whose address would wrap. */
	CU_ASSERT_EQUAL(init_control((32ULL << 20) >> 12, 0, 0), -XEN_EINVAL);
	CU_ASSERT_EQUAL(init_control(0xf0000, 0, 0), -XEN_EINVAL); /* the MMIO hole */
	CU_ASSERT_EQUAL(init_control((1ULL << 52) + (CB0 >> 12), 0, 0), -XEN_EINVAL);
	CU_ASSERT_PTR_EQUAL(fx.dom.evtchn->abi, &xen_evtchn_2l_abi);

	ic = (struct evtchn_init_control){ .control_gfn = CB0 >> 12, .offset = 4096 - 72 };
	CU_ASSERT_EQUAL(evop(EVTCHNOP_init_control, &ic, sizeof(ic)), 0);
	CU_ASSERT_EQUAL(ic.link_bits, EVTCHN_FIFO_LINK_BITS);
	CU_ASSERT_PTR_EQUAL(fx.dom.evtchn->abi, &xen_evtchn_fifo_abi);
	CU_ASSERT_EQUAL(init_control(CB0 >> 12, 0, 0), -XEN_EINVAL); /* already set up */
	CU_ASSERT_EQUAL(init_control(CB1 >> 12, 8, 1), 0);
	CU_ASSERT_EQUAL(set_priority(1, EVTCHN_FIFO_PRIORITY_MIN + 1), -XEN_EINVAL);
	CU_ASSERT_EQUAL(set_priority(5000, 3), -XEN_EINVAL);
	CU_ASSERT_EQUAL(set_priority(1, EVTCHN_FIFO_PRIORITY_MAX), 0);
	ea.array_gfn = (32ULL << 20) >> 12;
	CU_ASSERT_EQUAL(evop(EVTCHNOP_expand_array, &ea, sizeof(ea)), -XEN_EINVAL);
	ea.array_gfn = 1ULL << 52;
	CU_ASSERT_EQUAL(evop(EVTCHNOP_expand_array, &ea, sizeof(ea)), -XEN_EINVAL);
}

/* Xen caps the array at 2^17 ports: 128 pages; the 129th is -ENOSPC. */
static void test_expand_limit(void)
{
	struct evtchn_expand_array ea = { .array_gfn = ARRAY >> 12 };

	fresh_fifo();
	for (unsigned int i = 1; i < FIFO_MAX_ARRAY_PAGES; i++)
		CU_ASSERT_EQUAL(evop(EVTCHNOP_expand_array, &ea, sizeof(ea)), 0);
	CU_ASSERT_EQUAL(evop(EVTCHNOP_expand_array, &ea, sizeof(ea)), -XEN_ENOSPC);
	CU_ASSERT_EQUAL(reset(), 0);
	CU_ASSERT_PTR_NULL(fx.dom.evtchn->fifo);
	CU_ASSERT_PTR_EQUAL(fx.dom.evtchn->abi, &xen_evtchn_2l_abi);
}

static void test_queue_order(void)
{
	evtchn_port_t p[3];

	fresh_fifo();
	for (int i = 0; i < 3; i++) {
		p[i] = bind_ipi(0);
		guest_unmask(p[i]);
	}
	CU_ASSERT_EQUAL(send(p[1]), 0);
	CU_ASSERT_EQUAL(send(p[0]), 0);
	CU_ASSERT_EQUAL(send(p[2]), 0);
	/* Sent order: HEAD p1 -> p0 -> p2, only the default priority READY, one upcall. */
	CU_ASSERT_EQUAL(cb(0)->ready, PRIO_BIT(EVTCHN_FIFO_PRIORITY_DEFAULT));
	CU_ASSERT_EQUAL(*upcall_pending(0), 1);
	CU_ASSERT_EQUAL(cb(0)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], p[1]);
	CU_ASSERT_EQUAL(*word(p[1]), W_PENDING | W_LINKED | p[0]);
	CU_ASSERT_EQUAL(*word(p[0]), W_PENDING | W_LINKED | p[2]);
	CU_ASSERT_EQUAL(*word(p[2]), W_PENDING | W_LINKED);
	/* Sending a LINKED port again changes nothing: it is not linked twice. */
	CU_ASSERT_EQUAL(send(p[0]), 0);
	CU_ASSERT_EQUAL(*word(p[0]), W_PENDING | W_LINKED | p[2]);
	CU_ASSERT_EQUAL(*word(p[2]), W_PENDING | W_LINKED);

	/* The guest consumes p1 and p0; p2, still the tail, gets the next event linked. */
	CU_ASSERT_EQUAL(guest_unlink(p[1]), p[0]);
	CU_ASSERT_EQUAL(guest_unlink(p[0]), p[2]);
	CU_ASSERT_EQUAL(send(p[1]), 0);
	CU_ASSERT_EQUAL(*word(p[2]) & EVTCHN_FIFO_LINK_MASK, p[1]);
	/* Once the tail is consumed, the queue is empty: the next event writes HEAD. */
	CU_ASSERT_EQUAL(guest_unlink(p[2]), p[1]);
	CU_ASSERT_EQUAL(guest_unlink(p[1]), 0);
	cb(0)->ready = 0;
	CU_ASSERT_EQUAL(send(p[0]), 0);
	CU_ASSERT_EQUAL(cb(0)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], p[0]);
	CU_ASSERT_EQUAL(cb(0)->ready, PRIO_BIT(EVTCHN_FIFO_PRIORITY_DEFAULT));
}

static void test_priorities(void)
{
	evtchn_port_t lo, hi, top;

	fresh_fifo();
	lo = bind_ipi(0);
	hi = bind_ipi(0);
	top = bind_ipi(0);
	guest_unmask(lo);
	guest_unmask(hi);
	guest_unmask(top);
	CU_ASSERT_EQUAL(set_priority(lo, EVTCHN_FIFO_PRIORITY_MIN), 0);
	CU_ASSERT_EQUAL(set_priority(hi, 3), 0);
	CU_ASSERT_EQUAL(set_priority(top, EVTCHN_FIFO_PRIORITY_MAX), 0);
	CU_ASSERT_EQUAL(send(lo), 0);
	CU_ASSERT_EQUAL(send(hi), 0);
	CU_ASSERT_EQUAL(send(top), 0);
	CU_ASSERT_EQUAL(cb(0)->ready, PRIO_BIT(0) | PRIO_BIT(3) | PRIO_BIT(15));
	CU_ASSERT_EQUAL(cb(0)->head[EVTCHN_FIFO_PRIORITY_MIN], lo);
	CU_ASSERT_EQUAL(cb(0)->head[3], hi);
	CU_ASSERT_EQUAL(cb(0)->head[EVTCHN_FIFO_PRIORITY_MAX], top);
	CU_ASSERT_EQUAL(*word(lo) & EVTCHN_FIFO_LINK_MASK, 0); /* separate queues */
	CU_ASSERT_EQUAL(*word(hi) & EVTCHN_FIFO_LINK_MASK, 0);

	/* A new priority applies from the next link; the queued event stays where it is. */
	CU_ASSERT_EQUAL(set_priority(hi, EVTCHN_FIFO_PRIORITY_MIN), 0);
	CU_ASSERT_EQUAL(cb(0)->head[3], hi);
	CU_ASSERT_EQUAL(guest_unlink(hi), 0);
	CU_ASSERT_EQUAL(send(hi), 0);
	CU_ASSERT_EQUAL(*word(lo) & EVTCHN_FIFO_LINK_MASK, hi); /* behind lo on queue 15 */
	/* Queue 3's tail was hi: it is forgotten, so queue 3 starts afresh. */
	CU_ASSERT_EQUAL(set_priority(top, 3), 0);
	CU_ASSERT_EQUAL(guest_unlink(top), 0);
	CU_ASSERT_EQUAL(send(top), 0);
	CU_ASSERT_EQUAL(cb(0)->head[3], top);
	CU_ASSERT_EQUAL(*word(hi) & EVTCHN_FIFO_LINK_MASK, 0);
}

static void test_masking(void)
{
	evtchn_port_t a, b;

	fresh_fifo();
	a = bind_ipi(0);
	b = bind_ipi(0);
	CU_ASSERT_EQUAL(send(a), 0); /* MASKED since the page was added */
	CU_ASSERT_EQUAL(*word(a), W_PENDING | W_MASKED);
	CU_ASSERT_EQUAL(cb(0)->ready, 0);
	CU_ASSERT_EQUAL(*upcall_pending(0), 0);
	CU_ASSERT_TRUE(fx.dom.evtchn->abi->is_pending(&fx.dom, a));
	CU_ASSERT_TRUE(fx.dom.evtchn->abi->is_masked(&fx.dom, a));
	/* EVTCHNOP_unmask (what Linux calls when the port is pending) links it. */
	CU_ASSERT_EQUAL(unmask(a), 0);
	CU_ASSERT_EQUAL(*word(a), W_PENDING | W_LINKED);
	CU_ASSERT_EQUAL(cb(0)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], a);
	CU_ASSERT_EQUAL(*upcall_pending(0), 1);
	/* Unmasking a port that is not pending only clears MASKED. */
	CU_ASSERT_EQUAL(unmask(b), 0);
	CU_ASSERT_EQUAL(*word(b), 0);
	CU_ASSERT_EQUAL(unmask(5000), -XEN_EINVAL);
	/* Closing clears PENDING only; a LINKED port is busy and not handed out again. */
	CU_ASSERT_EQUAL(close_port(a), 0);
	CU_ASSERT_EQUAL(*word(a), W_LINKED);
	CU_ASSERT_NOT_EQUAL(bind_ipi(0), a);
	guest_unlink(a);
	CU_ASSERT_EQUAL(bind_ipi(0), a);
}

/* Events raised before their page exists are kept and raised by expand_array. */
static void test_early_events(void)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF };
	event_word_t *page = fixture_ptr(&fx, ARRAY, 4096);

	CU_ASSERT_EQUAL(reset(), 0);
	/* Pending under 2-level carries over into FIFO (Xen's setup_ports). */
	CU_ASSERT_EQUAL(evop(EVTCHNOP_alloc_unbound, &au, sizeof(au)), 0);
	bi.remote_port = au.port;
	CU_ASSERT_EQUAL(evop(EVTCHNOP_bind_interdomain, &bi, sizeof(bi)), 0);
	CU_ASSERT_TRUE(xen_evtchn_2l_abi.is_pending(&fx.dom, bi.local_port));
	memset(cb(0), 0, 4096);
	CU_ASSERT_EQUAL(init_control(CB0 >> 12, 0, 0), 0);
	CU_ASSERT_FALSE(fx.dom.evtchn->abi->is_pending(&fx.dom, bi.local_port));
	CU_ASSERT_TRUE(fx.dom.evtchn->abi->is_masked(&fx.dom, bi.local_port));
	CU_ASSERT_EQUAL(send(bi.local_port), 0); /* to au.port, no page yet either */
	CU_ASSERT_EQUAL(cb(0)->ready, 0);
	/* The guest adds the page with both words unmasked: both events arrive, in order. */
	memset(page, 0, 4096);
	struct evtchn_expand_array ea = { .array_gfn = ARRAY >> 12 };
	CU_ASSERT_EQUAL(evop(EVTCHNOP_expand_array, &ea, sizeof(ea)), 0);
	CU_ASSERT_EQUAL(cb(0)->ready, PRIO_BIT(EVTCHN_FIFO_PRIORITY_DEFAULT));
	CU_ASSERT_EQUAL(cb(0)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], au.port);
	CU_ASSERT_EQUAL(page[au.port], W_PENDING | W_LINKED | bi.local_port);
	CU_ASSERT_EQUAL(page[bi.local_port], W_PENDING | W_LINKED);
}

/* bind_vcpu: the next link goes to the new vCPU's queue; the old tail is forgotten. */
static void test_bind_vcpu(void)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_bind_vcpu bv = { .vcpu = 1 };
	evtchn_port_t other;

	fresh_fifo();
	CU_ASSERT_EQUAL(init_control(CB1 >> 12, 0, 1), 0);
	CU_ASSERT_EQUAL(evop(EVTCHNOP_alloc_unbound, &au, sizeof(au)), 0);
	guest_unmask(au.port);
	struct xen_evtchn_port *e = xen_evtchn_port(&fx.dom, au.port);
	/* Raise it directly through the core (a host end would): it links on vCPU 0. */
	xen_evtchn_lock(&fx.dom);
	xen_evtchn_set_pending(&fx.dom, au.port);
	xen_evtchn_unlock(&fx.dom);
	CU_ASSERT_EQUAL(cb(0)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], au.port);
	bv.port = au.port;
	CU_ASSERT_EQUAL(evop(EVTCHNOP_bind_vcpu, &bv, sizeof(bv)), 0);
	CU_ASSERT_EQUAL(e->vcpu, 1);
	/* Still linked on vCPU 0: a new event does nothing until the guest unlinks it. */
	xen_evtchn_lock(&fx.dom);
	xen_evtchn_set_pending(&fx.dom, au.port);
	xen_evtchn_unlock(&fx.dom);
	CU_ASSERT_EQUAL(cb(1)->ready, 0);
	guest_unlink(au.port);
	xen_evtchn_lock(&fx.dom);
	xen_evtchn_set_pending(&fx.dom, au.port);
	xen_evtchn_unlock(&fx.dom);
	CU_ASSERT_EQUAL(cb(1)->ready, PRIO_BIT(EVTCHN_FIFO_PRIORITY_DEFAULT));
	CU_ASSERT_EQUAL(cb(1)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], au.port);
	CU_ASSERT_EQUAL(*upcall_pending(1), 1);
	/* vCPU 0's queue must not link behind the port that left it. */
	other = bind_ipi(0);
	guest_unmask(other);
	cb(0)->head[EVTCHN_FIFO_PRIORITY_DEFAULT] = 0;
	CU_ASSERT_EQUAL(send(other), 0);
	CU_ASSERT_EQUAL(cb(0)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], other);
	CU_ASSERT_EQUAL(*word(au.port) & EVTCHN_FIFO_LINK_MASK, 0);
	/* A vCPU without a control block drops its events (Xen): nothing is written. */
	CU_ASSERT_EQUAL(reset(), 0);
	memset(cb(1), 0, 4096);
	CU_ASSERT_EQUAL(init_control(CB0 >> 12, 0, 0), 0);
	CU_ASSERT_EQUAL(expand(0), 0);
	struct evtchn_bind_ipi bi = { .vcpu = 1 };
	CU_ASSERT_EQUAL(evop(EVTCHNOP_bind_ipi, &bi, sizeof(bi)), 0);
	guest_unmask(bi.port);
	CU_ASSERT_EQUAL(send(bi.port), 0);
	CU_ASSERT_EQUAL(*word(bi.port), 0);
	CU_ASSERT_EQUAL(cb(1)->ready, 0);
}

/* Words the guest wrote garbage into: no crash, nothing outside the pages, queues sane. */
static void test_hostile_words(void)
{
	evtchn_port_t a, b, c;

	fresh_fifo();
	a = bind_ipi(0);
	b = bind_ipi(0);
	c = bind_ipi(0);
	guest_unmask(a);
	guest_unmask(b);
	guest_unmask(c);
	CU_ASSERT_EQUAL(send(a), 0);
	/* The tail's LINK points far outside the array and BUSY is stuck: overwritten. */
	*word(a) = W_PENDING | W_LINKED | W_BUSY | EVTCHN_FIFO_LINK_MASK;
	CU_ASSERT_EQUAL(send(b), 0);
	CU_ASSERT_EQUAL(*word(a), W_PENDING | W_LINKED | b);
	/* The guest unlinked the tail behind our back: the queue restarts at HEAD. */
	*word(b) = 0x0fffffffu; /* every LINK bit, not LINKED */
	cb(0)->ready = 0;
	CU_ASSERT_EQUAL(send(c), 0);
	CU_ASSERT_EQUAL(cb(0)->head[EVTCHN_FIFO_PRIORITY_DEFAULT], c);
	CU_ASSERT_EQUAL(*word(b), 0x0fffffffu);
	/* All bits set: pending, masked, linked: nothing to do, even on unmask. */
	*word(a) = 0xffffffffu;
	CU_ASSERT_EQUAL(send(a), 0);
	CU_ASSERT_EQUAL(unmask(a), 0);
	CU_ASSERT_EQUAL(*word(a), 0xffffffffu & ~W_MASKED);
	/* HEAD and READY are the guest's to change: the VMM only writes them. */
	cb(0)->head[EVTCHN_FIFO_PRIORITY_DEFAULT] = 0xdeadbeef;
	cb(0)->ready = 0xffffffffu;
	guest_unlink(c);
	CU_ASSERT_EQUAL(send(c), 0);
	CU_ASSERT_EQUAL(*word(c) & (W_LINKED | W_PENDING), W_LINKED | W_PENDING);
	/* The core's port check keeps every operation inside the port table. */
	CU_ASSERT_EQUAL(send(EVTCHN_FIFO_NR_CHANNELS - 1), -XEN_EINVAL);
	CU_ASSERT_EQUAL(send(UINT32_MAX), -XEN_EINVAL);
}

struct toggler {
	volatile event_word_t *word;
	volatile bool stop;
};

static void *toggle_mask(void *arg)
{
	struct toggler *t = arg;

	while (!t->stop)
		__atomic_fetch_xor(t->word, W_MASKED, __ATOMIC_SEQ_CST);
	return NULL;
}

/*
 * A guest flipping MASKED on the tail word while the VMM links behind it: the
 * compare-and-swap retries, LINKED and the guest's bits survive, BUSY never sticks.
 */
static void test_link_race(void)
{
	struct toggler t = { 0 };
	unsigned int linked = 0, rounds = 2000;
	evtchn_port_t a, b;
	pthread_t th;

	fresh_fifo();
	a = bind_ipi(0);
	b = bind_ipi(0);
	guest_unmask(a);
	guest_unmask(b);
	CU_ASSERT_EQUAL(send(a), 0);
	t.word = word(a);
	CU_ASSERT_EQUAL_FATAL(pthread_create(&th, NULL, toggle_mask, &t), 0);
	for (unsigned int i = 0; i < rounds; i++) {
		__atomic_fetch_and(word(a), ~EVTCHN_FIFO_LINK_MASK, __ATOMIC_SEQ_CST);
		__atomic_fetch_and(word(b), ~(W_LINKED | W_PENDING), __ATOMIC_SEQ_CST);
		xen_evtchn_lock(&fx.dom);
		fx.dom.evtchn->fifo->vcpus[0].tail[EVTCHN_FIFO_PRIORITY_DEFAULT] = a;
		xen_evtchn_unlock(&fx.dom);
		CU_ASSERT_EQUAL(send(b), 0);
		linked += (*word(a) & EVTCHN_FIFO_LINK_MASK) == b;
		CU_ASSERT_EQUAL(*word(a) & (W_LINKED | W_PENDING | W_BUSY), W_LINKED | W_PENDING);
	}
	t.stop = true;
	pthread_join(th, NULL);
	CU_ASSERT_TRUE(linked > rounds * 9 / 10);
}

UNIT_SUITE(xen_evtchn_fifo, setup, teardown, UNIT_TEST(test_init_control_errors),
	   UNIT_TEST(test_expand_limit), UNIT_TEST(test_queue_order), UNIT_TEST(test_priorities),
	   UNIT_TEST(test_masking), UNIT_TEST(test_early_events), UNIT_TEST(test_bind_vcpu),
	   UNIT_TEST(test_hostile_words), UNIT_TEST(test_link_race));
