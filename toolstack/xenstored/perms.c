// SPDX-License-Identifier: GPL-2.0
/*
 * Permission strings and the access check. The check follows xenstore.txt and the
 * XenBus permission model: the privileged domain and the owner (or a domain whose
 * SET_TARGET target is the owner) get everything; otherwise the first ACL entry naming
 * the caller or its target decides, and entry 0's bits apply to everyone else.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/xenstored/perms.h"

static int perm_letter(char c)
{
	switch (c) {
	case 'n':
		return PERM_NONE;
	case 'r':
		return PERM_READ;
	case 'w':
		return PERM_WRITE;
	case 'b':
		return PERM_READ | PERM_WRITE;
	default:
		return -1;
	}
}

static int parse_one(const char *s, struct perm *out)
{
	int bits = perm_letter(s[0]);
	unsigned long id;
	char *end;

	if (bits < 0 || s[1] < '0' || s[1] > '9')
		return -EINVAL;
	errno = 0;
	id = strtoul(s + 1, &end, 10);
	if (errno || *end || id > 0xFFFF)
		return -EINVAL;
	out->id = (uint16_t)id;
	out->bits = (uint8_t)bits;
	return 0;
}

int perms_parse(const char *buf, size_t len, struct perm *out, unsigned int max)
{
	unsigned int n = 0;
	size_t off = 0;

	if (!len || buf[len - 1] != '\0')
		return -EINVAL;
	while (off < len) {
		const char *s = buf + off;
		size_t slen = strlen(s);

		if (n >= max)
			return -E2BIG;
		if (parse_one(s, &out[n]))
			return -EINVAL;
		n++;
		off += slen + 1;
	}
	return n ? (int)n : -EINVAL;
}

int perms_format(const struct perm *p, unsigned int n, char *out, size_t outsz)
{
	static const char letters[] = "nrwb";
	size_t off = 0;

	for (unsigned int i = 0; i < n; i++) {
		int w = snprintf(out + off, outsz - off, "%c%u", letters[p[i].bits & 3], p[i].id);

		if (w < 0 || (size_t)w + 1 > outsz - off)
			return -E2BIG;
		off += (size_t)w + 1; /* keep snprintf's NUL as the separator */
	}
	return (int)off;
}

static bool is_me(const struct caller *c, unsigned int id)
{
	return id == c->domid || (c->target >= 0 && id == (unsigned int)c->target);
}

unsigned int perms_for(const struct caller *c, const struct perm *p, unsigned int n)
{
	const unsigned int all = PERM_READ | PERM_WRITE | PERM_OWNER;

	if (c->privileged || (n && is_me(c, p[0].id)))
		return all;
	for (unsigned int i = 1; i < n; i++)
		if (is_me(c, p[i].id))
			return p[i].bits;
	return n ? p[0].bits : PERM_NONE;
}
