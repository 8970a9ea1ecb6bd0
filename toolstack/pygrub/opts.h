/* SPDX-License-Identifier: GPL-2.0 */
/* pygrub's command line (Xen 4.17's options that make sense without a terminal). */
#ifndef XENKVM_TOOLSTACK_PYGRUB_OPTS_H
#define XENKVM_TOOLSTACK_PYGRUB_OPTS_H

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

#include "toolstack/pygrub/pyformat.h"

struct pygrub_opts {
	const char *image;
	bool list, not_really, quiet;
	const char *entry; /* --entry: a number or a title; NULL: the default */
	const char *kernel, *ramdisk; /* --kernel/--ramdisk: files named, no menu read */
	const char *args; /* --args: appended to the entry's arguments */
	const char *output; /* --output: an existing file; NULL: stdout */
	const char *output_dir;
	enum py_format format;
	bool has_offset;
	uint64_t offset;
	uid_t runas; /* 0: stay as we are (as pygrub, for which uid 0 means none) */
};

/* Parses argv; returns -1 to go on, else the exit status (after --help or an error). */
int pygrub_parse_opts(int argc, char **argv, struct pygrub_opts *o);

#endif
