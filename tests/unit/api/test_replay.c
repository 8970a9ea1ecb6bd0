// SPDX-License-Identifier: GPL-2.0
/*
 * Replay protection: a signature is refused again while its request would still pass
 * the clock check, accepted once that time is over; the cache stays bounded.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "tests/unit/api/signed_request.h"
#include "toolstack/api/api_state.h"
#include "toolstack/api/replay.h"

static void sig_of(unsigned n, char sig[65])
{
	snprintf(sig, 65, "%064x", n);
}

static void test_cache(void)
{
	struct replay_cache rc;
	char a[65], b[65];

	CU_ASSERT_EQUAL_FATAL(replay_init(&rc), 0);
	sig_of(1, a);
	sig_of(2, b);
	CU_ASSERT_EQUAL(replay_check(&rc, a, 1300, 1000), 0);
	CU_ASSERT_EQUAL(replay_check(&rc, a, 1300, 1000), -EALREADY);
	CU_ASSERT_EQUAL(replay_check(&rc, a, 1300, 1300), -EALREADY);
	CU_ASSERT_EQUAL(replay_check(&rc, b, 1300, 1000), 0);
	/* Once the request is too old to pass the clock anyway, it is forgotten. */
	CU_ASSERT_EQUAL(replay_check(&rc, a, 1600, 1301), 0);
	CU_ASSERT_EQUAL(replay_check(&rc, "short", 1300, 1000), -EINVAL);
	replay_free(&rc);
}

static void test_bounded(void)
{
	struct replay_cache rc;
	char s[65];
	int fails = 0;

	CU_ASSERT_EQUAL_FATAL(replay_init(&rc), 0);
	for (unsigned i = 0; i < REPLAY_MAX; i++) {
		sig_of(i, s);
		fails += replay_check(&rc, s, 2000, 1000) != 0;
	}
	CU_ASSERT_EQUAL(fails, 0);
	sig_of(REPLAY_MAX, s);
	CU_ASSERT_EQUAL(replay_check(&rc, s, 2000, 1000), -ENOSPC);
	sig_of(7, s);
	CU_ASSERT_EQUAL(replay_check(&rc, s, 2000, 1000), -EALREADY);
	/* Later, all expired: room again, through a rebuild. */
	for (unsigned i = 0; i < 1000; i++) {
		sig_of(REPLAY_MAX + 1 + i, s);
		fails += replay_check(&rc, s, 4000, 2001) != 0;
	}
	CU_ASSERT_EQUAL(fails, 0);
	replay_free(&rc);
}

static void test_api_refuses_replayed_change(void)
{
	char dir[] = "/tmp/api-replay-XXXXXX", kernel[64], body[256], err[256], got[64];
	struct http_request req, again;
	struct replay_cache rc;
	struct api_state st;
	struct api api;
	char *xml;
	FILE *f;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	snprintf(kernel, sizeof(kernel), "%s/kernel", dir);
	f = fopen(kernel, "w");
	fputs("not really a kernel", f);
	fclose(f);
	test_api_init(&api);
	CU_ASSERT_EQUAL_FATAL(api_state_open(&st, dir, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL_FATAL(replay_init(&rc), 0);
	api.state = &st;
	api.replay = &rc;
	snprintf(body, sizeof(body),
		 "Action=RegisterImage&Version=2016-11-15&Name=once&KernelId=%s", kernel);
	CU_ASSERT_EQUAL_FATAL(signed_post(body, TEST_KEY, TEST_SECRET, TEST_AMZ_DATE, &req), 0);
	CU_ASSERT_EQUAL_FATAL(signed_post(body, TEST_KEY, TEST_SECRET, TEST_AMZ_DATE, &again), 0);
	CU_ASSERT_EQUAL(call_api(&api, &req, &xml), 200);
	free(xml);
	CU_ASSERT_EQUAL(call_api(&api, &again, &xml), 401);
	CU_ASSERT_EQUAL(xml_find(xml, "Code", got, sizeof(got)), 0);
	CU_ASSERT_STRING_EQUAL(got, "AuthFailure");
	free(xml);
	CU_ASSERT_EQUAL(st.nimages, 1);
	/* Reading twice is harmless and allowed. */
	for (int i = 0; i < 2; i++) {
		CU_ASSERT_EQUAL_FATAL(signed_post("Action=DescribeImages&Version=2016-11-15",
						  TEST_KEY, TEST_SECRET, TEST_AMZ_DATE, &req),
				      0);
		CU_ASSERT_EQUAL(call_api(&api, &req, &xml), 200);
		free(xml);
	}
	replay_free(&rc);
	api_state_close(&st);
	snprintf(body, sizeof(body), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(body), 0);
}

UNIT_SUITE(replay, NULL, NULL, UNIT_TEST(test_cache), UNIT_TEST(test_bounded),
	   UNIT_TEST(test_api_refuses_replayed_change));
