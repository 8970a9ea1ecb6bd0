// SPDX-License-Identifier: GPL-2.0
/* The credentials file: the SDKs' format, and refused when others may read it. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "toolstack/api/credentials.h"

static char path[64];

static void write_file(const char *text, mode_t mode)
{
	FILE *f;

	strcpy(path, "/tmp/api-creds-XXXXXX");
	close(mkstemp(path));
	f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	chmod(path, mode);
}

static const char good[] = "# keys\n[default]\naws_access_key_id = AKIDONE\n"
			   "aws_secret_access_key=secret/one+x\nregion = us-east-1\n\n"
			   "[ops]\n aws_access_key_id=AKIDTWO \naws_secret_access_key = two\n";

static void test_load(void)
{
	struct credentials c;
	char err[256], secret[128];

	write_file(good, 0600);
	CU_ASSERT_EQUAL_FATAL(credentials_load(path, &c, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(c.n, 2);
	CU_ASSERT_EQUAL(credentials_secret(&c, "AKIDONE", secret, sizeof(secret)), 0);
	CU_ASSERT_STRING_EQUAL(secret, "secret/one+x");
	CU_ASSERT_EQUAL(credentials_secret(&c, "AKIDTWO", secret, sizeof(secret)), 0);
	CU_ASSERT_STRING_EQUAL(secret, "two");
	CU_ASSERT_EQUAL(credentials_secret(&c, "AKIDTHREE", secret, sizeof(secret)), -ENOENT);
	credentials_free(&c);
	unlink(path);
}

static void test_permissions(void)
{
	static const mode_t bad[] = { 0640, 0604, 0660, 0606, 0610 };
	struct credentials c;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file(good, bad[i]);
		CU_ASSERT_EQUAL(credentials_load(path, &c, err, sizeof(err)), -EPERM);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "chmod 600"));
		unlink(path);
	}
	write_file(good, 0400);
	CU_ASSERT_EQUAL(credentials_load(path, &c, err, sizeof(err)), 0);
	credentials_free(&c);
	unlink(path);
	CU_ASSERT_EQUAL(credentials_load("/nonexistent/creds", &c, err, sizeof(err)), -ENOENT);
}

static void test_malformed(void)
{
	static const char *const bad[] = {
		"",
		"aws_access_key_id = x\n",
		"[a]\naws_access_key_id = x\n",
		"[a]\naws_secret_access_key = x\n[b]\naws_access_key_id = y\n"
		"aws_secret_access_key = z\n",
		"[a]\njunk\n",
	};
	struct credentials c;
	char err[256];

	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		write_file(bad[i], 0600);
		CU_ASSERT_EQUAL(credentials_load(path, &c, err, sizeof(err)), -EINVAL);
		unlink(path);
	}
}

UNIT_SUITE(credentials, NULL, NULL, UNIT_TEST(test_load), UNIT_TEST(test_permissions),
	   UNIT_TEST(test_malformed));
