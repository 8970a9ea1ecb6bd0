/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Test requests signed with Signature Version 4 as an SDK signs them (the steps
 * checked against AWS's vectors in test_sigv4.c), and the fixed clock and keys the API
 * tests use.
 */
#ifndef XENKVM_TESTS_UNIT_API_SIGNED_REQUEST_H
#define XENKVM_TESTS_UNIT_API_SIGNED_REQUEST_H

#include <time.h>

#include "toolstack/api/api.h"

#define TEST_KEY "AKIDTESTKEY"
#define TEST_SECRET "testsecret/xenkvm+api"
#define TEST_NOW 1764374400 /* 2025-11-29T00:00:00Z */
#define TEST_AMZ_DATE "20251129T000000Z"

/* An API set up with the test key, region us-east-1, the fixed clock. */
void test_api_init(struct api *api);

/*
 * "POST / HTTP/1.1" with body as a form, signed at amz_date with key/secret for region
 * us-east-1 and service ec2, parsed into req. Returns 0 or -1.
 */
int signed_post(const char *body, const char *key, const char *secret, const char *amz_date,
		struct http_request *req);

/* Runs req through api_handle; returns the status, resp body into *xml (malloc'd). */
int call_api(struct api *api, struct http_request *req, char **xml);

/* The text of the first element with this name anywhere in xml, into out. */
int xml_find(const char *xml, const char *name, char *out, size_t size);

#endif
