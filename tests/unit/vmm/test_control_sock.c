// SPDX-License-Identifier: GPL-2.0
/*
 * The control socket (vmm/control_sock.c) with a real event loop and real client
 * sockets: one JSON object per line in and out, errors naming the bad field, version
 * checks, and hostile clients (garbage bytes, an overlong line, a client that stalls
 * mid-line, one that floods requests and never reads, too many clients) that must not
 * stop the socket from answering others.
 */
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "vmm/control_sock.h"

static struct evloop loop = { .epfd = -1, .stop_fd = -1 };
static struct control_sock cs;
static char path[64];

/* The command handler: "ping" answers pong, anything else names the cmd field. */
static void handler(const struct control_request *req, struct control_reply *rep, void *op)
{
	const char *cmd = control_get(req, "cmd");

	if (cmd && !strcmp(cmd, "ping")) {
		control_reply_ok(rep);
		control_reply_str(rep, "pong", "yes");
	} else {
		control_reply_error(rep, "cmd", "unknown command");
	}
}

static int setup(void)
{
	snprintf(path, sizeof(path), "/tmp/ctl-test.%d.sock", (int)getpid());
	if (evloop_init(&loop) || control_sock_open(&cs, path, &loop, handler, NULL))
		return -1;
	return evloop_start(&loop);
}

static int teardown(void)
{
	evloop_stop(&loop);
	control_sock_close(&cs);
	evloop_destroy(&loop);
	return 0;
}

static int client(void)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);

	strcpy(sa.sun_path, path);
	if (fd >= 0 && connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

/* One reply line (bounded wait: the test fails rather than hangs). */
static int read_line(int fd, char *buf, size_t size)
{
	size_t n = 0;

	while (n + 1 < size) {
		struct pollfd p = { .fd = fd, .events = POLLIN };
		ssize_t r;

		if (poll(&p, 1, 5000) <= 0)
			return -1;
		r = read(fd, buf + n, 1);
		if (r <= 0)
			return -1;
		if (buf[n] == '\n') {
			buf[n] = 0;
			return (int)n;
		}
		n++;
	}
	return -1;
}

static void ask(int fd, const char *req, char *reply, size_t size)
{
	reply[0] = 0;
	CU_ASSERT_EQUAL(write(fd, req, strlen(req)), (ssize_t)strlen(req));
	CU_ASSERT(read_line(fd, reply, size) >= 0);
}

static void test_mode_and_request(void)
{
	struct stat st;
	char r[512];
	int fd;

	CU_ASSERT_EQUAL_FATAL(stat(path, &st), 0);
	CU_ASSERT_TRUE(S_ISSOCK(st.st_mode));
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
	fd = client();
	CU_ASSERT_FATAL(fd >= 0);
	ask(fd, "{\"v\": 1, \"cmd\": \"ping\"}\n", r, sizeof(r));
	CU_ASSERT_STRING_EQUAL(r, "{\"v\":1,\"ok\":true,\"pong\":\"yes\"}");
	/* Two requests in one write are answered in order. */
	CU_ASSERT_EQUAL(write(fd, "{\"v\":1,\"cmd\":\"x\"}\n{\"v\":1,\"cmd\":\"ping\"}\n", 39), 39);
	CU_ASSERT(read_line(fd, r, sizeof(r)) >= 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r, "\"field\":\"cmd\""));
	CU_ASSERT(read_line(fd, r, sizeof(r)) >= 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r, "\"pong\""));
	close(fd);
}

static void expect_error(int fd, const char *req, const char *field, const char *needle)
{
	char r[512], want[64];

	ask(fd, req, r, sizeof(r));
	CU_ASSERT_EQUAL(strncmp(r, "{\"v\":1,\"ok\":false,\"error\":", 26), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r, needle));
	if (field) {
		snprintf(want, sizeof(want), "\"field\":\"%s\"", field);
		CU_ASSERT_PTR_NOT_NULL(strstr(r, want));
	}
	if (!strstr(r, needle) || (field && !strstr(r, want)))
		fprintf(stderr, "  %s -> %s\n", req, r);
}

static void test_errors_name_the_field(void)
{
	int fd = client();

	CU_ASSERT_FATAL(fd >= 0);
	expect_error(fd, "{\"cmd\":\"ping\"}\n", "v", "missing protocol version");
	expect_error(fd, "{\"v\":2,\"cmd\":\"ping\"}\n", "v", "unsupported protocol version 2");
	expect_error(fd, "{\"v\":1,\"cmd\":\"ping\",\"cmd\":\"x\"}\n", "cmd", "given twice");
	expect_error(fd, "{\"v\":1,\"cmd\":pong}\n", "cmd", "bad value");
	expect_error(fd, "{\"v\":1 \"cmd\":\"ping\"}\n", NULL, "expected ','");
	expect_error(fd, "[1,2]\n", NULL, "one JSON object");
	expect_error(fd, "{\"v\":1}{}\n", NULL, "text after the object");
	expect_error(fd, "{\"v\":1,\"cmd\":\"\\u0041\"}\n", "cmd", "bad value");
	/* The connection still works after all that. */
	expect_error(fd, "{\"v\":1,\"cmd\":\"nope\"}\n", "cmd", "unknown command");
	close(fd);
}

static void test_garbage_and_overlong(void)
{
	char junk[3000], r[512];
	int fd = client();

	CU_ASSERT_FATAL(fd >= 0);
	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (char)(i * 7 + 1) == '\n' ? 'x' : (char)(i * 7 + 1);
	/* 3000 bytes without a newline: one "longer than" error, the rest skipped. */
	CU_ASSERT_EQUAL(write(fd, junk, sizeof(junk)), (ssize_t)sizeof(junk));
	CU_ASSERT_EQUAL(write(fd, "\n", 1), 1);
	CU_ASSERT(read_line(fd, r, sizeof(r)) >= 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r, "longer than 1024 bytes"));
	ask(fd, "{\"v\":1,\"cmd\":\"ping\"}\n", r, sizeof(r));
	CU_ASSERT_PTR_NOT_NULL(strstr(r, "\"pong\""));
	/* Binary garbage on one line: an error, not a crash. */
	ask(fd, "\x01\xff\x7f{\"\n", r, sizeof(r));
	CU_ASSERT_PTR_NOT_NULL(strstr(r, "\"ok\":false"));
	close(fd);
}

static void test_stalling_clients(void)
{
	char r[512], req[] = "{\"v\":1,\"cmd\":\"ping\"}\n";
	int stall = client(), flood = client(), good = client();
	size_t sent = 0;

	CU_ASSERT_FATAL(stall >= 0 && flood >= 0 && good >= 0);
	/* Half a request, then silence. */
	CU_ASSERT_EQUAL(write(stall, "{\"v\":1,\"cm", 10), 10);
	/* Requests that are never read: the replies pile up until the VMM drops it. */
	fcntl(flood, F_SETFL, O_NONBLOCK);
	while (sent < (8u << 20)) {
		ssize_t n = send(flood, req, sizeof(req) - 1, MSG_NOSIGNAL);

		if (n <= 0)
			break;
		sent += (size_t)n;
	}
	ask(good, req, r, sizeof(r));
	CU_ASSERT_PTR_NOT_NULL(strstr(r, "\"pong\""));
	close(stall);
	close(flood);
	close(good);
}

static void test_too_many_clients(void)
{
	int fds[CONTROL_MAX_CLIENTS + 1];
	char r[512];

	/* The earlier tests' clients are dropped as the loop sees them close. */
	for (int i = 0; i < 5000 && __atomic_load_n(&cs.nclients, __ATOMIC_ACQUIRE); i++)
		usleep(1000);
	CU_ASSERT_EQUAL_FATAL(__atomic_load_n(&cs.nclients, __ATOMIC_ACQUIRE), 0);
	for (int i = 0; i <= CONTROL_MAX_CLIENTS; i++)
		fds[i] = client();
	CU_ASSERT(read_line(fds[CONTROL_MAX_CLIENTS], r, sizeof(r)) >= 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(r, "too many clients"));
	ask(fds[0], "{\"v\":1,\"cmd\":\"ping\"}\n", r, sizeof(r));
	CU_ASSERT_PTR_NOT_NULL(strstr(r, "\"pong\""));
	for (int i = 0; i <= CONTROL_MAX_CLIENTS; i++)
		close(fds[i]);
}

UNIT_SUITE(control_sock, setup, teardown, UNIT_TEST(test_mode_and_request),
	   UNIT_TEST(test_errors_name_the_field), UNIT_TEST(test_garbage_and_overlong),
	   UNIT_TEST(test_stalling_clients), UNIT_TEST(test_too_many_clients))
