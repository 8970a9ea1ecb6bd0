// SPDX-License-Identifier: GPL-2.0
#include "vmm/output_budget.h"

#define NS_PER_SEC 1000000000ULL

void output_budget_init(struct output_budget *b, uint64_t rate, uint64_t burst, uint64_t now_ns)
{
	*b = (struct output_budget){
		.rate = rate,
		.burst = burst ? burst : rate,
		.refilled_ns = now_ns,
		.reported_ns = now_ns,
	};
	b->tokens = b->burst;
}

static void refill(struct output_budget *b, uint64_t now_ns)
{
	unsigned __int128 add;

	if (now_ns <= b->refilled_ns)
		return;
	add = (unsigned __int128)(now_ns - b->refilled_ns) * b->rate / NS_PER_SEC;
	if (!add)
		return; /* keep the fraction: refilled_ns stays behind until a unit is due */
	b->tokens = add >= b->burst - b->tokens ? b->burst : b->tokens + (uint64_t)add;
	b->refilled_ns = now_ns;
}

uint64_t output_budget_take(struct output_budget *b, uint64_t want, uint64_t now_ns)
{
	uint64_t give;

	if (!b->rate)
		return want;
	refill(b, now_ns);
	give = want < b->tokens ? want : b->tokens;
	b->tokens -= give;
	output_budget_drop(b, want - give);
	return give;
}

void output_budget_drop(struct output_budget *b, uint64_t units)
{
	b->dropped += units;
	b->dropped_total += units;
}

bool output_budget_report(struct output_budget *b, uint64_t interval_ns, uint64_t now_ns,
			  uint64_t *dropped)
{
	if (!b->dropped || (b->reported && now_ns - b->reported_ns < interval_ns))
		return false;
	b->reported = true;
	*dropped = b->dropped;
	b->dropped = 0;
	b->reported_ns = now_ns;
	return true;
}
