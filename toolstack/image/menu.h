/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Boot menus as the bootloaders read them: GRUB 2's grub.cfg (a small script: menuentry,
 * submenu, set, load_env, if), GRUB legacy's menu.lst (what PV-GRUB reads) and
 * extlinux.conf. A parsed menu is the list of bootable entries in menu order (a submenu's
 * entries titled "Submenu>Entry"), each with its kernel, initrds and command line, and the
 * index of the default entry. Parsers never touch the image: the few files a menu reads
 * itself (GRUB's grubenv, `[ -s FILE ]`) come through `struct menu_files`.
 */
#ifndef XENKVM_TOOLSTACK_IMAGE_MENU_H
#define XENKVM_TOOLSTACK_IMAGE_MENU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define MENU_MAX_ENTRIES 256
#define MENU_MAX_INITRDS 8
#define MENU_MAX_TEXT (1u << 20) /* bytes of menu file parsed, at most */
#define MENU_ROOT_SAME -1 /* an entry's files are on the menu's own filesystem */

struct menu_entry {
	char *title; /* "Submenu>Entry" inside submenus */
	char *id; /* GRUB 2's --id, or NULL */
	char *kernel; /* absolute path on the entry's root, device prefix removed */
	char *initrd[MENU_MAX_INITRDS];
	unsigned int nr_initrd;
	char *args; /* the kernel command line ("" when none) */
	int root_part; /* partition the files are on (0: whole disk), or MENU_ROOT_SAME */
};

struct boot_menu {
	const char *format; /* "GRUB 2", "GRUB legacy", "extlinux" */
	unsigned int nr;
	struct menu_entry entries[MENU_MAX_ENTRIES];
	unsigned int dflt;
	bool dflt_fallback; /* the menu's default named no entry: the first is used, as GRUB does */
};

/* What a menu may read of its own filesystem. read: 0, -ENOENT, or -errno. list: the
 * names in a directory (malloc()ed array of malloc()ed names; "." and ".." left out), 0,
 * -ENOENT, -ENOTDIR or -errno; NULL when the reader cannot list. */
struct menu_files {
	void *ctx;
	int (*read)(void *ctx, const char *path, uint64_t max, uint8_t **data, size_t *len);
	int (*list)(void *ctx, const char *dir, char ***names, unsigned int *nr);
};

/* Each parses `text` (NUL terminated, `len` bytes) found at `path`; errors name the line. */
int menu_parse_grub2(const char *text, size_t len, const char *path, const struct menu_files *f,
		     struct boot_menu *m, char *err, size_t errlen);
int menu_parse_grub_legacy(const char *text, size_t len, const char *path,
			   const struct menu_files *f, struct boot_menu *m, char *err,
			   size_t errlen);
int menu_parse_extlinux(const char *text, size_t len, const char *path, struct boot_menu *m,
			char *err, size_t errlen);
void menu_free(struct boot_menu *m);

/* Entry selection: NULL or "" the default; a number the entry's index in the list; else a
 * title ("Submenu>Entry" or the entry's own title) or a GRUB 2 id. -ENOENT with a message. */
int menu_select(const struct boot_menu *m, const char *which, unsigned int *index, char *err,
		size_t errlen);

/* Shared helpers of the parsers (menu_util.c). */
int menu_add_entry(struct boot_menu *m, struct menu_entry **e, char *err, size_t errlen);
/* "(hd0,msdos2)/boot/x" -> "/boot/x" with *part 2 (GRUB 2 counts from 1, legacy from 0:
 * `legacy`); "(hd0)" whole disk 0. No prefix leaves *part alone. NULL if the device is
 * not the first disk or is malformed. Returns a pointer into path. */
const char *menu_strip_device(const char *path, bool legacy, int *part);
/* The partition named by a GRUB root ("hd0,msdos1", "(hd0,1)"); -1 when not parseable. */
int menu_root_part(const char *root, bool legacy);
char *menu_strdup(const char *s);
/*
 * The next line of a menu held in a writable copy, cut at its newline and trimmed of
 * surrounding blanks, skipping blank and '#' comment lines; NULL at the end. *cursor
 * starts at the copy; *line counts every line consumed (start it at 0), so that errors
 * name the line the bootloader would.
 */
char *menu_next_line(char **cursor, int *line);

#endif
