// SPDX-License-Identifier: GPL-2.0
/*
 * Path validation and canonicalisation. Every path a client sends goes through
 * path_canonicalize() once; the store only ever sees valid absolute paths.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <stdint.h>
#include <xen/io/xs_wire.h>

#include "toolstack/xenstored/paths.h"

static bool valid_char(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '/' || c == '_' || c == '@';
}

/* Length of a "/local/domain/N/" prefix, which the -M quota does not count. */
static size_t local_prefix_len(const char *path)
{
	static const char pfx[] = "/local/domain/";
	const char *p = path + sizeof(pfx) - 1;
	size_t digits = 0;

	if (strncmp(path, pfx, sizeof(pfx) - 1))
		return 0;
	while (p[digits] >= '0' && p[digits] <= '9' && digits < 5)
		digits++;
	if (!digits || p[digits] != '/')
		return 0;
	return sizeof(pfx) - 1 + digits + 1;
}

bool path_valid(const char *path, size_t path_max)
{
	size_t len = strlen(path);

	if (path[0] != '/')
		return false;
	if (len > XENSTORE_ABS_PATH_MAX)
		return false;
	if (len > 1 && path[len - 1] == '/')
		return false;
	if (strstr(path, "//"))
		return false;
	if (path_max && len > local_prefix_len(path) + path_max)
		return false;
	for (size_t i = 0; i < len; i++)
		if (!valid_char(path[i]))
			return false;
	return true;
}

int path_canonicalize(const char *in, unsigned int domid, size_t path_max, char *out, size_t outsz)
{
	int n;

	if (!in[0])
		return -EINVAL;
	if (in[0] == '/') {
		n = snprintf(out, outsz, "%s", in);
	} else {
		/* Relative paths have their own, smaller limit (xs_wire.h). */
		if (strlen(in) > XENSTORE_REL_PATH_MAX)
			return -EINVAL;
		n = snprintf(out, outsz, "/local/domain/%u/%s", domid, in);
	}
	if (n < 0 || (size_t)n >= outsz)
		return -EINVAL;
	return path_valid(out, path_max) ? 0 : -EINVAL;
}

bool path_is_special(const char *path)
{
	return path[0] == '@';
}

bool path_is_child(const char *child, const char *parent)
{
	size_t plen = strlen(parent);

	if (!strcmp(parent, "/"))
		return child[0] == '/';
	if (strncmp(child, parent, plen))
		return false;
	return child[plen] == '\0' || child[plen] == '/';
}

void path_parent(const char *path, char *out)
{
	const char *slash = strrchr(path, '/');
	size_t len = slash ? (size_t)(slash - path) : 0;

	if (len == 0) {
		strcpy(out, "/");
		return;
	}
	memcpy(out, path, len);
	out[len] = '\0';
}

const char *path_basename(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

unsigned int path_depth(const char *path)
{
	unsigned int d = 0;

	if (!strcmp(path, "/"))
		return 0;
	for (; *path; path++)
		d += *path == '/';
	return d;
}

void path_domain_home(unsigned int domid, char *out, size_t outsz)
{
	snprintf(out, outsz, "/local/domain/%u", domid);
}
