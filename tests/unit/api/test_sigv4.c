// SPDX-License-Identifier: GPL-2.0
/*
 * Signature Version 4 against AWS's published examples: the Signature Version 4 test
 * suite (get-vanilla, get-vanilla-query-order-key-case, post-vanilla,
 * post-x-www-form-urlencoded; credentials AKIDEXAMPLE, region us-east-1, service
 * "service", 2015-08-30T12:36:00Z) and the IAM ListUsers examples of the signing
 * documentation (header and presigned forms). Every expected canonical request,
 * string to sign and signature below is AWS's, not ours. Then the verifier's refusals.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "toolstack/api/sigv4.h"

#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define T_SIGNED 1440938160 /* 2015-08-30T12:36:00Z */
#define EMPTY_SHA256 "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

static int secret_of(void *ctx, const char *id, char *secret, size_t size)
{
	if (strcmp(id, "AKIDEXAMPLE"))
		return -ENOENT;
	snprintf(secret, size, "%s", SECRET);
	return 0;
}

static const struct sigv4_config suite_cfg = {
	.region = "us-east-1",
	.service = "service",
	.secret = secret_of,
};
static const struct sigv4_config iam_cfg = {
	.region = "us-east-1",
	.service = "iam",
	.secret = secret_of,
};

static void parse(const char *text, struct http_request *req)
{
	CU_ASSERT_FATAL(http_parse_request(text, strlen(text), &http_default_limits, req) > 0);
}

/* The canonical request, string to sign and signature of req, checked step by step. */
static void check_steps(const char *text, const char *service, const char *signed_headers,
			const char *creq, const char *sts, const char *sig)
{
	struct strbuf c = { 0 }, s = { 0 };
	struct http_request req;
	unsigned char key[32];
	char scope[128], hex[65];

	parse(text, &req);
	snprintf(scope, sizeof(scope), "20150830/us-east-1/%s/aws4_request", service);
	CU_ASSERT_EQUAL(sigv4_canonical_request(&req, signed_headers, &c), 0);
	if (creq)
		CU_ASSERT_STRING_EQUAL(strbuf_str(&c), creq);
	CU_ASSERT_EQUAL(sigv4_string_to_sign("20150830T123600Z", scope, strbuf_str(&c), &s), 0);
	if (sts)
		CU_ASSERT_STRING_EQUAL(strbuf_str(&s), sts);
	sigv4_signing_key(SECRET, "20150830", "us-east-1", service, key);
	sigv4_signature(key, strbuf_str(&s), hex);
	CU_ASSERT_STRING_EQUAL(hex, sig);
	strbuf_free(&c);
	strbuf_free(&s);
	http_request_free(&req);
}

static const char get_vanilla[] = "GET / HTTP/1.1\r\nHost:example.amazonaws.com\r\n"
				  "X-Amz-Date:20150830T123600Z\r\n\r\n";

static void test_get_vanilla(void)
{
	check_steps(get_vanilla, "service", "host;x-amz-date",
		    "GET\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
		    "host;x-amz-date\n" EMPTY_SHA256,
		    "AWS4-HMAC-SHA256\n20150830T123600Z\n20150830/us-east-1/service/aws4_request\n"
		    "bb579772317eb040ac9ed261061d46c1f17a8133879d6129b6e1c25292927e63",
		    "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31");
}

static void test_get_vanilla_query_order_key_case(void)
{
	check_steps("GET /?Param2=value2&Param1=value1 HTTP/1.1\r\nHost:example.amazonaws.com\r\n"
		    "X-Amz-Date:20150830T123600Z\r\n\r\n",
		    "service", "host;x-amz-date",
		    "GET\n/\nParam1=value1&Param2=value2\nhost:example.amazonaws.com\n"
		    "x-amz-date:20150830T123600Z\n\nhost;x-amz-date\n" EMPTY_SHA256,
		    NULL, "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500");
}

static void test_post_vanilla(void)
{
	check_steps("POST / HTTP/1.1\r\nHost:example.amazonaws.com\r\n"
		    "X-Amz-Date:20150830T123600Z\r\n\r\n",
		    "service", "host;x-amz-date", NULL, NULL,
		    "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b");
}

static void test_post_x_www_form_urlencoded(void)
{
	/* Content-Length is ours (the suite's file has none); it is not signed. */
	check_steps("POST / HTTP/1.1\r\nContent-Type:application/x-www-form-urlencoded\r\n"
		    "Host:example.amazonaws.com\r\nX-Amz-Date:20150830T123600Z\r\n"
		    "Content-Length: 13\r\n\r\nParam1=value1",
		    "service", "content-type;host;x-amz-date",
		    "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\n"
		    "host:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n"
		    "content-type;host;x-amz-date\n"
		    "9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
		    NULL, "ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a");
}

static const char iam_header[] =
	"GET /?Action=ListUsers&Version=2010-05-08 HTTP/1.1\r\n"
	"Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
	"Host: iam.amazonaws.com\r\nX-Amz-Date: 20150830T123600Z\r\n"
	"Authorization: AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/"
	"aws4_request, SignedHeaders=content-type;host;x-amz-date, "
	"Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7\r\n\r\n";

static const char iam_presigned[] =
	"GET /?Action=ListUsers&Version=2010-05-08&X-Amz-Algorithm=AWS4-HMAC-SHA256&"
	"X-Amz-Credential=AKIDEXAMPLE%2F20150830%2Fus-east-1%2Fiam%2Faws4_request&"
	"X-Amz-Date=20150830T123600Z&X-Amz-Expires=60&X-Amz-SignedHeaders=content-type%3Bhost&"
	"X-Amz-Signature=37ac2f4fde00b0ac9bd9eadeb459b1bbee224158d66e7ae5fcadb70b2d181d02 "
	"HTTP/1.1\r\nContent-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
	"Host: iam.amazonaws.com\r\n\r\n";

static void test_iam_signing_key(void)
{
	unsigned char key[32];
	char hex[65];

	sigv4_signing_key(SECRET, "20150830", "us-east-1", "iam", key);
	for (int i = 0; i < 32; i++)
		sprintf(hex + 2 * i, "%02x", key[i]);
	CU_ASSERT_STRING_EQUAL(hex,
			       "c4afb1cc5771d871763a393e44b703571b55cc28424d1a5e86da6ed3c154a4b9");
}

static enum sigv4_result verify(const char *text, const struct sigv4_config *cfg, time_t now)
{
	struct sigv4_outcome out;
	struct http_request req;
	enum sigv4_result r;

	parse(text, &req);
	r = sigv4_verify(&req, cfg, now, &out);
	if (r)
		printf("    (sigv4: %s)\n", out.message);
	http_request_free(&req);
	return r;
}

static void test_verify_header_form(void)
{
	CU_ASSERT_EQUAL(verify(iam_header, &iam_cfg, T_SIGNED), SIGV4_OK);
	/* AWS's five minutes either way, not a second more. */
	CU_ASSERT_EQUAL(verify(iam_header, &iam_cfg, T_SIGNED + 300), SIGV4_OK);
	CU_ASSERT_EQUAL(verify(iam_header, &iam_cfg, T_SIGNED + 301), SIGV4_EXPIRED);
	CU_ASSERT_EQUAL(verify(iam_header, &iam_cfg, T_SIGNED - 301), SIGV4_EXPIRED);
	CU_ASSERT_EQUAL(verify(iam_header, &suite_cfg, T_SIGNED), SIGV4_BAD_SCOPE);
}

/* The IAM request with one byte changed at the first occurrence of from. */
static void tampered(const char *text, const char *from, const char *to, char *out)
{
	const char *at = strstr(text, from);

	CU_ASSERT_PTR_NOT_NULL_FATAL(at);
	memcpy(out, text, at - text);
	strcpy(out + (at - text), to);
	strcat(out, at + strlen(from));
}

static void test_verify_refusals(void)
{
	char buf[1024];

	tampered(iam_header, "ListUsers", "ListUsert", buf);
	CU_ASSERT_EQUAL(verify(buf, &iam_cfg, T_SIGNED), SIGV4_MISMATCH);
	tampered(iam_header, "Host: iam", "Host: xam", buf);
	CU_ASSERT_EQUAL(verify(buf, &iam_cfg, T_SIGNED), SIGV4_MISMATCH);
	tampered(iam_header, "Signature=5d67", "Signature=5d68", buf);
	CU_ASSERT_EQUAL(verify(buf, &iam_cfg, T_SIGNED), SIGV4_MISMATCH);
	tampered(iam_header, "Credential=AKIDEXAMPLE", "Credential=AKIDEXAMPLF", buf);
	CU_ASSERT_EQUAL(verify(buf, &iam_cfg, T_SIGNED), SIGV4_UNKNOWN_KEY);
	tampered(iam_header, "20150830/us-east-1", "20150831/us-east-1", buf);
	CU_ASSERT_EQUAL(verify(buf, &iam_cfg, T_SIGNED), SIGV4_BAD_SCOPE);
	tampered(iam_header, "X-Amz-Date: 20150830T123600Z", "X-Amz-Date: 20150830T123601Z", buf);
	CU_ASSERT_EQUAL(verify(buf, &iam_cfg, T_SIGNED), SIGV4_MISMATCH);
	tampered(iam_header, ", SignedHeaders", " SignedHeaders", buf);
	CU_ASSERT_EQUAL(verify(buf, &iam_cfg, T_SIGNED), SIGV4_INCOMPLETE);
	tampered(iam_header, "content-type;host;x-amz-date", "x-amz-date;host", buf);
	CU_ASSERT_EQUAL(verify(buf, &iam_cfg, T_SIGNED), SIGV4_INCOMPLETE);
	tampered(iam_header, "AWS4-HMAC-SHA256 Cred", "AWS4-HMAC-SHA1 Cred", buf);
	CU_ASSERT_EQUAL(verify(buf, &iam_cfg, T_SIGNED), SIGV4_INCOMPLETE);
	CU_ASSERT_EQUAL(verify(get_vanilla, &suite_cfg, T_SIGNED), SIGV4_MISSING);
}

static void test_verify_presigned(void)
{
	char buf[1024];

	CU_ASSERT_EQUAL(verify(iam_presigned, &iam_cfg, T_SIGNED), SIGV4_OK);
	CU_ASSERT_EQUAL(verify(iam_presigned, &iam_cfg, T_SIGNED + 60), SIGV4_OK);
	CU_ASSERT_EQUAL(verify(iam_presigned, &iam_cfg, T_SIGNED + 61), SIGV4_EXPIRED);
	tampered(iam_presigned, "Action=ListUsers", "Action=ListUsert", buf);
	CU_ASSERT_EQUAL(verify(buf, &iam_cfg, T_SIGNED), SIGV4_MISMATCH);
	tampered(iam_presigned, "X-Amz-Expires=60", "X-Amz-Expires=6000", buf);
	CU_ASSERT_EQUAL(verify(buf, &iam_cfg, T_SIGNED + 61), SIGV4_MISMATCH);
	tampered(iam_presigned, "X-Amz-Expires=60", "X-Amz-Expires=604801", buf);
	CU_ASSERT_EQUAL(verify(buf, &iam_cfg, T_SIGNED), SIGV4_INCOMPLETE);
	/* Both forms at once: refused as AWS does. */
	tampered(iam_presigned, "Host: iam.amazonaws.com\r\n",
		 "Host: iam.amazonaws.com\r\nAuthorization: AWS4-HMAC-SHA256 x=y\r\n", buf);
	CU_ASSERT_EQUAL(verify(buf, &iam_cfg, T_SIGNED), SIGV4_INCOMPLETE);
}

UNIT_SUITE(sigv4, NULL, NULL, UNIT_TEST(test_get_vanilla),
	   UNIT_TEST(test_get_vanilla_query_order_key_case), UNIT_TEST(test_post_vanilla),
	   UNIT_TEST(test_post_x_www_form_urlencoded), UNIT_TEST(test_iam_signing_key),
	   UNIT_TEST(test_verify_header_form), UNIT_TEST(test_verify_refusals),
	   UNIT_TEST(test_verify_presigned));
