// SPDX-License-Identifier: MIT
/*
 * xenstore: the guest's store link against the real xenstored, through the ring of
 * HVM_PARAM_STORE_PFN/EVTCHN (xen/io/xs_wire.h). It finds its domain path, reads its own
 * name and domid as a toolstack writes them, writes where it may and is refused where it
 * may not (EACCES), sets a watch (with the initial event Xen fires on registration), sees
 * the event when a tool (the runner's script) changes the node, and runs a transaction.
 */
#include "kit.h"
#include "events.h"
#include "xs.h"

#define SECOND 1000000ULL

static char domain_path[64];

static void rel(char *out, size_t size, const char *node)
{
	snprintf(out, size, "%s/%s", domain_path, node);
}

static void test_identity(void)
{
	char buf[128], want[64], domid[16];
	uint32_t len;
	uint32_t a, b, c, d;

	cpuid(kit_xen.base + 4, &a, &b, &c, &d);
	snprintf(domid, sizeof(domid), "%u", c);
	check_eq(kit_xs_request(XS_GET_DOMAIN_PATH, 0, domid, strlen(domid) + 1, buf, &len),
		 XS_GET_DOMAIN_PATH, "XS_GET_DOMAIN_PATH");
	/* The reply is the path and its NUL (the kit's printf has no %.*s). */
	len = len < sizeof(domain_path) - 1 ? len : sizeof(domain_path) - 1;
	memcpy(domain_path, buf, len);
	domain_path[len] = '\0';
	printf("xenstore: domain path %s\n", domain_path);
	snprintf(want, sizeof(want), "/local/domain/%u", c);
	check(!strcmp(domain_path, want), "domain path %s, expected %s", domain_path, want);
	/* A relative path is relative to the domain path. */
	check_eq(kit_xs_read(0, "name", buf, sizeof(buf)), XS_READ, "read name");
	if (kit_cmdline_value("name", want, sizeof(want)))
		check(!strcmp(buf, want), "name %s, expected %s", buf, want);
	check_eq(kit_xs_read(0, "domid", buf, sizeof(buf)), XS_READ, "read domid");
	check(!strcmp(buf, domid), "domid node %s, expected %s", buf, domid);
}

static void test_write_and_perms(void)
{
	char buf[64], path[96];

	rel(path, sizeof(path), "data/guest");
	check_eq(kit_xs_write(0, path, "hello"), XS_WRITE, "write data/guest");
	check_eq(kit_xs_read(0, path, buf, sizeof(buf)), XS_READ, "read back");
	check(!strcmp(buf, "hello"), "read back %s", buf);
	/* name belongs to dom0 and is only readable by the domain. */
	check_eq(kit_xs_write(0, "name", "mallory"), XS_ERROR, "write to a read-only node");
	kit_xs_read(0, "name", buf, sizeof(buf));
	check(strcmp(buf, "mallory"), "a read-only node was changed");
}

/*
 * What Linux does with the toolstack's nodes at boot: manage.c writes "1" to
 * control/feature-{poweroff,reboot,suspend} (libxl makes them the guest's); xenbus sends
 * XS_RESET_WATCHES only if control/platform-feature-xs_reset_watches is 1; cpu_hotplug.c
 * keeps a vCPU online when cpu/N/availability is "online". The platform nodes are dom0's.
 */
static void test_linux_boot_nodes(void)
{
	static const char *const features[] = { "control/feature-poweroff",
						"control/feature-reboot",
						"control/feature-suspend" };
	char buf[32];

	for (unsigned int i = 0; i < ARRAY_SIZE(features); i++)
		check(kit_xs_write(0, features[i], "1") == XS_WRITE, "writing %s refused",
		      features[i]);
	check_eq(kit_xs_read(0, "control/platform-feature-xs_reset_watches", buf, sizeof(buf)),
		 XS_READ, "read platform-feature-xs_reset_watches");
	check(!strcmp(buf, "1"), "platform-feature-xs_reset_watches is %s", buf);
	check_eq(kit_xs_write(0, "control/platform-feature-xs_reset_watches", "0"), XS_ERROR,
		 "a guest changing platform-feature-xs_reset_watches");
	check_eq(kit_xs_read(0, "cpu/0/availability", buf, sizeof(buf)), XS_READ,
		 "read cpu/0/availability");
	check(!strcmp(buf, "online"), "cpu/0/availability is %s", buf);
}

static void test_watch_and_tool(void)
{
	char path[96], ev_path[128], token[32], buf[64];

	rel(path, sizeof(path), "data/from-tool");
	check_eq(kit_xs_watch(path, "tok1"), XS_WATCH, "XS_WATCH");
	/* Registration fires the watch once. */
	check_eq(kit_xs_wait_event(ev_path, sizeof(ev_path), token, sizeof(token), SECOND), 0,
		 "initial watch event");
	check(!strcmp(ev_path, path) && !strcmp(token, "tok1"), "initial event %s %s", ev_path,
	      token);
	rel(buf, sizeof(buf), "data/ready");
	check_eq(kit_xs_write(0, buf, "1"), XS_WRITE, "write data/ready");
	/* The runner's tool script waits for data/ready, then writes data/from-tool. */
	check_eq(kit_xs_wait_event(ev_path, sizeof(ev_path), token, sizeof(token), 5 * SECOND), 0,
		 "watch event for the tool's write");
	check(!strcmp(ev_path, path) && !strcmp(token, "tok1"), "event %s %s", ev_path, token);
	check_eq(kit_xs_read(0, path, buf, sizeof(buf)), XS_READ, "read the tool's value");
	check(!strcmp(buf, "hello-from-tool"), "the tool wrote %s", buf);
}

static void test_transaction(void)
{
	char reply[64], path[96], buf[64];
	uint32_t len, tx = 0;

	check_eq(kit_xs_request(XS_TRANSACTION_START, 0, "", 1, reply, &len), XS_TRANSACTION_START,
		 "XS_TRANSACTION_START");
	reply[len < sizeof(reply) ? len : sizeof(reply) - 1] = '\0';
	for (const char *p = reply; *p >= '0' && *p <= '9'; p++)
		tx = tx * 10 + (uint32_t)(*p - '0');
	check(tx != 0, "transaction id %s", reply);
	rel(path, sizeof(path), "data/tx");
	check_eq(kit_xs_write(tx, path, "in-tx"), XS_WRITE, "write in the transaction");
	/* Outside the transaction the node does not exist yet. */
	check_eq(kit_xs_read(0, path, buf, sizeof(buf)), XS_ERROR, "read outside");
	check(!strcmp(buf, "ENOENT"), "outside the transaction: %s", buf);
	check_eq(kit_xs_request(XS_TRANSACTION_END, tx, "T", 2, reply, &len), XS_TRANSACTION_END,
		 "commit");
	check_eq(kit_xs_read(0, path, buf, sizeof(buf)), XS_READ, "read after commit");
	check(!strcmp(buf, "in-tx"), "after commit: %s", buf);
}

void test_main(void)
{
	kit_events_init();
	if (kit_xs_init())
		kit_error("the domain has no xenstore (HVM_PARAM_STORE_PFN unset)");
	test_identity();
	test_write_and_perms();
	test_linux_boot_nodes();
	test_watch_and_tool();
	test_transaction();
	printf("xenstore: all checks done\n");
}
