/* SPDX-License-Identifier: GPL-2.0 */
/* Errors of the kernel-image library: a message in the caller's buffer and an -errno code. */
#ifndef XENKVM_KIMAGE_ERR_H
#define XENKVM_KIMAGE_ERR_H

#include <stddef.h>

/* Formats the message into err[errlen] and returns `code`. */
int kimage_err(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
