// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness over the parts of toolstack/image that read hostile image bytes
 * themselves: the partition tables (MBR with EBR chains, GPT) with filesystem probing,
 * and the three menu parsers. libext2fs is Debian's and not fuzzed here. The first input
 * byte picks the target; the rest is the data. For tables, the data's sectors are tiled
 * over a 256-sector disk so that EBR chains and backup headers find something anywhere.
 * A menu's grubenv is the data after its first NUL.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include "toolstack/image/disk.h"
#include "toolstack/image/menu.h"
#include "toolstack/image/reader.h"

#define DISK_SECTORS 256

static const uint8_t *env_data;
static size_t env_len;

static int env_read(void *ctx, const char *path, uint64_t max, uint8_t **data, size_t *len)
{
	if (!env_data)
		return -ENOENT;
	if (env_len > max)
		return -EFBIG;
	*data = malloc(env_len + 1);
	if (!*data)
		return -ENOMEM;
	memcpy(*data, env_data, env_len);
	(*data)[env_len] = '\0';
	*len = env_len;
	return 0;
}

static void check_menu(const struct boot_menu *m)
{
	if (m->nr && m->dflt >= m->nr)
		abort();
	for (unsigned int i = 0; i < m->nr; i++) {
		const struct menu_entry *e = &m->entries[i];

		if (!e->title || !e->args || e->nr_initrd > MENU_MAX_INITRDS)
			abort();
	}
}

static void fuzz_menu(uint8_t kind, const uint8_t *data, size_t len)
{
	static const struct menu_files files = { NULL, env_read, NULL };
	static struct boot_menu m;
	char *text = malloc(len + 1), err[256];
	size_t tlen;
	unsigned int idx;

	if (!text)
		return;
	memcpy(text, data, len);
	text[len] = '\0';
	tlen = strlen(text);
	env_data = tlen < len ? data + tlen + 1 : NULL;
	env_len = tlen < len ? len - tlen - 1 : 0;
	if (kind == 0 &&
	    !menu_parse_grub2(text, tlen, "/boot/grub/grub.cfg", &files, &m, err, sizeof(err))) {
		check_menu(&m);
		menu_select(&m, "1>0", &idx, err, sizeof(err));
		menu_free(&m);
	} else if (kind == 1 && !menu_parse_grub_legacy(text, tlen, "/boot/grub/menu.lst", &files,
							&m, err, sizeof(err))) {
		check_menu(&m);
		menu_free(&m);
	} else if (kind == 2 &&
		   !menu_parse_extlinux(text, tlen, "/extlinux.conf", &m, err, sizeof(err))) {
		check_menu(&m);
		menu_free(&m);
	}
	free(text);
}

static void fuzz_table(const uint8_t *data, size_t len)
{
	static struct img_table t;
	size_t nsec = (len + IMG_SECTOR - 1) / IMG_SECTOR;
	struct img_disk d = { .size = (uint64_t)DISK_SECTORS * IMG_SECTOR };
	char path[64], err[256];
	uint8_t sec[IMG_SECTOR];

	if (!nsec)
		return;
	d.fd = memfd_create("image_fuzz", 0);
	if (d.fd < 0)
		abort();
	for (size_t i = 0; i < DISK_SECTORS; i++) {
		size_t off = (i % nsec) * IMG_SECTOR,
		       n = len - off < IMG_SECTOR ? len - off : IMG_SECTOR;

		memset(sec, 0, sizeof(sec));
		memcpy(sec, data + off, n);
		if (pwrite(d.fd, sec, sizeof(sec), i * IMG_SECTOR) != sizeof(sec))
			abort();
	}
	snprintf(path, sizeof(path), "/proc/self/fd/%d", d.fd);
	d.path = path;
	if (!img_read_table(&d, &t, err, sizeof(err))) {
		for (unsigned int i = 0; i < t.nr; i++)
			if (t.parts[i].start > d.size ||
			    t.parts[i].size > d.size - t.parts[i].start)
				abort(); /* a partition outside the image got through */
	}
	close(d.fd);
}

/* What a taken-over image reader could send xl (toolstack/image/reader_wire.c): whatever
 * the decoder accepts must hold the menu's invariants. */
static void fuzz_wire(const uint8_t *data, size_t len)
{
	static struct img_boot b;
	char err[256];
	bool loaded;

	memset(&b, 0, sizeof(b));
	if (img_wire_decode((const char *)data, len, &b, &loaded, err, sizeof(err)))
		return;
	check_menu(&b.menu);
	if (loaded && b.entry >= b.menu.nr)
		abort();
	for (unsigned int i = 0; i < b.menu.nr; i++)
		if (b.menu.entries[i].root_part < MENU_ROOT_SAME)
			abort();
	menu_free(&b.menu);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t len)
{
	if (len < 1)
		return 0;
	if (data[0] % 5 == 4)
		fuzz_wire(data + 1, len - 1);
	else if (data[0] % 5 == 3)
		fuzz_table(data + 1, len - 1);
	else
		fuzz_menu(data[0] % 5, data + 1, len - 1);
	return 0;
}
