/* SPDX-License-Identifier: GPL-2.0 */
/* Set-up errors: a message for the user in the caller's buffer, and an -errno code. */
#ifndef XENKVM_VMM_ERRMSG_H
#define XENKVM_VMM_ERRMSG_H

#include <stddef.h>

/* Formats the message into err[errlen] and returns `code`. */
int errmsg(char *err, size_t errlen, int code, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

#endif
