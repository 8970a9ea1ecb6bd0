// SPDX-License-Identifier: GPL-2.0
/*
 * xenstored driven by Debian's libxenstore (the real client library). Expectations
 * are xenstore.txt's and xs_wire.h's: values, directory listings (one too large for a
 * single reply), permissions, watches with tokens, transactions that conflict and are
 * retried, domain introduction and release, CONTROL, and errno names.
 * Needs XENSTORED_PATH pointing at a running daemon (xs-libxenstore.sh sets it up).
 */
#include <errno.h>
#include <poll.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <xenstore.h>

#include "tests/compat/xs_check.h"

static struct xs_handle *xs;

static bool read_is(struct xs_handle *h, xs_transaction_t t, const char *path, const char *want)
{
	unsigned int len;
	char *v = xs_read(h, t, path, &len);
	bool ok = v && len == strlen(want) && !memcmp(v, want, len);

	free(v);
	return ok;
}

/* Next watch event within ms, as {path, token}; false on timeout. */
static bool next_event(struct xs_handle *h, int ms, char *path, char *token)
{
	struct pollfd p = { .fd = xs_fileno(h), .events = POLLIN };
	char **ev = xs_check_watch(h);

	if (!ev && poll(&p, 1, ms) > 0)
		ev = xs_check_watch(h);
	if (!ev)
		return false;
	snprintf(path, 256, "%s", ev[XS_WATCH_PATH]);
	snprintf(token, 256, "%s", ev[XS_WATCH_TOKEN]);
	free(ev);
	return true;
}

static void test_basic(void)
{
	unsigned int n, len;
	char **dir;
	char *v;

	CHECK(xs_write(xs, XBT_NULL, "/t/basic/a", "1", 1), "write creates missing parents");
	CHECK(read_is(xs, XBT_NULL, "/t/basic/a", "1"), "read returns the value written");
	CHECK(read_is(xs, XBT_NULL, "/t/basic", ""), "implicit parent has an empty value");
	CHECK(xs_write(xs, XBT_NULL, "/t/basic/bin", "x\0y", 3), "write binary value");
	v = xs_read(xs, XBT_NULL, "/t/basic/bin", &len);
	CHECK(v && len == 3 && !memcmp(v, "x\0y", 3), "binary value read back exactly");
	free(v);
	CHECK(xs_mkdir(xs, XBT_NULL, "/t/basic/d"), "mkdir");
	CHECK(xs_mkdir(xs, XBT_NULL, "/t/basic/a") && read_is(xs, XBT_NULL, "/t/basic/a", "1"),
	      "mkdir of an existing node leaves its value");
	dir = xs_directory(xs, XBT_NULL, "/t/basic", &n);
	CHECK(dir && n == 3, "directory lists the 3 children (got %u)", dir ? n : 0);
	free(dir);
	CHECK(xs_rm(xs, XBT_NULL, "/t/basic/d") && !xs_read(xs, XBT_NULL, "/t/basic/d", &len) &&
		      errno == ENOENT,
	      "rm removes; read then fails with ENOENT");
	CHECK(xs_rm(xs, XBT_NULL, "/t/basic/absent"),
	      "rm of an absent child of an existing node is fine");
	CHECK(!xs_rm(xs, XBT_NULL, "/t/nope/absent") && errno == ENOENT,
	      "rm when the parent is absent too: ENOENT");
	CHECK(xs_write(xs, XBT_NULL, "/t/basic/tree/x/y", "", 0) &&
		      xs_rm(xs, XBT_NULL, "/t/basic/tree") &&
		      !xs_read(xs, XBT_NULL, "/t/basic/tree/x/y", &len),
	      "rm removes the whole subtree");
	CHECK(!xs_write(xs, XBT_NULL, "/t//bad", "", 0) && errno == EINVAL,
	      "doubled slash: EINVAL");
	CHECK(!xs_write(xs, XBT_NULL, "/t/bad/", "", 0) && errno == EINVAL,
	      "trailing slash: EINVAL");
	CHECK(!xs_write(xs, XBT_NULL, "/t/b!d", "", 0) && errno == EINVAL, "bad character: EINVAL");
	CHECK(!xs_rm(xs, XBT_NULL, "/") && errno == EINVAL, "rm of / : EINVAL");
	v = xs_get_domain_path(xs, 7);
	CHECK(v && !strcmp(v, "/local/domain/7"), "GET_DOMAIN_PATH 7 = /local/domain/7");
	free(v);
	CHECK(xs_write(xs, XBT_NULL, "rel", "r", 1) &&
		      read_is(xs, XBT_NULL, "/local/domain/0/rel", "r"),
	      "relative path from dom0 lands in /local/domain/0");
}

static void test_big_directory(void)
{
	char path[64];
	unsigned int n = 0;
	char **dir;
	bool all = true;
	xs_transaction_t t = xs_transaction_start(xs);

	/* 600 names of 11 bytes: about 7 KB, beyond one 4096-byte reply. */
	for (int i = 0; i < 600; i++) {
		snprintf(path, sizeof(path), "/t/big/child-%05d", i);
		all &= xs_write(xs, t, path, "", 0);
	}
	CHECK(all && xs_transaction_end(xs, t, false), "600 children written in one transaction");
	dir = xs_directory(xs, XBT_NULL, "/t/big", &n);
	CHECK(dir && n == 600, "directory too large for one reply still lists all 600 (got %u)", n);
	if (dir) {
		bool order = true;

		for (unsigned int i = 0; i < n; i++) {
			snprintf(path, sizeof(path), "child-%05u", i);
			order &= !strcmp(dir[i], path);
		}
		CHECK(order, "DIRECTORY_PART pieces join without loss or repeat");
	}
	free(dir);
}

static void test_perms(void)
{
	struct xs_permissions set[3] = {
		{ .id = 3, .perms = XS_PERM_NONE },
		{ .id = 5, .perms = XS_PERM_READ },
		{ .id = 6, .perms = XS_PERM_READ | XS_PERM_WRITE },
	};
	struct xs_permissions *got;
	unsigned int n = 0;

	xs_write(xs, XBT_NULL, "/t/perm/node", "v", 1);
	got = xs_get_permissions(xs, XBT_NULL, "/t/perm/node", &n);
	CHECK(got && n == 1 && got[0].id == 0 && got[0].perms == XS_PERM_NONE,
	      "new node inherits the root's n0");
	free(got);
	CHECK(xs_set_permissions(xs, XBT_NULL, "/t/perm/node", set, 3), "SET_PERMS n3 r5 b6");
	got = xs_get_permissions(xs, XBT_NULL, "/t/perm/node", &n);
	CHECK(got && n == 3 && got[0].id == 3 && got[0].perms == XS_PERM_NONE && got[1].id == 5 &&
		      got[1].perms == XS_PERM_READ && got[2].id == 6 &&
		      got[2].perms == (XS_PERM_READ | XS_PERM_WRITE),
	      "GET_PERMS returns them in order");
	free(got);
	xs_write(xs, XBT_NULL, "/t/perm/node/child", "c", 1);
	got = xs_get_permissions(xs, XBT_NULL, "/t/perm/node/child", &n);
	CHECK(got && n == 3 && got[0].id == 3,
	      "a child created by dom0 inherits its parent's perms");
	free(got);
	CHECK(!xs_get_permissions(xs, XBT_NULL, "/t/perm/absent", &n) && errno == ENOENT,
	      "GET_PERMS of an absent node: ENOENT");

	/* dom0 is not bound by -A: 300 entries, inherited by a child, kept across a restart. */
	struct xs_permissions many[300];

	for (unsigned int i = 0; i < 300; i++)
		many[i] = (struct xs_permissions){ .id = i, .perms = XS_PERM_READ };
	CHECK(xs_set_permissions(xs, XBT_NULL, "/t/perm/many", many, 300) ||
		      (xs_write(xs, XBT_NULL, "/t/perm/many", "", 0) &&
		       xs_set_permissions(xs, XBT_NULL, "/t/perm/many", many, 300)),
	      "dom0 sets 300 permission entries");
	CHECK(xs_write(xs, XBT_NULL, "/t/perm/many/child", "c", 1), "a child inherits all 300");
	got = xs_get_permissions(xs, XBT_NULL, "/t/perm/many/child", &n);
	CHECK(got && n == 300 && got[299].id == 299, "GET_PERMS of the child: 300 entries");
	free(got);
}

static void test_watches(void)
{
	char p[256], tok[256];
	bool found;

	xs_mkdir(xs, XBT_NULL, "/t/w");
	CHECK(xs_watch(xs, "/t/w", "tokA"), "WATCH /t/w tokA");
	CHECK(next_event(xs, 2000, p, tok) && !strcmp(p, "/t/w") && !strcmp(tok, "tokA"),
	      "initial event fires on registration with the watch path and token");
	CHECK(xs_watch(xs, "/t/w/sub", "tokB"), "second watch with another token");
	CHECK(next_event(xs, 2000, p, tok) && !strcmp(tok, "tokB"), "its initial event");
	CHECK(!xs_watch(xs, "/t/w", "tokA") && errno == EEXIST,
	      "same path and token twice: EEXIST");
	xs_write(xs, XBT_NULL, "/t/w/x", "1", 1);
	CHECK(next_event(xs, 2000, p, tok) && !strcmp(p, "/t/w/x") && !strcmp(tok, "tokA"),
	      "write below the watch fires with the changed path");
	CHECK(!next_event(xs, 200, p, tok), "no event for a watch the change is not below");
	xs_write(xs, XBT_NULL, "/t/w/sub/y", "1", 1);
	found = next_event(xs, 2000, p, tok);
	CHECK(found && !strcmp(p, "/t/w/sub/y"), "both watches see /t/w/sub/y (1)");
	found = found && next_event(xs, 2000, p, tok);
	CHECK(found && !strcmp(p, "/t/w/sub/y"), "both watches see /t/w/sub/y (2)");
	xs_rm(xs, XBT_NULL, "/t/w");
	found = false;
	for (int i = 0; i < 2 && next_event(xs, 2000, p, tok); i++)
		found |= !strcmp(tok, "tokB") && !strcmp(p, "/t/w/sub");
	CHECK(found, "removing a parent fires a watch below it with the watch's own path");
	CHECK(xs_unwatch(xs, "/t/w", "tokA") && xs_unwatch(xs, "/t/w/sub", "tokB"), "UNWATCH both");
	xs_write(xs, XBT_NULL, "/t/w/z", "1", 1);
	CHECK(!next_event(xs, 200, p, tok), "no events after UNWATCH");
	CHECK(!xs_unwatch(xs, "/t/w", "tokA") && errno == ENOENT,
	      "UNWATCH of an unknown watch: ENOENT");
}

static void test_transactions(void)
{
	struct xs_handle *other = xs_open(0);
	xs_transaction_t t;
	int tries = 0;
	bool ok;

	xs_write(xs, XBT_NULL, "/t/tx/k", "0", 1);
	t = xs_transaction_start(xs);
	CHECK(t != XBT_NULL, "TRANSACTION_START gives an id");
	CHECK(xs_write(xs, t, "/t/tx/k", "1", 1) && read_is(xs, t, "/t/tx/k", "1"),
	      "a transaction sees its own write");
	CHECK(read_is(other, XBT_NULL, "/t/tx/k", "0"), "others do not see it before commit");
	CHECK(xs_transaction_end(xs, t, false) && read_is(other, XBT_NULL, "/t/tx/k", "1"),
	      "commit makes it visible");
	t = xs_transaction_start(xs);
	xs_write(xs, t, "/t/tx/k", "2", 1);
	CHECK(xs_transaction_end(xs, t, true) && read_is(xs, XBT_NULL, "/t/tx/k", "1"),
	      "abort discards the write");
	t = xs_transaction_start(xs);
	CHECK(read_is(xs, t, "/t/tx/k", "1"), "read inside a transaction");
	xs_write(other, XBT_NULL, "/t/tx/k", "other", 5);
	xs_write(xs, t, "/t/tx/k", "mine", 4);
	CHECK(!xs_transaction_end(xs, t, false) && errno == EAGAIN,
	      "commit after a conflicting write fails with EAGAIN");
	CHECK(read_is(xs, XBT_NULL, "/t/tx/k", "other"), "the failed transaction changed nothing");
	do {
		t = xs_transaction_start(xs);
		xs_read(xs, t, "/t/tx/k", NULL);
		if (!tries)
			xs_write(other, XBT_NULL, "/t/tx/k", "again", 5);
		xs_write(xs, t, "/t/tx/k", "retried", 7);
		ok = xs_transaction_end(xs, t, false);
	} while (!ok && errno == EAGAIN && ++tries < 5);
	CHECK(ok && tries == 1 && read_is(xs, XBT_NULL, "/t/tx/k", "retried"),
	      "the usual retry loop succeeds on the second try (tries=%d)", tries);
	CHECK(!xs_write(xs, 4242, "/t/tx/k", "x", 1) && errno == ENOENT,
	      "unknown transaction id: ENOENT");
	xs_close(other);
}

static void test_domains(void)
{
	char p[256], tok[256];
	bool seen = false;

	CHECK(xs_watch(xs, "@introduceDomain", "intro") && next_event(xs, 2000, p, tok),
	      "watch @introduceDomain (initial event)");
	CHECK(xs_watch(xs, "@releaseDomain", "rel") && next_event(xs, 2000, p, tok),
	      "watch @releaseDomain (initial event)");
	CHECK(!xs_is_domain_introduced(xs, 5), "domain 5 not introduced yet");
	CHECK(xs_introduce_domain(xs, 5, 0x1234, 7), "INTRODUCE without descriptors is accepted");
	CHECK(next_event(xs, 2000, p, tok) && !strcmp(p, "@introduceDomain") &&
		      !strcmp(tok, "intro"),
	      "@introduceDomain fires");
	CHECK(xs_is_domain_introduced(xs, 5), "IS_DOMAIN_INTRODUCED 5: T");
	CHECK(xs_is_domain_introduced(xs, 0), "IS_DOMAIN_INTRODUCED 0: T (dom0 always)");
	xs_write(xs, XBT_NULL, "/local/domain/5/data", "x", 1);
	CHECK(xs_release_domain(xs, 5), "RELEASE 5");
	while (next_event(xs, 1000, p, tok))
		seen |= !strcmp(p, "@releaseDomain") && !strcmp(tok, "rel");
	CHECK(seen, "@releaseDomain fires");
	CHECK(!xs_is_domain_introduced(xs, 5), "IS_DOMAIN_INTRODUCED 5 after release: F");
	CHECK(!xs_release_domain(xs, 5) && errno == ENOENT, "RELEASE of an unknown domain: ENOENT");
	CHECK(!xs_introduce_domain(xs, 0, 1, 1) && errno == EINVAL,
	      "INTRODUCE of domain 0: EINVAL");
	CHECK(!xs_set_target(xs, 77, 78) && errno == ENOENT,
	      "SET_TARGET of unknown domains: ENOENT");
	CHECK(!xs_resume_domain(xs, 77) && errno == ENOENT, "RESUME of an unknown domain: ENOENT");
	CHECK(!xs_resume_domain(xs, 0) && errno == EINVAL, "RESUME of domain 0: EINVAL");
	CHECK(xs_is_domain_introduced(xs, 0x7FF0), "IS_DOMAIN_INTRODUCED DOMID_SELF: T");
	xs_introduce_domain(xs, 8, 1, 1);
	CHECK(xs_resume_domain(xs, 8), "RESUME of an introduced domain: OK");
	xs_release_domain(xs, 8);
	xs_unwatch(xs, "@introduceDomain", "intro");
	xs_unwatch(xs, "@releaseDomain", "rel");
}

static void test_control(void)
{
	char *r = xs_control_command(xs, "help", NULL, 0);

	CHECK(r && strstr(r, "print") && strstr(r, "quota") && strstr(r, "memreport") &&
		      strstr(r, "log"),
	      "CONTROL help lists print, log, quota, memreport");
	free(r);
	r = xs_control_command(xs, "print", "hello", 6);
	CHECK(r && !strcmp(r, "OK"), "CONTROL print: OK");
	free(r);
	r = xs_control_command(xs, "quota", NULL, 0);
	CHECK(r && strstr(r, "nodes") && strstr(r, "1000"),
	      "CONTROL quota shows nodes 1000 (Xen default)");
	free(r);
	r = xs_control_command(xs, "no-such-command", NULL, 0);
	CHECK(!r && errno == EINVAL, "unknown CONTROL command: EINVAL");
	free(r);
}

int main(void)
{
	xs = xs_open(0);
	if (!xs) {
		printf("FAIL cannot connect to %s\n", getenv("XENSTORED_PATH"));
		return xs_check_done() + 1;
	}
	test_basic();
	test_big_directory();
	test_perms();
	test_watches();
	test_transactions();
	test_domains();
	test_control();
	xs_close(xs);
	return xs_check_done();
}
