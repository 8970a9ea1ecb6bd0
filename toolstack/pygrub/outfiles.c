// SPDX-License-Identifier: GPL-2.0
/* The output directory's files, named and placed as pygrub's do (outfiles.h). */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <unistd.h>

#include "toolstack/pygrub/outfiles.h"

/* The alphabet and length of Python's tempfile._RandomNameSequence. */
static const char name_chars[] = "abcdefghijklmnopqrstuvwxyz0123456789_";
#define NAME_LEN 8
#define NAME_TRIES 100 /* as tempfile.TMP_MAX bounds its attempts */

char *out_abspath(const char *path)
{
	char *full = NULL, *out, *cwd = NULL;
	size_t o = 0;

	if (path[0] != '/') {
		cwd = getcwd(NULL, 0);
		if (!cwd || asprintf(&full, "%s/%s", cwd, path) < 0)
			full = NULL;
		free(cwd);
	} else {
		full = strdup(path);
	}
	out = full ? malloc(strlen(full) + 2) : NULL;
	if (!out) {
		free(full);
		return NULL;
	}
	for (char *save, *part = strtok_r(full, "/", &save); part;
	     part = strtok_r(NULL, "/", &save)) {
		if (!strcmp(part, "."))
			continue;
		if (!strcmp(part, "..")) {
			while (o > 0 && out[--o] != '/')
				;
			continue;
		}
		out[o++] = '/';
		strcpy(out + o, part);
		o += strlen(part);
	}
	if (!o)
		out[o++] = '/';
	out[o] = '\0';
	free(full);
	return out;
}

int out_file_create(const char *dir, const char *prefix, char **path)
{
	char *base = out_abspath(dir);
	int rc = -ENOMEM;

	*path = NULL;
	for (int tries = 0; base && tries < NAME_TRIES; tries++) {
		unsigned char rnd[NAME_LEN];
		char name[NAME_LEN + 1];
		int fd;

		if (getrandom(rnd, sizeof(rnd), 0) != sizeof(rnd)) {
			rc = -errno;
			break;
		}
		for (int i = 0; i < NAME_LEN; i++)
			name[i] = name_chars[rnd[i] % (sizeof(name_chars) - 1)];
		name[NAME_LEN] = '\0';
		free(*path);
		if (asprintf(path, "%s%s%s%s", base, strcmp(base, "/") ? "/" : "", prefix, name) <
		    0) {
			*path = NULL;
			rc = -ENOMEM;
			break;
		}
		fd = open(*path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0) {
			free(base);
			return fd;
		}
		rc = -errno;
		if (errno != EEXIST)
			break;
	}
	free(base);
	free(*path);
	*path = NULL;
	return rc;
}

int out_file_fill(int fd, const void *data, size_t len)
{
	size_t done = 0;
	int rc = 0;

	while (done < len) {
		ssize_t n = write(fd, (const char *)data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			rc = n < 0 ? -errno : -EIO;
			break;
		}
		done += n;
	}
	if (close(fd) && !rc)
		rc = -errno;
	return rc;
}
