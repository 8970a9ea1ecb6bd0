// SPDX-License-Identifier: GPL-2.0
/* Lexical normalisation of the paths boot menus name (before any lookup). */
#include <errno.h>
#include <string.h>

#include "toolstack/image/errmsg.h"
#include "toolstack/image/fs.h"

int img_path_normalise(const char *path, char *out, size_t outlen, char *err, size_t errlen)
{
	size_t n = 0;
	const char *p = path;

	if (path[0] != '/')
		return img_err(err, errlen, -EINVAL, "path \"%s\" is not absolute", path);
	if (outlen < 2)
		return img_err(err, errlen, -ENAMETOOLONG, "path \"%s\" is too long", path);
	while (*p) {
		const char *seg;
		size_t len;

		while (*p == '/')
			p++;
		seg = p;
		while (*p && *p != '/')
			p++;
		len = p - seg;
		if (len == 0 || (len == 1 && seg[0] == '.'))
			continue;
		if (len == 2 && seg[0] == '.' && seg[1] == '.') {
			if (n == 0)
				return img_err(
					err, errlen, -EINVAL,
					"path \"%s\" leaves the filesystem (.. above its root)",
					path);
			do
				n--;
			while (n > 0 && out[n] != '/');
			continue;
		}
		if (n + 1 + len + 1 > outlen)
			return img_err(err, errlen, -ENAMETOOLONG, "path \"%s\" is too long", path);
		out[n++] = '/';
		memcpy(out + n, seg, len);
		n += len;
	}
	if (n == 0)
		out[n++] = '/';
	out[n] = '\0';
	return 0;
}
