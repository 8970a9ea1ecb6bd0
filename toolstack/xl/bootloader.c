// SPDX-License-Identifier: GPL-2.0
/*
 * bootloader = "pygrub": what Xen's pygrub does for libxl, done in-process by
 * toolstack/image: the first disk's image is read (never mounted), the menu entry chosen
 * (default, or --entry in bootloader_args), its kernel checked (PVH boots; PV would need
 * the shim) and handed to xenkvm with its initrd and command line. The files go into
 * memfds that the monitor and xenkvm inherit (/proc/self/fd/N), so nothing is left on
 * disk and a reboot finds them again. bootloader_args as pygrub takes them: --entry=,
 * --args=, -l/--list-entries (list and create nothing), -q, --runas=UID. The image is
 * read by a confined child process (toolstack/image/reader.h), never by xl itself.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "toolstack/cfg/domcfg.h"
#include "toolstack/image/image.h"
#include "toolstack/image/kernel_kind.h"
#include "toolstack/image/reader.h"
#include "toolstack/xl/xl.h"

struct bl_opts {
	const char *entry, *args;
	bool list;
	bool runas; /* --runas=UID: the image reader's user (else nobody when root) */
	uid_t uid;
};

static int parse_bl_args(const struct dom_config *dc, struct bl_opts *o)
{
	for (size_t i = 0; i < dc->nbootloader_args; i++) {
		const char *a = dc->bootloader_args[i];
		const char *next = i + 1 < dc->nbootloader_args ? dc->bootloader_args[i + 1] : NULL;

		if (!strncmp(a, "--entry=", 8)) {
			o->entry = a + 8;
		} else if (!strcmp(a, "--entry") && next) {
			o->entry = next;
			i++;
		} else if (!strncmp(a, "--args=", 7)) {
			o->args = a + 7;
		} else if (!strcmp(a, "-l") || !strcmp(a, "--list-entries")) {
			o->list = true;
		} else if (!strncmp(a, "--runas=", 8)) {
			char *end;
			unsigned long uid = strtoul(a + 8, &end, 10);

			if (!a[8] || *end || uid > 0x7fffffff) {
				fprintf(stderr,
					"xl: bootloader_args: `%s': runas value must be an "
					"integer user id\n",
					a);
				return -EINVAL;
			}
			o->runas = true;
			o->uid = uid;
		} else if (strcmp(a, "-q") && strcmp(a, "--quiet")) {
			fprintf(stderr,
				"xl: bootloader_args: `%s' is not supported (--entry=, --args=, "
				"--runas=, -l, -q are)\n",
				a);
			return -EINVAL;
		}
	}
	return 0;
}

/* pygrub -l's listing: title, root, kernel, args, initrd per entry. */
static void list_entries(const struct img_boot *b)
{
	for (unsigned int i = 0; i < b->menu.nr; i++) {
		const struct menu_entry *e = &b->menu.entries[i];

		printf("title: %s%s\n", e->title, i == b->menu.dflt ? " (default)" : "");
		if (e->root_part == MENU_ROOT_SAME)
			printf("  root: partition %u\n", b->menu_fs.part);
		else
			printf("  root: partition %d\n", e->root_part);
		printf("  kernel: %s\n", e->kernel ? e->kernel : "(none)");
		printf("  args: %s\n", e->args ? e->args : "");
		printf("  initrd: %s\n", e->nr_initrd ? e->initrd[0] : "");
	}
}

/* A sealed memfd holding data, left open (not close-on-exec) for xenkvm; its path. */
static char *memfd_with(const char *name, const uint8_t *data, size_t len)
{
	int fd = memfd_create(name, MFD_ALLOW_SEALING);
	char *path = NULL;
	size_t done = 0;

	if (fd < 0)
		return NULL;
	while (done < len) {
		ssize_t n = write(fd, data + done, len - done);

		if (n <= 0)
			goto fail;
		done += n;
	}
	fcntl(fd, F_ADD_SEALS, F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_SEAL);
	if (asprintf(&path, "/proc/self/fd/%d", fd) < 0)
		goto fail;
	return path;
fail:
	close(fd);
	return NULL;
}

static int image_of(const struct dom_config *dc, const char **image)
{
	const struct dom_disk *d = dc->ndisks ? &dc->disks[0] : NULL;

	if (!d || !d->pdev_path || !*d->pdev_path) {
		fprintf(stderr, "xl: bootloader = \"pygrub\" reads the first disk's image: give "
				"disk = [ \"IMAGE,raw,xvda\" ]\n");
		return -EINVAL;
	}
	if (d->format != DISK_FORMAT_RAW) {
		fprintf(stderr,
			"xl: bootloader: disk `%s' is %s; the bootloader reads raw "
			"images\n",
			d->pdev_path, domcfg_disk_format_name(d->format));
		return -EINVAL;
	}
	*image = d->pdev_path;
	return 0;
}

/* Replaces dc's kernel, ramdisk and cmdline with the entry's. */
static int hand_over(struct dom_config *dc, const struct img_boot *b, const char *extra)
{
	const struct menu_entry *e = &b->menu.entries[b->entry];
	char *kernel = memfd_with("xl-bootloader-kernel", b->kernel, b->kernel_len);
	char *ramdisk = NULL, *cmdline = NULL;

	if (b->initrd)
		ramdisk = memfd_with("xl-bootloader-ramdisk", b->initrd, b->initrd_len);
	if (asprintf(&cmdline, "%s%s%s", e->args, *e->args && extra && *extra ? " " : "",
		     extra ? extra : "") < 0)
		cmdline = NULL;
	if (!kernel || (b->initrd && !ramdisk) || !cmdline) {
		fprintf(stderr, "xl: bootloader: cannot hand the kernel over: %s\n",
			strerror(errno));
		free(kernel);
		free(ramdisk);
		free(cmdline);
		return -ENOMEM;
	}
	free(dc->kernel);
	free(dc->ramdisk);
	free(dc->cmdline);
	dc->kernel = kernel;
	dc->ramdisk = ramdisk;
	dc->cmdline = cmdline;
	return 0;
}

static int check_kind(struct dom_config *dc, const struct img_boot *b)
{
	struct img_kernel_info ki;
	char err[512];
	int rc = img_kernel_kind(b->kernel, b->kernel_len, dc->target_memkb * 1024, &ki, err,
				 sizeof(err));

	if (rc) {
		fprintf(stderr, "xl: bootloader: menu entry \"%s\": %s\n",
			b->menu.entries[b->entry].title, err);
		return rc;
	}
	if (dc->pvshim && !ki.pv_notes) {
		fprintf(stderr,
			"xl: bootloader: menu entry \"%s\": pvshim = 1, but the kernel (%s) has "
			"no Xen PV notes (XEN_ELFNOTE_ENTRY): it cannot boot as PV\n",
			b->menu.entries[b->entry].title, ki.format);
		return -ENOEXEC;
	}
	/* A PV-only kernel boots through the shim (pvshim.c), as libxl's pvshim does. */
	if (ki.kind == IMG_KERNEL_PV)
		dc->pvshim = true;
	return 0;
}

int xl_bootloader(struct dom_config *dc, bool quiet, bool *listed)
{
	struct img_boot *b = calloc(1, sizeof(*b));
	struct bl_opts o = { 0 };
	struct img_reader_opts ro;
	const char *image;
	char err[512];
	int rc;

	*listed = false;
	if (!b)
		return -ENOMEM;
	rc = parse_bl_args(dc, &o);
	if (!rc)
		rc = image_of(dc, &image);
	if (rc)
		goto out;
	/* The image is hostile: a confined child reads it (toolstack/image/reader.h). */
	ro = (struct img_reader_opts){
		.entry = o.entry, .list_only = o.list, .set_uid = o.runas, .uid = o.uid
	};
	rc = img_read_isolated(image, &ro, b, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "xl: bootloader: %s: %s\n", image, err);
		goto out;
	}
	if (o.list) {
		list_entries(b);
		*listed = true;
		goto out;
	}
	if (b->menu.dflt_fallback && !o.entry && !quiet)
		fprintf(stderr, "warning: bootloader: the menu's default names no entry: "
				"booting the first, as GRUB does\n");
	rc = check_kind(dc, b);
	if (!rc)
		rc = hand_over(dc, b, o.args ? o.args : dc->cmdline);
	if (!rc && !quiet)
		fprintf(stderr, "Using %s entry \"%s\" of %s (%s, partition %u): kernel %s\n",
			b->menu.format, b->menu.entries[b->entry].title, image, b->menu_path,
			b->kernel_part, b->menu.entries[b->entry].kernel);
out:
	img_close(b);
	free(b);
	return rc;
}
