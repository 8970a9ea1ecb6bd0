// SPDX-License-Identifier: GPL-2.0
/*
 * What --kernel takes: plain ELF, and bzImages around a PVH ELF (raw, gzip, xz, zstd)
 * built as Linux's build lays them out, loaded into guest RAM; then every way such an
 * image can be wrong, each with the error that names it. Debian's own kernels, when
 * `make deps` has unpacked them under build/host/kernels, are unwrapped and loaded too.
 */
#include <elf.h>
#include <errno.h>
#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <fcntl.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "tests/unit/vmm/bzimage_builder.h"
#include "tests/unit/vmm/elf_builder.h"
#include "kimage/kernel_image.h"
#include "vmm/pvh_elf.h"

#define RAM (16ULL << 20)

static char err[256];

/* A kernel-like PVH ELF: text, then data with bss, entry inside the text. */
static uint8_t *kernel_elf(size_t *len, bool with_note)
{
	struct eb_spec s = {
		.nr_segments = 2,
		.segs = { { 0x100000, 0x3000, 0x3000, 0xaa }, { 0x200000, 0x800, 0x4000, 0xbb } },
		.entry = 0x100040,
		.no_note = !with_note,
	};
	return eb_build(&s, len);
}

/* Unwraps `img`, parses and loads the ELF; checks the loaded bytes. */
static void check_loads(const uint8_t *img, size_t len, const char *format)
{
	struct kernel_elf k;
	struct pvh_image pi;
	struct guest_mem mem;
	size_t elf_len;
	uint8_t *elf = kernel_elf(&elf_len, true);
	uint8_t *p;

	CU_ASSERT_EQUAL_FATAL(kernel_elf_find(img, len, RAM, &k, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(k.format, format);
	CU_ASSERT_EQUAL(k.len, elf_len);
	CU_ASSERT(k.len == elf_len && !memcmp(k.data, elf, elf_len));
	CU_ASSERT_EQUAL_FATAL(pvh_parse(k.data, k.len, &pi, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(pi.entry, 0x100040);
	CU_ASSERT_EQUAL(pi.nr_segments, 2);
	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, RAM), 0);
	CU_ASSERT_EQUAL(pvh_load(&pi, k.data, &mem, err, sizeof(err)), 0);
	p = guest_mem_ptr(&mem, 0x100000, 0x3000);
	CU_ASSERT(p[0] == 0xaa && p[0x2fff] == 0xaa);
	p = guest_mem_ptr(&mem, 0x200000, 0x4000);
	CU_ASSERT(p[0] == 0xbb && p[0x7ff] == 0xbb && p[0x800] == 0 && p[0x3fff] == 0);
	guest_mem_destroy(&mem);
	kernel_elf_release(&k);
	CU_ASSERT_PTR_NULL(k.owned);
	free(elf);
}

static void check_format(enum bzb_comp c, const char *format)
{
	size_t elf_len, len;
	uint8_t *elf = kernel_elf(&elf_len, true);
	uint8_t *img = bzb_build(c, elf, elf_len, &len);

	CU_ASSERT_PTR_NOT_NULL_FATAL(img);
	check_loads(img, len, format);
	free(img);
	free(elf);
}

static void test_plain_elf(void)
{
	size_t len;
	uint8_t *elf = kernel_elf(&len, true);
	struct kernel_elf k;

	check_loads(elf, len, "ELF");
	/* A plain ELF is used where it lies: no copy. */
	CU_ASSERT_EQUAL(kernel_elf_find(elf, len, RAM, &k, err, sizeof(err)), 0);
	CU_ASSERT_PTR_EQUAL(k.data, elf);
	CU_ASSERT_PTR_NULL(k.owned);
	free(elf);
}

static void test_bzimage_raw(void)
{
	check_format(BZB_RAW, "bzImage, uncompressed payload");
}

static void test_bzimage_gzip(void)
{
	check_format(BZB_GZIP, "bzImage, gzip payload");
}

static void test_bzimage_xz(void)
{
	check_format(BZB_XZ, "bzImage, xz payload");
}

static void test_bzimage_zstd(void)
{
	check_format(BZB_ZSTD, "bzImage, zstd payload");
}

/* kernel_elf_find on a bzImage of `payload`; returns its code, the message in err. */
static int find_wrapped(const uint8_t *payload, size_t payload_len, uint64_t max)
{
	struct kernel_elf k;
	size_t len;
	uint8_t *img = bzb_wrap(payload, payload_len, &len);
	int rc = kernel_elf_find(img, len, max, &k, err, sizeof(err));

	if (!rc)
		kernel_elf_release(&k);
	free(img);
	return rc;
}

static void test_bad_setup_header(void)
{
	size_t elf_len, len;
	uint8_t *elf = kernel_elf(&elf_len, true);
	uint8_t *img = bzb_build(BZB_GZIP, elf, elf_len, &len);
	struct kernel_elf k;
	uint32_t big;

	/* No ELF magic and no "HdrS". */
	img[0x203] = 'x';
	CU_ASSERT_EQUAL(kernel_elf_find(img, len, RAM, &k, err, sizeof(err)), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "not an ELF file nor a Linux bzImage"));
	img[0x203] = 'd';
	/* Cut inside the setup header, after its magic. */
	CU_ASSERT_EQUAL(kernel_elf_find(img, 0x220, RAM, &k, err, sizeof(err)), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "truncated bzImage"));
	/* Protocol 2.07 has no payload fields. */
	img[BZB_VERSION_AT] = 0x07;
	CU_ASSERT_EQUAL(kernel_elf_find(img, len, RAM, &k, err, sizeof(err)), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "protocol 2.07 is too old"));
	img[BZB_VERSION_AT] = 0x0f;
	/* The file ends inside the payload. */
	CU_ASSERT_EQUAL(kernel_elf_find(img, BZB_PAYLOAD_START + 10, RAM, &k, err, sizeof(err)),
			-ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "lies outside the file"));
	/* A payload length that wraps past the end of the address space. */
	big = 0xfffffff0;
	memcpy(img + BZB_PAYLOAD_LENGTH_AT, &big, sizeof(big));
	CU_ASSERT_EQUAL(kernel_elf_find(img, len, RAM, &k, err, sizeof(err)), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "lies outside the file"));
	free(img);
	free(elf);
}

static void test_other_compressors_named(void)
{
	static const struct {
		const char *name;
		uint8_t magic[8];
	} others[] = {
		{ "bzip2", { 'B', 'Z', 'h', '9', 0x31, 0x41, 0x59, 0x26 } },
		{ "lzma", { 0x5d, 0, 0, 0x80, 0, 0xff, 0xff, 0xff } },
		{ "lzo", { 0x89, 'L', 'Z', 'O', 0, 0x0d, 0x0a, 0x1a } },
		{ "lz4", { 0x02, 0x21, 0x4c, 0x18, 0x12, 0x34, 0x56, 0x78 } },
	};
	uint8_t junk[64] = { 0x42, 0x42 };

	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		uint8_t payload[64] = { 0 };
		char want[64];

		memcpy(payload, others[i].magic, sizeof(others[i].magic));
		CU_ASSERT_EQUAL(find_wrapped(payload, sizeof(payload), RAM), -ENOEXEC);
		snprintf(want, sizeof(want), "payload is %s-compressed", others[i].name);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
	}
	CU_ASSERT_EQUAL(find_wrapped(junk, sizeof(junk), RAM), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "neither ELF nor in a known compressed format"));
}

/* Each compressor: a corrupt stream, a truncated one, wrong recorded sizes, too big. */
static void check_broken_streams(enum bzb_comp c, const char *name)
{
	size_t elf_len, plen;
	uint8_t *elf = kernel_elf(&elf_len, true);
	uint8_t *payload = bzb_compress(c, elf, elf_len, &plen);
	uint8_t *copy = malloc(plen);
	uint32_t size;
	char want[64];

	snprintf(want, sizeof(want), "%s decompression failed: ", name);
	/* Bytes flipped in the middle of the stream. */
	memcpy(copy, payload, plen);
	for (size_t i = plen / 3; i < plen / 3 + 8; i++)
		copy[i] ^= 0x5a;
	CU_ASSERT_EQUAL(find_wrapped(copy, plen, RAM), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
	/* The stream cut in half, the recorded size kept at the end. */
	memcpy(copy, payload, plen / 2);
	memcpy(copy + plen / 2, payload + plen - 4, 4);
	CU_ASSERT_EQUAL(find_wrapped(copy, plen / 2 + 4, RAM), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, want));
	/* A recorded size smaller than the stream's output: never written past. */
	memcpy(copy, payload, plen);
	size = (uint32_t)elf_len - 100;
	memcpy(copy + plen - 4, &size, 4);
	CU_ASSERT_EQUAL(find_wrapped(copy, plen, RAM), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "exceeds the recorded size"));
	/* A recorded size larger than the output (xz, zstd; gzip's is its own ISIZE). */
	if (c != BZB_GZIP) {
		size = (uint32_t)elf_len + 100;
		memcpy(copy + plen - 4, &size, 4);
		CU_ASSERT_EQUAL(find_wrapped(copy, plen, RAM), -ENOEXEC);
		CU_ASSERT_PTR_NOT_NULL(strstr(err, "bytes produced"));
	}
	/* A size beyond the guest's RAM is refused before any allocation. */
	size = 0xfffff000;
	memcpy(copy + plen - 4, &size, 4);
	CU_ASSERT_EQUAL(find_wrapped(copy, plen, RAM), -E2BIG);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "does not fit in guest RAM (16 MiB)"));
	free(copy);
	free(payload);
	free(elf);
}

static void test_broken_gzip(void)
{
	check_broken_streams(BZB_GZIP, "gzip");
}

static void test_broken_xz(void)
{
	check_broken_streams(BZB_XZ, "xz");
}

static void test_broken_zstd(void)
{
	check_broken_streams(BZB_ZSTD, "zstd");
}

static void test_payload_not_elf_or_no_note(void)
{
	size_t elf_len, plen;
	uint8_t *elf = kernel_elf(&elf_len, true);
	uint8_t *payload;
	struct kernel_elf k;
	struct pvh_image pi;
	size_t len;
	uint8_t *img;

	elf[1] = 'X'; /* "\177XLF" */
	payload = bzb_compress(BZB_ZSTD, elf, elf_len, &plen);
	CU_ASSERT_EQUAL(find_wrapped(payload, plen, RAM), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "decompressed zstd payload is not an ELF file"));
	free(payload);
	free(elf);

	/* An ELF without the PVH note unwraps, and the ELF loader names what is missing. */
	elf = kernel_elf(&elf_len, false);
	img = bzb_build(BZB_XZ, elf, elf_len, &len);
	CU_ASSERT_EQUAL_FATAL(kernel_elf_find(img, len, RAM, &k, err, sizeof(err)), 0);
	CU_ASSERT_EQUAL(pvh_parse(k.data, k.len, &pi, err, sizeof(err)), -ENOEXEC);
	CU_ASSERT_PTR_NOT_NULL(strstr(err, "XEN_ELFNOTE_PHYS32_ENTRY"));
	kernel_elf_release(&k);
	free(img);
	free(elf);
}

/* Reads the value of CONFIG_NAME from a kernel config file into val (without quotes). */
static bool config_value(const char *config, const char *name, char *val, size_t len)
{
	FILE *f = fopen(config, "r");
	char line[256];
	size_t n = strlen(name);
	bool found = false;

	while (f && !found && fgets(line, sizeof(line), f)) {
		if (strncmp(line, name, n) || line[n] != '=')
			continue;
		snprintf(val, len, "%s", line + n + 1);
		val[strcspn(val, "\n")] = 0;
		found = true;
	}
	if (f)
		fclose(f);
	return found;
}

static const char *config_format(const char *config)
{
	char v[32];

	if (config_value(config, "CONFIG_KERNEL_ZSTD", v, sizeof(v)))
		return "bzImage, zstd payload";
	if (config_value(config, "CONFIG_KERNEL_XZ", v, sizeof(v)))
		return "bzImage, xz payload";
	if (config_value(config, "CONFIG_KERNEL_GZIP", v, sizeof(v)))
		return "bzImage, gzip payload";
	return "?";
}

/*
 * Debian's kernel as `make deps` unpacks it (build/host/kernels/SERIES/, see tests/host/).
 * Expectations come from the package's own config: its compressor, CONFIG_PHYSICAL_START
 * as the lowest load address, and the first instruction of pvh_start_xen (a `cld`, in
 * arch/x86/platform/pvh/head.S of 6.1 and 6.12) at the entry the note names.
 */
static void check_debian_kernel(const char *series)
{
	char pattern[128], config[512], start[32];
	struct kernel_elf k;
	struct pvh_image pi;
	struct guest_mem mem;
	struct stat st;
	glob_t g;
	uint8_t *file, *p;
	int fd;

	snprintf(pattern, sizeof(pattern), "build/host/kernels/%s/boot/vmlinuz-*", series);
	if (glob(pattern, 0, NULL, &g) || g.gl_pathc != 1) {
		unit_skip("Debian's %s kernel is not unpacked under build/host/kernels "
			  "(make deps)",
			  series);
		globfree(&g);
		return;
	}
	snprintf(config, sizeof(config), "build/host/kernels/%s/boot/config-%s", series,
		 strstr(g.gl_pathv[0], "/vmlinuz-") + 9);
	fd = open(g.gl_pathv[0], O_RDONLY);
	CU_ASSERT_FATAL(fd >= 0 && fstat(fd, &st) == 0);
	file = mmap(NULL, st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	CU_ASSERT_FATAL(file != MAP_FAILED);
	CU_ASSERT_EQUAL_FATAL(guest_mem_init(&mem, 256ULL << 20), 0);
	CU_ASSERT_EQUAL_FATAL(
		kernel_elf_find(file, st.st_size, mem.ram_bytes, &k, err, sizeof(err)), 0);
	CU_ASSERT_STRING_EQUAL(k.format, config_format(config));
	CU_ASSERT_EQUAL_FATAL(pvh_parse(k.data, k.len, &pi, err, sizeof(err)), 0);
	CU_ASSERT_TRUE(pi.is_64);
	CU_ASSERT_TRUE(config_value(config, "CONFIG_PHYSICAL_START", start, sizeof(start)));
	CU_ASSERT_EQUAL(pi.lowest, strtoull(start, NULL, 0));
	CU_ASSERT(pi.nr_segments >= 3 && pi.end > pi.lowest + (16 << 20));
	CU_ASSERT_EQUAL_FATAL(pvh_load(&pi, k.data, &mem, err, sizeof(err)), 0);
	p = guest_mem_ptr(&mem, pi.entry, 1);
	CU_ASSERT(p && p[0] == 0xfc);
	guest_mem_destroy(&mem);
	kernel_elf_release(&k);
	munmap(file, st.st_size);
	globfree(&g);
}

static void test_debian_6_12(void)
{
	check_debian_kernel("6.12");
}

static void test_debian_6_1(void)
{
	check_debian_kernel("6.1");
}

UNIT_SUITE(kernel_image, NULL, NULL, UNIT_TEST(test_plain_elf), UNIT_TEST(test_bzimage_raw),
	   UNIT_TEST(test_bzimage_gzip), UNIT_TEST(test_bzimage_xz), UNIT_TEST(test_bzimage_zstd),
	   UNIT_TEST(test_bad_setup_header), UNIT_TEST(test_other_compressors_named),
	   UNIT_TEST(test_broken_gzip), UNIT_TEST(test_broken_xz), UNIT_TEST(test_broken_zstd),
	   UNIT_TEST(test_payload_not_elf_or_no_note), UNIT_TEST(test_debian_6_12),
	   UNIT_TEST(test_debian_6_1));
