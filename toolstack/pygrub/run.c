// SPDX-License-Identifier: GPL-2.0
/*
 * One pygrub run over an image: find the menu (or take --kernel), list or choose the
 * entry as pygrub -q does, copy the files, write the answer. pygrub's choices kept here:
 * an --entry that names nothing falls back to the default (with a warning here, silently
 * in pygrub); --args is appended to the entry's arguments after one space; with --kernel
 * no menu is read and the arguments are --args alone.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toolstack/image/image.h"
#include "toolstack/pygrub/outfiles.h"
#include "toolstack/pygrub/pygrub.h"

/* The entry's root as pygrub's GrubDiskPart prints it: "d0p" and the partition as the
 * menu wrote it (GRUB legacy counts from 0, GRUB 2 from 1), "d0" for the whole disk. */
static void print_root(const struct boot_menu *m, const struct menu_entry *e)
{
	bool legacy = !strcmp(m->format, "GRUB legacy");

	if (!strcmp(m->format, "extlinux"))
		printf("  root: \n");
	else if (e->root_part == MENU_ROOT_SAME)
		printf("  root: None\n");
	else if (e->root_part == 0)
		printf("  root: d0\n");
	else
		printf("  root: d0p%d\n", e->root_part - (legacy ? 1 : 0));
}

/* pygrub -l: title, root, kernel, args, first initrd of every entry. */
static void list_entries(const struct boot_menu *m)
{
	bool extlinux = !strcmp(m->format, "extlinux");

	for (unsigned int i = 0; i < m->nr; i++) {
		const struct menu_entry *e = &m->entries[i];

		printf("title: %s\n", e->title);
		print_root(m, e);
		printf("  kernel: %s\n", e->kernel ? e->kernel : "None");
		printf("  args: %s\n", *e->args || extlinux ? e->args : "None");
		printf("  initrd: %s\n", e->nr_initrd ? e->initrd[0] : "None");
	}
}

static int load_chosen(const struct pygrub_opts *o, struct img_boot *b, char **args)
{
	const char *extra = o->args && *o->args ? o->args : NULL;
	char err[512];
	int rc;

	if (o->kernel) {
		rc = img_load_files(b, o->kernel, o->ramdisk, NULL, err, sizeof(err));
		*args = strdup(o->args ? o->args : "");
	} else {
		unsigned int idx;
		const char *which = o->entry;

		if (which && menu_select(&b->menu, which, &idx, err, sizeof(err))) {
			fprintf(stderr, "pygrub: --entry=%s: %s: booting the default entry\n",
				which, err);
			which = NULL;
		}
		rc = img_load_entry(b, which, NULL, err, sizeof(err));
		if (!rc && asprintf(args, "%s%s%s", b->menu.entries[b->entry].args,
				    extra ? " " : "", extra ? extra : "") < 0)
			*args = NULL;
	}
	if (rc) {
		fprintf(stderr, "pygrub: %s: %s\n", o->image, err);
		return rc;
	}
	return *args ? 0 : -ENOMEM;
}

static int answer(const struct pygrub_opts *o, struct pygrub_out *out, const struct img_boot *b,
		  const char *args)
{
	bool ramdisk = b->initrd != NULL;
	char *text;
	size_t len;
	int rc;

	if (!o->not_really) {
		rc = out_file_fill(out->kernel_fd, b->kernel, b->kernel_len);
		if (!rc)
			rc = out_file_fill(out->ramdisk_fd, b->initrd, b->initrd_len);
		out->kernel_fd = out->ramdisk_fd = -1;
		if (rc) {
			fprintf(stderr, "pygrub: writing the files: %s\n", strerror(-rc));
			return rc;
		}
	}
	rc = py_format_answer(o->format, o->not_really ? NULL : out->kernel_path,
			      o->not_really || !ramdisk ? NULL : out->ramdisk_path, args, &text,
			      &len);
	if (rc == -EINVAL)
		fprintf(stderr,
			"pygrub: simple format cannot represent delimiter-containing value\n");
	if (rc)
		return rc;
	rc = out_file_fill(out->answer_fd, text, len);
	free(text);
	return rc;
}

int pygrub_run(const struct pygrub_opts *o, struct pygrub_out *out)
{
	struct img_open_opts how = { .fd = -1,
				     .at_offset = o->has_offset,
				     .offset = o->offset,
				     .no_menu = o->kernel != NULL };
	struct img_boot *b = calloc(1, sizeof(*b));
	char err[512], *args = NULL;
	int rc;

	if (!b)
		return 1;
	rc = img_open_with(o->image, &how, b, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "pygrub: %s\n", err);
		goto out;
	}
	if (!o->kernel)
		fprintf(stderr, "Using %s to parse %s\n", b->menu.format, b->menu_path);
	if (o->list && !o->kernel) {
		list_entries(&b->menu);
		goto out;
	}
	if (o->list)
		goto out;
	rc = load_chosen(o, b, &args);
	if (!rc)
		rc = answer(o, out, b, args);
out:
	free(args);
	img_close(b);
	free(b);
	return rc ? 1 : 0;
}
