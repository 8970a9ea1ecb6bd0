// SPDX-License-Identifier: MIT
/*
 * pv_shutdown: a guest with the PV control driver of Linux's drivers/xen/manage.c, for
 * `xl shutdown` and `xl reboot` in tests/compat/xl-lifecycle.sh (not in the manifest: it
 * waits for a toolstack). Like Linux it sets HVM_PARAM_CALLBACK_IRQ (which is what
 * libxl checks before it writes control/shutdown; Linux sets it even with per-vCPU
 * vectors), writes control/feature-poweroff and feature-reboot, and watches
 * control/shutdown. "poweroff" and "halt" end it with SHUTDOWN_poweroff, "reboot" with
 * SHUTDOWN_reboot, each acknowledged first by writing the node back empty; any other
 * command is not acknowledged, and ignored. Between looks it blocks in SCHEDOP_block on
 * a TICK_MS timer rather than spinning.
 */
#include "kit.h"
#include "events.h"
#include "hypercall.h"
#include "xs.h"

#include <xen/hvm/hvm_op.h>
#include <xen/hvm/params.h>
#include <xen/vcpu.h>

#define MS 1000000ULL
#define TICK_MS 20
#define GIVE_UP_S 600

static void block_tick(void)
{
	uint64_t due = kit_system_time() + TICK_MS * MS;
	struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = due };

	check_eq(hypercall3(__HYPERVISOR_vcpu_op, VCPUOP_set_singleshot_timer, 0, &t), 0,
		 "set_singleshot_timer");
	/* With IF=0 a block ends only on a new upcall: none may be pending before it. */
	if (!kit_shared_info->vcpu_info[0].evtchn_upcall_pending)
		check_eq(HYPERVISOR_sched_op(SCHEDOP_block, NULL), 0, "SCHEDOP_block");
	kit_wait_for(false, 100); /* take the upcall */
}

/* The command to act on, or NULL to ignore it (manage.c's shutdown_handlers). */
static const char *handled(const char *cmd, int *reason)
{
	if (!strcmp(cmd, "poweroff") || !strcmp(cmd, "halt")) {
		*reason = SHUTDOWN_poweroff;
		return cmd;
	}
	if (!strcmp(cmd, "reboot")) {
		*reason = SHUTDOWN_reboot;
		return cmd;
	}
	return NULL;
}

void test_main(void)
{
	struct evtchn_bind_virq v = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct xen_hvm_param cb = { .domid = DOMID_SELF,
				    .index = HVM_PARAM_CALLBACK_IRQ,
				    .value = 1 };
	uint64_t start;
	char path[96], token[16], cmd[32];
	int reason;

	kit_events_init();
	check_eq(evtchn_op(EVTCHNOP_bind_virq, &v), 0, "bind VIRQ_TIMER");
	irq_disable();
	check_eq(hypercall2(__HYPERVISOR_hvm_op, HVMOP_set_param, &cb), 0,
		 "HVM_PARAM_CALLBACK_IRQ");
	if (kit_xs_init())
		kit_skip("no xenstore");
	check_eq(kit_xs_write(0, "control/feature-poweroff", "1"), XS_WRITE, "feature-poweroff");
	check_eq(kit_xs_write(0, "control/feature-reboot", "1"), XS_WRITE, "feature-reboot");
	check_eq(kit_xs_watch("control/shutdown", "shutdown"), XS_WATCH, "watch");
	printf("pv_shutdown: watching control/shutdown\n");
	start = kit_system_time();
	for (;;) {
		check(kit_system_time() - start < GIVE_UP_S * 1000 * MS,
		      "no shutdown request within %d s", GIVE_UP_S);
		if (kit_xs_wait_event(path, sizeof(path), token, sizeof(token), 1000)) {
			block_tick();
			continue;
		}
		if (kit_xs_read(0, "control/shutdown", cmd, sizeof(cmd)) != XS_READ || !cmd[0])
			continue;
		if (!handled(cmd, &reason)) {
			printf("pv_shutdown: ignoring shutdown request: %s\n", cmd);
			continue;
		}
		check_eq(kit_xs_write(0, "control/shutdown", ""), XS_WRITE, "acknowledge");
		printf("pv_shutdown: acknowledged %s\n", cmd);
		kit_shutdown(reason);
		fail("SCHEDOP_shutdown(%d) returned", reason);
	}
}
