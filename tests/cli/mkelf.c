// SPDX-License-Identifier: GPL-2.0
/*
 * mkelf KIND OUT: writes a small PVH test image of one kind for the command-line tests
 * (good, no-note, overlap, high, elf32). The images never run: they exercise xenkvm's
 * checks before KVM is touched.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

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

int main(int argc, char **argv)
{
	struct eb_spec spec;
	size_t len;
	uint8_t *img;
	FILE *f;

	if (argc != 3 || spec_for(argv[1], &spec)) {
		fprintf(stderr, "usage: mkelf good|elf32|no-note|overlap|high OUT\n");
		return 2;
	}
	img = eb_build(&spec, &len);
	f = fopen(argv[2], "wb");
	if (!img || !f || fwrite(img, 1, len, f) != len || fclose(f)) {
		perror(argv[2]);
		return 1;
	}
	free(img);
	return 0;
}
