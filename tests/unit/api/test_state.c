// SPDX-License-Identifier: GPL-2.0
/*
 * The API's state on disk: images and instances (with tags) written, read back by a
 * fresh open as they were; a damaged record stops the start instead of vanishing;
 * clone_file gives an identical copy.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "toolstack/api/api_state.h"
#include "toolstack/api/instance_run.h"

static char dir[] = "/tmp/api-state-XXXXXX";

static void rm_rf(const char *path)
{
	char cmd[128];

	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", path);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

static void test_persist(void)
{
	struct api_state st;
	struct image *im = calloc(1, sizeof(*im));
	struct instance *in = calloc(1, sizeof(*in));
	char err[256];

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL_FATAL(api_state_open(&st, dir, err, sizeof(err)), 0);
	strcpy(im->id, "ami-0123456789abcdef0");
	strcpy(im->name, "web image");
	strcpy(im->kernel, "/boot/vmlinuz");
	strcpy(im->virtualization, "hvm");
	tags_set(&im->tags, "os", "debian 12");
	CU_ASSERT_EQUAL(image_save(&st, im), 0);
	CU_ASSERT_EQUAL(image_add(&st, im), 0);
	strcpy(in->id, "i-0123456789abcdef0");
	strcpy(in->image_id, im->id);
	strcpy(in->type, "c5.large");
	in->state = STATE_STOPPED;
	in->memory_mib = 4096;
	in->vcpus = 2;
	in->launch_time = 1764374400;
	strcpy(in->reason, "Client.UserInitiatedShutdown: User initiated shutdown");
	tags_set(&in->tags, "Name", "web=1");
	tags_set(&in->tags, "empty", "");
	CU_ASSERT_EQUAL(instance_save(&st, in), 0);
	CU_ASSERT_EQUAL(instance_add(&st, in), 0);
	api_state_close(&st);

	CU_ASSERT_EQUAL_FATAL(api_state_open(&st, dir, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(st.nimages, 1);
	CU_ASSERT_EQUAL_FATAL(st.ninstances, 1);
	im = image_find(&st, "ami-0123456789abcdef0");
	CU_ASSERT_PTR_NOT_NULL_FATAL(im);
	CU_ASSERT_STRING_EQUAL(im->name, "web image");
	CU_ASSERT_STRING_EQUAL(tags_get(&im->tags, "os"), "debian 12");
	in = instance_find(&st, "i-0123456789abcdef0");
	CU_ASSERT_PTR_NOT_NULL_FATAL(in);
	CU_ASSERT_EQUAL(in->state, STATE_STOPPED);
	CU_ASSERT_EQUAL(in->memory_mib, 4096);
	CU_ASSERT_EQUAL(in->launch_time, 1764374400);
	CU_ASSERT_STRING_EQUAL(in->reason, "Client.UserInitiatedShutdown: User initiated shutdown");
	CU_ASSERT_EQUAL(in->tags.n, 2);
	CU_ASSERT_STRING_EQUAL(tags_get(&in->tags, "Name"), "web=1");
	CU_ASSERT_STRING_EQUAL(tags_get(&in->tags, "empty"), "");
	CU_ASSERT_EQUAL(image_remove(&st, "ami-0123456789abcdef0"), 0);
	CU_ASSERT_EQUAL(image_remove(&st, "ami-0123456789abcdef0"), -ENOENT);
	api_state_close(&st);
	CU_ASSERT_EQUAL_FATAL(api_state_open(&st, dir, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(st.nimages, 0);
	api_state_close(&st);
}

static void test_damaged_record(void)
{
	char path[128], err[256];
	struct api_state st;
	FILE *f;

	snprintf(path, sizeof(path), "%s/instances/i-0123456789abcdef0/record", dir);
	f = fopen(path, "w");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	fputs("id=i-0123456789abcdef0\nthis line is damaged\n", f);
	fclose(f);
	CU_ASSERT_EQUAL(api_state_open(&st, dir, err, sizeof(err)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "i-0123456789abcdef0"));
	rm_rf(dir);
}

static void test_tags_limits(void)
{
	struct tags t = { 0 };
	char key[140];

	for (int i = 0; i < TAGS_MAX; i++) {
		snprintf(key, sizeof(key), "k%d", i);
		CU_ASSERT_EQUAL(tags_set(&t, key, "v"), 0);
	}
	CU_ASSERT_EQUAL(tags_set(&t, "one-too-many", "v"), -E2BIG);
	CU_ASSERT_EQUAL(tags_set(&t, "k3", "replaced"), 0);
	CU_ASSERT_STRING_EQUAL(tags_get(&t, "k3"), "replaced");
	tags_delete(&t, "k3", "other");
	CU_ASSERT_PTR_NOT_NULL(tags_get(&t, "k3"));
	tags_delete(&t, "k3", NULL);
	CU_ASSERT_PTR_NULL(tags_get(&t, "k3"));
	memset(key, 'k', 129);
	key[129] = 0;
	CU_ASSERT_EQUAL(tags_set(&t, key, "v"), -EINVAL);
	CU_ASSERT_EQUAL(tags_set(&t, "", "v"), -EINVAL);
}

static void test_clone_file(void)
{
	char src[] = "/tmp/api-clone-XXXXXX", dst[64], buf[8192], back[8192];
	FILE *f;

	close(mkstemp(src));
	for (size_t i = 0; i < sizeof(buf); i++)
		buf[i] = i < 4096 ? 0 : (char)(i * 7);
	f = fopen(src, "w");
	fwrite(buf, 1, sizeof(buf), f);
	fclose(f);
	snprintf(dst, sizeof(dst), "%s.copy", src);
	CU_ASSERT_EQUAL(clone_file(src, dst), 0);
	f = fopen(dst, "r");
	CU_ASSERT_PTR_NOT_NULL_FATAL(f);
	CU_ASSERT_EQUAL(fread(back, 1, sizeof(back) + 1, f), sizeof(buf));
	fclose(f);
	CU_ASSERT_EQUAL(memcmp(buf, back, sizeof(buf)), 0);
	CU_ASSERT_EQUAL(clone_file("/nonexistent/disk", dst), -ENOENT);
	unlink(src);
	unlink(dst);
}

UNIT_SUITE(api_state, NULL, NULL, UNIT_TEST(test_persist), UNIT_TEST(test_damaged_record),
	   UNIT_TEST(test_tags_limits), UNIT_TEST(test_clone_file));
