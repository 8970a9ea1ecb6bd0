/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The compressed payload of a Linux bzImage: which compressor made it (from its magic
 * bytes, as Linux's build writes them) and, for the three that xenkvm reads (gzip through
 * zlib, xz through liblzma, zstd through libzstd), one-shot decompression into a buffer
 * the caller sized. A payload that would decompress to more than the buffer is an error,
 * never a reallocation: the caller bounds the output.
 */
#ifndef XENKVM_KIMAGE_DECOMPRESS_H
#define XENKVM_KIMAGE_DECOMPRESS_H

#include <stddef.h>
#include <stdint.h>

enum compression {
	COMP_UNKNOWN,
	COMP_GZIP,
	COMP_XZ,
	COMP_ZSTD,
	/* Recognised so that the error can name them; not decompressed. */
	COMP_BZIP2,
	COMP_LZMA,
	COMP_LZO,
	COMP_LZ4,
};

enum compression compression_detect(const uint8_t *data, size_t len);
const char *compression_name(enum compression c);

/*
 * Decompresses one stream from `in` into exactly `out_len` bytes of `out` (bytes after
 * the stream, such as the 4-byte size Linux appends, are ignored). 0 when the stream
 * ends having produced exactly `out_len` bytes; otherwise -EINVAL with the reason
 * (the library's own words where it gives them) in `err`.
 */
int decompress(enum compression c, const uint8_t *in, size_t in_len, uint8_t *out, size_t out_len,
	       char *err, size_t errlen);

#endif
