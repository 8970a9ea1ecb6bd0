// SPDX-License-Identifier: GPL-2.0
/*
 * ELF headers and Xen notes, for the VMM's PVH loader (vmm/pvh_elf.c) and for the
 * toolstack's check of a kernel's kind (toolstack/image/kernel_kind.c). Notes are walked
 * as the ELF spec lays them out (namesz, descsz, type, then name and desc each padded to
 * the segment's alignment: 4, or 8 when the segment says so); a note running past its
 * segment is an error, not a stop.
 */
#include <elf.h>
#include <errno.h>
#include <string.h>

#include <xen/elfnote.h>

#include "kimage/kimage_err.h"
#include "kimage/xen_elf.h"

bool xen_elf_range_in_file(const struct xen_elf *e, uint64_t off, uint64_t size)
{
	return off <= e->len && size <= e->len - off;
}

static int open_64(const uint8_t *img, size_t len, struct xen_elf *e, char *err, size_t errlen)
{
	Elf64_Ehdr h;

	if (len < sizeof(h))
		return kimage_err(err, errlen, -ENOEXEC, "truncated ELF64 header");
	memcpy(&h, img, sizeof(h));
	if (h.e_machine != EM_X86_64)
		return kimage_err(err, errlen, -ENOEXEC, "ELF64 machine %u is not x86-64",
				  h.e_machine);
	if (h.e_phentsize != sizeof(Elf64_Phdr))
		return kimage_err(err, errlen, -ENOEXEC, "bad program header size %u",
				  h.e_phentsize);
	e->is_64 = true;
	e->machine = h.e_machine;
	e->phoff = h.e_phoff;
	e->phentsize = h.e_phentsize;
	e->phnum = h.e_phnum;
	return 0;
}

static int open_32(const uint8_t *img, size_t len, struct xen_elf *e, char *err, size_t errlen)
{
	Elf32_Ehdr h;

	if (len < sizeof(h))
		return kimage_err(err, errlen, -ENOEXEC, "truncated ELF32 header");
	memcpy(&h, img, sizeof(h));
	/* EM_X86_64 too: what `objcopy -O elf32-x86-64` writes; Xen's PVH builder
	 * ignores the machine of an image with the PHYS32 entry note. */
	if (h.e_machine != EM_386 && h.e_machine != EM_X86_64)
		return kimage_err(err, errlen, -ENOEXEC,
				  "ELF32 machine %u is neither i386 nor x86-64", h.e_machine);
	if (h.e_phentsize != sizeof(Elf32_Phdr))
		return kimage_err(err, errlen, -ENOEXEC, "bad program header size %u",
				  h.e_phentsize);
	e->is_64 = false;
	e->machine = h.e_machine;
	e->phoff = h.e_phoff;
	e->phentsize = h.e_phentsize;
	e->phnum = h.e_phnum;
	return 0;
}

int xen_elf_open(const uint8_t *img, size_t len, struct xen_elf *e, char *err, size_t errlen)
{
	int rc;

	memset(e, 0, sizeof(*e));
	e->img = img;
	e->len = len;
	if (len < EI_NIDENT || memcmp(img, ELFMAG, SELFMAG))
		return kimage_err(err, errlen, -ENOEXEC, "not an ELF file");
	if (img[EI_DATA] != ELFDATA2LSB)
		return kimage_err(err, errlen, -ENOEXEC, "not a little-endian ELF file");
	if (img[EI_CLASS] == ELFCLASS64)
		rc = open_64(img, len, e, err, errlen);
	else if (img[EI_CLASS] == ELFCLASS32)
		rc = open_32(img, len, e, err, errlen);
	else
		rc = kimage_err(err, errlen, -ENOEXEC, "unknown ELF class %u", img[EI_CLASS]);
	if (rc)
		return rc;
	if (e->phnum == 0)
		return kimage_err(err, errlen, -ENOEXEC, "no program headers");
	if (!xen_elf_range_in_file(e, e->phoff, (uint64_t)e->phnum * e->phentsize))
		return kimage_err(err, errlen, -ENOEXEC, "program headers lie outside the file");
	return 0;
}

void xen_elf_phdr(const struct xen_elf *e, unsigned int i, struct xen_elf_phdr *ph)
{
	const uint8_t *p = e->img + e->phoff + (uint64_t)i * e->phentsize;

	if (e->is_64) {
		Elf64_Phdr h;

		memcpy(&h, p, sizeof(h));
		*ph = (struct xen_elf_phdr){ h.p_type,	 h.p_flags, h.p_offset, h.p_paddr,
					     h.p_filesz, h.p_memsz, h.p_align };
	} else {
		Elf32_Phdr h;

		memcpy(&h, p, sizeof(h));
		*ph = (struct xen_elf_phdr){ h.p_type,	 h.p_flags, h.p_offset, h.p_paddr,
					     h.p_filesz, h.p_memsz, h.p_align };
	}
}

/* A note's value: 4 or 8 bytes, little-endian (Linux writes both sizes). */
static int note_value(const uint8_t *desc, uint32_t size, const char *what, uint64_t *v, char *err,
		      size_t errlen)
{
	if (size == 4) {
		uint32_t v32;

		memcpy(&v32, desc, 4);
		*v = v32;
	} else if (size == 8) {
		memcpy(v, desc, 8);
	} else {
		return kimage_err(err, errlen, -ENOEXEC, "%s note has size %u", what, size);
	}
	return 0;
}

static int take_note(const Elf32_Nhdr *nh, const uint8_t *desc, struct xen_elf_notes *n, char *err,
		     size_t errlen)
{
	uint64_t v = 0;
	int rc = 0;

	switch (nh->n_type) {
	case XEN_ELFNOTE_PHYS32_ENTRY:
		rc = note_value(desc, nh->n_descsz, "PVH entry", &v, err, errlen);
		if (!rc && v >> 32)
			rc = kimage_err(err, errlen, -ENOEXEC, "PVH entry 0x%llx is above 4 GiB",
					(unsigned long long)v);
		if (!rc && !n->has_phys32_entry) {
			n->has_phys32_entry = true;
			n->phys32_entry = (uint32_t)v;
		}
		break;
	case XEN_ELFNOTE_ENTRY:
		rc = note_value(desc, nh->n_descsz, "PV entry", &n->entry, err, errlen);
		n->has_entry = !rc;
		break;
	case XEN_ELFNOTE_HYPERCALL_PAGE:
		rc = note_value(desc, nh->n_descsz, "hypercall page", &n->hypercall_page, err,
				errlen);
		n->has_hypercall_page = !rc;
		break;
	case XEN_ELFNOTE_GUEST_OS: {
		size_t len = strnlen((const char *)desc, nh->n_descsz);

		if (len >= sizeof(n->guest_os))
			len = sizeof(n->guest_os) - 1;
		memcpy(n->guest_os, desc, len);
		n->guest_os[len] = '\0';
		break;
	}
	}
	return rc;
}

static int scan_segment(const struct xen_elf *e, const struct xen_elf_phdr *ph,
			struct xen_elf_notes *n, char *err, size_t errlen)
{
	uint64_t align = ph->align == 8 ? 8 : 4;
	const uint8_t *seg = e->img + ph->offset;
	uint64_t pos = 0;

	while (ph->filesz - pos >= sizeof(Elf32_Nhdr)) {
		Elf32_Nhdr nh;
		uint64_t name_sz, desc_sz;
		const uint8_t *name;
		int rc;

		memcpy(&nh, seg + pos, sizeof(nh));
		pos += sizeof(nh);
		name_sz = ((uint64_t)nh.n_namesz + align - 1) & ~(align - 1);
		desc_sz = ((uint64_t)nh.n_descsz + align - 1) & ~(align - 1);
		if (name_sz > ph->filesz - pos || desc_sz > ph->filesz - pos - name_sz)
			return kimage_err(err, errlen, -ENOEXEC, "ELF note runs past its segment");
		name = seg + pos;
		pos += name_sz + desc_sz;
		if (nh.n_namesz != 4 || memcmp(name, "Xen", 4))
			continue;
		rc = take_note(&nh, name + name_sz, n, err, errlen);
		if (rc)
			return rc;
	}
	return 0;
}

int xen_elf_notes(const struct xen_elf *e, struct xen_elf_notes *n, char *err, size_t errlen)
{
	memset(n, 0, sizeof(*n));
	for (unsigned int i = 0; i < e->phnum; i++) {
		struct xen_elf_phdr ph;
		int rc;

		xen_elf_phdr(e, i, &ph);
		if (ph.type != PT_NOTE)
			continue;
		if (!xen_elf_range_in_file(e, ph.offset, ph.filesz))
			return kimage_err(err, errlen, -ENOEXEC,
					  "note segment lies outside the file");
		rc = scan_segment(e, &ph, n, err, errlen);
		if (rc)
			return rc;
	}
	return 0;
}
