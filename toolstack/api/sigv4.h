/* SPDX-License-Identifier: GPL-2.0 */
/*
 * AWS Signature Version 4 (HMAC-SHA256), verified as AWS verifies it: the canonical
 * request, the credential scope DATE/REGION/SERVICE/aws4_request, the string to sign,
 * the derived signing key and a constant-time comparison, for both forms a client may
 * use: the Authorization header, and the presigned query (X-Amz-Algorithm,
 * X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Signature).
 */
#ifndef XENKVM_TOOLSTACK_API_SIGV4_H
#define XENKVM_TOOLSTACK_API_SIGV4_H

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "toolstack/api/http_parse.h"
#include "toolstack/api/strbuf.h"

#define SIGV4_ALGORITHM "AWS4-HMAC-SHA256"
/* How far X-Amz-Date may be from the server's clock, as AWS allows: 5 minutes. */
#define SIGV4_MAX_SKEW 300
/* The longest X-Amz-Expires AWS accepts: 7 days. */
#define SIGV4_MAX_EXPIRES 604800

/* The secret of an access key id into secret (NUL-terminated); -ENOENT if unknown. */
typedef int (*sigv4_secret_fn)(void *ctx, const char *access_key, char *secret, size_t size);

struct sigv4_config {
	const char *region; /* e.g. "us-east-1" */
	const char *service; /* "ec2" */
	sigv4_secret_fn secret;
	void *ctx;
};

enum sigv4_result {
	SIGV4_OK,
	SIGV4_MISSING, /* no signature at all */
	SIGV4_INCOMPLETE, /* a malformed Authorization header or presigned query */
	SIGV4_UNKNOWN_KEY, /* the access key id is not in the credentials */
	SIGV4_BAD_SCOPE, /* date, region or service of the scope do not fit */
	SIGV4_MISMATCH, /* the signature is not the request's */
	SIGV4_EXPIRED, /* X-Amz-Date outside the skew window, or past X-Amz-Expires */
};

struct sigv4_outcome {
	enum sigv4_result result;
	char access_key[128]; /* the key id the request named, once parsed */
	char message[256]; /* why, for the error reply */
	/* SIGV4_OK: the signature, and the last second the request passes the clock check
	 * (X-Amz-Date + 5 minutes, or + X-Amz-Expires), for replay protection. */
	char signature[65];
	time_t valid_until;
};

/* Verifies req at time now; SIGV4_OK only if every check passed. */
enum sigv4_result sigv4_verify(const struct http_request *req, const struct sigv4_config *cfg,
			       time_t now, struct sigv4_outcome *out);

/* The steps, for the verifier and for tests against AWS's published vectors. */

/*
 * The canonical request: METHOD, canonical URI, canonical query (without
 * X-Amz-Signature), the canonical headers named in signed_headers (lower case, ';'
 * separated, sorted), signed_headers, and the hex SHA-256 of the body.
 * -EINVAL if a signed header is absent or the query is malformed, -ENOMEM.
 */
int sigv4_canonical_request(const struct http_request *req, const char *signed_headers,
			    struct strbuf *out);
/* "AWS4-HMAC-SHA256\nAMZ_DATE\nSCOPE\nhex(SHA-256(canonical))". */
int sigv4_string_to_sign(const char *amz_date, const char *scope, const char *canonical,
			 struct strbuf *out);
/* HMAC chain "AWS4"+secret -> date -> region -> service -> "aws4_request". */
void sigv4_signing_key(const char *secret, const char *date, const char *region,
		       const char *service, unsigned char key[32]);
/* hex(HMAC-SHA256(key, string_to_sign)) into hex[65]. */
void sigv4_signature(const unsigned char key[32], const char *string_to_sign, char hex[65]);
/* hex(SHA-256(data)) into hex[65]. */
void sigv4_sha256_hex(const void *data, size_t len, char hex[65]);

#endif
