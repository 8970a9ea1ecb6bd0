// SPDX-License-Identifier: MIT
/*
 * xenstore_restart: the store keeps working for a running domain when xenstored is killed
 * and started again on its database (docs/XENSTORED.md, "Durability"). The tool script
 * (xenstore_restart.tool) kills the daemon once the guest wrote data/ready and writes
 * data/from-tool after the restart; the guest's requests meanwhile sit in its ring until
 * the VMM introduces the domain to the new daemon. Then what the guest wrote before is
 * still there, writes and watches work.
 */
#include "kit.h"
#include "events.h"
#include "xs.h"

#define SECOND 1000000ULL
#define WAIT_SECONDS 8

/* Reads data/from-tool until it holds the tool's value; requests may time out meanwhile. */
static bool wait_for_tool(void)
{
	uint64_t deadline = kit_system_time() + WAIT_SECONDS * 1000000000ULL;
	char buf[32];

	while (kit_system_time() < deadline) {
		if (kit_xs_read(0, "data/from-tool", buf, sizeof(buf)) == XS_READ &&
		    !strcmp(buf, "after-restart"))
			return true;
	}
	return false;
}

void test_main(void)
{
	char buf[64], ev_path[96], token[16];

	kit_events_init();
	if (kit_xs_init())
		kit_error("the domain has no xenstore (HVM_PARAM_STORE_PFN unset)");
	check_eq(kit_xs_write(0, "data/before", "kept"), XS_WRITE, "write data/before");
	check_eq(kit_xs_write(0, "data/ready", "1"), XS_WRITE, "write data/ready");
	if (!wait_for_tool()) {
		fail("no answer from the restarted xenstored in %u s", WAIT_SECONDS);
		return;
	}
	printf("xenstore_restart: the restarted xenstored answers\n");
	check_eq(kit_xs_read(0, "data/before", buf, sizeof(buf)), XS_READ, "read data/before");
	check(!strcmp(buf, "kept"), "data/before after the restart: %s", buf);
	check_eq(kit_xs_write(0, "data/after", "new"), XS_WRITE, "write after the restart");
	check_eq(kit_xs_watch("data/after", "t"), XS_WATCH, "watch after the restart");
	check_eq(kit_xs_wait_event(ev_path, sizeof(ev_path), token, sizeof(token), SECOND), 0,
		 "initial watch event after the restart");
	printf("xenstore_restart: done\n");
}
