// SPDX-License-Identifier: GPL-2.0
/*
 * Connections: each has its own thread and buffer and waits with poll() against its own
 * deadlines (idle between requests, total time for one request), so a client that
 * trickles bytes or stops reading is dropped without delaying anyone else. Past
 * max_conns, a new connection gets 503 at once.
 */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "toolstack/api/http_server.h"

struct conn {
	struct http_server *srv;
	int fd;
	char *buf;
	size_t len, cap;
};

void http_server_config_defaults(struct http_server_config *cfg)
{
	memset(cfg, 0, sizeof(*cfg));
	cfg->max_conns = 256;
	cfg->idle_timeout_ms = 30000;
	cfg->request_timeout_ms = 10000;
	cfg->limits = http_default_limits;
}

const char *http_reason(int status)
{
	switch (status) {
	case 200:
		return "OK";
	case 400:
		return "Bad Request";
	case 401:
		return "Unauthorized";
	case 403:
		return "Forbidden";
	case 404:
		return "Not Found";
	case 405:
		return "Method Not Allowed";
	case 408:
		return "Request Timeout";
	case 411:
		return "Length Required";
	case 413:
		return "Content Too Large";
	case 431:
		return "Request Header Fields Too Large";
	case 500:
		return "Internal Server Error";
	case 501:
		return "Not Implemented";
	case 503:
		return "Service Unavailable";
	case 505:
		return "HTTP Version Not Supported";
	}
	return status < 500 ? "Client Error" : "Server Error";
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* Writes all of buf; the socket's send timeout bounds a client that does not read. */
static int write_all(int fd, const char *buf, size_t len)
{
	while (len) {
		ssize_t n = send(fd, buf, len, MSG_NOSIGNAL);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -EIO;
		buf += n;
		len -= n;
	}
	return 0;
}

static int send_response(int fd, const struct http_response *resp, bool keep_alive)
{
	char head[512];
	int n;

	n = snprintf(head, sizeof(head),
		     "HTTP/1.1 %d %s\r\nServer: xenkvm-api\r\nContent-Type: %s\r\n"
		     "Content-Length: %zu\r\nConnection: %s\r\n\r\n",
		     resp->status, http_reason(resp->status),
		     resp->content_type ? resp->content_type : "text/plain", resp->body_len,
		     keep_alive ? "keep-alive" : "close");
	if (write_all(fd, head, n))
		return -EIO;
	return resp->body_len ? write_all(fd, resp->body, resp->body_len) : 0;
}

static void send_status(int fd, int status)
{
	char body[64];
	struct http_response resp = { .status = status, .body = body };

	resp.body_len = snprintf(body, sizeof(body), "%d %s\n", status, http_reason(status));
	send_response(fd, &resp, false);
}

/* Waits until fd is readable or the deadline passes (or the server stops). */
static int wait_readable(struct conn *c, long long deadline)
{
	for (;;) {
		long long left = deadline - now_ms();
		struct pollfd pfd = { .fd = c->fd, .events = POLLIN };
		int rc;

		if (c->srv->stopping)
			return -ESHUTDOWN;
		if (left <= 0)
			return -ETIMEDOUT;
		rc = poll(&pfd, 1, left < 200 ? (int)left : 200);
		if (rc > 0)
			return 0;
		if (rc < 0 && errno != EINTR)
			return -errno;
	}
}

static int read_more(struct conn *c)
{
	size_t want = c->srv->cfg.limits.max_head + c->srv->cfg.limits.max_body + 1;
	ssize_t n;

	if (c->len == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 4096;
		char *nb;

		if (cap > want)
			cap = want;
		if (cap <= c->len)
			return -EMSGSIZE;
		nb = realloc(c->buf, cap);
		if (!nb)
			return -ENOMEM;
		c->buf = nb;
		c->cap = cap;
	}
	n = recv(c->fd, c->buf + c->len, c->cap - c->len, 0);
	if (n < 0)
		return errno == EINTR || errno == EAGAIN ? 0 : -errno;
	if (n == 0)
		return -ECONNRESET;
	c->len += n;
	return 0;
}

/* Serves one request; returns whether the connection stays open. */
static bool serve_one(struct conn *c, struct http_request *req, long used)
{
	struct http_response resp = { .status = 500 };
	bool keep;

	c->srv->cfg.handler(c->srv->cfg.ctx, req, &resp);
	keep = req->keep_alive && !resp.close;
	if (send_response(c->fd, &resp, keep))
		keep = false;
	free(resp.body);
	http_request_free(req);
	memmove(c->buf, c->buf + used, c->len - used);
	c->len -= used;
	return keep;
}

static void serve_conn(struct conn *c)
{
	const struct http_server_config *cfg = &c->srv->cfg;

	for (;;) {
		long long deadline =
			now_ms() + (c->len ? cfg->request_timeout_ms : cfg->idle_timeout_ms);
		struct http_request req;
		long used;

		while ((used = http_parse_request(c->buf, c->len, &cfg->limits, &req)) == 0) {
			int rc = wait_readable(c, deadline);

			if (!rc)
				rc = read_more(c);
			if (rc == -ETIMEDOUT && c->len)
				send_status(c->fd, 408);
			if (rc)
				return;
			/* The first byte of a request starts its own, shorter clock. */
			if (deadline - now_ms() > cfg->request_timeout_ms)
				deadline = now_ms() + cfg->request_timeout_ms;
		}
		if (used < 0) {
			send_status(c->fd, used == -ENOMEM ? 500 : (int)-used);
			return;
		}
		if (!serve_one(c, &req, used))
			return;
	}
}

static void *conn_thread(void *arg)
{
	struct conn *c = arg;
	struct http_server *srv = c->srv;

	serve_conn(c);
	close(c->fd);
	free(c->buf);
	free(c);
	pthread_mutex_lock(&srv->lock);
	if (--srv->active == 0)
		pthread_cond_broadcast(&srv->idle);
	pthread_mutex_unlock(&srv->lock);
	return NULL;
}

static int listen_unix(struct http_server *srv, const char *path)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	int fd;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	unlink(path);
	if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) || chmod(path, 0600)) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	snprintf(srv->unix_path, sizeof(srv->unix_path), "%s", path);
	return fd;
}

static int listen_tcp(const char *spec)
{
	struct sockaddr_storage ss = { 0 };
	char host[64];
	const char *colon = strrchr(spec, ':');
	unsigned long port;
	socklen_t slen;
	char *end;
	int fd, one = 1;

	if (!colon || (size_t)(colon - spec) >= sizeof(host))
		return -EINVAL;
	memcpy(host, spec, colon - spec);
	host[colon - spec] = 0;
	port = strtoul(colon + 1, &end, 10);
	if (!colon[1] || *end || port > 65535)
		return -EINVAL;
	if (host[0] == '[' && host[strlen(host) - 1] == ']') {
		struct sockaddr_in6 *s6 = (struct sockaddr_in6 *)&ss;

		host[strlen(host) - 1] = 0;
		s6->sin6_family = AF_INET6;
		s6->sin6_port = htons(port);
		if (inet_pton(AF_INET6, host + 1, &s6->sin6_addr) != 1)
			return -EINVAL;
		slen = sizeof(*s6);
	} else {
		struct sockaddr_in *s4 = (struct sockaddr_in *)&ss;

		s4->sin_family = AF_INET;
		s4->sin_port = htons(port);
		if (inet_pton(AF_INET, host, &s4->sin_addr) != 1)
			return -EINVAL;
		slen = sizeof(*s4);
	}
	fd = socket(ss.ss_family, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -errno;
	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
	if (bind(fd, (struct sockaddr *)&ss, slen)) {
		int rc = -errno;

		close(fd);
		return rc;
	}
	return fd;
}

int http_server_open(struct http_server *srv, const struct http_server_config *cfg)
{
	int fd, rc;

	memset(srv, 0, sizeof(*srv));
	srv->cfg = *cfg;
	srv->listen_fd = -1;
	srv->stop_pipe[0] = srv->stop_pipe[1] = -1;
	if (!strncmp(cfg->listen, "unix:", 5))
		fd = listen_unix(srv, cfg->listen + 5);
	else
		fd = listen_tcp(cfg->listen);
	if (fd < 0)
		return fd;
	if (listen(fd, 128) || pipe2(srv->stop_pipe, O_CLOEXEC | O_NONBLOCK)) {
		rc = -errno;
		close(fd);
		return rc;
	}
	srv->listen_fd = fd;
	pthread_mutex_init(&srv->lock, NULL);
	pthread_cond_init(&srv->idle, NULL);
	return 0;
}

int http_server_port(const struct http_server *srv)
{
	struct sockaddr_storage ss;
	socklen_t len = sizeof(ss);

	if (srv->unix_path[0] || getsockname(srv->listen_fd, (struct sockaddr *)&ss, &len))
		return 0;
	if (ss.ss_family == AF_INET6)
		return ntohs(((struct sockaddr_in6 *)&ss)->sin6_port);
	return ntohs(((struct sockaddr_in *)&ss)->sin_port);
}

static void start_conn(struct http_server *srv, int fd)
{
	struct timeval send_to = { .tv_sec = 10 };
	pthread_attr_t attr;
	pthread_t tid;
	struct conn *c;
	bool full;

	setsockopt(fd, SOL_SOCKET, SO_SNDTIMEO, &send_to, sizeof(send_to));
	pthread_mutex_lock(&srv->lock);
	full = srv->active >= srv->cfg.max_conns;
	if (!full)
		srv->active++;
	pthread_mutex_unlock(&srv->lock);
	c = full ? NULL : calloc(1, sizeof(*c));
	if (!c)
		goto refuse;
	c->srv = srv;
	c->fd = fd;
	pthread_attr_init(&attr);
	pthread_attr_setdetachstate(&attr, PTHREAD_CREATE_DETACHED);
	pthread_attr_setstacksize(&attr, 256 << 10);
	if (!pthread_create(&tid, &attr, conn_thread, c)) {
		pthread_attr_destroy(&attr);
		return;
	}
	pthread_attr_destroy(&attr);
	free(c);
refuse:
	if (!full) {
		pthread_mutex_lock(&srv->lock);
		srv->active--;
		pthread_mutex_unlock(&srv->lock);
	}
	send_status(fd, 503);
	close(fd);
}

int http_server_run(struct http_server *srv)
{
	while (!srv->stopping) {
		struct pollfd pfd[2] = {
			{ .fd = srv->listen_fd, .events = POLLIN },
			{ .fd = srv->stop_pipe[0], .events = POLLIN },
		};
		int fd;

		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			return -errno;
		}
		if (pfd[1].revents)
			break;
		fd = accept4(srv->listen_fd, NULL, NULL, SOCK_CLOEXEC);
		if (fd < 0) {
			if (errno == EINTR || errno == EAGAIN || errno == ECONNABORTED ||
			    errno == EMFILE || errno == ENFILE)
				continue;
			return -errno;
		}
		start_conn(srv, fd);
	}
	return 0;
}

void http_server_stop(struct http_server *srv)
{
	char b = 1;

	srv->stopping = true;
	if (write(srv->stop_pipe[1], &b, 1) < 0) {
		/* The pipe is full: run() is woken already. */
	}
}

void http_server_close(struct http_server *srv)
{
	srv->stopping = true;
	pthread_mutex_lock(&srv->lock);
	while (srv->active)
		pthread_cond_wait(&srv->idle, &srv->lock);
	pthread_mutex_unlock(&srv->lock);
	close(srv->listen_fd);
	close(srv->stop_pipe[0]);
	close(srv->stop_pipe[1]);
	if (srv->unix_path[0])
		unlink(srv->unix_path);
	pthread_mutex_destroy(&srv->lock);
	pthread_cond_destroy(&srv->idle);
}
