// SPDX-License-Identifier: GPL-2.0
/*
 * Credentials file: permissions first (a secret others can read is no secret), then
 * the sections. Secrets are wiped when freed.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <openssl/crypto.h>

#include "toolstack/api/credentials.h"

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\n' || e[-1] == '\r'))
		*--e = 0;
	return s;
}

static int open_private(const char *path, FILE **fp, char *err, size_t errsize)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);

	if (fd < 0) {
		int rc = -errno;

		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return rc;
	}
	if (fstat(fd, &st) || !S_ISREG(st.st_mode)) {
		snprintf(err, errsize, "%s: not a regular file", path);
		close(fd);
		return -EINVAL;
	}
	if (st.st_mode & 077) {
		snprintf(err, errsize,
			 "%s: mode %04o lets the group or others at the secrets; chmod 600 it",
			 path, (unsigned)(st.st_mode & 07777));
		close(fd);
		return -EPERM;
	}
	*fp = fdopen(fd, "r");
	if (!*fp) {
		close(fd);
		return -ENOMEM;
	}
	return 0;
}

static int add_key(struct credentials *c)
{
	struct access_key *k = realloc(c->keys, (c->n + 1) * sizeof(*k));

	if (!k)
		return -ENOMEM;
	c->keys = k;
	memset(&k[c->n++], 0, sizeof(*k));
	return 0;
}

/* The section that ended is complete (both fields); says which field is missing. */
static int check_section(const struct credentials *c, const char *path, unsigned line, char *err,
			 size_t errsize)
{
	const struct access_key *k;

	if (!c->n)
		return 0;
	k = &c->keys[c->n - 1];
	if (k->id[0] && k->secret[0])
		return 0;
	snprintf(err, errsize, "%s:%u: the section above lacks %s", path, line,
		 k->id[0] ? "aws_secret_access_key" : "aws_access_key_id");
	return -EINVAL;
}

static int parse_line(struct credentials *c, char *s, const char *path, unsigned line, char *err,
		      size_t errsize)
{
	char *eq, *key, *val;
	struct access_key *k;

	if (*s == '[') {
		int rc = check_section(c, path, line, err, errsize);

		return rc ? rc : add_key(c);
	}
	eq = strchr(s, '=');
	if (!eq || !c->n) {
		snprintf(err, errsize, "%s:%u: expected [section] or key = value", path, line);
		return -EINVAL;
	}
	*eq = 0;
	key = trim(s);
	val = trim(eq + 1);
	k = &c->keys[c->n - 1];
	if (!strcmp(key, "aws_access_key_id") && strlen(val) < sizeof(k->id) && *val)
		strcpy(k->id, val);
	else if (!strcmp(key, "aws_secret_access_key") && strlen(val) < sizeof(k->secret) && *val)
		strcpy(k->secret, val);
	else if (strcmp(key, "aws_access_key_id") && strcmp(key, "aws_secret_access_key"))
		return 0; /* region, output, ... belong to the clients */
	else {
		snprintf(err, errsize, "%s:%u: %s is empty or too long", path, line, key);
		return -EINVAL;
	}
	return 0;
}

int credentials_load(const char *path, struct credentials *c, char *err, size_t errsize)
{
	char buf[512];
	unsigned line = 0;
	FILE *fp = NULL;
	int rc;

	memset(c, 0, sizeof(*c));
	rc = open_private(path, &fp, err, errsize);
	if (rc)
		return rc;
	while (fgets(buf, sizeof(buf), fp)) {
		char *s = trim(buf);

		line++;
		if (!*s || *s == '#' || *s == ';')
			continue;
		rc = parse_line(c, s, path, line, err, errsize);
		if (rc)
			goto fail;
	}
	rc = check_section(c, path, line, err, errsize);
	if (rc)
		goto fail;
	if (!c->n) {
		snprintf(err, errsize, "%s: no access key", path);
		rc = -EINVAL;
		goto fail;
	}
	OPENSSL_cleanse(buf, sizeof(buf));
	fclose(fp);
	return 0;
fail:
	OPENSSL_cleanse(buf, sizeof(buf));
	fclose(fp);
	credentials_free(c);
	return rc;
}

void credentials_free(struct credentials *c)
{
	if (c->keys)
		OPENSSL_cleanse(c->keys, c->n * sizeof(*c->keys));
	free(c->keys);
	memset(c, 0, sizeof(*c));
}

int credentials_secret(void *ctx, const char *access_key, char *secret, size_t size)
{
	const struct credentials *c = ctx;

	for (size_t i = 0; i < c->n; i++) {
		if (strcmp(c->keys[i].id, access_key))
			continue;
		if (strlen(c->keys[i].secret) >= size)
			return -ENOSPC;
		strcpy(secret, c->keys[i].secret);
		return 0;
	}
	return -ENOENT;
}
