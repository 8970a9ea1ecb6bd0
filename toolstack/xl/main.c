// SPDX-License-Identifier: GPL-2.0
/*
 * xl for xenkvm: Xen's xl command line (global options -v -N -f -t -T, one subcommand
 * with its own options, `xl help [CMD]`, `CMD --help`) over the toolstack library.
 */
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toolstack/xl/xl.h"

struct xl_globals xl;

static const struct xl_cmd table[] = {
	{ "create", xl_create, true, "Create a domain from config file <filename>",
	  "<ConfigFile> [options] [vars]",
	  "-c                      Connect to the console after the domain is created.\n"
	  "-f FILE, --defconfig=FILE\n"
	  "                        Use the given configuration file.\n"
	  "-h                      Print this help.\n"
	  "-n, --dryrun            Dry run - prints the resulting configuration\n"
	  "                         (deprecated in favour of global -N option).\n"
	  "-p                      Leave the domain paused after it is created.\n"
	  "-q, --quiet             Quiet.\n"
	  "--xml                   The file is libvirt domain XML (<domain type='xen'>).\n"
	  "[vars]                  KEY=VALUE settings applied after the file." },
	{ "list", xl_list, false, "List information about all/some domains", "[options] [Domain]",
	  "-l, --long              Output all VM details\n"
	  "-v, --verbose           Prints out UUIDs and security context" },
	{ "destroy", xl_destroy, false, "Terminate a domain immediately", "[options] <Domain>",
	  "-f                      Permit destroying domain 0 (refused: domain 0 is the host)." },
	{ "shutdown", xl_shutdown, false, "Issue a shutdown signal to a domain",
	  "[options] <-a|Domain>",
	  "-a, --all               Shutdown all guest domains.\n"
	  "-h                      Print this help.\n"
	  "-F                      Fallback to ACPI power event for HVM guests with\n"
	  "                        no PV drivers.\n"
	  "-w, --wait              Wait for guest(s) to shutdown." },
	{ "reboot", xl_reboot, false, "Issue a reboot signal to a domain", "[options] <-a|Domain>",
	  "-a, --all               Reboot all guest domains.\n"
	  "-h                      Print this help.\n"
	  "-F                      Fallback to ACPI reset event for HVM guests with\n"
	  "                        no PV drivers.\n"
	  "-w, --wait              Wait for guest(s) to reboot." },
	{ "console", xl_console, false, "Attach to domain's console", "[options] <Domain>",
	  "-t <type>               console type, pv (the only one of a xenkvm PVH domain)\n"
	  "-n <number>             console number, 0\n"
	  "^]                      detaches." },
	{ "vcpu-list", xl_vcpu_list, false, "List the VCPUs for all/some domains", "[Domain, ...]",
	  NULL },
	{ "dmesg", xl_dmesg, false, "Read and/or clear dmesg buffer", "[-c]",
	  "-c                        Clear dmesg buffer as well as printing it" },
	{ "rename", xl_rename, false, "Rename a domain", "<Domain> <NewDomainName>", NULL },
	{ "sysrq", xl_sysrq, false, "Send a sysrq to a domain", "<Domain> <sysrq letter>", NULL },
	{ "pause", xl_pause, false, "Pause execution of a domain", "<Domain>", NULL },
	{ "unpause", xl_unpause, false, "Unpause a paused domain", "<Domain>", NULL },
	{ "info", xl_info, false, "Get information about Xen host", "", NULL },
	{ "domid", xl_domid, false, "Convert a domain name to domain id", "<DomainName>", NULL },
	{ "domname", xl_domname, false, "Convert a domain id to domain name", "<DomainId>", NULL },
};

const struct xl_cmd *xl_cmd_lookup(const char *name)
{
	for (size_t i = 0; i < sizeof(table) / sizeof(*table); i++)
		if (!strcmp(table[i].name, name))
			return &table[i];
	return NULL;
}

void xl_help(const char *command)
{
	const struct xl_cmd *c;

	if (!command || !strcmp(command, "help")) {
		printf("Usage xl [-vfNtT] [--run-dir DIR] <subcommand> [args]\n\n");
		printf("xl full list of subcommands:\n\n");
		for (size_t i = 0; i < sizeof(table) / sizeof(*table); i++)
			printf(" %-19s %s\n", table[i].name, table[i].desc);
		printf("\nxenkvm: the run directory is --run-dir, XENKVM_RUN_DIR or /run/xenkvm.\n");
		return;
	}
	c = xl_cmd_lookup(command);
	if (!c) {
		printf("command \"%s\" not implemented\n", command);
		return;
	}
	printf("Usage: xl [-vtT%s] %s %s\n\n%s.\n\n", c->can_dryrun ? "N" : "", c->name, c->usage,
	       c->desc);
	if (c->options)
		printf("Options:\n\n%s\n", c->options);
}

int xl_getopt(int argc, char **argv, const char *opts, const void *longopts, const char *cmd,
	      int reqargs)
{
	static const struct option help_only[] = { { "help", 0, 0, 'h' }, { 0, 0, 0, 0 } };
	int opt;

	opterr = 0;
	opt = getopt_long(argc, argv, opts, longopts ? longopts : help_only, NULL);
	if (opt == '?' && optopt == 'h')
		opt = 'h';
	if (opt == 'h') {
		xl_help(cmd);
		exit(0);
	}
	if (opt == '?') {
		if (optopt)
			fprintf(stderr, "option `%c' not supported.\n", optopt);
		else
			fprintf(stderr, "option `%s' not supported.\n", argv[optind - 1]);
		exit(XL_EXIT_USAGE);
	}
	if (opt != -1)
		return opt;
	if (argc - optind < reqargs) {
		fprintf(stderr, "'xl %s' requires at least %d argument%s.\n\n", cmd, reqargs,
			reqargs > 1 ? "s" : "");
		xl_help(cmd);
		exit(XL_EXIT_USAGE);
	}
	return -1;
}

const char *xl_xenkvm_path(void)
{
	static char path[PATH_MAX + 16];
	const char *env = getenv("XENKVM_BIN");
	char self[PATH_MAX];
	ssize_t n;

	if (env && *env)
		return env;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0) {
		char *slash;

		self[n] = 0;
		slash = strrchr(self, '/');
		if (slash) {
			*slash = 0;
			snprintf(path, sizeof(path), "%s/xenkvm", self);
			if (!access(path, X_OK))
				return path;
		}
	}
	return "xenkvm";
}

int main(int argc, char **argv)
{
	static const struct option opts[] = { { "run-dir", 1, 0, 'R' }, { 0, 0, 0, 0 } };
	const struct xl_cmd *c;
	const char *cmd;
	int opt;

	xl.self = argv[0];
	opterr = 0;
	while ((opt = getopt_long(argc, argv, "+vftTN", opts, NULL)) >= 0) {
		switch (opt) {
		case 'v':
			xl.verbose++;
			break;
		case 'N':
			xl.dryrun = true;
			break;
		case 'R':
			xl.run_dir = optarg;
			break;
		case 'f':
		case 't':
		case 'T':
			break; /* force, progress and timestamp styles: nothing to change here */
		default:
			fprintf(stderr, "unknown global option\n");
			return EXIT_FAILURE;
		}
	}
	cmd = argv[optind];
	if (!cmd) {
		xl_help(NULL);
		return EXIT_FAILURE;
	}
	argv += optind;
	argc -= optind;
	optind = 1;
	c = xl_cmd_lookup(cmd);
	if (c) {
		if (xl.dryrun && !c->can_dryrun) {
			fprintf(stderr, "command does not implement -N (dryrun) option\n");
			return EXIT_FAILURE;
		}
		return c->fn(argc, argv);
	}
	if (!strcmp(cmd, "help")) {
		xl_help(argv[1]);
		return EXIT_SUCCESS;
	}
	fprintf(stderr, "command not implemented\n");
	return EXIT_FAILURE;
}
