// SPDX-License-Identifier: GPL-2.0
/*
 * blkbench: the block benchmark's load, the same program inside the guest (on /dev/xvda)
 * and on the host (on the image file), so that both sides issue the same I/O. Static, so
 * it runs from the busybox initramfs.
 *
 *   blkbench randread PATH SECONDS   4 KiB random reads at queue depth 32 (io_uring): IOPS
 *   blkbench read PATH SECONDS       1 MiB sequential reads, queue depth 4: MB/s
 *   blkbench write PATH SECONDS      1 MiB sequential writes, queue depth 4, then fdatasync: MB/s
 *
 * Add "direct" as a fourth argument for O_DIRECT (the guest's block device; tmpfs files
 * refuse it). Prints one line "blkbench MODE VALUE UNIT".
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <liburing.h>

#define MAX_QD 32

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static uint64_t size_of(int fd)
{
	struct stat st;
	uint64_t size = 0;

	if (fstat(fd, &st))
		return 0;
	if (S_ISBLK(st.st_mode) && !ioctl(fd, BLKGETSIZE64, &size))
		return size;
	return st.st_size;
}

static uint64_t rng = 88172645463325252ull;

static uint64_t next_random(void)
{
	rng ^= rng << 13;
	rng ^= rng >> 7;
	rng ^= rng << 17;
	return rng;
}

struct job {
	int fd;
	bool write, random;
	unsigned int bs, qd;
	uint64_t size, next_off;
	double seconds;
};

static uint64_t next_offset(struct job *j)
{
	uint64_t off;

	if (j->random)
		return (next_random() % (j->size / j->bs)) * j->bs;
	off = j->next_off;
	j->next_off = (off + j->bs + j->bs > j->size) ? 0 : off + j->bs;
	return off;
}

static void queue_one(struct io_uring *ring, struct job *j, void *buf)
{
	struct io_uring_sqe *sqe = io_uring_get_sqe(ring);

	if (j->write)
		io_uring_prep_write(sqe, j->fd, buf, j->bs, next_offset(j));
	else
		io_uring_prep_read(sqe, j->fd, buf, j->bs, next_offset(j));
	io_uring_sqe_set_data(sqe, buf);
}

/* Runs the job for its time; returns the operations completed, or -1. */
static long run(struct job *j)
{
	struct io_uring ring;
	void *bufs[MAX_QD];
	double end;
	long done = 0;

	if (io_uring_queue_init(j->qd, &ring, 0))
		return -1;
	for (unsigned int i = 0; i < j->qd; i++) {
		if (posix_memalign(&bufs[i], 4096, j->bs))
			return -1;
		memset(bufs[i], 0x5a, j->bs);
		queue_one(&ring, j, bufs[i]);
	}
	io_uring_submit(&ring);
	end = now() + j->seconds;
	for (unsigned int inflight = j->qd; inflight;) {
		struct io_uring_cqe *cqe;

		if (io_uring_wait_cqe(&ring, &cqe))
			return -1;
		if (cqe->res != (int)j->bs) {
			fprintf(stderr, "blkbench: I/O returned %d\n", cqe->res);
			return -1;
		}
		done++;
		inflight--;
		if (now() < end) {
			queue_one(&ring, j, io_uring_cqe_get_data(cqe));
			io_uring_submit(&ring);
			inflight++;
		}
		io_uring_cqe_seen(&ring, cqe);
	}
	if (j->write)
		fdatasync(j->fd);
	io_uring_queue_exit(&ring);
	return done;
}

int main(int argc, char **argv)
{
	struct job j = { 0 };
	double t0, t;
	long ops;

	if (argc < 4) {
		fprintf(stderr, "usage: blkbench randread|read|write PATH SECONDS [direct]\n");
		return 2;
	}
	j.write = !strcmp(argv[1], "write");
	j.random = !strcmp(argv[1], "randread");
	j.bs = j.random ? 4096 : 1 << 20;
	j.qd = j.random ? 32 : 4;
	j.seconds = atof(argv[3]);
	j.fd = open(argv[2], (j.write ? O_RDWR : O_RDONLY) |
				     (argc > 4 && !strcmp(argv[4], "direct") ? O_DIRECT : 0));
	if (j.fd < 0) {
		perror(argv[2]);
		return 1;
	}
	j.size = size_of(j.fd);
	if (j.size < (uint64_t)j.bs * j.qd) {
		fprintf(stderr, "blkbench: %s is too small\n", argv[2]);
		return 1;
	}
	t0 = now();
	ops = run(&j);
	t = now() - t0;
	if (ops < 0)
		return 1;
	if (j.random)
		printf("blkbench %s %.0f IOPS\n", argv[1], ops / t);
	else
		printf("blkbench %s %.1f MB/s\n", argv[1], ops * (double)j.bs / 1e6 / t);
	return 0;
}
