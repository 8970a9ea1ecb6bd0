// SPDX-License-Identifier: GPL-2.0
/*
 * ext2/3/4 through libext2fs, opened read-only on the unix I/O manager with the
 * partition's byte offset ("offset=" I/O option), so nothing is mounted or copied.
 * Lookups use ext2fs_namei_follow(): it resolves symbolic links within this filesystem
 * (the root's ".." is the root) and stops link loops with EXT2_ET_SYMLINK_LOOP.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <et/com_err.h>
#include <ext2fs/ext2fs.h>

#include "toolstack/image/errmsg.h"
#include "toolstack/image/fd_io.h"
#include "toolstack/image/fs.h"
#include "toolstack/image/fsprobe.h"

static const char *part_name(unsigned int part, char *buf, size_t len)
{
	if (part)
		snprintf(buf, len, "partition %u", part);
	else
		snprintf(buf, len, "the whole image");
	return buf;
}

static void init_messages(void)
{
	initialize_ext2_error_table();
}

int img_fs_open(const struct img_disk *d, const struct img_part *p, struct img_fs *fs, char *err,
		size_t errlen)
{
	enum img_fs_kind kind;
	const char *type;
	char opts[64], where[32], name[16];
	ext2_filsys efs;
	errcode_t ec;
	uint64_t bytes;
	int rc;

	static pthread_once_t messages = PTHREAD_ONCE_INIT;

	pthread_once(&messages, init_messages);
	memset(fs, 0, sizeof(*fs));
	part_name(p->number, where, sizeof(where));
	rc = img_fs_probe(d, p->start, p->size, &kind, &type, err, errlen);
	if (rc)
		return rc;
	if (kind == IMG_FS_OTHER)
		return img_err(err, errlen, -EPROTONOSUPPORT,
			       "%s holds a %s filesystem: only ext2, ext3 and ext4 can be read",
			       where, type);
	if (kind == IMG_FS_UNKNOWN)
		return img_err(err, errlen, -EPROTONOSUPPORT, "%s holds no filesystem we recognise",
			       where);
	snprintf(opts, sizeof(opts), "offset=%llu", (unsigned long long)p->start);
	/* Through the image's own descriptor: never opened again by path. */
	img_fd_io_name(d->fd, name, sizeof(name));
	ec = ext2fs_open2(name, opts, EXT2_FLAG_64BITS, 0, 0, img_fd_io_manager, &efs);
	if (ec)
		return img_err(err, errlen, -EIO, "%s: cannot open its %s filesystem: %s", where,
			       type, error_message(ec));
	/* The group descriptors say where every bitmap and inode table is: a corrupt one
	 * would send later reads anywhere in the partition, so refuse it now as e2fsck
	 * does first. */
	ec = ext2fs_check_desc(efs);
	if (ec) {
		ext2fs_close_free(&efs);
		return img_err(err, errlen, -EIO, "%s: corrupt %s filesystem: %s", where, type,
			       error_message(ec));
	}
	bytes = ext2fs_blocks_count(efs->super) * (uint64_t)EXT2_BLOCK_SIZE(efs->super);
	if (bytes > p->size) {
		ext2fs_close_free(&efs);
		return img_err(err, errlen, -EIO,
			       "%s: its %s filesystem (%llu bytes) is larger than the partition "
			       "(%llu bytes): truncated image?",
			       where, type, (unsigned long long)bytes, (unsigned long long)p->size);
	}
	fs->fs = efs;
	fs->part = p->number;
	fs->type = type;
	return 0;
}

void img_fs_close(struct img_fs *fs)
{
	ext2_filsys efs = fs->fs;

	if (efs)
		ext2fs_close_free(&efs);
	fs->fs = NULL;
}

/* The inode of a regular file at path (normalised first). */
static int lookup(struct img_fs *fs, const char *path, ext2_ino_t *ino, struct ext2_inode *inode,
		  char *err, size_t errlen)
{
	ext2_filsys efs = fs->fs;
	char norm[1024];
	errcode_t ec;
	int rc;

	rc = img_path_normalise(path, norm, sizeof(norm), err, errlen);
	if (rc)
		return rc;
	ec = ext2fs_namei_follow(efs, EXT2_ROOT_INO, EXT2_ROOT_INO, norm, ino);
	if (ec == EXT2_ET_FILE_NOT_FOUND || ec == EXT2_ET_NO_DIRECTORY) {
		img_err(err, errlen, -ENOENT, "%s: no such file", path);
		return -ENOENT;
	}
	if (ec == EXT2_ET_SYMLINK_LOOP)
		return img_err(err, errlen, -ELOOP, "%s: too many levels of symbolic links", path);
	if (ec)
		return img_err(err, errlen, -EIO, "%s: %s", path, error_message(ec));
	ec = ext2fs_read_inode(efs, *ino, inode);
	if (ec)
		return img_err(err, errlen, -EIO, "%s: %s", path, error_message(ec));
	if (!LINUX_S_ISREG(inode->i_mode))
		return img_err(err, errlen, -EISDIR, "%s: not a regular file", path);
	return 0;
}

int img_fs_size(struct img_fs *fs, const char *path, uint64_t *size, char *err, size_t errlen)
{
	struct ext2_inode inode;
	ext2_ino_t ino;
	int rc = lookup(fs, path, &ino, &inode, err, errlen);

	if (!rc)
		*size = EXT2_I_SIZE(&inode);
	return rc;
}

static int read_all(ext2_file_t file, uint8_t *buf, uint64_t size, const char *path, char *err,
		    size_t errlen)
{
	uint64_t done = 0;

	while (done < size) {
		unsigned int want = size - done > (1u << 30) ? 1u << 30 : size - done, got = 0;
		errcode_t ec = ext2fs_file_read(file, buf + done, want, &got);

		if (ec)
			return img_err(err, errlen, -EIO, "%s: %s", path, error_message(ec));
		if (!got)
			return img_err(err, errlen, -EIO, "%s: ends after %llu of %llu bytes", path,
				       (unsigned long long)done, (unsigned long long)size);
		done += got;
	}
	return 0;
}

int img_fs_read(struct img_fs *fs, const char *path, uint64_t max, uint8_t **data, size_t *len,
		char *err, size_t errlen)
{
	struct ext2_inode inode;
	ext2_file_t file;
	ext2_ino_t ino;
	uint64_t size;
	uint8_t *buf;
	errcode_t ec;
	int rc;

	*data = NULL;
	*len = 0;
	rc = lookup(fs, path, &ino, &inode, err, errlen);
	if (rc)
		return rc;
	size = EXT2_I_SIZE(&inode);
	if (size > max)
		return img_err(err, errlen, -EFBIG, "%s: %llu bytes is more than the %llu allowed",
			       path, (unsigned long long)size, (unsigned long long)max);
	buf = malloc(size + 1);
	if (!buf)
		return img_err(err, errlen, -ENOMEM, "%s: out of memory for %llu bytes", path,
			       (unsigned long long)size);
	ec = ext2fs_file_open2(fs->fs, ino, &inode, 0, &file);
	if (ec) {
		free(buf);
		return img_err(err, errlen, -EIO, "%s: %s", path, error_message(ec));
	}
	rc = read_all(file, buf, size, path, err, errlen);
	ext2fs_file_close(file);
	if (rc) {
		free(buf);
		return rc;
	}
	buf[size] = '\0';
	*data = buf;
	*len = size;
	return 0;
}

struct dir_names {
	char **v;
	unsigned int n;
	int rc;
};

static int collect_name(struct ext2_dir_entry *de, int offset, int blocksize, char *buf, void *priv)
{
	struct dir_names *d = priv;
	unsigned int len = ext2fs_dirent_name_len(de);
	char **grown;

	if ((len == 1 && de->name[0] == '.') || (len == 2 && !strncmp(de->name, "..", 2)))
		return 0;
	if (d->n == IMG_MAX_DIR_NAMES) {
		d->rc = -E2BIG;
		return DIRENT_ABORT;
	}
	grown = realloc(d->v, (d->n + 1) * sizeof(*d->v));
	if (!grown || !(grown[d->n] = strndup(de->name, len))) {
		if (grown)
			d->v = grown;
		d->rc = -ENOMEM;
		return DIRENT_ABORT;
	}
	d->v = grown;
	d->n++;
	return 0;
}

int img_fs_list(struct img_fs *fs, const char *dir, char ***names, unsigned int *nr, char *err,
		size_t errlen)
{
	struct dir_names d = { 0 };
	ext2_ino_t ino;
	char norm[1024];
	errcode_t ec;
	int rc = img_path_normalise(dir, norm, sizeof(norm), err, errlen);

	*names = NULL;
	*nr = 0;
	if (rc)
		return rc;
	ec = ext2fs_namei_follow(fs->fs, EXT2_ROOT_INO, EXT2_ROOT_INO, norm, &ino);
	if (ec == EXT2_ET_FILE_NOT_FOUND || ec == EXT2_ET_NO_DIRECTORY)
		return -ENOENT;
	if (ec)
		return img_err(err, errlen, -EIO, "%s: %s", dir, error_message(ec));
	ec = ext2fs_check_directory(fs->fs, ino);
	if (ec == EXT2_ET_NO_DIRECTORY)
		return -ENOTDIR;
	if (!ec)
		ec = ext2fs_dir_iterate(fs->fs, ino, 0, NULL, collect_name, &d);
	if (ec || d.rc) {
		for (unsigned int i = 0; i < d.n; i++)
			free(d.v[i]);
		free(d.v);
		if (d.rc == -E2BIG)
			return img_err(err, errlen, d.rc, "%s: more than %d names", dir,
				       IMG_MAX_DIR_NAMES);
		return d.rc ? img_err(err, errlen, d.rc, "out of memory") :
			      img_err(err, errlen, -EIO, "%s: %s", dir, error_message(ec));
	}
	*names = d.v;
	*nr = d.n;
	return 0;
}
