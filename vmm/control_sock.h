/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMM's control socket: a Unix stream socket (mode 0600) served on the event loop.
 * Each request is one JSON object on one line, each reply one JSON object on one line.
 * Requests are flat objects of strings, integers and booleans; this file frames them,
 * parses them and writes replies; what a command does is the caller's (xenkvm/control.c).
 * A client cannot hurt the VMM: sockets are non-blocking, a line is at most
 * CONTROL_MAX_LINE bytes, at most CONTROL_MAX_CLIENTS are served at once, and a client
 * that does not read its replies is dropped rather than waited for.
 */
#ifndef XENKVM_VMM_CONTROL_SOCK_H
#define XENKVM_VMM_CONTROL_SOCK_H

#include <stdbool.h>
#include <stddef.h>

#include "vmm/evloop.h"

#define CONTROL_PROTO_VERSION 1
#define CONTROL_MAX_LINE 1024
#define CONTROL_MAX_CLIENTS 16
#define CONTROL_MAX_FIELDS 8

struct control_field {
	char key[32];
	char val[256]; /* strings unescaped; numbers and booleans as written */
	bool is_string;
};

struct control_request {
	struct control_field f[CONTROL_MAX_FIELDS];
	int n;
};

/* A reply is built into buf: control_reply_ok/error, then any control_reply_* fields. */
struct control_reply {
	char buf[CONTROL_MAX_LINE * 2];
	size_t len;
	bool error;
};

/* Handles one well-formed request (field "v" already checked); fills the reply. */
typedef void (*control_fn)(const struct control_request *req, struct control_reply *rep,
			   void *opaque);

struct control_client;
struct control_sock {
	int fd;
	char path[108];
	struct evloop *loop;
	control_fn fn;
	void *opaque;
	struct control_client *clients;
	int nclients;
};

int control_sock_open(struct control_sock *cs, const char *path, struct evloop *loop, control_fn fn,
		      void *opaque);
/* After the event loop stopped: closes every connection and removes the socket file. */
void control_sock_close(struct control_sock *cs);

/* Parses one request line (exposed for tests): 0, or -EINVAL with err naming the field. */
int control_parse(const char *line, struct control_request *req, char *err, size_t errsz,
		  char *field, size_t fieldsz);
const char *control_get(const struct control_request *req, const char *key);

void control_reply_error(struct control_reply *rep, const char *field, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void control_reply_ok(struct control_reply *rep);
void control_reply_str(struct control_reply *rep, const char *key, const char *val);
void control_reply_num(struct control_reply *rep, const char *key, long long val);
void control_reply_bool(struct control_reply *rep, const char *key, bool val);

#endif
