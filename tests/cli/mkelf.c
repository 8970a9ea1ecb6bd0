// SPDX-License-Identifier: GPL-2.0
/*
 * mkelf KIND OUT [COMP]: writes a small PVH test image of one kind for the command-line
 * tests (good, no-note, overlap, high, elf32), as a plain ELF or, with COMP (raw, gzip,
 * xz, zstd), inside a Linux bzImage. mkelf wrap IN OUT [COMP]: a bzImage whose payload
 * is the file IN, as it is or compressed with COMP. Most images never run: they exercise xenkvm's checks before KVM is
 * touched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/vmm/bzimage_builder.h"
#include "tests/unit/vmm/elf_builder.h"

static int spec_for(const char *kind, struct eb_spec *s)
{
	*s = (struct eb_spec){ .nr_segments = 1,
			       .segs = { { 0x100000, 0x1000, 0x1000, 0xf4 } },
			       .entry = 0x100000 };
	if (!strcmp(kind, "good"))
		return 0;
	if (!strcmp(kind, "elf32")) {
		s->elf32 = true;
		return 0;
	}
	if (!strcmp(kind, "no-note")) {
		s->no_note = true;
		return 0;
	}
	if (!strcmp(kind, "overlap")) {
		s->nr_segments = 2;
		s->segs[1] = (struct eb_segment){ 0x100800, 0x10, 0x1000, 0 };
		return 0;
	}
	if (!strcmp(kind, "high")) {
		/* A segment at 200 MiB: fits with --memory 256, not with --memory 64. */
		s->segs[0].paddr = 200ULL << 20;
		s->entry = 200ULL << 20;
		return 0;
	}
	return -1;
}

static int comp_for(const char *name, enum bzb_comp *c)
{
	static const char *const names[] = { "raw", "gzip", "xz", "zstd" };

	for (unsigned int i = 0; i < sizeof(names) / sizeof(names[0]); i++)
		if (!strcmp(name, names[i])) {
			*c = (enum bzb_comp)i;
			return 0;
		}
	return -1;
}

static uint8_t *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (!fseek(f, 0, SEEK_END) && (n = ftell(f)) > 0 && !fseek(f, 0, SEEK_SET)) {
		buf = malloc((size_t)n);
		if (buf && fread(buf, 1, (size_t)n, f) != (size_t)n) {
			free(buf);
			buf = NULL;
		}
		*len = (size_t)n;
	}
	fclose(f);
	return buf;
}

static uint8_t *make_image(int argc, char **argv, size_t *len)
{
	struct eb_spec spec;
	enum bzb_comp comp = BZB_RAW;
	uint8_t *elf, *img;
	size_t elf_len;

	if (argc >= 4 && !strcmp(argv[1], "wrap")) {
		if (argc > 5 || (argc == 5 && comp_for(argv[4], &comp)))
			return NULL;
		elf = read_all(argv[2], &elf_len);
		img = elf ? bzb_build(comp, elf, elf_len, len) : NULL;
		free(elf);
		return img;
	}
	if (argc < 3 || argc > 4 || spec_for(argv[1], &spec) ||
	    (argc == 4 && comp_for(argv[3], &comp)))
		return NULL;
	elf = eb_build(&spec, &elf_len);
	if (argc == 3 || !elf) {
		*len = elf_len;
		return elf;
	}
	img = bzb_build(comp, elf, elf_len, len);
	free(elf);
	return img;
}

int main(int argc, char **argv)
{
	const char *out = argc >= 4 && !strcmp(argv[1], "wrap") ? argv[3] : argv[2];
	size_t len;
	uint8_t *img = make_image(argc, argv, &len);
	FILE *f;

	if (!img) {
		fprintf(stderr,
			"usage: mkelf good|elf32|no-note|overlap|high OUT "
			"[raw|gzip|xz|zstd]\n       mkelf wrap IN OUT [raw|gzip|xz|zstd]\n");
		return 2;
	}
	f = fopen(out, "wb");
	if (!f || fwrite(img, 1, len, f) != len || fclose(f)) {
		perror(out);
		return 1;
	}
	free(img);
	return 0;
}
