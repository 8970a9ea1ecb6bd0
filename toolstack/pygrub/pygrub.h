/* SPDX-License-Identifier: GPL-2.0 */
/* What main.c hands the run: where the answer and the files go. */
#ifndef XENKVM_TOOLSTACK_PYGRUB_PYGRUB_H
#define XENKVM_TOOLSTACK_PYGRUB_PYGRUB_H

#include <sys/types.h>

#include "toolstack/pygrub/opts.h"

struct pygrub_out {
	int answer_fd; /* stdout or --output */
	int kernel_fd, ramdisk_fd; /* -1 with -l and -n */
	char *kernel_path, *ramdisk_path;
};

/* Reads the image, lists or chooses, copies the files, writes the answer; exit status. */
int pygrub_run(const struct pygrub_opts *o, struct pygrub_out *out);
/* Becomes user and group uid for good (no_new_privs, pygrub's resource limits). */
int pygrub_drop_privileges(uid_t uid);

#endif
