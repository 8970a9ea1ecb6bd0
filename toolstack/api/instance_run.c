// SPDX-License-Identifier: GPL-2.0
/*
 * Instances as xl domains. The domain is named after the instance id, so xl and the
 * API agree on it without a mapping table; on_poweroff and on_crash are "preserve" so
 * that how a domain ended stays readable until the API has recorded it.
 */
#include <errno.h>
#include <fcntl.h>
#include <linux/fs.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "toolstack/api/instance_run.h"
#include "toolstack/api/records.h"
#include "vmm/exit_status.h"

static int copy_bytes(int in, int out, off_t size)
{
	char buf[1 << 16];
	off_t done = 0;

	while (done < size) {
		ssize_t n = read(in, buf, sizeof(buf));
		bool zero = true;

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return n ? -errno : -EIO;
		for (ssize_t i = 0; i < n && zero; i++)
			zero = !buf[i];
		/* Blocks of zeros become holes: the clone is as sparse as it can be. */
		if (zero ? lseek(out, n, SEEK_CUR) < 0 : write(out, buf, n) != n)
			return -errno ?: -EIO;
		done += n;
	}
	return ftruncate(out, size) ? -errno : 0;
}

int clone_file(const char *src, const char *dst)
{
	struct stat st;
	int in, out, rc = 0;

	in = open(src, O_RDONLY | O_CLOEXEC);
	if (in < 0)
		return -errno;
	out = open(dst, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (out < 0) {
		rc = -errno;
		close(in);
		return rc;
	}
	if (fstat(in, &st))
		rc = -errno;
	else if (ioctl(out, FICLONE, in))
		rc = copy_bytes(in, out, st.st_size);
	if (!rc && fsync(out))
		rc = -errno;
	close(in);
	if (close(out) && !rc)
		rc = -errno;
	if (rc)
		unlink(dst);
	return rc;
}

/* KEY = "VALUE" with libxlu's escapes for the two characters that need them. */
static void cfg_string(FILE *f, const char *key, const char *value)
{
	fprintf(f, "%s = \"", key);
	for (; *value; value++) {
		if (*value == '"' || *value == '\\')
			fputc('\\', f);
		fputc(*value, f);
	}
	fputs("\"\n", f);
}

static int write_config(struct api_state *st, const struct instance *in, const struct image *im)
{
	char path[700], disk[1024];
	FILE *f;

	instance_path(st, in->id, "domain.cfg", path, sizeof(path));
	f = fopen(path, "we");
	if (!f)
		return -errno;
	fprintf(f, "# xl config of EC2 instance %s (image %s), written by xenkvm-api\n", in->id,
		im->id);
	cfg_string(f, "name", in->id);
	cfg_string(f, "type", "pvh");
	cfg_string(f, "kernel", im->kernel);
	if (im->ramdisk[0])
		cfg_string(f, "ramdisk", im->ramdisk);
	cfg_string(f, "cmdline", tags_get(&im->tags, IMAGE_CMDLINE_TAG) ?: IMAGE_DEFAULT_CMDLINE);
	fprintf(f, "memory = %lu\nvcpus = %u\n", in->memory_mib, in->vcpus);
	if (im->root_disk[0]) {
		instance_path(st, in->id, "root.img", disk, sizeof(disk) - 64);
		fprintf(f, "disk = [ \"format=raw, vdev=xvda, access=rw, target=%s\" ]\n", disk);
	}
	cfg_string(f, "on_poweroff", "preserve");
	cfg_string(f, "on_crash", "preserve");
	cfg_string(f, "on_reboot", "restart");
	return fclose(f) ? -errno : 0;
}

int instance_prepare(struct api_state *st, const struct instance *in, const struct image *im,
		     char *err, size_t errsize)
{
	char path[700];
	int rc;

	instance_path(st, in->id, NULL, path, sizeof(path));
	rc = rec_mkdirs(path);
	if (!rc && im->root_disk[0]) {
		instance_path(st, in->id, "root.img", path, sizeof(path));
		rc = clone_file(im->root_disk, path);
		if (rc) {
			snprintf(err, errsize, "cloning the root disk %s: %s", im->root_disk,
				 strerror(-rc));
			return rc;
		}
	}
	if (!rc)
		rc = write_config(st, in, im);
	if (rc)
		snprintf(err, errsize, "writing the domain config: %s", strerror(-rc));
	return rc;
}

int instance_boot(struct api_state *st, const struct instance *in, char *err, size_t errsize)
{
	struct lifecycle_info info;
	char cfg[700];

	/* A domain preserved at its last end (on_poweroff/on_crash preserve) goes first. */
	if (lifecycle_query(&st->lc, in->id, &info) || info.state != LC_ABSENT)
		lifecycle_destroy(&st->lc, in->id);
	instance_path(st, in->id, "domain.cfg", cfg, sizeof(cfg));
	return lifecycle_create(&st->lc, cfg, err, errsize);
}

static void keep_console(struct api_state *st, const struct instance *in)
{
	char from[700], to[700];

	if (lifecycle_console_path(&st->lc, in->id, from, sizeof(from)))
		return;
	instance_path(st, in->id, "console.log", to, sizeof(to));
	clone_file(from, to);
}

int instance_halt(struct api_state *st, const struct instance *in, bool force)
{
	if (!force)
		lifecycle_shutdown(&st->lc, in->id, false); /* on failure: destroyed below */
	keep_console(st, in);
	return lifecycle_destroy(&st->lc, in->id);
}

int instance_reboot(struct api_state *st, const struct instance *in)
{
	return lifecycle_shutdown(&st->lc, in->id, true);
}

static void stopped(struct instance *in, const char *code, const char *reason)
{
	in->state = STATE_STOPPED;
	snprintf(in->reason_code, sizeof(in->reason_code), "%s", code);
	snprintf(in->reason, sizeof(in->reason), "%s: %s", code, reason);
}

void instance_refresh(struct api_state *st, struct instance *in)
{
	struct lifecycle_info info;
	char why[128];

	if (in->state != STATE_RUNNING || in->busy || lifecycle_query(&st->lc, in->id, &info))
		return;
	switch (info.state) {
	case LC_RUNNING:
		return;
	case LC_ENDED:
		keep_console(st, in);
		if (info.exit_status == VM_EXIT_POWEROFF) {
			stopped(in, "Client.InstanceInitiatedShutdown",
				"Instance initiated shutdown");
			break;
		}
		snprintf(why, sizeof(why), "%s (xenkvm exit status %d)",
			 info.exit_status == VM_EXIT_CRASH ? "the guest crashed" :
							     "the domain ended",
			 info.exit_status);
		stopped(in, "Server.InternalError", why);
		break;
	case LC_VMM_GONE:
		stopped(in, "Server.InternalError", "the domain's VMM process died");
		break;
	case LC_ABSENT:
		stopped(in, "Server.InternalError",
			"the domain is gone (destroyed outside the API)");
		break;
	}
	instance_save(st, in);
}

void instances_refresh(struct api_state *st)
{
	state_lock(st);
	for (size_t i = 0; i < st->ninstances; i++)
		instance_refresh(st, st->instances[i]);
	state_unlock(st);
}

int instance_console_path(struct api_state *st, const struct instance *in, char *buf, size_t size)
{
	if ((in->state == STATE_RUNNING || in->state == STATE_PENDING) &&
	    !lifecycle_console_path(&st->lc, in->id, buf, size) && !access(buf, R_OK))
		return 0;
	return instance_path(st, in->id, "console.log", buf, size);
}
