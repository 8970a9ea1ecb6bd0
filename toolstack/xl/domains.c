// SPDX-License-Identifier: GPL-2.0
/*
 * xl list, destroy, domid, domname: the run directory's records plus the state of
 * each xenkvm process. Domain-0 stands for the host, as on Xen, where it is always
 * listed first.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "toolstack/domains/xs_domain.h"
#include "toolstack/xl/xl.h"

bool xl_open_rundir(struct rundir *rd)
{
	int rc = rundir_open(rd, xl.run_dir);

	if (rc)
		fprintf(stderr, "xl: run directory %s: %s\n",
			xl.run_dir ? xl.run_dir :
				     (getenv("XENKVM_RUN_DIR") ? getenv("XENKVM_RUN_DIR") :
								 "/run/xenkvm"),
			strerror(-rc));
	return !rc;
}

int xl_find_domain(const struct rundir *rd, const char *q)
{
	struct dom_record r;
	char *end;
	unsigned long id = strtoul(q, &end, 10);
	unsigned d;

	if (!strcmp(q, "Domain-0") || (end != q && !*end && id == 0))
		return 0;
	if (end != q && !*end && id <= DOMID_LAST && !rundir_read_record(rd, (unsigned)id, &r))
		return (int)id;
	if (!rundir_find_name(rd, q, &d))
		return (int)d;
	fprintf(stderr, "%s is an invalid domain identifier (rc=-6)\n", q);
	return -1;
}

struct proc_state {
	bool alive, running, paused;
	double cpu_s;
};

/* The VMM's threads: any running is `r`, all stopped (SIGSTOP) is `p`, else blocked. */
static void proc_state(pid_t pid, struct proc_state *ps)
{
	char path[64], buf[512];
	DIR *d;
	struct dirent *e;
	unsigned long long ut = 0, st = 0;
	int nthreads = 0, stopped = 0;
	FILE *f;

	memset(ps, 0, sizeof(*ps));
	if (!rundir_pid_alive(pid))
		return;
	ps->alive = true;
	snprintf(path, sizeof(path), "/proc/%d/task", (int)pid);
	d = opendir(path);
	while (d && (e = readdir(d))) {
		char *close;

		if (e->d_name[0] == '.')
			continue;
		snprintf(buf, sizeof(buf), "/proc/%d/task/%s/stat", (int)pid, e->d_name);
		f = fopen(buf, "re");
		if (!f)
			continue;
		if (fgets(buf, sizeof(buf), f) && (close = strrchr(buf, ')')) && close[1]) {
			nthreads++;
			ps->running |= close[2] == 'R';
			stopped += close[2] == 'T' || close[2] == 't';
		}
		fclose(f);
	}
	if (d)
		closedir(d);
	ps->paused = nthreads && stopped == nthreads;
	/* utime and stime (fields 14 and 15) of the whole process. */
	snprintf(path, sizeof(path), "/proc/%d/stat", (int)pid);
	f = fopen(path, "re");
	if (f && fgets(buf, sizeof(buf), f)) {
		char *p = strrchr(buf, ')');

		if (p && sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %llu %llu", &ut,
				&st) == 2)
			ps->cpu_s = (double)(ut + st) / (double)sysconf(_SC_CLK_TCK);
	}
	if (f)
		fclose(f);
}

static unsigned long long host_mem_mib(const char *field)
{
	char line[256];
	unsigned long long kb = 0;
	FILE *f = fopen("/proc/meminfo", "re");

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, field, strlen(field)))
			sscanf(line + strlen(field), ": %llu", &kb);
	if (f)
		fclose(f);
	return kb / 1024;
}

static double host_cpu_s(void)
{
	unsigned long long u = 0, n = 0, s = 0;
	FILE *f = fopen("/proc/stat", "re");

	if (f && fscanf(f, "cpu %llu %llu %llu", &u, &n, &s) != 3)
		u = n = s = 0;
	if (f)
		fclose(f);
	return (double)(u + n + s) / (double)sysconf(_SC_CLK_TCK);
}

/* Xen's shutdown-reason letters for the fifth state column: poweroff, reboot,
 * suspend, crash, watchdog, soft reset. */
static char reason_letter(int status)
{
	switch (status) {
	case 0:
		return '-';
	case 4:
		return 'r';
	case 6:
		return 's';
	case 10:
		return 'w';
	case 12:
		return 'S';
	default:
		return 'c';
	}
}

/* The VMM's own word on its state (docs/CONTROL.md `info`): paused or shut down. */
static void vmm_state(const struct rundir *rd, unsigned domid, struct proc_state *ps)
{
	char reply[1024], state[32];

	if (xl_control(rd, domid, "\"cmd\":\"info\"", reply, sizeof(reply)) ||
	    xl_reply_str(reply, "state", state, sizeof(state)))
		return;
	ps->paused = !strcmp(state, "paused");
	if (ps->paused)
		ps->running = false;
}

static void list_one(const struct rundir *rd, const struct dom_record *r, bool verbose)
{
	struct proc_state ps;
	char state[7] = "------";

	proc_state(r->pid, &ps);
	if (ps.alive)
		vmm_state(rd, r->domid, &ps);
	if (ps.alive) {
		state[0] = ps.running ? 'r' : '-';
		state[1] = !ps.running && !ps.paused ? 'b' : '-';
		state[2] = ps.paused ? 'p' : '-';
	} else if (r->exit_status >= 0) {
		state[3] = 's';
		state[4] = reason_letter(r->exit_status);
	} else {
		state[5] = 'd'; /* neither running nor ended: being created or destroyed */
	}
	printf("%-40s %5u %5llu %5u     %s  %8.1f", r->name, r->domid,
	       (unsigned long long)(r->memory_kb / 1024), r->vcpus, state, ps.cpu_s);
	if (verbose)
		printf(" %s %8s", r->uuid, "-");
	printf("\n");
}

static void list_long(const struct rundir *rd, const unsigned *ids, size_t n)
{
	printf("[\n");
	for (size_t i = 0; i < n; i++) {
		char path[600], line[512];
		FILE *f;

		rundir_domain_path(rd, ids[i], "config.json", path, sizeof(path));
		printf("    {\n        \"domid\": %u,\n        \"config\": ", ids[i]);
		f = fopen(path, "re");
		for (bool first = true; f && fgets(line, sizeof(line), f); first = false)
			printf("%s%s", first ? "" : "        ", line);
		if (f)
			fclose(f);
		else
			printf("null\n");
		printf("    }%s\n", i + 1 < n ? "," : "");
	}
	printf("]\n");
}

int xl_list(int argc, char **argv)
{
	static const struct option longopts[] = { { "long", 0, 0, 'l' },
						  { "verbose", 0, 0, 'v' },
						  { "help", 0, 0, 'h' },
						  { 0, 0, 0, 0 } };
	bool lng = false, verbose = false;
	unsigned *ids = NULL, one;
	size_t n = 0;
	struct rundir rd;
	int opt, rc;

	while ((opt = xl_getopt(argc, argv, "lvZcn", longopts, "list", 0)) != -1) {
		if (opt == 'l')
			lng = true;
		else if (opt == 'v')
			verbose = true;
	}
	if (!xl_open_rundir(&rd))
		return EXIT_FAILURE;
	if (optind < argc) {
		int d = xl_find_domain(&rd, argv[optind]);

		if (d < 0)
			return EXIT_FAILURE;
		one = (unsigned)d;
		ids = d ? &one : NULL;
		n = d ? 1 : 0;
		if (!d && lng) {
			fprintf(stderr, "xl: domain 0 is the host: no configuration to show\n");
			return EXIT_FAILURE;
		}
		if (!d)
			goto dom0;
	} else {
		rc = rundir_list(&rd, &ids, &n);
		if (rc) {
			fprintf(stderr, "xl: cannot list %s: %s\n", rd.path, strerror(-rc));
			return EXIT_FAILURE;
		}
	}
	if (lng) {
		list_long(&rd, ids, n);
		goto out;
	}
dom0:
	printf("Name                                        ID   Mem VCPUs\tState\tTime(s)");
	printf(verbose ? "   UUID                            Reason-Code\tSecurity Label\n" : "\n");
	if (optind >= argc || n == 0) {
		printf("%-40s %5d %5llu %5ld     %s  %8.1f", "Domain-0", 0,
		       host_mem_mib("MemTotal"), sysconf(_SC_NPROCESSORS_ONLN), "r-----",
		       host_cpu_s());
		printf(verbose ? " 00000000-0000-0000-0000-000000000000        -\n" : "\n");
	}
	for (size_t i = 0; i < n; i++) {
		struct dom_record r;

		if (!rundir_read_record(&rd, ids[i], &r))
			list_one(&rd, &r, verbose);
	}
out:
	if (ids != &one)
		free(ids);
	return EXIT_SUCCESS;
}

/* Asks the monitor to stand down, stops xenkvm (the control socket's destroy, else
 * SIGTERM: either removes its xenstore nodes; SIGKILL after 5 s), and removes the run
 * files. */
int xl_destroy(int argc, char **argv)
{
	struct dom_record r;
	struct rundir rd;
	char path[600];
	int opt, d, fd;

	while ((opt = xl_getopt(argc, argv, "f", NULL, "destroy", 1)) != -1)
		;
	if (!xl_open_rundir(&rd))
		return EXIT_FAILURE;
	d = xl_find_domain(&rd, argv[optind]);
	if (d < 0)
		return EXIT_FAILURE;
	if (d == 0) {
		fprintf(stderr, "xl: domain 0 is the host and cannot be destroyed\n");
		return EXIT_FAILURE;
	}
	if (rundir_read_record(&rd, (unsigned)d, &r)) {
		fprintf(stderr, "xl: domain %d is gone\n", d);
		return EXIT_FAILURE;
	}
	rundir_domain_path(&rd, (unsigned)d, "destroying", path, sizeof(path));
	fd = open(path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);
	if (fd >= 0)
		close(fd);
	if (rundir_pid_alive(r.pid)) {
		char reply[256];

		/* The VMM's destroy (docs/CONTROL.md) is SIGTERM's: the signal when it has
		 * no socket or does not answer (hung), SIGKILL if even that is not enough. */
		if (xl_control(&rd, (unsigned)d, "\"cmd\":\"destroy\"", reply, sizeof(reply)))
			kill(r.pid, SIGTERM);
		/* Looks every millisecond (/proc/PID/stat), for 5 s at most. */
		for (int i = 0; i < 5000 && rundir_pid_alive(r.pid); i++)
			usleep(1000);
		if (rundir_pid_alive(r.pid))
			kill(r.pid, SIGKILL);
		for (int i = 0; i < 5000 && rundir_pid_alive(r.pid); i++)
			usleep(1000);
	}
	/* A live monitor removes the directory once xenkvm is gone (a restarting one first
	 * sees the marker); a preserved domain has none left. */
	rundir_domain_path(&rd, (unsigned)d, NULL, path, sizeof(path));
	for (int i = 0; i < 5000 && rundir_proc_alive(r.monitor, "xl"); i++) {
		if (access(path, F_OK))
			return EXIT_SUCCESS;
		usleep(1000);
	}
	if (rundir_proc_alive(r.monitor, "xl"))
		kill(r.monitor, SIGKILL);
	/* A restart may have started another VMM meanwhile. */
	if (!rundir_read_record(&rd, (unsigned)d, &r) && rundir_pid_alive(r.pid))
		kill(r.pid, SIGKILL);
	rundir_lock(&rd);
	rundir_remove_domain(&rd, (unsigned)d);
	rundir_unlock(&rd);
	return EXIT_SUCCESS;
}

int xl_domid(int argc, char **argv)
{
	struct rundir rd;
	unsigned d;

	while (xl_getopt(argc, argv, "", NULL, "domid", 1) != -1)
		;
	if (!xl_open_rundir(&rd))
		return EXIT_FAILURE;
	if (!strcmp(argv[optind], "Domain-0")) {
		printf("0\n");
		return EXIT_SUCCESS;
	}
	if (rundir_find_name(&rd, argv[optind], &d)) {
		fprintf(stderr,
			"Can't get domid of domain name '%s', maybe this domain does not exist.\n",
			argv[optind]);
		return EXIT_FAILURE;
	}
	printf("%u\n", d);
	return EXIT_SUCCESS;
}

int xl_domname(int argc, char **argv)
{
	struct dom_record r;
	struct rundir rd;
	char *end;
	unsigned long d;

	while (xl_getopt(argc, argv, "", NULL, "domname", 1) != -1)
		;
	d = strtoul(argv[optind], &end, 10);
	if (end == argv[optind]) {
		fprintf(stderr, "Invalid domain id.\n\n");
		return EXIT_FAILURE;
	}
	if (!xl_open_rundir(&rd))
		return EXIT_FAILURE;
	if (d == 0) {
		printf("Domain-0\n");
		return EXIT_SUCCESS;
	}
	if (d > DOMID_LAST || rundir_read_record(&rd, (unsigned)d, &r)) {
		fprintf(stderr,
			"Can't get domain name of domain id '%lu', maybe this domain does not exist.\n",
			d);
		return EXIT_FAILURE;
	}
	printf("%s\n", r.name);
	return EXIT_SUCCESS;
}

/*
 * xl rename: libxl_domain_rename(). Under the run directory's lock (so that no create
 * takes the name meanwhile): the record, then the domain's xenstore name nodes. The VMM
 * keeps the name it was started with for its own messages and `info`.
 */
int xl_rename(int argc, char **argv)
{
	struct dom_record r;
	struct rundir rd;
	const char *name;
	unsigned other;
	int d, rc;

	while (xl_getopt(argc, argv, "", NULL, "rename", 2) != -1)
		;
	name = argv[optind + 1];
	if (!*name || strlen(name) >= sizeof(r.name) || strchr(name, '\n')) {
		fprintf(stderr, "xl: invalid domain name '%s'\n", name);
		return EXIT_FAILURE;
	}
	if (!xl_open_rundir(&rd))
		return EXIT_FAILURE;
	d = xl_find_domain(&rd, argv[optind]);
	if (d <= 0) {
		if (d == 0)
			fprintf(stderr, "xl: domain 0 is the host: it cannot be renamed\n");
		return EXIT_FAILURE;
	}
	rc = rundir_lock(&rd);
	if (!rc && !rundir_find_name(&rd, name, &other) && other != (unsigned)d) {
		fprintf(stderr, "libxl: error: Domain with name \"%s\" already exists.\n", name);
		rc = -EEXIST;
	} else if (!rc && !(rc = rundir_read_record(&rd, (unsigned)d, &r))) {
		snprintf(r.name, sizeof(r.name), "%s", name);
		rc = rundir_write_record(&rd, &r);
		if (!rc && (rc = xs_domain_rename((unsigned)d, name)) == -ENOENT)
			rc = 0; /* a domain without xenstore has only the record's name */
		if (rc)
			fprintf(stderr, "libxl: error: domain %d: rename: %s\n", d, strerror(-rc));
	}
	rundir_unlock(&rd);
	return rc ? EXIT_FAILURE : EXIT_SUCCESS;
}
