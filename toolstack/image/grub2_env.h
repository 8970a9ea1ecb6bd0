/* SPDX-License-Identifier: GPL-2.0 */
/*
 * GRUB 2's variables and word expansion: a small environment of name=value strings, and a
 * script word with its quotes removed and $name / ${name} substituted as GRUB's shell does
 * ('...' literal; "..." expanding, with \$ \" \\ escapes; a bare backslash escaping the
 * next character). Errors are -ENOMEM, or -E2BIG past the limits below.
 */
#ifndef XENKVM_TOOLSTACK_IMAGE_GRUB2_ENV_H
#define XENKVM_TOOLSTACK_IMAGE_GRUB2_ENV_H

#include <stdbool.h>
#include <stddef.h>

#include "toolstack/image/grub2_script.h"

#define GRUB_MAX_VARS 128
#define GRUB_MAX_WORD 4096 /* bytes of one expanded word */

struct genv {
	unsigned int n;
	char *name[GRUB_MAX_VARS], *val[GRUB_MAX_VARS];
};

/* The value of the name of len bytes, "" when unset. */
const char *genv_get(const struct genv *e, const char *name, size_t len);
int genv_set(struct genv *e, const char *name, const char *val);
/* "name=value" sets it; anything else (no '=', a bad name) changes nothing. */
int genv_assign(struct genv *e, const char *arg);
int genv_copy(struct genv *to, const struct genv *from);
void genv_free(struct genv *e);
bool genv_valid_name(const char *s, size_t len);

/* The expanded word into a malloc()ed string. */
int grub2_expand(const struct genv *e, const struct gtok *t, char **out);
/* The words a command word becomes: an unquoted $var's value split at blanks into fields
 * (a word that expands to nothing unquoted is no word), as GRUB's shell does for a
 * command's arguments. A malloc()ed array of n malloc()ed strings. */
int grub2_expand_fields(const struct genv *e, const struct gtok *t, char ***fields,
			unsigned int *n);

#endif
