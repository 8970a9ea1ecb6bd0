// SPDX-License-Identifier: GPL-2.0
#include <elf.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <xen/elfnote.h>

#include "tests/unit/vmm/elf_builder.h"

static size_t ehdr_size(const struct eb_spec *s)
{
	return s->elf32 ? sizeof(Elf32_Ehdr) : sizeof(Elf64_Ehdr);
}

static size_t phdr_size(const struct eb_spec *s)
{
	return s->elf32 ? sizeof(Elf32_Phdr) : sizeof(Elf64_Phdr);
}

static unsigned int nr_phdrs(const struct eb_spec *s)
{
	return s->nr_segments + (s->no_note ? 0 : 1);
}

size_t eb_phdr_offset(const struct eb_spec *s, unsigned int index)
{
	return ehdr_size(s) + index * phdr_size(s);
}

static size_t note_offset(const struct eb_spec *s)
{
	return eb_phdr_offset(s, nr_phdrs(s));
}

static size_t note_size(const struct eb_spec *s)
{
	uint32_t desc = s->note_descsz ? s->note_descsz : 4;

	return s->no_note ? 0 : 12 + 4 + ((desc + 3) & ~3u);
}

size_t eb_segment_offset(const struct eb_spec *s, unsigned int index)
{
	size_t off = (note_offset(s) + note_size(s) + 15) & ~(size_t)15;

	for (unsigned int i = 0; i < index; i++)
		off += s->segs[i].filesz;
	return off;
}

static void put_phdr(const struct eb_spec *s, uint8_t *img, unsigned int i, uint32_t type,
		     uint64_t off, uint64_t paddr, uint64_t filesz, uint64_t memsz)
{
	if (s->elf32) {
		Elf32_Phdr p = { .p_type = type,
				 .p_offset = (uint32_t)off,
				 .p_vaddr = (uint32_t)paddr,
				 .p_paddr = (uint32_t)paddr,
				 .p_filesz = (uint32_t)filesz,
				 .p_memsz = (uint32_t)memsz,
				 .p_flags = PF_R | PF_X,
				 .p_align = 4 };

		memcpy(img + eb_phdr_offset(s, i), &p, sizeof(p));
	} else {
		Elf64_Phdr p = { .p_type = type,
				 .p_offset = off,
				 .p_vaddr = paddr,
				 .p_paddr = paddr,
				 .p_filesz = filesz,
				 .p_memsz = memsz,
				 .p_flags = PF_R | PF_X,
				 .p_align = 4 };

		memcpy(img + eb_phdr_offset(s, i), &p, sizeof(p));
	}
}

static void put_ehdr(const struct eb_spec *s, uint8_t *img)
{
	if (s->elf32) {
		Elf32_Ehdr h = { .e_type = ET_EXEC,
				 .e_machine = EM_386,
				 .e_version = EV_CURRENT,
				 .e_entry = (uint32_t)s->entry,
				 .e_phoff = sizeof(Elf32_Ehdr),
				 .e_ehsize = sizeof(Elf32_Ehdr),
				 .e_phentsize = sizeof(Elf32_Phdr),
				 .e_phnum = (uint16_t)nr_phdrs(s) };

		memcpy(h.e_ident, ELFMAG, SELFMAG);
		h.e_ident[EI_CLASS] = ELFCLASS32;
		h.e_ident[EI_DATA] = ELFDATA2LSB;
		h.e_ident[EI_VERSION] = EV_CURRENT;
		memcpy(img, &h, sizeof(h));
	} else {
		Elf64_Ehdr h = { .e_type = ET_EXEC,
				 .e_machine = EM_X86_64,
				 .e_version = EV_CURRENT,
				 .e_entry = s->entry,
				 .e_phoff = sizeof(Elf64_Ehdr),
				 .e_ehsize = sizeof(Elf64_Ehdr),
				 .e_phentsize = sizeof(Elf64_Phdr),
				 .e_phnum = (uint16_t)nr_phdrs(s) };

		memcpy(h.e_ident, ELFMAG, SELFMAG);
		h.e_ident[EI_CLASS] = ELFCLASS64;
		h.e_ident[EI_DATA] = ELFDATA2LSB;
		h.e_ident[EI_VERSION] = EV_CURRENT;
		memcpy(img, &h, sizeof(h));
	}
}

static void put_note(const struct eb_spec *s, uint8_t *img)
{
	uint32_t desc = s->note_descsz ? s->note_descsz : 4;
	uint32_t hdr[3] = { 4, desc, s->note_type ? s->note_type : XEN_ELFNOTE_PHYS32_ENTRY };
	uint8_t *p = img + note_offset(s);

	memcpy(p, hdr, sizeof(hdr));
	memcpy(p + 12, "Xen", 4);
	memcpy(p + 16, &s->entry, desc < 8 ? desc : 8);
	put_phdr(s, img, s->nr_segments, PT_NOTE, note_offset(s), 0, note_size(s), note_size(s));
}

uint8_t *eb_build(const struct eb_spec *s, size_t *len)
{
	size_t size = eb_segment_offset(s, s->nr_segments);
	uint8_t *img = calloc(1, size);

	if (!img)
		return NULL;
	put_ehdr(s, img);
	for (unsigned int i = 0; i < s->nr_segments; i++) {
		const struct eb_segment *g = &s->segs[i];

		put_phdr(s, img, i, PT_LOAD, eb_segment_offset(s, i), g->paddr, g->filesz,
			 g->memsz);
		memset(img + eb_segment_offset(s, i), g->fill, g->filesz);
	}
	if (!s->no_note)
		put_note(s, img);
	*len = size;
	return img;
}
