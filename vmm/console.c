// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <string.h>
#include <unistd.h>

#include "vmm/console.h"

#define CONSOLE_BUF 4096
#define INPUT_BUF 4096

static int out_fd = STDOUT_FILENO;
static pthread_mutex_t out_lock = PTHREAD_MUTEX_INITIALIZER;
static char out_buf[CONSOLE_BUF];
static size_t out_len;

static pthread_mutex_t in_lock = PTHREAD_MUTEX_INITIALIZER;
static unsigned char in_buf[INPUT_BUF];
static size_t in_head, in_count;

int console_open(const char *path)
{
	int fd;

	if (!path)
		return 0;
	fd = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
	if (fd < 0)
		return -errno;
	out_fd = fd;
	return 0;
}

static void (*out_tee)(const void *buf, size_t len);

void console_set_tee(void (*fn)(const void *buf, size_t len))
{
	pthread_mutex_lock(&out_lock);
	out_tee = fn;
	pthread_mutex_unlock(&out_lock);
}

static void flush_locked(void)
{
	size_t off = 0;

	if (out_tee && out_len)
		out_tee(out_buf, out_len);

	while (off < out_len) {
		ssize_t n = write(out_fd, out_buf + off, out_len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break; /* the reader went away: drop, the guest must not block */
		off += (size_t)n;
	}
	out_len = 0;
}

/* Buffers until a newline so that a guest printing byte by byte costs one write a line. */
void console_write(const void *buf, size_t len)
{
	const char *p = buf;

	pthread_mutex_lock(&out_lock);
	while (len) {
		size_t chunk = CONSOLE_BUF - out_len < len ? CONSOLE_BUF - out_len : len;
		const char *nl = memchr(p, '\n', chunk);

		if (nl)
			chunk = (size_t)(nl - p) + 1;
		memcpy(out_buf + out_len, p, chunk);
		out_len += chunk;
		p += chunk;
		len -= chunk;
		if (nl || out_len == CONSOLE_BUF)
			flush_locked();
	}
	pthread_mutex_unlock(&out_lock);
}

void console_flush(void)
{
	pthread_mutex_lock(&out_lock);
	flush_locked();
	pthread_mutex_unlock(&out_lock);
}

void console_close(void)
{
	console_flush();
	if (out_fd != STDOUT_FILENO)
		close(out_fd);
	out_fd = STDOUT_FILENO;
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
