/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Self-registering CUnit suites. A test file lists its tests and calls
 * UNIT_SUITE(name, init, cleanup, tests...); the shared main (unit_main.c) runs every
 * suite linked into the binary and prints one line per test plus the summary line that
 * tests/run-suites reads.
 */
#ifndef XENKVM_TESTS_UNIT_H
#define XENKVM_TESTS_UNIT_H

#include <CUnit/CUnit.h>

struct unit_suite {
	const char *name;
	CU_InitializeFunc init;
	CU_CleanupFunc cleanup;
	CU_TestInfo *tests;
	struct unit_suite *next;
};

void unit_register(struct unit_suite *suite);

#define UNIT_SUITE(sname, sinit, scleanup, ...)                                       \
	static CU_TestInfo unit_tests_##sname[] = { __VA_ARGS__, CU_TEST_INFO_NULL }; \
	static struct unit_suite unit_suite_##sname = {                               \
		.name = #sname,                                                       \
		.init = sinit,                                                        \
		.cleanup = scleanup,                                                  \
		.tests = unit_tests_##sname,                                          \
	};                                                                            \
	__attribute__((constructor)) static void unit_ctor_##sname(void)              \
	{                                                                             \
		unit_register(&unit_suite_##sname);                                   \
	}

#define UNIT_TEST(fn)   \
	{               \
#fn, fn \
	}

/* Marks the current test as skipped with a reason (printed); the test must then return. */
void unit_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
