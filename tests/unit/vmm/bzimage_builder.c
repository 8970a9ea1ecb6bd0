// SPDX-License-Identifier: GPL-2.0
#include <stdlib.h>
#include <string.h>

#include <asm/bootparam.h>
#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include "tests/unit/vmm/bzimage_builder.h"

static uint8_t *gzip(const uint8_t *in, size_t in_len, size_t *out_len)
{
	z_stream zs = { 0 };
	uint8_t *out = NULL;
	size_t cap;

	/* gzip -9 as Linux's cmd_gzip; 16 + window bits asks zlib for the gzip wrapper. */
	if (deflateInit2(&zs, 9, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return NULL;
	cap = deflateBound(&zs, in_len);
	out = malloc(cap);
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)in_len;
	zs.next_out = out;
	zs.avail_out = (uInt)cap;
	if (!out || deflate(&zs, Z_FINISH) != Z_STREAM_END) {
		free(out);
		out = NULL;
	}
	*out_len = zs.total_out;
	deflateEnd(&zs);
	return out;
}

static uint8_t *xz(const uint8_t *in, size_t in_len, size_t *out_len)
{
	lzma_options_lzma lz;
	/* Linux's xz_wrap.sh for x86: the x86 BCJ filter, then LZMA2, CRC32 check. */
	lzma_filter filters[] = { { LZMA_FILTER_X86, NULL },
				  { LZMA_FILTER_LZMA2, &lz },
				  { LZMA_VLI_UNKNOWN, NULL } };
	size_t cap = lzma_stream_buffer_bound(in_len) + 4;
	uint8_t *out = malloc(cap);

	*out_len = 0;
	if (!out || lzma_lzma_preset(&lz, 1) ||
	    lzma_stream_buffer_encode(filters, LZMA_CHECK_CRC32, NULL, in, in_len, out, out_len,
				      cap) != LZMA_OK) {
		free(out);
		return NULL;
	}
	return out;
}

static uint8_t *zstd(const uint8_t *in, size_t in_len, size_t *out_len)
{
	size_t cap = ZSTD_compressBound(in_len) + 4;
	uint8_t *out = malloc(cap);

	if (!out)
		return NULL;
	*out_len = ZSTD_compress(out, cap, in, in_len, 19);
	if (ZSTD_isError(*out_len)) {
		free(out);
		return NULL;
	}
	return out;
}

uint8_t *bzb_compress(enum bzb_comp c, const uint8_t *in, size_t in_len, size_t *out_len)
{
	uint32_t size = (uint32_t)in_len;
	uint8_t *out;

	switch (c) {
	case BZB_GZIP:
		return gzip(in, in_len, out_len);
	case BZB_XZ:
		out = xz(in, in_len, out_len);
		break;
	case BZB_ZSTD:
		out = zstd(in, in_len, out_len);
		break;
	default:
		out = malloc(in_len);
		if (out)
			memcpy(out, in, in_len);
		*out_len = in_len;
		return out;
	}
	/* Linux's size_append: the decompressed size, little-endian, after the stream. */
	if (out) {
		memcpy(out + *out_len, &size, sizeof(size));
		*out_len += sizeof(size);
	}
	return out;
}

uint8_t *bzb_wrap(const uint8_t *payload, size_t payload_len, size_t *len)
{
	struct setup_header h = { .setup_sects = BZB_SETUP_SECTS,
				  .boot_flag = 0xaa55,
				  .header = 0x53726448, /* "HdrS" */
				  .version = 0x020f,
				  .payload_offset = BZB_PAYLOAD_OFFSET,
				  .payload_length = (uint32_t)payload_len };
	uint8_t *img;

	*len = BZB_PAYLOAD_START + payload_len + BZB_TAIL;
	img = malloc(*len);
	if (!img)
		return NULL;
	/* Stand-ins for the real-mode setup and the decompressor's code around the payload. */
	memset(img, 0x90, *len);
	memcpy(img + offsetof(struct boot_params, hdr), &h, sizeof(h));
	memcpy(img + BZB_PAYLOAD_START, payload, payload_len);
	return img;
}

uint8_t *bzb_build(enum bzb_comp c, const uint8_t *elf, size_t elf_len, size_t *len)
{
	size_t payload_len;
	uint8_t *payload = bzb_compress(c, elf, elf_len, &payload_len);
	uint8_t *img;

	if (!payload)
		return NULL;
	img = bzb_wrap(payload, payload_len, len);
	free(payload);
	return img;
}
