// SPDX-License-Identifier: GPL-2.0
/*
 * build/bin/pygrub: Xen's pygrub for callers that run it by hand or from a toolstack
 * (libxl runs `pygrub --output=FIFO --output-format=simple0 --output-directory=DIR ...
 * IMAGE`), done by toolstack/image: the image is read without mounting it, the entry
 * chosen as pygrub -q chooses it (the menu's default, or --entry), its kernel and ramdisk
 * copied into the output directory, and their paths and the arguments printed in
 * pygrub's formats (pyformat.h). Exit status 0, or 1 with a message on stderr.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "toolstack/pygrub/opts.h"
#include "toolstack/pygrub/outfiles.h"
#include "toolstack/pygrub/pygrub.h"

static int fail(const char *what, int rc)
{
	fprintf(stderr, "pygrub: %s: %s\n", what, strerror(-rc));
	return 1;
}

/* mkdir -p, as pygrub's os.makedirs(dir, 0o700) for its default directory. */
static int make_dirs(const char *dir)
{
	char *copy = strdup(dir);
	int rc = 0;

	if (!copy)
		return -ENOMEM;
	for (char *p = copy + 1; !rc; p++) {
		bool end = !*p;

		if (*p != '/' && !end)
			continue;
		*p = '\0';
		if (mkdir(copy, 0700) && errno != EEXIST)
			rc = -errno;
		if (end)
			break;
		*p = '/';
	}
	free(copy);
	return rc;
}

static int create_outputs(const struct pygrub_opts *o, struct pygrub_out *out)
{
	int rc = make_dirs(o->output_dir);

	if (rc)
		return fail(o->output_dir, rc);
	out->kernel_fd = out_file_create(o->output_dir, "boot_kernel.", &out->kernel_path);
	if (out->kernel_fd < 0)
		return fail(o->output_dir, out->kernel_fd);
	out->ramdisk_fd = out_file_create(o->output_dir, "boot_ramdisk.", &out->ramdisk_path);
	if (out->ramdisk_fd < 0) {
		unlink(out->kernel_path);
		return fail(o->output_dir, out->ramdisk_fd);
	}
	return 0;
}

/* Removes the files of a failed run, and an empty ramdisk file (no ramdisk). */
static void tidy_outputs(const struct pygrub_out *out, bool failed)
{
	struct stat st;

	if (out->kernel_path && failed)
		unlink(out->kernel_path);
	if (out->ramdisk_path && (failed || (!stat(out->ramdisk_path, &st) && st.st_size == 0)))
		unlink(out->ramdisk_path);
}

/* --runas: the image is read by a child with the user's rights (pygrub's depriv); the
 * parent keeps the right to tidy the output directory. */
static int run_as(const struct pygrub_opts *o, struct pygrub_out *out)
{
	int status;
	pid_t pid = fork();

	if (pid < 0)
		return fail("fork", -errno);
	if (pid == 0) {
		int rc = pygrub_drop_privileges(o->runas);

		if (rc)
			_exit(fail("--runas", rc));
		_exit(pygrub_run(o, out));
	}
	if (out->kernel_fd >= 0)
		close(out->kernel_fd);
	if (out->ramdisk_fd >= 0)
		close(out->ramdisk_fd);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return fail("waitpid", -errno);
	if (WIFSIGNALED(status))
		fprintf(stderr, "pygrub: the image reader was killed by signal %d\n",
			WTERMSIG(status));
	return WIFEXITED(status) ? WEXITSTATUS(status) : 1;
}

int main(int argc, char **argv)
{
	struct pygrub_out out = { .answer_fd = STDOUT_FILENO, .kernel_fd = -1, .ramdisk_fd = -1 };
	struct pygrub_opts o;
	int rc = pygrub_parse_opts(argc, argv, &o);

	if (rc >= 0)
		return rc;
	if (o.output) {
		/* As pygrub: an existing file (libxl's FIFO), neither created nor truncated. */
		out.answer_fd = open(o.output, O_WRONLY | O_CLOEXEC);
		if (out.answer_fd < 0)
			return fail(o.output, -errno);
	}
	if (!o.list && !o.not_really && create_outputs(&o, &out))
		return 1;
	rc = o.runas ? run_as(&o, &out) : pygrub_run(&o, &out);
	tidy_outputs(&out, rc != 0);
	free(out.kernel_path);
	free(out.ramdisk_path);
	return rc;
}
