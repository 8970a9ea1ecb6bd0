// SPDX-License-Identifier: GPL-2.0
/*
 * Boot Loader Specification entries through grub.cfg's `blscfg`, on files written here.
 * Expectations follow the Boot Loader Specification (keys title, version, linux, initrd
 * repeated, options; the id is the file name without .conf), Fedora's blscfg module as
 * CentOS Stream 9 and Amazon Linux 2023 ship it (entries in /loader/entries, else
 * /boot/loader/entries; newest version first; a line without a value ends the file;
 * `linux ($root)K options` run by GRUB's shell, so $kernelopts from grubenv expands) and
 * rpm's version comparison (rpmvercmp), which blscfg uses.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "toolstack/image/grub2_bls.h"
#include "toolstack/image/menu.h"

struct fake_file {
	const char *path, *text;
};

static const struct fake_file *fake;
static struct boot_menu m;
static char err[512];

static int fake_read(void *ctx, const char *path, uint64_t max, uint8_t **data, size_t *len)
{
	for (const struct fake_file *f = fake; f && f->path; f++)
		if (!strcmp(f->path, path)) {
			if (strlen(f->text) > max)
				return -EFBIG;
			*data = (uint8_t *)strdup(f->text);
			*len = strlen(f->text);
			return 0;
		}
	return -ENOENT;
}

/* The names directly under dir; the directory exists when some file is under it. */
static int fake_list(void *ctx, const char *dir, char ***names, unsigned int *nr)
{
	size_t dl = strlen(dir);
	bool found = false;

	*names = calloc(16, sizeof(char *));
	*nr = 0;
	for (const struct fake_file *f = fake; f && f->path; f++) {
		if (strncmp(f->path, dir, dl) || f->path[dl] != '/')
			continue;
		found = true;
		if (!strchr(f->path + dl + 1, '/') && *nr < 16)
			(*names)[(*nr)++] = strdup(f->path + dl + 1);
	}
	if (!found) {
		free(*names);
		*names = NULL;
		return -ENOENT;
	}
	return 0;
}

static const struct menu_files files = { NULL, fake_read, fake_list };

static int parse(const char *cfg)
{
	menu_free(&m);
	return menu_parse_grub2(cfg, strlen(cfg), "/boot/grub2/grub.cfg", &files, &m, err,
				sizeof(err));
}

static void test_vercmp(void)
{
	static const struct {
		const char *a, *b;
		int want;
	} cases[] = {
		{ "1.0", "1.0", 0 },
		{ "1.0", "1.0.1", -1 },
		{ "1.10", "1.9", 1 },
		{ "6.12.117", "6.1.0", 1 },
		{ "1.0a", "1.0", 1 },
		{ "1.01", "1.1", 0 },
		{ "2.0", "2_0", 0 },
		{ "a", "1", -1 },
		{ "alpha", "beta", -1 },
		{ "5.14.0-362.el9.x86_64", "0-rescue-1234", 1 },
		{ "6.1.0-57-amd64", "6.1.0-9-amd64", 1 },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		CU_ASSERT_EQUAL(bls_vercmp(cases[i].a, cases[i].b), cases[i].want);
		CU_ASSERT_EQUAL(bls_vercmp(cases[i].b, cases[i].a), -cases[i].want);
	}
}

/* As CentOS Stream 9 writes /boot/grub2/grub.cfg around blscfg, /boot on the root fs. */
static const char centos_cfg[] = "set pager=1\n"
				 "if [ -f ${config_directory}/grubenv ]; then\n"
				 "  load_env -f ${config_directory}/grubenv\n"
				 "elif [ -s $prefix/grubenv ]; then\n"
				 "  load_env\n"
				 "fi\n"
				 "if [ \"${next_entry}\" ] ; then\n"
				 "   set default=\"${next_entry}\"\n"
				 "else\n"
				 "   set default=\"${saved_entry}\"\n"
				 "fi\n"
				 "function load_video { insmod all_video }\n"
				 "insmod part_gpt\n"
				 "set root='hd0,gpt2'\n"
				 "insmod blscfg\n"
				 "blscfg\n";

static const struct fake_file centos_files[] = {
	{ "/boot/grub2/grubenv", "# GRUB Environment Block\n"
				 "saved_entry=abc-6.1.0-57-amd64\n"
				 "kernelopts=root=UUID=42 ro  console=hvc0\n"
				 "#####" },
	{ "/boot/loader/entries/abc-6.1.0-57-amd64.conf",
	  "title CentOS Stream (6.1.0-57-amd64) 9\n"
	  "version 6.1.0-57-amd64\n"
	  "linux /boot/vmlinuz-6.1.0-57-amd64\n"
	  "initrd /boot/initramfs-6.1.0-57-amd64.img\n"
	  "initrd /boot/extra.img\n"
	  "options $kernelopts rd.shell=0\n"
	  "grub_users $grub_users\n"
	  "grub_arg --unrestricted\n"
	  "grub_class centos\n" },
	{ "/boot/loader/entries/abc-6.12.117.conf", "title CentOS Stream (6.12.117) 9\n"
						    "version 6.12.117\n"
						    "linux /boot/vmlinuz-6.12.117\n"
						    "initrd /boot/initramfs-6.12.117.img\n"
						    "options root=UUID=42 ro\n" },
	{ "/boot/loader/entries/abc-0-rescue-99.conf", "title CentOS Stream (0-rescue-99) 9\n"
						       "version 0-rescue-99\n"
						       "linux /boot/vmlinuz-0-rescue-99\n"
						       "options root=UUID=42 ro\n" },
	{ "/boot/loader/entries/notes.txt", "title not an entry\nlinux /x\n" },
	{ "/boot/loader/entries/.hidden.conf", "title hidden\nlinux /x\n" },
	{ "/boot/loader/entries/nolinux.conf", "title no kernel\n" },
	{ NULL, NULL },
};

static void test_centos_stream(void)
{
	const struct menu_entry *e;

	fake = centos_files;
	CU_ASSERT_EQUAL_FATAL(parse(centos_cfg), 0);
	CU_ASSERT_EQUAL_FATAL(m.nr, 3);
	/* Newest version first, the rescue entry (version 0-...) last. */
	CU_ASSERT_STRING_EQUAL(m.entries[0].title, "CentOS Stream (6.12.117) 9");
	CU_ASSERT_STRING_EQUAL(m.entries[1].title, "CentOS Stream (6.1.0-57-amd64) 9");
	CU_ASSERT_STRING_EQUAL(m.entries[2].title, "CentOS Stream (0-rescue-99) 9");
	CU_ASSERT_STRING_EQUAL(m.entries[1].id, "abc-6.1.0-57-amd64");
	/* saved_entry names the file's id. */
	CU_ASSERT_EQUAL(m.dflt, 1);
	CU_ASSERT_FALSE(m.dflt_fallback);
	e = &m.entries[1];
	CU_ASSERT_STRING_EQUAL(e->kernel, "/boot/vmlinuz-6.1.0-57-amd64");
	/* $kernelopts from grubenv, words joined by single spaces as GRUB's shell does. */
	CU_ASSERT_STRING_EQUAL(e->args, "root=UUID=42 ro console=hvc0 rd.shell=0");
	CU_ASSERT_EQUAL_FATAL(e->nr_initrd, 2);
	CU_ASSERT_STRING_EQUAL(e->initrd[0], "/boot/initramfs-6.1.0-57-amd64.img");
	CU_ASSERT_STRING_EQUAL(e->initrd[1], "/boot/extra.img");
	/* ($root) is hd0,gpt2: the files are on partition 2. */
	CU_ASSERT_EQUAL(e->root_part, 2);
	CU_ASSERT_EQUAL(m.entries[2].nr_initrd, 0);
	menu_free(&m);
}

/* Amazon Linux 2023: options written out, no saved_entry: the first boots. A separate
 * /boot (entries in /loader/entries) and blsdir honoured. */
static void test_order_and_places(void)
{
	static const struct fake_file al2023[] = {
		{ "/loader/entries/ec2-6.1.0-57.conf", "title Amazon Linux (6.1.0-57) 2023\n"
						       "version 6.1.0-57\n"
						       "linux /vmlinuz-6.1.0-57\n"
						       "options root=UUID=7 ro console=hvc0\n" },
		{ "/loader/entries/ec2-6.12.117.conf", "title Amazon Linux (6.12.117) 2023\n"
						       "version 6.12.117\n"
						       "linux /vmlinuz-6.12.117\n"
						       "\n"
						       "options after a blank line: not read\n" },
		{ "/loader/entries/ec2-noversion.conf", "linux /vmlinuz-x\n" },
		{ "/elsewhere/x.conf", "title Elsewhere\nlinux /k\n" },
		{ NULL, NULL },
	};

	fake = al2023;
	CU_ASSERT_EQUAL_FATAL(parse("set default=\"${saved_entry}\"\nblscfg\n"), 0);
	CU_ASSERT_EQUAL_FATAL(m.nr, 3);
	/* An entry without a version comes first (blscfg adds them from the end of its
	 * ascending sort, where the versionless sit); no title: the kernel path. */
	CU_ASSERT_STRING_EQUAL(m.entries[0].title, "/vmlinuz-x");
	CU_ASSERT_STRING_EQUAL(m.entries[1].title, "Amazon Linux (6.12.117) 2023");
	CU_ASSERT_STRING_EQUAL(m.entries[1].args, ""); /* the file ended at the blank line */
	CU_ASSERT_EQUAL(m.entries[1].root_part, MENU_ROOT_SAME);
	CU_ASSERT_EQUAL(m.dflt, 0);
	CU_ASSERT_EQUAL_FATAL(parse("set default=2\nblscfg\n"), 0);
	CU_ASSERT_STRING_EQUAL(m.entries[m.dflt].title, "Amazon Linux (6.1.0-57) 2023");
	CU_ASSERT_EQUAL_FATAL(parse("set default='Amazon Linux (6.1.0-57) 2023'\nblscfg\n"), 0);
	CU_ASSERT_EQUAL(m.dflt, 2);
	/* Entries mix with grub.cfg's own menuentries in the order the commands run. */
	CU_ASSERT_EQUAL_FATAL(parse("menuentry 'First' { linux /k }\nblsdir=/elsewhere\nblscfg\n"),
			      0);
	CU_ASSERT_EQUAL_FATAL(m.nr, 2);
	CU_ASSERT_STRING_EQUAL(m.entries[1].title, "Elsewhere");
	CU_ASSERT_STRING_EQUAL(m.entries[1].id, "x");
	/* No entries anywhere: blscfg adds nothing, and a menu without entries is an error. */
	fake = NULL;
	CU_ASSERT_EQUAL(parse("blscfg\n"), -ENOENT);
	menu_free(&m);
}

UNIT_SUITE(bls, NULL, NULL, UNIT_TEST(test_vercmp), UNIT_TEST(test_centos_stream),
	   UNIT_TEST(test_order_and_places));
