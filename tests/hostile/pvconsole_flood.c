// SPDX-License-Identifier: MIT
/*
 * pvconsole_flood: the PV console ring (xen/io/console.h) kept full, forever: the guest
 * produces as fast as the backend consumes and notifies the port after each fill. The
 * backend must keep consuming (output beyond the host's budget is dropped by the host,
 * the ring protocol itself never stalls) and EVTCHNOP_send must keep answering 0.
 */
#include "hostile.h"
#include "events.h"

#include <xen/hvm/params.h>
#include <xen/io/console.h>

static struct xencons_interface *ring;
static evtchn_port_t port;

static uint64_t get_param(uint32_t index)
{
	struct xen_hvm_param p = { .domid = DOMID_SELF, .index = index };
	long rc = HYPERVISOR_hvm_op(HVMOP_get_param, &p);

	hostile_expect(rc == 0, "HVMOP_get_param %u returned %ld", index, rc);
	return p.value;
}

void test_main(void)
{
	static const char text[] = "pvconsole_flood: the quick brown fox jumps over the lazy dog\n";
	unsigned int t = 0;
	uint64_t pfn;

	kit_events_init();
	pfn = get_param(HVM_PARAM_CONSOLE_PFN);
	hostile_expect(pfn != 0, "no PV console (HVM_PARAM_CONSOLE_PFN is 0)");
	ring = (struct xencons_interface *)(uintptr_t)(pfn << 12);
	port = (evtchn_port_t)get_param(HVM_PARAM_CONSOLE_EVTCHN);
	hostile_start("the PV console ring kept full");
	for (;;) {
		XENCONS_RING_IDX prod = ring->out_prod;
		long rc;

		while (prod - __atomic_load_n(&ring->out_cons, __ATOMIC_ACQUIRE) <
		       sizeof(ring->out)) {
			ring->out[MASK_XENCONS_IDX(prod, ring->out)] = text[t];
			t = (t + 1) % (sizeof(text) - 1);
			prod++;
		}
		__atomic_store_n(&ring->out_prod, prod, __ATOMIC_RELEASE);
		rc = kit_send(port);
		hostile_expect(rc == 0, "EVTCHNOP_send on the console port returned %ld", rc);
	}
}
