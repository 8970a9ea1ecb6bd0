// SPDX-License-Identifier: GPL-2.0
/* GRUB 2's variables and the expansion of script words (grub2_env.h). */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/image/grub2_env.h"

const char *genv_get(const struct genv *e, const char *name, size_t len)
{
	for (unsigned int i = 0; i < e->n; i++)
		if (strlen(e->name[i]) == len && !memcmp(e->name[i], name, len))
			return e->val[i];
	return "";
}

int genv_set(struct genv *e, const char *name, const char *val)
{
	char *v = strdup(val);

	if (!v)
		return -ENOMEM;
	for (unsigned int i = 0; i < e->n; i++)
		if (!strcmp(e->name[i], name)) {
			free(e->val[i]);
			e->val[i] = v;
			return 0;
		}
	if (e->n == GRUB_MAX_VARS) {
		free(v);
		return -E2BIG;
	}
	e->name[e->n] = strdup(name);
	if (!e->name[e->n]) {
		free(v);
		return -ENOMEM;
	}
	e->val[e->n++] = v;
	return 0;
}

bool genv_valid_name(const char *s, size_t len)
{
	if (!len || isdigit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < len; i++)
		if (!isalnum((unsigned char)s[i]) && s[i] != '_')
			return false;
	return true;
}

int genv_assign(struct genv *e, const char *arg)
{
	const char *eq = strchr(arg, '=');
	char name[64];

	if (!eq || !genv_valid_name(arg, eq - arg) || (size_t)(eq - arg) >= sizeof(name))
		return 0;
	memcpy(name, arg, eq - arg);
	name[eq - arg] = '\0';
	return genv_set(e, name, eq + 1);
}

void genv_free(struct genv *e)
{
	for (unsigned int i = 0; i < e->n; i++) {
		free(e->name[i]);
		free(e->val[i]);
	}
	e->n = 0;
}

int genv_copy(struct genv *to, const struct genv *from)
{
	memset(to, 0, sizeof(*to));
	for (unsigned int i = 0; i < from->n; i++) {
		to->name[i] = strdup(from->name[i]);
		to->val[i] = strdup(from->val[i]);
		to->n = i + 1;
		if (!to->name[i] || !to->val[i]) {
			genv_free(to);
			return -ENOMEM;
		}
	}
	return 0;
}

struct sbuf {
	char buf[GRUB_MAX_WORD];
	size_t n;
	bool over;
};

static void sb_add(struct sbuf *b, const char *s, size_t len)
{
	if (b->n + len >= sizeof(b->buf)) {
		b->over = true;
		return;
	}
	memcpy(b->buf + b->n, s, len);
	b->n += len;
	b->buf[b->n] = '\0';
}

/* Marks, in an unquoted expansion being split into fields, where blanks separated them. */
#define FIELD_SEP '\x1f'

/* Appends a variable's value; with split (unquoted, fields wanted) every run of blanks
 * becomes one FIELD_SEP, as GRUB's shell splits an unquoted $var into words. */
static void add_value(struct sbuf *b, const char *v, bool split)
{
	static const char sep = FIELD_SEP;

	if (!split) {
		sb_add(b, v, strlen(v));
		return;
	}
	while (*v) {
		size_t word = strcspn(v, " \t\n"), blanks;

		sb_add(b, v, word);
		v += word;
		blanks = strspn(v, " \t\n");
		if (blanks)
			sb_add(b, &sep, 1);
		v += blanks;
	}
}

/* $name, ${name}: appends the value, returns the characters consumed after '$'. */
static size_t expand_var(const struct genv *e, const char *p, const char *end, struct sbuf *b,
			 bool split)
{
	const char *name = p, *v;
	size_t len = 0, used;

	if (p < end && *p == '{') {
		const char *close = memchr(p, '}', end - p);

		if (!close) {
			sb_add(b, "$", 1);
			return 0;
		}
		name = p + 1;
		len = close - name;
		used = len + 2;
	} else {
		while (p + len < end && (isalnum((unsigned char)p[len]) || p[len] == '_'))
			len++;
		if (!len && p < end && (*p == '?' || *p == '#' || *p == '*' || *p == '@'))
			len = 1;
		if (!len) {
			sb_add(b, "$", 1);
			return 0;
		}
		used = len;
	}
	v = genv_get(e, name, len);
	add_value(b, v, split);
	return used;
}

/* The inside of "...": returns where the closing quote is (or end). */
static const char *expand_dquote(const struct genv *e, const char *p, const char *end,
				 struct sbuf *b)
{
	for (; p < end && *p != '"'; p++) {
		if (*p == '\\' && p + 1 < end && strchr("$\"\\\n", p[1]))
			sb_add(b, ++p, 1);
		else if (*p == '$')
			p += expand_var(e, p + 1, end, b, false);
		else
			sb_add(b, p, 1);
	}
	return p;
}

static int expand(const struct genv *e, const struct gtok *t, bool split, char **out)
{
	const char *p = t->raw, *end = t->raw + t->len;
	struct sbuf *b = calloc(1, sizeof(*b));
	int rc;

	*out = NULL;
	if (!b)
		return -ENOMEM;
	while (p < end) {
		if (*p == '\'') {
			const char *q = memchr(p + 1, '\'', end - p - 1);

			/* The lexer closed every quote, but a ${...} may have run over
			 * one: the rest of the word is then literal. */
			if (!q)
				q = end;
			sb_add(b, p + 1, q - p - 1);
			p = q < end ? q + 1 : end;
		} else if (*p == '"') {
			p = expand_dquote(e, p + 1, end, b);
			p = p < end ? p + 1 : end;
		} else if (*p == '\\') {
			if (p + 1 < end)
				sb_add(b, p + 1, 1);
			p = p + 2 < end ? p + 2 : end;
		} else if (*p == '$') {
			p += 1 + expand_var(e, p + 1, end, b, split);
		} else {
			sb_add(b, p++, 1);
		}
	}
	rc = b->over ? -E2BIG : 0;
	if (!rc && !(*out = strdup(b->buf)))
		rc = -ENOMEM;
	free(b);
	return rc;
}

int grub2_expand(const struct genv *e, const struct gtok *t, char **out)
{
	return expand(e, t, false, out);
}

int grub2_expand_fields(const struct genv *e, const struct gtok *t, char ***fields, unsigned int *n)
{
	bool quoted = memchr(t->raw, '\'', t->len) || memchr(t->raw, '"', t->len);
	char *word, **v;
	unsigned int max = 1;
	int rc = expand(e, t, true, &word);

	*fields = NULL;
	*n = 0;
	if (rc)
		return rc;
	for (char *c = word; *c; c++)
		max += *c == FIELD_SEP;
	v = calloc(max + 1, sizeof(*v));
	for (char *save, *f = v ? strtok_r(word, "\x1f", &save) : NULL; f;
	     f = strtok_r(NULL, "\x1f", &save))
		if (!(v[(*n)++] = strdup(f)))
			rc = -ENOMEM;
	/* A quoted empty word stays one empty argument; an unquoted one is no word. */
	if (v && !*n && quoted && !(v[(*n)++] = strdup("")))
		rc = -ENOMEM;
	free(word);
	if (!v || rc) {
		for (unsigned int i = 0; v && i < *n; i++)
			free(v[i]);
		free(v);
		*n = 0;
		return -ENOMEM;
	}
	*fields = v;
	return 0;
}
