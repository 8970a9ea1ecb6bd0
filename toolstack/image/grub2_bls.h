/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Boot Loader Specification entries as GRUB's `blscfg` command reads them (Fedora's
 * blscfg module, in the GRUB of CentOS Stream 8/9, RHEL 8/9, Fedora and Amazon Linux
 * 2023): every *.conf file of $blsdir, else /loader/entries, else /boot/loader/entries on
 * the boot filesystem; one "key value" per line (title, version, linux, initrd, which may
 * repeat, options; the rest ignored), '#' comments, the file ending at the first line
 * that is not a key and a value; sorted newest first by `version` (rpm's version
 * comparison), then by file name, entries without a version first. An entry's id is its file name without ".conf".
 */
#ifndef XENKVM_TOOLSTACK_IMAGE_GRUB2_BLS_H
#define XENKVM_TOOLSTACK_IMAGE_GRUB2_BLS_H

#include <stddef.h>

#include "toolstack/image/menu.h"

#define BLS_MAX_FILE (64u << 10) /* bytes of one entry file read, at most */

struct bls_entry {
	char *id, *title, *version, *kernel, *options; /* NULL when the file has none */
	char *initrd[MENU_MAX_INITRDS];
	unsigned int nr_initrd;
};

/*
 * The entries of dir (NULL: /loader/entries, then /boot/loader/entries), sorted as GRUB
 * shows them; files without a `linux` key are left out, as blscfg skips them. No
 * directory is no entries (0). -errno with a message otherwise.
 */
int bls_read_entries(const struct menu_files *f, const char *dir, struct bls_entry **entries,
		     unsigned int *nr, char *err, size_t errlen);
void bls_free_entries(struct bls_entry *entries, unsigned int nr);

/* rpm's version comparison (rpmvercmp): <0, 0, >0 as a is older, the same, newer. */
int bls_vercmp(const char *a, const char *b);

#endif
