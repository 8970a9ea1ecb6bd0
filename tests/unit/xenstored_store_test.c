// SPDX-License-Identifier: GPL-2.0
/*
 * xenstored store layer: paths, permissions, operations with their permission and quota
 * rules, and transactions. Expectations come from xenstore.txt and xs_wire.h (limits,
 * errno names) and from the XenBus permission model.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/io/xs_wire.h>

#include "tests/unit/unit.h"
#include "toolstack/xenstored/ops.h"
#include "toolstack/xenstored/paths.h"

static struct store st;
static struct quota q;
static struct events ev;
static const struct caller dom0 = { .domid = 0, .target = -1, .privileged = true };
static const struct caller dom5 = { .domid = 5, .target = -1 };
static const struct caller dom6 = { .domid = 6, .target = -1 };

static int setup(void)
{
	quota_defaults(&q);
	return store_init(&st);
}

static int teardown(void)
{
	events_clear(&ev);
	store_destroy(&st);
	return 0;
}

static struct op_ctx ctx(struct view *v, const struct caller *who, struct txn *tx)
{
	v->st = &st;
	v->tx = tx;
	return (struct op_ctx){ .v = v, .who = who, .q = &q, .ev = &ev };
}

static int write_as(const struct caller *who, const char *path, const char *val)
{
	struct view v;
	struct op_ctx c = ctx(&v, who, NULL);

	return op_write(&c, path, val, (uint32_t)strlen(val));
}

static int read_as(const struct caller *who, const char *path, char *out)
{
	struct view v;
	struct op_ctx c = ctx(&v, who, NULL);
	const struct node *n;
	int rc = op_read(&c, path, &n);

	if (!rc && out) {
		if (n->vlen)
			memcpy(out, n->value, n->vlen);
		out[n->vlen] = '\0';
	}
	return rc;
}

static int chmod_as(const struct caller *who, const char *path, const char *perms, size_t len)
{
	struct perm p[8];
	int np = perms_parse(perms, len, p, 8);
	struct view v;
	struct op_ctx c = ctx(&v, who, NULL);

	return np < 0 ? np : op_set_perms(&c, path, p, (uint32_t)np);
}

static void test_paths(void)
{
	char out[PATH_BUF], lng[XENSTORE_ABS_PATH_MAX + 2];

	CU_ASSERT(path_valid("/", 0));
	CU_ASSERT(path_valid("/a-b_c@d/0", 0));
	CU_ASSERT(!path_valid("", 0));
	CU_ASSERT(!path_valid("a", 0));
	CU_ASSERT(!path_valid("/a//b", 0));
	CU_ASSERT(!path_valid("/a/", 0));
	CU_ASSERT(!path_valid("/a b", 0));
	CU_ASSERT(!path_valid("/a.b", 0));
	memset(lng, 'x', sizeof(lng));
	lng[0] = '/';
	lng[XENSTORE_ABS_PATH_MAX] = '\0';
	CU_ASSERT(path_valid(lng, 0)); /* exactly 3072 */
	lng[XENSTORE_ABS_PATH_MAX] = 'x';
	lng[XENSTORE_ABS_PATH_MAX + 1] = '\0';
	CU_ASSERT(!path_valid(lng, 0));
	CU_ASSERT_EQUAL(path_canonicalize("data/x", 7, 0, out, sizeof(out)), 0);
	CU_ASSERT_STRING_EQUAL(out, "/local/domain/7/data/x");
	CU_ASSERT_EQUAL(path_canonicalize("", 7, 0, out, sizeof(out)), -EINVAL);
	/* -M counts only what follows /local/domain/N/. */
	CU_ASSERT_EQUAL(path_canonicalize("/local/domain/7/abcd", 7, 4, out, sizeof(out)), 0);
	CU_ASSERT_EQUAL(path_canonicalize("/local/domain/7/abcde", 7, 4, out, sizeof(out)),
			-EINVAL);
	CU_ASSERT_EQUAL(path_canonicalize("/abcde", 7, 4, out, sizeof(out)), -EINVAL);
	CU_ASSERT(path_is_child("/a/b", "/a"));
	CU_ASSERT(path_is_child("/a", "/a"));
	CU_ASSERT(path_is_child("/a", "/"));
	CU_ASSERT(!path_is_child("/ab", "/a"));
	CU_ASSERT(path_is_special("@releaseDomain"));
}

static void test_perms(void)
{
	struct perm p[4];
	char buf[64];
	const struct caller tgt = { .domid = 6, .target = 5 };

	CU_ASSERT_EQUAL(perms_parse("n0\0r5\0b7\0w3", 12, p, 4), 4);
	CU_ASSERT(p[0].id == 0 && p[0].bits == PERM_NONE);
	CU_ASSERT(p[1].id == 5 && p[1].bits == PERM_READ);
	CU_ASSERT(p[2].id == 7 && p[2].bits == (PERM_READ | PERM_WRITE));
	CU_ASSERT(p[3].id == 3 && p[3].bits == PERM_WRITE);
	CU_ASSERT_EQUAL(perms_parse("x1", 3, p, 4), -EINVAL);
	CU_ASSERT_EQUAL(perms_parse("r", 2, p, 4), -EINVAL);
	CU_ASSERT_EQUAL(perms_parse("r70000", 7, p, 4), -EINVAL);
	CU_ASSERT_EQUAL(perms_parse("r1", 2, p, 4), -EINVAL); /* no NUL */
	CU_ASSERT_EQUAL(perms_format(p, 2, buf, sizeof(buf)), 6);
	CU_ASSERT(!memcmp(buf, "n0\0r5\0", 6));
	/* n5 r6: owner 5 all, 6 read, others (entry 0's bits) none. */
	perms_parse("n5\0r6", 6, p, 4);
	CU_ASSERT_EQUAL(perms_for(&dom5, p, 2), PERM_READ | PERM_WRITE | PERM_OWNER);
	CU_ASSERT_EQUAL(perms_for(&dom6, p, 2), PERM_READ);
	CU_ASSERT_EQUAL(perms_for(&dom0, p, 2), PERM_READ | PERM_WRITE | PERM_OWNER);
	CU_ASSERT_EQUAL(perms_for(&(struct caller){ .domid = 9, .target = -1 }, p, 2), PERM_NONE);
	/* A domain whose target is the owner acts as the owner. */
	CU_ASSERT_EQUAL(perms_for(&tgt, p, 1), PERM_READ | PERM_WRITE | PERM_OWNER);
}

static void test_write_read_inherit(void)
{
	char v[64];
	const struct node *n;

	CU_ASSERT_EQUAL(write_as(&dom0, "/local/domain/5/x", "1"), 0);
	CU_ASSERT_EQUAL(read_as(&dom0, "/local/domain/5/x", v), 0);
	CU_ASSERT_STRING_EQUAL(v, "1");
	CU_ASSERT_EQUAL(read_as(&dom0, "/local/domain/5", v), 0);
	CU_ASSERT_STRING_EQUAL(v, "");
	/* Everything inherits the root's n0: a guest sees nothing, not even ENOENT. */
	CU_ASSERT_EQUAL(read_as(&dom5, "/local/domain/5/x", v), -EACCES);
	CU_ASSERT_EQUAL(read_as(&dom5, "/local/domain/5/nope", v), -EACCES);
	CU_ASSERT_EQUAL(chmod_as(&dom0, "/local/domain/5", "n0\0b5", 6), 0);
	CU_ASSERT_EQUAL(read_as(&dom5, "/local/domain/5/nope", v), -ENOENT);
	CU_ASSERT_EQUAL(write_as(&dom5, "/local/domain/5/a/b", "g"), 0);
	n = store_lookup(&st, "/local/domain/5/a/b");
	CU_ASSERT_PTR_NOT_NULL_FATAL(n);
	CU_ASSERT(n->nperms == 2 && n->perms[0].id == 5 && n->perms[1].id == 5);
	CU_ASSERT_EQUAL(store_lookup(&st, "/local/domain/5/a")->perms[0].id, 5);
	CU_ASSERT_EQUAL(write_as(&dom5, "/local/domain/0/x", "g"), -EACCES);
	CU_ASSERT_EQUAL(write_as(&dom6, "/local/domain/5/a/c", "g"), -EACCES);
}

static void test_rm_mkdir(void)
{
	struct view v;
	struct op_ctx c = ctx(&v, &dom0, NULL);

	write_as(&dom0, "/r/a/b/c", "1");
	CU_ASSERT_EQUAL(op_rm(&c, "/r/a"), 0);
	CU_ASSERT_PTR_NULL(store_lookup(&st, "/r/a/b/c"));
	CU_ASSERT_PTR_NULL(store_lookup(&st, "/r/a"));
	CU_ASSERT_EQUAL(op_rm(&c, "/r/a"), 0); /* absent, parent present */
	CU_ASSERT_EQUAL(op_rm(&c, "/r/a/b"), -ENOENT); /* parent absent too */
	CU_ASSERT_EQUAL(op_rm(&c, "/"), -EINVAL);
	CU_ASSERT_EQUAL(op_mkdir(&c, "/r/m/n"), 0);
	CU_ASSERT_PTR_NOT_NULL(store_lookup(&st, "/r/m"));
	write_as(&dom0, "/r/m/n", "keep");
	CU_ASSERT_EQUAL(op_mkdir(&c, "/r/m/n"), 0);
	CU_ASSERT_EQUAL(store_lookup(&st, "/r/m/n")->vlen, 4);
}

static void test_quota(void)
{
	char path[64], big[3000];
	int rc = 0, i;
	struct perm many[8] = { { 5, 0 }, { 1, 1 }, { 2, 1 }, { 3, 1 }, { 4, 1 }, { 6, 1 } };
	struct view v;
	struct op_ctx c = ctx(&v, &dom5, NULL);

	chmod_as(&dom0, "/local/domain/5", "n0\0b5", 6);
	q.entries = 10;
	for (i = 0; i < 20 && !rc; i++) {
		snprintf(path, sizeof(path), "/local/domain/5/q%d", i);
		rc = write_as(&dom5, path, "x");
	}
	CU_ASSERT_EQUAL(rc, -ENOSPC);
	CU_ASSERT_EQUAL(st.owned[5], 10);
	CU_ASSERT_EQUAL(write_as(&dom0, "/local/domain/5/byzero", "x"), 0); /* dom0 unbound */
	CU_ASSERT_EQUAL(write_as(&dom5, "/local/domain/5/q0", "overwrite"), 0); /* no new node */
	q.entries = 1000;
	memset(big, 'b', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	CU_ASSERT_EQUAL(write_as(&dom5, "/local/domain/5/big", big), -ENOSPC); /* -S 2048 */
	CU_ASSERT_EQUAL(write_as(&dom0, "/local/domain/5/big", big), 0);
	CU_ASSERT_EQUAL(op_set_perms(&c, "/local/domain/5/q0", many, 6), -ENOSPC); /* -A 5 */
	CU_ASSERT_EQUAL(op_set_perms(&c, "/local/domain/5/q0", many, 5), 0);
	many[0].id = 6;
	CU_ASSERT_EQUAL(op_set_perms(&c, "/local/domain/5/q0", many, 2), -EPERM);
}

static void test_txn_isolation_and_conflict(void)
{
	struct txn *t1 = txn_new(&st, 1, 0), *t2;
	struct view v;
	struct op_ctx c = ctx(&v, &dom0, t1);
	const struct node *n;

	write_as(&dom0, "/tx/k", "0");
	t1->start_gen = st.gen;
	CU_ASSERT_EQUAL(op_write(&c, "/tx/k", "1", 1), 0);
	CU_ASSERT_EQUAL(op_write(&c, "/tx/new/deep", "n", 1), 0);
	CU_ASSERT_EQUAL(store_lookup(&st, "/tx/k")->value[0], '0'); /* not visible yet */
	CU_ASSERT_PTR_NULL(store_lookup(&st, "/tx/new"));
	CU_ASSERT_EQUAL(op_read(&c, "/tx/k", &n), 0);
	CU_ASSERT_EQUAL(n->value[0], '1'); /* sees its own write */
	CU_ASSERT_EQUAL(txn_commit(t1, &st), 0);
	CU_ASSERT_EQUAL(store_lookup(&st, "/tx/k")->value[0], '1');
	CU_ASSERT_PTR_NOT_NULL(store_lookup(&st, "/tx/new/deep"));
	txn_free(t1);

	t2 = txn_new(&st, 2, 0);
	c = ctx(&v, &dom0, t2);
	CU_ASSERT_EQUAL(op_read(&c, "/tx/k", &n), 0);
	write_as(&dom0, "/tx/k", "outside");
	CU_ASSERT_EQUAL(op_write(&c, "/tx/k", "2", 1), 0);
	CU_ASSERT_EQUAL(txn_commit(t2, &st), -EAGAIN);
	CU_ASSERT_EQUAL(store_lookup(&st, "/tx/k")->vlen, 7);
	txn_free(t2);

	/* A node changed after the start but first read later still dooms it (snapshot). */
	t2 = txn_new(&st, 3, 0);
	c = ctx(&v, &dom0, t2);
	write_as(&dom0, "/tx/late", "x");
	CU_ASSERT_EQUAL(op_read(&c, "/tx/late", &n), 0);
	CU_ASSERT_EQUAL(txn_commit(t2, &st), -EAGAIN);
	txn_free(t2);

	/* rm inside a transaction, and a creation conflicting with it. */
	t2 = txn_new(&st, 4, 0);
	c = ctx(&v, &dom0, t2);
	CU_ASSERT_EQUAL(op_rm(&c, "/tx/new"), 0);
	CU_ASSERT_PTR_NOT_NULL(store_lookup(&st, "/tx/new/deep"));
	CU_ASSERT_EQUAL(txn_commit(t2, &st), 0);
	CU_ASSERT_PTR_NULL(store_lookup(&st, "/tx/new"));
	txn_free(t2);
}

static void test_txn_quota(void)
{
	struct txn *t = txn_new(&st, 9, 3);
	struct view v;
	struct op_ctx c = ctx(&v, &dom0, t);

	CU_ASSERT_EQUAL(op_write(&c, "/tq/a", "1", 1), 0); /* touches /tq/a, /tq, / */
	CU_ASSERT_EQUAL(op_write(&c, "/tq/b", "1", 1), -ENOSPC);
	txn_free(t);
	CU_ASSERT_PTR_NULL(store_lookup(&st, "/tq")); /* dropped = aborted */
}

static void test_drop_domain_nodes(void)
{
	chmod_as(&dom0, "/local/domain/5", "n0\0b5", 6);
	write_as(&dom5, "/local/domain/5/owned/x", "1");
	write_as(&dom0, "/local/domain/5/kept", "1");
	CU_ASSERT_EQUAL(op_drop_domain_nodes(&st, 5, false, &ev), 0);
	CU_ASSERT_PTR_NULL(store_lookup(&st, "/local/domain/5/owned"));
	CU_ASSERT_PTR_NOT_NULL(store_lookup(&st, "/local/domain/5/kept"));
	CU_ASSERT_EQUAL(st.owned[5], 0);
	/* The release also revoked b5 on the home: grant it again for the next domain 5. */
	CU_ASSERT_EQUAL(store_lookup(&st, "/local/domain/5")->nperms, 1);
	chmod_as(&dom0, "/local/domain/5", "n0\0b5", 6);
	CU_ASSERT_EQUAL(write_as(&dom5, "/local/domain/5/orphan", "1"), 0);
	CU_ASSERT_EQUAL(op_drop_domain_nodes(&st, 5, true, &ev), 0); /* -K: to dom0 */
	CU_ASSERT_EQUAL(store_lookup(&st, "/local/domain/5/orphan")->perms[0].id, 0);
	/* Its ACL entries go too: a new domain 5 must not inherit them (XSA-322). */
	CU_ASSERT_EQUAL(chmod_as(&dom0, "/local/domain/5/kept", "n0\0r5\0r6", 9), 0);
	CU_ASSERT_EQUAL(op_drop_domain_nodes(&st, 5, false, &ev), 0);
	CU_ASSERT_EQUAL(store_lookup(&st, "/local/domain/5/kept")->nperms, 2);
	CU_ASSERT_EQUAL(store_lookup(&st, "/local/domain/5/kept")->perms[1].id, 6);
	CU_ASSERT_EQUAL(read_as(&dom5, "/local/domain/5/kept", NULL), -EACCES);
}

UNIT_SUITE(xenstored_store, setup, teardown, UNIT_TEST(test_paths), UNIT_TEST(test_perms),
	   UNIT_TEST(test_write_read_inherit), UNIT_TEST(test_rm_mkdir), UNIT_TEST(test_quota),
	   UNIT_TEST(test_txn_isolation_and_conflict), UNIT_TEST(test_txn_quota),
	   UNIT_TEST(test_drop_domain_nodes))
