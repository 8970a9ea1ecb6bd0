// SPDX-License-Identifier: GPL-2.0
/*
 * Signature Version 4 verification. The request is canonicalised from what arrived
 * (never from what the handler later understood), so a tampered byte anywhere in the
 * signed parts changes the signature; the comparison is CRYPTO_memcmp, so its time
 * says nothing about how much of a guess was right.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <openssl/sha.h>

#include "toolstack/api/query.h"
#include "toolstack/api/sigv4.h"

static void hex_encode(const unsigned char *in, size_t len, char *out)
{
	static const char digits[] = "0123456789abcdef";

	for (size_t i = 0; i < len; i++) {
		out[2 * i] = digits[in[i] >> 4];
		out[2 * i + 1] = digits[in[i] & 15];
	}
	out[2 * len] = 0;
}

void sigv4_sha256_hex(const void *data, size_t len, char hex[65])
{
	unsigned char md[SHA256_DIGEST_LENGTH];

	SHA256(data, len, md);
	hex_encode(md, sizeof(md), hex);
}

static void hmac(const void *key, size_t klen, const char *msg, unsigned char out[32])
{
	unsigned int olen = 32;

	HMAC(EVP_sha256(), key, (int)klen, (const unsigned char *)msg, strlen(msg), out, &olen);
}

void sigv4_signing_key(const char *secret, const char *date, const char *region,
		       const char *service, unsigned char key[32])
{
	size_t slen = strlen(secret);
	char *k = malloc(slen + 5);
	unsigned char a[32], b[32];

	if (!k) {
		memset(key, 0, 32); /* signs nothing anyone can match */
		return;
	}
	memcpy(k, "AWS4", 4);
	memcpy(k + 4, secret, slen + 1);
	hmac(k, slen + 4, date, a);
	OPENSSL_cleanse(k, slen + 4);
	free(k);
	hmac(a, 32, region, b);
	hmac(b, 32, service, a);
	hmac(a, 32, "aws4_request", key);
	OPENSSL_cleanse(a, sizeof(a));
	OPENSSL_cleanse(b, sizeof(b));
}

void sigv4_signature(const unsigned char key[32], const char *string_to_sign, char hex[65])
{
	unsigned char mac[32];

	hmac(key, 32, string_to_sign, mac);
	hex_encode(mac, sizeof(mac), hex);
}

/* RFC 3986 encoding as SigV4 wants it: everything but A-Z a-z 0-9 - _ . ~ as %XX. */
static void uri_encode(struct strbuf *sb, const char *s, bool keep_slash)
{
	for (; *s; s++) {
		unsigned char c = *s;

		if (isalnum(c) || c == '-' || c == '_' || c == '.' || c == '~' ||
		    (keep_slash && c == '/'))
			strbuf_addc(sb, c);
		else
			strbuf_addf(sb, "%%%02X", c);
	}
}

/*
 * The canonical URI of a service other than S3: the path without empty, "." and ".."
 * segments, each byte of it encoded once more (clients encode the path they send, and
 * sign the encoding of that).
 */
static int canonical_uri(struct strbuf *sb, const char *path)
{
	char *segs[64];
	size_t n = 0;
	char *copy = strdup(path), *save = NULL;
	bool trailing = path[0] && path[strlen(path) - 1] == '/' && strlen(path) > 1;

	if (!copy)
		return -ENOMEM;
	for (char *seg = strtok_r(copy, "/", &save); seg; seg = strtok_r(NULL, "/", &save)) {
		if (!strcmp(seg, "."))
			continue;
		if (!strcmp(seg, "..")) {
			if (n)
				n--;
			continue;
		}
		if (n == 64) {
			free(copy);
			return -EINVAL;
		}
		segs[n++] = seg;
	}
	for (size_t i = 0; i < n; i++) {
		strbuf_addc(sb, '/');
		uri_encode(sb, segs[i], false);
	}
	if (!n || trailing)
		strbuf_addc(sb, '/');
	free(copy);
	return 0;
}

struct encoded_pair {
	char *name, *value;
};

static int pair_cmp(const void *a, const void *b)
{
	const struct encoded_pair *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	return c ? c : strcmp(x->value, y->value);
}

static char *encode_dup(const char *s)
{
	struct strbuf sb = { 0 };

	uri_encode(&sb, s, false);
	return strbuf_detach(&sb, NULL);
}

static int canonical_query(struct strbuf *sb, const char *raw)
{
	struct query q = { 0 };
	struct encoded_pair *pairs;
	size_t n = 0;
	int rc = query_parse(&q, raw, strlen(raw));

	if (rc)
		goto out_query;
	pairs = calloc(q.n + 1, sizeof(*pairs));
	rc = -ENOMEM;
	if (!pairs)
		goto out_query;
	for (size_t i = 0; i < q.n; i++) {
		if (!strcmp(q.params[i].name, "X-Amz-Signature"))
			continue;
		pairs[n].name = encode_dup(q.params[i].name);
		pairs[n].value = encode_dup(q.params[i].value);
		n++;
		if (!pairs[n - 1].name || !pairs[n - 1].value)
			goto out_pairs;
	}
	qsort(pairs, n, sizeof(*pairs), pair_cmp);
	for (size_t i = 0; i < n; i++)
		strbuf_addf(sb, "%s%s=%s", i ? "&" : "", pairs[i].name, pairs[i].value);
	rc = 0;
out_pairs:
	for (size_t i = 0; i < n; i++) {
		free(pairs[i].name);
		free(pairs[i].value);
	}
	free(pairs);
out_query:
	query_free(&q);
	return rc;
}

/* A header value as SigV4 signs it: outer white space gone, inner runs made one space. */
static void add_trimmed(struct strbuf *sb, const char *v)
{
	bool space = false, any = false;

	for (; *v; v++) {
		if (*v == ' ' || *v == '\t') {
			space = true;
			continue;
		}
		if (space && any)
			strbuf_addc(sb, ' ');
		space = false;
		any = true;
		strbuf_addc(sb, *v);
	}
}

static int canonical_headers(struct strbuf *sb, const struct http_request *req,
			     const char *signed_headers)
{
	const char *p = signed_headers;

	while (*p) {
		const char *end = strchr(p, ';');
		size_t len = end ? (size_t)(end - p) : strlen(p);
		bool found = false;

		if (!len)
			return -EINVAL;
		strbuf_add(sb, p, len);
		strbuf_addc(sb, ':');
		for (size_t i = 0; i < req->nheaders; i++) {
			if (strlen(req->headers[i].name) != len ||
			    strncasecmp(req->headers[i].name, p, len))
				continue;
			if (found)
				strbuf_addc(sb, ',');
			add_trimmed(sb, req->headers[i].value);
			found = true;
		}
		if (!found)
			return -EINVAL;
		strbuf_addc(sb, '\n');
		p = end ? end + 1 : p + len;
	}
	return 0;
}

int sigv4_canonical_request(const struct http_request *req, const char *signed_headers,
			    struct strbuf *out)
{
	char hash[65];
	int rc;

	strbuf_adds(out, req->method);
	strbuf_addc(out, '\n');
	rc = canonical_uri(out, req->path);
	if (rc)
		return rc;
	strbuf_addc(out, '\n');
	rc = canonical_query(out, req->query);
	if (rc)
		return rc;
	strbuf_addc(out, '\n');
	rc = canonical_headers(out, req, signed_headers);
	if (rc)
		return rc;
	sigv4_sha256_hex(req->body ? req->body : "", req->body_len, hash);
	strbuf_addf(out, "\n%s\n%s", signed_headers, hash);
	return out->failed ? -ENOMEM : 0;
}

int sigv4_string_to_sign(const char *amz_date, const char *scope, const char *canonical,
			 struct strbuf *out)
{
	char hash[65];

	sigv4_sha256_hex(canonical, strlen(canonical), hash);
	strbuf_addf(out, "%s\n%s\n%s\n%s", SIGV4_ALGORITHM, amz_date, scope, hash);
	return out->failed ? -ENOMEM : 0;
}
