// SPDX-License-Identifier: GPL-2.0
/*
 * xl create: read the config (xl.cfg, or libvirt XML with --xml), apply KEY=VALUE
 * arguments after it as xl does, validate everything before anything starts, then
 * (not with -n/-N) hand the domain to launch.c.
 */
#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "toolstack/cfg/domcfg.h"
#include "toolstack/cfg/libvirt_xml.h"
#include "toolstack/xl/xl.h"

struct create_opts {
	const char *file;
	char *extra; /* KEY=VALUE lines */
	size_t extra_len;
	bool dryrun, quiet, console, paused, xml;
};

static int read_all(const char *path, char **buf, size_t *len)
{
	FILE *f = fopen(path, "re");
	size_t cap = 0;

	*buf = NULL;
	*len = 0;
	if (!f)
		return -errno;
	for (;;) {
		char *grown;
		size_t n;

		if (*len + 4096 > (1u << 20) + 4096) {
			fclose(f);
			free(*buf);
			return -EFBIG;
		}
		grown = realloc(*buf, cap += 4096);
		if (!grown) {
			fclose(f);
			free(*buf);
			return -ENOMEM;
		}
		*buf = grown;
		n = fread(*buf + *len, 1, cap - *len, f);
		*len += n;
		if (n == 0)
			break;
	}
	fclose(f);
	return 0;
}

static int load_config(const struct create_opts *o, struct dom_config *dc)
{
	struct cfg_error err = { 0 };
	char msg[700];
	int rc;

	if (o->xml) {
		char *buf;
		size_t len;

		if (o->extra_len) {
			fprintf(stderr, "KEY=VALUE settings cannot be combined with --xml\n");
			return -EINVAL;
		}
		rc = read_all(o->file, &buf, &len);
		if (rc) {
			fprintf(stderr, "Failed to read config file: %s: %s\n", o->file,
				strerror(-rc));
			return -EIO;
		}
		rc = libvirt_xml_to_domcfg(buf, len, o->file, dc, &err, stderr);
		free(buf);
	} else {
		struct cfg_file cf;

		cfg_init(&cf);
		rc = 0;
		if (strcmp(o->file, "/dev/null")) /* xl: /dev/null means the command line alone */
			rc = cfg_parse_file(&cf, o->file, &err);
		if (rc && rc != -EINVAL) {
			fprintf(stderr, "Failed to read config file: %s: %s\n", o->file,
				strerror(-rc));
			cfg_free(&cf);
			return -EIO;
		}
		if (!rc && o->extra_len)
			rc = cfg_parse(&cf, "command line", o->extra, o->extra_len, &err);
		if (!rc)
			rc = domcfg_from_cfg(&cf, dc, &err, stderr);
		cfg_free(&cf);
	}
	if (rc) {
		cfg_error_format(&err, msg, sizeof(msg));
		fprintf(stderr, "%s\n", msg);
	}
	return rc;
}

/* What xenkvm can run: checked before anything starts. */
static int check_runnable(const struct dom_config *dc)
{
	struct stat st;

	if (dc->type != DOM_TYPE_PVH) {
		fprintf(stderr,
			"xl: domain type `%s' is not supported by xenkvm: set type = \"pvh\"\n",
			domcfg_type_name(dc->type));
		return -EINVAL;
	}
	if (!dc->kernel) {
		fprintf(stderr, "xl: no kernel: xenkvm boots PVH guests from `kernel'\n");
		return -EINVAL;
	}
	if (stat(dc->kernel, &st) || !S_ISREG(st.st_mode)) {
		fprintf(stderr, "xl: kernel `%s': %s\n", dc->kernel,
			errno ? strerror(errno) : "not a regular file");
		return -EINVAL;
	}
	if (dc->ramdisk && access(dc->ramdisk, R_OK)) {
		fprintf(stderr, "xl: ramdisk `%s': %s\n", dc->ramdisk, strerror(errno));
		return -EINVAL;
	}
	if (dc->max_memkb != dc->target_memkb)
		fprintf(stderr,
			"warning: maxmem (ballooning above memory) is not implemented: the "
			"guest gets memory = %llu MiB\n",
			(unsigned long long)dc->target_memkb / 1024);
	if (dc->max_vcpus != dc->vcpus)
		fprintf(stderr,
			"warning: maxvcpus: vCPU hot-add is not implemented: the guest "
			"gets vcpus = %u\n",
			dc->vcpus);
	if (dc->cpus.set)
		fprintf(stderr, "warning: cpus (pinning) is not applied yet\n");
	return 0;
}

static int add_extra(struct create_opts *o, const char *kv)
{
	size_t n = strlen(kv);
	char *grown = realloc(o->extra, o->extra_len + n + 2);

	if (!grown)
		return -ENOMEM;
	o->extra = grown;
	memcpy(o->extra + o->extra_len, kv, n);
	o->extra_len += n;
	o->extra[o->extra_len++] = '\n';
	o->extra[o->extra_len] = 0;
	return 0;
}

static int parse_args(int argc, char **argv, struct create_opts *o)
{
	static const struct option longopts[] = {
		{ "dryrun", 0, 0, 'n' }, { "quiet", 0, 0, 'q' }, { "defconfig", 1, 0, 'f' },
		{ "xml", 0, 0, 'X' },	 { "help", 0, 0, 'h' },	 { 0, 0, 0, 0 },
	};
	int opt;

	if (argc > 1 && argv[1][0] != '-' && !strchr(argv[1], '=')) {
		o->file = argv[1];
		argc--;
		argv++;
	}
	while ((opt = xl_getopt(argc, argv, "cf:npqFed", longopts, "create", 0)) != -1) {
		switch (opt) {
		case 'c':
			o->console = true;
			break;
		case 'f':
			o->file = optarg;
			break;
		case 'n':
			o->dryrun = true;
			break;
		case 'p':
			o->paused = true;
			break;
		case 'q':
			o->quiet = true;
			break;
		case 'X':
			o->xml = true;
			break;
		default: /* -F, -e, -d: xl's monitor and debug styles; the monitor always runs */
			break;
		}
	}
	for (; optind < argc; optind++) {
		if (strchr(argv[optind], '=')) {
			if (add_extra(o, argv[optind]))
				return EXIT_FAILURE;
		} else if (!o->file) {
			o->file = argv[optind];
		} else {
			xl_help("create");
			return XL_EXIT_USAGE;
		}
	}
	if (!o->file) {
		if (!o->extra_len) {
			fprintf(stderr, "Config file not specified\n");
			return XL_EXIT_INVAL;
		}
		o->file = "/dev/null";
	}
	return 0;
}

int xl_create(int argc, char **argv)
{
	struct create_opts o = { 0 };
	struct dom_config dc;
	struct rundir rd;
	unsigned domid = 0;
	int rc = parse_args(argc, argv, &o);

	if (rc)
		goto out_extra;
	if (!o.quiet)
		fprintf(stderr, "Parsing config from %s\n", o.file);
	rc = load_config(&o, &dc);
	if (rc) {
		rc = rc == -EIO ? XL_EXIT_FAIL : EXIT_FAILURE;
		goto out_extra;
	}
	if (o.dryrun || xl.dryrun) {
		domcfg_print_json(&dc, stdout);
		rc = 0;
		goto out;
	}
	if (dc.bootloader) {
		bool listed;

		rc = xl_bootloader(&dc, o.quiet, &listed) ? EXIT_FAILURE : 0;
		if (rc || listed)
			goto out;
	}
	if (dc.pvshim && xl_pvshim_wrap(&dc)) {
		rc = EXIT_FAILURE;
		goto out;
	}
	rc = check_runnable(&dc) ? EXIT_FAILURE : 0;
	if (rc || !xl_open_rundir(&rd)) {
		rc = rc ? rc : XL_EXIT_FAIL;
		goto out;
	}
	/* -c: started paused, unpaused once the console is attached (no output missed). */
	rc = xl_launch(&rd, &dc, &domid, o.quiet, o.paused || o.console);
	if (!rc && o.console)
		rc = xl_console_attach(&rd, domid, !o.paused);
	rundir_close(&rd);
out:
	domcfg_free(&dc);
out_extra:
	free(o.extra);
	return rc;
}
