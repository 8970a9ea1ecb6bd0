// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <time.h>

#include "vmm/log.h"
#include "vmm/output_budget.h"

/*
 * A guest can make the VMM log (a warning per bad request): lines below debug level go
 * through a budget of LOG_RATE a second after a burst of LOG_BURST; what is dropped is
 * counted and said with the next line that gets through, at most every 10 s.
 */
#define LOG_RATE 20
#define LOG_BURST 200
#define LOG_REPORT_NS (10 * 1000000000ULL)

static FILE *log_file;
static enum log_level log_level = LOG_WARN;
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;
static struct output_budget log_budget;
static bool log_budget_ready;

static const char *const level_names[] = {
	[LOG_ERR] = "error",
	[LOG_WARN] = "warning",
	[LOG_INFO] = "info",
	[LOG_DEBUG] = "debug",
};

int log_open(const char *path)
{
	FILE *f = fopen(path, "a");

	if (!f)
		return -errno;
	setvbuf(f, NULL, _IOLBF, 0);
	log_file = f;
	return 0;
}

void log_set_level(enum log_level level)
{
	log_level = level;
}

bool log_enabled(enum log_level level)
{
	return level <= log_level;
}

static uint64_t monotonic_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000ULL + (uint64_t)t.tv_nsec;
}

/* Under log_lock: whether this line may go out; says how many did not before it. */
static bool within_budget(FILE *out, enum log_level level)
{
	uint64_t now = monotonic_ns(), dropped;

	if (level == LOG_DEBUG)
		return true; /* asked for with -vv: everything */
	if (!log_budget_ready) {
		output_budget_init(&log_budget, LOG_RATE, LOG_BURST, now);
		log_budget_ready = true;
	}
	if (!output_budget_take(&log_budget, 1, now))
		return false;
	if (output_budget_report(&log_budget, LOG_REPORT_NS, now, &dropped))
		fprintf(out, "xenkvm: warning: %llu log messages dropped (more than %u a second)\n",
			(unsigned long long)dropped, LOG_RATE);
	return true;
}

void log_msg(enum log_level level, const char *fmt, ...)
{
	FILE *out = log_file ? log_file : stderr;
	char line[1024];
	size_t len;
	va_list ap;
	int n;

	if (!log_enabled(level))
		return;
	pthread_mutex_lock(&log_lock);
	if (!within_budget(out, level)) {
		pthread_mutex_unlock(&log_lock);
		return;
	}
	/* One write a line: stderr is unbuffered, and the console may share its file. */
	n = snprintf(line, sizeof(line), "xenkvm: %s: ", level_names[level]);
	va_start(ap, fmt);
	vsnprintf(line + n, sizeof(line) - (size_t)n - 1, fmt, ap);
	va_end(ap);
	len = strlen(line);
	line[len++] = '\n';
	fwrite(line, 1, len, out);
	pthread_mutex_unlock(&log_lock);
}
