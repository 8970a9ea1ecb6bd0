/* SPDX-License-Identifier: MIT */
/*
 * What every hostile guest shares: it announces itself once, then misbehaves until the
 * host ends it. A legitimate call that does not get Xen's answer ends the domain at once
 * with SHUTDOWN_crash (xenkvm exit status 8), so the runner, which expects the domain to
 * be still running when it sends SIGTERM (status 143), sees the wrong answer.
 */
#ifndef HOSTILE_H
#define HOSTILE_H

#include "kit.h"
#include "hypercall.h"

static inline void hostile_start(const char *what)
{
	printf("hostile: %s: flooding until the host stops the domain\n", what);
}

/* After the first whole round of legitimate answers: the runner looks for this line. */
static inline void hostile_round_done(unsigned long round)
{
	if (round == 1)
		printf("hostile: first round done, every answer Xen's\n");
}

/* A wrong answer: say which (port 0xe9 may be rate-limited, the status is not). */
#define hostile_expect(cond, ...)                          \
	do {                                               \
		if (!(cond)) {                             \
			printf("hostile: wrong answer: "); \
			printf(__VA_ARGS__);               \
			printf("\n");                      \
			kit_shutdown(SHUTDOWN_crash);      \
			kit_error("shutdown returned");    \
		}                                          \
	} while (0)

#endif
