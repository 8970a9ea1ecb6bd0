// SPDX-License-Identifier: MIT
/*
 * start_info: the struct hvm_start_info a PVH loader hands over in %ebx
 * (<xen/arch-x86/hvm/start_info.h>). The runner starts this guest with the command
 * line, module and memory size below (tests/guests/manifest); the guest checks that
 * they arrived intact and that the memory map is sane.
 */
#include "kit.h"

/* Must match the manifest line of start_info. */
#define EXPECTED_CMDLINE "kit start_info: a b  c=1 \"quoted\""
#define EXPECTED_MODULE \
	"xenkvm start_info module: the start_info guest compares these exact bytes.\n"
#define EXPECTED_MOD_CMDLINE "modarg=42"
#define EXPECTED_MIB 64

static const char *type_name(uint32_t type)
{
	static const char *const names[] = {
		[XEN_HVM_MEMMAP_TYPE_RAM] = "RAM",
		[XEN_HVM_MEMMAP_TYPE_RESERVED] = "reserved",
		[XEN_HVM_MEMMAP_TYPE_ACPI] = "ACPI",
		[XEN_HVM_MEMMAP_TYPE_NVS] = "NVS",
		[XEN_HVM_MEMMAP_TYPE_UNUSABLE] = "unusable",
		[XEN_HVM_MEMMAP_TYPE_DISABLED] = "disabled",
		[XEN_HVM_MEMMAP_TYPE_PMEM] = "PMEM",
	};

	return type < ARRAY_SIZE(names) && names[type] ? names[type] : NULL;
}

/* Loader-written data must be in memory the guest owns and must not overlap the image. */
static void check_placed(const char *what, uint64_t addr, uint64_t len)
{
	uint64_t img_lo = (uint64_t)_image_start, img_hi = (uint64_t)_image_end;
	int type = kit_memmap_type(addr, len ? len : 1);

	check(type == XEN_HVM_MEMMAP_TYPE_RAM || type == XEN_HVM_MEMMAP_TYPE_RESERVED,
	      "%s at %#lx+%#lx is not inside a RAM or reserved entry (type %d)", what, addr, len,
	      type);
	check(addr + len <= img_lo || addr >= img_hi, "%s at %#lx+%#lx overlaps the image", what,
	      addr, len);
}

static void check_string_at(const char *what, uint64_t paddr, const char *expected)
{
	const char *s = (const char *)paddr;

	check(paddr != 0, "%s: no address", what);
	if (!paddr)
		return;
	check_placed(what, paddr, strnlen(s, 4096) + 1);
	printf("start_info: %s \"%s\"\n", what, s);
	check(strcmp(s, expected) == 0, "%s is \"%s\", expected \"%s\"", what, s, expected);
}

static void check_header(const struct hvm_start_info *si)
{
	printf("start_info: magic %#x version %u flags %#x modules %u rsdp %#lx\n", si->magic,
	       si->version, si->flags, si->nr_modules, si->rsdp_paddr);
	check_eq(si->magic, XEN_HVM_START_MAGIC_VALUE, "magic");
	check(si->version >= 1, "version %u has no memory map", si->version);
	check(!(si->flags & (SIF_PRIVILEGED | SIF_INITDOMAIN)), "a domU got flags %#x", si->flags);
	check_placed("start_info", (uint64_t)si, sizeof(*si));
	if (si->version >= 1)
		check_eq(si->reserved, 0, "start_info reserved field");
	/* rsdp_paddr 0 is allowed: a guest without ACPI. */
}

static void check_modules(const struct hvm_start_info *si)
{
	const struct hvm_modlist_entry *m = (const struct hvm_modlist_entry *)si->modlist_paddr;
	size_t want = sizeof(EXPECTED_MODULE) - 1;

	check_eq(si->nr_modules, 1, "nr_modules");
	if (si->nr_modules < 1 || !si->modlist_paddr) {
		check(si->modlist_paddr, "no module list");
		return;
	}
	check_placed("module list", si->modlist_paddr, si->nr_modules * sizeof(*m));
	printf("start_info: module at %#lx size %lu cmdline %#lx\n", m->paddr, m->size,
	       m->cmdline_paddr);
	check_eq(m->reserved, 0, "module entry reserved field");
	check_eq(m->size, want, "module size");
	check_placed("module", m->paddr, m->size);
	if (m->size == want)
		check(memcmp((const void *)m->paddr, EXPECTED_MODULE, want) == 0,
		      "module bytes differ from tests/guests/start_info.mod");
	check_string_at("module cmdline", m->cmdline_paddr, EXPECTED_MOD_CMDLINE);
}

static void check_memmap(const struct hvm_start_info *si)
{
	unsigned int n;
	const struct hvm_memmap_table_entry *map = kit_memmap(&n);
	uint64_t ram = 0;

	check(n > 0, "no memory map");
	if (!n)
		return;
	check_placed("memory map", si->memmap_paddr, n * sizeof(*map));
	for (unsigned int i = 0; i < n; i++) {
		const char *name = type_name(map[i].type);

		printf("start_info: memmap %#014lx-%#014lx %s\n", map[i].addr,
		       map[i].addr + map[i].size - 1, name ? name : "?");
		check(name, "entry %u has unknown type %u", i, map[i].type);
		check(map[i].size, "entry %u is empty", i);
		check(map[i].addr + map[i].size > map[i].addr, "entry %u wraps", i);
		check_eq(map[i].reserved, 0, "memmap entry reserved field");
		/* Disjoint, not sorted: libxl lists the ACPI RSDP's entry before the tables'. */
		for (unsigned int j = 0; j < i; j++)
			check(map[i].addr >= map[j].addr + map[j].size ||
				      map[j].addr >= map[i].addr + map[i].size,
			      "entry %u (%#lx) overlaps entry %u", i, map[i].addr, j);
		if (map[i].type == XEN_HVM_MEMMAP_TYPE_RAM)
			ram += map[i].size;
	}
	check_eq(kit_memmap_type((uint64_t)_image_start, _image_end - _image_start),
		 XEN_HVM_MEMMAP_TYPE_RAM, "type of the memory holding the kernel image");
	/* --memory sets the RAM size; firmware-style holes below 1 MiB may take a little. */
	printf("start_info: %lu KiB of RAM\n", ram >> 10);
	check(ram <= (uint64_t)EXPECTED_MIB << 20 && ram >= ((uint64_t)EXPECTED_MIB - 2) << 20,
	      "RAM is %lu KiB with --memory %u", ram >> 10, EXPECTED_MIB);
}

void test_main(void)
{
	const struct hvm_start_info *si = kit_start_info;

	check(si != NULL, "%%ebx held no start_info address");
	if (!si)
		return;
	check_header(si);
	if (si->magic != XEN_HVM_START_MAGIC_VALUE)
		return;
	check_string_at("cmdline", si->cmdline_paddr, EXPECTED_CMDLINE);
	if (si->version >= 1)
		check_memmap(si);
	check_modules(si);
}
