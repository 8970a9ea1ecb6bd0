// SPDX-License-Identifier: GPL-2.0
/*
 * Which signature a request carries, its parts checked one by one (scope, key, the
 * signature itself, then the clock), each failure reported as the result AWS gives it.
 * The time is checked after the signature, so that an old request's answer says
 * "expired" only to whoever holds the key.
 */
#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

#include "toolstack/api/query.h"
#include "toolstack/api/sigv4.h"

struct sigv4_parts {
	char access_key[128];
	char date[9]; /* of the scope */
	char region[64];
	char service[64];
	char signed_headers[1024];
	char signature[65];
	char amz_date[17];
	long expires; /* presigned only; -1 for the header form */
};

static enum sigv4_result fail(struct sigv4_outcome *out, enum sigv4_result r, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static enum sigv4_result fail(struct sigv4_outcome *out, enum sigv4_result r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(out->message, sizeof(out->message), fmt, ap);
	va_end(ap);
	out->result = r;
	return r;
}

static bool copy_field(char *dst, size_t size, const char *src, size_t len)
{
	if (len >= size)
		return false;
	memcpy(dst, src, len);
	dst[len] = 0;
	return true;
}

/* "AKID/YYYYMMDD/REGION/SERVICE/aws4_request" */
static bool parse_credential(const char *c, size_t len, struct sigv4_parts *p)
{
	const char *end = c + len, *s[4];
	size_t n = 0;

	for (const char *q = c; q < end && n < 4; q++)
		if (*q == '/')
			s[n++] = q;
	if (n != 4 || memchr(s[3] + 1, '/', end - s[3] - 1))
		return false;
	return copy_field(p->access_key, sizeof(p->access_key), c, s[0] - c) && s[0] > c &&
	       copy_field(p->date, sizeof(p->date), s[0] + 1, s[1] - s[0] - 1) &&
	       copy_field(p->region, sizeof(p->region), s[1] + 1, s[2] - s[1] - 1) &&
	       copy_field(p->service, sizeof(p->service), s[2] + 1, s[3] - s[2] - 1) &&
	       (size_t)(end - s[3] - 1) == strlen("aws4_request") &&
	       !memcmp(s[3] + 1, "aws4_request", 12);
}

/* "AWS4-HMAC-SHA256 Credential=..., SignedHeaders=..., Signature=..." */
static bool parse_authorization(const char *h, struct sigv4_parts *p)
{
	bool cred = false, sh = false, sig = false;
	const char *q;

	if (strncmp(h, SIGV4_ALGORITHM " ", strlen(SIGV4_ALGORITHM) + 1))
		return false;
	q = h + strlen(SIGV4_ALGORITHM);
	while (*q) {
		const char *end, *eq;
		size_t klen;

		while (*q == ' ' || *q == ',')
			q++;
		if (!*q)
			break;
		end = strchr(q, ',');
		if (!end)
			end = q + strlen(q);
		eq = memchr(q, '=', end - q);
		if (!eq)
			return false;
		klen = eq - q;
		if (klen == 10 && !memcmp(q, "Credential", 10) && !cred)
			cred = parse_credential(eq + 1, end - eq - 1, p);
		else if (klen == 13 && !memcmp(q, "SignedHeaders", 13) && !sh)
			sh = copy_field(p->signed_headers, sizeof(p->signed_headers), eq + 1,
					end - eq - 1);
		else if (klen == 9 && !memcmp(q, "Signature", 9) && !sig)
			sig = copy_field(p->signature, sizeof(p->signature), eq + 1, end - eq - 1);
		else
			return false;
		q = end;
	}
	return cred && sh && sig;
}

static bool parse_presigned(const struct query *q, struct sigv4_parts *p)
{
	const char *alg = query_get(q, "X-Amz-Algorithm"), *cred = query_get(q, "X-Amz-Credential"),
		   *date = query_get(q, "X-Amz-Date"), *exp = query_get(q, "X-Amz-Expires"),
		   *sh = query_get(q, "X-Amz-SignedHeaders"),
		   *sig = query_get(q, "X-Amz-Signature");
	char *end;

	if (!alg || strcmp(alg, SIGV4_ALGORITHM) || !cred || !date || !exp || !sh || !sig)
		return false;
	p->expires = strtol(exp, &end, 10);
	if (!*exp || *end || p->expires < 1 || p->expires > SIGV4_MAX_EXPIRES)
		return false;
	return parse_credential(cred, strlen(cred), p) &&
	       copy_field(p->signed_headers, sizeof(p->signed_headers), sh, strlen(sh)) &&
	       copy_field(p->signature, sizeof(p->signature), sig, strlen(sig)) &&
	       copy_field(p->amz_date, sizeof(p->amz_date), date, strlen(date));
}

/* YYYYMMDDTHHMMSSZ as seconds since the epoch, or -1. */
static time_t parse_amz_date(const char *s)
{
	struct tm tm = { 0 };
	char *end;

	if (strlen(s) != 16 || s[8] != 'T' || s[15] != 'Z')
		return -1;
	for (int i = 0; i < 15; i++)
		if (i != 8 && !isdigit((unsigned char)s[i]))
			return -1;
	end = strptime(s, "%Y%m%dT%H%M%SZ", &tm);
	if (!end || *end)
		return -1;
	return timegm(&tm);
}

/* Lower case, sorted, no duplicates, host among them. */
static bool signed_headers_valid(const char *sh)
{
	char prev[128] = "";
	bool host = false;
	const char *p = sh;

	while (*p) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		char cur[128];

		if (!len || !copy_field(cur, sizeof(cur), p, len))
			return false;
		for (size_t i = 0; i < len; i++)
			if (isupper((unsigned char)cur[i]))
				return false;
		if (prev[0] && strcmp(prev, cur) >= 0)
			return false;
		host |= !strcmp(cur, "host");
		strcpy(prev, cur);
		p = end ? end + 1 : p + len;
		if (end && !*p)
			return false;
	}
	return host;
}

static enum sigv4_result gather(const struct http_request *req, struct sigv4_parts *p,
				struct sigv4_outcome *out)
{
	const char *auth = http_header(req, "authorization");
	struct query q = { 0 };
	bool presigned, ok;

	if (query_parse(&q, req->query, strlen(req->query))) {
		query_free(&q);
		return fail(out, SIGV4_INCOMPLETE, "The query string is malformed.");
	}
	presigned = query_get(&q, "X-Amz-Algorithm") || query_get(&q, "X-Amz-Signature");
	p->expires = -1;
	if (auth && presigned) {
		query_free(&q);
		return fail(out, SIGV4_INCOMPLETE,
			    "Only one auth mechanism allowed; only the X-Amz-Algorithm query "
			    "parameter or the Authorization header should be specified.");
	}
	if (!auth && !presigned) {
		query_free(&q);
		return fail(out, SIGV4_MISSING, "Request is missing Authentication Token.");
	}
	ok = presigned ? parse_presigned(&q, p) : parse_authorization(auth, p);
	query_free(&q);
	if (!ok)
		return fail(out, SIGV4_INCOMPLETE,
			    presigned ?
				    "The presigned query parameters are incomplete or malformed." :
				    "The Authorization header is malformed.");
	snprintf(out->access_key, sizeof(out->access_key), "%s", p->access_key);
	if (!presigned) {
		const char *d = http_header(req, "x-amz-date");

		if (!d || !copy_field(p->amz_date, sizeof(p->amz_date), d, strlen(d)))
			return fail(out, SIGV4_INCOMPLETE,
				    "The request must contain a valid X-Amz-Date header.");
	}
	if (!signed_headers_valid(p->signed_headers))
		return fail(out, SIGV4_INCOMPLETE,
			    "SignedHeaders must be lower case, sorted, and include host.");
	return SIGV4_OK;
}

static enum sigv4_result check_scope(const struct sigv4_parts *p, const struct sigv4_config *cfg,
				     struct sigv4_outcome *out)
{
	if (strncmp(p->amz_date, p->date, 8) || strlen(p->date) != 8)
		return fail(
			out, SIGV4_BAD_SCOPE,
			"Credential should be scoped to a valid date: %s is not the date of %s.",
			p->date, p->amz_date);
	if (strcmp(p->region, cfg->region))
		return fail(
			out, SIGV4_BAD_SCOPE,
			"Credential should be scoped to a valid region, not '%s'; expecting '%s'.",
			p->region, cfg->region);
	if (strcmp(p->service, cfg->service))
		return fail(out, SIGV4_BAD_SCOPE,
			    "Credential should be scoped to correct service: '%s'.", cfg->service);
	return SIGV4_OK;
}

static enum sigv4_result check_signature(const struct http_request *req,
					 const struct sigv4_parts *p, const char *secret,
					 struct sigv4_outcome *out)
{
	struct strbuf creq = { 0 }, sts = { 0 };
	char scope[256], expected[65];
	unsigned char key[32];
	int rc;

	snprintf(scope, sizeof(scope), "%s/%s/%s/aws4_request", p->date, p->region, p->service);
	rc = sigv4_canonical_request(req, p->signed_headers, &creq);
	if (!rc)
		rc = sigv4_string_to_sign(p->amz_date, scope, strbuf_str(&creq), &sts);
	if (!rc) {
		sigv4_signing_key(secret, p->date, p->region, p->service, key);
		sigv4_signature(key, strbuf_str(&sts), expected);
		OPENSSL_cleanse(key, sizeof(key));
	}
	strbuf_free(&creq);
	strbuf_free(&sts);
	if (rc == -ENOMEM)
		return fail(out, SIGV4_MISMATCH, "Out of memory while checking the signature.");
	if (rc)
		return fail(out, SIGV4_MISMATCH,
			    "The request signature we calculated does not match the signature "
			    "you provided: a signed header is missing or the query is malformed.");
	if (strlen(p->signature) != 64 || CRYPTO_memcmp(expected, p->signature, 64))
		return fail(out, SIGV4_MISMATCH,
			    "The request signature we calculated does not match the signature "
			    "you provided. Check your AWS Secret Access Key and signing method.");
	return SIGV4_OK;
}

static enum sigv4_result check_time(const struct sigv4_parts *p, time_t now,
				    struct sigv4_outcome *out)
{
	time_t t = parse_amz_date(p->amz_date);

	out->valid_until = p->expires >= 0 ? t + p->expires : t + SIGV4_MAX_SKEW;
	if (t < 0)
		return fail(out, SIGV4_INCOMPLETE, "X-Amz-Date '%s' is not YYYYMMDDTHHMMSSZ.",
			    p->amz_date);
	if (t > now + SIGV4_MAX_SKEW)
		return fail(out, SIGV4_EXPIRED,
			    "Request is not yet valid: its time stamp %s is more than %d seconds "
			    "ahead of the server's clock.",
			    p->amz_date, SIGV4_MAX_SKEW);
	if (p->expires < 0 && t < now - SIGV4_MAX_SKEW)
		return fail(out, SIGV4_EXPIRED,
			    "Request has expired: its time stamp %s is more than %d seconds old.",
			    p->amz_date, SIGV4_MAX_SKEW);
	if (p->expires >= 0 && now > t + p->expires)
		return fail(out, SIGV4_EXPIRED,
			    "Request has expired: signed at %s for %ld seconds.", p->amz_date,
			    p->expires);
	return SIGV4_OK;
}

enum sigv4_result sigv4_verify(const struct http_request *req, const struct sigv4_config *cfg,
			       time_t now, struct sigv4_outcome *out)
{
	struct sigv4_parts p = { 0 };
	char secret[256];
	enum sigv4_result r;

	memset(out, 0, sizeof(*out));
	r = gather(req, &p, out);
	if (r)
		return r;
	r = check_scope(&p, cfg, out);
	if (r)
		return r;
	if (cfg->secret(cfg->ctx, p.access_key, secret, sizeof(secret)))
		return fail(out, SIGV4_UNKNOWN_KEY,
			    "AWS was not able to validate the provided access credentials.");
	r = check_signature(req, &p, secret, out);
	OPENSSL_cleanse(secret, sizeof(secret));
	if (r)
		return r;
	r = check_time(&p, now, out);
	if (r)
		return r;
	memcpy(out->signature, p.signature, sizeof(out->signature));
	out->result = SIGV4_OK;
	return SIGV4_OK;
}
