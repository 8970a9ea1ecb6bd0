// SPDX-License-Identifier: GPL-2.0
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/image/image_fixture.h"

static char dir[512], why[256], scratch_dir[256];
static int built;

/* Every suite shares the images: removed when the binary exits (IMAGE_UNIT_KEEP=1 keeps
 * them for a look). */
static void remove_images(void)
{
	char cmd[512];

	if (scratch_dir[0] && !getenv("IMAGE_UNIT_KEEP")) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", scratch_dir);
		if (system(cmd))
			fprintf(stderr, "could not remove %s\n", scratch_dir);
	}
}

int img_fixture_init(void)
{
	char cmd[1024];
	const char *script = "tests/images/mkimages";

	if (built)
		return 0;
	built = 1;
	atexit(remove_images);
	snprintf(scratch_dir, sizeof(scratch_dir), "/tmp/image-unit.XXXXXX");
	if (!mkdtemp(scratch_dir)) {
		snprintf(why, sizeof(why), "no temporary directory");
		return 0;
	}
	if (access(script, X_OK)) {
		snprintf(why, sizeof(why), "%s not found (run from the source tree)", script);
		return 0;
	}
	snprintf(cmd, sizeof(cmd), "%s %s/images >%s/mkimages.log 2>&1", script, scratch_dir,
		 scratch_dir);
	if (system(cmd)) {
		snprintf(why, sizeof(why),
			 "tests/images/mkimages failed (needs mke2fs and sfdisk: make deps)");
		return 0;
	}
	snprintf(dir, sizeof(dir), "%s/images", scratch_dir);
	return 0;
}

int img_fixture_cleanup(void)
{
	return 0;
}

const char *img_fixture_dir(void)
{
	return dir[0] ? dir : NULL;
}

const char *img_fixture_why(void)
{
	return why;
}

const char *img_fixture_scratch(const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s", scratch_dir[0] ? scratch_dir : "/tmp", name);
	return path;
}

uint8_t *img_fixture_slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf = NULL;
	long n;

	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET))
		goto out;
	buf = malloc(n + 1);
	if (buf && fread(buf, 1, n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	*len = n;
out:
	fclose(f);
	return buf;
}
