/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The image read by a separate, unprivileged process, as pygrub's --runas reads it: the
 * caller opens the image read-only; a forked reader drops its privileges (the user asked
 * for, or nobody when the caller is root: setgroups, setresgid, setresuid,
 * no_new_privs, a seccomp filter that allows reading, writing and memory only), parses
 * the table, the filesystems and the menu, and sends back the menu through a pipe and
 * the chosen entry's kernel and initrd through two memfds. A hostile image can crash or
 * hang only the reader: the caller gets an error saying so, and checks everything the
 * reader sends (counts, lengths, indices) before use.
 */
#ifndef XENKVM_TOOLSTACK_IMAGE_READER_H
#define XENKVM_TOOLSTACK_IMAGE_READER_H

#include <stdbool.h>
#include <sys/types.h>

#include "toolstack/image/image.h"

struct img_reader_opts {
	const char *entry; /* menu_select()'s forms; NULL: the default */
	bool list_only; /* the menu only, no files read */
	const struct img_limits *lim; /* NULL: IMG_MAX_KERNEL, IMG_MAX_INITRD */
	bool set_uid; /* run the reader as uid (and gid = uid), else nobody when root */
	uid_t uid;
	unsigned int timeout_s; /* the reader is killed after this long (0: 60 s) */
};

/*
 * Fills b as img_open() and img_load_entry() would (menu, entry, kernel_part, kernel and
 * initrd; no open disk or filesystem), the work done in the reader. 0, or -errno with a
 * message (the reader's own, or why the reader failed: killed by a signal, timed out).
 */
int img_read_isolated(const char *image, const struct img_reader_opts *o, struct img_boot *b,
		      char *err, size_t errlen);

/* The reader's work, replaceable by tests (NULL: the real one). Runs in the reader after
 * the privileges are dropped, with the image open on fd; returns 0 or -errno. */
typedef int (*img_reader_work)(int fd, const char *image, const struct img_reader_opts *o,
			       struct img_boot *b, char *err, size_t errlen);
int img_read_isolated_with(const char *image, const struct img_reader_opts *o, img_reader_work work,
			   struct img_boot *b, char *err, size_t errlen);

/* Becomes uid (set_uid) or nobody (when root) for good, then no_new_privs and the seccomp
 * filter. Exposed for the reader's tests. */
int img_reader_confine(const struct img_reader_opts *o, char *err, size_t errlen);

/* The wire between reader and caller (reader_wire.c): the menu and the entry's metadata. */
int img_wire_encode(const struct img_boot *b, bool loaded, char **buf, size_t *len);
int img_wire_decode(const char *buf, size_t len, struct img_boot *b, bool *loaded, char *err,
		    size_t errlen);

#endif
