// SPDX-License-Identifier: GPL-2.0
/*
 * Crash test load and check, through libxenstore.
 *   xs_crash_load load DIR   : 4 writer processes write /crash/wK/I (every 10th also
 *                              SET_PERMS, writer 0 also INTRODUCEs domains) until the
 *                              daemon dies; each records in DIR what was acknowledged.
 *   xs_crash_load verify DIR : every acknowledged write, permission and introduction
 *                              must be in the (restarted) daemon.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <xenstore.h>

#include "tests/compat/xs_check.h"

#define WRITERS 4

struct acked {
	long last_write; /* highest I acknowledged, -1 none */
	long last_domid; /* highest domain acknowledged, 0 none */
};

static void save(const char *dir, int k, const struct acked *a)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/acked.%d", dir, k);
	f = fopen(path, "w");
	if (!f)
		exit(1);
	fprintf(f, "%ld %ld\n", a->last_write, a->last_domid);
	fclose(f);
}

static void writer(const char *dir, int k)
{
	struct xs_handle *h = xs_open(0);
	struct acked a = { .last_write = -1 };
	char path[64], val[64];

	for (long i = 0; h; i++) {
		snprintf(path, sizeof(path), "/crash/w%d/%ld", k, i);
		snprintf(val, sizeof(val), "v%d-%ld", k, i);
		if (!xs_write(h, XBT_NULL, path, val, strlen(val)))
			break;
		if (i % 10 == 0) {
			struct xs_permissions p[2] = { { .id = 0, .perms = XS_PERM_NONE },
						       { .id = (unsigned)k + 1,
							 .perms = XS_PERM_READ } };

			if (!xs_set_permissions(h, XBT_NULL, path, p, 2))
				break;
		}
		a.last_write = i;
		if (k == 0 && i % 50 == 0) {
			if (!xs_introduce_domain(h, 100 + (unsigned)(i / 50), 1, 1))
				break;
			a.last_domid = 100 + i / 50;
		}
		/* Recorded after every ack: the daemon may die at any moment. */
		save(dir, k, &a);
	}
	save(dir, k, &a);
	exit(0);
}

static int load(const char *dir)
{
	for (int k = 0; k < WRITERS; k++)
		if (fork() == 0)
			writer(dir, k);
	while (wait(NULL) > 0)
		;
	return 0;
}

static bool node_ok(struct xs_handle *h, int k, long i)
{
	char path[64], want[64];
	unsigned int len, n = 0;
	char *v;
	struct xs_permissions *p;
	bool ok;

	snprintf(path, sizeof(path), "/crash/w%d/%ld", k, i);
	snprintf(want, sizeof(want), "v%d-%ld", k, i);
	v = xs_read(h, XBT_NULL, path, &len);
	ok = v && len == strlen(want) && !memcmp(v, want, len);
	free(v);
	if (!ok || i % 10)
		return ok;
	p = xs_get_permissions(h, XBT_NULL, path, &n);
	ok = p && n == 2 && p[1].id == (unsigned)k + 1 && p[1].perms == XS_PERM_READ;
	free(p);
	return ok;
}

static int verify(const char *dir)
{
	struct xs_handle *h = xs_open(0);
	long total = 0;

	if (!h) {
		CHECK(0, "connect to the restarted daemon");
		return xs_check_done();
	}
	for (int k = 0; k < WRITERS; k++) {
		struct acked a = { -1, 0 };
		char path[512];
		long bad = -1;
		FILE *f;

		snprintf(path, sizeof(path), "%s/acked.%d", dir, k);
		f = fopen(path, "r");
		if (!f || fscanf(f, "%ld %ld", &a.last_write, &a.last_domid) != 2)
			a.last_write = -1;
		if (f)
			fclose(f);
		for (long i = 0; i <= a.last_write && bad < 0; i++)
			if (!node_ok(h, k, i))
				bad = i;
		total += a.last_write + 1;
		CHECK(bad < 0, "writer %d: all %ld acknowledged writes (and perms) survived%s", k,
		      a.last_write + 1, bad < 0 ? "" : " -- first missing below");
		if (bad >= 0)
			printf("  missing or wrong: /crash/w%d/%ld\n", k, bad);
		for (long d = 101; d <= a.last_domid; d++)
			if (!xs_is_domain_introduced(h, (unsigned)d))
				bad = d;
		if (k == 0)
			CHECK(bad < 0, "all %ld acknowledged introductions survived",
			      a.last_domid ? a.last_domid - 100 : 0);
	}
	CHECK(total > 0, "the load made progress before the kill (%ld writes acknowledged)", total);
	xs_close(h);
	return xs_check_done();
}

int main(int argc, char **argv)
{
	if (argc == 3 && !strcmp(argv[1], "load"))
		return load(argv[2]);
	if (argc == 3 && !strcmp(argv[1], "verify"))
		return verify(argv[2]);
	fprintf(stderr, "usage: xs_crash_load load|verify DIR\n");
	return 2;
}
