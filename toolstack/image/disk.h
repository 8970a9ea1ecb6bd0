/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A disk image opened read-only, and its partitions as the firmware or a bootloader would
 * find them: an MBR (primary, extended and logical partitions), a GPT (primary header,
 * else the backup), or none when a filesystem starts at byte 0. Everything read from the
 * image is untrusted: tables are checked against the image's size, chains of extended boot
 * records against loops, GPT headers and entry arrays against their CRC32s.
 * Functions return 0 or -errno and put a message naming the problem in `err`.
 */
#ifndef XENKVM_TOOLSTACK_IMAGE_DISK_H
#define XENKVM_TOOLSTACK_IMAGE_DISK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define IMG_SECTOR 512u
/* Logical partitions followed in one extended partition (Linux's msdos parser allows
 * far fewer device minors), and GPT entries read, at most. */
#define IMG_MAX_LOGICAL 60
#define IMG_MAX_GPT_ENTRIES 256
#define IMG_MAX_PARTS \
	(4 + IMG_MAX_LOGICAL > IMG_MAX_GPT_ENTRIES ? 4 + IMG_MAX_LOGICAL : IMG_MAX_GPT_ENTRIES)

struct img_disk {
	int fd;
	uint64_t size; /* bytes */
	char *path;
};

enum img_scheme { IMG_SCHEME_NONE, IMG_SCHEME_MBR, IMG_SCHEME_GPT };

struct img_part {
	unsigned int
		number; /* 1.. as Linux names them (xvda1; MBR logicals from 5); 0 whole disk */
	uint64_t start, size; /* bytes */
	uint8_t mbr_type; /* MBR partition type, 0 for GPT and whole disk */
	bool bootable; /* MBR active flag, GPT legacy-BIOS-bootable attribute */
};

struct img_table {
	enum img_scheme scheme;
	bool gpt_backup_used; /* the primary GPT header or entries were bad */
	unsigned int nr;
	struct img_part parts[IMG_MAX_PARTS];
};

int img_disk_open(const char *path, struct img_disk *d, char *err, size_t errlen);
/* The same for an image already open (read-only) on fd, which d then owns (closed by
 * img_disk_close(), and on failure); path only names it in messages. */
int img_disk_adopt(int fd, const char *path, struct img_disk *d, char *err, size_t errlen);
void img_disk_close(struct img_disk *d);
/* Reads exactly len bytes at off; a read past the end of the image is -EIO with a message. */
int img_disk_read(const struct img_disk *d, uint64_t off, void *buf, size_t len, char *err,
		  size_t errlen);

/* The partition table (or the whole disk as partition 0 when a filesystem starts at 0). */
int img_read_table(const struct img_disk *d, struct img_table *t, char *err, size_t errlen);
int img_read_mbr(const struct img_disk *d, const uint8_t *sector0, struct img_table *t, char *err,
		 size_t errlen);
int img_read_gpt(const struct img_disk *d, struct img_table *t, char *err, size_t errlen);
const char *img_scheme_name(enum img_scheme s);

#endif
