// SPDX-License-Identifier: GPL-2.0
/*
 * The image read in a confined child process (reader.h). The caller opens the image and
 * two memfds; the child confines itself, does the work, writes the kernel and the initrd
 * into the memfds and the menu down a pipe, and exits. The caller reads the pipe (its
 * size bounded), waits for the child (killed after the timeout), and takes the files'
 * sizes from the memfds, checked against the limits before reading them.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "toolstack/image/errmsg.h"
#include "toolstack/image/reader.h"

#define ANSWER_MAX (8u << 20) /* bytes of menu from the reader, at most */
#define READER_TIMEOUT_S 60

static int write_all(int fd, const void *data, size_t len)
{
	for (size_t done = 0; done < len;) {
		ssize_t n = write(fd, (const char *)data + done, len - done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n < 0 ? -errno : -EIO;
		done += n;
	}
	return 0;
}

/* The real work: what img_open() and img_load_entry() do, on the open image. */
static int read_image(int fd, const char *image, const struct img_reader_opts *o,
		      struct img_boot *b, char *err, size_t errlen)
{
	struct img_open_opts how = { .fd = fd };
	int rc = img_open_with(image, &how, b, err, errlen);

	if (rc || o->list_only)
		return rc;
	return img_load_entry(b, o->entry, o->lim, err, errlen);
}

/* In the child: confine, work, answer. Never returns. A status byte then the answer, or
 * the error message, goes down the pipe. */
static void reader_child(int fd, const char *image, const struct img_reader_opts *o,
			 img_reader_work work, int pipe_fd, int kfd, int ifd)
{
	struct img_boot *b = calloc(1, sizeof(*b));
	char err[512] = "out of memory", *answer = NULL, status;
	int32_t code;
	size_t len = 0;
	int rc = b ? img_reader_confine(o, err, sizeof(err)) : -ENOMEM;

	if (!rc)
		rc = work(fd, image, o, b, err, sizeof(err));
	if (!rc && !o->list_only) {
		rc = write_all(kfd, b->kernel, b->kernel_len);
		if (!rc && b->initrd)
			rc = write_all(ifd, b->initrd, b->initrd_len);
		if (rc)
			img_err(err, sizeof(err), rc, "image reader: writing the files: %s",
				strerror(-rc));
	}
	if (!rc && img_wire_encode(b, !o->list_only, &answer, &len))
		rc = img_err(err, sizeof(err), -ENOMEM, "out of memory");
	status = rc ? 1 : 0;
	code = rc;
	if (write_all(pipe_fd, &status, 1) ||
	    (rc ? write_all(pipe_fd, &code, sizeof(code)) || write_all(pipe_fd, err, strlen(err)) :
		  write_all(pipe_fd, answer, len)))
		_exit(2);
	_exit(rc ? 1 : 0);
}

/* Reads the child's answer until EOF, the size limit, or the deadline. */
static int read_answer(int fd, time_t deadline, char **buf, size_t *len)
{
	size_t cap = 0;

	*buf = NULL;
	*len = 0;
	for (;;) {
		struct pollfd p = { fd, POLLIN, 0 };
		time_t left = deadline - time(NULL);
		ssize_t n;

		if (left <= 0)
			return -ETIMEDOUT;
		if (poll(&p, 1, left * 1000) == 0)
			return -ETIMEDOUT;
		if (*len == cap) {
			char *grown = cap < ANSWER_MAX ? realloc(*buf, cap + 65536 + 1) : NULL;

			if (!grown)
				return cap < ANSWER_MAX ? -ENOMEM : -EFBIG;
			*buf = grown;
			cap += 65536;
		}
		n = read(fd, *buf + *len, cap - *len);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return -errno;
		if (n == 0)
			return 0;
		*len += n;
		(*buf)[*len] = '\0';
	}
}

/* The bytes of a memfd the reader filled, at most max. */
static int take_file(int fd, uint64_t max, uint8_t **data, size_t *len, const char *what, char *err,
		     size_t errlen)
{
	struct stat st;
	uint8_t *buf;

	if (fstat(fd, &st))
		return img_err(err, errlen, -errno, "%s: %s", what, strerror(errno));
	if ((uint64_t)st.st_size > max)
		return img_err(err, errlen, -EFBIG, "the image reader's %s is over %llu bytes",
			       what, (unsigned long long)max);
	buf = malloc(st.st_size + 1);
	if (!buf)
		return img_err(err, errlen, -ENOMEM, "out of memory");
	for (off_t done = 0; done < st.st_size;) {
		ssize_t n = pread(fd, buf + done, st.st_size - done, done);

		if (n <= 0) {
			free(buf);
			return img_err(err, errlen, -EIO, "%s: short read", what);
		}
		done += n;
	}
	*data = buf;
	*len = st.st_size;
	return 0;
}

/* Why the reader ended as it did, when it did not answer. */
static int reader_died(pid_t pid, int status, char *err, size_t errlen)
{
	if (WIFSIGNALED(status))
		return img_err(err, errlen, -ECHILD,
			       "the image reader (pid %d) was killed by signal %d (%s): the "
			       "image is damaged or hostile",
			       (int)pid, WTERMSIG(status), strsignal(WTERMSIG(status)));
	return img_err(err, errlen, -ECHILD,
		       "the image reader (pid %d) exited with status %d without an answer",
		       (int)pid, WEXITSTATUS(status));
}

/* The reader's message, shown to the user: untrusted text made printable. */
static int reader_refused(const char *msg, size_t len, char *err, size_t errlen)
{
	int32_t code = -EINVAL;
	char text[512];
	size_t n = 0;

	if (len >= sizeof(code)) {
		memcpy(&code, msg, sizeof(code));
		msg += sizeof(code);
		len -= sizeof(code);
	}
	if (code >= 0 || code < -4095)
		code = -EINVAL;
	for (; n < len && n < sizeof(text) - 1; n++)
		text[n] = msg[n] >= 0x20 && msg[n] < 0x7f ? msg[n] : '?';
	text[n] = '\0';
	return img_err(err, errlen, code, "%s", text);
}

static void reap(pid_t pid, int *status)
{
	while (waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
}

/* Reads the child's answer into b, or says why there is none. */
static int collect(pid_t pid, int pipe_fd, int kfd, int ifd, const struct img_reader_opts *o,
		   const struct img_limits *lim, struct img_boot *b, char *err, size_t errlen)
{
	time_t deadline = time(NULL) + (o->timeout_s ? o->timeout_s : READER_TIMEOUT_S);
	char *answer = NULL;
	size_t len = 0;
	bool loaded = false;
	int status = 0, rc = read_answer(pipe_fd, deadline, &answer, &len);

	if (rc)
		kill(pid, SIGKILL);
	reap(pid, &status);
	if (rc == -ETIMEDOUT)
		rc = img_err(err, errlen, rc,
			     "the image reader (pid %d) did not finish within "
			     "%u s and was killed",
			     (int)pid, o->timeout_s ? o->timeout_s : READER_TIMEOUT_S);
	else if (rc)
		rc = img_err(err, errlen, rc, "the image reader's answer: %s", strerror(-rc));
	else if (len == 0)
		rc = reader_died(pid, status, err, errlen);
	else if (answer[0] != 0)
		rc = reader_refused(answer + 1, len - 1, err, errlen);
	else
		rc = img_wire_decode(answer + 1, len - 1, b, &loaded, err, errlen);
	free(answer);
	if (rc || o->list_only)
		return rc;
	if (!loaded || !b->menu.nr)
		return img_err(err, errlen, -EPROTO, "the image reader's answer is malformed");
	rc = take_file(kfd, lim->kernel, &b->kernel, &b->kernel_len, "kernel", err, errlen);
	if (!rc && b->menu.entries[b->entry].nr_initrd)
		rc = take_file(ifd, lim->initrd, &b->initrd, &b->initrd_len, "initrd", err, errlen);
	return rc;
}

int img_read_isolated_with(const char *image, const struct img_reader_opts *o, img_reader_work work,
			   struct img_boot *b, char *err, size_t errlen)
{
	static const struct img_limits defaults = { IMG_MAX_KERNEL, IMG_MAX_INITRD };
	const struct img_limits *lim = o->lim ? o->lim : &defaults;
	int fd, kfd = -1, ifd = -1, p[2] = { -1, -1 }, rc;
	pid_t pid;

	memset(b, 0, sizeof(*b));
	b->disk.fd = -1;
	fd = open(image, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return img_err(err, errlen, -errno, "%s: %s", image, strerror(errno));
	kfd = memfd_create("image-reader-kernel", MFD_CLOEXEC);
	ifd = memfd_create("image-reader-initrd", MFD_CLOEXEC);
	if (kfd < 0 || ifd < 0 || pipe2(p, O_CLOEXEC)) {
		rc = img_err(err, errlen, -errno, "image reader: %s", strerror(errno));
		goto out;
	}
	fflush(NULL); /* nothing buffered is written twice */
	pid = fork();
	if (pid < 0) {
		rc = img_err(err, errlen, -errno, "image reader: fork: %s", strerror(errno));
		goto out;
	}
	if (pid == 0) {
		/* The reader writes at most the limits into the memfds. */
		rlim_t most = lim->kernel > lim->initrd ? lim->kernel : lim->initrd;
		struct rlimit fsize = { most, most };

		close(p[0]);
		setrlimit(RLIMIT_FSIZE, &fsize);
		reader_child(fd, image, o, work ? work : read_image, p[1], kfd, ifd);
	}
	close(p[1]);
	p[1] = -1;
	rc = collect(pid, p[0], kfd, ifd, o, lim, b, err, errlen);
	if (rc)
		img_close(b);
out:
	for (int i = 0; i < 2; i++)
		if (p[i] >= 0)
			close(p[i]);
	if (kfd >= 0)
		close(kfd);
	if (ifd >= 0)
		close(ifd);
	close(fd);
	return rc;
}

int img_read_isolated(const char *image, const struct img_reader_opts *o, struct img_boot *b,
		      char *err, size_t errlen)
{
	return img_read_isolated_with(image, o, NULL, b, err, errlen);
}
