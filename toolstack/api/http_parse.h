/* SPDX-License-Identifier: GPL-2.0 */
/*
 * HTTP/1.1 requests as the management API receives them: the request line, the header
 * fields and a Content-Length body (no chunked bodies: the EC2 clients never send
 * them, and the API answers 411/501 rather than guess). Every size is bounded.
 */
#ifndef XENKVM_TOOLSTACK_API_HTTP_PARSE_H
#define XENKVM_TOOLSTACK_API_HTTP_PARSE_H

#include <stdbool.h>
#include <stddef.h>

#define HTTP_MAX_HEADERS 64

struct http_limits {
	size_t max_head; /* request line and header fields together, CRLFs included */
	size_t max_headers; /* header fields, at most HTTP_MAX_HEADERS */
	size_t max_body; /* Content-Length */
};

/* The API's defaults: 16 KiB of head, 64 fields, 1 MiB of body. */
extern const struct http_limits http_default_limits;

struct http_header {
	const char *name; /* as sent (compare case-insensitively) */
	const char *value; /* leading and trailing white space removed */
};

struct http_request {
	char method[16];
	const char *path; /* the target up to '?' */
	const char *query; /* after '?', "" when there is none */
	int minor; /* HTTP/1.<minor> */
	struct http_header headers[HTTP_MAX_HEADERS];
	size_t nheaders;
	const char *body; /* body_len bytes, NUL-terminated */
	size_t body_len;
	bool keep_alive;
	char *storage; /* one allocation holding every string above */
};

/* What went wrong, as the status the server answers with. */
enum http_parse_error {
	HTTP_BAD_REQUEST = 400,
	HTTP_LENGTH_REQUIRED = 411,
	HTTP_PAYLOAD_TOO_LARGE = 413,
	HTTP_HEADERS_TOO_LARGE = 431,
	HTTP_NOT_IMPLEMENTED = 501,
	HTTP_VERSION_NOT_SUPPORTED = 505,
};

/*
 * Parses one request at the start of buf[0..len). Returns the bytes it used (> 0) and
 * fills req (free it with http_request_free), 0 when buf holds only the beginning of a
 * valid request, or a negative enum http_parse_error when the request is refused (the
 * connection then answers with that status and closes). -ENOMEM on allocation failure.
 */
long http_parse_request(const char *buf, size_t len, const struct http_limits *lim,
			struct http_request *req);
void http_request_free(struct http_request *req);

/* The first header field of that name (case-insensitive), or NULL. */
const char *http_header(const struct http_request *req, const char *name);

#endif
