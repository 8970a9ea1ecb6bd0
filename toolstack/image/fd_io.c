// SPDX-License-Identifier: GPL-2.0
/* libext2fs reading through an open descriptor (fd_io.h): pread at the channel's offset. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toolstack/image/fd_io.h"

struct fd_chan {
	int fd;
	unsigned long long offset; /* of the filesystem in the image ("offset=" option) */
};

void img_fd_io_name(int fd, char *name, size_t len)
{
	snprintf(name, len, "%d", fd);
}

static errcode_t fd_open(const char *name, int flags, io_channel *channel)
{
	struct fd_chan *c;
	io_channel io;
	char *end;
	long fd = strtol(name, &end, 10);

	if (!*name || *end || fd < 0 || fd > 0x7fffffff)
		return EXT2_ET_BAD_DEVICE_NAME;
	if (flags & IO_FLAG_RW)
		return EROFS;
	io = calloc(1, sizeof(*io));
	c = calloc(1, sizeof(*c));
	if (io)
		io->name = strdup(name);
	if (!io || !c || !io->name) {
		if (io)
			free(io->name);
		free(io);
		free(c);
		return EXT2_ET_NO_MEMORY;
	}
	c->fd = fd;
	io->magic = EXT2_ET_MAGIC_IO_CHANNEL;
	io->manager = img_fd_io_manager;
	io->block_size = 1024;
	io->refcount = 1;
	io->private_data = c;
	*channel = io;
	return 0;
}

static errcode_t fd_close(io_channel io)
{
	if (--io->refcount > 0)
		return 0;
	free(io->private_data);
	free(io->name);
	free(io);
	return 0;
}

static errcode_t fd_set_blksize(io_channel io, int blksize)
{
	if (blksize <= 0)
		return EXT2_ET_INVALID_ARGUMENT;
	io->block_size = blksize;
	return 0;
}

/* count > 0: blocks; count < 0: -count bytes (libext2fs's convention). */
static errcode_t fd_read_blk64(io_channel io, unsigned long long block, int count, void *data)
{
	struct fd_chan *c = io->private_data;
	size_t len = count < 0 ? (size_t)-count : (size_t)count * io->block_size, done = 0;
	unsigned long long off;

	if (__builtin_mul_overflow(block, (unsigned long long)io->block_size, &off) ||
	    __builtin_add_overflow(off, c->offset, &off) || off > (unsigned long long)INT64_MAX)
		return EXT2_ET_LLSEEK_FAILED;
	while (done < len) {
		ssize_t n = pread(c->fd, (char *)data + done, len - done, off + done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return errno;
		if (n == 0) {
			memset((char *)data + done, 0, len - done);
			return EXT2_ET_SHORT_READ;
		}
		done += n;
	}
	return 0;
}

static errcode_t fd_read_blk(io_channel io, unsigned long block, int count, void *data)
{
	return fd_read_blk64(io, block, count, data);
}

static errcode_t fd_write_blk(io_channel io, unsigned long block, int count, const void *data)
{
	return EROFS;
}

static errcode_t fd_write_blk64(io_channel io, unsigned long long block, int count,
				const void *data)
{
	return EROFS;
}

static errcode_t fd_write_byte(io_channel io, unsigned long offset, int count, const void *data)
{
	return EROFS;
}

static errcode_t fd_flush(io_channel io)
{
	return 0;
}

static errcode_t fd_set_option(io_channel io, const char *option, const char *arg)
{
	struct fd_chan *c = io->private_data;
	char *end;

	if (strcmp(option, "offset"))
		return EXT2_ET_INVALID_ARGUMENT;
	if (!arg || !*arg)
		return EXT2_ET_INVALID_ARGUMENT;
	errno = 0;
	c->offset = strtoull(arg, &end, 10);
	return *end || errno ? EXT2_ET_INVALID_ARGUMENT : 0;
}

static struct struct_io_manager fd_manager = {
	.magic = EXT2_ET_MAGIC_IO_MANAGER,
	.name = "xenkvm image descriptor I/O manager",
	.open = fd_open,
	.close = fd_close,
	.set_blksize = fd_set_blksize,
	.read_blk = fd_read_blk,
	.write_blk = fd_write_blk,
	.flush = fd_flush,
	.write_byte = fd_write_byte,
	.set_option = fd_set_option,
	.read_blk64 = fd_read_blk64,
	.write_blk64 = fd_write_blk64,
};

io_manager img_fd_io_manager = &fd_manager;
