// SPDX-License-Identifier: GPL-2.0
/*
 * Shared main for the CUnit test binaries: runs every registered suite (optionally only
 * those named on the command line), prints "PASS suite/test", "FAIL suite/test: file:line
 * condition" or "SKIP suite/test: reason", then "N passed, N failed, N skipped".
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <CUnit/Basic.h>

#include "tests/unit/unit.h"

static struct unit_suite *suites;
static struct unit_suite **suites_tail = &suites;
static unsigned int n_pass, n_fail, n_skip;
static char skip_reason[256];

void unit_register(struct unit_suite *suite)
{
	*suites_tail = suite;
	suites_tail = &suite->next;
}

void unit_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(skip_reason, sizeof(skip_reason), fmt, ap);
	va_end(ap);
}

static void on_test_start(const CU_pTest test, const CU_pSuite suite)
{
	skip_reason[0] = '\0';
}

static void on_test_complete(const CU_pTest test, const CU_pSuite suite,
			     const CU_pFailureRecord failure)
{
	if (failure) {
		n_fail++;
		for (CU_pFailureRecord f = failure; f; f = f->pNext)
			printf("FAIL %s/%s: %s:%u %s\n", suite->pName, test->pName, f->strFileName,
			       f->uiLineNumber, f->strCondition);
	} else if (skip_reason[0]) {
		n_skip++;
		printf("SKIP %s/%s: %s\n", suite->pName, test->pName, skip_reason);
	} else {
		n_pass++;
		printf("PASS %s/%s\n", suite->pName, test->pName);
	}
	fflush(stdout);
}

static void on_suite_init_failure(const CU_pSuite suite)
{
	printf("FAIL %s: suite set-up failed\n", suite->pName);
	n_fail++;
}

static int selected(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (!strcmp(argv[i], name))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	if (CU_initialize_registry() != CUE_SUCCESS)
		return 2;
	for (struct unit_suite *s = suites; s; s = s->next) {
		if (!selected(s->name, argc, argv))
			continue;
		CU_pSuite cs = CU_add_suite(s->name, s->init, s->cleanup);

		for (CU_TestInfo *t = s->tests; cs && t->pName; t++)
			CU_add_test(cs, t->pName, t->pTestFunc);
	}
	CU_set_test_start_handler(on_test_start);
	CU_set_test_complete_handler(on_test_complete);
	CU_set_suite_init_failure_handler(on_suite_init_failure);
	CU_run_all_tests();
	CU_cleanup_registry();
	printf("%u passed, %u failed, %u skipped\n", n_pass, n_fail, n_skip);
	return n_fail ? 1 : 0;
}
