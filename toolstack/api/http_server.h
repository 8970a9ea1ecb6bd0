/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The API's HTTP/1.1 server: a TCP socket (127.0.0.1 by default) or a Unix socket, one
 * thread per connection with a bounded number of connections, keep-alive, and deadlines
 * so that a slow or silent client only ever holds its own connection.
 */
#ifndef XENKVM_TOOLSTACK_API_HTTP_SERVER_H
#define XENKVM_TOOLSTACK_API_HTTP_SERVER_H

#include <pthread.h>
#include <stdbool.h>

#include "toolstack/api/http_parse.h"

/* The default TCP port: 8773, the port Eucalyptus and OpenStack gave their EC2 APIs. */
#define HTTP_DEFAULT_PORT 8773

struct http_response {
	int status;
	const char *content_type; /* NULL: text/plain */
	char *body; /* malloc'd, freed by the server */
	size_t body_len;
	bool close; /* close the connection after this reply */
};

/* Fills resp for req; runs on the connection's thread, concurrently with others. */
typedef void (*http_handler)(void *ctx, const struct http_request *req, struct http_response *resp);

struct http_server_config {
	/* "HOST:PORT" (an IPv4 address or [IPv6]; port 0 picks one) or "unix:PATH". */
	const char *listen;
	unsigned max_conns; /* connections served at once; more get 503 and are closed */
	unsigned idle_timeout_ms; /* between requests on a kept-alive connection */
	unsigned request_timeout_ms; /* from a request's first byte to its last */
	struct http_limits limits;
	http_handler handler;
	void *ctx;
};

/* max_conns 256, idle 30 s, request 10 s, http_default_limits; listen and handler unset. */
void http_server_config_defaults(struct http_server_config *cfg);

struct http_server {
	struct http_server_config cfg;
	int listen_fd;
	int stop_pipe[2];
	pthread_mutex_t lock;
	pthread_cond_t idle;
	unsigned active;
	volatile bool stopping;
	char unix_path[108];
};

/* Binds and listens (a stale Unix socket is replaced; the new one is mode 0600). */
int http_server_open(struct http_server *srv, const struct http_server_config *cfg);
/* The TCP port bound (after port 0), or 0 for a Unix socket. */
int http_server_port(const struct http_server *srv);
/* Accepts until http_server_stop(); returns 0 or -errno. */
int http_server_run(struct http_server *srv);
/* Wakes http_server_run (safe from a signal handler). */
void http_server_stop(struct http_server *srv);
/* After run returned: waits for the connections to end, closes everything. */
void http_server_close(struct http_server *srv);

/* The reason phrase of a status. */
const char *http_reason(int status);

#endif
