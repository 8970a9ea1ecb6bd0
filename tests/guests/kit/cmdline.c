// SPDX-License-Identifier: MIT
/*
 * The start_info command line: the manifest hands a guest its parameters as KEY=value
 * words (vcpus=, domid=, now_ns=...).
 */
#include "kit.h"

static bool word_start(const char *line, const char *p)
{
	return p == line || p[-1] == ' ';
}

const char *kit_cmdline_value(const char *key, char *buf, size_t size)
{
	const struct hvm_start_info *si = kit_start_info;
	size_t klen = strlen(key), n = 0;
	const char *line, *p;

	if (!si || si->magic != XEN_HVM_START_MAGIC_VALUE || !si->cmdline_paddr || !size)
		return NULL;
	line = (const char *)si->cmdline_paddr;
	for (p = line; *p; p++) {
		if (!word_start(line, p) || memcmp(p, key, klen) || p[klen] != '=')
			continue;
		for (p += klen + 1; *p && *p != ' ' && n < size - 1; p++)
			buf[n++] = *p;
		buf[n] = '\0';
		return buf;
	}
	return NULL;
}

bool kit_cmdline_u64(const char *key, uint64_t *val)
{
	char buf[24];
	uint64_t v = 0;
	const char *p;

	if (!kit_cmdline_value(key, buf, sizeof(buf)))
		return false;
	for (p = buf; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	if (p == buf || *p)
		kit_error("%s=%s on the command line is not a decimal number", key, buf);
	*val = v;
	return true;
}
