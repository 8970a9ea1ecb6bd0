// SPDX-License-Identifier: GPL-2.0
/* Records on disk (records.h) and EC2 resource ids. */
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "toolstack/api/query.h"
#include "toolstack/api/records.h"
#include "toolstack/domains/rundir.h"

void rec_put(struct strbuf *sb, const char *key, const char *value)
{
	strbuf_adds(sb, key);
	strbuf_addc(sb, '=');
	for (const unsigned char *p = (const unsigned char *)value; *p; p++) {
		if (*p <= ' ' || *p == '%' || *p == '+' || *p == 0x7f)
			strbuf_addf(sb, "%%%02X", *p);
		else
			strbuf_addc(sb, (char)*p);
	}
	strbuf_addc(sb, '\n');
}

void rec_putll(struct strbuf *sb, const char *key, long long value)
{
	strbuf_addf(sb, "%s=%lld\n", key, value);
}

static int write_all(int fd, const char *p, size_t len)
{
	while (len) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		p += n;
		len -= n;
	}
	return 0;
}

static int fsync_dir_of(const char *path)
{
	char *copy = strdup(path);
	int fd, rc = 0;

	if (!copy)
		return -ENOMEM;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	free(copy);
	if (fd < 0)
		return -errno;
	if (fsync(fd))
		rc = -errno;
	close(fd);
	return rc;
}

int rec_save(const char *path, struct strbuf *sb)
{
	char tmp[4096];
	const char *text = strbuf_str(sb);
	int fd, rc;

	if (!text)
		return -ENOMEM;
	if (snprintf(tmp, sizeof(tmp), "%s.tmp", path) >= (int)sizeof(tmp))
		return -ENAMETOOLONG;
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	rc = write_all(fd, text, sb->len);
	if (!rc && fsync(fd))
		rc = -errno;
	if (close(fd) && !rc)
		rc = -errno;
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (rc) {
		unlink(tmp);
		return rc;
	}
	return fsync_dir_of(path);
}

int rec_load(const char *path, int (*fn)(void *ctx, const char *key, const char *value), void *ctx)
{
	FILE *f = fopen(path, "re");
	char *line = NULL, *value = NULL;
	size_t cap = 0;
	ssize_t len;
	int rc = 0;

	if (!f)
		return -errno;
	while (!rc && (len = getline(&line, &cap, f)) > 0) {
		char *eq = strchr(line, '=');

		if (line[len - 1] == '\n')
			line[--len] = 0;
		if (!len)
			continue;
		if (!eq) {
			rc = -EINVAL;
			break;
		}
		*eq = 0;
		free(value);
		value = malloc(strlen(eq + 1) + 1);
		if (!value) {
			rc = -ENOMEM;
			break;
		}
		rc = query_pct_decode(eq + 1, strlen(eq + 1), value, NULL);
		if (!rc)
			rc = fn(ctx, line, value);
	}
	free(line);
	free(value);
	fclose(f);
	return rc;
}

void rec_new_id(const char *prefix, char id[32])
{
	unsigned char b[9];
	size_t n;

	if (getrandom(b, sizeof(b), 0) != sizeof(b))
		abort(); /* no randomness: nothing safe to hand out */
	n = snprintf(id, 32, "%s-", prefix);
	for (int i = 0; i < 17; i++)
		n += snprintf(id + n, 32 - n, "%x", (b[i / 2] >> (i % 2 ? 0 : 4)) & 15);
}

bool rec_id_valid(const char *prefix, const char *id)
{
	size_t plen = strlen(prefix), n = 0;

	if (strncmp(id, prefix, plen) || id[plen] != '-')
		return false;
	for (const char *p = id + plen + 1; *p; p++, n++)
		if (!isxdigit((unsigned char)*p) || isupper((unsigned char)*p))
			return false;
	return n == 17 || n == 8;
}

int rec_mkdirs(const char *path)
{
	return rundir_mkdirs(path);
}
