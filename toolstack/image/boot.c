// SPDX-License-Identifier: GPL-2.0
/*
 * From an image to a kernel, initrd and command line. Partitions are searched in table
 * order for a menu file, in pygrub's order of places (GRUB 2's grub.cfg, extlinux.conf,
 * GRUB legacy's menu.lst or grub.conf), with and without /boot for a separate boot
 * partition. An entry's files come from the menu's filesystem unless its root names
 * another partition of the image.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/image/errmsg.h"
#include "toolstack/image/fsprobe.h"
#include "toolstack/image/image.h"

enum menu_kind { MENU_GRUB2, MENU_EXTLINUX, MENU_LEGACY };

static const struct {
	const char *path;
	enum menu_kind kind;
} menu_places[] = {
	{ "/boot/grub/grub.cfg", MENU_GRUB2 },
	{ "/grub/grub.cfg", MENU_GRUB2 },
	{ "/boot/grub2/grub.cfg", MENU_GRUB2 },
	{ "/grub2/grub.cfg", MENU_GRUB2 },
	{ "/boot/extlinux/extlinux.conf", MENU_EXTLINUX },
	{ "/boot/extlinux.conf", MENU_EXTLINUX },
	{ "/extlinux/extlinux.conf", MENU_EXTLINUX },
	{ "/extlinux.conf", MENU_EXTLINUX },
	{ "/boot/grub/menu.lst", MENU_LEGACY },
	{ "/boot/grub/grub.conf", MENU_LEGACY },
	{ "/grub/menu.lst", MENU_LEGACY },
	{ "/grub/grub.conf", MENU_LEGACY },
};

static int fs_read_cb(void *ctx, const char *path, uint64_t max, uint8_t **data, size_t *len)
{
	char err[256];

	return img_fs_read(ctx, path, max, data, len, err, sizeof(err));
}

static int fs_list_cb(void *ctx, const char *dir, char ***names, unsigned int *nr)
{
	char err[256];

	return img_fs_list(ctx, dir, names, nr, err, sizeof(err));
}

static int parse_menu(struct img_boot *b, enum menu_kind kind, const char *text, size_t len,
		      char *err, size_t errlen)
{
	struct menu_files files = { &b->menu_fs, fs_read_cb, fs_list_cb };

	switch (kind) {
	case MENU_GRUB2:
		return menu_parse_grub2(text, len, b->menu_path, &files, &b->menu, err, errlen);
	case MENU_EXTLINUX:
		return menu_parse_extlinux(text, len, b->menu_path, &b->menu, err, errlen);
	default:
		return menu_parse_grub_legacy(text, len, b->menu_path, &files, &b->menu, err,
					      errlen);
	}
}

/* 1 when this filesystem holds a menu (parsed into b->menu), 0 when not, <0 on error. */
static int find_menu(struct img_boot *b, char *err, size_t errlen)
{
	for (size_t i = 0; i < sizeof(menu_places) / sizeof(menu_places[0]); i++) {
		char where[32], perr[256];
		uint8_t *text;
		size_t len;
		int rc;

		rc = img_fs_read(&b->menu_fs, menu_places[i].path, MENU_MAX_TEXT, &text, &len, perr,
				 sizeof(perr));
		if (rc == -ENOENT || rc == -EISDIR)
			continue;
		snprintf(where, sizeof(where), b->menu_fs.part ? "partition %u" : "the image",
			 b->menu_fs.part);
		if (rc)
			return img_err(err, errlen, rc, "%s: %s", where, perr);
		snprintf(b->menu_path, sizeof(b->menu_path), "%s", menu_places[i].path);
		rc = parse_menu(b, menu_places[i].kind, (char *)text, len, perr, sizeof(perr));
		free(text);
		if (rc)
			return img_err(err, errlen, rc, "%s: %s: %s", where, b->menu_path, perr);
		return 1;
	}
	return 0;
}

/* The partitions to search: the image's table, or the one filesystem at o->offset. */
static int open_table(const char *image, const struct img_open_opts *o, struct img_boot *b,
		      char *err, size_t errlen)
{
	int rc = o->fd >= 0 ? img_disk_adopt(o->fd, image, &b->disk, err, errlen) :
			      img_disk_open(image, &b->disk, err, errlen);

	if (rc || !o->at_offset)
		return rc ? rc : img_read_table(&b->disk, &b->table, err, errlen);
	if (o->offset >= b->disk.size)
		return img_err(err, errlen, -EINVAL,
			       "%s: offset %llu is at or past the end of the image (%llu bytes)",
			       image, (unsigned long long)o->offset,
			       (unsigned long long)b->disk.size);
	b->table.scheme = IMG_SCHEME_NONE;
	b->table.nr = 1;
	b->table.parts[0] =
		(struct img_part){ .start = o->offset, .size = b->disk.size - o->offset };
	return 0;
}

int img_open_with(const char *image, const struct img_open_opts *o, struct img_boot *b, char *err,
		  size_t errlen)
{
	char skipped[512] = "";
	size_t used = 0;
	int rc;

	memset(b, 0, sizeof(*b));
	b->disk.fd = -1;
	rc = open_table(image, o, b, err, errlen);
	if (rc)
		goto fail;
	for (unsigned int i = 0; i < b->table.nr; i++) {
		const struct img_part *p = &b->table.parts[i];
		char perr[256];

		rc = img_fs_open(&b->disk, p, &b->menu_fs, perr, sizeof(perr));
		if (rc == -EPROTONOSUPPORT) {
			/* Not ours to read: said in the error if no partition has a menu. */
			used += snprintf(skipped + used, sizeof(skipped) - used, "; %s", perr);
			if (used >= sizeof(skipped))
				used = sizeof(skipped) - 1;
			continue;
		}
		if (rc) {
			rc = img_err(err, errlen, rc, "%s", perr);
			goto fail;
		}
		if (o->no_menu)
			return 0;
		rc = find_menu(b, err, errlen);
		if (rc > 0)
			return 0;
		img_fs_close(&b->menu_fs);
		if (rc < 0)
			goto fail;
	}
	rc = img_err(err, errlen, -ENOENT,
		     "%s (%s partition table): %s in any ext2/3/4 filesystem%s", image,
		     o->at_offset ? "offset given" : img_scheme_name(b->table.scheme),
		     o->no_menu ? "no filesystem to read" :
				  "no boot menu (grub.cfg, extlinux.conf, menu.lst)",
		     skipped);
fail:
	img_close(b);
	return rc;
}

int img_open(const char *image, struct img_boot *b, char *err, size_t errlen)
{
	static const struct img_open_opts whole = { .fd = -1 };

	return img_open_with(image, &whole, b, err, errlen);
}

/* The filesystem an entry's files are on: the menu's, or the partition its root names. */
static int entry_fs(struct img_boot *b, const struct menu_entry *e, struct img_fs *other,
		    struct img_fs **fs, char *err, size_t errlen)
{
	*fs = &b->menu_fs;
	/* A partitionless image is all one filesystem whatever root the menu names. */
	if (e->root_part == MENU_ROOT_SAME || e->root_part == (int)b->menu_fs.part ||
	    b->table.scheme == IMG_SCHEME_NONE)
		return 0;
	for (unsigned int i = 0; i < b->table.nr; i++)
		if ((int)b->table.parts[i].number == e->root_part) {
			int rc = img_fs_open(&b->disk, &b->table.parts[i], other, err, errlen);

			*fs = other;
			return rc;
		}
	return img_err(err, errlen, -ENOENT,
		       "menu entry \"%s\": its root is partition %d, which the image does not "
		       "have",
		       e->title, e->root_part);
}

/* The entry's initrds, concatenated as GRUB loads several (cpio archives append). */
static int read_initrds(struct img_boot *b, struct img_fs *fs, const struct menu_entry *e,
			uint64_t max, char *err, size_t errlen)
{
	for (unsigned int i = 0; i < e->nr_initrd; i++) {
		uint8_t *data, *grown;
		size_t len;
		char ferr[256];
		int rc = img_fs_read(fs, e->initrd[i], max - b->initrd_len, &data, &len, ferr,
				     sizeof(ferr));

		if (rc == -EFBIG)
			return img_err(err, errlen, rc,
				       "initrd %s: the entry's initrds are more than the %llu "
				       "bytes allowed",
				       e->initrd[i], (unsigned long long)max);
		if (rc)
			return img_err(err, errlen, rc, "initrd %s", ferr);
		grown = realloc(b->initrd, b->initrd_len + len + 1);
		if (!grown) {
			free(data);
			return img_err(err, errlen, -ENOMEM, "out of memory");
		}
		memcpy(grown + b->initrd_len, data, len);
		b->initrd = grown;
		b->initrd_len += len;
		free(data);
	}
	return 0;
}

/* Forgets a kernel and initrd read before, so a failed or new load leaves none behind. */
static void drop_loaded(struct img_boot *b)
{
	free(b->kernel);
	free(b->initrd);
	b->kernel = b->initrd = NULL;
	b->kernel_len = b->initrd_len = 0;
}

int img_load_entry(struct img_boot *b, const char *which, const struct img_limits *lim, char *err,
		   size_t errlen)
{
	static const struct img_limits defaults = { IMG_MAX_KERNEL, IMG_MAX_INITRD };
	const struct menu_entry *e;
	struct img_fs other = { 0 }, *fs;
	char ferr[256];
	int rc;

	if (!lim)
		lim = &defaults;
	drop_loaded(b);
	rc = menu_select(&b->menu, which, &b->entry, err, errlen);
	if (rc)
		return rc;
	e = &b->menu.entries[b->entry];
	if (!e->kernel)
		return img_err(err, errlen, -ENOEXEC,
			       "menu entry \"%s\" boots no Linux kernel (no linux/kernel line)",
			       e->title);
	rc = entry_fs(b, e, &other, &fs, err, errlen);
	if (rc)
		goto out;
	b->kernel_part = fs->part;
	rc = img_fs_read(fs, e->kernel, lim->kernel, &b->kernel, &b->kernel_len, ferr,
			 sizeof(ferr));
	if (rc) {
		rc = img_err(err, errlen, rc, "menu entry \"%s\": kernel %s", e->title, ferr);
		goto out;
	}
	rc = read_initrds(b, fs, e, lim->initrd, ferr, sizeof(ferr));
	if (rc)
		rc = img_err(err, errlen, rc, "menu entry \"%s\": %s", e->title, ferr);
out:
	if (other.fs)
		img_fs_close(&other);
	if (rc) {
		drop_loaded(b);
	}
	return rc;
}

int img_load_files(struct img_boot *b, const char *kernel, const char *initrd,
		   const struct img_limits *lim, char *err, size_t errlen)
{
	static const struct img_limits defaults = { IMG_MAX_KERNEL, IMG_MAX_INITRD };
	struct menu_entry files = { .title = "(given)", .kernel = (char *)kernel };
	char ferr[256];
	int rc;

	if (!lim)
		lim = &defaults;
	drop_loaded(b);
	b->kernel_part = b->menu_fs.part;
	rc = img_fs_read(&b->menu_fs, kernel, lim->kernel, &b->kernel, &b->kernel_len, ferr,
			 sizeof(ferr));
	if (rc)
		return img_err(err, errlen, rc, "kernel %s", ferr);
	if (initrd) {
		files.initrd[0] = (char *)initrd;
		files.nr_initrd = 1;
		rc = read_initrds(b, &b->menu_fs, &files, lim->initrd, err, errlen);
	}
	if (rc) {
		drop_loaded(b);
	}
	return rc;
}

void img_close(struct img_boot *b)
{
	menu_free(&b->menu);
	img_fs_close(&b->menu_fs);
	img_disk_close(&b->disk);
	drop_loaded(b);
}
