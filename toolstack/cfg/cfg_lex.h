/* SPDX-License-Identifier: GPL-2.0 */
/* The xl.cfg tokens, as libxlu_cfg_l.l defines them (internal to toolstack/cfg). */
#ifndef XENKVM_TOOLSTACK_CFG_LEX_H
#define XENKVM_TOOLSTACK_CFG_LEX_H

#include <stddef.h>

#include "toolstack/cfg/xlcfg.h"

enum cfg_tok {
	TOK_EOF,
	TOK_IDENT, /* [a-z][._0-9a-z]* */
	TOK_NUMBER, /* [0-9][0-9a-fx]* */
	TOK_STRING, /* '...' or "..." on one line, escapes resolved */
	TOK_NEWLINE, /* \n, or a # comment with its \n */
	TOK_COMMA,
	TOK_LBRACKET,
	TOK_RBRACKET,
	TOK_ASSIGN,
	TOK_ADD, /* += */
	TOK_SEMI,
	TOK_ERROR,
};

struct cfg_lexer {
	const char *src, *end, *p;
	const char *source;
	int line, col; /* of p */
	/* the current token */
	enum cfg_tok tok;
	int tline, tcol;
	char *text; /* IDENT, NUMBER, STRING: owned until taken */
	char errmsg[160];
};

void cfg_lex_init(struct cfg_lexer *lx, const char *source, const char *text, size_t len);
/* Advances to the next token; TOK_ERROR leaves the reason in errmsg. -ENOMEM on OOM. */
int cfg_lex_next(struct cfg_lexer *lx);
/* Hands the token's text to the caller. */
char *cfg_lex_take(struct cfg_lexer *lx);
void cfg_lex_done(struct cfg_lexer *lx);
const char *cfg_tok_name(enum cfg_tok t);

#endif
