// SPDX-License-Identifier: GPL-2.0
/*
 * Lexer and parser of GRUB 2 scripts (grub-core/script's grammar, reduced to what
 * grub-mkconfig and distributions write). Keywords count only at the start of a command;
 * `{` and `}` only as words of their own. Unsupported loops (for, while, until) are parsed
 * and skipped as a whole.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/image/errmsg.h"
#include "toolstack/image/grub2_script.h"

struct lexer {
	const char *p, *end;
	int line;
	struct gscript *s;
	char *err;
	size_t errlen;
};

int gtok_is(const struct gtok *t, const char *w)
{
	return t->type == GT_WORD && t->len == strlen(w) && !memcmp(t->raw, w, t->len);
}

static int push_tok(struct lexer *lx, enum gtok_type type, const char *raw, size_t len)
{
	struct gscript *s = lx->s;

	if (s->nr_toks == GRUB_MAX_TOKENS)
		return img_err(lx->err, lx->errlen, -E2BIG, "line %d: more than %u words", lx->line,
			       GRUB_MAX_TOKENS);
	if ((s->nr_toks & (s->nr_toks + 1)) == 0 || !s->toks) {
		struct gtok *n = realloc(s->toks, sizeof(*n) * (2 * s->nr_toks + 2));

		if (!n)
			return img_err(lx->err, lx->errlen, -ENOMEM, "out of memory");
		s->toks = n;
	}
	s->toks[s->nr_toks++] = (struct gtok){ type, raw, len, lx->line };
	return 0;
}

/* One word starting at lx->p: quotes and escapes keep it together. */
static int lex_word(struct lexer *lx)
{
	const char *start = lx->p;
	int line = lx->line;

	while (lx->p < lx->end) {
		char c = *lx->p;

		if (c == ' ' || c == '\t' || c == '\n' || c == ';' || c == '\r')
			break;
		if (c == '\\') {
			lx->p += lx->p + 1 < lx->end ? 2 : 1;
			continue;
		}
		if (c == '\'' || c == '"') {
			const char *q = lx->p + 1;

			while (q < lx->end && *q != c) {
				if (c == '"' && *q == '\\' && q + 1 < lx->end)
					q++;
				if (*q == '\n')
					lx->line++;
				q++;
			}
			if (q >= lx->end)
				return img_err(lx->err, lx->errlen, -EINVAL,
					       "line %d: unterminated %c quote", line, c);
			lx->p = q + 1;
			continue;
		}
		lx->p++;
	}
	if (lx->p - start == 1 && (*start == '{' || *start == '}'))
		return push_tok(lx, *start == '{' ? GT_LBRACE : GT_RBRACE, start, 1);
	return push_tok(lx, GT_WORD, start, lx->p - start);
}

static int lex(struct lexer *lx)
{
	int rc;

	while (lx->p < lx->end) {
		char c = *lx->p;

		if (c == ' ' || c == '\t' || c == '\r') {
			lx->p++;
		} else if (c == '\\' && lx->p + 1 < lx->end && lx->p[1] == '\n') {
			lx->p += 2; /* line continuation */
			lx->line++;
		} else if (c == '\n' || c == ';') {
			rc = push_tok(lx, GT_SEP, lx->p, 1);
			if (rc)
				return rc;
			if (c == '\n')
				lx->line++;
			lx->p++;
		} else if (c == '#') {
			while (lx->p < lx->end && *lx->p != '\n')
				lx->p++;
		} else {
			rc = lex_word(lx);
			if (rc)
				return rc;
		}
	}
	return push_tok(lx, GT_EOF, lx->end, 0);
}

struct parser {
	struct gscript *s;
	unsigned int pos;
	int depth;
	char *err;
	size_t errlen;
};

static const struct gtok *cur(struct parser *p)
{
	return &p->s->toks[p->pos];
}

static int new_node(struct parser *p, enum gnode_kind kind, struct gnode **out)
{
	struct gscript *s = p->s;
	struct gnode *n, **v;

	n = calloc(1, sizeof(*n));
	v = realloc(s->nodes, sizeof(*v) * (s->nr_nodes + 1));
	if (!n || !v) {
		free(n);
		if (v)
			s->nodes = v;
		return img_err(p->err, p->errlen, -ENOMEM, "out of memory");
	}
	s->nodes = v;
	s->nodes[s->nr_nodes++] = n;
	n->kind = kind;
	n->line = cur(p)->line;
	*out = n;
	return 0;
}

static int list_add(struct parser *p, struct glist *l, struct gnode *n)
{
	struct gnode **v = realloc(l->v, sizeof(*v) * (l->n + 1));

	if (!v)
		return img_err(p->err, p->errlen, -ENOMEM, "out of memory");
	l->v = v;
	l->v[l->n++] = n;
	return 0;
}

static int parse_list(struct parser *p, const char *const *stop, struct glist *l);

/* The words of a command, up to a separator, a brace or the end. */
static void take_words(struct parser *p, struct gnode *n)
{
	n->words = cur(p);
	while (cur(p)->type == GT_WORD) {
		n->nw++;
		p->pos++;
	}
}

static int expect(struct parser *p, const char *kw)
{
	const struct gtok *t = cur(p);

	if (kw ? !gtok_is(t, kw) : t->type != GT_RBRACE)
		return img_err(p->err, p->errlen, -EINVAL, "line %d: expected \"%s\"", t->line,
			       kw ? kw : "}");
	p->pos++;
	return 0;
}

static int parse_if(struct parser *p, struct gnode *n)
{
	static const char *const to_then[] = { "then", NULL };
	static const char *const to_else[] = { "elif", "else", "fi", NULL };
	static const char *const to_fi[] = { "fi", NULL };
	int rc;

	p->pos++; /* "if" or "elif" */
	rc = parse_list(p, to_then, &n->cond);
	if (!rc)
		rc = expect(p, "then");
	if (!rc)
		rc = parse_list(p, to_else, &n->body);
	if (rc)
		return rc;
	if (gtok_is(cur(p), "elif")) {
		struct gnode *e = NULL;

		rc = new_node(p, GN_IF, &e);
		if (!rc)
			rc = list_add(p, &n->els, e);
		return rc ? rc : parse_if(p, e); /* consumes the shared "fi" */
	}
	if (gtok_is(cur(p), "else")) {
		p->pos++;
		rc = parse_list(p, to_fi, &n->els);
		if (rc)
			return rc;
	}
	return expect(p, "fi");
}

/* menuentry/submenu/function: the line's words, then a { block }. */
static int parse_block(struct parser *p, struct gnode *n)
{
	static const char *const none[] = { NULL };
	int rc;

	take_words(p, n);
	if (cur(p)->type != GT_LBRACE)
		return img_err(p->err, p->errlen, -EINVAL, "line %d: %.*s without a { block",
			       n->line, (int)n->words[0].len, n->words[0].raw);
	p->pos++;
	rc = parse_list(p, none, &n->body);
	return rc ? rc : expect(p, NULL);
}

static int parse_loop(struct parser *p, struct gnode *n)
{
	static const char *const to_do[] = { "do", NULL };
	static const char *const to_done[] = { "done", NULL };
	struct glist ignored = { 0 };
	int rc;

	take_words(p, n);
	rc = parse_list(p, to_do, &ignored);
	if (!rc)
		rc = expect(p, "do");
	if (!rc)
		rc = parse_list(p, to_done, &n->body);
	free(ignored.v);
	return rc ? rc : expect(p, "done");
}

static bool is_stop(const struct gtok *t, const char *const *stop)
{
	for (; *stop; stop++)
		if (gtok_is(t, *stop))
			return true;
	return false;
}

static int parse_command(struct parser *p, struct gnode **out)
{
	const struct gtok *t = cur(p);
	struct gnode *n = NULL;
	int rc;

	if (gtok_is(t, "if")) {
		rc = new_node(p, GN_IF, &n);
		rc = rc ? rc : parse_if(p, n);
	} else if (gtok_is(t, "menuentry") || gtok_is(t, "submenu") || gtok_is(t, "function")) {
		rc = new_node(p,
			      gtok_is(t, "menuentry") ? GN_MENUENTRY :
			      gtok_is(t, "submenu")   ? GN_SUBMENU :
							GN_SKIP,
			      &n);
		rc = rc ? rc : parse_block(p, n);
	} else if (gtok_is(t, "for") || gtok_is(t, "while") || gtok_is(t, "until")) {
		rc = new_node(p, GN_SKIP, &n);
		rc = rc ? rc : parse_loop(p, n);
	} else if (t->type == GT_LBRACE) {
		return img_err(p->err, p->errlen, -EINVAL, "line %d: unexpected {", t->line);
	} else {
		rc = new_node(p, GN_CMD, &n);
		if (!rc)
			take_words(p, n);
	}
	*out = n;
	return rc;
}

static int parse_list(struct parser *p, const char *const *stop, struct glist *l)
{
	int rc = 0;

	if (++p->depth > GRUB_MAX_DEPTH)
		return img_err(p->err, p->errlen, -EINVAL, "line %d: blocks nested deeper than %d",
			       cur(p)->line, GRUB_MAX_DEPTH);
	for (;;) {
		const struct gtok *t = cur(p);
		struct gnode *n = NULL;

		if (t->type == GT_SEP) {
			p->pos++;
			continue;
		}
		if (t->type == GT_EOF || t->type == GT_RBRACE || is_stop(t, stop))
			break;
		rc = parse_command(p, &n);
		if (!rc)
			rc = list_add(p, l, n);
		if (rc)
			break;
	}
	p->depth--;
	return rc;
}

int grub2_script_parse(const char *text, size_t len, struct gscript *s, char *err, size_t errlen)
{
	static const char *const none[] = { NULL };
	struct lexer lx = { text, text + len, 1, s, err, errlen };
	struct parser p = { s, 0, 0, err, errlen };
	int rc;

	memset(s, 0, sizeof(*s));
	rc = lex(&lx);
	if (!rc)
		rc = parse_list(&p, none, &s->top);
	if (!rc && cur(&p)->type != GT_EOF) {
		const struct gtok *t = cur(&p);

		rc = img_err(err, errlen, -EINVAL, "line %d: unexpected %.*s", t->line,
			     t->type == GT_RBRACE ? 1 : (int)t->len,
			     t->type == GT_RBRACE ? "}" : t->raw);
	}
	if (rc)
		grub2_script_free(s);
	return rc;
}

void grub2_script_free(struct gscript *s)
{
	for (unsigned int i = 0; i < s->nr_nodes; i++) {
		free(s->nodes[i]->cond.v);
		free(s->nodes[i]->body.v);
		free(s->nodes[i]->els.v);
		free(s->nodes[i]);
	}
	free(s->nodes);
	free(s->toks);
	free(s->top.v);
	memset(s, 0, sizeof(*s));
}
