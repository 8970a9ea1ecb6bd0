// SPDX-License-Identifier: GPL-2.0
/*
 * Control socket: framing, parsing and replies (control_sock.h). Everything runs on the
 * event-loop thread, never on a vCPU thread, and never blocks: reads and writes are
 * non-blocking, and a reply that does not fit in the socket buffer at once drops the
 * client (a reader that stalls is not waited for).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "vmm/control_sock.h"
#include "vmm/log.h"

struct control_client {
	struct control_sock *cs;
	int fd;
	char buf[CONTROL_MAX_LINE + 1];
	size_t len;
	bool discarding; /* after an overlong line: skip to the next newline */
	struct control_client *next;
};

static const char *skip_ws(const char *p)
{
	while (*p == ' ' || *p == '\t' || *p == '\r')
		p++;
	return p;
}

/* A JSON string without \u escapes (refused); p at the opening quote. */
static const char *parse_string(const char *p, char *out, size_t size)
{
	size_t o = 0;

	for (p++; *p && *p != '"'; p++) {
		char c = *p;

		if ((unsigned char)c < 0x20)
			return NULL;
		if (c == '\\') {
			p++;
			switch (*p) {
			case '"':
			case '\\':
			case '/':
				c = *p;
				break;
			case 'n':
				c = '\n';
				break;
			case 't':
				c = '\t';
				break;
			default:
				return NULL;
			}
		}
		if (o + 1 >= size)
			return NULL;
		out[o++] = c;
	}
	if (*p != '"')
		return NULL;
	out[o] = 0;
	return p + 1;
}

/* An integer or true/false: copied as written. */
static const char *parse_scalar(const char *p, char *out, size_t size)
{
	size_t n = 0;

	if (!strncmp(p, "true", 4) || !strncmp(p, "false", 5))
		n = p[0] == 't' ? 4 : 5;
	else {
		n = *p == '-' ? 1 : 0;
		if (p[n] < '0' || p[n] > '9')
			return NULL;
		while (p[n] >= '0' && p[n] <= '9')
			n++;
	}
	if (n >= size || n > 19)
		return NULL;
	memcpy(out, p, n);
	out[n] = 0;
	return p + n;
}

int control_parse(const char *line, struct control_request *req, char *err, size_t errsz,
		  char *field, size_t fieldsz)
{
	const char *p = skip_ws(line);

	req->n = 0;
	field[0] = 0;
	if (*p != '{') {
		snprintf(err, errsz, "a request is one JSON object on one line");
		return -EINVAL;
	}
	p = skip_ws(p + 1);
	while (*p != '}') {
		struct control_field *f;

		if (req->n == CONTROL_MAX_FIELDS) {
			snprintf(err, errsz, "more than %d fields", CONTROL_MAX_FIELDS);
			return -EINVAL;
		}
		f = &req->f[req->n];
		if (*p != '"' || !(p = parse_string(p, f->key, sizeof(f->key)))) {
			snprintf(err, errsz,
				 "expected a field name (a string of at most %zu bytes)",
				 sizeof(f->key) - 1);
			return -EINVAL;
		}
		for (int i = 0; i < req->n; i++)
			if (!strcmp(req->f[i].key, f->key)) {
				snprintf(field, fieldsz, "%s", f->key);
				snprintf(err, errsz, "field given twice");
				return -EINVAL;
			}
		p = skip_ws(p);
		if (*p != ':') {
			snprintf(field, fieldsz, "%s", f->key);
			snprintf(err, errsz, "expected ':' after the field name");
			return -EINVAL;
		}
		p = skip_ws(p + 1);
		f->is_string = *p == '"';
		p = f->is_string ? parse_string(p, f->val, sizeof(f->val)) :
				   parse_scalar(p, f->val, sizeof(f->val));
		if (!p) {
			snprintf(field, fieldsz, "%s", f->key);
			snprintf(err, errsz, "bad value (a string, an integer, true or false)");
			return -EINVAL;
		}
		req->n++;
		p = skip_ws(p);
		if (*p == ',')
			p = skip_ws(p + 1);
		else if (*p != '}') {
			snprintf(err, errsz, "expected ',' or '}'");
			return -EINVAL;
		}
	}
	if (*skip_ws(p + 1)) {
		snprintf(err, errsz, "text after the object");
		return -EINVAL;
	}
	return 0;
}

const char *control_get(const struct control_request *req, const char *key)
{
	for (int i = 0; i < req->n; i++)
		if (!strcmp(req->f[i].key, key))
			return req->f[i].val;
	return NULL;
}

static void put(struct control_reply *rep, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
static void put(struct control_reply *rep, const char *fmt, ...)
{
	va_list ap;
	int n;

	if (rep->len >= sizeof(rep->buf))
		return;
	va_start(ap, fmt);
	n = vsnprintf(rep->buf + rep->len, sizeof(rep->buf) - rep->len, fmt, ap);
	va_end(ap);
	rep->len = n < 0 ? rep->len : rep->len + (size_t)n;
	if (rep->len >= sizeof(rep->buf))
		rep->len = sizeof(rep->buf) - 1;
}

static void put_json_string(struct control_reply *rep, const char *s)
{
	put(rep, "\"");
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			put(rep, "\\%c", *s);
		else if ((unsigned char)*s < 0x20)
			put(rep, "\\u%04x", (unsigned char)*s);
		else
			put(rep, "%c", *s);
	}
	put(rep, "\"");
}

void control_reply_ok(struct control_reply *rep)
{
	rep->len = 0;
	rep->error = false;
	put(rep, "{\"v\":%d,\"ok\":true", CONTROL_PROTO_VERSION);
}

void control_reply_error(struct control_reply *rep, const char *field, const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	rep->len = 0;
	rep->error = true;
	put(rep, "{\"v\":%d,\"ok\":false,\"error\":", CONTROL_PROTO_VERSION);
	put_json_string(rep, msg);
	if (field && *field) {
		put(rep, ",\"field\":");
		put_json_string(rep, field);
	}
}

void control_reply_str(struct control_reply *rep, const char *key, const char *val)
{
	put(rep, ",\"%s\":", key);
	put_json_string(rep, val);
}

void control_reply_num(struct control_reply *rep, const char *key, long long val)
{
	put(rep, ",\"%s\":%lld", key, val);
}

void control_reply_bool(struct control_reply *rep, const char *key, bool val)
{
	put(rep, ",\"%s\":%s", key, val ? "true" : "false");
}

static void handle_line(struct control_client *c, const char *line, struct control_reply *rep)
{
	struct control_request req;
	char err[160], field[40];
	const char *v;

	if (control_parse(line, &req, err, sizeof(err), field, sizeof(field))) {
		control_reply_error(rep, field, "%s", err);
		return;
	}
	v = control_get(&req, "v");
	if (!v) {
		control_reply_error(rep, "v", "missing protocol version (\"v\": %d)",
				    CONTROL_PROTO_VERSION);
		return;
	}
	if (strcmp(v, "1")) {
		control_reply_error(rep, "v",
				    "unsupported protocol version %s (this VMM speaks %d)", v,
				    CONTROL_PROTO_VERSION);
		return;
	}
	c->cs->fn(&req, rep, c->cs->opaque);
}

static void drop(struct control_client *c)
{
	struct control_sock *cs = c->cs;

	for (struct control_client **pp = &cs->clients; *pp; pp = &(*pp)->next)
		if (*pp == c) {
			*pp = c->next;
			break;
		}
	cs->nclients--;
	close(c->fd);
	free(c);
}

/* Sends one reply line at once or reports that the client must go. */
static bool send_reply(struct control_client *c, struct control_reply *rep)
{
	ssize_t n;

	rep->buf[rep->len] = 0;
	put(rep, "}\n");
	n = send(c->fd, rep->buf, rep->len, MSG_DONTWAIT | MSG_NOSIGNAL);
	return n == (ssize_t)rep->len;
}

/* Complete lines in the buffer: answered in order. false: drop the client. */
static bool process(struct control_client *c)
{
	char *nl;

	while ((nl = memchr(c->buf, '\n', c->len))) {
		struct control_reply rep = { .len = 0 };
		size_t used = (size_t)(nl - c->buf) + 1;

		*nl = 0;
		if (c->discarding)
			c->discarding = false;
		else {
			handle_line(c, c->buf, &rep);
			if (!send_reply(c, &rep))
				return false;
		}
		memmove(c->buf, c->buf + used, c->len - used);
		c->len -= used;
	}
	if (c->len == CONTROL_MAX_LINE) {
		struct control_reply rep = { .len = 0 };

		control_reply_error(&rep, NULL, "request longer than %d bytes", CONTROL_MAX_LINE);
		c->len = 0;
		c->discarding = true;
		return send_reply(c, &rep);
	}
	return true;
}

static bool on_client(int fd, uint32_t events, void *opaque)
{
	struct control_client *c = opaque;
	ssize_t n;

	if (events & (EPOLLERR | EPOLLHUP) && !(events & EPOLLIN)) {
		drop(c);
		return false;
	}
	n = recv(fd, c->buf + c->len, CONTROL_MAX_LINE - c->len, MSG_DONTWAIT);
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n <= 0) {
		drop(c);
		return false;
	}
	c->len += (size_t)n;
	if (c->discarding) {
		char *nl = memchr(c->buf, '\n', c->len);

		if (!nl) {
			c->len = 0;
			return true;
		}
		memmove(c->buf, nl, c->len - (size_t)(nl - c->buf));
		c->len -= (size_t)(nl - c->buf);
	}
	if (!process(c)) {
		drop(c);
		return false;
	}
	return true;
}

static bool on_accept(int fd, uint32_t events, void *opaque)
{
	struct control_sock *cs = opaque;
	int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	struct control_client *c;

	if (cfd < 0)
		return true;
	if (cs->nclients >= CONTROL_MAX_CLIENTS) {
		static const char busy[] =
			"{\"v\":1,\"ok\":false,\"error\":\"too many clients\"}\n";

		if (send(cfd, busy, sizeof(busy) - 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			log_debug("control socket: a refused client went away");
		close(cfd);
		return true;
	}
	c = calloc(1, sizeof(*c));
	if (!c || evloop_add(cs->loop, cfd, EPOLLIN | EPOLLRDHUP, on_client, c)) {
		free(c);
		close(cfd);
		return true;
	}
	c->cs = cs;
	c->fd = cfd;
	c->next = cs->clients;
	cs->clients = c;
	cs->nclients++;
	return true;
}

int control_sock_open(struct control_sock *cs, const char *path, struct evloop *loop, control_fn fn,
		      void *opaque)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int rc;

	memset(cs, 0, sizeof(*cs));
	cs->fd = -1;
	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	snprintf(cs->path, sizeof(cs->path), "%s", path);
	cs->loop = loop;
	cs->fn = fn;
	cs->opaque = opaque;
	cs->fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (cs->fd < 0)
		return -errno;
	unlink(path); /* a socket left by a VMM that was killed */
	old = umask(0177); /* the socket is created 0600: only its owner may control the VMM */
	rc = bind(cs->fd, (struct sockaddr *)&sa, sizeof(sa)) ? -errno : 0;
	umask(old);
	if (!rc && listen(cs->fd, 8))
		rc = -errno;
	if (!rc)
		rc = evloop_add(loop, cs->fd, EPOLLIN, on_accept, cs);
	if (rc) {
		close(cs->fd);
		cs->fd = -1;
		unlink(path);
	}
	return rc;
}

void control_sock_close(struct control_sock *cs)
{
	while (cs->clients)
		drop(cs->clients);
	if (cs->fd >= 0) {
		close(cs->fd);
		unlink(cs->path);
	}
	cs->fd = -1;
}
