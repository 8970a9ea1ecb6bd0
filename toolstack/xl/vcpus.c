// SPDX-License-Identifier: GPL-2.0
/*
 * xl vcpu-list: one line per vCPU in Xen's columns (xl_vcpu.c). Each vCPU is a thread of
 * the domain's xenkvm named vcpuN: the host CPU it last ran on, whether it runs now, and
 * its CPU time come from /proc/PID/task/TID/stat; which vCPUs are up (a secondary waits
 * for its INIT/SIPI or VCPUOP_up until then) and whether the domain is paused come from
 * the VMM's `info`. xenkvm pins nothing, so both affinities are `all`.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toolstack/xl/xl.h"

struct vcpu_stat {
	bool found, running;
	int cpu;
	double time_s;
};

/* The thread named vcpuN of pid, if there is one. */
static void vcpu_stat(pid_t pid, unsigned n, struct vcpu_stat *vs)
{
	char path[320], want[16], buf[512];
	struct dirent *e;
	DIR *d;

	memset(vs, 0, sizeof(*vs));
	snprintf(want, sizeof(want), "vcpu%u\n", n);
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	while (d && !vs->found && (e = readdir(d))) {
		unsigned long long ut, st;
		char state, *p;
		FILE *f;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/comm", (int)pid, e->d_name);
		f = fopen(path, "re");
		if (!f)
			continue;
		vs->found = fgets(buf, sizeof(buf), f) && !strcmp(buf, want);
		fclose(f);
		if (!vs->found)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/task/%s/stat", (int)pid, e->d_name);
		f = fopen(path, "re");
		p = f && fgets(buf, sizeof(buf), f) ? strrchr(buf, ')') : NULL;
		/* Fields 3 (state), 14 and 15 (utime, stime), 39 (processor). */
		if (p &&
		    sscanf(p + 2,
			   "%c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu %*d %*d %*d "
			   "%*d %*d %*d %*u %*u %*d %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u %*u "
			   "%*u %*u %*u %*d %d",
			   &state, &ut, &st, &vs->cpu) == 4) {
			vs->running = state == 'R';
			vs->time_s = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
		}
		if (f)
			fclose(f);
	}
	if (d)
		closedir(d);
}

static void list_domain(const struct rundir *rd, const struct dom_record *r)
{
	char reply[1024], state[32] = "", *p;
	unsigned long long online = ~0ULL;
	bool paused;

	if (!rundir_pid_alive(r->pid))
		return; /* shut down and preserved: no vCPU runs */
	if (!xl_control(rd, r->domid, "\"cmd\":\"info\"", reply, sizeof(reply))) {
		xl_reply_str(reply, "state", state, sizeof(state));
		p = strstr(reply, "\"vcpus_online\":");
		if (p)
			online = strtoull(p + strlen("\"vcpus_online\":"), NULL, 10);
	}
	paused = !strcmp(state, "paused");
	for (unsigned i = 0; i < r->vcpus; i++) {
		struct vcpu_stat vs;
		bool up = i >= 64 || (online >> i) & 1;

		vcpu_stat(r->pid, i, &vs);
		printf("%-32s %5u %5u", r->name, r->domid, i);
		if (up && vs.found)
			printf("%5d", vs.cpu);
		else
			printf("%5c", '-');
		printf("%5c%c%c  ", up && vs.running && !paused ? 'r' : '-',
		       up && !vs.running && !paused ? 'b' : '-', up ? '-' : 'p');
		printf("%9.1f  all / all\n", vs.time_s);
	}
}

int xl_vcpu_list(int argc, char **argv)
{
	unsigned *ids = NULL;
	struct rundir rd;
	size_t n = 0;

	while (xl_getopt(argc, argv, "", NULL, "vcpu-list", 0) != -1)
		;
	if (!xl_open_rundir(&rd))
		return EXIT_FAILURE;
	if (optind < argc) {
		n = (size_t)(argc - optind);
		ids = calloc(n, sizeof(*ids));
		for (size_t i = 0; ids && i < n; i++) {
			int d = xl_find_domain(&rd, argv[optind + (int)i]);

			if (d <= 0) {
				if (d == 0)
					fprintf(stderr,
						"xl: domain 0 is the host: see /proc/cpuinfo\n");
				free(ids);
				return EXIT_FAILURE;
			}
			ids[i] = (unsigned)d;
		}
	} else if (rundir_list(&rd, &ids, &n)) {
		return EXIT_FAILURE;
	}
	printf("%-32s %5s %5s %5s %5s %9s %s\n", "Name", "ID", "VCPU", "CPU", "State", "Time(s)",
	       "Affinity (Hard / Soft)");
	for (size_t i = 0; i < n; i++) {
		struct dom_record r;

		if (!rundir_read_record(&rd, ids[i], &r))
			list_domain(&rd, &r);
	}
	free(ids);
	return EXIT_SUCCESS;
}
