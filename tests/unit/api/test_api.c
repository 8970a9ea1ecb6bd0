// SPDX-License-Identifier: GPL-2.0
/*
 * The request pipeline: a signed request reaches its action; each way a request can
 * be wrong gets the EC2 error code and HTTP status the EC2 API reference gives it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/api/signed_request.h"
#include "tests/unit/unit.h"

static const char regions[] = "Action=DescribeRegions&Version=2016-11-15";

/* Runs body signed as given; checks status and (if code) the error code. */
static void expect(const char *body, const char *key, const char *secret, const char *date,
		   int status, const char *code)
{
	struct http_request req;
	struct api api;
	char *xml, got[128];

	test_api_init(&api);
	CU_ASSERT_EQUAL_FATAL(signed_post(body, key, secret, date, &req), 0);
	CU_ASSERT_EQUAL(call_api(&api, &req, &xml), status);
	if (code) {
		CU_ASSERT_EQUAL(xml_find(xml, "Code", got, sizeof(got)), 0);
		CU_ASSERT_STRING_EQUAL(got, code);
		CU_ASSERT_EQUAL(xml_find(xml, "RequestID", got, sizeof(got)), 0);
		CU_ASSERT_EQUAL(strlen(got), 36);
	}
	free(xml);
}

static void test_signed_request(void)
{
	struct http_request req;
	struct api api;
	char *xml, got[128];

	test_api_init(&api);
	CU_ASSERT_EQUAL_FATAL(signed_post(regions, TEST_KEY, TEST_SECRET, TEST_AMZ_DATE, &req), 0);
	CU_ASSERT_EQUAL(call_api(&api, &req, &xml), 200);
	CU_ASSERT_PTR_NOT_NULL(strstr(xml, "<DescribeRegionsResponse xmlns=\"http://ec2.amazonaws"
					   ".com/doc/2016-11-15/\">"));
	CU_ASSERT_EQUAL(xml_find(xml, "regionName", got, sizeof(got)), 0);
	CU_ASSERT_STRING_EQUAL(got, "us-east-1");
	free(xml);
}

static void test_authentication_errors(void)
{
	expect(regions, "AKIDOTHER", TEST_SECRET, TEST_AMZ_DATE, 401, "AuthFailure");
	expect(regions, TEST_KEY, "wrong secret", TEST_AMZ_DATE, 403, "SignatureDoesNotMatch");
	/* Six minutes late, six minutes early. */
	expect(regions, TEST_KEY, TEST_SECRET, "20251128T235400Z", 400, "RequestExpired");
	expect(regions, TEST_KEY, TEST_SECRET, "20251129T000600Z", 400, "RequestExpired");
	expect(regions, TEST_KEY, TEST_SECRET, "20251129T000400Z", 200, NULL);
}

static void test_unsigned_and_tampered(void)
{
	const char *text = "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: 41\r\n"
			   "Content-Type: application/x-www-form-urlencoded\r\n\r\n"
			   "Action=DescribeRegions&Version=2016-11-15";
	struct http_request req;
	struct api api;
	char *xml, got[64];

	test_api_init(&api);
	CU_ASSERT_FATAL(http_parse_request(text, strlen(text), &http_default_limits, &req) > 0);
	CU_ASSERT_EQUAL(call_api(&api, &req, &xml), 403);
	CU_ASSERT_EQUAL(xml_find(xml, "Code", got, sizeof(got)), 0);
	CU_ASSERT_STRING_EQUAL(got, "MissingAuthenticationToken");
	free(xml);
	/* The body changed after signing: the signature covers it. */
	CU_ASSERT_EQUAL_FATAL(signed_post(regions, TEST_KEY, TEST_SECRET, TEST_AMZ_DATE, &req), 0);
	((char *)req.body)[7] = 'd';
	CU_ASSERT_EQUAL(call_api(&api, &req, &xml), 403);
	CU_ASSERT_EQUAL(xml_find(xml, "Code", got, sizeof(got)), 0);
	CU_ASSERT_STRING_EQUAL(got, "SignatureDoesNotMatch");
	free(xml);
}

static void test_request_errors(void)
{
	expect("Version=2016-11-15", TEST_KEY, TEST_SECRET, TEST_AMZ_DATE, 400, "MissingAction");
	expect("Action=LaunchMissiles&Version=2016-11-15", TEST_KEY, TEST_SECRET, TEST_AMZ_DATE,
	       400, "InvalidAction");
	expect("Action=DescribeRegions&Version=%zz", TEST_KEY, TEST_SECRET, TEST_AMZ_DATE, 400,
	       "MalformedQueryString");
	expect("Action=DescribeRegions&Version=yesterday", TEST_KEY, TEST_SECRET, TEST_AMZ_DATE,
	       400, "InvalidParameterValue");
}

UNIT_SUITE(api_pipeline, NULL, NULL, UNIT_TEST(test_signed_request),
	   UNIT_TEST(test_authentication_errors), UNIT_TEST(test_unsigned_and_tampered),
	   UNIT_TEST(test_request_errors));
