// SPDX-License-Identifier: GPL-2.0
/*
 * The menu parsers on texts written here. Expectations follow GRUB 2's manual (default as
 * an index, id or title per submenu level joined by '>'; an unknown default boots entry
 * 0; variables; grubenv), GRUB legacy's (partitions counted from 0 in `root (hd0,N)`) and
 * syslinux's (LABEL, MENU DEFAULT, initrd= in APPEND, paths relative to the config).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "toolstack/image/menu.h"

static struct boot_menu m;
static char err[512];
static const char *grubenv_text;

static int fake_read(void *ctx, const char *path, uint64_t max, uint8_t **data, size_t *len)
{
	if (!grubenv_text || strcmp(path, "/boot/grub/grubenv"))
		return -ENOENT;
	if (strlen(grubenv_text) > max)
		return -EFBIG;
	*data = (uint8_t *)strdup(grubenv_text);
	*len = strlen(grubenv_text);
	return 0;
}

static const struct menu_files files = { NULL, fake_read, NULL };

static int grub2(const char *text)
{
	menu_free(&m);
	return menu_parse_grub2(text, strlen(text), "/boot/grub/grub.cfg", &files, &m, err,
				sizeof(err));
}

static const struct menu_entry *dflt(void)
{
	return &m.entries[m.dflt];
}

static const char nested[] = "set timeout=5\n"
			     "menuentry 'Zero' --id zero { linux /k0 a=0; initrd /i0 }\n"
			     "submenu 'Sub' --id sub {\n"
			     "  menuentry \"One\" --class x --id one {\n"
			     "    linux (hd0,msdos2)/k1 b=\"1 2\" c=$v\n"
			     "    initrd /i1 /microcode.img\n"
			     "  }\n"
			     "  menuentry 'Two' --id two {\n"
			     "    set root=(hd0,gpt3)\n"
			     "    linux16 /k2\n"
			     "  }\n"
			     "}\n"
			     "menuentry 'Three' { chainloader +1 }\n";

static void test_grub2_default_forms(void)
{
	static const struct {
		const char *def;
		const char *title;
		bool fallback;
	} cases[] = {
		{ "", "Zero", false },
		{ "0", "Zero", false },
		{ "1>1", "Sub>Two", false },
		{ "1", "Sub>One", false }, /* a submenu: its first entry */
		{ "sub>two", "Sub>Two", false },
		{ "Sub>One", "Sub>One", false },
		{ "sub>One", "Sub>One", false },
		{ "2", "Three", false },
		{ "7", "Zero", true },
		{ "nonesuch", "Zero", true },
		{ "sub>nonesuch", "Zero", true },
	};

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char text[1024];

		snprintf(text, sizeof(text), "set default=\"%s\"\n%s", cases[i].def, nested);
		CU_ASSERT_EQUAL_FATAL(grub2(text), 0);
		CU_ASSERT_STRING_EQUAL(dflt()->title, cases[i].title);
		CU_ASSERT_EQUAL(m.dflt_fallback, cases[i].fallback);
	}
}

static void test_grub2_entries(void)
{
	char text[1024];

	/* Bodies run at boot time: they see v as the whole file left it. */
	snprintf(text, sizeof(text), "v=early\nset default=1>0\n%sv=final\n", nested);
	CU_ASSERT_EQUAL_FATAL(grub2(text), 0);
	CU_ASSERT_EQUAL_FATAL(m.nr, 4);
	CU_ASSERT_STRING_EQUAL(dflt()->title, "Sub>One");
	CU_ASSERT_STRING_EQUAL(dflt()->id, "one");
	CU_ASSERT_STRING_EQUAL(dflt()->kernel, "/k1");
	CU_ASSERT_EQUAL(dflt()->root_part, 2);
	CU_ASSERT_STRING_EQUAL(dflt()->args, "b=1 2 c=final");
	CU_ASSERT_EQUAL_FATAL(dflt()->nr_initrd, 2);
	CU_ASSERT_STRING_EQUAL(dflt()->initrd[1], "/microcode.img");
	CU_ASSERT_STRING_EQUAL(m.entries[0].args, "a=0");
	CU_ASSERT_EQUAL(m.entries[0].root_part, MENU_ROOT_SAME);
	CU_ASSERT_EQUAL(m.entries[2].root_part, 3); /* set root inside the entry */
	CU_ASSERT_STRING_EQUAL(m.entries[2].args, "");
	CU_ASSERT_PTR_NULL(m.entries[3].kernel); /* chainloader: listed, not bootable */
}

static void test_grub2_saved_entry(void)
{
	static const char cfg[] = "if [ -s $prefix/grubenv ]; then\n"
				  "  set have_grubenv=true\n"
				  "  load_env\n"
				  "fi\n"
				  "if [ \"${next_entry}\" ] ; then\n"
				  "   set default=\"${next_entry}\"\n"
				  "elif [ x${saved_entry} != x ]; then\n"
				  "   set default=\"${saved_entry}\"\n"
				  "else\n"
				  "   set default=\"0\"\n"
				  "fi\n"
				  "menuentry_id_option=\"--id\"\n"
				  "menuentry 'A' { linux /a }\n"
				  "menuentry 'B' { linux /b }\n"
				  "menuentry 'C' $menuentry_id_option 'c-id' { linux /c }\n";

	grubenv_text = NULL;
	CU_ASSERT_EQUAL_FATAL(grub2(cfg), 0);
	CU_ASSERT_STRING_EQUAL(dflt()->title, "A");
	grubenv_text = "# GRUB Environment Block\nsaved_entry=B\n##########";
	CU_ASSERT_EQUAL_FATAL(grub2(cfg), 0);
	CU_ASSERT_STRING_EQUAL(dflt()->title, "B");
	grubenv_text = "# GRUB Environment Block\nsaved_entry=B\nnext_entry=c-id\n###";
	CU_ASSERT_EQUAL_FATAL(grub2(cfg), 0);
	CU_ASSERT_STRING_EQUAL(dflt()->title, "C");
	grubenv_text = NULL;
}

static void test_grub2_errors(void)
{
	CU_ASSERT_EQUAL(grub2("menuentry 'a' {\n linux /a\n"), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "expected \"}\""));
	CU_ASSERT_EQUAL(grub2("set x=1\nmenuentry 'a {\n"), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 2: unterminated ' quote"));
	CU_ASSERT_EQUAL(grub2("if true; then\nmenuentry a { linux /a }\n"), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "expected \"fi\""));
	CU_ASSERT_EQUAL(grub2("set default=0\n"), -ENOENT);
	CU_ASSERT_EQUAL(grub2("menuentry { linux /a }\n"), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "without a title"));
	CU_ASSERT_EQUAL(grub2("menuentry a { linux (hd1,1)/a }\n"), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "other than the image's disk"));
	CU_ASSERT_EQUAL(grub2("}\n"), -EINVAL);
}

static void test_grub2_deep_nesting(void)
{
	char text[4096] = "";

	for (int i = 0; i < 40; i++)
		strcat(text, "if true; then\n");
	CU_ASSERT_EQUAL(grub2(text), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "nested deeper"));
}

static int legacy(const char *text)
{
	menu_free(&m);
	return menu_parse_grub_legacy(text, strlen(text), "/boot/grub/menu.lst", &files, &m, err,
				      sizeof(err));
}

static void test_grub_legacy(void)
{
	CU_ASSERT_EQUAL_FATAL(
		legacy("# comment\ndefault=1\ntimeout 0\nhiddenmenu\n"
		       "title First one\nroot (hd0,0)\n"
		       "kernel /boot/vmlinuz-a root=/dev/xvda1 ro\ninitrd /boot/initrd-a\n"
		       "title Second\n  root   (hd0,1)\n"
		       "  kernel --no-mem-option /vmlinuz-b console=hvc0\n"
		       "title Third\nkernel (hd0)/vmlinuz-c\n"),
		0);
	CU_ASSERT_EQUAL_FATAL(m.nr, 3);
	CU_ASSERT_EQUAL(m.dflt, 1);
	CU_ASSERT_STRING_EQUAL(m.entries[0].title, "First one");
	CU_ASSERT_EQUAL(m.entries[0].root_part, 1);
	CU_ASSERT_STRING_EQUAL(m.entries[0].args, "root=/dev/xvda1 ro");
	CU_ASSERT_STRING_EQUAL(m.entries[0].initrd[0], "/boot/initrd-a");
	CU_ASSERT_EQUAL(m.entries[1].root_part, 2);
	CU_ASSERT_STRING_EQUAL(m.entries[1].kernel, "/vmlinuz-b");
	CU_ASSERT_STRING_EQUAL(m.entries[1].args, "console=hvc0");
	CU_ASSERT_EQUAL(m.entries[1].nr_initrd, 0);
	CU_ASSERT_EQUAL(m.entries[2].root_part, 0);
	CU_ASSERT_STRING_EQUAL(m.entries[2].args, "");
	CU_ASSERT_EQUAL_FATAL(legacy("default 5\ntitle a\nkernel /a\n"), 0);
	CU_ASSERT_EQUAL(m.dflt, 0);
	CU_ASSERT(m.dflt_fallback);
	CU_ASSERT_EQUAL(legacy("title a\nroot (fd0)\n"), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "line 2"));
	CU_ASSERT_EQUAL(legacy("default 0\n"), -ENOENT);
}

static int extlinux(const char *text)
{
	menu_free(&m);
	return menu_parse_extlinux(text, strlen(text), "/boot/extlinux/extlinux.conf", &m, err,
				   sizeof(err));
}

static void test_extlinux(void)
{
	CU_ASSERT_EQUAL_FATAL(
		extlinux("default b\nLABEL a\n kernel /vmlinuz-a\n"
			 " APPEND root=/dev/xvda1 initrd=/i-a,../i-a2 quiet\n"
			 "label b\n MENU LABEL Bee\n LINUX ../vmlinuz-b\n INITRD i-b\n"
			 " append -\n"),
		0);
	CU_ASSERT_EQUAL_FATAL(m.nr, 2);
	CU_ASSERT_EQUAL(m.dflt, 1);
	CU_ASSERT_STRING_EQUAL(dflt()->title, "Bee");
	CU_ASSERT_STRING_EQUAL(dflt()->kernel, "/boot/extlinux/../vmlinuz-b");
	CU_ASSERT_STRING_EQUAL(dflt()->initrd[0], "/boot/extlinux/i-b");
	CU_ASSERT_STRING_EQUAL(dflt()->args, "");
	CU_ASSERT_EQUAL_FATAL(m.entries[0].nr_initrd, 2);
	CU_ASSERT_STRING_EQUAL(m.entries[0].initrd[0], "/i-a");
	CU_ASSERT_STRING_EQUAL(m.entries[0].initrd[1], "/boot/extlinux/../i-a2");
	CU_ASSERT_EQUAL_FATAL(extlinux("LABEL a\nkernel /a\nLABEL b\nkernel /b\nMENU DEFAULT\n"),
			      0);
	CU_ASSERT_EQUAL(m.dflt, 1);
	CU_ASSERT_EQUAL(extlinux("DEFAULT x\n"), -ENOENT);
}

static void test_select(void)
{
	unsigned int i;

	CU_ASSERT_EQUAL_FATAL(grub2(nested), 0);
	CU_ASSERT_EQUAL(menu_select(&m, NULL, &i, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(i, 0);
	CU_ASSERT_EQUAL(menu_select(&m, "2", &i, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(i, 2);
	CU_ASSERT_EQUAL(menu_select(&m, "Sub>Two", &i, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(i, 2);
	CU_ASSERT_EQUAL(menu_select(&m, "One", &i, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(i, 1);
	CU_ASSERT_EQUAL(menu_select(&m, "two", &i, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(i, 2);
	CU_ASSERT_EQUAL(menu_select(&m, "4", &i, err, sizeof(err)), -ENOENT);
	CU_ASSERT_EQUAL(menu_select(&m, "Four", &i, err, sizeof(err)), -ENOENT);
	menu_free(&m);
}

UNIT_SUITE(menus, NULL, NULL, UNIT_TEST(test_grub2_default_forms), UNIT_TEST(test_grub2_entries),
	   UNIT_TEST(test_grub2_saved_entry), UNIT_TEST(test_grub2_errors),
	   UNIT_TEST(test_grub2_deep_nesting), UNIT_TEST(test_grub_legacy),
	   UNIT_TEST(test_extlinux), UNIT_TEST(test_select));
