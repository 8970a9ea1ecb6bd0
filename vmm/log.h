/* SPDX-License-Identifier: GPL-2.0 */
/*
 * VMM log: errors, warnings and (with --verbose) information, to stderr or to the file
 * given with --log. The guest's console is not the log: see console.h.
 */
#ifndef XENKVM_VMM_LOG_H
#define XENKVM_VMM_LOG_H

#include <stdatomic.h>
#include <stdbool.h>

enum log_level { LOG_ERR, LOG_WARN, LOG_INFO, LOG_DEBUG };

int log_open(const char *path);
void log_set_level(enum log_level level);
bool log_enabled(enum log_level level);
void log_msg(enum log_level level, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#define log_err(...) log_msg(LOG_ERR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

/* Logs only the first time this call site is reached: a guest must not flood the log. */
#define log_once(level, ...)                                 \
	do {                                                 \
		static atomic_bool log_once_done_;           \
		if (!atomic_exchange(&log_once_done_, true)) \
			log_msg(level, __VA_ARGS__);         \
	} while (0)

#endif
