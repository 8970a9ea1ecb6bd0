/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Tiny result counter for the compat programs: each check prints PASS/FAIL/SKIP with its
 * name; xs_check_done() prints the "N passed, N failed, N skipped" line run-suites reads.
 */
#ifndef XENKVM_TESTS_COMPAT_XS_CHECK_H
#define XENKVM_TESTS_COMPAT_XS_CHECK_H

#include <stdio.h>

static unsigned int xs_pass, xs_fail, xs_skip;

#define CHECK(cond, ...)                                                        \
	do {                                                                    \
		if (cond) {                                                     \
			xs_pass++;                                              \
			printf("PASS ");                                        \
		} else {                                                        \
			xs_fail++;                                              \
			printf("FAIL (%s:%d: %s) ", __FILE__, __LINE__, #cond); \
		}                                                               \
		printf(__VA_ARGS__);                                            \
		printf("\n");                                                   \
		fflush(stdout);                                                 \
	} while (0)

#define SKIP(...)                    \
	do {                         \
		xs_skip++;           \
		printf("SKIP ");     \
		printf(__VA_ARGS__); \
		printf("\n");        \
		fflush(stdout);      \
	} while (0)

static inline int xs_check_done(void)
{
	printf("%u passed, %u failed, %u skipped\n", xs_pass, xs_fail, xs_skip);
	return xs_fail ? 1 : 0;
}

#endif
