/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GRUB 2's script language, as much of it as distributions' grub.cfg files use: words
 * with '...' and "..." quoting and backslash escapes, $var and ${var} expansion, commands
 * separated by newlines or ';', `{ }` blocks for menuentry, submenu and function, and
 * if/elif/else/fi. The lexer and parser build a tree (grub2_script.c); the interpreter
 * that turns it into a menu is grub2.c.
 */
#ifndef XENKVM_TOOLSTACK_IMAGE_GRUB2_SCRIPT_H
#define XENKVM_TOOLSTACK_IMAGE_GRUB2_SCRIPT_H

#include <stddef.h>

#define GRUB_MAX_DEPTH 32 /* nesting of blocks, against a stack-eating menu */
#define GRUB_MAX_TOKENS (1u << 18)

enum gtok_type { GT_WORD, GT_SEP, GT_LBRACE, GT_RBRACE, GT_EOF };

struct gtok {
	enum gtok_type type;
	const char *raw; /* the word as written, quotes included */
	size_t len;
	int line;
};

enum gnode_kind { GN_CMD, GN_IF, GN_MENUENTRY, GN_SUBMENU, GN_SKIP };

struct gnode;
struct glist {
	struct gnode **v;
	unsigned int n;
};

struct gnode {
	enum gnode_kind kind;
	int line;
	const struct gtok *words; /* the command, or the menuentry/submenu line before `{` */
	unsigned int nw;
	struct glist cond, body, els; /* if: cond then body else els; menus: body */
};

struct gscript {
	struct gtok *toks;
	unsigned int nr_toks;
	struct gnode **nodes; /* every node, for freeing */
	unsigned int nr_nodes;
	struct glist top;
};

/* Lexes and parses text; errors name the line. */
int grub2_script_parse(const char *text, size_t len, struct gscript *s, char *err, size_t errlen);
void grub2_script_free(struct gscript *s);

/* Whether a token is the unquoted word w. */
int gtok_is(const struct gtok *t, const char *w);

#endif
