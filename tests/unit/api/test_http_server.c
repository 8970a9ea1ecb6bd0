// SPDX-License-Identifier: GPL-2.0
/*
 * The server over real sockets: keep-alive, the status a refused request gets, the
 * connection limit, and that a client who stalls mid-request holds only its own
 * connection (another client is served meanwhile; the stalled one gets 408).
 */
#include <errno.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "toolstack/api/http_server.h"

static void echo_handler(void *ctx, const struct http_request *req, struct http_response *resp)
{
	resp->status = 200;
	resp->body = malloc(256);
	resp->body_len = snprintf(resp->body, 256, "%s %s ?%s body=%zu", req->method, req->path,
				  req->query, req->body_len);
}

struct running {
	struct http_server srv;
	pthread_t thread;
};

static void *run_thread(void *arg)
{
	http_server_run(arg);
	return NULL;
}

static int start(struct running *r, const char *listen, unsigned max_conns, unsigned request_ms)
{
	struct http_server_config cfg;
	int rc;

	http_server_config_defaults(&cfg);
	cfg.listen = listen;
	cfg.handler = echo_handler;
	cfg.max_conns = max_conns;
	cfg.request_timeout_ms = request_ms;
	rc = http_server_open(&r->srv, &cfg);
	if (rc)
		return rc;
	pthread_create(&r->thread, NULL, run_thread, &r->srv);
	return 0;
}

static void stop(struct running *r)
{
	http_server_stop(&r->srv);
	pthread_join(r->thread, NULL);
	http_server_close(&r->srv);
}

static int connect_tcp(int port)
{
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons(port) };
	struct timeval tv = { .tv_sec = 20 }; /* a bound on a hung test, not a measurement */
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa))) {
		close(fd);
		return -1;
	}
	return fd;
}

static void send_str(int fd, const char *s)
{
	CU_ASSERT_EQUAL(send(fd, s, strlen(s), MSG_NOSIGNAL), (ssize_t)strlen(s));
}

/* Reads one response (head and Content-Length body) into buf; returns its status. */
static int read_response(int fd, char *buf, size_t size)
{
	size_t len = 0;
	char *end = NULL;
	long clen;

	while (len + 1 < size) {
		ssize_t n = recv(fd, buf + len, size - 1 - len, 0);

		if (n <= 0)
			return -1;
		len += n;
		buf[len] = 0;
		end = strstr(buf, "\r\n\r\n");
		if (!end)
			continue;
		clen = strtol(strstr(buf, "Content-Length: ") + 16, NULL, 10);
		if (len >= (size_t)(end + 4 - buf) + clen)
			break;
	}
	return end ? atoi(buf + 9) : -1;
}

static void test_keep_alive(void)
{
	struct running r;
	char buf[1024];
	int fd;

	CU_ASSERT_EQUAL_FATAL(start(&r, "127.0.0.1:0", 8, 10000), 0);
	fd = connect_tcp(http_server_port(&r.srv));
	CU_ASSERT_FATAL(fd >= 0);
	send_str(fd, "POST /a?x=1 HTTP/1.1\r\nHost: h\r\nContent-Length: 3\r\n\r\nabc");
	CU_ASSERT_EQUAL(read_response(fd, buf, sizeof(buf)), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Connection: keep-alive"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "POST /a ?x=1 body=3"));
	send_str(fd, "GET /b HTTP/1.1\r\nHost: h\r\nConnection: close\r\n\r\n");
	CU_ASSERT_EQUAL(read_response(fd, buf, sizeof(buf)), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "GET /b ? body=0"));
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "Connection: close"));
	CU_ASSERT_EQUAL(recv(fd, buf, sizeof(buf), 0), 0); /* closed after the reply */
	close(fd);
	stop(&r);
}

static void test_refusals(void)
{
	struct running r;
	char buf[1024], big[20000];
	int fd;

	CU_ASSERT_EQUAL_FATAL(start(&r, "127.0.0.1:0", 8, 10000), 0);
	fd = connect_tcp(http_server_port(&r.srv));
	send_str(fd, "GET / HTTP/1.1\r\nHost : h\r\n\r\n");
	CU_ASSERT_EQUAL(read_response(fd, buf, sizeof(buf)), 400);
	CU_ASSERT_EQUAL(recv(fd, buf, sizeof(buf), 0), 0);
	close(fd);
	fd = connect_tcp(http_server_port(&r.srv));
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	send_str(fd, big);
	CU_ASSERT_EQUAL(read_response(fd, buf, sizeof(buf)), 431);
	close(fd);
	stop(&r);
}

static void test_stalled_client(void)
{
	struct running r;
	char buf[1024];
	int slow, fast;

	CU_ASSERT_EQUAL_FATAL(start(&r, "127.0.0.1:0", 8, 1500), 0);
	slow = connect_tcp(http_server_port(&r.srv));
	send_str(slow, "POST / HTTP/1.1\r\nHost: h\r\nContent-Le");
	fast = connect_tcp(http_server_port(&r.srv));
	send_str(fast, "GET /fast HTTP/1.1\r\nHost: h\r\n\r\n");
	CU_ASSERT_EQUAL(read_response(fast, buf, sizeof(buf)), 200);
	/* Served while the slow one still holds its half request; it then gets 408. */
	CU_ASSERT_EQUAL(read_response(slow, buf, sizeof(buf)), 408);
	close(slow);
	close(fast);
	stop(&r);
}

static void test_connection_limit(void)
{
	struct running r;
	char buf[1024];
	int a, b, c;

	CU_ASSERT_EQUAL_FATAL(start(&r, "127.0.0.1:0", 2, 10000), 0);
	a = connect_tcp(http_server_port(&r.srv));
	b = connect_tcp(http_server_port(&r.srv));
	/* Both are being served once each has had a reply. */
	send_str(a, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
	send_str(b, "GET / HTTP/1.1\r\nHost: h\r\n\r\n");
	CU_ASSERT_EQUAL(read_response(a, buf, sizeof(buf)), 200);
	CU_ASSERT_EQUAL(read_response(b, buf, sizeof(buf)), 200);
	c = connect_tcp(http_server_port(&r.srv));
	CU_ASSERT_EQUAL(read_response(c, buf, sizeof(buf)), 503);
	close(a);
	close(b);
	close(c);
	stop(&r);
}

static void test_unix_socket(void)
{
	char path[] = "/tmp/api-unit-XXXXXX", sock[64], buf[1024];
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	struct running r;
	struct stat st;
	int fd;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(path));
	snprintf(sock, sizeof(sock), "unix:%s/api.sock", path);
	CU_ASSERT_EQUAL_FATAL(start(&r, sock, 8, 10000), 0);
	CU_ASSERT_EQUAL(http_server_port(&r.srv), 0);
	CU_ASSERT_EQUAL(stat(sock + 5, &st), 0);
	CU_ASSERT_EQUAL(st.st_mode & 0777, 0600);
	snprintf(sa.sun_path, sizeof(sa.sun_path), "%s", sock + 5);
	fd = socket(AF_UNIX, SOCK_STREAM, 0);
	CU_ASSERT_EQUAL_FATAL(connect(fd, (struct sockaddr *)&sa, sizeof(sa)), 0);
	send_str(fd, "GET /u HTTP/1.0\r\n\r\n");
	CU_ASSERT_EQUAL(read_response(fd, buf, sizeof(buf)), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(buf, "GET /u"));
	close(fd);
	stop(&r);
	CU_ASSERT_EQUAL(stat(sock + 5, &st), -1); /* removed on close */
	rmdir(path);
}

static void test_bad_listen(void)
{
	struct http_server srv;
	struct http_server_config cfg;

	http_server_config_defaults(&cfg);
	cfg.handler = echo_handler;
	cfg.listen = "localhost";
	CU_ASSERT_EQUAL(http_server_open(&srv, &cfg), -EINVAL);
	cfg.listen = "127.0.0.1:99999";
	CU_ASSERT_EQUAL(http_server_open(&srv, &cfg), -EINVAL);
	cfg.listen = "300.0.0.1:80";
	CU_ASSERT_EQUAL(http_server_open(&srv, &cfg), -EINVAL);
}

UNIT_SUITE(http_server, NULL, NULL, UNIT_TEST(test_keep_alive), UNIT_TEST(test_refusals),
	   UNIT_TEST(test_stalled_client), UNIT_TEST(test_connection_limit),
	   UNIT_TEST(test_unix_socket), UNIT_TEST(test_bad_listen));
