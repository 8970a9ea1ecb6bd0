// SPDX-License-Identifier: GPL-2.0
/*
 * Small value syntaxes of xl.cfg: the `cpus` range list as xl's parse_cpurange()
 * reads it ("all", "N", "N-M", "^N" removing, comma separated, applied in order)
 * and UUIDs as libxl_uuid_from_string() reads them (8-4-4-4-12 hex digits).
 */
#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/cfg/domcfg.h"

static int range(const char *s, unsigned long *a, unsigned long *b)
{
	char *end;

	if (*s < '0' || *s > '9')
		return -EINVAL;
	*a = *b = strtoul(s, &end, 10);
	if (*end == '-') {
		const char *n = end + 1;

		if (*n < '0' || *n > '9')
			return -EINVAL;
		*b = strtoul(n, &end, 10);
		if (*b < *a)
			return -EINVAL;
	}
	return *end ? -EINVAL : 0;
}

static int one_range(char *tok, uint64_t *mask, char *msg, size_t sz)
{
	bool neg = tok[0] == '^';
	unsigned long a, b;

	if (neg)
		tok++;
	if (!strncmp(tok, "node:", 5) || !strncmp(tok, "nodes:", 6)) {
		snprintf(msg, sz, "NUMA node pinning `%s' is not supported by xenkvm", tok);
		return -EINVAL;
	}
	if (!strcmp(tok, "all")) {
		if (neg) {
			snprintf(msg, sz, "can't combine \"^\" and \"all\"");
			return -EINVAL;
		}
		memset(mask, 0xff, DOM_MAX_HOST_CPUS / 8);
		return 0;
	}
	if (range(tok, &a, &b)) {
		snprintf(msg, sz, "invalid pcpu range `%s'", tok);
		return -EINVAL;
	}
	if (b >= DOM_MAX_HOST_CPUS) {
		snprintf(msg, sz, "pcpu %lu out of range (0-%d)", b, DOM_MAX_HOST_CPUS - 1);
		return -EINVAL;
	}
	for (unsigned long c = a; c <= b; c++) {
		if (neg)
			mask[c / 64] &= ~(1ull << (c % 64));
		else
			mask[c / 64] |= 1ull << (c % 64);
	}
	return 0;
}

int domcfg_parse_cpus(const char *spec, uint64_t *mask, char *msg, size_t sz)
{
	char *copy = strdup(spec), *save = NULL, *tok;
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	memset(mask, 0, DOM_MAX_HOST_CPUS / 8);
	for (tok = strtok_r(copy, ",", &save); tok && !rc; tok = strtok_r(NULL, ",", &save))
		rc = one_range(tok, mask, msg, sz);
	free(copy);
	if (!rc) {
		bool any = false;

		for (int i = 0; i < DOM_MAX_HOST_CPUS / 64; i++)
			any |= mask[i] != 0;
		if (!any) {
			snprintf(msg, sz, "`%s' leaves no pcpu", spec);
			rc = -EINVAL;
		}
	}
	return rc;
}

int domcfg_parse_uuid(const char *s, uint8_t uuid[16])
{
	static const int dash[] = { 8, 13, 18, 23 };
	int di = 0, bi = 0;

	if (strlen(s) != 36)
		return -EINVAL;
	for (int i = 0; i < 36; i++) {
		if (di < 4 && i == dash[di]) {
			if (s[i] != '-')
				return -EINVAL;
			di++;
			continue;
		}
		if (!strchr("0123456789abcdefABCDEF", s[i]) || !s[i])
			return -EINVAL;
		if (bi % 2 == 0)
			uuid[bi / 2] = 0;
		uuid[bi / 2] |=
			(uint8_t)(strtoul((char[]){ s[i], 0 }, NULL, 16) << (bi % 2 ? 0 : 4));
		bi++;
	}
	return 0;
}

void domcfg_uuid_format(const uint8_t u[16], char out[37])
{
	snprintf(out, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9], u[10], u[11], u[12],
		 u[13], u[14], u[15]);
}
