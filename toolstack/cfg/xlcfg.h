/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The xl.cfg grammar as Xen's libxlu parses it (libxlu_cfg_l.l, libxlu_cfg_y.y):
 * `key = value` or `key += value` statements ended by a newline or `;`, values that
 * are atoms (a quoted string or a number, both kept as text as libxlu keeps them) or
 * lists `[ v, v, ]` that may nest and span lines, `#` comments to the end of a line.
 * A later assignment of a key replaces an earlier one; `+=` concatenates strings or
 * appends lists to the previous value of the key.
 */
#ifndef XENKVM_TOOLSTACK_CFG_XLCFG_H
#define XENKVM_TOOLSTACK_CFG_XLCFG_H

#include <stdbool.h>
#include <stddef.h>

enum cfg_vtype { CFG_ATOM, CFG_LIST };

struct cfg_value {
	enum cfg_vtype type;
	int line, col; /* where the value starts */
	bool quoted; /* atom: a quoted string (else a NUMBER token) */
	char *str; /* atom: the text, escapes resolved */
	struct cfg_value **items; /* list */
	size_t n;
};

struct cfg_setting {
	char *key;
	struct cfg_value *value;
	const char *source; /* the file (or "command line") it came from */
	int line, col; /* of the key */
	struct cfg_setting *next;
};

struct cfg_file {
	struct cfg_setting *head, *tail;
	char **sources; /* owned copies of every source name */
	size_t nsources;
};

/* An error names where (file, line, column: 1-based) and the key when one is known. */
struct cfg_error {
	char source[256];
	int line, col;
	char key[64];
	char msg[256];
};

void cfg_init(struct cfg_file *cf);
void cfg_free(struct cfg_file *cf);

/*
 * Parses text (len bytes, NULs refused) and adds its statements to cf. source names it
 * in errors. Returns 0, or -EINVAL with err filled, or -ENOMEM; on error cf keeps only
 * what earlier calls added.
 */
int cfg_parse(struct cfg_file *cf, const char *source, const char *text, size_t len,
	      struct cfg_error *err);
/* Reads and parses a file (at most 1 MiB, as a config file is small). */
int cfg_parse_file(struct cfg_file *cf, const char *path, struct cfg_error *err);

/* The effective setting of key (the last assignment), or NULL. */
const struct cfg_setting *cfg_find(const struct cfg_file *cf, const char *key);

/* "SOURCE:LINE:COL: key `K': MSG" (the key part only when known). */
void cfg_error_format(const struct cfg_error *err, char *buf, size_t size);
void cfg_error_set(struct cfg_error *err, const char *source, int line, int col, const char *key,
		   const char *fmt, ...) __attribute__((format(printf, 6, 7)));

void cfg_value_free(struct cfg_value *v);

#endif
