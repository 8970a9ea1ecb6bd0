// SPDX-License-Identifier: GPL-2.0
/*
 * xl info: the host as Xen's xl reports it, with xenkvm's answers for the hypervisor
 * fields (the Xen version and capabilities its guests see: xen-emul/hypercall/version.c) and the
 * host's real CPUs and memory from /proc.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "toolstack/xl/xl.h"

/* What xen-emul/hypercall/version.c answers a guest by default (xenkvm --xen-version 4.17). */
#define XEN_MAJOR 4
#define XEN_MINOR 17
#define XEN_EXTRA ".0-xenkvm"
#define XEN_CAPS "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64"

static unsigned long long meminfo_mib(const char *field)
{
	char line[256];
	unsigned long long kb = 0;
	FILE *f = fopen("/proc/meminfo", "re");
	size_t n = strlen(field);

	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, field, n) && line[n] == ':')
			sscanf(line + n + 1, "%llu", &kb);
	if (f)
		fclose(f);
	return kb / 1024;
}

/* The first value of a /proc/cpuinfo field, or "". */
static void cpuinfo(const char *field, char *out, size_t size)
{
	char line[512];
	FILE *f = fopen("/proc/cpuinfo", "re");
	size_t n = strlen(field);

	out[0] = 0;
	while (f && fgets(line, sizeof(line), f)) {
		char *colon = strchr(line, ':');

		if (!strncmp(line, field, n) && colon && (line[n] == ' ' || line[n] == '\t')) {
			snprintf(out, size, "%s", colon + 2);
			out[strcspn(out, "\n")] = 0;
			break;
		}
	}
	if (f)
		fclose(f);
}

int xl_info(int argc, char **argv)
{
	struct utsname u;
	char mhz[64], cores[32], siblings[32];
	long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
	long threads = 1;

	while (xl_getopt(argc, argv, "n", NULL, "info", 0) != -1)
		;
	uname(&u);
	cpuinfo("cpu MHz", mhz, sizeof(mhz));
	cpuinfo("cpu cores", cores, sizeof(cores));
	cpuinfo("siblings", siblings, sizeof(siblings));
	if (atol(cores) > 0 && atol(siblings) >= atol(cores))
		threads = atol(siblings) / atol(cores);
	printf("host                   : %s\n", u.nodename);
	printf("release                : %s\n", u.release);
	printf("version                : %s\n", u.version);
	printf("machine                : %s\n", u.machine);
	printf("nr_cpus                : %ld\n", ncpu);
	printf("max_cpu_id             : %ld\n", ncpu - 1);
	printf("nr_nodes               : 1\n");
	printf("cores_per_socket       : %s\n", cores[0] ? cores : "1");
	printf("threads_per_core       : %ld\n", threads);
	printf("cpu_mhz                : %s\n", mhz[0] ? mhz : "0");
	printf("virt_caps              : pvh\n");
	printf("total_memory           : %llu\n", meminfo_mib("MemTotal"));
	printf("free_memory            : %llu\n", meminfo_mib("MemAvailable"));
	printf("free_cpus              : 0\n");
	printf("xen_major              : %d\n", XEN_MAJOR);
	printf("xen_minor              : %d\n", XEN_MINOR);
	printf("xen_extra              : %s\n", XEN_EXTRA);
	printf("xen_version            : %d.%d%s\n", XEN_MAJOR, XEN_MINOR, XEN_EXTRA);
	printf("xen_caps               : %s\n", XEN_CAPS);
	printf("xen_scheduler          : linux\n");
	printf("xen_pagesize           : %ld\n", sysconf(_SC_PAGESIZE));
	printf("xen_changeset          : unavailable\n");
	printf("xend_config_format     : 4\n");
	return EXIT_SUCCESS;
}
