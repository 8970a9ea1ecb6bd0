// SPDX-License-Identifier: GPL-2.0
/* The image file: opened read-only, its size, exact reads with bounds checked. */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "toolstack/image/disk.h"
#include "toolstack/image/errmsg.h"

int img_err(char *err, size_t errlen, int code, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return code;
}

int img_disk_open(const char *path, struct img_disk *d, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0) {
		memset(d, 0, sizeof(*d));
		d->fd = -1;
		return img_err(err, errlen, -errno, "%s: %s", path, strerror(errno));
	}
	return img_disk_adopt(fd, path, d, err, errlen);
}

int img_disk_adopt(int fd, const char *path, struct img_disk *d, char *err, size_t errlen)
{
	struct stat st;
	int rc;

	memset(d, 0, sizeof(*d));
	d->fd = fd;
	if (fstat(d->fd, &st)) {
		rc = img_err(err, errlen, -errno, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode) && !S_ISBLK(st.st_mode)) {
		rc = img_err(err, errlen, -EINVAL, "%s: not a regular file or block device", path);
		goto fail;
	}
	if (S_ISBLK(st.st_mode)) {
		off_t end = lseek(d->fd, 0, SEEK_END);

		if (end < 0) {
			rc = img_err(err, errlen, -errno, "%s: %s", path, strerror(errno));
			goto fail;
		}
		d->size = end;
	} else {
		d->size = st.st_size;
	}
	d->path = strdup(path);
	if (!d->path) {
		rc = img_err(err, errlen, -ENOMEM, "out of memory");
		goto fail;
	}
	return 0;
fail:
	close(d->fd);
	d->fd = -1;
	return rc;
}

void img_disk_close(struct img_disk *d)
{
	if (d->fd >= 0)
		close(d->fd);
	d->fd = -1;
	free(d->path);
	d->path = NULL;
}

int img_disk_read(const struct img_disk *d, uint64_t off, void *buf, size_t len, char *err,
		  size_t errlen)
{
	size_t done = 0;

	if (off > d->size || len > d->size - off)
		return img_err(err, errlen, -EIO,
			       "the image ends at byte %llu: cannot read %zu bytes at %llu "
			       "(truncated image?)",
			       (unsigned long long)d->size, len, (unsigned long long)off);
	while (done < len) {
		ssize_t n = pread(d->fd, (char *)buf + done, len - done, off + done);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			return img_err(err, errlen, -errno, "%s: %s", d->path, strerror(errno));
		if (n == 0)
			return img_err(err, errlen, -EIO, "%s: short read at byte %llu", d->path,
				       (unsigned long long)(off + done));
		done += n;
	}
	return 0;
}
