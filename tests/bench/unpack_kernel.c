// SPDX-License-Identifier: GPL-2.0
/*
 * unpack_kernel FILE [RUNS]: times what xenkvm does with a --kernel image before the
 * VM exists (kernel_elf_find(): the bzImage's payload decompressed into a fresh buffer,
 * then pvh_parse()), RUNS times (default 5), and prints each run and the median in ms.
 * The baseline, the compressor's own command-line tool, is run by tests/bench/kernel.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "kimage/kernel_image.h"
#include "vmm/pvh_elf.h"

#define MAX_RUNS 50

static double now_ms(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return t.tv_sec * 1e3 + t.tv_nsec / 1e6;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	int runs = argc > 2 ? atoi(argv[2]) : 5;
	double ms[MAX_RUNS];
	struct stat st;
	uint8_t *file;
	char err[256];
	int fd;

	if (argc < 2 || runs < 1 || runs > MAX_RUNS) {
		fprintf(stderr, "usage: unpack_kernel FILE [RUNS (1..%d)]\n", MAX_RUNS);
		return 2;
	}
	fd = open(argv[1], O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		perror(argv[1]);
		return 1;
	}
	file = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
	close(fd);
	if (file == MAP_FAILED) {
		perror("mmap");
		return 1;
	}
	for (int i = 0; i < runs; i++) {
		struct kernel_elf k;
		struct pvh_image pi;
		double t0 = now_ms();

		if (kernel_elf_find(file, st.st_size, 1ULL << 32, &k, err, sizeof(err)) ||
		    pvh_parse(k.data, k.len, &pi, err, sizeof(err))) {
			fprintf(stderr, "unpack_kernel: %s: %s\n", argv[1], err);
			return 1;
		}
		ms[i] = now_ms() - t0;
		printf("run %d: %s, %zu bytes of ELF, %.1f ms\n", i + 1, k.format, k.len, ms[i]);
		kernel_elf_release(&k);
	}
	qsort(ms, runs, sizeof(ms[0]), cmp_double);
	printf("median %.1f ms\n", ms[runs / 2]);
	return 0;
}
