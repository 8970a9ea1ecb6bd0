// SPDX-License-Identifier: GPL-2.0
/*
 * One-shot decompression of a bzImage payload straight into its final buffer: zlib for
 * gzip, liblzma for xz, libzstd for zstd. Each library writes into the caller's buffer
 * directly, so the decompressed kernel is produced once and never copied here.
 */
#include <errno.h>
#include <string.h>

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include "kimage/decompress.h"
#include "kimage/kimage_err.h"

/* liblzma's decoder state for a kernel (dictionary 32 MiB at most in Linux's build). */
#define XZ_MEMLIMIT (512ULL << 20)

struct magic {
	enum compression comp;
	const char *name;
	size_t len;
	uint8_t bytes[6];
};

/* The magic numbers Linux's lib/decompress.c recognises, by compressor. */
static const struct magic magics[] = {
	{ COMP_GZIP, "gzip", 2, { 0x1f, 0x8b } },
	{ COMP_GZIP, "gzip", 2, { 0x1f, 0x9e } },
	{ COMP_XZ, "xz", 6, { 0xfd, '7', 'z', 'X', 'Z', 0x00 } },
	{ COMP_ZSTD, "zstd", 4, { 0x28, 0xb5, 0x2f, 0xfd } },
	{ COMP_BZIP2, "bzip2", 3, { 'B', 'Z', 'h' } },
	{ COMP_LZMA, "lzma", 3, { 0x5d, 0x00, 0x00 } },
	{ COMP_LZO, "lzo", 4, { 0x89, 'L', 'Z', 'O' } },
	{ COMP_LZ4, "lz4", 4, { 0x02, 0x21, 0x4c, 0x18 } },
};

enum compression compression_detect(const uint8_t *data, size_t len)
{
	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (len >= magics[i].len && !memcmp(data, magics[i].bytes, magics[i].len))
			return magics[i].comp;
	return COMP_UNKNOWN;
}

const char *compression_name(enum compression c)
{
	for (size_t i = 0; i < sizeof(magics) / sizeof(magics[0]); i++)
		if (magics[i].comp == c)
			return magics[i].name;
	return "unknown";
}

static int too_big(char *err, size_t errlen, const char *what, size_t out_len)
{
	return kimage_err(err, errlen, -EINVAL,
			  "%s decompression failed: output exceeds the recorded size of %zu bytes",
			  what, out_len);
}

static int too_small(char *err, size_t errlen, const char *what, size_t got, size_t out_len)
{
	return kimage_err(err, errlen, -EINVAL,
			  "%s decompression failed: %zu bytes produced, the recorded size is %zu",
			  what, got, out_len);
}

static int gunzip(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len, char *err,
		  size_t errlen)
{
	z_stream zs = { 0 };
	int zrc, rc = 0;

	if (in_len > UINT32_MAX || out_len > UINT32_MAX)
		return kimage_err(err, errlen, -EINVAL, "gzip payload over 4 GiB");
	/* 16 + window bits: a gzip wrapper, not zlib's. */
	if (inflateInit2(&zs, 16 + MAX_WBITS) != Z_OK)
		return kimage_err(err, errlen, -EINVAL, "gzip decompression failed: %s",
				  zs.msg ? zs.msg : "cannot initialise zlib");
	zs.next_in = (Bytef *)in;
	zs.avail_in = (uInt)in_len;
	zs.next_out = out;
	zs.avail_out = (uInt)out_len;
	zrc = inflate(&zs, Z_FINISH);
	if (zrc == Z_STREAM_END) {
		if (zs.total_out != out_len)
			rc = too_small(err, errlen, "gzip", zs.total_out, out_len);
	} else if (zrc == Z_BUF_ERROR && zs.avail_in == 0) {
		rc = kimage_err(err, errlen, -EINVAL, "gzip decompression failed: truncated input");
	} else if (zrc == Z_BUF_ERROR) {
		rc = too_big(err, errlen, "gzip", out_len);
	} else {
		rc = kimage_err(err, errlen, -EINVAL, "gzip decompression failed: %s",
				zs.msg ? zs.msg : zError(zrc));
	}
	inflateEnd(&zs);
	return rc;
}

static const char *lzma_reason(lzma_ret r)
{
	switch (r) {
	case LZMA_FORMAT_ERROR:
		return "not in the .xz format";
	case LZMA_OPTIONS_ERROR:
		return "unsupported options in the stream header";
	case LZMA_DATA_ERROR:
		return "compressed data is corrupt or truncated";
	case LZMA_MEM_ERROR:
		return "out of memory";
	case LZMA_MEMLIMIT_ERROR:
		return "needs more than 512 MiB of decoder memory";
	default:
		return "internal error";
	}
}

static int unxz(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len, char *err,
		size_t errlen)
{
	uint64_t memlimit = XZ_MEMLIMIT;
	size_t in_pos = 0, out_pos = 0;
	lzma_ret r;

	/* One stream, no LZMA_CONCATENATED: the size Linux appends after it is not read. */
	r = lzma_stream_buffer_decode(&memlimit, 0, NULL, in, &in_pos, in_len, out, &out_pos,
				      out_len);
	if (r == LZMA_BUF_ERROR && in_len > 0)
		return too_big(err, errlen, "xz", out_len);
	if (r != LZMA_OK)
		return kimage_err(err, errlen, -EINVAL, "xz decompression failed: %s",
				  lzma_reason(r));
	if (out_pos != out_len)
		return too_small(err, errlen, "xz", out_pos, out_len);
	return 0;
}

static int unzstd(const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len, char *err,
		  size_t errlen)
{
	size_t frame = ZSTD_findFrameCompressedSize(in, in_len);
	size_t got;
	ZSTD_DCtx *dctx;

	if (ZSTD_isError(frame))
		return kimage_err(err, errlen, -EINVAL, "zstd decompression failed: %s",
				  ZSTD_getErrorName(frame));
	dctx = ZSTD_createDCtx();
	if (!dctx)
		return kimage_err(err, errlen, -EINVAL, "zstd decompression failed: out of memory");
	/* One frame, decoded in place into the output: no window buffer, no copy. */
	got = ZSTD_decompressDCtx(dctx, out, out_len, in, frame);
	ZSTD_freeDCtx(dctx);
	if (ZSTD_isError(got) && ZSTD_getErrorCode(got) == ZSTD_error_dstSize_tooSmall)
		return too_big(err, errlen, "zstd", out_len);
	if (ZSTD_isError(got))
		return kimage_err(err, errlen, -EINVAL, "zstd decompression failed: %s",
				  ZSTD_getErrorName(got));
	if (got != out_len)
		return too_small(err, errlen, "zstd", got, out_len);
	return 0;
}

int decompress(enum compression c, const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len,
	       char *err, size_t errlen)
{
	switch (c) {
	case COMP_GZIP:
		return gunzip(in, in_len, out, out_len, err, errlen);
	case COMP_XZ:
		return unxz(in, in_len, out, out_len, err, errlen);
	case COMP_ZSTD:
		return unzstd(in, in_len, out, out_len, err, errlen);
	default:
		return kimage_err(err, errlen, -EINVAL,
				  "the payload is %s-compressed; xenkvm reads gzip, xz and zstd",
				  compression_name(c));
	}
}
