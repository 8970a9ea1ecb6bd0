/* SPDX-License-Identifier: GPL-2.0 */
/*
 * pygrub's answer to its caller, byte for byte as Xen 4.17's pygrub writes it:
 *   sxp      linux (kernel 'K')(ramdisk 'R')(args 'A')       no newline; quoted by Python's repr()
 *   simple   kernel K\nramdisk R\nargs A\n\n
 *   simple0  the same with NUL in place of every newline
 * The ramdisk and args parts are left out when there is none (or the args are empty).
 * libxl reads simple0 (libxl_bootloader.c); sxp is pygrub's default and xm's format.
 */
#ifndef XENKVM_TOOLSTACK_PYGRUB_PYFORMAT_H
#define XENKVM_TOOLSTACK_PYGRUB_PYFORMAT_H

#include <stddef.h>

enum py_format { PY_SXP, PY_SIMPLE, PY_SIMPLE0 };

/* "sxp", "simple", "simple0"; -1 for anything else. */
int py_format_parse(const char *name);

/*
 * The answer in a malloc()ed buffer (*len bytes; simple0 holds NULs). kernel and ramdisk
 * are paths, or NULL where pygrub prints Python's None (-n); ramdisk and args NULL or ""
 * when absent. -EINVAL when a simple format cannot carry a value holding its separator
 * (pygrub: "simple format cannot represent delimiter-containing value"); -ENOMEM.
 */
int py_format_answer(enum py_format f, const char *kernel, const char *ramdisk, const char *args,
		     char **out, size_t *len);

/* Python 3's repr() of a str holding this UTF-8 text, appended to a growing buffer. */
int py_repr_append(char **buf, size_t *len, const char *s);

#endif
