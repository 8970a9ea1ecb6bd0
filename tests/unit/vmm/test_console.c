// SPDX-License-Identifier: GPL-2.0
/*
 * The console sink (vmm/console.c): a --console file rotated to FILE.1 at its cap, the
 * rate limit dropping and counting, a sink that takes nothing never blocking a writer, a
 * --console that is not a regular file (a FIFO, a device such as /dev/null) never renamed,
 * a file that replaced ours never renamed, the tee getting what the sink gets.
 */
#include <errno.h>
#include <pthread.h>
#include <sys/sysmacros.h>
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
	console_set_tee(NULL);
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

static const struct console_limits small_cap = { .rate = 0, .burst = 0, .max_size = 64u << 10 };

/* Reads a FIFO until every writer closed it, counting the bytes. */
static void *drain_fifo(void *arg)
{
	int fd = *(int *)arg;
	long long total = 0;
	char buf[4096];
	ssize_t n;

	while ((n = read(fd, buf, sizeof(buf))) > 0 || (n < 0 && errno == EINTR))
		total += n > 0 ? n : 0;
	return (void *)(intptr_t)total;
}

/* 1 MiB through a FIFO with a 64 KiB cap: no rotation, every byte reaches the reader. */
static void test_fifo_is_never_rotated(void)
{
	struct stat st;
	pthread_t reader;
	void *got;
	int rfd;

	unlink(path);
	unlink(path1);
	CU_ASSERT_EQUAL_FATAL(mkfifo(path, 0600), 0);
	/* A reader first, else opening the FIFO for writing waits for one. */
	rfd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
	CU_ASSERT_FATAL(rfd >= 0);
	fcntl(rfd, F_SETFL, 0);
	CU_ASSERT_EQUAL_FATAL(pthread_create(&reader, NULL, drain_fifo, &rfd), 0);
	console_set_limits(&small_cap);
	CU_ASSERT_EQUAL_FATAL(console_open(path), 0);
	write_lines(1u << 20);
	console_close();
	pthread_join(reader, &got);
	close(rfd);
	CU_ASSERT(!lstat(path, &st) && S_ISFIFO(st.st_mode));
	CU_ASSERT_EQUAL(size_of(path1), -1);
	CU_ASSERT_EQUAL((long long)(intptr_t)got, 1048576);
	CU_ASSERT_EQUAL(console_dropped(), 0);
}

/*
 * A /dev/null-like character device in the test's own directory (the real /dev/null is
 * never touched): past the cap it is neither renamed nor replaced by a regular file. A
 * symbolic link to /dev/zero stands in where this user may not make device nodes (a
 * rename would then move the link, still never the device).
 */
static void test_char_device_is_never_rotated(void)
{
	struct stat st;
	bool node;

	unlink(path);
	unlink(path1);
	node = !mknod(path, S_IFCHR | 0600, makedev(1, 3));
	if (!node)
		CU_ASSERT_EQUAL_FATAL(symlink("/dev/zero", path), 0);
	console_set_limits(&small_cap);
	CU_ASSERT_EQUAL_FATAL(console_open(path), 0);
	write_lines(1u << 20);
	console_close();
	CU_ASSERT_EQUAL(lstat(path, &st), 0);
	CU_ASSERT(node ? S_ISCHR(st.st_mode) && st.st_rdev == makedev(1, 3) : S_ISLNK(st.st_mode));
	CU_ASSERT_EQUAL(lstat(path1, &st), -1);
	CU_ASSERT_EQUAL(console_dropped(), 0);
}

/* Someone else's file put where ours was is neither renamed nor written; ours stays capped. */
static void test_replaced_file_is_never_renamed(void)
{
	static const char theirs[] = "not the console's\n";
	int fd;

	unlink(path);
	unlink(path1);
	console_set_limits(&small_cap);
	CU_ASSERT_EQUAL_FATAL(console_open(path), 0);
	write_lines(16u << 10);
	console_flush();
	CU_ASSERT_EQUAL(unlink(path), 0);
	fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0600);
	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, theirs, sizeof(theirs) - 1), (ssize_t)sizeof(theirs) - 1);
	close(fd);
	write_lines(1u << 20);
	console_close();
	CU_ASSERT_EQUAL(size_of(path), (long long)sizeof(theirs) - 1);
	CU_ASSERT_EQUAL(size_of(path1), -1);
	CU_ASSERT(console_dropped() > 0); /* what passed the cap, as a failed rotation */
}

static size_t teed;

static void count_tee(const void *buf, size_t len)
{
	(void)buf;
	__atomic_add_fetch(&teed, len, __ATOMIC_RELAXED);
}

/* The console socket's tee sees every byte the sink is given. */
static void test_tee_gets_the_output(void)
{
	struct console_limits lim = { .rate = 0, .burst = 0, .max_size = 0 };

	unlink(path);
	teed = 0;
	console_set_limits(&lim);
	console_set_tee(count_tee);
	CU_ASSERT_EQUAL_FATAL(console_open(path), 0);
	write_lines(100000);
	console_close();
	console_set_tee(NULL);
	CU_ASSERT_EQUAL(teed, 100032);
	CU_ASSERT_EQUAL(size_of(path), 100032);
}

UNIT_SUITE(console, setup, teardown, UNIT_TEST(test_rotation_keeps_two_caps),
	   UNIT_TEST(test_rate_limit_drops_and_counts), UNIT_TEST(test_stuck_sink_never_blocks),
	   UNIT_TEST(test_fifo_is_never_rotated), UNIT_TEST(test_char_device_is_never_rotated),
	   UNIT_TEST(test_replaced_file_is_never_renamed), UNIT_TEST(test_tee_gets_the_output));
