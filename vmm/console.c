// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <sys/stat.h>

#include "vmm/console.h"
#include "vmm/log.h"
#include "vmm/output_budget.h"

#define QUEUE_SIZE (256u << 10)
#define WRITE_CHUNK (64u << 10)
#define INPUT_BUF 4096
#define NS_PER_SEC 1000000000ULL
/* Drops are reported at most this often. */
#define REPORT_INTERVAL_NS (10 * NS_PER_SEC)
/* console_flush() gives up when the sink has taken nothing for this long. */
#define STALL_NS (200 * 1000000ULL)
/* A partial line (a prompt) waits at most this long for the rest before it is written. */
#define PARTIAL_NS (20 * 1000000L)
/* Queued bytes that make the writer write at once, line or not. */
#define WAKE_LEN (4u << 10)

static struct console_limits limits = { CONSOLE_DEFAULT_RATE, CONSOLE_DEFAULT_BURST,
					CONSOLE_DEFAULT_MAX_SIZE };

/*
 * The output queue, a ring of QUEUE_SIZE bytes. Producers append under `lock`; the writer
 * thread writes [head, head + n) out without the lock (producers never touch queued
 * bytes) and then consumes them. Only the writer thread touches out_fd and out_size while
 * it runs.
 */
static struct {
	pthread_mutex_t lock;
	pthread_cond_t queued; /* bytes queued, or stop */
	pthread_cond_t written; /* the writer consumed bytes */
	char *ring;
	size_t head, len;
	uint64_t written_total;
	struct output_budget budget;
	pthread_t thread;
	bool running;
	bool stop;
	bool wake; /* a line ended or the queue fills: write now, not after PARTIAL_NS */
	unsigned int flushing; /* console_flush() waits: partial lines too */
	int out_fd;
	char *path; /* the --console file, NULL for stdout */
	/* out_fd is a regular file (fstat at open): only then is it capped and rotated. A
	 * device, FIFO, socket or terminal is never renamed nor truncated (--console
	 * /dev/null once left a regular file where /dev/null was). */
	bool rotatable;
	dev_t dev; /* the file out_fd holds: path is renamed only while it still names it */
	ino_t ino;
	uint64_t out_size; /* bytes in the current file */
	bool rotate_failed;
	void (*tee)(const void *buf, size_t len); /* console_set_tee() */
	/* Bumped by console_open() and by a close that abandons a stuck writer: a writer
	 * whose generation is gone writes nothing more. */
	unsigned int gen;
} out = {
	.lock = PTHREAD_MUTEX_INITIALIZER,
	.queued = PTHREAD_COND_INITIALIZER,
	.written = PTHREAD_COND_INITIALIZER,
	.out_fd = STDOUT_FILENO,
};

static pthread_mutex_t in_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char in_buf[INPUT_BUF];
static size_t in_head, in_count;

/* CLOCK_REALTIME `ns` from now, for the condition variables (default clock). */
static struct timespec deadline_in(long ns)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	t.tv_sec += ns / (long)NS_PER_SEC;
	t.tv_nsec += ns % (long)NS_PER_SEC;
	if (t.tv_nsec >= (long)NS_PER_SEC) {
		t.tv_sec++;
		t.tv_nsec -= (long)NS_PER_SEC;
	}
	return t;
}

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * NS_PER_SEC + (uint64_t)t.tv_nsec;
}

void console_set_limits(const struct console_limits *lim)
{
	limits = *lim;
}

static bool abandoned(unsigned int gen)
{
	return __atomic_load_n(&out.gen, __ATOMIC_ACQUIRE) != gen;
}

/* Writes all of buf to out_fd, waiting as long as it takes (the writer thread only). */
static bool write_all(const char *buf, size_t len, unsigned int gen)
{
	while (len && !abandoned(gen)) {
		ssize_t n = write(out.out_fd, buf, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && errno == EAGAIN) {
			/* Someone made the file description non-blocking: wait here, not in a vCPU. */
			struct pollfd p = { .fd = out.out_fd, .events = POLLOUT };

			poll(&p, 1, -1);
			continue;
		}
		if (n <= 0)
			return false;
		buf += n;
		len -= (size_t)n;
	}
	return true;
}

/* Whether out.path still names the regular file out_fd writes (not a link, not a newcomer). */
static bool path_is_ours(void)
{
	struct stat st;

	return !lstat(out.path, &st) && S_ISREG(st.st_mode) && st.st_dev == out.dev &&
	       st.st_ino == out.ino;
}

/* A fresh FILE after the rename; errno says why not. */
static int reopen_fresh(void)
{
	struct stat st;
	int fd = open(out.path, O_WRONLY | O_CREAT | O_EXCL | O_APPEND | O_CLOEXEC | O_NOFOLLOW,
		      0644);

	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		int err = errno;

		close(fd);
		errno = err;
		return -err;
	}
	close(out.out_fd);
	out.out_fd = fd;
	out.dev = st.st_dev;
	out.ino = st.st_ino;
	out.out_size = 0;
	return 0;
}

/* FILE -> FILE.1 (replacing it) and a fresh FILE, as a log rotation does. */
static void rotate(void)
{
	size_t len = strlen(out.path) + 3;
	char *old = malloc(len);
	const char *why = "out of memory";

	if (old) {
		snprintf(old, len, "%s.1", out.path);
		/* Someone else's file (or a link) where ours was is never renamed. */
		if (!path_is_ours())
			why = "it is no longer the file the console opened";
		else if (rename(out.path, old) || reopen_fresh())
			why = strerror(errno);
		else
			why = NULL;
	}
	if (why) {
		/* Nothing more is stored rather than more than the cap. */
		if (!out.rotate_failed)
			log_warn("console: cannot rotate '%s': %s; further output is dropped",
				 out.path, why);
		out.rotate_failed = true;
	}
	free(old);
}

/* One chunk to the sink, rotating the file first when the chunk would pass the cap. */
static bool store(const char *buf, size_t len, unsigned int gen)
{
	if (out.rotatable && limits.max_size && out.out_size + len > limits.max_size)
		rotate();
	if (out.rotate_failed)
		return false;
	if (!write_all(buf, len, gen))
		return false;
	out.out_size += len;
	return true;
}

static void report_drops(uint64_t now)
{
	uint64_t dropped;

	if (!output_budget_report(&out.budget, REPORT_INTERVAL_NS, now, &dropped))
		return;
	pthread_mutex_unlock(&out.lock);
	log_warn("console: %llu bytes of guest output dropped (the --console-rate budget of "
		 "%llu bytes/s was spent, or the sink fell behind); said at most every %llu s",
		 (unsigned long long)dropped, (unsigned long long)limits.rate,
		 (unsigned long long)(REPORT_INTERVAL_NS / NS_PER_SEC));
	pthread_mutex_lock(&out.lock);
}

static void *writer_thread(void *arg)
{
	unsigned int gen = (unsigned int)(uintptr_t)arg;
	char *ring = out.ring; /* set before the thread starts; freed here if abandoned */
	bool lost;

	pthread_mutex_lock(&out.lock);
	for (;;) {
		struct timespec deadline;
		void (*tee)(const void *buf, size_t len);
		const char *chunk, *nl;
		size_t n;
		bool ok, whole;

		if (abandoned(gen))
			break;
		whole = true;
		if (!out.wake && !out.stop) {
			/* Once a second at least, for the drop report. */
			deadline = deadline_in(out.len ? PARTIAL_NS : (long)NS_PER_SEC);
			whole = pthread_cond_timedwait(&out.queued, &out.lock, &deadline) ==
				ETIMEDOUT;
			if (abandoned(gen))
				break;
		}
		whole |= out.stop || out.flushing;
		out.wake = false;
		report_drops(now_ns());
		if (!out.len && out.stop)
			break;
		if (!out.len)
			continue;
		n = out.len < QUEUE_SIZE - out.head ? out.len : QUEUE_SIZE - out.head;
		if (n > WRITE_CHUNK)
			n = WRITE_CHUNK;
		chunk = ring + out.head;
		/*
		 * Whole lines, so that a log line on the same terminal never splits one; a
		 * partial line goes out when it waited PARTIAL_NS, or at a flush or the end.
		 */
		if (!whole && (nl = memrchr(chunk, '\n', n)))
			n = (size_t)(nl - chunk) + 1;
		tee = out.tee;
		pthread_mutex_unlock(&out.lock);
		if (tee)
			tee(chunk, n); /* never blocks: console_sock.c sends with MSG_DONTWAIT */
		ok = store(chunk, n, gen);
		pthread_mutex_lock(&out.lock);
		if (abandoned(gen))
			break;
		if (!ok)
			output_budget_drop(&out.budget, n); /* the sink refused: dropped, counted */
		out.head = (out.head + n) % QUEUE_SIZE;
		out.len -= n;
		out.written_total += n;
		pthread_cond_broadcast(&out.written);
	}
	lost = abandoned(gen);
	pthread_mutex_unlock(&out.lock);
	/* console_close() gave up on this writer: its queue is its own to free. */
	if (lost)
		free(ring);
	return NULL;
}

/* The writer takes no signal: SIGTERM and the vCPU kicks go to the threads that wait for them. */
static int start_writer(void)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(&out.thread, NULL, writer_thread, (void *)(uintptr_t)out.gen);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -rc;
}

int console_open(const char *path)
{
	struct stat st;
	int fd = STDOUT_FILENO, rc;

	if (path) {
		fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
		if (fd < 0)
			return -errno;
	}
	out.ring = malloc(QUEUE_SIZE);
	out.path = path ? strdup(path) : NULL;
	if (!out.ring || (path && !out.path)) {
		rc = -ENOMEM;
		goto fail;
	}
	out.out_fd = fd;
	out.rotatable = path && !fstat(fd, &st) && S_ISREG(st.st_mode);
	out.dev = out.rotatable ? st.st_dev : 0;
	out.ino = out.rotatable ? st.st_ino : 0;
	out.out_size = out.rotatable ? (uint64_t)st.st_size : 0;
	out.head = out.len = 0;
	out.stop = out.rotate_failed = out.wake = false;
	__atomic_add_fetch(&out.gen, 1, __ATOMIC_RELEASE);
	output_budget_init(&out.budget, limits.rate, limits.burst, now_ns());
	rc = start_writer();
	if (rc)
		goto fail;
	out.running = true;
	return 0;
fail:
	free(out.ring);
	free(out.path);
	out.ring = out.path = NULL;
	out.out_fd = STDOUT_FILENO;
	if (fd != STDOUT_FILENO)
		close(fd);
	return rc;
}

void console_write(const void *buf, size_t len)
{
	const char *p = buf;
	size_t n, first;

	pthread_mutex_lock(&out.lock);
	if (!out.running) {
		/* Before console_open() (unit tests): nothing to queue for, write through. */
		void (*tee)(const void *buf, size_t len) = out.tee;

		pthread_mutex_unlock(&out.lock);
		if (tee)
			tee(buf, len);
		if (write(out.out_fd, buf, len) < 0)
			return;
		return;
	}
	/* Bytes the queue cannot take are dropped before they cost the budget anything. */
	n = len < QUEUE_SIZE - out.len ? len : QUEUE_SIZE - out.len;
	output_budget_drop(&out.budget, len - n);
	n = (size_t)output_budget_take(&out.budget, n, now_ns());
	if (n) {
		size_t tail = (out.head + out.len) % QUEUE_SIZE;

		first = n < QUEUE_SIZE - tail ? n : QUEUE_SIZE - tail;
		memcpy(out.ring + tail, p, first);
		memcpy(out.ring, p + first, n - first);
		out.len += n;
		/* A byte at a time (port 0xe9, the UART) costs the writer one wake a line. */
		if (!out.wake && (memchr(p, '\n', n) || out.len >= WAKE_LEN)) {
			out.wake = true;
			pthread_cond_signal(&out.queued);
		}
	}
	pthread_mutex_unlock(&out.lock);
}

/* Under out.lock: waits until the queue is empty or the sink took nothing for STALL_NS. */
static void drain_locked(void)
{
	uint64_t seen = out.written_total, since = now_ns();
	struct timespec deadline;

	out.wake = true;
	out.flushing++;
	pthread_cond_signal(&out.queued);
	while (out.running && out.len) {
		deadline = deadline_in(50 * 1000000L);
		pthread_cond_timedwait(&out.written, &out.lock, &deadline);
		if (out.written_total != seen) {
			seen = out.written_total;
			since = now_ns();
		} else if (now_ns() - since > STALL_NS) {
			break;
		}
	}
	out.flushing--;
}

void console_flush(void)
{
	pthread_mutex_lock(&out.lock);
	drain_locked();
	pthread_mutex_unlock(&out.lock);
}

void console_close(void)
{
	bool drained;

	pthread_mutex_lock(&out.lock);
	if (!out.running) {
		pthread_mutex_unlock(&out.lock);
		return;
	}
	drain_locked();
	drained = !out.len;
	out.stop = true;
	pthread_cond_signal(&out.queued);
	pthread_mutex_unlock(&out.lock);
	if (!drained) {
		/*
		 * The sink stopped taking output (a pipe nobody reads): the writer may be stuck
		 * in write() for good. Leave it, its fd and its queue to the process's exit.
		 */
		log_warn("console: %zu bytes of output not written: the sink stopped taking them",
			 out.len);
		pthread_detach(out.thread);
		__atomic_add_fetch(&out.gen, 1, __ATOMIC_RELEASE);
		out.running = false;
		out.out_fd = STDOUT_FILENO; /* the writer's file and queue stay with it */
		out.ring = out.path = NULL;
		return;
	}
	pthread_join(out.thread, NULL);
	out.running = false;
	if (out.out_fd != STDOUT_FILENO)
		close(out.out_fd);
	out.out_fd = STDOUT_FILENO;
	free(out.ring);
	free(out.path);
	out.ring = out.path = NULL;
}

void console_set_tee(void (*fn)(const void *buf, size_t len))
{
	pthread_mutex_lock(&out.lock);
	out.tee = fn;
	pthread_mutex_unlock(&out.lock);
}

uint64_t console_dropped(void)
{
	uint64_t n;

	pthread_mutex_lock(&out.lock);
	n = out.budget.dropped_total;
	pthread_mutex_unlock(&out.lock);
	return n;
}

void console_input_push(const void *buf, size_t len)
{
	const unsigned char *p = buf;

	pthread_mutex_lock(&in_lock);
	/* A full queue drops input, as a UART's FIFO overruns. */
	for (size_t i = 0; i < len && in_count < INPUT_BUF; i++) {
		in_buf[(in_head + in_count) % INPUT_BUF] = p[i];
		in_count++;
	}
	pthread_mutex_unlock(&in_lock);
}

int console_input_pop(void)
{
	int c = -1;

	pthread_mutex_lock(&in_lock);
	if (in_count) {
		c = in_buf[in_head];
		in_head = (in_head + 1) % INPUT_BUF;
		in_count--;
	}
	pthread_mutex_unlock(&in_lock);
	return c;
}

bool console_input_ready(void)
{
	bool ready;

	pthread_mutex_lock(&in_lock);
	ready = in_count > 0;
	pthread_mutex_unlock(&in_lock);
	return ready;
}
