// SPDX-License-Identifier: MIT
/*
 * The guest physical memory map from hvm_start_info.
 */
#include "kit.h"

const struct hvm_memmap_table_entry *kit_memmap(unsigned int *count)
{
	const struct hvm_start_info *si = kit_start_info;

	if (!si || si->magic != XEN_HVM_START_MAGIC_VALUE || si->version < 1 || !si->memmap_paddr) {
		*count = 0;
		return NULL;
	}
	*count = si->memmap_entries;
	return (const struct hvm_memmap_table_entry *)si->memmap_paddr;
}

int kit_memmap_type(uint64_t addr, uint64_t len)
{
	const struct hvm_memmap_table_entry *map;
	unsigned int n;
	uint64_t end = addr + len;
	bool touched = false;

	if (!len || end < addr)
		return KIT_MEM_MIXED;
	map = kit_memmap(&n);
	for (unsigned int i = 0; i < n; i++) {
		uint64_t e_end = map[i].addr + map[i].size;

		if (addr >= map[i].addr && end <= e_end)
			return (int)map[i].type;
		if (addr < e_end && end > map[i].addr)
			touched = true;
	}
	return touched ? KIT_MEM_MIXED : KIT_MEM_HOLE;
}
