// SPDX-License-Identifier: GPL-2.0
/*
 * The kernel's kind as Xen's domain builders decide it (xen/include/public/elfnote.h):
 * the PHYS32_ENTRY note means PVH; ENTRY or HYPERCALL_PAGE alone means PV (the shim);
 * no Xen note, not an ELF, or a broken bzImage is refused with the reason. Kernels are
 * built with the loader tests' ELF and bzImage builders, and Debian's own when
 * `make deps` unpacked them (both carry PVH and PV notes: CONFIG_XEN_PVH, CONFIG_XEN_PV).
 */
#include <errno.h>
#include <glob.h>
#include <stdlib.h>
#include <string.h>

#include <xen/elfnote.h>

#include "tests/unit/image/image_fixture.h"
#include "tests/unit/unit.h"
#include "tests/unit/vmm/bzimage_builder.h"
#include "tests/unit/vmm/elf_builder.h"
#include "toolstack/image/kernel_kind.h"

static char err[512];

static uint8_t *elf_with(uint32_t note_type, bool no_note, bool elf32, size_t *len)
{
	struct eb_spec s = {
		.elf32 = elf32,
		.nr_segments = 1,
		.segs = { { 0x100000, 0x1000, 0x2000, 0x90 } },
		.no_note = no_note,
		.entry = 0x100000,
		.note_type = note_type,
	};

	return eb_build(&s, len);
}

static void test_pvh(void)
{
	struct img_kernel_info ki;
	size_t len;
	uint8_t *k = elf_with(XEN_ELFNOTE_PHYS32_ENTRY, false, false, &len);

	CU_ASSERT_EQUAL(img_kernel_kind(k, len, 64 << 20, &ki, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(ki.kind, IMG_KERNEL_PVH);
	CU_ASSERT_STRING_EQUAL(ki.format, "ELF");
	CU_ASSERT(ki.is_64);
	CU_ASSERT_FALSE(ki.pv_notes);
	free(k);
}

static void test_pv_only(void)
{
	static const uint32_t pv_notes[] = { XEN_ELFNOTE_ENTRY, XEN_ELFNOTE_HYPERCALL_PAGE };
	struct img_kernel_info ki;
	size_t len, blen;

	for (size_t i = 0; i < 2; i++) {
		uint8_t *k = elf_with(pv_notes[i], false, i == 1, &len), *bz;

		CU_ASSERT_EQUAL(img_kernel_kind(k, len, 64 << 20, &ki, err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(ki.kind, IMG_KERNEL_PV);
		CU_ASSERT(ki.pv_notes);
		CU_ASSERT_EQUAL(ki.is_64, i == 0);
		/* The same kernel inside a gzip bzImage. */
		bz = bzb_build(BZB_GZIP, k, len, &blen);
		CU_ASSERT_EQUAL(img_kernel_kind(bz, blen, 64 << 20, &ki, err, sizeof(err)), 0);
		CU_ASSERT_EQUAL(ki.kind, IMG_KERNEL_PV);
		CU_ASSERT_STRING_EQUAL(ki.format, "bzImage, gzip payload");
		free(bz);
		free(k);
	}
}

static void test_refused(void)
{
	struct img_kernel_info ki;
	size_t len, blen;
	uint8_t *k = elf_with(0, true, false, &len), *bz;
	static const uint8_t junk[600] = "MZ not a kernel";

	CU_ASSERT_EQUAL(img_kernel_kind(k, len, 64 << 20, &ki, err, sizeof(err)), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "has no Xen ELF notes"));
	CU_ASSERT_EQUAL(img_kernel_kind(junk, sizeof(junk), 64 << 20, &ki, err, sizeof(err)),
			-ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "not an ELF file nor a Linux bzImage"));
	/* A payload bigger than allowed is not decompressed. */
	bz = bzb_build(BZB_ZSTD, k, len, &blen);
	CU_ASSERT_EQUAL(img_kernel_kind(bz, blen, 16, &ki, err, sizeof(err)), -E2BIG);
	free(bz);
	/* A truncated bzImage. */
	bz = bzb_build(BZB_XZ, k, len, &blen);
	CU_ASSERT_EQUAL(img_kernel_kind(bz, 700, 64 << 20, &ki, err, sizeof(err)), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "kernel: bzImage payload"));
	free(bz);
	free(k);
}

static void check_debian(const char *series)
{
	char pattern[128];
	struct img_kernel_info ki;
	glob_t g;
	size_t len;
	uint8_t *k;

	snprintf(pattern, sizeof(pattern), "build/host/kernels/%s/boot/vmlinuz-*", series);
	if (glob(pattern, 0, NULL, &g) || g.gl_pathc < 1) {
		unit_skip("Debian's %s kernel is not unpacked under build/host/kernels (make deps)",
			  series);
		return;
	}
	k = img_fixture_slurp(g.gl_pathv[0], &len);
	globfree(&g);
	CU_ASSERT_PTR_NOT_NULL_FATAL(k);
	CU_ASSERT_EQUAL(img_kernel_kind(k, len, 256 << 20, &ki, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(ki.kind, IMG_KERNEL_PVH);
	CU_ASSERT(ki.pv_notes);
	CU_ASSERT_STRING_EQUAL(ki.guest_os, "linux");
	CU_ASSERT_PTR_NOT_NULL(strstr(ki.format, "bzImage"));
	free(k);
}

static void test_debian_6_1(void)
{
	check_debian("6.1");
}

static void test_debian_6_12(void)
{
	check_debian("6.12");
}

UNIT_SUITE(kernel_kind, NULL, NULL, UNIT_TEST(test_pvh), UNIT_TEST(test_pv_only),
	   UNIT_TEST(test_refused), UNIT_TEST(test_debian_6_1), UNIT_TEST(test_debian_6_12));
