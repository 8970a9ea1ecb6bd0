// SPDX-License-Identifier: GPL-2.0
/*
 * The three answer formats of pygrub (see pyformat.h). sxp quotes each value with
 * Python's repr() of a str: single quotes unless the text holds a ' and no ", then
 * double quotes; a backslash, the chosen quote, \t, \n, \r and other control characters
 * escaped; printable non-ASCII characters kept as they are. Python's notion of
 * "printable" covers all of Unicode; here the non-printable characters a boot menu can
 * plausibly hold are escaped as Python does (C0, DEL, C1, U+00A0 and U+00AD as \xNN), the
 * rest of Unicode is kept.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/pygrub/pyformat.h"

int py_format_parse(const char *name)
{
	if (!strcmp(name, "sxp"))
		return PY_SXP;
	if (!strcmp(name, "simple"))
		return PY_SIMPLE;
	if (!strcmp(name, "simple0"))
		return PY_SIMPLE0;
	return -1;
}

static int append(char **buf, size_t *len, const void *s, size_t n)
{
	char *grown = realloc(*buf, *len + n + 1);

	if (!grown)
		return -ENOMEM;
	memcpy(grown + *len, s, n);
	*len += n;
	grown[*len] = '\0';
	*buf = grown;
	return 0;
}

static int append_str(char **buf, size_t *len, const char *s)
{
	return append(buf, len, s, strlen(s));
}

/* Length of the UTF-8 sequence at s and its code point; 1 and the byte when invalid. */
static size_t utf8_next(const unsigned char *s, uint32_t *cp)
{
	size_t n = s[0] >= 0xf0 ? 4 : s[0] >= 0xe0 ? 3 : s[0] >= 0xc0 ? 2 : 1;

	*cp = n == 1 ? s[0] : s[0] & (0x3f >> (n - 1));
	for (size_t i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*cp = s[0];
			return 1;
		}
		*cp = *cp << 6 | (s[i] & 0x3f);
	}
	return n;
}

static bool py_printable(uint32_t cp)
{
	return !(cp < 0x20 || (cp >= 0x7f && cp <= 0xa0) || cp == 0xad);
}

int py_repr_append(char **buf, size_t *len, const char *s)
{
	char quote = strchr(s, '\'') && !strchr(s, '"') ? '"' : '\'';
	const unsigned char *p = (const unsigned char *)s;
	int rc = append(buf, len, &quote, 1);

	while (!rc && *p) {
		char esc[8];
		uint32_t cp;
		size_t n = utf8_next(p, &cp);

		if (*p == '\\' || *p == (unsigned char)quote) {
			esc[0] = '\\';
			esc[1] = *p;
			rc = append(buf, len, esc, 2);
		} else if (*p == '\t' || *p == '\n' || *p == '\r') {
			rc = append_str(buf, len, *p == '\t' ? "\\t" : *p == '\n' ? "\\n" : "\\r");
		} else if (!py_printable(cp)) {
			snprintf(esc, sizeof(esc), "\\x%02x", cp);
			rc = append_str(buf, len, esc);
		} else {
			rc = append(buf, len, p, n);
		}
		p += n;
	}
	return rc ? rc : append(buf, len, &quote, 1);
}

static int sxp_part(char **buf, size_t *len, const char *name, const char *value)
{
	int rc = append_str(buf, len, "(");

	rc = rc ? rc : append_str(buf, len, name);
	rc = rc ? rc : append_str(buf, len, " ");
	/* pygrub -n prints Python's None in place of a path. */
	rc = rc ? rc : value ? py_repr_append(buf, len, value) : append_str(buf, len, "None");
	return rc ? rc : append_str(buf, len, ")");
}

static int simple_part(char **buf, size_t *len, const char *name, const char *value, char sep)
{
	int rc = append_str(buf, len, name);

	rc = rc ? rc : append_str(buf, len, " ");
	rc = rc ? rc : append_str(buf, len, value ? value : "None");
	return rc ? rc : append(buf, len, &sep, 1);
}

int py_format_answer(enum py_format f, const char *kernel, const char *ramdisk, const char *args,
		     char **out, size_t *len)
{
	char sep = f == PY_SIMPLE0 ? '\0' : '\n';
	bool has_ramdisk = ramdisk && *ramdisk, has_args = args && *args;
	int rc;

	*out = NULL;
	*len = 0;
	if (f == PY_SXP) {
		rc = append_str(out, len, "linux ");
		rc = rc ? rc : sxp_part(out, len, "kernel", kernel);
		rc = rc ? rc : has_ramdisk ? sxp_part(out, len, "ramdisk", ramdisk) : 0;
		rc = rc ? rc : has_args ? sxp_part(out, len, "args", args) : 0;
		goto out;
	}
	/* The values are C strings: only simple's newline can be inside one. */
	if (f == PY_SIMPLE && ((kernel && strchr(kernel, '\n')) ||
			       (ramdisk && strchr(ramdisk, '\n')) || (args && strchr(args, '\n'))))
		return -EINVAL;
	rc = simple_part(out, len, "kernel", kernel, sep);
	rc = rc ? rc : has_ramdisk ? simple_part(out, len, "ramdisk", ramdisk, sep) : 0;
	rc = rc ? rc : has_args ? simple_part(out, len, "args", args, sep) : 0;
	rc = rc ? rc : append(out, len, &sep, 1);
out:
	if (rc) {
		free(*out);
		*out = NULL;
		*len = 0;
	}
	return rc;
}
