// SPDX-License-Identifier: GPL-2.0
/*
 * image_open IMAGE KERNEL INITRD RUNS: what bootloader = "pygrub" costs before xenkvm
 * starts. Each run opens IMAGE (partition table, filesystem, boot menu), reads the default
 * entry's kernel and initrd out of it (toolstack/image), and, as the baseline in the same
 * run, reads the same two files directly from the host's filesystem (KERNEL, INITRD: the
 * staging copies). The same work done by xl's confined reader (toolstack/image/reader.h:
 * fork, privileges dropped, seccomp, the answer through a pipe and memfds) is timed
 * against the in-process read. The kernel's kind (its Xen notes, the bzImage payload
 * decompressed) is timed on its own, in the first three runs only (seconds each).
 * Prints the medians in ms and the ratios.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "toolstack/image/image.h"
#include "toolstack/image/kernel_kind.h"
#include "toolstack/image/reader.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double median(double *v, int n)
{
	qsort(v, n, sizeof(*v), cmp);
	return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static size_t read_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	size_t total = 0, cap = 1 << 20;
	char *buf = malloc(cap);
	ssize_t n;

	if (fd < 0 || !buf) {
		perror(path);
		exit(1);
	}
	for (;;) {
		if (total == cap && !(buf = realloc(buf, cap *= 2)))
			exit(1);
		n = read(fd, buf + total, cap - total);
		if (n <= 0)
			break;
		total += n;
	}
	close(fd);
	free(buf);
	return total;
}

int main(int argc, char **argv)
{
	int runs = argc > 4 ? atoi(argv[4]) : 0;
	double *img, *direct, *kind, *isolated;
	int kinds = runs < 3 ? runs : 3;
	char err[512];

	if (argc != 5 || runs < 1) {
		fprintf(stderr, "usage: %s IMAGE KERNEL INITRD RUNS\n", argv[0]);
		return 2;
	}
	img = calloc(runs, sizeof(double));
	direct = calloc(runs, sizeof(double));
	kind = calloc(runs, sizeof(double));
	isolated = calloc(runs, sizeof(double));
	for (int i = 0; i < runs; i++) {
		static struct img_boot b;
		struct img_reader_opts ro = { 0 };
		struct img_kernel_info ki;
		double t0 = now_ms(), t1, t2;

		if (img_open(argv[1], &b, err, sizeof(err)) ||
		    img_load_entry(&b, NULL, NULL, err, sizeof(err))) {
			fprintf(stderr, "%s: %s\n", argv[1], err);
			return 1;
		}
		t1 = now_ms();
		if (i < kinds &&
		    img_kernel_kind(b.kernel, b.kernel_len, 1ull << 30, &ki, err, sizeof(err))) {
			fprintf(stderr, "%s: %s\n", argv[1], err);
			return 1;
		}
		t2 = now_ms();
		img_close(&b);
		img[i] = t1 - t0;
		kind[i] = t2 - t1;
		t0 = now_ms();
		if (img_read_isolated(argv[1], &ro, &b, err, sizeof(err))) {
			fprintf(stderr, "%s: %s\n", argv[1], err);
			return 1;
		}
		isolated[i] = now_ms() - t0;
		img_close(&b);
		t0 = now_ms();
		read_file(argv[2]);
		read_file(argv[3]);
		direct[i] = now_ms() - t0;
	}
	printf("image open + menu + kernel/initrd read: %.2f ms; direct read of the same files: "
	       "%.2f ms; ratio %.2f; in the confined reader: %.2f ms (%.2fx in-process); "
	       "kernel kind (notes, payload decompressed): %.2f ms\n",
	       median(img, runs), median(direct, runs), median(img, runs) / median(direct, runs),
	       median(isolated, runs), median(isolated, runs) / median(img, runs),
	       median(kind, kinds));
	return 0;
}
