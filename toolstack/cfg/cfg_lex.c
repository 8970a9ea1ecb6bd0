// SPDX-License-Identifier: GPL-2.0
/*
 * xl.cfg tokenizer. The token classes are libxlu's: identifiers are lower case
 * (`[a-z][._0-9a-z]*`), numbers are `[0-9][0-9a-fx]*` kept as text (xl converts them
 * with strtol base 0 when a key wants a number), strings are single- or double-quoted
 * on one line with backslash escapes, `#` starts a comment to the end of the line.
 * Anything else is a lexical error: libxlu has no backslash line continuation (a
 * value spans lines only as a list) and no unquoted words; `+ - . ( ) :` mostly mean
 * the file was written for xm's Python parser, which we say.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/cfg/cfg_lex.h"

void cfg_lex_init(struct cfg_lexer *lx, const char *source, const char *text, size_t len)
{
	memset(lx, 0, sizeof(*lx));
	lx->src = lx->p = text;
	lx->end = text + len;
	lx->source = source;
	lx->line = lx->col = 1;
}

void cfg_lex_done(struct cfg_lexer *lx)
{
	free(lx->text);
	lx->text = NULL;
}

char *cfg_lex_take(struct cfg_lexer *lx)
{
	char *t = lx->text;

	lx->text = NULL;
	return t;
}

const char *cfg_tok_name(enum cfg_tok t)
{
	static const char *const names[] = {
		[TOK_EOF] = "end of file",
		[TOK_IDENT] = "a key name",
		[TOK_NUMBER] = "a number",
		[TOK_STRING] = "a string",
		[TOK_NEWLINE] = "end of line",
		[TOK_COMMA] = "`,'",
		[TOK_LBRACKET] = "`['",
		[TOK_RBRACKET] = "`]'",
		[TOK_ASSIGN] = "`='",
		[TOK_ADD] = "`+='",
		[TOK_SEMI] = "`;'",
		[TOK_ERROR] = "an invalid character",
	};
	return names[t];
}

static void advance(struct cfg_lexer *lx)
{
	if (*lx->p == '\n') {
		lx->line++;
		lx->col = 1;
	} else {
		lx->col++;
	}
	lx->p++;
}

static int lex_error(struct cfg_lexer *lx, const char *fmt, const char *arg)
{
	snprintf(lx->errmsg, sizeof(lx->errmsg), fmt, arg);
	lx->tok = TOK_ERROR;
	return 0;
}

/* One escape after a backslash; returns the byte or -1 (errmsg set). */
static int lex_escape(struct cfg_lexer *lx, char c)
{
	switch (c) {
	case '"':
	case '\'':
	case '\\':
		return c;
	case 'a':
		return '\a';
	case 'b':
		return '\b';
	case 'f':
		return '\f';
	case 'n':
		return '\n';
	case 'r':
		return '\r';
	case 't':
		return '\t';
	case 'v':
		return '\v';
	}
	/*
	 * libxlu's \x and octal escapes never yield a character (Xen 4.17's dequote
	 * rejects \xHH and drops octal ones), so a config cannot rely on them: refuse.
	 */
	if (c == 'x' || (c >= '0' && c <= '7'))
		lex_error(lx, "numeric escape `\\%s' in a string (libxlu rejects or drops these)",
			  (char[]){ c, 0 });
	else
		lex_error(lx, "invalid character `%s' after backslash in a quoted string",
			  (char[]){ c, 0 });
	return -1;
}

static int lex_string(struct cfg_lexer *lx)
{
	char quote = *lx->p;
	const char *start = lx->p + 1;
	char *out, *q;

	/* The output is never longer than the input. */
	out = malloc((size_t)(lx->end - start) + 1);
	if (!out)
		return -ENOMEM;
	q = out;
	advance(lx);
	for (;;) {
		if (lx->p == lx->end || *lx->p == '\n') {
			free(out);
			return lex_error(lx, "unterminated string (a string ends on its line)%s",
					 "");
		}
		if (*lx->p == quote)
			break;
		if (*lx->p == '\\') {
			int c;

			advance(lx);
			if (lx->p == lx->end || *lx->p == '\n') {
				free(out);
				return lex_error(lx,
						 "backslash at the end of a line: xl.cfg has no "
						 "line continuation inside strings%s",
						 "");
			}
			c = lex_escape(lx, *lx->p);
			if (c < 0) {
				free(out);
				return 0;
			}
			*q++ = (char)c;
		} else {
			*q++ = *lx->p;
		}
		advance(lx);
	}
	advance(lx);
	*q = 0;
	lx->text = out;
	lx->tok = TOK_STRING;
	return 0;
}

static int lex_word(struct cfg_lexer *lx, enum cfg_tok tok)
{
	const char *s = lx->p;

	while (lx->p < lx->end) {
		char c = *lx->p;
		bool ok = tok == TOK_IDENT ?
				  ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '_' ||
				   c == '.') :
				  ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f') || c == 'x');
		if (!ok)
			break;
		advance(lx);
	}
	lx->text = strndup(s, (size_t)(lx->p - s));
	if (!lx->text)
		return -ENOMEM;
	lx->tok = tok;
	return 0;
}

static int lex_other(struct cfg_lexer *lx, char c)
{
	if (c == '\\' && (lx->p + 1 == lx->end || lx->p[1] == '\n'))
		return lex_error(lx,
				 "backslash line continuation is not xl.cfg syntax "
				 "(a value spans lines only as a [ list ])%s",
				 "");
	if (c == '\r')
		return lex_error(lx, "carriage return (DOS line ending)%s", "");
	if (c >= 'A' && c <= 'Z')
		return lex_error(lx,
				 "upper-case character `%s' (keys are lower case; "
				 "quote string values)",
				 (char[]){ c, 0 });
	if (strchr("+-.():", c))
		return lex_error(lx,
				 "unexpected `%s' (xl.cfg is not Python: quote strings; "
				 "arbitrary Python is not supported)",
				 (char[]){ c, 0 });
	if (c >= 0x20 && c < 0x7f)
		return lex_error(lx, "unexpected character `%s' (quote string values)",
				 (char[]){ c, 0 });
	snprintf(lx->errmsg, sizeof(lx->errmsg), "unexpected byte 0x%02x",
		 (unsigned)(unsigned char)c);
	lx->tok = TOK_ERROR;
	return 0;
}

int cfg_lex_next(struct cfg_lexer *lx)
{
	char c;

	free(lx->text);
	lx->text = NULL;
	while (lx->p < lx->end && (*lx->p == ' ' || *lx->p == '\t'))
		advance(lx);
	lx->tline = lx->line;
	lx->tcol = lx->col;
	if (lx->p == lx->end) {
		lx->tok = TOK_EOF;
		return 0;
	}
	c = *lx->p;
	if (c == '#') {
		/* A comment runs to the end of its line (or of the file). */
		while (lx->p < lx->end && *lx->p != '\n')
			advance(lx);
		if (lx->p < lx->end)
			advance(lx);
		lx->tok = TOK_NEWLINE;
		return 0;
	}
	if ((c >= 'a' && c <= 'z'))
		return lex_word(lx, TOK_IDENT);
	if (c >= '0' && c <= '9')
		return lex_word(lx, TOK_NUMBER);
	if (c == '\'' || c == '"')
		return lex_string(lx);
	if (c == '+' && lx->p + 1 < lx->end && lx->p[1] == '=') {
		advance(lx);
		advance(lx);
		lx->tok = TOK_ADD;
		return 0;
	}
	switch (c) {
	case '\n':
		lx->tok = TOK_NEWLINE;
		break;
	case ',':
		lx->tok = TOK_COMMA;
		break;
	case '[':
		lx->tok = TOK_LBRACKET;
		break;
	case ']':
		lx->tok = TOK_RBRACKET;
		break;
	case '=':
		lx->tok = TOK_ASSIGN;
		break;
	case ';':
		lx->tok = TOK_SEMI;
		break;
	default:
		return lex_other(lx, c);
	}
	advance(lx);
	return 0;
}
