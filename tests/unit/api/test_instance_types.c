// SPDX-License-Identifier: GPL-2.0
/*
 * The catalogue against AWS's instance-type pages (vCPUs, GiB, EBS and network figures)
 * and the operator's file: added and redefined types, errors that name file and line.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "toolstack/api/instance_types.h"

static void expect(const struct instance_types *t, const char *name, unsigned vcpus,
		   unsigned long gib_x4, const char *network)
{
	const struct instance_type *it = instance_type_find(t, name);

	CU_ASSERT_PTR_NOT_NULL_FATAL(it);
	CU_ASSERT_EQUAL(it->vcpus, vcpus);
	/* GiB as AWS lists them, in quarters (3.75 GiB = 15) to keep 1.7 GiB apart. */
	if (gib_x4)
		CU_ASSERT_EQUAL(it->memory_mib, gib_x4 * 256);
	CU_ASSERT_STRING_EQUAL(it->network, network);
}

static void test_builtin(void)
{
	struct instance_types t;

	CU_ASSERT_EQUAL_FATAL(instance_types_init(&t), 0);
	expect(&t, "c5.large", 2, 4 * 4, "Up to 10 Gigabit");
	expect(&t, "c5.xlarge", 4, 8 * 4, "Up to 10 Gigabit");
	expect(&t, "c5.9xlarge", 36, 72 * 4, "12 Gigabit");
	expect(&t, "c5.18xlarge", 72, 144 * 4, "25 Gigabit");
	expect(&t, "c5.24xlarge", 96, 192 * 4, "25 Gigabit");
	expect(&t, "c5.metal", 96, 192 * 4, "25 Gigabit");
	expect(&t, "m1.small", 1, 0, "Low");
	CU_ASSERT_EQUAL(instance_type_find(&t, "m1.small")->memory_mib, 1741); /* 1.7 GiB */
	expect(&t, "m3.medium", 1, 15, "Moderate");
	expect(&t, "c3.8xlarge", 32, 60 * 4, "10 Gigabit");
	expect(&t, "c4.8xlarge", 36, 60 * 4, "10 Gigabit");
	expect(&t, "t2.micro", 1, 1 * 4, "Low to Moderate");
	expect(&t, "t2.2xlarge", 8, 32 * 4, "Moderate");
	CU_ASSERT_EQUAL(instance_type_find(&t, "c5.18xlarge")->ebs_mbps, 19000);
	CU_ASSERT_EQUAL(instance_type_find(&t, "c4.large")->ebs_mbps, 500);
	CU_ASSERT_PTR_NULL(instance_type_find(&t, "c5.huge"));
	instance_types_free(&t);
}

static void test_operator_file(void)
{
	char path[] = "/tmp/api-types-XXXXXX", err[256];
	struct instance_types t;
	FILE *f;

	close(mkstemp(path));
	f = fopen(path, "w");
	fputs("# ours\nxk.tiny 1 32 0 Low\n\n  c5.large 2 4096 650 Up to 10 Gigabit\n", f);
	fclose(f);
	instance_types_init(&t);
	CU_ASSERT_EQUAL(instance_types_load(&t, path, err, sizeof(err)), 0);
	expect(&t, "xk.tiny", 1, 0, "Low");
	CU_ASSERT_EQUAL(instance_type_find(&t, "xk.tiny")->memory_mib, 32);
	CU_ASSERT_EQUAL(instance_type_find(&t, "c5.large")->ebs_mbps, 650); /* redefined */
	f = fopen(path, "w");
	fputs("ok.one 1 64 0 Low\nBad.Name 1 64 0 Low\n", f);
	fclose(f);
	CU_ASSERT_EQUAL(instance_types_load(&t, path, err, sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, ":2:"));
	f = fopen(path, "w");
	fputs("x.y 0 64 0 Low\n", f);
	fclose(f);
	CU_ASSERT_EQUAL(instance_types_load(&t, path, err, sizeof(err)), -EINVAL);
	f = fopen(path, "w");
	fputs("x.y 1 64\n", f);
	fclose(f);
	CU_ASSERT_EQUAL(instance_types_load(&t, path, err, sizeof(err)), -EINVAL);
	unlink(path);
	CU_ASSERT_EQUAL(instance_types_load(&t, path, err, sizeof(err)), -ENOENT);
	instance_types_free(&t);
}

UNIT_SUITE(instance_types, NULL, NULL, UNIT_TEST(test_builtin), UNIT_TEST(test_operator_file));
