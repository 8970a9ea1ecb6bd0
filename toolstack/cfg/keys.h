/* SPDX-License-Identifier: GPL-2.0 */
/* The status of every xl.cfg key for xenkvm (keys.c has the table; docs/XL.md shows it). */
#ifndef XENKVM_TOOLSTACK_CFG_KEYS_H
#define XENKVM_TOOLSTACK_CFG_KEYS_H

#include <stdio.h>

#include "toolstack/cfg/xlcfg.h"

enum key_status {
	KEY_IMPLEMENTED, /* read into the typed config and acted on */
	KEY_PARSED, /* parsed and validated; not acted on yet (disk, vif: no backends yet) */
	KEY_IGNORED, /* accepted with a warning: no effect on a xenkvm PVH guest */
	KEY_REFUSED, /* an error: the guest would not get what the key asks for */
	KEY_UNKNOWN, /* not an xl.cfg key: a warning, as xl ignores it silently */
};

struct key_info {
	const char *name;
	enum key_status status;
	const char *why; /* for IGNORED and REFUSED */
};

/* The entry of key (status KEY_UNKNOWN with a NULL name when there is none). */
struct key_info keys_lookup(const char *key);
/* Errors for refused keys, warnings (one line each) for ignored and unknown ones. */
int keys_check(const struct cfg_file *cf, struct cfg_error *err, FILE *warn);

#endif
