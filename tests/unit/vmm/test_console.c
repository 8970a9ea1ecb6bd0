// SPDX-License-Identifier: GPL-2.0
/*
 * The console sink (vmm/console.c): a --console file rotated to FILE.1 at its cap, the
 * rate limit dropping and counting, a sink that takes nothing never blocking a writer.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "tests/unit/unit.h"
#include "vmm/console.h"

static char dir[] = "/tmp/xenkvm-console-XXXXXX";
static char path[64], path1[80];

static int setup(void)
{
	if (!mkdtemp(dir))
		return -1;
	snprintf(path, sizeof(path), "%s/console", dir);
	snprintf(path1, sizeof(path1), "%s/console.1", dir);
	return 0;
}

static int teardown(void)
{
	unlink(path);
	unlink(path1);
	rmdir(dir);
	return 0;
}

static long long size_of(const char *p)
{
	struct stat st;

	return stat(p, &st) ? -1 : (long long)st.st_size;
}

static void write_lines(size_t bytes)
{
	char line[64];

	memset(line, 'x', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\n';
	for (size_t done = 0; done < bytes; done += sizeof(line)) {
		console_write(line, sizeof(line));
		if (done % (128u << 10) == 0)
			console_flush(); /* the queue (256 KiB) must not overflow: no rate here */
	}
}

static void test_rotation_keeps_two_caps(void)
{
	struct console_limits lim = { .rate = 0, .burst = 0, .max_size = 64u << 10 };

	unlink(path);
	unlink(path1);
	console_set_limits(&lim);
	CU_ASSERT_EQUAL_FATAL(console_open(path), 0);
	write_lines(1u << 20);
	console_close();
	CU_ASSERT(size_of(path) > 0 && size_of(path) <= 64 << 10);
	CU_ASSERT_EQUAL(size_of(path1), 64 << 10);
	CU_ASSERT_EQUAL(console_dropped(), 0);
}

static void test_rate_limit_drops_and_counts(void)
{
	struct console_limits lim = { .rate = 1000, .burst = 4096, .max_size = 0 };

	unlink(path);
	console_set_limits(&lim);
	CU_ASSERT_EQUAL_FATAL(console_open(path), 0);
	write_lines(100000);
	console_close();
	/* The burst and at most a few seconds' worth of the rate went out. */
	CU_ASSERT(size_of(path) >= 4096 && size_of(path) < 4096 + 10000);
	CU_ASSERT_EQUAL((long long)console_dropped() + size_of(path), 100032);
}

/* A pipe nobody reads: writes return at once, and close gives up instead of hanging. */
static void test_stuck_sink_never_blocks(void)
{
	struct console_limits lim = { .rate = 0, .burst = 0, .max_size = 0 };
	struct timespec t0, t1;
	int fds[2], saved = dup(STDOUT_FILENO);

	CU_ASSERT_EQUAL_FATAL(pipe(fds), 0);
	dup2(fds[1], STDOUT_FILENO);
	console_set_limits(&lim);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	CU_ASSERT_EQUAL_FATAL(console_open(NULL), 0);
	for (int i = 0; i < 64; i++) {
		char buf[16384];

		memset(buf, 'y', sizeof(buf));
		console_write(buf, sizeof(buf)); /* 1 MiB into a 64 KiB pipe */
	}
	console_close();
	clock_gettime(CLOCK_MONOTONIC, &t1);
	/* A liveness bound, not a speed: the close waits for a stalled sink 0.2 s. */
	CU_ASSERT(t1.tv_sec - t0.tv_sec < 5);
	CU_ASSERT(console_dropped() > 0);
	/* The writer still holds the pipe's write end: reading unblocks and ends it. */
	dup2(saved, STDOUT_FILENO);
	close(saved);
	close(fds[1]);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	for (;;) {
		char buf[4096];

		if (read(fds[0], buf, sizeof(buf)) <= 0)
			break;
	}
	close(fds[0]);
}

UNIT_SUITE(console, setup, teardown, UNIT_TEST(test_rotation_keeps_two_caps),
	   UNIT_TEST(test_rate_limit_drops_and_counts), UNIT_TEST(test_stuck_sink_never_blocks));
