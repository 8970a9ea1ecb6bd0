// SPDX-License-Identifier: GPL-2.0
/*
 * pygrub's options, parsed as its gnu_getopt does (options and the image in any order,
 * "--opt=value" or "--opt value"), with its messages and exit statuses: a bad value is
 * reported on stdout, the usage line goes to stderr, and the status is 1. What pygrub
 * offers only with a terminal (its curses menu: -i, or no -q/--entry) is not here: this
 * command always decides without one, as pygrub -q does.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "toolstack/pygrub/opts.h"
#include "toolstack/pygrub/outfiles.h"

enum {
	OPT_OUTPUT = 256,
	OPT_FORMAT,
	OPT_DIR,
	OPT_OFFSET,
	OPT_RUNAS,
	OPT_ENTRY,
	OPT_KERNEL,
	OPT_RAMDISK,
	OPT_ARGS,
	OPT_ISCONFIG,
	OPT_DEBUG
};

static const struct option long_opts[] = {
	{ "quiet", no_argument, NULL, 'q' },
	{ "interactive", no_argument, NULL, 'i' },
	{ "list-entries", no_argument, NULL, 'l' },
	{ "not-really", no_argument, NULL, 'n' },
	{ "help", no_argument, NULL, 'h' },
	{ "output", required_argument, NULL, OPT_OUTPUT },
	{ "output-format", required_argument, NULL, OPT_FORMAT },
	{ "output-directory", required_argument, NULL, OPT_DIR },
	{ "offset", required_argument, NULL, OPT_OFFSET },
	{ "runas", required_argument, NULL, OPT_RUNAS },
	{ "entry", required_argument, NULL, OPT_ENTRY },
	{ "kernel", required_argument, NULL, OPT_KERNEL },
	{ "ramdisk", required_argument, NULL, OPT_RAMDISK },
	{ "args", required_argument, NULL, OPT_ARGS },
	{ "isconfig", no_argument, NULL, OPT_ISCONFIG },
	{ "debug", no_argument, NULL, OPT_DEBUG },
	{ 0 },
};

static void usage(const char *argv0)
{
	fprintf(stderr,
		"Usage: %s [-q|--quiet] [-i|--interactive] [-l|--list-entries] "
		"[-n|--not-really] [--output=] [--kernel=] [--ramdisk=] [--args=] [--entry=] "
		"[--output-directory=] [--output-format=sxp|simple|simple0] [--runas=] "
		"[--offset=] <image>\n",
		argv0);
}

static void help(const char *argv0)
{
	printf("Usage: %s [OPTION]... IMAGE\n"
	       "Finds the boot menu in a Xen guest's disk image (MBR, GPT or none; ext2/3/4;\n"
	       "GRUB 2, extlinux, GRUB legacy), copies the chosen entry's kernel and ramdisk\n"
	       "into the output directory and prints where they are, as Xen's pygrub does.\n\n"
	       "  -q, --quiet             no menu (always the case here)\n"
	       "  -l, --list-entries      list the menu's entries and stop\n"
	       "  -n, --not-really        check the files exist, copy nothing\n"
	       "      --entry=N|TITLE     boot entry N (from 0) or the one titled TITLE\n"
	       "      --kernel=PATH       boot PATH in the image instead of reading a menu\n"
	       "      --ramdisk=PATH      with --kernel: the ramdisk\n"
	       "      --args=ARGS         appended to the entry's kernel arguments\n"
	       "      --output=FILE       write the answer to FILE (existing) instead of stdout\n"
	       "      --output-format=sxp|simple|simple0   the answer's format (sxp)\n"
	       "      --output-directory=DIR  where the files go (%s)\n"
	       "      --offset=BYTES      read the filesystem at BYTES, no partition table\n"
	       "      --runas=UID         read the image as user and group UID\n"
	       "  -h, --help              this text\n"
	       "Manual: docs/IMAGES.md (pygrub).\n",
	       argv0, PYGRUB_OUTPUT_DIR);
}

/* Python's int(): optional blanks and sign, decimal digits. */
static bool parse_int(const char *s, long long *v)
{
	char *end;

	*v = strtoll(s, &end, 10);
	while (*end == ' ' || *end == '\t')
		end++;
	return end != s && !*end;
}

static int bad_value(const char *argv0, const char *msg)
{
	printf("%s\n", msg);
	usage(argv0);
	return 1;
}

static int take_option(int c, const char *argv0, struct pygrub_opts *o)
{
	long long v;
	struct stat st;

	switch (c) {
	case 'q':
		o->quiet = true;
		return -1;
	case 'l':
		o->list = true;
		return -1;
	case 'n':
		o->not_really = true;
		return -1;
	case 'h':
		help(argv0);
		return 0;
	case 'i':
		fprintf(stderr, "%s: no interactive menu here: give -q, --entry or -l\n", argv0);
		return 1;
	case OPT_ISCONFIG:
		fprintf(stderr,
			"%s: --isconfig (a menu file instead of an image) is not supported\n",
			argv0);
		return 1;
	case OPT_DEBUG:
		return -1;
	case OPT_OUTPUT:
		o->output = strcmp(optarg, "-") ? optarg : NULL;
		return -1;
	case OPT_FORMAT:
		if (py_format_parse(optarg) < 0) {
			printf("unknown output format %s\n", optarg);
			usage(argv0);
			return 1;
		}
		o->format = py_format_parse(optarg);
		return -1;
	case OPT_DIR:
		if (stat(optarg, &st) || !S_ISDIR(st.st_mode)) {
			printf("%s is not an existing directory\n", optarg);
			return 1;
		}
		o->output_dir = optarg;
		return -1;
	case OPT_OFFSET:
		if (!parse_int(optarg, &v) || v < 0)
			return bad_value(argv0, "offset value must be an integer");
		o->has_offset = true;
		o->offset = v;
		return -1;
	case OPT_RUNAS:
		if (!parse_int(optarg, &v) || v < 0 || v > 0x7fffffff)
			return bad_value(argv0, "runas value must be an integer user id");
		o->runas = v;
		return -1;
	case OPT_ENTRY:
		o->entry = optarg;
		return -1;
	case OPT_KERNEL:
		o->kernel = optarg;
		return -1;
	case OPT_RAMDISK:
		o->ramdisk = optarg;
		return -1;
	case OPT_ARGS:
		o->args = optarg;
		return -1;
	default:
		usage(argv0);
		return 1;
	}
}

int pygrub_parse_opts(int argc, char **argv, struct pygrub_opts *o)
{
	int c, rc;

	memset(o, 0, sizeof(*o));
	o->format = PY_SXP;
	o->output_dir = PYGRUB_OUTPUT_DIR;
	while ((c = getopt_long(argc, argv, "qilnh", long_opts, NULL)) != -1) {
		rc = take_option(c, argv[0], o);
		if (rc >= 0)
			return rc;
	}
	if (optind >= argc) {
		usage(argv[0]);
		return 1;
	}
	o->image = argv[optind];
	return -1;
}
