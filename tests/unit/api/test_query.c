// SPDX-License-Identifier: GPL-2.0
/*
 * Form decoding as application/x-www-form-urlencoded defines it, and EC2's numbered
 * lists as the EC2 Query API documents them (InstanceId.N, Filter.N.Name,
 * Filter.N.Value.M).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "toolstack/api/query.h"

static int parse(struct query *q, const char *s)
{
	return query_parse(q, s, strlen(s));
}

static void test_decoding(void)
{
	struct query q = { 0 };

	CU_ASSERT_EQUAL(parse(&q, "Action=RunInstances&Tag=a+b%20c%2Bd%2fe&Empty=&Bare&&x=%C3%A9"),
			0);
	CU_ASSERT_EQUAL(q.n, 5);
	CU_ASSERT_STRING_EQUAL(query_get(&q, "Action"), "RunInstances");
	CU_ASSERT_STRING_EQUAL(query_get(&q, "Tag"), "a b c+d/e");
	CU_ASSERT_STRING_EQUAL(query_get(&q, "Empty"), "");
	CU_ASSERT_STRING_EQUAL(query_get(&q, "Bare"), "");
	CU_ASSERT_STRING_EQUAL(query_get(&q, "x"), "\xc3\xa9");
	CU_ASSERT_PTR_NULL(query_get(&q, "action"));
	query_free(&q);
}

static void test_bad_input(void)
{
	struct query q = { 0 };

	CU_ASSERT_EQUAL(parse(&q, "a=%4"), -EINVAL);
	query_free(&q);
	CU_ASSERT_EQUAL(parse(&q, "a=%zz"), -EINVAL);
	query_free(&q);
	CU_ASSERT_EQUAL(parse(&q, "a=%00"), -EINVAL);
	query_free(&q);
	CU_ASSERT_EQUAL(parse(&q, "=value"), -EINVAL);
	query_free(&q);
}

static void test_param_limit(void)
{
	static char text[QUERY_MAX_PARAMS * 8 + 16];
	struct query q = { 0 };
	size_t o = 0;

	for (int i = 0; i <= QUERY_MAX_PARAMS; i++)
		o += sprintf(text + o, "%sp%d=1", i ? "&" : "", i);
	CU_ASSERT_EQUAL(query_parse(&q, text, o), -E2BIG);
	query_free(&q);
}

static void test_lists(void)
{
	struct query q = { 0 };
	struct query_item *it;
	size_t n;

	CU_ASSERT_EQUAL(parse(&q, "InstanceId.2=i-b&InstanceId.1=i-a&InstanceId.10=i-c&"
				  "InstanceId.0=x&InstanceId.01=y&InstanceId=z&InstanceIds.1=w&"
				  "Filter.1.Name=instance-state-name&Filter.1.Value.1=running&"
				  "Filter.1.Value.2=stopped&Filter.2.Name=tag:Name"),
			0);
	CU_ASSERT_EQUAL(query_list(&q, "InstanceId", "", &it, &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 3);
	CU_ASSERT_STRING_EQUAL(it[0].value, "i-a");
	CU_ASSERT_STRING_EQUAL(it[1].value, "i-b");
	CU_ASSERT_STRING_EQUAL(it[2].value, "i-c");
	CU_ASSERT_EQUAL(it[2].index, 10);
	free(it);
	CU_ASSERT_EQUAL(query_list(&q, "Filter", ".Name", &it, &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_STRING_EQUAL(it[1].value, "tag:Name");
	free(it);
	CU_ASSERT_EQUAL(query_list(&q, "Filter.1.Value", "", &it, &n), 0);
	CU_ASSERT_EQUAL_FATAL(n, 2);
	CU_ASSERT_STRING_EQUAL(it[0].value, "running");
	CU_ASSERT_STRING_EQUAL(it[1].value, "stopped");
	free(it);
	CU_ASSERT_EQUAL(query_list(&q, "Filter.2.Value", "", &it, &n), 0);
	CU_ASSERT_EQUAL(n, 0);
	CU_ASSERT_PTR_NULL(it);
	query_free(&q);
	CU_ASSERT_EQUAL(parse(&q, "InstanceId.1=a&InstanceId.1=b"), 0);
	CU_ASSERT_EQUAL(query_list(&q, "InstanceId", "", &it, &n), -EINVAL);
	query_free(&q);
}

UNIT_SUITE(query, NULL, NULL, UNIT_TEST(test_decoding), UNIT_TEST(test_bad_input),
	   UNIT_TEST(test_param_limit), UNIT_TEST(test_lists));
