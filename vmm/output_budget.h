/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A rate limit for what a guest makes the host store or print: a token bucket of `burst`
 * units refilled at `rate` units a second (bytes for the console, lines for the log).
 * What does not fit is dropped and counted; the count is handed out once per report
 * interval so that the drop itself cannot flood anything. No I/O, no locking (callers
 * hold their own lock), no clock of its own (callers pass CLOCK_MONOTONIC ns).
 */
#ifndef XENKVM_VMM_OUTPUT_BUDGET_H
#define XENKVM_VMM_OUTPUT_BUDGET_H

#include <stdbool.h>
#include <stdint.h>

struct output_budget {
	uint64_t rate; /* units a second; 0: no limit */
	uint64_t burst; /* the bucket's size */
	uint64_t tokens;
	uint64_t refilled_ns; /* when tokens were last brought up to date */
	uint64_t dropped; /* since the last report */
	uint64_t dropped_total;
	uint64_t reported_ns; /* when the last report was handed out */
	bool reported; /* the first report goes out at once */
};

/* A full bucket at `now_ns`; burst 0 means `rate` (one second's worth). */
void output_budget_init(struct output_budget *b, uint64_t rate, uint64_t burst, uint64_t now_ns);
/* How many of `want` units may go out now; the rest is counted as dropped. */
uint64_t output_budget_take(struct output_budget *b, uint64_t want, uint64_t now_ns);
/* Counts units dropped for another reason (a full queue, a failed write). */
void output_budget_drop(struct output_budget *b, uint64_t units);
/*
 * True when units were dropped since the last report, at most once per `interval_ns`
 * (the first time at once):
 * *dropped gets their number and the count starts again.
 */
bool output_budget_report(struct output_budget *b, uint64_t interval_ns, uint64_t now_ns,
			  uint64_t *dropped);

#endif
