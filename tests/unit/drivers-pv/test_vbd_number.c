// SPDX-License-Identifier: GPL-2.0
/*
 * Disk names to virtual-device numbers, the values of Xen's xen-vbd-interface(7): xvd
 * disks on major 202 with 16 minors each up to xvdp15, the extended form (1 << 28) beyond,
 * hd on the IDE majors 3 and 22, sd on major 8, the dNpM form, and plain numbers.
 */
#include <errno.h>

#include "tests/unit/unit.h"
#include "xenkvm/devices.h"

static unsigned int num(const char *vdev)
{
	unsigned int devid = 0xdeadbeef;

	CU_ASSERT_EQUAL(xenkvm_vbd_number(vdev, &devid), 0);
	return devid;
}

static void test_xvd(void)
{
	CU_ASSERT_EQUAL(num("xvda"), 51712);
	CU_ASSERT_EQUAL(num("xvda1"), 51713);
	CU_ASSERT_EQUAL(num("xvdb"), 51728);
	CU_ASSERT_EQUAL(num("xvdp15"), 51967);
	CU_ASSERT_EQUAL(num("xvdq"), (1u << 28) | (16u << 8));
	CU_ASSERT_EQUAL(num("xvda16"), (1u << 28) | 16u);
	CU_ASSERT_EQUAL(num("xvdaa"), (1u << 28) | (26u << 8));
	CU_ASSERT_EQUAL(num("d0p1"), 51713);
	CU_ASSERT_EQUAL(num("d16p0"), (1u << 28) | (16u << 8));
}

static void test_emulated_names(void)
{
	CU_ASSERT_EQUAL(num("hda"), 3u << 8);
	CU_ASSERT_EQUAL(num("hdb"), (3u << 8) | 64);
	CU_ASSERT_EQUAL(num("hdc"), 22u << 8);
	CU_ASSERT_EQUAL(num("hdd2"), (22u << 8) | 64 | 2);
	CU_ASSERT_EQUAL(num("sda"), 8u << 8);
	CU_ASSERT_EQUAL(num("sdb3"), (8u << 8) | 16 | 3);
	CU_ASSERT_EQUAL(num("51712"), 51712);
	CU_ASSERT_EQUAL(num("0x100"), 256);
}

static void test_refused(void)
{
	static const char *const bad[] = { "",	  "xvd", "xvdA",   "xvda0", "xvda256",
					   "hde", "sdq", "sda16",  "d1p",   "d01p1",
					   "vda", "-1",	 "xvda-1", "12x" };
	unsigned int devid;

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		CU_ASSERT_EQUAL(xenkvm_vbd_number(bad[i], &devid), -EINVAL);
}

UNIT_SUITE(vbd_number, NULL, NULL, UNIT_TEST(test_xvd), UNIT_TEST(test_emulated_names),
	   UNIT_TEST(test_refused));
