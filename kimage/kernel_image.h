/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What `--kernel` takes: a PVH ELF image as it is, or a Linux bzImage (boot protocol
 * 2.08 or later), whose payload (an ELF vmlinux, raw or compressed with gzip, xz or zstd)
 * is found through the setup header and decompressed, as Xen's PVH domain builder does.
 * The result is the ELF image for pvh_parse(); every failure names the problem in `err`
 * and returns -ENOEXEC, or -E2BIG when the decompressed kernel would not fit `max_elf`
 * (-ENOMEM when the host cannot give the memory to decompress into).
 */
#ifndef XENKVM_KIMAGE_KERNEL_IMAGE_H
#define XENKVM_KIMAGE_KERNEL_IMAGE_H

#include <stddef.h>
#include <stdint.h>

struct kernel_elf {
	const uint8_t *data; /* the ELF image: inside the file, or `owned` */
	size_t len;
	const char *format; /* for the log: "ELF", "bzImage, zstd payload", ... */
	uint8_t *owned; /* the decompression buffer (an anonymous mapping), or NULL */
	size_t owned_len;
};

/*
 * Finds the ELF image in `file`. A compressed payload is decompressed only when the size
 * Linux's build records in its last 4 bytes is at most `max_elf` (the guest's RAM: the
 * ELF's segments must fit there), so a hostile image cannot make xenkvm allocate more.
 */
int kernel_elf_find(const uint8_t *file, size_t len, uint64_t max_elf, struct kernel_elf *k,
		    char *err, size_t errlen);
void kernel_elf_release(struct kernel_elf *k);

#endif
