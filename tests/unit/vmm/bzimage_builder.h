/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Builds Linux bzImages in memory around a payload, laid out as Linux's build lays them
 * out (Documentation/arch/x86/boot.rst): a setup of BZB_SETUP_SECTS + 1 sectors with the
 * setup header at 0x1f1 (magic "HdrS", protocol 2.15), then the protected-mode code with
 * the payload at payload_offset inside it and BZB_TAIL bytes of code after it. Payloads
 * are compressed with the libraries' own compressors, with the options Linux's build
 * uses where a test can afford them, and carry the 4-byte decompressed size Linux's
 * build appends after xz and zstd streams (gzip's own trailer holds it already).
 */
#ifndef XENKVM_TESTS_BZIMAGE_BUILDER_H
#define XENKVM_TESTS_BZIMAGE_BUILDER_H

#include <stddef.h>
#include <stdint.h>

enum bzb_comp { BZB_RAW, BZB_GZIP, BZB_XZ, BZB_ZSTD };

#define BZB_SETUP_SECTS 1
#define BZB_PAYLOAD_OFFSET 0x200
#define BZB_PAYLOAD_START ((BZB_SETUP_SECTS + 1) * 512 + BZB_PAYLOAD_OFFSET)
#define BZB_TAIL 64
/* Offsets of the header fields the tests corrupt (from struct boot_params). */
#define BZB_VERSION_AT 0x206
#define BZB_PAYLOAD_LENGTH_AT 0x24c

/* A malloc'd compressed copy of `in` (with the size trailer); NULL on failure. */
uint8_t *bzb_compress(enum bzb_comp c, const uint8_t *in, size_t in_len, size_t *out_len);
/* A malloc'd bzImage holding `payload` as it is; *len gets its size. */
uint8_t *bzb_wrap(const uint8_t *payload, size_t payload_len, size_t *len);
/* Both in one: the bzImage of `elf` compressed with `c`. */
uint8_t *bzb_build(enum bzb_comp c, const uint8_t *elf, size_t elf_len, size_t *len);

#endif
