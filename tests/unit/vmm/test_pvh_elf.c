// SPDX-License-Identifier: GPL-2.0
/* The PVH ELF loader against good and malformed images. */
#include <elf.h>
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/elfnote.h>

#include "tests/unit/unit.h"
#include "tests/unit/vmm/elf_builder.h"
#include "vmm/pvh_elf.h"

static char err[256];

static struct eb_spec kernel_spec(void)
{
	struct eb_spec s = {
		.nr_segments = 2,
		.segs = { { 0x100000, 0x2000, 0x2000, 0xaa }, { 0x200000, 0x100, 0x3000, 0xbb } },
		.entry = 0x100040,
	};
	return s;
}

static int parse_spec(const struct eb_spec *s, struct pvh_image *pi)
{
	size_t len;
	uint8_t *img = eb_build(s, &len);
	int rc = pvh_parse(img, len, pi, err, sizeof(err));

	free(img);
	return rc;
}

static void test_good_elf64(void)
{
	struct eb_spec s = kernel_spec();
	struct pvh_image pi;

	CU_ASSERT_EQUAL_FATAL(parse_spec(&s, &pi), 0);
	CU_ASSERT_TRUE(pi.is_64);
	CU_ASSERT_EQUAL(pi.entry, 0x100040);
	CU_ASSERT_EQUAL(pi.nr_segments, 2);
	CU_ASSERT_EQUAL(pi.lowest, 0x100000);
	CU_ASSERT_EQUAL(pi.end, 0x203000);
}

static void test_good_elf32_and_8byte_note(void)
{
	struct eb_spec s = kernel_spec();
	struct pvh_image pi;

	s.elf32 = true;
	CU_ASSERT_EQUAL(parse_spec(&s, &pi), 0);
	CU_ASSERT_FALSE(pi.is_64);
	CU_ASSERT_EQUAL(pi.entry, 0x100040);
	s.elf32 = false;
	s.note_descsz = 8;
	CU_ASSERT_EQUAL(parse_spec(&s, &pi), 0);
	CU_ASSERT_EQUAL(pi.entry, 0x100040);
}

static void test_not_elf_and_truncated(void)
{
	struct eb_spec s = kernel_spec();
	struct pvh_image pi;
	uint8_t junk[64] = "#!/bin/sh\n";
	size_t len;
	uint8_t *img = eb_build(&s, &len);

	CU_ASSERT_EQUAL(pvh_parse(junk, sizeof(junk), &pi, err, sizeof(err)), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "not an ELF"));
	CU_ASSERT_EQUAL(pvh_parse(img, 0, &pi, err, sizeof(err)), -ENOEXEC);
	CU_ASSERT_EQUAL(pvh_parse(img, 20, &pi, err, sizeof(err)), -ENOEXEC);
	CU_ASSERT_EQUAL(pvh_parse(img, sizeof(Elf64_Ehdr) - 1, &pi, err, sizeof(err)), -ENOEXEC);
	/* Header complete, program headers cut off. */
	CU_ASSERT_EQUAL(pvh_parse(img, sizeof(Elf64_Ehdr) + 10, &pi, err, sizeof(err)), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "program headers"));
	/* Everything present but the last segment's bytes. */
	CU_ASSERT_EQUAL(pvh_parse(img, len - 1, &pi, err, sizeof(err)), -ENOEXEC);
	free(img);
}

static void test_wrong_machine_and_class(void)
{
	struct eb_spec s = kernel_spec();
	struct pvh_image pi;
	size_t len;
	uint8_t *img = eb_build(&s, &len);
	uint16_t aarch64 = EM_AARCH64;

	memcpy(img + offsetof(Elf64_Ehdr, e_machine), &aarch64, 2);
	CU_ASSERT_EQUAL(pvh_parse(img, len, &pi, err, sizeof(err)), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "machine"));
	img[EI_CLASS] = 7;
	CU_ASSERT_EQUAL(pvh_parse(img, len, &pi, err, sizeof(err)), -ENOEXEC);
	img[EI_CLASS] = ELFCLASS64;
	img[EI_DATA] = ELFDATA2MSB;
	CU_ASSERT_EQUAL(pvh_parse(img, len, &pi, err, sizeof(err)), -ENOEXEC);
	free(img);
}

/*
 * `objcopy -O elf32-x86-64` output: ELFCLASS32 with EM_X86_64. Xen's PVH builder loads it
 * as any ELF32 (32-bit addresses, entry from the PHYS32 note); so do we. Other machines
 * in an ELF32 are still refused.
 */
static void test_elf32_x86_64(void)
{
	struct eb_spec s = kernel_spec();
	struct pvh_image pi;
	size_t len;
	uint8_t *img;
	uint16_t machine = EM_X86_64;

	s.elf32 = true;
	s.entry = 0x100080;
	img = eb_build(&s, &len);
	memcpy(img + offsetof(Elf32_Ehdr, e_machine), &machine, 2);
	CU_ASSERT_EQUAL_FATAL(pvh_parse(img, len, &pi, err, sizeof(err)), 0);
	CU_ASSERT_FALSE(pi.is_64);
	CU_ASSERT_EQUAL(pi.entry, 0x100080);
	CU_ASSERT_EQUAL(pi.nr_segments, 2);
	CU_ASSERT_EQUAL(pi.lowest, 0x100000);
	CU_ASSERT_EQUAL(pi.end, 0x203000);
	machine = EM_ARM;
	memcpy(img + offsetof(Elf32_Ehdr, e_machine), &machine, 2);
	CU_ASSERT_EQUAL(pvh_parse(img, len, &pi, err, sizeof(err)), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "machine 40"));
	free(img);
}

static void test_missing_or_bad_note(void)
{
	struct eb_spec s = kernel_spec();
	struct pvh_image pi;

	s.no_note = true;
	CU_ASSERT_EQUAL(parse_spec(&s, &pi), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "XEN_ELFNOTE_PHYS32_ENTRY"));
	s = kernel_spec();
	s.note_type = XEN_ELFNOTE_ENTRY; /* a PV entry note is not a PVH entry */
	CU_ASSERT_EQUAL(parse_spec(&s, &pi), -ENOEXEC);
	s = kernel_spec();
	s.note_descsz = 2;
	CU_ASSERT_EQUAL(parse_spec(&s, &pi), -ENOEXEC);
	s = kernel_spec();
	s.note_descsz = 8;
	s.entry = 0x100000000ULL + 0x100040;
	CU_ASSERT_EQUAL(parse_spec(&s, &pi), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "above 4 GiB"));
}

static void test_note_past_segment(void)
{
	struct eb_spec s = kernel_spec();
	struct pvh_image pi;
	size_t len;
	uint8_t *img = eb_build(&s, &len);
	uint32_t huge = 0x7fffffff;
	/* The note's n_descsz is the second word of the note. */
	size_t note = eb_phdr_offset(&s, s.nr_segments + 1);

	memcpy(img + note + 4, &huge, 4);
	CU_ASSERT_EQUAL(pvh_parse(img, len, &pi, err, sizeof(err)), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "note"));
	free(img);
}

static void test_bad_segments(void)
{
	struct eb_spec s = kernel_spec();
	struct pvh_image pi;
	size_t len;
	uint8_t *img;
	Elf64_Phdr ph;

	s.segs[1].paddr = 0x101000; /* overlaps the first segment */
	CU_ASSERT_EQUAL(parse_spec(&s, &pi), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "overlap"));

	s = kernel_spec();
	img = eb_build(&s, &len);
	memcpy(&ph, img + eb_phdr_offset(&s, 0), sizeof(ph));
	ph.p_filesz = 1ULL << 62; /* huge p_filesz */
	ph.p_memsz = 1ULL << 62;
	memcpy(img + eb_phdr_offset(&s, 0), &ph, sizeof(ph));
	CU_ASSERT_EQUAL(pvh_parse(img, len, &pi, err, sizeof(err)), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "outside the file"));

	ph.p_filesz = 0x3000;
	ph.p_memsz = 0x2000; /* filesz > memsz */
	memcpy(img + eb_phdr_offset(&s, 0), &ph, sizeof(ph));
	CU_ASSERT_EQUAL(pvh_parse(img, len, &pi, err, sizeof(err)), -ENOEXEC);

	ph.p_filesz = 0x10;
	ph.p_memsz = 0x2000;
	ph.p_paddr = UINT64_MAX - 0xfff; /* wraps */
	memcpy(img + eb_phdr_offset(&s, 0), &ph, sizeof(ph));
	CU_ASSERT_EQUAL(pvh_parse(img, len, &pi, err, sizeof(err)), -ENOEXEC);

	ph.p_paddr = 0x100000;
	ph.p_offset = len + 0x1000; /* bytes beyond the end of the file */
	memcpy(img + eb_phdr_offset(&s, 0), &ph, sizeof(ph));
	CU_ASSERT_EQUAL(pvh_parse(img, len, &pi, err, sizeof(err)), -ENOEXEC);
	free(img);
}

static void test_entry_outside_segments(void)
{
	struct eb_spec s = kernel_spec();
	struct pvh_image pi;

	s.entry = 0x300000;
	CU_ASSERT_EQUAL(parse_spec(&s, &pi), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "entry"));
}

static void test_load(void)
{
	struct eb_spec s = kernel_spec();
	struct guest_mem mem;
	struct pvh_image pi;
	size_t len;
	uint8_t *img = eb_build(&s, &len);
	uint8_t *p;

	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, 16ULL << 20), 0);
	CU_ASSERT_EQUAL_FATAL(pvh_parse(img, len, &pi, err, sizeof(err)), 0);
	/* Dirty the bss area first: the loader must zero it. */
	memset(guest_mem_ptr(&mem, 0x200000, 0x3000), 0x55, 0x3000);
	CU_ASSERT_EQUAL_FATAL(pvh_load(&pi, img, &mem, err, sizeof(err)), 0);
	p = guest_mem_ptr(&mem, 0x100000, 0x2000);
	CU_ASSERT(p[0] == 0xaa && p[0x1fff] == 0xaa);
	p = guest_mem_ptr(&mem, 0x200000, 0x3000);
	CU_ASSERT(p[0] == 0xbb && p[0xff] == 0xbb && p[0x100] == 0 && p[0x2fff] == 0);
	guest_mem_destroy(&mem);

	/* The same image in 2 MiB of RAM: the second segment is beyond the end. */
	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, 2ULL << 20), 0);
	CU_ASSERT_EQUAL(pvh_load(&pi, img, &mem, err, sizeof(err)), -E2BIG);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "does not fit"));
	guest_mem_destroy(&mem);
	free(img);
}

static void test_load_into_hole(void)
{
	struct eb_spec s = kernel_spec();
	struct guest_mem mem;
	struct pvh_image pi;

	s.segs[0].paddr = (16ULL << 20) - 0x1000; /* runs from RAM past its end */
	s.entry = (16ULL << 20) - 0xff0;
	CU_ASSERT_EQUAL_FATAL(parse_spec(&s, &pi), 0);
	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, 16ULL << 20), 0);
	CU_ASSERT_EQUAL(pvh_load(&pi, NULL, &mem, err, sizeof(err)), -E2BIG);
	guest_mem_destroy(&mem);
}

UNIT_SUITE(pvh_elf, NULL, NULL, UNIT_TEST(test_good_elf64),
	   UNIT_TEST(test_good_elf32_and_8byte_note), UNIT_TEST(test_not_elf_and_truncated),
	   UNIT_TEST(test_wrong_machine_and_class), UNIT_TEST(test_elf32_x86_64),
	   UNIT_TEST(test_missing_or_bad_note), UNIT_TEST(test_note_past_segment),
	   UNIT_TEST(test_bad_segments), UNIT_TEST(test_entry_outside_segments),
	   UNIT_TEST(test_load), UNIT_TEST(test_load_into_hole));
