// SPDX-License-Identifier: GPL-2.0
/*
 * xenstored: options, daemonising and start-up. Exit status: 0 after SIGTERM/SIGINT,
 * 1 when start-up fails (socket, database, trace file), 2 for a bad command line,
 * 3 when the journal can no longer be written.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/stat.h>
#include <unistd.h>

#include "toolstack/xenstored/loop.h"
#include "toolstack/xenstored/sock.h"

enum { OPT_SOCKET = 256, OPT_DB_DIR, OPT_SOCKET_MODE, OPT_COMPACT };

static const struct option long_opts[] = {
	{ "help", no_argument, NULL, 'h' },
	{ "no-fork", no_argument, NULL, 'N' },
	{ "pid-file", required_argument, NULL, 'F' },
	{ "trace-file", required_argument, NULL, 'T' },
	{ "entry-nb", required_argument, NULL, 'E' },
	{ "entry-size", required_argument, NULL, 'S' },
	{ "watch-nb", required_argument, NULL, 'W' },
	{ "transaction", required_argument, NULL, 't' },
	{ "perm-nb", required_argument, NULL, 'A' },
	{ "path-max", required_argument, NULL, 'M' },
	{ "quota", required_argument, NULL, 'Q' },
	{ "keep-orphans", no_argument, NULL, 'K' },
	{ "no-domain-init", no_argument, NULL, 'D' },
	{ "verbose", no_argument, NULL, 'V' },
	{ "socket", required_argument, NULL, OPT_SOCKET },
	{ "db-dir", required_argument, NULL, OPT_DB_DIR },
	{ "socket-mode", required_argument, NULL, OPT_SOCKET_MODE },
	{ "compact-bytes", required_argument, NULL, OPT_COMPACT },
	{ 0 },
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: xenstored [options]\n"
		"A xenstore daemon for xenkvm (Xen 4.17 wire protocol, no hypervisor needed).\n\n"
		"  -h, --help               this text\n"
		"  -N, --no-fork            stay in the foreground, log to stderr\n"
		"  -F, --pid-file FILE      write the daemon's pid to FILE\n"
		"  -T, --trace-file FILE    log every request, reply and event to FILE\n"
		"      --socket PATH        listen on PATH (default /run/xenstored/socket)\n"
		"      --socket-mode MODE   socket file mode, octal (default 0600)\n"
		"      --db-dir DIR         keep the database durable in DIR (default: memory only)\n"
		"      --compact-bytes N    compact the journal beyond N bytes (default 4194304)\n"
		"  -E, --entry-nb NB        nodes a domain may own (default 1000)\n"
		"  -S, --entry-size SIZE    bytes of one node (default 2048)\n"
		"  -W, --watch-nb NB        watches per domain (default 128)\n"
		"  -t, --transaction NB     open transactions per domain (default 10)\n"
		"  -A, --perm-nb NB         permission entries per node (default 5)\n"
		"  -M, --path-max CHARS     path length below /local/domain/N (default 2048)\n"
		"  -Q, --quota WHAT=NB      nodes, node-size, watches, transactions,\n"
		"                           node-permissions, path-length, transaction-nodes\n"
		"                           (default 1024), outstanding (20), memory (2621440)\n"
		"  -K, --keep-orphans       give a released domain's nodes to dom0, not delete them\n"
		"  -D, --no-domain-init     accepted for Xen compatibility; no effect\n"
		"  -V, --verbose            log more\n"
		"Quotas bind unprivileged domains only. See docs/XENSTORED.md.\n");
}

static int bad(const char *opt, const char *arg, const char *why)
{
	fprintf(stderr, "xenstored: %s '%s': %s\n", opt, arg, why);
	fprintf(stderr, "Try 'xenstored --help'.\n");
	return 2;
}

static int number(const char *arg, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(arg, &end, 0);
	return errno || *end || !arg[0] || arg[0] == '-' || *out < 1 || *out > max ? -1 : 0;
}

static int parse_quota_opt(struct xsd *d, int opt, const char *arg)
{
	static const char *const names[128] = {
		['E'] = "nodes",	['S'] = "node-size",	    ['W'] = "watches",
		['t'] = "transactions", ['A'] = "node-permissions", ['M'] = "path-length",
	};
	char flag[4] = { '-', (char)opt, 0 };
	unsigned long v;

	if (opt == 'Q')
		return quota_parse_assign(&d->q, arg) ? bad("-Q", arg,
							    "expected NAME=NUMBER with a "
							    "known quota name") :
							0;
	if (number(arg, 0x7fffffff, &v) || quota_set(&d->q, names[opt], v))
		return bad(flag, arg, "expected a positive number");
	return 0;
}

static int parse_args(struct xsd *d, int argc, char **argv)
{
	unsigned long v;
	int opt;

	while ((opt = getopt_long(argc, argv, "hNF:T:E:S:W:t:A:M:Q:KDV", long_opts, NULL)) != -1) {
		switch (opt) {
		case 'h':
			usage(stdout);
			exit(0);
		case 'N':
			d->opt.no_fork = true;
			break;
		case 'F':
			d->opt.pid_file = optarg;
			break;
		case 'T':
			d->opt.trace_file = optarg;
			break;
		case 'K':
			d->opt.keep_orphans = true;
			break;
		case 'D':
			break;
		case 'V':
			d->opt.verbose = true;
			break;
		case OPT_SOCKET:
			d->opt.socket_path = optarg;
			break;
		case OPT_DB_DIR:
			d->opt.db_dir = optarg;
			break;
		case OPT_SOCKET_MODE:
			if (number(optarg, 0777, &v))
				return bad("--socket-mode", optarg,
					   "expected an octal mode like 0600");
			d->opt.socket_mode = (int)strtoul(optarg, NULL, 8);
			break;
		case OPT_COMPACT:
			if (number(optarg, 1ul << 40, &v))
				return bad("--compact-bytes", optarg, "expected a positive number");
			d->opt.compact_bytes = v;
			break;
		case '?':
			fprintf(stderr, "Try 'xenstored --help'.\n");
			return 2;
		default:
			if (parse_quota_opt(d, opt, optarg))
				return 2;
		}
	}
	if (optind < argc)
		return bad("argument", argv[optind], "unexpected (xenstored takes options only)");
	return 0;
}

/* Forks; the parent exits once the child reports that it serves (or failed). */
static int daemonize(int *ready_fd)
{
	int p[2];
	pid_t pid;
	char status = 1;

	if (pipe(p))
		return -errno;
	pid = fork();
	if (pid < 0)
		return -errno;
	if (pid > 0) {
		close(p[1]);
		if (read(p[0], &status, 1) != 1)
			status = 1;
		exit(status);
	}
	close(p[0]);
	setsid();
	*ready_fd = p[1];
	return 0;
}

static void report_ready(int fd, char status)
{
	if (fd < 0)
		return;
	if (write(fd, &status, 1) != 1)
		status = 1;
	close(fd);
}

static int write_pid(const char *path)
{
	FILE *f = fopen(path, "we");

	if (!f)
		return -errno;
	fprintf(f, "%ld\n", (long)getpid());
	return fclose(f) ? -errno : 0;
}

static int start(struct xsd *d)
{
	int rc;

	d->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (d->epfd < 0)
		return -errno;
	if (d->opt.trace_file && trace_open(d, d->opt.trace_file)) {
		fprintf(stderr, "xenstored: --trace-file '%s': %s\n", d->opt.trace_file,
			strerror(errno));
		return -EINVAL;
	}
	rc = xsd_open_db(d);
	if (rc) {
		fprintf(stderr, "xenstored: --db-dir '%s': %s\n", d->opt.db_dir, strerror(-rc));
		return rc;
	}
	rc = sock_listen(d);
	if (rc) {
		fprintf(stderr, "xenstored: --socket '%s': %s\n", d->opt.socket_path,
			strerror(-rc));
		return rc;
	}
	if (d->opt.pid_file && (rc = write_pid(d->opt.pid_file))) {
		fprintf(stderr, "xenstored: --pid-file '%s': %s\n", d->opt.pid_file, strerror(-rc));
		return rc;
	}
	return 0;
}

int main(int argc, char **argv)
{
	static struct xsd d;
	int ready_fd = -1, rc;

	if (xsd_init(&d)) {
		fprintf(stderr, "xenstored: out of memory\n");
		return 1;
	}
	d.opt.socket_path = "/run/xenstored/socket";
	rc = parse_args(&d, argc, argv);
	if (rc)
		return rc;
	if (!strcmp(d.opt.socket_path, "/run/xenstored/socket"))
		mkdir("/run/xenstored", 0755);
	if (!d.opt.no_fork && daemonize(&ready_fd)) {
		fprintf(stderr, "xenstored: fork: %s\n", strerror(errno));
		return 1;
	}
	rc = start(&d);
	report_ready(ready_fd, rc ? 1 : 0);
	if (rc)
		return 1;
	if (!d.opt.no_fork) {
		/* Detached: keep no terminal descriptors. */
		if (!freopen("/dev/null", "r", stdin) || !freopen("/dev/null", "w", stdout) ||
		    !freopen("/dev/null", "w", stderr))
			return 1;
	}
	rc = xsd_run(&d);
	xsd_fini(&d);
	if (d.opt.pid_file)
		unlink(d.opt.pid_file);
	return rc ? 1 : 0;
}
