// SPDX-License-Identifier: GPL-2.0
/*
 * Run-directory records. A record is small key=value text, written to a temporary
 * file and renamed over the old one, so that a reader never sees half a record.
 * Domid allocation and name checks happen under an flock on RUN_DIR/lock, so two
 * concurrent `xl create` never get the same domid or name.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "toolstack/domains/rundir.h"

int rundir_mkdirs(const char *path)
{
	char buf[4096];

	if (snprintf(buf, sizeof(buf), "%s", path) >= (int)sizeof(buf))
		return -ENAMETOOLONG;
	for (char *p = buf + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = 0;
		if (mkdir(buf, 0755) && errno != EEXIST)
			return -errno;
		*p = '/';
	}
	if (mkdir(buf, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

int rundir_open(struct rundir *rd, const char *flag_path)
{
	const char *p = flag_path ? flag_path : getenv("XENKVM_RUN_DIR");
	char sub[600];
	int rc;

	rd->lock_fd = -1;
	if (!p || !*p)
		p = "/run/xenkvm";
	if (snprintf(rd->path, sizeof(rd->path), "%s", p) >= (int)sizeof(rd->path))
		return -ENAMETOOLONG;
	rc = rundir_mkdirs(rd->path);
	if (rc)
		return rc;
	snprintf(sub, sizeof(sub), "%s/domains", rd->path);
	if (mkdir(sub, 0700) && errno != EEXIST)
		return -errno;
	return 0;
}

void rundir_close(struct rundir *rd)
{
	rundir_unlock(rd);
}

int rundir_lock(struct rundir *rd)
{
	char path[600];

	snprintf(path, sizeof(path), "%s/lock", rd->path);
	rd->lock_fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (rd->lock_fd < 0)
		return -errno;
	if (flock(rd->lock_fd, LOCK_EX)) {
		int rc = -errno;

		close(rd->lock_fd);
		rd->lock_fd = -1;
		return rc;
	}
	return 0;
}

void rundir_unlock(struct rundir *rd)
{
	if (rd->lock_fd >= 0)
		close(rd->lock_fd); /* drops the flock */
	rd->lock_fd = -1;
}

int rundir_domain_path(const struct rundir *rd, unsigned domid, const char *file, char *buf,
		       size_t size)
{
	int n = snprintf(buf, size, "%s/domains/%u%s%s", rd->path, domid, file ? "/" : "",
			 file ? file : "");

	return n < 0 || (size_t)n >= size ? -ENAMETOOLONG : 0;
}

int rundir_alloc_domid(struct rundir *rd, unsigned *domid)
{
	char path[600];

	for (unsigned d = DOMID_FIRST; d <= DOMID_LAST; d++) {
		rundir_domain_path(rd, d, NULL, path, sizeof(path));
		if (!mkdir(path, 0700)) {
			*domid = d;
			return 0;
		}
		if (errno != EEXIST)
			return -errno;
	}
	return -ENOSPC;
}

int rundir_write_record(const struct rundir *rd, const struct dom_record *r)
{
	char path[600], tmp[620];
	FILE *f;

	rundir_domain_path(rd, r->domid, "record", path, sizeof(path));
	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	f = fopen(tmp, "we");
	if (!f)
		return -errno;
	fprintf(f,
		"domid=%u\nname=%s\nuuid=%s\nmemory_kb=%" PRIu64 "\nmax_memory_kb=%" PRIu64
		"\nvcpus=%u\npid=%d\nmonitor=%d\nstart_time=%lld\nexit_status=%d\n",
		r->domid, r->name, r->uuid, r->memory_kb, r->max_memory_kb, r->vcpus, (int)r->pid,
		(int)r->monitor, r->start_time, r->exit_status);
	if (fclose(f) || rename(tmp, path)) {
		int rc = -errno;

		unlink(tmp);
		return rc;
	}
	return 0;
}

static void record_field(struct dom_record *r, const char *k, const char *v)
{
	if (!strcmp(k, "domid"))
		r->domid = (unsigned)strtoul(v, NULL, 10);
	else if (!strcmp(k, "name"))
		snprintf(r->name, sizeof(r->name), "%s", v);
	else if (!strcmp(k, "uuid"))
		snprintf(r->uuid, sizeof(r->uuid), "%s", v);
	else if (!strcmp(k, "memory_kb"))
		r->memory_kb = strtoull(v, NULL, 10);
	else if (!strcmp(k, "max_memory_kb"))
		r->max_memory_kb = strtoull(v, NULL, 10);
	else if (!strcmp(k, "vcpus"))
		r->vcpus = (unsigned)strtoul(v, NULL, 10);
	else if (!strcmp(k, "pid"))
		r->pid = (pid_t)strtol(v, NULL, 10);
	else if (!strcmp(k, "monitor"))
		r->monitor = (pid_t)strtol(v, NULL, 10);
	else if (!strcmp(k, "start_time"))
		r->start_time = strtoll(v, NULL, 10);
	else if (!strcmp(k, "exit_status"))
		r->exit_status = (int)strtol(v, NULL, 10);
}

int rundir_read_record(const struct rundir *rd, unsigned domid, struct dom_record *r)
{
	char path[600], line[600];
	FILE *f;

	memset(r, 0, sizeof(*r));
	r->exit_status = -1;
	rundir_domain_path(rd, domid, "record", path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return -errno;
	while (fgets(line, sizeof(line), f)) {
		char *eq = strchr(line, '=');

		line[strcspn(line, "\n")] = 0;
		if (!eq)
			continue;
		*eq = 0;
		record_field(r, line, eq + 1);
	}
	fclose(f);
	return r->domid == domid ? 0 : -EINVAL;
}

int rundir_remove_domain(const struct rundir *rd, unsigned domid)
{
	char path[600], file[900];
	DIR *d;
	struct dirent *e;

	rundir_domain_path(rd, domid, NULL, path, sizeof(path));
	d = opendir(path);
	if (!d)
		return errno == ENOENT ? 0 : -errno;
	while ((e = readdir(d))) {
		if (!strcmp(e->d_name, ".") || !strcmp(e->d_name, ".."))
			continue;
		snprintf(file, sizeof(file), "%s/%s", path, e->d_name);
		unlink(file);
	}
	closedir(d);
	return rmdir(path) ? -errno : 0;
}

static int cmp_unsigned(const void *a, const void *b)
{
	unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;

	return x < y ? -1 : x > y;
}

int rundir_list(const struct rundir *rd, unsigned **domids, size_t *n)
{
	char path[600];
	DIR *d;
	struct dirent *e;
	unsigned *out = NULL;
	size_t cnt = 0;

	snprintf(path, sizeof(path), "%s/domains", rd->path);
	d = opendir(path);
	if (!d)
		return -errno;
	while ((e = readdir(d))) {
		char *end;
		unsigned long id = strtoul(e->d_name, &end, 10);
		unsigned *grown;

		if (end == e->d_name || *end || id < DOMID_FIRST || id > DOMID_LAST)
			continue;
		grown = realloc(out, (cnt + 1) * sizeof(*out));
		if (!grown) {
			free(out);
			closedir(d);
			return -ENOMEM;
		}
		out = grown;
		out[cnt++] = (unsigned)id;
	}
	closedir(d);
	if (cnt)
		qsort(out, cnt, sizeof(*out), cmp_unsigned);
	*domids = out;
	*n = cnt;
	return 0;
}

int rundir_find_name(const struct rundir *rd, const char *name, unsigned *domid)
{
	unsigned *ids;
	size_t n;
	int rc = rundir_list(rd, &ids, &n);

	if (rc)
		return rc;
	rc = -ENOENT;
	for (size_t i = 0; i < n && rc; i++) {
		struct dom_record r;

		if (!rundir_read_record(rd, ids[i], &r) && !strcmp(r.name, name)) {
			*domid = ids[i];
			rc = 0;
		}
	}
	free(ids);
	return rc;
}

bool rundir_pid_alive(pid_t pid)
{
	return rundir_proc_alive(pid, "xenkvm");
}

bool rundir_proc_alive(pid_t pid, const char *comm)
{
	char path[64], buf[256], want[40];
	FILE *f;
	bool alive = false;

	if (pid <= 0)
		return false;
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (!f)
		return false;
	if (fgets(buf, sizeof(buf), f)) {
		/* "PID (COMM) STATE ...": our VMM, and not a zombie. */
		char *close = strrchr(buf, ')');

		snprintf(want, sizeof(want), "(%s)", comm);
		alive = strstr(buf, want) && close && close[1] == ' ' && close[2] != 'Z' &&
			close[2] != 'X';
	}
	fclose(f);
	return alive;
}
