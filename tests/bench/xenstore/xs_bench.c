// SPDX-License-Identifier: GPL-2.0
/*
 * xenstored benchmark through libxenstore: throughput and latency (p50, p99) of read,
 * write, directory, transaction commit and watch-event delivery with 1 and 16
 * concurrent clients, memory per 100k nodes, and as the floor a plain Unix-socket
 * request/reply round trip (same framing, a single-threaded epoll echo server) measured
 * in the same run. Every figure is also printed as a ratio to the floor.
 *
 * usage: xs_bench DAEMON_PID   (XENSTORED_PATH names the daemon's socket)
 */
#include <errno.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>
#include <xen/io/xs_wire.h>

enum op { OP_FLOOR, OP_READ, OP_RAWREAD, OP_WRITE, OP_DIR, OP_TXN, OP_WATCH };
static const char *const op_names[] = {
	"floor (socket echo)", "read",	      "read (raw socket)", "write", "directory",
	"transaction commit",  "watch event",
};

static char echo_path[108];

struct job {
	enum op op;
	int tid, n;
	double *lat; /* microseconds */
	pthread_barrier_t *bar;
};

static double now_us(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e6 + ts.tv_nsec / 1e3;
}

/* The floor server: reads framed messages and answers each with a 6-byte reply. */
static void echo_server(int lfd)
{
	int ep = epoll_create1(0);
	struct epoll_event ev = { .events = EPOLLIN, .data.fd = lfd }, evs[64];

	epoll_ctl(ep, EPOLL_CTL_ADD, lfd, &ev);
	for (;;) {
		int n = epoll_wait(ep, evs, 64, -1);

		for (int i = 0; i < n; i++) {
			int fd = evs[i].data.fd;
			char buf[4096 + 16];
			ssize_t got;

			if (fd == lfd) {
				int c = accept(lfd, NULL, NULL);

				ev = (struct epoll_event){ .events = EPOLLIN, .data.fd = c };
				epoll_ctl(ep, EPOLL_CTL_ADD, c, &ev);
				continue;
			}
			got = read(fd, buf, sizeof(buf));
			if (got <= 0) {
				close(fd);
				continue;
			}
			/* One request per read in this ping-pong load: answer it. */
			struct xsd_sockmsg h;

			memcpy(&h, buf, sizeof(h));
			h.len = 6;
			memcpy(buf, &h, sizeof(h));
			memcpy(buf + sizeof(h), "value", 6);
			if (write(fd, buf, sizeof(h) + 6) < 0)
				close(fd);
		}
	}
}

static int echo_connect(const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM, 0);

	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", path);
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)))
		return -1;
	return fd;
}

static bool read_full(int fd, void *p, size_t n)
{
	while (n) {
		ssize_t r = read(fd, p, n);

		if (r <= 0)
			return false;
		p = (char *)p + r, n -= (size_t)r;
	}
	return true;
}

static bool floor_rt(int fd, const char *path)
{
	char buf[256];
	struct xsd_sockmsg h = { .type = XS_READ, .len = (uint32_t)strlen(path) + 1 };

	memcpy(buf, &h, sizeof(h));
	memcpy(buf + sizeof(h), path, h.len);
	if (write(fd, buf, sizeof(h) + h.len) < 0 || !read_full(fd, &h, sizeof(h)))
		return false;
	return read_full(fd, buf, h.len);
}

static bool wait_event(struct xs_handle *h, const char *path)
{
	for (;;) {
		struct pollfd p = { .fd = xs_fileno(h), .events = POLLIN };
		char **ev = xs_check_watch(h);
		bool mine;

		if (!ev) {
			if (poll(&p, 1, 5000) <= 0)
				return false;
			continue;
		}
		mine = !strcmp(ev[XS_WATCH_PATH], path);
		free(ev);
		if (mine)
			return true;
	}
}

static bool one_op(struct job *j, struct xs_handle *h, int fd, const char *path)
{
	static __thread unsigned int seq;
	char val[16];
	int vlen = snprintf(val, sizeof(val), "v%u", seq++); /* every write is a change */
	unsigned int len;
	xs_transaction_t t;
	void *r;

	switch (j->op) {
	case OP_FLOOR:
	case OP_RAWREAD: /* the floor's client, against xenstored: the daemon's own cost */
		return floor_rt(fd, path);
	case OP_READ:
		r = xs_read(h, XBT_NULL, path, &len);
		free(r);
		return r != NULL;
	case OP_WRITE:
		return xs_write(h, XBT_NULL, path, val, (unsigned int)vlen);
	case OP_DIR:
		r = xs_directory(h, XBT_NULL, "/bench/dir", &len);
		free(r);
		return r != NULL;
	case OP_TXN:
		do {
			t = xs_transaction_start(h);
			xs_write(h, t, path, val, (unsigned int)vlen);
		} while (!xs_transaction_end(h, t, false) && errno == EAGAIN);
		return true;
	default:
		return xs_write(h, XBT_NULL, path, val, (unsigned int)vlen) && wait_event(h, path);
	}
}

static void *worker(void *arg)
{
	struct job *j = arg;
	bool raw = j->op == OP_FLOOR || j->op == OP_RAWREAD;
	struct xs_handle *h = raw ? NULL : xs_open(0);
	int fd = -1;

	if (j->op == OP_FLOOR)
		fd = echo_connect(echo_path);
	else if (j->op == OP_RAWREAD)
		fd = echo_connect(getenv("XENSTORED_PATH"));
	char path[64];

	snprintf(path, sizeof(path), "/bench/%d/k", j->tid);
	if (j->op == OP_WATCH) {
		xs_watch(h, path, "tok");
		wait_event(h, path); /* the initial event */
	}
	for (int i = 0; i < 20; i++)
		one_op(j, h, fd, path); /* warm-up */
	pthread_barrier_wait(j->bar);
	for (int i = 0; i < j->n; i++) {
		double t0 = now_us();

		if (!one_op(j, h, fd, path)) {
			fprintf(stderr, "xs_bench: %s failed\n", op_names[j->op]);
			exit(1);
		}
		j->lat[i] = now_us() - t0;
	}
	if (h)
		xs_close(h);
	if (fd >= 0)
		close(fd);
	return NULL;
}

static int cmp_d(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

struct result {
	double ops_s, p50, p99;
};

static struct result measure(enum op op, int threads, int total)
{
	pthread_t th[16];
	struct job jobs[16];
	pthread_barrier_t bar;
	int per = total / threads;
	double *lat = calloc((size_t)per * threads, sizeof(double)), t0;
	struct result r;

	pthread_barrier_init(&bar, NULL, (unsigned)threads + 1);
	for (int i = 0; i < threads; i++) {
		jobs[i] = (struct job){
			.op = op, .tid = i, .n = per, .lat = lat + i * per, .bar = &bar
		};
		pthread_create(&th[i], NULL, worker, &jobs[i]);
	}
	pthread_barrier_wait(&bar);
	t0 = now_us();
	for (int i = 0; i < threads; i++)
		pthread_join(th[i], NULL);
	r.ops_s = per * threads / ((now_us() - t0) / 1e6);
	qsort(lat, (size_t)per * threads, sizeof(double), cmp_d);
	r.p50 = lat[per * threads / 2];
	r.p99 = lat[per * threads * 99 / 100];
	free(lat);
	pthread_barrier_destroy(&bar);
	return r;
}

static long rss_kib(const char *pid)
{
	char path[64], line[256];
	long kib = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%s/status", pid);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (sscanf(line, "VmRSS: %ld", &kib) == 1)
			break;
	if (f)
		fclose(f);
	return kib;
}

static void memory_per_100k(const char *pid)
{
	struct xs_handle *h = xs_open(0);
	long before = rss_kib(pid), after;
	char path[64];

	for (int b = 0; b < 100; b++) {
		xs_transaction_t t = xs_transaction_start(h);

		for (int i = 0; i < 1000; i++) {
			snprintf(path, sizeof(path), "/bench/mem/%03d/%03d", b, i);
			xs_write(h, t, path, "value", 5);
		}
		if (!xs_transaction_end(h, t, false))
			b--; /* retry the batch */
	}
	after = rss_kib(pid);
	printf("\nmemory: daemon RSS %ld KiB -> %ld KiB after 100000 nodes "
	       "(%.1f MiB per 100k nodes, %.0f bytes per node)\n",
	       before, after, (after - before) / 1024.0, (after - before) * 1024.0 / 100000);
	xs_rm(h, XBT_NULL, "/bench/mem");
	xs_close(h);
}

static void setup_store(void)
{
	struct xs_handle *h = xs_open(0);
	char path[64];

	if (!h) {
		fprintf(stderr, "xs_bench: cannot connect to xenstored\n");
		exit(1);
	}
	for (int i = 0; i < 16; i++) {
		snprintf(path, sizeof(path), "/bench/%d/k", i);
		xs_write(h, XBT_NULL, path, "value", 5);
	}
	for (int i = 0; i < 10; i++) {
		snprintf(path, sizeof(path), "/bench/dir/child%d", i);
		xs_write(h, XBT_NULL, path, "", 0);
	}
	xs_close(h);
}

int main(int argc, char **argv)
{
	static const struct {
		enum op op;
		int n1, n16;
	} plan[] = { { OP_READ, 20000, 32000 }, { OP_RAWREAD, 20000, 32000 },
		     { OP_WRITE, 2000, 8000 },	{ OP_DIR, 10000, 32000 },
		     { OP_TXN, 1000, 4000 },	{ OP_WATCH, 1000, 4000 } };
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct result fl[2];
	pid_t echo;
	int lfd;

	if (argc != 2) {
		fprintf(stderr, "usage: XENSTORED_PATH=SOCK xs_bench DAEMON_PID\n");
		return 2;
	}
	snprintf(echo_path, sizeof(echo_path), "/tmp/xs-bench-echo.%d", getpid());
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", echo_path);
	lfd = socket(AF_UNIX, SOCK_STREAM, 0);
	unlink(echo_path);
	if (bind(lfd, (struct sockaddr *)&sa, sizeof(sa)) || listen(lfd, 64))
		return 1;
	echo = fork();
	if (echo == 0)
		echo_server(lfd);
	setup_store();
	fl[0] = measure(OP_FLOOR, 1, 20000);
	fl[1] = measure(OP_FLOOR, 16, 32000);
	printf("%-20s %7s %10s %9s %9s   %s\n", "operation", "clients", "ops/s", "p50 us", "p99 us",
	       "ratio to floor: ops/s, p50");
	for (int c = 0; c < 2; c++)
		printf("%-20s %7d %10.0f %9.1f %9.1f   1.00, 1.00\n", op_names[OP_FLOOR],
		       c ? 16 : 1, fl[c].ops_s, fl[c].p50, fl[c].p99);
	for (size_t i = 0; i < sizeof(plan) / sizeof(plan[0]); i++) {
		for (int c = 0; c < 2; c++) {
			struct result r =
				measure(plan[i].op, c ? 16 : 1, c ? plan[i].n16 : plan[i].n1);

			printf("%-20s %7d %10.0f %9.1f %9.1f   %.2f, %.2f\n", op_names[plan[i].op],
			       c ? 16 : 1, r.ops_s, r.p50, r.p99, r.ops_s / fl[c].ops_s,
			       r.p50 / fl[c].p50);
			fflush(stdout);
		}
	}
	memory_per_100k(argv[1]);
	kill(echo, SIGTERM);
	waitpid(echo, NULL, 0);
	unlink(echo_path);
	return 0;
}
