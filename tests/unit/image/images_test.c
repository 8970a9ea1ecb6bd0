// SPDX-License-Identifier: GPL-2.0
/*
 * The images tests/images/mkimages builds (MBR, GPT with a separate /boot, partitionless,
 * logical partitions; menus as Debian, CentOS (GRUB 2 and BLS), Amazon Linux and extlinux
 * write them): the
 * default entry must be the one each .expect file names (written by the script from the
 * menus it wrote), with the staging tree's kernel and initrd bytes.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "tests/unit/image/image_fixture.h"
#include "toolstack/image/image.h"

/* The value of KEY in DIR/NAME.expect, into buf. */
static const char *expect(const char *name, const char *key, char *buf, size_t len)
{
	char path[512], line[1024];
	size_t klen = strlen(key);
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s.expect", img_fixture_dir(), name);
	f = fopen(path, "r");
	buf[0] = '\0';
	if (!f)
		return buf;
	while (fgets(line, sizeof(line), f)) {
		line[strcspn(line, "\n")] = '\0';
		if (!strncmp(line, key, klen) && line[klen] == '=') {
			snprintf(buf, len, "%s", line + klen + 1);
			break;
		}
	}
	fclose(f);
	return buf;
}

static void check_file(const uint8_t *data, size_t len, const char *path)
{
	size_t flen;
	uint8_t *want = img_fixture_slurp(path, &flen);

	CU_ASSERT_PTR_NOT_NULL_FATAL(want);
	CU_ASSERT_EQUAL(len, flen);
	CU_ASSERT(len == flen && !memcmp(data, want, len));
	free(want);
}

static void check_image(const char *name)
{
	struct img_boot *b = calloc(1, sizeof(*b));
	char img[512], err[512], v[1024];
	const struct menu_entry *e;
	int rc;

	if (!img_fixture_dir()) {
		unit_skip("%s", img_fixture_why());
		free(b);
		return;
	}
	snprintf(img, sizeof(img), "%s/%s.img", img_fixture_dir(), name);
	rc = img_open(img, b, err, sizeof(err));
	if (rc)
		fprintf(stderr, "%s: %s\n", name, err);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	CU_ASSERT_STRING_EQUAL(img_scheme_name(b->table.scheme),
			       expect(name, "scheme", v, sizeof(v)));
	CU_ASSERT_EQUAL(b->menu_fs.part, (unsigned)atoi(expect(name, "menu_part", v, sizeof(v))));
	CU_ASSERT_STRING_EQUAL(b->menu_path, expect(name, "menu", v, sizeof(v)));
	CU_ASSERT_STRING_EQUAL(b->menu.format, expect(name, "format", v, sizeof(v)));
	CU_ASSERT_EQUAL(b->menu.nr, (unsigned)atoi(expect(name, "entries", v, sizeof(v))));
	CU_ASSERT_FALSE(b->menu.dflt_fallback);
	rc = img_load_entry(b, NULL, NULL, err, sizeof(err));
	if (rc)
		fprintf(stderr, "%s: %s\n", name, err);
	CU_ASSERT_EQUAL_FATAL(rc, 0);
	e = &b->menu.entries[b->entry];
	CU_ASSERT_STRING_EQUAL(e->title, expect(name, "title", v, sizeof(v)));
	CU_ASSERT_STRING_EQUAL(e->args, expect(name, "cmdline", v, sizeof(v)));
	CU_ASSERT_EQUAL(b->kernel_part, (unsigned)atoi(expect(name, "kernel_part", v, sizeof(v))));
	check_file(b->kernel, b->kernel_len, expect(name, "kernel_file", v, sizeof(v)));
	check_file(b->initrd, b->initrd_len, expect(name, "initrd_file", v, sizeof(v)));
	img_close(b);
	free(b);
}

static void test_debian_mbr(void)
{
	check_image("debian-mbr");
}

static void test_centos_gpt(void)
{
	check_image("centos-gpt");
}

static void test_amazon_whole(void)
{
	check_image("amazon-whole");
}

static void test_ext_logical(void)
{
	check_image("ext-logical");
}

/* CentOS Stream 8's blscfg: BLS entries, saved_entry an entry's id, $kernelopts. */
static void test_centos_bls(void)
{
	check_image("centos-bls");
}

/* Entry choice on request: by index and by title, as `xl create --entry` passes them. */
static void test_entry_choice(void)
{
	struct img_boot *b = calloc(1, sizeof(*b));
	char img[512], err[512];

	if (!img_fixture_dir()) {
		unit_skip("%s", img_fixture_why());
		free(b);
		return;
	}
	snprintf(img, sizeof(img), "%s/debian-mbr.img", img_fixture_dir());
	CU_ASSERT_EQUAL_FATAL(img_open(img, b, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(img_load_entry(b, "0", NULL, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(b->menu.entries[b->entry].title, "Debian GNU/Linux");
	CU_ASSERT_PTR_NOT_NULL(strstr(b->menu.entries[b->entry].kernel, "6.12"));
	img_close(b);
	CU_ASSERT_EQUAL_FATAL(img_open(img, b, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(img_load_entry(b, "9", NULL, err, sizeof(err)), -ENOENT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "0-3"));
	CU_ASSERT_EQUAL(img_load_entry(b, "No such entry", NULL, err, sizeof(err)), -ENOENT);
	/* A limit below the kernel's size: a clear error, nothing read. */
	CU_ASSERT_EQUAL(
		img_load_entry(b, NULL, &(struct img_limits){ 8, 1 << 20 }, err, sizeof(err)),
		-EFBIG);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "allowed"));
	CU_ASSERT_PTR_NULL(b->kernel);
	img_close(b);
	free(b);
}

/* Files a menu names: confined to the filesystem, and every refusal says why. */
static void test_bad_paths(void)
{
	static const struct {
		const char *entry;
		int rc;
		const char *msg;
	} cases[] = {
		{ "outside", -EINVAL, "leaves the filesystem" },
		{ "missing", -ENOENT, "/boot/nonexistent: no such file" },
		{ "loop", -ELOOP, "too many levels of symbolic links" },
		{ "dir", -EISDIR, "not a regular file" },
		{ "up", 0, NULL }, /* ../../.. stops at the filesystem's root */
		{ "abs", -ENOENT, "initrd /boot/missing-initrd: no such file" },
		{ "big", -EFBIG, "is more than the 2097152 allowed" },
	};
	struct img_boot *b = calloc(1, sizeof(*b));
	struct img_limits lim = { 2 << 20, 2 << 20 };
	char img[512], err[512], v[1024];

	if (!img_fixture_dir()) {
		unit_skip("%s", img_fixture_why());
		free(b);
		return;
	}
	snprintf(img, sizeof(img), "%s/bad-paths.img", img_fixture_dir());
	CU_ASSERT_EQUAL_FATAL(img_open(img, b, err, sizeof(err)), 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		int rc = img_load_entry(b, cases[i].entry, &lim, err, sizeof(err));

		CU_ASSERT_EQUAL(rc, cases[i].rc);
		if (cases[i].msg && !strstr(err, cases[i].msg)) {
			fprintf(stderr, "%s: %s\n", cases[i].entry, err);
			CU_FAIL("message");
		}
		if (!rc) {
			check_file(b->kernel, b->kernel_len,
				   expect("bad-paths", "kernel_file", v, sizeof(v)));
			free(b->kernel);
			free(b->initrd);
			b->kernel = b->initrd = NULL;
		}
	}
	img_close(b);
	free(b);
}

UNIT_SUITE(images, img_fixture_init, img_fixture_cleanup, UNIT_TEST(test_debian_mbr),
	   UNIT_TEST(test_centos_gpt), UNIT_TEST(test_amazon_whole), UNIT_TEST(test_ext_logical),
	   UNIT_TEST(test_centos_bls), UNIT_TEST(test_entry_choice), UNIT_TEST(test_bad_paths));
