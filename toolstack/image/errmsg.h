/* SPDX-License-Identifier: GPL-2.0 */
/* Errors of the image library: a message in the caller's buffer and an -errno code. */
#ifndef XENKVM_TOOLSTACK_IMAGE_ERRMSG_H
#define XENKVM_TOOLSTACK_IMAGE_ERRMSG_H

#include <stddef.h>

/* Formats the message into err[errlen] and returns `code`. */
int img_err(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
