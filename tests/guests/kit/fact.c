// SPDX-License-Identifier: MIT
/*
 * Facts: values a test marks for comparison with real Xen (kit.h, tests/oracle).
 */
#include "kit.h"

void kit_fact(const char *name, const char *fmt, ...)
{
	char value[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(value, sizeof(value), fmt, ap);
	va_end(ap);
	/* One printf: the line leaves in as few port writes as the sink allows. */
	printf("FACT %s: %s\n", name, value);
}
