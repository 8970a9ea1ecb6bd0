// SPDX-License-Identifier: GPL-2.0
/*
 * xenkvm-api: the EC2-style management API (docs/API.md). Options, the credentials,
 * the server; SIGTERM and SIGINT end it after the requests in flight.
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "toolstack/api/api.h"
#include "toolstack/api/api_state.h"
#include "toolstack/api/replay.h"
#include "toolstack/api/credentials.h"

#define DEFAULT_CREDENTIALS "/etc/xenkvm/api-credentials"
#define DEFAULT_STATE_DIR "/var/lib/xenkvm-api"

struct options {
	const char *listen;
	const char *credentials;
	const char *region;
	const char *state_dir;
	const char *run_dir;
	const char *types_file;
	unsigned max_conns;
	unsigned long vcpu_capacity, memory_capacity_mib; /* 0: the defaults */
};

static void usage(FILE *f)
{
	fprintf(f,
		"Usage: xenkvm-api [OPTIONS]\n"
		"The EC2-style management API of xenkvm (Query API %s, Signature Version 4).\n\n"
		"  --listen ADDR          IPv4:PORT, [IPv6]:PORT or unix:PATH (default "
		"127.0.0.1:%d;\n"
		"                         port 0 picks a free one, printed when ready)\n"
		"  --credentials FILE     access keys, AWS shared-credentials format, mode 0600\n"
		"                         (default %s)\n"
		"  --region NAME          the region clients sign for (default us-east-1)\n"
		"  --state-dir DIR        image and instance records, instance disks (default\n"
		"                         %s)\n"
		"  --run-dir DIR          xl's run directory (default: xl's, XENKVM_RUN_DIR or\n"
		"                         /run/xenkvm)\n"
		"  --instance-types FILE  instance types to add to or redefine in the catalogue\n"
		"  --max-connections N    connections served at once (default 256)\n"
		"  --vcpu-capacity N      vCPUs the instances on this host may add up to\n"
		"                         (default: CPUs x %d)\n"
		"  --memory-capacity MIB  memory they may add up to (default: the host's)\n"
		"  -h, --help             this text\n\n"
		"See docs/API.md.\n",
		EC2_API_VERSION, HTTP_DEFAULT_PORT, DEFAULT_CREDENTIALS, DEFAULT_STATE_DIR,
		VCPU_OVERCOMMIT);
}

/* A positive count up to max, for the capacity options. */
static int parse_capacity(const char *name, const char *arg, unsigned long max, unsigned long *out)
{
	char *end;

	errno = 0;
	*out = strtoul(arg, &end, 10);
	if (errno || end == arg || *end || *arg == '-' || !*out || *out > max) {
		fprintf(stderr, "xenkvm-api: %s: a whole number from 1 to %lu, not `%s'\n", name,
			max, arg);
		return -1;
	}
	return 0;
}

static int parse_options(int argc, char **argv, struct options *o)
{
	static const struct option longopts[] = {
		{ "listen", 1, 0, 'l' },
		{ "credentials", 1, 0, 'c' },
		{ "region", 1, 0, 'r' },
		{ "max-connections", 1, 0, 'm' },
		{ "state-dir", 1, 0, 's' },
		{ "run-dir", 1, 0, 'R' },
		{ "instance-types", 1, 0, 't' },
		{ "vcpu-capacity", 1, 0, 'V' },
		{ "memory-capacity", 1, 0, 'M' },
		{ "help", 0, 0, 'h' },
		{ 0, 0, 0, 0 },
	};
	static char default_listen[32];
	int opt;

	snprintf(default_listen, sizeof(default_listen), "127.0.0.1:%d", HTTP_DEFAULT_PORT);
	*o = (struct options){ .listen = default_listen,
			       .credentials = DEFAULT_CREDENTIALS,
			       .region = "us-east-1",
			       .state_dir = DEFAULT_STATE_DIR,
			       .max_conns = 256 };
	while ((opt = getopt_long(argc, argv, "h", longopts, NULL)) >= 0) {
		char *end;

		switch (opt) {
		case 'l':
			o->listen = optarg;
			break;
		case 'c':
			o->credentials = optarg;
			break;
		case 'r':
			o->region = optarg;
			break;
		case 's':
			o->state_dir = optarg;
			break;
		case 'R':
			o->run_dir = optarg;
			break;
		case 't':
			o->types_file = optarg;
			break;
		case 'm':
			o->max_conns = strtoul(optarg, &end, 10);
			if (*end || !o->max_conns || o->max_conns > 65536) {
				fprintf(stderr, "xenkvm-api: --max-connections: 1 to 65536\n");
				return 2;
			}
			break;
		case 'V':
		case 'M':
			if (parse_capacity(opt == 'V' ? "--vcpu-capacity" : "--memory-capacity",
					   optarg, opt == 'V' ? 1u << 20 : 1ul << 40,
					   opt == 'V' ? &o->vcpu_capacity :
							&o->memory_capacity_mib))
				return 2;
			break;
		case 'h':
			usage(stdout);
			exit(0);
		default:
			usage(stderr);
			return 2;
		}
	}
	if (optind < argc) {
		fprintf(stderr, "xenkvm-api: unexpected argument `%s'\n", argv[optind]);
		return 2;
	}
	return 0;
}

static time_t wall_clock(void)
{
	return time(NULL);
}

struct signal_waiter {
	sigset_t set;
	struct http_server *srv;
};

static void *wait_signal(void *arg)
{
	struct signal_waiter *w = arg;
	int sig;

	sigwait(&w->set, &sig);
	fprintf(stderr, "xenkvm-api: signal %d, stopping\n", sig);
	http_server_stop(w->srv);
	return NULL;
}

static int serve(const struct options *o, struct api *api)
{
	struct http_server_config cfg;
	struct signal_waiter w = { .srv = NULL };
	struct http_server srv;
	pthread_t tid;
	int rc;

	http_server_config_defaults(&cfg);
	cfg.listen = o->listen;
	cfg.max_conns = o->max_conns;
	cfg.handler = api_handle;
	cfg.ctx = api;
	rc = http_server_open(&srv, &cfg);
	if (rc) {
		fprintf(stderr, "xenkvm-api: cannot listen on %s: %s\n", o->listen, strerror(-rc));
		return 1;
	}
	w.srv = &srv;
	sigemptyset(&w.set);
	sigaddset(&w.set, SIGTERM);
	sigaddset(&w.set, SIGINT);
	pthread_sigmask(SIG_BLOCK, &w.set, NULL);
	pthread_create(&tid, NULL, wait_signal, &w);
	pthread_detach(tid);
	if (http_server_port(&srv))
		fprintf(stderr, "xenkvm-api: listening on %.*s:%d\n",
			(int)(strrchr(o->listen, ':') - o->listen), o->listen,
			http_server_port(&srv));
	else
		fprintf(stderr, "xenkvm-api: listening on %s\n", o->listen);
	rc = http_server_run(&srv);
	http_server_close(&srv);
	if (rc)
		fprintf(stderr, "xenkvm-api: %s\n", strerror(-rc));
	return rc ? 1 : 0;
}

static int open_state(const struct options *o, struct api_state *st, char *argv0)
{
	char err[512];
	int rc = api_state_open(st, o->state_dir, err, sizeof(err));

	if (!rc && o->types_file)
		rc = instance_types_load(&st->types, o->types_file, err, sizeof(err));
	if (!rc)
		rc = lifecycle_init(&st->lc, argv0, o->run_dir);
	if (!rc && o->vcpu_capacity)
		st->vcpu_capacity = (unsigned)o->vcpu_capacity;
	if (!rc && o->memory_capacity_mib)
		st->memory_capacity_mib = o->memory_capacity_mib;
	if (rc)
		fprintf(stderr, "xenkvm-api: %s\n", err);
	else
		fprintf(stderr,
			"xenkvm-api: %zu images, %zu instances, %zu instance types; host "
			"%u CPUs, %lu MiB; capacity %u vCPUs, %lu MiB\n",
			st->nimages, st->ninstances, st->types.n, st->host_cpus,
			st->host_memory_mib, st->vcpu_capacity, st->memory_capacity_mib);
	return rc;
}

int main(int argc, char **argv)
{
	struct api_state state;
	struct replay_cache replay;
	struct credentials creds;
	struct options o;
	struct api api = { .now = wall_clock, .log = stderr };
	char err[512];
	int rc;

	rc = parse_options(argc, argv, &o);
	if (rc)
		return rc;
	signal(SIGPIPE, SIG_IGN);
	setvbuf(stderr, NULL, _IOLBF, 0);
	rc = credentials_load(o.credentials, &creds, err, sizeof(err));
	if (rc) {
		fprintf(stderr, "xenkvm-api: credentials: %s\n", err);
		return 1;
	}
	api.sig = (struct sigv4_config){ o.region, "ec2", credentials_secret, &creds };
	if (open_state(&o, &state, argv[0])) {
		credentials_free(&creds);
		return 1;
	}
	api.state = &state;
	if (replay_init(&replay)) {
		fprintf(stderr, "xenkvm-api: out of memory\n");
		return 1;
	}
	api.replay = &replay;
	rc = serve(&o, &api);
	replay_free(&replay);
	api_state_close(&state);
	credentials_free(&creds);
	return rc;
}
