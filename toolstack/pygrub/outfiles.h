/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Where pygrub leaves the kernel and ramdisk for its caller: new files in the output
 * directory named as Python's tempfile.mkstemp() names them there (boot_kernel. or
 * boot_ramdisk. and eight characters of [a-z0-9_], mode 0600, created exclusively), the
 * directory made absolute and normalised as Python's os.path.abspath() does, since that
 * is the path pygrub prints.
 */
#ifndef XENKVM_TOOLSTACK_PYGRUB_OUTFILES_H
#define XENKVM_TOOLSTACK_PYGRUB_OUTFILES_H

#include <stddef.h>

/* pygrub's default output directory. */
#define PYGRUB_OUTPUT_DIR "/var/run/xen/pygrub"

/* A new file "<abspath(dir)>/<prefix><8 characters>": its fd (O_WRONLY) and malloc()ed path. */
int out_file_create(const char *dir, const char *prefix, char **path);
/* Writes all of data to fd and closes it; -errno. */
int out_file_fill(int fd, const void *data, size_t len);
/* Python's os.path.abspath(): absolute from the working directory, then normpath (., ..,
 * repeated slashes removed lexically). malloc()ed, NULL on failure. */
char *out_abspath(const char *path);

#endif
