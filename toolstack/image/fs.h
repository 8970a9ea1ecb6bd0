/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Files inside a partition's ext2/3/4 filesystem, read through libext2fs at the partition's
 * offset into the image (never mounted). Paths are absolute within the filesystem; `..`
 * that would climb above its root is an error, and symbolic links resolve inside it (an
 * absolute target starts at this filesystem's root, as a bootloader sees it).
 */
#ifndef XENKVM_TOOLSTACK_IMAGE_FS_H
#define XENKVM_TOOLSTACK_IMAGE_FS_H

#include <stddef.h>
#include <stdint.h>

#include "toolstack/image/disk.h"

struct img_fs {
	void *fs; /* ext2_filsys */
	unsigned int part; /* partition number, 0 for the whole disk */
	const char *type; /* "ext4", ... */
};

/* Opens the filesystem of partition p; another filesystem is -EPROTONOSUPPORT naming it. */
int img_fs_open(const struct img_disk *d, const struct img_part *p, struct img_fs *fs, char *err,
		size_t errlen);
void img_fs_close(struct img_fs *fs);

/* The size of a regular file; -ENOENT when it is missing (no message), else -errno. */
int img_fs_size(struct img_fs *fs, const char *path, uint64_t *size, char *err, size_t errlen);
/* Reads a whole regular file of at most `max` bytes into a malloc()ed buffer (NUL
 * terminated one past len, so text can be parsed in place). */
int img_fs_read(struct img_fs *fs, const char *path, uint64_t max, uint8_t **data, size_t *len,
		char *err, size_t errlen);

/* The names in a directory ("." and ".." left out), at most IMG_MAX_DIR_NAMES;
 * -ENOENT (no message) when it is missing, -ENOTDIR when it is not a directory. */
#define IMG_MAX_DIR_NAMES 1024
int img_fs_list(struct img_fs *fs, const char *dir, char ***names, unsigned int *nr, char *err,
		size_t errlen);

/* Normalises an absolute path lexically (`.`, `..`, repeated slashes) into out; a path
 * that is relative, or whose `..` climbs above the root, is -EINVAL with a message. */
int img_path_normalise(const char *path, char *out, size_t outlen, char *err, size_t errlen);

#endif
