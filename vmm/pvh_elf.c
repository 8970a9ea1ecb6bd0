// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include <xen/elfnote.h>

#include "vmm/errmsg.h"
#include "vmm/pvh_elf.h"

/* The parts of a program header both ELF classes share, widened to 64 bits. */
struct phdr {
	uint32_t type, flags;
	uint64_t offset, paddr, filesz, memsz, align;
};

struct ehdr {
	uint64_t phoff;
	uint16_t phentsize, phnum;
};

static bool range_in_file(uint64_t off, uint64_t size, size_t len)
{
	return off <= len && size <= len - off;
}

static int read_ehdr(const uint8_t *img, size_t len, struct pvh_image *pi, struct ehdr *eh,
		     char *err, size_t errlen)
{
	if (len < EI_NIDENT || memcmp(img, ELFMAG, SELFMAG))
		return errmsg(err, errlen, -ENOEXEC, "not an ELF file");
	if (img[EI_DATA] != ELFDATA2LSB)
		return errmsg(err, errlen, -ENOEXEC, "not a little-endian ELF file");
	if (img[EI_CLASS] == ELFCLASS64) {
		Elf64_Ehdr h;

		if (len < sizeof(h))
			return errmsg(err, errlen, -ENOEXEC, "truncated ELF64 header");
		memcpy(&h, img, sizeof(h));
		if (h.e_machine != EM_X86_64)
			return errmsg(err, errlen, -ENOEXEC, "ELF64 machine %u is not x86-64",
				      h.e_machine);
		if (h.e_phentsize != sizeof(Elf64_Phdr))
			return errmsg(err, errlen, -ENOEXEC, "bad program header size %u",
				      h.e_phentsize);
		pi->is_64 = true;
		*eh = (struct ehdr){ h.e_phoff, h.e_phentsize, h.e_phnum };
	} else if (img[EI_CLASS] == ELFCLASS32) {
		Elf32_Ehdr h;

		if (len < sizeof(h))
			return errmsg(err, errlen, -ENOEXEC, "truncated ELF32 header");
		memcpy(&h, img, sizeof(h));
		/* EM_X86_64 too: what `objcopy -O elf32-x86-64` writes; Xen's PVH builder
		 * ignores the machine of an image with the PHYS32 entry note. */
		if (h.e_machine != EM_386 && h.e_machine != EM_X86_64)
			return errmsg(err, errlen, -ENOEXEC,
				      "ELF32 machine %u is neither i386 nor x86-64", h.e_machine);
		if (h.e_phentsize != sizeof(Elf32_Phdr))
			return errmsg(err, errlen, -ENOEXEC, "bad program header size %u",
				      h.e_phentsize);
		pi->is_64 = false;
		*eh = (struct ehdr){ h.e_phoff, h.e_phentsize, h.e_phnum };
	} else {
		return errmsg(err, errlen, -ENOEXEC, "unknown ELF class %u", img[EI_CLASS]);
	}
	if (eh->phnum == 0)
		return errmsg(err, errlen, -ENOEXEC, "no program headers");
	if (!range_in_file(eh->phoff, (uint64_t)eh->phnum * eh->phentsize, len))
		return errmsg(err, errlen, -ENOEXEC, "program headers lie outside the file");
	return 0;
}

static void read_phdr(const uint8_t *img, const struct ehdr *eh, bool is_64, unsigned int i,
		      struct phdr *ph)
{
	const uint8_t *p = img + eh->phoff + (uint64_t)i * eh->phentsize;

	if (is_64) {
		Elf64_Phdr h;

		memcpy(&h, p, sizeof(h));
		*ph = (struct phdr){ h.p_type,	 h.p_flags, h.p_offset, h.p_paddr,
				     h.p_filesz, h.p_memsz, h.p_align };
	} else {
		Elf32_Phdr h;

		memcpy(&h, p, sizeof(h));
		*ph = (struct phdr){ h.p_type,	 h.p_flags, h.p_offset, h.p_paddr,
				     h.p_filesz, h.p_memsz, h.p_align };
	}
}

/* Looks for the Xen PHYS32_ENTRY note in one PT_NOTE segment. 1 found, 0 not, <0 bad. */
static int scan_notes(const uint8_t *img, const struct phdr *ph, uint32_t *entry, char *err,
		      size_t errlen)
{
	uint64_t align = ph->align == 8 ? 8 : 4;
	uint64_t pos = 0;

	while (ph->filesz - pos >= 12) {
		Elf32_Nhdr nh;
		uint64_t name_sz, desc_sz;
		const uint8_t *name, *desc;

		memcpy(&nh, img + ph->offset + pos, sizeof(nh));
		pos += sizeof(nh);
		name_sz = (nh.n_namesz + align - 1) & ~(align - 1);
		desc_sz = (nh.n_descsz + align - 1) & ~(align - 1);
		if (name_sz > ph->filesz - pos || desc_sz > ph->filesz - pos - name_sz)
			return errmsg(err, errlen, -ENOEXEC, "ELF note runs past its segment");
		name = img + ph->offset + pos;
		desc = name + name_sz;
		pos += name_sz + desc_sz;
		if (nh.n_namesz != 4 || memcmp(name, "Xen", 4) ||
		    nh.n_type != XEN_ELFNOTE_PHYS32_ENTRY)
			continue;
		if (nh.n_descsz == 4) {
			memcpy(entry, desc, 4);
		} else if (nh.n_descsz == 8) {
			uint64_t e;

			memcpy(&e, desc, 8);
			if (e >> 32)
				return errmsg(err, errlen, -ENOEXEC,
					      "PVH entry 0x%llx is above 4 GiB",
					      (unsigned long long)e);
			*entry = (uint32_t)e;
		} else {
			return errmsg(err, errlen, -ENOEXEC, "PVH entry note has size %u",
				      nh.n_descsz);
		}
		return 1;
	}
	return 0;
}

static int add_segment(struct pvh_image *pi, const struct phdr *ph, size_t len, char *err,
		       size_t errlen)
{
	struct pvh_segment *s;

	if (ph->filesz > ph->memsz)
		return errmsg(err, errlen, -ENOEXEC,
			      "segment at 0x%llx: file size exceeds memory size",
			      (unsigned long long)ph->paddr);
	if (!range_in_file(ph->offset, ph->filesz, len))
		return errmsg(err, errlen, -ENOEXEC, "segment at 0x%llx lies outside the file",
			      (unsigned long long)ph->paddr);
	if (ph->paddr + ph->memsz < ph->paddr)
		return errmsg(err, errlen, -ENOEXEC, "segment at 0x%llx wraps the address space",
			      (unsigned long long)ph->paddr);
	for (unsigned int i = 0; i < pi->nr_segments; i++) {
		const struct pvh_segment *o = &pi->segs[i];

		if (ph->paddr < o->paddr + o->memsz && o->paddr < ph->paddr + ph->memsz)
			return errmsg(err, errlen, -ENOEXEC,
				      "segments at 0x%llx and 0x%llx overlap",
				      (unsigned long long)o->paddr, (unsigned long long)ph->paddr);
	}
	if (pi->nr_segments == PVH_MAX_SEGMENTS)
		return errmsg(err, errlen, -ENOEXEC, "more than %d loadable segments",
			      PVH_MAX_SEGMENTS);
	s = &pi->segs[pi->nr_segments++];
	*s = (struct pvh_segment){ ph->paddr, ph->memsz, ph->filesz, ph->offset, ph->flags };
	if (pi->nr_segments == 1 || s->paddr < pi->lowest)
		pi->lowest = s->paddr;
	if (s->paddr + s->memsz > pi->end)
		pi->end = s->paddr + s->memsz;
	return 0;
}

static bool entry_in_segment(const struct pvh_image *pi)
{
	for (unsigned int i = 0; i < pi->nr_segments; i++) {
		const struct pvh_segment *s = &pi->segs[i];

		if (pi->entry >= s->paddr && pi->entry - s->paddr < s->memsz)
			return true;
	}
	return false;
}

int pvh_parse(const uint8_t *img, size_t len, struct pvh_image *pi, char *err, size_t errlen)
{
	struct ehdr eh = { 0 };
	bool have_entry = false;
	int rc;

	memset(pi, 0, sizeof(*pi));
	rc = read_ehdr(img, len, pi, &eh, err, errlen);
	if (rc)
		return rc;
	for (unsigned int i = 0; i < eh.phnum; i++) {
		struct phdr ph;

		read_phdr(img, &eh, pi->is_64, i, &ph);
		if (ph.type == PT_NOTE && !have_entry) {
			if (!range_in_file(ph.offset, ph.filesz, len))
				return errmsg(err, errlen, -ENOEXEC,
					      "note segment lies outside the file");
			rc = scan_notes(img, &ph, &pi->entry, err, errlen);
			if (rc < 0)
				return rc;
			have_entry = rc;
		} else if (ph.type == PT_LOAD && ph.memsz) {
			rc = add_segment(pi, &ph, len, err, errlen);
			if (rc)
				return rc;
		}
	}
	if (!have_entry)
		return errmsg(err, errlen, -ENOEXEC,
			      "no PVH entry point (Xen ELF note XEN_ELFNOTE_PHYS32_ENTRY)");
	if (!pi->nr_segments)
		return errmsg(err, errlen, -ENOEXEC, "no loadable segment");
	if (!entry_in_segment(pi))
		return errmsg(err, errlen, -ENOEXEC,
			      "PVH entry 0x%x is not inside a loaded segment", pi->entry);
	return 0;
}

int pvh_load(const struct pvh_image *pi, const uint8_t *img, const struct guest_mem *mem, char *err,
	     size_t errlen)
{
	for (unsigned int i = 0; i < pi->nr_segments; i++) {
		const struct pvh_segment *s = &pi->segs[i];
		uint8_t *dst = guest_mem_ptr(mem, s->paddr, s->memsz);

		if (!dst)
			return errmsg(err, errlen, -E2BIG,
				      "segment 0x%llx-0x%llx does not fit in guest RAM (%llu MiB)",
				      (unsigned long long)s->paddr,
				      (unsigned long long)(s->paddr + s->memsz - 1),
				      (unsigned long long)(mem->ram_bytes >> 20));
		memcpy(dst, img + s->offset, s->filesz);
		memset(dst + s->filesz, 0, s->memsz - s->filesz);
	}
	return 0;
}
