// SPDX-License-Identifier: GPL-2.0
/*
 * The request pipeline. Authentication comes before anything else reads the request,
 * so an unsigned or forged request learns nothing about actions or instances; every
 * failure becomes EC2's error document with the status EC2 gives that code.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <string.h>
#include <strings.h>

#include "toolstack/api/api.h"
#include "toolstack/api/replay.h"

int api_fail(struct api_call *c, enum ec2_error e, const char *fmt, ...)
{
	va_list ap;

	c->err = e;
	va_start(ap, fmt);
	vsnprintf(c->message, sizeof(c->message), fmt, ap);
	va_end(ap);
	return -1;
}

static enum ec2_error sigv4_error(enum sigv4_result r)
{
	switch (r) {
	case SIGV4_MISSING:
		return EC2_MISSING_AUTHENTICATION_TOKEN;
	case SIGV4_INCOMPLETE:
		return EC2_INCOMPLETE_SIGNATURE;
	case SIGV4_UNKNOWN_KEY:
		return EC2_AUTH_FAILURE;
	case SIGV4_EXPIRED:
		return EC2_REQUEST_EXPIRED;
	case SIGV4_BAD_SCOPE:
	case SIGV4_MISMATCH:
	default:
		return EC2_SIGNATURE_DOES_NOT_MATCH;
	}
}

/* The key id for the log line, if it is a plain one (it may come from anyone). */
static void note_key(struct api_call *c, const char *key)
{
	for (const char *p = key; *p; p++)
		if (!isalnum((unsigned char)*p))
			return;
	snprintf(c->access_key, sizeof(c->access_key), "%s", key);
}

static int authenticate(struct api_call *c, const struct http_request *req)
{
	struct sigv4_outcome out;
	enum sigv4_result r = sigv4_verify(req, &c->api->sig, c->api->now(), &out);

	note_key(c, out.access_key);
	memcpy(c->signature, out.signature, sizeof(c->signature));
	c->signature_until = out.valid_until;
	return r == SIGV4_OK ? 0 : api_fail(c, sigv4_error(out.result), "%s", out.message);
}

/* The query string, and for a POST the form body, into q. */
static int read_params(struct api_call *c, const struct http_request *req, struct query *q)
{
	const char *ct = http_header(req, "content-type");
	int rc;

	if (strcmp(req->method, "GET") && strcmp(req->method, "POST"))
		return api_fail(c, EC2_INVALID_ACTION,
				"HTTP method %s is not supported: use POST "
				"or GET.",
				req->method);
	rc = query_parse(q, req->query, strlen(req->query));
	if (!rc && !strcmp(req->method, "POST") && req->body_len) {
		if (!ct || strncasecmp(ct, "application/x-www-form-urlencoded", 33))
			return api_fail(c, EC2_MALFORMED_QUERY_STRING,
					"A POST body must be application/x-www-form-urlencoded.");
		rc = query_parse(q, req->body, req->body_len);
	}
	if (rc == -E2BIG)
		return api_fail(c, EC2_MALFORMED_QUERY_STRING,
				"The request has more than %d parameters.", QUERY_MAX_PARAMS);
	if (rc)
		return api_fail(
			c, EC2_MALFORMED_QUERY_STRING,
			"The query string is malformed (a bad %%-escape or an empty name).");
	return 0;
}

static int run_action(struct api_call *c, const struct query *q)
{
	const struct api_action *a;
	const char *version = query_get(q, "Version");

	c->q = q;
	c->action = query_get(q, "Action");
	if (!c->action || !*c->action)
		return api_fail(c, EC2_MISSING_ACTION,
				"The request must contain the parameter Action.");
	a = api_action_lookup(c->action);
	if (!a) {
		c->action = NULL;
		return api_fail(c, EC2_INVALID_ACTION,
				"The action %.100s is not valid for this web "
				"service.",
				query_get(q, "Action"));
	}
	if (version && strcmp(version, EC2_API_VERSION) && strlen(version) != 10)
		return api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				"Version %.40s is not an API version "
				"(YYYY-MM-DD; this API speaks %s).",
				version, EC2_API_VERSION);
	if (!a->reads_only && c->api->replay) {
		int rc = replay_check(c->api->replay, c->signature, c->signature_until,
				      c->api->now());

		if (rc == -EALREADY)
			return api_fail(c, EC2_AUTH_FAILURE,
					"This request was already received: a "
					"replayed signature is refused. Sign a new request.");
		if (rc)
			return api_fail(c, EC2_UNAVAILABLE,
					"Too many recent requests to guard "
					"against replay; try again later.");
	}
	if (ec2_doc_new(&c->doc, a->name, c->request_id))
		return api_fail(c, EC2_INTERNAL_ERROR, "Out of memory.");
	return a->fn(c);
}

static void reply(struct api_call *c, int rc, struct http_response *resp)
{
	resp->content_type = "text/xml;charset=UTF-8";
	if (!rc && !ec2_doc_finish(&c->doc, &resp->body, &resp->body_len)) {
		resp->status = 200;
		return;
	}
	ec2_doc_free(&c->doc);
	if (!rc)
		api_fail(c, EC2_INTERNAL_ERROR, "Out of memory.");
	resp->status = ec2_error_status(c->err);
	if (ec2_error_xml(c->err, c->message, c->request_id, &resp->body, &resp->body_len)) {
		resp->status = 500;
		resp->body = NULL;
		resp->body_len = 0;
		resp->close = true;
	}
}

void api_handle(void *ctx, const struct http_request *req, struct http_response *resp)
{
	struct api_call c = { .api = ctx };
	struct query q = { 0 };
	int rc;

	ec2_request_id(c.request_id);
	rc = authenticate(&c, req);
	if (!rc)
		rc = read_params(&c, req, &q);
	if (!rc)
		rc = run_action(&c, &q);
	reply(&c, rc, resp);
	if (c.api->log)
		fprintf(c.api->log, "xenkvm-api: %s %s key=%s status=%d%s%s\n", c.request_id,
			c.action ? c.action : "-", c.access_key[0] ? c.access_key : "-",
			resp->status, rc ? " " : "", rc ? ec2_error_code(c.err) : "");
	query_free(&q);
}
