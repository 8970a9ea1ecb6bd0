// SPDX-License-Identifier: GPL-2.0
/*
 * The request parser against RFC 9112: what a request is, where it ends, and the
 * requests it must refuse (each with the status the server answers).
 */
#include <stdio.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "toolstack/api/http_parse.h"

static long parse(const char *text, struct http_request *req)
{
	return http_parse_request(text, strlen(text), &http_default_limits, req);
}

static void test_simple_get(void)
{
	const char *t = "GET /path/x?Action=DescribeInstances&a=b HTTP/1.1\r\n"
			"Host: 127.0.0.1:8773\r\nX-Amz-Date:   20150830T123600Z  \r\n\r\n";
	struct http_request req;

	CU_ASSERT_EQUAL(parse(t, &req), (long)strlen(t));
	CU_ASSERT_STRING_EQUAL(req.method, "GET");
	CU_ASSERT_STRING_EQUAL(req.path, "/path/x");
	CU_ASSERT_STRING_EQUAL(req.query, "Action=DescribeInstances&a=b");
	CU_ASSERT_EQUAL(req.minor, 1);
	CU_ASSERT_EQUAL(req.nheaders, 2);
	CU_ASSERT_STRING_EQUAL(http_header(&req, "x-amz-date"), "20150830T123600Z");
	CU_ASSERT_STRING_EQUAL(http_header(&req, "HOST"), "127.0.0.1:8773");
	CU_ASSERT_PTR_NULL(http_header(&req, "content-length"));
	CU_ASSERT_EQUAL(req.body_len, 0);
	CU_ASSERT_TRUE(req.keep_alive);
	http_request_free(&req);
}

static void test_post_body_and_pipelining(void)
{
	const char *t = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 13\r\n"
			"Connection: close\r\n\r\nParam1=value1GET / HTTP/1.1\r\n";
	struct http_request req;
	long n = parse(t, &req);

	/* The body ends where Content-Length says; the next request is left alone. */
	CU_ASSERT_EQUAL(n, (long)(strstr(t, "GET") - t));
	CU_ASSERT_EQUAL(req.body_len, 13);
	CU_ASSERT_STRING_EQUAL(req.body, "Param1=value1");
	CU_ASSERT_STRING_EQUAL(req.query, "");
	CU_ASSERT_FALSE(req.keep_alive);
	http_request_free(&req);
}

static void test_incomplete(void)
{
	const char *full = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nabcde";
	struct http_request req;

	/* Every proper prefix is "need more", never an error or a request. */
	for (size_t len = 0; len < strlen(full); len++)
		CU_ASSERT_EQUAL(http_parse_request(full, len, &http_default_limits, &req), 0);
	CU_ASSERT_EQUAL(parse(full, &req), (long)strlen(full));
	http_request_free(&req);
}

static void test_http10_keep_alive(void)
{
	struct http_request req;

	CU_ASSERT(parse("GET / HTTP/1.0\r\n\r\n", &req) > 0);
	CU_ASSERT_FALSE(req.keep_alive);
	http_request_free(&req);
	CU_ASSERT(parse("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n", &req) > 0);
	CU_ASSERT_TRUE(req.keep_alive);
	http_request_free(&req);
}

static void test_refused(void)
{
	static const struct {
		const char *text;
		long status;
	} cases[] = {
		{ "GET / HTTP/1.1\r\n\r\n", 400 }, /* HTTP/1.1 without Host */
		{ "GET /\r\nHost: h\r\n\r\n", 400 },
		{ "GET / HTTP/2.0\r\nHost: h\r\n\r\n", 505 },
		{ "GET x HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "G(T / HTTP/1.1\r\nHost: h\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost : h\r\n\r\n", 400 }, /* space before the colon */
		{ "GET / HTTP/1.1\r\nHost: h\r\n folded\r\n\r\n", 400 },
		{ "GET / HTTP/1.1\r\nHost: h\r\nNoColon\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\nContent-Length: 1\r\n\r\nx",
		  400 },
		{ "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: -1\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 1x\r\n\r\n", 400 },
		{ "POST / HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n", 501 },
		{ "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 99999999999\r\n\r\n", 413 },
		{ "VERYLONGMETHODNAME / HTTP/1.1\r\nHost: h\r\n\r\n", 501 },
	};
	struct http_request req;

	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		long n = parse(cases[i].text, &req);

		if (n != -cases[i].status)
			printf("case %zu: %ld\n", i, n);
		CU_ASSERT_EQUAL(n, -cases[i].status);
	}
}

static void test_limits(void)
{
	struct http_limits lim = { .max_head = 256, .max_headers = 4, .max_body = 10 };
	char big[1024];
	struct http_request req;
	const char *five = "GET / HTTP/1.1\r\nHost: h\r\nA: 1\r\nB: 2\r\nC: 3\r\nD: 4\r\n\r\n";
	const char *body = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 11\r\n\r\n";

	/* A head that has not ended within max_head bytes is refused, not waited for. */
	memset(big, 'a', sizeof(big));
	memcpy(big, "GET / HTTP/1.1\r\nX: ", 19);
	CU_ASSERT_EQUAL(http_parse_request(big, sizeof(big), &lim, &req), -431);
	CU_ASSERT_EQUAL(http_parse_request(big, 255, &lim, &req), 0);
	CU_ASSERT_EQUAL(http_parse_request(five, strlen(five), &lim, &req), -431);
	CU_ASSERT_EQUAL(http_parse_request(body, strlen(body), &lim, &req), -413);
}

UNIT_SUITE(http_parse, NULL, NULL, UNIT_TEST(test_simple_get),
	   UNIT_TEST(test_post_body_and_pipelining), UNIT_TEST(test_incomplete),
	   UNIT_TEST(test_http10_keep_alive), UNIT_TEST(test_refused), UNIT_TEST(test_limits));
