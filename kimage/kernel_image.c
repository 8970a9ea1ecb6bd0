// SPDX-License-Identifier: GPL-2.0
/*
 * bzImage unwrapping, following Linux's boot protocol (Documentation/arch/x86/boot.rst)
 * and what Xen's PVH domain builder does with it: the setup header at 0x1f1 (magic "HdrS",
 * protocol 2.08 or later for payload_offset/payload_length), the payload at
 * (setup_sects + 1) * 512 + payload_offset, its compressor from its magic, and its
 * decompressed size from its last 4 bytes (gzip's ISIZE, or the size Linux's build
 * appends after an xz or zstd stream: the same word Linux's own decompressor sizes by).
 */
#include <elf.h>
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <string.h>
#include <sys/mman.h>

#include <asm/bootparam.h>

#include "kimage/decompress.h"
#include "kimage/kimage_err.h"
#include "kimage/kernel_image.h"

#define SETUP_HDR_OFFSET offsetof(struct boot_params, hdr)
#define SETUP_HDR_END (offsetof(struct boot_params, hdr.payload_length) + sizeof(uint32_t))
#define SETUP_MAGIC 0x53726448 /* "HdrS" */
#define PROTOCOL_PAYLOAD 0x0208 /* first protocol version with payload_offset/_length */
#define SECTOR 512

static const char *const format_names[] = {
	[COMP_GZIP] = "bzImage, gzip payload",
	[COMP_XZ] = "bzImage, xz payload",
	[COMP_ZSTD] = "bzImage, zstd payload",
};

static bool is_elf(const uint8_t *p, size_t len)
{
	return len >= SELFMAG && !memcmp(p, ELFMAG, SELFMAG);
}

static bool has_setup_magic(const uint8_t *file, size_t len)
{
	uint32_t magic;

	if (len < offsetof(struct boot_params, hdr.header) + sizeof(magic))
		return false;
	memcpy(&magic, file + offsetof(struct boot_params, hdr.header), sizeof(magic));
	return magic == SETUP_MAGIC;
}

/* Finds the payload through the setup header; checks it lies inside the file. */
static int find_payload(const uint8_t *file, size_t len, const uint8_t **payload,
			size_t *payload_len, char *err, size_t errlen)
{
	struct setup_header h;
	uint64_t setup_sects, start;

	if (len < SETUP_HDR_END)
		return kimage_err(err, errlen, -ENOEXEC,
				  "truncated bzImage: %zu bytes, the setup "
				  "header alone needs %zu",
				  len, (size_t)SETUP_HDR_END);
	memcpy(&h, file + SETUP_HDR_OFFSET, SETUP_HDR_END - SETUP_HDR_OFFSET);
	if (h.version < PROTOCOL_PAYLOAD)
		return kimage_err(err, errlen, -ENOEXEC,
				  "bzImage boot protocol %u.%02u is too old (2.08 or later names "
				  "the payload)",
				  h.version >> 8, h.version & 0xff);
	/* The boot protocol: a setup_sects of 0 means 4. */
	setup_sects = h.setup_sects ? h.setup_sects : 4;
	start = (setup_sects + 1) * SECTOR + h.payload_offset;
	if (start > len || h.payload_length > len - start)
		return kimage_err(err, errlen, -ENOEXEC,
				  "bzImage payload (%u bytes at offset %llu) lies outside the file "
				  "(%zu bytes)",
				  h.payload_length, (unsigned long long)start, len);
	*payload = file + start;
	*payload_len = h.payload_length;
	return 0;
}

static int unpack(enum compression c, const uint8_t *in, size_t in_len, uint64_t max_elf,
		  struct kernel_elf *k, char *err, size_t errlen)
{
	uint32_t out_len;
	void *buf;
	int rc;

	if (in_len < 8)
		return kimage_err(err, errlen, -ENOEXEC, "%s payload of %zu bytes is truncated",
				  compression_name(c), in_len);
	memcpy(&out_len, in + in_len - sizeof(out_len), sizeof(out_len));
	if (out_len < sizeof(Elf32_Ehdr))
		return kimage_err(err, errlen, -ENOEXEC,
				  "%s payload records a decompressed size of %u bytes, too small "
				  "for an ELF file",
				  compression_name(c), out_len);
	if (out_len > max_elf)
		return kimage_err(
			err, errlen, -E2BIG,
			"decompressed kernel (%u MiB) does not fit in guest RAM (%llu MiB)",
			out_len >> 20, (unsigned long long)(max_elf >> 20));
	/* Pages are touched only as the decompressor writes them, and given back at once. */
	buf = mmap(NULL, out_len, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED)
		return kimage_err(err, errlen, -ENOMEM, "cannot allocate %u MiB to decompress into",
				  out_len >> 20);
	/* Huge pages where the host offers them: a 2 MiB fault instead of 512 small ones. */
	madvise(buf, out_len, MADV_HUGEPAGE);
	k->owned = buf;
	k->owned_len = out_len;
	rc = decompress(c, in, in_len, buf, out_len, err, errlen);
	if (rc)
		return -ENOEXEC;
	if (!is_elf(buf, out_len))
		return kimage_err(err, errlen, -ENOEXEC,
				  "decompressed %s payload is not an ELF file",
				  compression_name(c));
	k->data = buf;
	k->len = out_len;
	k->format = format_names[c];
	return 0;
}

int kernel_elf_find(const uint8_t *file, size_t len, uint64_t max_elf, struct kernel_elf *k,
		    char *err, size_t errlen)
{
	const uint8_t *payload = NULL;
	size_t payload_len = 0;
	enum compression c;
	int rc;

	memset(k, 0, sizeof(*k));
	if (is_elf(file, len)) {
		*k = (struct kernel_elf){ .data = file, .len = len, .format = "ELF" };
		return 0;
	}
	if (!has_setup_magic(file, len))
		return kimage_err(err, errlen, -ENOEXEC,
				  "not an ELF file nor a Linux bzImage (no \"HdrS\" at 0x%zx)",
				  (size_t)offsetof(struct boot_params, hdr.header));
	rc = find_payload(file, len, &payload, &payload_len, err, errlen);
	if (rc)
		return rc;
	/* CONFIG_KERNEL_UNCOMPRESSED: the ELF vmlinux is the payload as it is. */
	if (is_elf(payload, payload_len)) {
		*k = (struct kernel_elf){ .data = payload,
					  .len = payload_len,
					  .format = "bzImage, uncompressed payload" };
		return 0;
	}
	c = compression_detect(payload, payload_len);
	if (c == COMP_UNKNOWN)
		return kimage_err(
			err, errlen, -ENOEXEC,
			"bzImage payload is neither ELF nor in a known compressed format");
	if (c != COMP_GZIP && c != COMP_XZ && c != COMP_ZSTD)
		return kimage_err(
			err, errlen, -ENOEXEC,
			"bzImage payload is %s-compressed; xenkvm reads gzip, xz and zstd",
			compression_name(c));
	rc = unpack(c, payload, payload_len, max_elf, k, err, errlen);
	if (rc)
		kernel_elf_release(k);
	return rc;
}

void kernel_elf_release(struct kernel_elf *k)
{
	if (k->owned)
		munmap(k->owned, k->owned_len);
	memset(k, 0, sizeof(*k));
}
