// SPDX-License-Identifier: GPL-2.0
/* The kernel's kind from its Xen ELF notes (kimage/ parses them for the VMM too). */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "kimage/kernel_image.h"
#include "kimage/xen_elf.h"
#include "toolstack/image/errmsg.h"
#include "toolstack/image/kernel_kind.h"

const char *img_kernel_kind_name(enum img_kernel_kind k)
{
	return k == IMG_KERNEL_PVH ? "PVH" : "PV, needs the PV shim";
}

int img_kernel_kind(const uint8_t *kernel, size_t len, uint64_t max_elf, struct img_kernel_info *ki,
		    char *err, size_t errlen)
{
	struct kernel_elf ke;
	struct xen_elf e;
	struct xen_elf_notes n;
	char why[256];
	int rc;

	memset(ki, 0, sizeof(*ki));
	rc = kernel_elf_find(kernel, len, max_elf, &ke, why, sizeof(why));
	if (rc)
		return img_err(err, errlen, rc, "kernel: %s", why);
	snprintf(ki->format, sizeof(ki->format), "%s", ke.format);
	rc = xen_elf_open(ke.data, ke.len, &e, why, sizeof(why));
	if (!rc)
		rc = xen_elf_notes(&e, &n, why, sizeof(why));
	kernel_elf_release(&ke);
	if (rc)
		return img_err(err, errlen, rc, "kernel (%s): %s", ki->format, why);
	ki->is_64 = e.is_64;
	ki->pv_notes = n.has_entry || n.has_hypercall_page;
	snprintf(ki->guest_os, sizeof(ki->guest_os), "%s", n.guest_os);
	if (n.has_phys32_entry) {
		ki->kind = IMG_KERNEL_PVH;
		return 0;
	}
	if (ki->pv_notes) {
		ki->kind = IMG_KERNEL_PV;
		return 0;
	}
	return img_err(err, errlen, -ENOEXEC,
		       "kernel (%s) has no Xen ELF notes (neither XEN_ELFNOTE_PHYS32_ENTRY for "
		       "PVH nor XEN_ELFNOTE_ENTRY for PV): it was not built to run on Xen "
		       "(CONFIG_XEN_PVH, CONFIG_XEN_PV)",
		       ki->format);
}
