/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A libext2fs I/O manager over an image already open: the "device name" handed to
 * ext2fs_open2() is the descriptor's number, so libext2fs never opens the image by path
 * again (an image reader that dropped its privileges could not, and a path may have
 * changed since it was checked). Read-only: every write is refused.
 */
#ifndef XENKVM_TOOLSTACK_IMAGE_FD_IO_H
#define XENKVM_TOOLSTACK_IMAGE_FD_IO_H

#include <ext2fs/ext2fs.h>

extern io_manager img_fd_io_manager;

/* The device name that makes img_fd_io_manager read fd. */
void img_fd_io_name(int fd, char *name, size_t len);

#endif
