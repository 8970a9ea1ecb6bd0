// SPDX-License-Identifier: GPL-2.0
#include <stdint.h>
#include <elf.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "kimage/xen_elf.h"
#include "vmm/errmsg.h"
#include "vmm/pvh_elf.h"

static int add_segment(struct pvh_image *pi, const struct xen_elf *e, const struct xen_elf_phdr *ph,
		       char *err, size_t errlen)
{
	struct pvh_segment *s;

	if (ph->filesz > ph->memsz)
		return errmsg(err, errlen, -ENOEXEC,
			      "segment at 0x%llx: file size exceeds memory size",
			      (unsigned long long)ph->paddr);
	if (!xen_elf_range_in_file(e, ph->offset, ph->filesz))
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
	struct xen_elf e;
	struct xen_elf_notes notes;
	int rc;

	memset(pi, 0, sizeof(*pi));
	rc = xen_elf_open(img, len, &e, err, errlen);
	if (rc)
		return rc;
	pi->is_64 = e.is_64;
	for (unsigned int i = 0; i < e.phnum; i++) {
		struct xen_elf_phdr ph;

		xen_elf_phdr(&e, i, &ph);
		if (ph.type == PT_LOAD && ph.memsz) {
			rc = add_segment(pi, &e, &ph, err, errlen);
			if (rc)
				return rc;
		}
	}
	rc = xen_elf_notes(&e, &notes, err, errlen);
	if (rc)
		return rc;
	if (!notes.has_phys32_entry)
		return errmsg(err, errlen, -ENOEXEC,
			      "no PVH entry point (Xen ELF note XEN_ELFNOTE_PHYS32_ENTRY)");
	pi->entry = notes.phys32_entry;
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
