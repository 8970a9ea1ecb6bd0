// SPDX-License-Identifier: GPL-2.0
/*
 * The HTTP/1.1 request parser (RFC 9112): strict where laxness lets a request mean two
 * things to two parsers (white space before a colon, obs-fold, duplicate or malformed
 * Content-Length, Transfer-Encoding are refused), bounded everywhere else.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "toolstack/api/http_parse.h"

const struct http_limits http_default_limits = {
	.max_head = 16384,
	.max_headers = HTTP_MAX_HEADERS,
	.max_body = 1 << 20,
};

/* RFC 9110 tchar: the characters of a method or a field name. */
static bool is_tchar(unsigned char c)
{
	return isalnum(c) || (c && strchr("!#$%&'*+-.^_`|~", c));
}

/* The end of the head (just past CRLF CRLF) within len, or 0. */
static size_t head_end(const char *buf, size_t len)
{
	for (size_t i = 3; i < len; i++)
		if (buf[i] == '\n' && buf[i - 1] == '\r' && buf[i - 2] == '\n' &&
		    buf[i - 3] == '\r')
			return i + 1;
	return 0;
}

static int parse_request_line(char *line, struct http_request *req)
{
	char *sp1 = strchr(line, ' '), *sp2, *q;
	size_t mlen;

	if (!sp1)
		return -HTTP_BAD_REQUEST;
	mlen = sp1 - line;
	if (!mlen || mlen >= sizeof(req->method))
		return -HTTP_NOT_IMPLEMENTED;
	for (size_t i = 0; i < mlen; i++)
		if (!is_tchar(line[i]))
			return -HTTP_BAD_REQUEST;
	memcpy(req->method, line, mlen);
	req->method[mlen] = 0;
	sp2 = strchr(sp1 + 1, ' ');
	if (!sp2 || sp2 == sp1 + 1 || sp1[1] != '/')
		return -HTTP_BAD_REQUEST;
	*sp2 = 0;
	for (char *p = sp1 + 1; *p; p++)
		if ((unsigned char)*p <= 0x20 || (unsigned char)*p >= 0x7f)
			return -HTTP_BAD_REQUEST;
	if (strncmp(sp2 + 1, "HTTP/1.", 7))
		return -HTTP_VERSION_NOT_SUPPORTED;
	if (!isdigit((unsigned char)sp2[8]) || sp2[9])
		return -HTTP_BAD_REQUEST;
	req->minor = sp2[8] - '0';
	q = strchr(sp1 + 1, '?');
	req->query = q ? q + 1 : "";
	if (q)
		*q = 0;
	req->path = sp1 + 1;
	return 0;
}

static char *trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = 0;
	return s;
}

static int parse_field(char *line, struct http_request *req, const struct http_limits *lim)
{
	char *colon = strchr(line, ':');

	if (!colon || colon == line)
		return -HTTP_BAD_REQUEST;
	for (char *p = line; p < colon; p++)
		if (!is_tchar(*p))
			return -HTTP_BAD_REQUEST;
	for (char *p = colon + 1; *p; p++)
		if ((unsigned char)*p < 0x20 && *p != '\t')
			return -HTTP_BAD_REQUEST;
	if (req->nheaders >= lim->max_headers || req->nheaders >= HTTP_MAX_HEADERS)
		return -HTTP_HEADERS_TOO_LARGE;
	*colon = 0;
	req->headers[req->nheaders].name = line;
	req->headers[req->nheaders].value = trim(colon + 1);
	req->nheaders++;
	return 0;
}

/* The body length the fields announce; at most one Content-Length, digits only. */
static long body_length(const struct http_request *req, const struct http_limits *lim)
{
	const char *cl = NULL;
	unsigned long long n = 0;

	for (size_t i = 0; i < req->nheaders; i++) {
		if (!strcasecmp(req->headers[i].name, "transfer-encoding"))
			return -HTTP_NOT_IMPLEMENTED;
		if (strcasecmp(req->headers[i].name, "content-length"))
			continue;
		if (cl)
			return -HTTP_BAD_REQUEST;
		cl = req->headers[i].value;
	}
	if (!cl)
		return 0;
	if (!*cl)
		return -HTTP_BAD_REQUEST;
	for (const char *p = cl; *p; p++) {
		if (!isdigit((unsigned char)*p))
			return -HTTP_BAD_REQUEST;
		n = n * 10 + (*p - '0');
		if (n > lim->max_body)
			return -HTTP_PAYLOAD_TOO_LARGE;
	}
	return (long)n;
}

static bool wants_keep_alive(const struct http_request *req)
{
	const char *c = http_header(req, "connection");

	if (c && !strcasecmp(c, "close"))
		return false;
	if (req->minor == 0)
		return c && !strcasecmp(c, "keep-alive");
	return true;
}

static int parse_head(struct http_request *req, const struct http_limits *lim)
{
	char *line = req->storage, *eol;
	int rc;

	eol = strstr(line, "\r\n");
	*eol = 0;
	rc = parse_request_line(line, req);
	if (rc)
		return rc;
	for (line = eol + 2; (eol = strstr(line, "\r\n")) && eol != line; line = eol + 2) {
		*eol = 0;
		if (*line == ' ' || *line == '\t')
			return -HTTP_BAD_REQUEST; /* obs-fold */
		rc = parse_field(line, req, lim);
		if (rc)
			return rc;
	}
	if (!http_header(req, "host") && req->minor >= 1)
		return -HTTP_BAD_REQUEST;
	return 0;
}

long http_parse_request(const char *buf, size_t len, const struct http_limits *lim,
			struct http_request *req)
{
	size_t head, scan, skip = 0;
	long body;
	int rc;

	memset(req, 0, sizeof(*req));
	/* Empty lines before a request are ignored (RFC 9112 2.2), a few of them. */
	while (skip < 8 && len - skip >= 2 && buf[skip] == '\r' && buf[skip + 1] == '\n')
		skip += 2;
	buf += skip;
	len -= skip;
	scan = len < lim->max_head ? len : lim->max_head;
	head = head_end(buf, scan);
	if (!head)
		return len >= lim->max_head ? -HTTP_HEADERS_TOO_LARGE : 0;
	if (memchr(buf, 0, head))
		return -HTTP_BAD_REQUEST;
	req->storage = malloc(head + 1);
	if (!req->storage)
		return -ENOMEM;
	memcpy(req->storage, buf, head);
	req->storage[head] = 0;
	rc = parse_head(req, lim);
	if (rc)
		goto fail;
	body = body_length(req, lim);
	if (body < 0) {
		rc = (int)body;
		goto fail;
	}
	if (len - head < (size_t)body) {
		http_request_free(req);
		return 0;
	}
	{
		char *b = malloc(body + 1);

		if (!b) {
			rc = -ENOMEM;
			goto fail;
		}
		memcpy(b, buf + head, body);
		b[body] = 0;
		req->body = b;
		req->body_len = body;
	}
	req->keep_alive = wants_keep_alive(req);
	return (long)(skip + head + body);
fail:
	http_request_free(req);
	return rc;
}

void http_request_free(struct http_request *req)
{
	free(req->storage);
	free((char *)req->body);
	memset(req, 0, sizeof(*req));
}

const char *http_header(const struct http_request *req, const char *name)
{
	for (size_t i = 0; i < req->nheaders; i++)
		if (!strcasecmp(req->headers[i].name, name))
			return req->headers[i].value;
	return NULL;
}
