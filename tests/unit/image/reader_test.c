// SPDX-License-Identifier: GPL-2.0
/*
 * The image read in a confined child (toolstack/image/reader.h): the same answer as
 * reading in-process, the reader running as nobody (when the tests run as root) under a
 * seccomp filter that refuses opening files, and a reader that crashes, hangs or answers
 * garbage being an error for the caller, never its crash.
 */
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "tests/unit/image/image_fixture.h"
#include "toolstack/image/errmsg.h"
#include "toolstack/image/reader.h"

static char err[512];

static const char *image(const char *name)
{
	static char path[512];

	snprintf(path, sizeof(path), "%s/%s.img", img_fixture_dir(), name);
	return path;
}

#define NEED_IMAGES()                                       \
	do {                                                \
		if (!img_fixture_dir()) {                   \
			unit_skip("%s", img_fixture_why()); \
			return;                             \
		}                                           \
	} while (0)

/* The same entry, command line and bytes as img_open() + img_load_entry() in-process. */
static void test_same_answer(void)
{
	struct img_boot *in = calloc(1, sizeof(*in)), *out = calloc(1, sizeof(*out));
	struct img_reader_opts o = { 0 };

	NEED_IMAGES();
	CU_ASSERT_EQUAL_FATAL(img_open(image("debian-mbr"), in, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(img_load_entry(in, NULL, NULL, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(img_read_isolated(image("debian-mbr"), &o, out, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(out->menu.nr, in->menu.nr);
	CU_ASSERT_EQUAL(out->entry, in->entry);
	CU_ASSERT_EQUAL(out->kernel_part, in->kernel_part);
	CU_ASSERT_STRING_EQUAL(out->menu.format, in->menu.format);
	CU_ASSERT_STRING_EQUAL(out->menu_path, in->menu_path);
	CU_ASSERT_STRING_EQUAL(out->menu.entries[out->entry].title,
			       in->menu.entries[in->entry].title);
	CU_ASSERT_STRING_EQUAL(out->menu.entries[out->entry].args,
			       in->menu.entries[in->entry].args);
	CU_ASSERT(out->kernel_len == in->kernel_len &&
		  !memcmp(out->kernel, in->kernel, in->kernel_len));
	CU_ASSERT(out->initrd_len == in->initrd_len &&
		  !memcmp(out->initrd, in->initrd, in->initrd_len));
	img_close(in);
	img_close(out);
	/* Listing only, and an entry on request. */
	o.list_only = true;
	CU_ASSERT_EQUAL(img_read_isolated(image("centos-bls"), &o, out, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(out->menu.nr, 3);
	CU_ASSERT_PTR_NULL(out->kernel);
	img_close(out);
	o = (struct img_reader_opts){ .entry = "0" };
	CU_ASSERT_EQUAL(img_read_isolated(image("amazon-whole"), &o, out, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(out->entry, 0);
	img_close(out);
	free(in);
	free(out);
}

/* The reader's own refusal comes back with its message and code. */
static void test_refusal(void)
{
	struct img_boot *b = calloc(1, sizeof(*b));
	struct img_reader_opts o = { .entry = "outside" };
	const char *zero = img_fixture_scratch("zero.img");
	int fd = open(zero, O_CREAT | O_TRUNC | O_WRONLY, 0644);

	NEED_IMAGES();
	CU_ASSERT_FATAL(fd >= 0 && !ftruncate(fd, 1 << 20));
	close(fd);
	CU_ASSERT_EQUAL(img_read_isolated(zero, &o, b, err, sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "no partition table"));
	CU_ASSERT_EQUAL(img_read_isolated(image("bad-paths"), &o, b, err, sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "leaves the filesystem"));
	CU_ASSERT_EQUAL(img_read_isolated("/nonexistent.img", &o, b, err, sizeof(err)), -ENOENT);
	free(b);
}

/* Inside the reader: not root any more (when we are), and no file can be opened. */
static int check_confined(int fd, const char *img, const struct img_reader_opts *o,
			  struct img_boot *b, char *e, size_t elen)
{
	const struct passwd *pw = NULL;
	int probe;

	if (o->set_uid && getuid() != o->uid)
		return img_err(e, elen, -EPERM, "still uid %u", getuid());
	probe = open("/etc/hostname", O_RDONLY);
	if (probe >= 0 || errno != EPERM)
		return img_err(e, elen, -EACCES, "open: %d %s", probe, strerror(errno));
	(void)pw;
	b->menu.format = "GRUB 2";
	return 0;
}

static void test_confined(void)
{
	struct img_boot *b = calloc(1, sizeof(*b));
	struct img_reader_opts o = { .list_only = true };

	NEED_IMAGES();
	err[0] = '\0';
	if (geteuid() == 0) {
		o.set_uid = true;
		o.uid = 65534;
	}
	if (img_read_isolated_with(image("amazon-whole"), &o, check_confined, b, err, sizeof(err)))
		fprintf(stderr, "confined: %s\n", err);
	CU_ASSERT_STRING_EQUAL(err, "");
	img_close(b);
	free(b);
}

/* A crash as the caller sees it: the reader dies of a signal. SIGKILL rather than a real
 * fault, which AddressSanitizer (make check SANITIZE=1) would turn into an exit. */
static int crash(int fd, const char *img, const struct img_reader_opts *o, struct img_boot *b,
		 char *e, size_t elen)
{
	raise(SIGKILL);
	return 0;
}

static int hang(int fd, const char *img, const struct img_reader_opts *o, struct img_boot *b,
		char *e, size_t elen)
{
	for (volatile int spin = 1; spin;)
		;
	return 0;
}

/* A parser crash or hang is the reader's end, and a clear error here. */
static void test_crash_and_hang(void)
{
	struct img_boot *b = calloc(1, sizeof(*b));
	struct img_reader_opts o = { .timeout_s = 1 };

	NEED_IMAGES();
	CU_ASSERT_EQUAL(
		img_read_isolated_with(image("amazon-whole"), &o, crash, b, err, sizeof(err)),
		-ECHILD);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "killed by signal 9"));
	CU_ASSERT_EQUAL(
		img_read_isolated_with(image("amazon-whole"), &o, hang, b, err, sizeof(err)),
		-ETIMEDOUT);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "did not finish within 1 s"));
	free(b);
}

/* The caller's decoder against a reader that lies: truncated, counts and indices out of
 * range; the real encoding round-trips. */
static void test_wire(void)
{
	struct img_boot *b = calloc(1, sizeof(*b)), *d = calloc(1, sizeof(*d));
	struct menu_entry *e;
	char *buf;
	size_t len;
	bool loaded;

	b->menu.format = "extlinux";
	snprintf(b->menu_path, sizeof(b->menu_path), "/extlinux.conf");
	b->menu.nr = 2;
	for (int i = 0; i < 2; i++) {
		e = &b->menu.entries[i];
		e->title = strdup(i ? "two" : "one");
		e->kernel = strdup("/k");
		e->args = strdup("a=1");
		e->root_part = i ? 6 : MENU_ROOT_SAME;
	}
	e->initrd[0] = strdup("/i");
	e->nr_initrd = 1;
	b->entry = 1;
	CU_ASSERT_EQUAL_FATAL(img_wire_encode(b, true, &buf, &len), 0);
	CU_ASSERT_EQUAL_FATAL(img_wire_decode(buf, len, d, &loaded, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(loaded);
	CU_ASSERT_EQUAL(d->menu.nr, 2);
	CU_ASSERT_STRING_EQUAL(d->menu.format, "extlinux");
	CU_ASSERT_STRING_EQUAL(d->menu.entries[1].initrd[0], "/i");
	CU_ASSERT_EQUAL(d->menu.entries[1].root_part, 6);
	CU_ASSERT_EQUAL(d->menu.entries[0].root_part, MENU_ROOT_SAME);
	CU_ASSERT_PTR_NULL(d->menu.entries[0].id);
	menu_free(&d->menu);
	for (size_t cut = 0; cut < len; cut += 3)
		CU_ASSERT_EQUAL(img_wire_decode(buf, cut, d, &loaded, err, sizeof(err)), -EPROTO);
	/* The entry count (after magic, format, path, part) beyond the menu's limit. */
	memset(buf + 4 + 4 + 4 + strlen("/extlinux.conf") + 4, 0xff, 4);
	CU_ASSERT_EQUAL(img_wire_decode(buf, len, d, &loaded, err, sizeof(err)), -EPROTO);
	free(buf);
	b->entry = 7; /* chosen entry out of range */
	CU_ASSERT_EQUAL_FATAL(img_wire_encode(b, true, &buf, &len), 0);
	CU_ASSERT_EQUAL(img_wire_decode(buf, len, d, &loaded, err, sizeof(err)), -EPROTO);
	free(buf);
	menu_free(&b->menu);
	free(b);
	free(d);
}

UNIT_SUITE(reader, img_fixture_init, img_fixture_cleanup, UNIT_TEST(test_same_answer),
	   UNIT_TEST(test_refusal), UNIT_TEST(test_confined), UNIT_TEST(test_crash_and_hang),
	   UNIT_TEST(test_wire));
