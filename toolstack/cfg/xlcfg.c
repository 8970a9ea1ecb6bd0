// SPDX-License-Identifier: GPL-2.0
/*
 * xl.cfg parser: libxlu_cfg_y.y's grammar by recursive descent.
 *
 *   file       := { stmt } [ assignment ]       (the last statement may lack its end)
 *   stmt       := assignment end | end
 *   assignment := IDENT ("=" | "+=") value
 *   end        := NEWLINE | ";"
 *   value      := STRING | NUMBER | "[" nl* [ value nl* { "," nl* value nl* } [ "," nl* ] ] "]"
 *
 * Unlike libxlu, which reports an error and resumes at the next line, we stop at the
 * first error: xl refuses the whole file either way.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toolstack/cfg/cfg_lex.h"
#include "toolstack/cfg/xlcfg.h"

#define CFG_MAX_FILE (1u << 20)
#define CFG_MAX_DEPTH 64 /* list nesting: bounded so that hostile input cannot blow the stack */

struct parser {
	struct cfg_lexer lx;
	struct cfg_error *err;
	const char *key; /* the key being assigned, for errors */
	int depth;
};

void cfg_init(struct cfg_file *cf)
{
	memset(cf, 0, sizeof(*cf));
}

void cfg_value_free(struct cfg_value *v)
{
	if (!v)
		return;
	free(v->str);
	for (size_t i = 0; i < v->n; i++)
		cfg_value_free(v->items[i]);
	free(v->items);
	free(v);
}

static void setting_free(struct cfg_setting *s)
{
	free(s->key);
	cfg_value_free(s->value);
	free(s);
}

void cfg_free(struct cfg_file *cf)
{
	struct cfg_setting *s = cf->head, *next;

	for (; s; s = next) {
		next = s->next;
		setting_free(s);
	}
	for (size_t i = 0; i < cf->nsources; i++)
		free(cf->sources[i]);
	free(cf->sources);
	cfg_init(cf);
}

void cfg_error_set(struct cfg_error *err, const char *source, int line, int col, const char *key,
		   const char *fmt, ...)
{
	va_list ap;

	if (!err)
		return;
	snprintf(err->source, sizeof(err->source), "%s", source ? source : "");
	err->line = line;
	err->col = col;
	snprintf(err->key, sizeof(err->key), "%s", key ? key : "");
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
}

void cfg_error_format(const struct cfg_error *err, char *buf, size_t size)
{
	char where[300];

	if (err->line > 0)
		snprintf(where, sizeof(where), "%s:%d:%d: ", err->source, err->line, err->col);
	else
		snprintf(where, sizeof(where), "%s: ", err->source);
	if (err->key[0])
		snprintf(buf, size, "%skey `%s': %s", where, err->key, err->msg);
	else
		snprintf(buf, size, "%s%s", where, err->msg);
}

const struct cfg_setting *cfg_find(const struct cfg_file *cf, const char *key)
{
	const struct cfg_setting *found = NULL;

	for (const struct cfg_setting *s = cf->head; s; s = s->next)
		if (!strcmp(s->key, key))
			found = s;
	return found;
}

static int perr(struct parser *ps, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static int perr(struct parser *ps, const char *fmt, ...)
{
	va_list ap;
	char msg[256];

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_error_set(ps->err, ps->lx.source, ps->lx.tline, ps->lx.tcol, ps->key, "%s", msg);
	return -EINVAL;
}

static int next(struct parser *ps)
{
	int rc = cfg_lex_next(&ps->lx);

	if (rc)
		return rc;
	if (ps->lx.tok == TOK_ERROR)
		return perr(ps, "%s", ps->lx.errmsg);
	return 0;
}

static int skip_newlines(struct parser *ps)
{
	int rc = 0;

	while (!rc && ps->lx.tok == TOK_NEWLINE)
		rc = next(ps);
	return rc;
}

static int unexpected(struct parser *ps, const char *wanted)
{
	return perr(ps, "syntax error: expected %s, found %s", wanted, cfg_tok_name(ps->lx.tok));
}

static int parse_value(struct parser *ps, struct cfg_value **out);

static int list_append(struct cfg_value *list, struct cfg_value *v)
{
	struct cfg_value **items = realloc(list->items, (list->n + 1) * sizeof(*items));

	if (!items)
		return -ENOMEM;
	list->items = items;
	list->items[list->n++] = v;
	return 0;
}

/* After "[": values separated by commas, a trailing comma allowed, newlines anywhere. */
static int parse_list_body(struct parser *ps, struct cfg_value *list)
{
	int rc;

	for (;;) {
		struct cfg_value *item = NULL;

		rc = skip_newlines(ps);
		if (rc)
			return rc;
		if (ps->lx.tok == TOK_RBRACKET)
			return next(ps);
		rc = parse_value(ps, &item);
		if (rc)
			return rc;
		rc = list_append(list, item);
		if (rc) {
			cfg_value_free(item);
			return rc;
		}
		rc = skip_newlines(ps);
		if (rc)
			return rc;
		if (ps->lx.tok == TOK_RBRACKET)
			return next(ps);
		if (ps->lx.tok != TOK_COMMA)
			return unexpected(ps, "`,' or `]' in a list");
		rc = next(ps);
		if (rc)
			return rc;
		rc = skip_newlines(ps);
		if (rc)
			return rc;
		if (ps->lx.tok == TOK_COMMA)
			return unexpected(ps, "a value after `,'");
	}
}

static int parse_value(struct parser *ps, struct cfg_value **out)
{
	struct cfg_value *v = calloc(1, sizeof(*v));
	int rc;

	if (!v)
		return -ENOMEM;
	v->line = ps->lx.tline;
	v->col = ps->lx.tcol;
	switch (ps->lx.tok) {
	case TOK_STRING:
	case TOK_NUMBER:
		v->type = CFG_ATOM;
		v->quoted = ps->lx.tok == TOK_STRING;
		v->str = cfg_lex_take(&ps->lx);
		rc = next(ps);
		break;
	case TOK_LBRACKET:
		v->type = CFG_LIST;
		if (++ps->depth > CFG_MAX_DEPTH) {
			rc = perr(ps, "lists nested deeper than %d", CFG_MAX_DEPTH);
			break;
		}
		rc = next(ps);
		if (!rc)
			rc = parse_list_body(ps, v);
		ps->depth--;
		break;
	default:
		rc = unexpected(ps, "a value (a quoted string, a number or a [ list ])");
	}
	if (rc) {
		cfg_value_free(v);
		return rc;
	}
	*out = v;
	return 0;
}

/* `+=`: the previous value of the key, strings concatenated, lists appended. */
static int combine(struct parser *ps, const struct cfg_file *cf, const char *key,
		   struct cfg_value *v)
{
	const struct cfg_setting *prev = cfg_find(cf, key);
	const struct cfg_value *pv;

	if (!prev)
		return 0;
	pv = prev->value;
	if (pv->type != v->type) {
		cfg_error_set(ps->err, ps->lx.source, v->line, v->col, key,
			      "can't add [list] to \"string\" or vice versa with +=");
		return -EINVAL;
	}
	if (v->type == CFG_ATOM) {
		char *s;

		if (asprintf(&s, "%s%s", pv->str, v->str) < 0)
			return -ENOMEM;
		free(v->str);
		v->str = s;
		return 0;
	}
	/* Deep-copying would be cleaner; the earlier setting is shadowed, so share
	 * nothing: move its items over (libxlu does the same). */
	struct cfg_value **items = malloc((pv->n + v->n + 1) * sizeof(*items));

	if (!items)
		return -ENOMEM;
	memcpy(items, pv->items, pv->n * sizeof(*items));
	if (v->n)
		memcpy(items + pv->n, v->items, v->n * sizeof(*items));
	free(v->items);
	v->items = items;
	v->n += pv->n;
	((struct cfg_value *)pv)->n = 0;
	return 0;
}

static int add_setting(struct cfg_file *cf, const char *source, char *key, int line, int col,
		       struct cfg_value *v)
{
	struct cfg_setting *s = calloc(1, sizeof(*s));

	if (!s)
		return -ENOMEM;
	s->key = key;
	s->value = v;
	s->source = source;
	s->line = line;
	s->col = col;
	if (cf->tail)
		cf->tail->next = s;
	else
		cf->head = s;
	cf->tail = s;
	return 0;
}

static int parse_assignment(struct parser *ps, struct cfg_file *cf, const char *source)
{
	char *key = cfg_lex_take(&ps->lx);
	int line = ps->lx.tline, col = ps->lx.tcol, rc;
	struct cfg_value *v = NULL;
	bool add;

	if (!key)
		return -ENOMEM;
	ps->key = key;
	rc = next(ps);
	if (rc)
		goto fail;
	if (ps->lx.tok != TOK_ASSIGN && ps->lx.tok != TOK_ADD) {
		rc = unexpected(ps, "`=' or `+=' after the key");
		goto fail;
	}
	add = ps->lx.tok == TOK_ADD;
	rc = next(ps);
	if (!rc)
		rc = parse_value(ps, &v);
	if (!rc && add)
		rc = combine(ps, cf, key, v);
	if (!rc && ps->lx.tok != TOK_NEWLINE && ps->lx.tok != TOK_SEMI && ps->lx.tok != TOK_EOF)
		rc = unexpected(ps, "end of line or `;' after the value");
	if (!rc)
		rc = add_setting(cf, source, key, line, col, v);
	if (!rc) {
		ps->key = NULL;
		return 0;
	}
fail:
	cfg_value_free(v);
	ps->key = NULL;
	free(key);
	return rc;
}

static char *own_source(struct cfg_file *cf, const char *source)
{
	char **s = realloc(cf->sources, (cf->nsources + 1) * sizeof(*s));

	if (!s)
		return NULL;
	cf->sources = s;
	s[cf->nsources] = strdup(source);
	return s[cf->nsources] ? s[cf->nsources++] : NULL;
}

/* Drops the settings added after `keep` (an error undoes the whole parse call). */
static void truncate_after(struct cfg_file *cf, struct cfg_setting *keep)
{
	struct cfg_setting *s = keep ? keep->next : cf->head, *nx;

	for (; s; s = nx) {
		nx = s->next;
		setting_free(s);
	}
	if (keep)
		keep->next = NULL;
	else
		cf->head = NULL;
	cf->tail = keep;
}

int cfg_parse(struct cfg_file *cf, const char *source, const char *text, size_t len,
	      struct cfg_error *err)
{
	struct parser ps = { .err = err };
	struct cfg_setting *keep = cf->tail;
	const char *src;
	int rc;

	if (memchr(text, 0, len)) {
		size_t off = (size_t)((const char *)memchr(text, 0, len) - text);
		int line = 1;

		for (size_t i = 0; i < off; i++)
			line += text[i] == '\n';
		cfg_error_set(err, source, line, 0, NULL, "NUL byte in the file");
		return -EINVAL;
	}
	src = own_source(cf, source);
	if (!src)
		return -ENOMEM;
	cfg_lex_init(&ps.lx, src, text, len);
	rc = next(&ps);
	while (!rc && ps.lx.tok != TOK_EOF) {
		if (ps.lx.tok == TOK_NEWLINE || ps.lx.tok == TOK_SEMI)
			rc = next(&ps);
		else if (ps.lx.tok == TOK_IDENT)
			rc = parse_assignment(&ps, cf, src);
		else
			rc = unexpected(&ps, "a key name at the start of a statement");
	}
	cfg_lex_done(&ps.lx);
	if (rc)
		truncate_after(cf, keep);
	if (rc == -ENOMEM)
		cfg_error_set(err, source, 0, 0, NULL, "out of memory");
	return rc;
}

int cfg_parse_file(struct cfg_file *cf, const char *path, struct cfg_error *err)
{
	char *buf = NULL;
	size_t len = 0;
	int fd, rc;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		rc = -errno;
		cfg_error_set(err, path, 0, 0, NULL, "cannot open: %s", strerror(-rc));
		return rc;
	}
	buf = malloc(CFG_MAX_FILE + 1);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	for (;;) {
		ssize_t n = read(fd, buf + len, CFG_MAX_FILE + 1 - len);

		if (n < 0) {
			rc = -errno;
			cfg_error_set(err, path, 0, 0, NULL, "read: %s", strerror(-rc));
			goto out;
		}
		if (n == 0)
			break;
		len += (size_t)n;
		if (len > CFG_MAX_FILE) {
			rc = -EFBIG;
			cfg_error_set(err, path, 0, 0, NULL, "larger than %u bytes", CFG_MAX_FILE);
			goto out;
		}
	}
	rc = cfg_parse(cf, path, buf, len, err);
out:
	free(buf);
	close(fd);
	return rc;
}
