// SPDX-License-Identifier: GPL-2.0
/*
 * Records and ids: any byte survives a save and a load, a save replaces the record
 * whole (no temporary left behind), and ids have EC2's long form: the prefix and 17
 * lower-case hex digits.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "toolstack/api/records.h"

struct seen {
	char key[8][32];
	char value[8][128];
	int n;
};

static int collect(void *ctx, const char *key, const char *value)
{
	struct seen *s = ctx;

	if (s->n == 8)
		return -E2BIG;
	snprintf(s->key[s->n], 32, "%s", key);
	snprintf(s->value[s->n], 128, "%s", value);
	s->n++;
	return 0;
}

static void test_round_trip(void)
{
	char dir[] = "/tmp/api-rec-XXXXXX", path[64], tmp[72];
	const char *odd = "a b=c%d+e\nf\tg\x7fh\xc3\xa9";
	struct strbuf sb = { 0 };
	struct seen s = { 0 };

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/rec", dir);
	rec_put(&sb, "name", odd);
	rec_putll(&sb, "n", -42);
	rec_put(&sb, "empty", "");
	CU_ASSERT_EQUAL(rec_save(path, &sb), 0);
	strbuf_free(&sb);
	CU_ASSERT_EQUAL(rec_load(path, collect, &s), 0);
	CU_ASSERT_EQUAL_FATAL(s.n, 3);
	CU_ASSERT_STRING_EQUAL(s.key[0], "name");
	CU_ASSERT_STRING_EQUAL(s.value[0], odd);
	CU_ASSERT_STRING_EQUAL(s.value[1], "-42");
	CU_ASSERT_STRING_EQUAL(s.value[2], "");
	/* A second save replaces the first; no temporary file stays. */
	rec_put(&sb, "name", "second");
	CU_ASSERT_EQUAL(rec_save(path, &sb), 0);
	strbuf_free(&sb);
	memset(&s, 0, sizeof(s));
	CU_ASSERT_EQUAL(rec_load(path, collect, &s), 0);
	CU_ASSERT_EQUAL(s.n, 1);
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	CU_ASSERT_EQUAL(access(tmp, F_OK), -1);
	unlink(path);
	/* A line without '=' is a damaged record, reported rather than skipped. */
	FILE *f = fopen(path, "w");

	fputs("name=x\ngarbage\n", f);
	fclose(f);
	CU_ASSERT_EQUAL(rec_load(path, collect, &s), -EINVAL);
	unlink(path);
	rmdir(dir);
}

static void test_ids(void)
{
	char a[32], b[32];

	rec_new_id("i", a);
	rec_new_id("i", b);
	CU_ASSERT_EQUAL(strlen(a), 19);
	CU_ASSERT_EQUAL(strncmp(a, "i-", 2), 0);
	CU_ASSERT_STRING_NOT_EQUAL(a, b);
	CU_ASSERT_TRUE(rec_id_valid("i", a));
	rec_new_id("ami", a);
	CU_ASSERT_EQUAL(strlen(a), 21);
	CU_ASSERT_TRUE(rec_id_valid("ami", a));
	CU_ASSERT_FALSE(rec_id_valid("i", a));
	CU_ASSERT_TRUE(rec_id_valid("i", "i-0123456789abcdef0"));
	CU_ASSERT_TRUE(rec_id_valid("i", "i-1234abcd")); /* EC2's short ids */
	CU_ASSERT_FALSE(rec_id_valid("i", "i-0123456789ABCDEF0"));
	CU_ASSERT_FALSE(rec_id_valid("i", "i-0123456789abcdef"));
	CU_ASSERT_FALSE(rec_id_valid("i", "i-0123456789abcdefg"));
	CU_ASSERT_FALSE(rec_id_valid("i", "i-../../etc/passwd"));
	CU_ASSERT_FALSE(rec_id_valid("i", "x-0123456789abcdef0"));
}

UNIT_SUITE(records, NULL, NULL, UNIT_TEST(test_round_trip), UNIT_TEST(test_ids));
