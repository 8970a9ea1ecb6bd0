// SPDX-License-Identifier: GPL-2.0
/* The output budget (vmm/output_budget.c): rate, burst, drop counts, reports. */
#include "tests/unit/unit.h"
#include "vmm/output_budget.h"

#define SEC 1000000000ULL
#define T0 (1000 * SEC)

static void test_burst_then_rate(void)
{
	struct output_budget b;

	output_budget_init(&b, 100, 1000, T0);
	CU_ASSERT_EQUAL(output_budget_take(&b, 600, T0), 600);
	CU_ASSERT_EQUAL(output_budget_take(&b, 600, T0), 400); /* the burst is spent */
	CU_ASSERT_EQUAL(b.dropped_total, 200);
	CU_ASSERT_EQUAL(output_budget_take(&b, 1, T0), 0);
	/* Half a second later: 50 more. */
	CU_ASSERT_EQUAL(output_budget_take(&b, 80, T0 + SEC / 2), 50);
	CU_ASSERT_EQUAL(b.dropped_total, 231);
	/* A long quiet period refills the bucket to the burst, not beyond. */
	CU_ASSERT_EQUAL(output_budget_take(&b, 5000, T0 + 3600 * SEC), 1000);
}

static void test_fractions_accumulate(void)
{
	struct output_budget b;
	uint64_t got = 0;

	output_budget_init(&b, 10, 1, T0);
	CU_ASSERT_EQUAL(output_budget_take(&b, 1, T0), 1);
	/* 1000 looks 1 ms apart: 10 a second is 10 units in that second, no more, no less. */
	for (uint64_t i = 1; i <= 1000; i++)
		got += output_budget_take(&b, 1, T0 + i * (SEC / 1000));
	CU_ASSERT_EQUAL(got, 10);
}

static void test_no_limit(void)
{
	struct output_budget b;

	output_budget_init(&b, 0, 0, T0);
	CU_ASSERT_EQUAL(output_budget_take(&b, 1ULL << 40, T0), 1ULL << 40);
	CU_ASSERT_EQUAL(b.dropped_total, 0);
}

static void test_huge_rate_no_overflow(void)
{
	struct output_budget b;

	output_budget_init(&b, 1ULL << 40, 1ULL << 40, T0);
	CU_ASSERT_EQUAL(output_budget_take(&b, 1ULL << 40, T0), 1ULL << 40);
	CU_ASSERT_EQUAL(output_budget_take(&b, 1ULL << 40, T0 + 100000 * SEC), 1ULL << 40);
}

static void test_report_once_per_interval(void)
{
	struct output_budget b;
	uint64_t n = 0;

	output_budget_init(&b, 10, 10, T0);
	CU_ASSERT_FALSE(output_budget_report(&b, 10 * SEC, T0, &n)); /* nothing dropped */
	output_budget_take(&b, 15, T0);
	CU_ASSERT_TRUE(output_budget_report(&b, 10 * SEC, T0, &n)); /* the first at once */
	CU_ASSERT_EQUAL(n, 5);
	output_budget_drop(&b, 7);
	CU_ASSERT_FALSE(output_budget_report(&b, 10 * SEC, T0 + 9 * SEC, &n));
	output_budget_drop(&b, 1);
	CU_ASSERT_TRUE(output_budget_report(&b, 10 * SEC, T0 + 10 * SEC, &n));
	CU_ASSERT_EQUAL(n, 8);
	CU_ASSERT_FALSE(output_budget_report(&b, 10 * SEC, T0 + 30 * SEC, &n));
	CU_ASSERT_EQUAL(b.dropped_total, 13);
}

UNIT_SUITE(output_budget, NULL, NULL, UNIT_TEST(test_burst_then_rate),
	   UNIT_TEST(test_fractions_accumulate), UNIT_TEST(test_no_limit),
	   UNIT_TEST(test_huge_rate_no_overflow), UNIT_TEST(test_report_once_per_interval));
