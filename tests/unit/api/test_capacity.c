// SPDX-License-Identifier: GPL-2.0
/*
 * Placement against the host's capacity: instances that hold resources (pending,
 * running, stopping, shutting-down) count, stopped and terminated ones do not; a launch
 * fits by whichever of vCPUs and memory runs out first; a type with more vCPUs than the
 * host has CPUs never fits; the default vCPU capacity is the CPUs times the overcommit.
 */
#include <stdlib.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "toolstack/api/capacity.h"

static struct instance placed[6];
static struct instance *table[6];

/* A host of 2 CPUs, 6 vCPUs and 1000 MiB of capacity, with six instances of 1 vCPU and
 * 100 MiB in every state EC2 has. */
static void host(struct api_state *st)
{
	static const enum instance_state states[6] = { STATE_PENDING,  STATE_RUNNING,
						       STATE_STOPPING, STATE_SHUTTING_DOWN,
						       STATE_STOPPED,  STATE_TERMINATED };

	*st = (struct api_state){ .instances = table,
				  .ninstances = 6,
				  .host_cpus = 2,
				  .host_memory_mib = 4096,
				  .vcpu_capacity = 6,
				  .memory_capacity_mib = 1000 };
	for (int i = 0; i < 6; i++) {
		placed[i] = (struct instance){ .state = states[i], .vcpus = 1, .memory_mib = 100 };
		table[i] = &placed[i];
	}
}

static void test_in_use(void)
{
	struct api_state st;
	struct capacity_use u;

	host(&st);
	u = capacity_in_use(&st);
	CU_ASSERT_EQUAL(u.vcpus, 4); /* pending, running, stopping, shutting-down */
	CU_ASSERT_EQUAL(u.mib, 400);
}

static void test_fits(void)
{
	struct instance_type one = { .vcpus = 1, .memory_mib = 100 };
	struct instance_type two = { .vcpus = 2, .memory_mib = 100 };
	struct instance_type fat = { .vcpus = 1, .memory_mib = 500 };
	struct instance_type wide = { .vcpus = 3, .memory_mib = 10 };
	struct api_state st;

	host(&st);
	CU_ASSERT_EQUAL(capacity_fits(&st, &one), 2); /* vCPUs: 6 - 4 */
	CU_ASSERT_EQUAL(capacity_fits(&st, &two), 1);
	CU_ASSERT_EQUAL(capacity_fits(&st, &fat), 1); /* memory: (1000 - 400) / 500 */
	CU_ASSERT_EQUAL(capacity_fits(&st, &wide), 0); /* more vCPUs than the host's CPUs */
	placed[4].state = STATE_RUNNING; /* a stopped instance started: one vCPU fewer */
	CU_ASSERT_EQUAL(capacity_fits(&st, &one), 1);
	placed[5].state = STATE_PENDING;
	CU_ASSERT_EQUAL(capacity_fits(&st, &one), 0);
	st.vcpu_capacity = 100; /* then memory decides */
	CU_ASSERT_EQUAL(capacity_fits(&st, &one), 4);
	CU_ASSERT_EQUAL(capacity_fits(&st, &fat), 0);
}

static void test_allows(void)
{
	struct api_state st;

	host(&st);
	CU_ASSERT_TRUE(capacity_allows(&st, (struct capacity_use){ 2, 600 }));
	CU_ASSERT_FALSE(capacity_allows(&st, (struct capacity_use){ 3, 100 }));
	CU_ASSERT_FALSE(capacity_allows(&st, (struct capacity_use){ 1, 601 }));
	CU_ASSERT_TRUE(capacity_allows(&st, (struct capacity_use){ 0, 0 }));
}

static void test_default(void)
{
	char dir[] = "/tmp/api-capacity-XXXXXX", err[256], cmd[64];
	struct api_state st;

	CU_ASSERT_PTR_NOT_NULL_FATAL(mkdtemp(dir));
	CU_ASSERT_EQUAL_FATAL(api_state_open(&st, dir, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(st.host_cpus, (unsigned)sysconf(_SC_NPROCESSORS_ONLN));
	CU_ASSERT_EQUAL(st.vcpu_capacity, st.host_cpus * VCPU_OVERCOMMIT);
	CU_ASSERT_EQUAL(st.memory_capacity_mib, st.host_memory_mib);
	api_state_close(&st);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	CU_ASSERT_EQUAL(system(cmd), 0);
}

UNIT_SUITE(capacity, NULL, NULL, UNIT_TEST(test_in_use), UNIT_TEST(test_fits),
	   UNIT_TEST(test_allows), UNIT_TEST(test_default));
