// SPDX-License-Identifier: GPL-2.0
/*
 * BLS entry files read and sorted as GRUB's blscfg does (grub2_bls.h). Everything here
 * comes from the image: file names, sizes and line lengths are bounded before use.
 */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/image/errmsg.h"
#include "toolstack/image/grub2_bls.h"

/* One alphanumeric segment of a version at *s (separators skipped): its bounds. */
static bool next_segment(const char **s, const char **start, size_t *len, bool *digits)
{
	const char *p = *s;

	while (*p && !isalnum((unsigned char)*p))
		p++;
	*start = p;
	*digits = isdigit((unsigned char)*p);
	while (*p && (*digits ? isdigit((unsigned char)*p) : isalpha((unsigned char)*p)))
		p++;
	*len = p - *start;
	*s = p;
	return *len > 0;
}

int bls_vercmp(const char *a, const char *b)
{
	if (!strcmp(a, b))
		return 0;
	for (;;) {
		const char *sa, *sb;
		size_t la, lb;
		bool da, db;
		bool has_a = next_segment(&a, &sa, &la, &da);
		bool has_b = next_segment(&b, &sb, &lb, &db);
		int c;

		if (!has_a || !has_b)
			return has_a ? 1 : has_b ? -1 : 0; /* the longer version is newer */
		if (da != db)
			return da ? 1 : -1; /* a number is newer than letters */
		if (da) {
			while (la > 1 && *sa == '0')
				sa++, la--;
			while (lb > 1 && *sb == '0')
				sb++, lb--;
			if (la != lb)
				return la > lb ? 1 : -1;
		}
		c = strncmp(sa, sb, la < lb ? la : lb);
		if (c)
			return c > 0 ? 1 : -1;
		if (la != lb)
			return la > lb ? 1 : -1;
	}
}

/* Newest first: by version, then by file name; an entry without a version comes before
 * those with one (blscfg sorts ascending with the versionless last, then adds the
 * entries from the end). */
static int newest_first(const void *pa, const void *pb)
{
	const struct bls_entry *a = pa, *b = pb;
	int c;

	if (!a->version != !b->version)
		return a->version ? 1 : -1;
	c = a->version ? bls_vercmp(b->version, a->version) : 0;
	return c ? c : bls_vercmp(b->id, a->id);
}

static int keep(char **field, const char *value)
{
	free(*field);
	*field = strdup(value);
	return *field ? 0 : -ENOMEM;
}

/* One "key value" line into the entry; a key GRUB's blscfg does not boot with is ignored. */
static int take_key(struct bls_entry *e, const char *key, const char *value)
{
	if (!strcmp(key, "title"))
		return keep(&e->title, value);
	if (!strcmp(key, "version"))
		return keep(&e->version, value);
	if (!strcmp(key, "linux"))
		return keep(&e->kernel, value);
	if (!strcmp(key, "options"))
		return keep(&e->options, value);
	if (strcmp(key, "initrd"))
		return 0;
	if (e->nr_initrd == MENU_MAX_INITRDS)
		return -E2BIG;
	e->initrd[e->nr_initrd] = strdup(value);
	return e->initrd[e->nr_initrd++] ? 0 : -ENOMEM;
}

/* The file's lines as blscfg reads them: blanks before the key skipped, '#' lines
 * skipped, the key up to the first blank, the value after the blanks that follow; a
 * line with no value ends the file. */
static int parse_entry(char *text, struct bls_entry *e)
{
	for (char *line = text, *next; line; line = next) {
		char *sep;
		int rc;

		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		while (*line == ' ' || *line == '\t')
			line++;
		if (*line == '#')
			continue;
		sep = strpbrk(line, " \t");
		if (!sep || !sep[1])
			break;
		*sep++ = '\0';
		while (*sep == ' ' || *sep == '\t')
			sep++;
		rc = take_key(e, line, sep);
		if (rc)
			return rc;
	}
	return 0;
}

static void free_entry(struct bls_entry *e)
{
	free(e->id);
	free(e->title);
	free(e->version);
	free(e->kernel);
	free(e->options);
	for (unsigned int i = 0; i < e->nr_initrd; i++)
		free(e->initrd[i]);
	memset(e, 0, sizeof(*e));
}

void bls_free_entries(struct bls_entry *entries, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++)
		free_entry(&entries[i]);
	free(entries);
}

/* Reads dir/name into e; 1 when it is an entry GRUB boots (it has `linux`), 0 when not. */
static int read_entry(const struct menu_files *f, const char *dir, const char *name,
		      struct bls_entry *e, char *err, size_t errlen)
{
	size_t n = strlen(name), len;
	char path[512];
	uint8_t *text;
	int rc;

	if (name[0] == '.' || n <= 5 || strcmp(name + n - 5, ".conf"))
		return 0;
	if (snprintf(path, sizeof(path), "%s/%s", dir, name) >= (int)sizeof(path))
		return 0;
	rc = f->read(f->ctx, path, BLS_MAX_FILE, &text, &len);
	if (rc == -EFBIG)
		return img_err(err, errlen, rc, "%s: more than %u bytes", path, BLS_MAX_FILE);
	if (rc)
		return rc == -ENOENT || rc == -EISDIR ? 0 : img_err(err, errlen, rc, "%s", path);
	memset(e, 0, sizeof(*e));
	e->id = strndup(name, n - 5);
	rc = e->id ? parse_entry((char *)text, e) : -ENOMEM;
	free(text);
	if (rc == -E2BIG)
		return img_err(err, errlen, rc, "%s: more than %d initrds", path, MENU_MAX_INITRDS);
	if (rc)
		return img_err(err, errlen, rc, "out of memory");
	if (!e->kernel) {
		free_entry(e);
		return 0;
	}
	return 1;
}

int bls_read_entries(const struct menu_files *f, const char *dir, struct bls_entry **entries,
		     unsigned int *nr, char *err, size_t errlen)
{
	static const char *const places[] = { "/loader/entries", "/boot/loader/entries" };
	char **names = NULL;
	unsigned int nr_names = 0;
	int rc = -ENOENT;

	*entries = NULL;
	*nr = 0;
	if (!f || !f->list || !f->read)
		return 0;
	/* $blsdir (or the ESP-less default), then the same under /boot, as blscfg falls
	 * back when /boot is not a partition of its own. */
	for (unsigned int i = 0; i < 2 && rc == -ENOENT; i++) {
		const char *d = i ? places[1] : dir ? dir : places[0];

		rc = f->list(f->ctx, d, &names, &nr_names);
		if (rc != -ENOENT || i)
			dir = d;
	}
	if (rc == -ENOENT || rc == -ENOTDIR)
		return 0;
	if (rc)
		return img_err(err, errlen, rc, "%s: cannot list the directory", dir);
	*entries = calloc(nr_names ? nr_names : 1, sizeof(**entries));
	for (unsigned int i = 0; i < nr_names && *entries && rc >= 0; i++) {
		rc = read_entry(f, dir, names[i], &(*entries)[*nr], err, errlen);
		*nr += rc > 0;
	}
	for (unsigned int i = 0; i < nr_names; i++)
		free(names[i]);
	free(names);
	if (!*entries)
		return img_err(err, errlen, -ENOMEM, "out of memory");
	if (rc < 0) {
		bls_free_entries(*entries, *nr);
		*entries = NULL;
		*nr = 0;
		return rc;
	}
	qsort(*entries, *nr, sizeof(**entries), newest_first);
	return 0;
}
