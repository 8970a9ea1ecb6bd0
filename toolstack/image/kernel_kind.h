/* SPDX-License-Identifier: GPL-2.0 */
/*
 * How a kernel taken out of an image boots, decided as Xen's domain builders decide it,
 * from the "Xen" ELF notes of the kernel (an ELF, or the ELF inside a bzImage): the PVH
 * entry note (XEN_ELFNOTE_PHYS32_ENTRY) boots it as PVH, xenkvm's own way; PV notes alone
 * (XEN_ELFNOTE_ENTRY, XEN_ELFNOTE_HYPERCALL_PAGE: Linux before 4.11, or built without
 * CONFIG_XEN_PVH) make it a PV kernel, which needs Xen's PV shim; anything else cannot
 * boot under Xen and is refused with the reason. The parsing is kimage/'s, shared with
 * the VMM's loader.
 */
#ifndef XENKVM_TOOLSTACK_IMAGE_KERNEL_KIND_H
#define XENKVM_TOOLSTACK_IMAGE_KERNEL_KIND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum img_kernel_kind {
	IMG_KERNEL_PVH,
	IMG_KERNEL_PV, /* needs the PV shim */
};

struct img_kernel_info {
	enum img_kernel_kind kind;
	char format[48]; /* "ELF", "bzImage, zstd payload", ... */
	bool is_64;
	bool pv_notes; /* also carries PV notes (could boot PV through the shim) */
	char guest_os[16]; /* XEN_ELFNOTE_GUEST_OS, "" when absent */
};

/* Decompresses at most max_elf bytes of a bzImage payload. -ENOEXEC (or -E2BIG) with the
 * reason in err when the kernel is neither kind. */
int img_kernel_kind(const uint8_t *kernel, size_t len, uint64_t max_elf, struct img_kernel_info *ki,
		    char *err, size_t errlen);
const char *img_kernel_kind_name(enum img_kernel_kind k);

#endif
