// SPDX-License-Identifier: GPL-2.0
/*
 * xl dmesg [-c]: Xen's hypervisor log; here each domain's VMM is its hypervisor, so the
 * VMM logs in the run directory (domains/DOMID/xenkvm.log), each line prefixed with the
 * domain as Xen prefixes a guest's lines, `(dN) `. -c empties the logs after printing.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toolstack/xl/xl.h"

static void print_log(const struct rundir *rd, unsigned domid, bool clear)
{
	char path[600], line[1024];
	bool start = true;
	FILE *f;

	rundir_domain_path(rd, domid, "xenkvm.log", path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f)) {
		/* A line longer than the buffer comes in pieces: prefix its first only. */
		if (start)
			printf("(d%u) ", domid);
		fputs(line, stdout);
		start = strchr(line, '\n') != NULL;
	}
	fclose(f);
	if (!start)
		putchar('\n');
	if (clear && truncate(path, 0))
		fprintf(stderr, "xl: cannot clear %s\n", path);
}

int xl_dmesg(int argc, char **argv)
{
	bool clear = false;
	unsigned *ids = NULL;
	struct rundir rd;
	size_t n = 0;
	int opt;

	while ((opt = xl_getopt(argc, argv, "c", NULL, "dmesg", 0)) != -1)
		clear |= opt == 'c';
	if (!xl_open_rundir(&rd) || rundir_list(&rd, &ids, &n))
		return EXIT_FAILURE;
	for (size_t i = 0; i < n; i++)
		print_log(&rd, ids[i], clear);
	free(ids);
	return EXIT_SUCCESS;
}
