/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Builds the PVH hvm_start_info (xen/arch-x86/hvm/start_info.h, version 1) in guest RAM:
 * command line, module list with each module's bytes and command line, the memory map,
 * and the ACPI tables (rsdp_paddr) that list the vCPUs, in the firmware pages at 0xfc000000
 * (vmm/acpi.h), which the memory map reports as libxl does.
 */
#ifndef XENKVM_VMM_START_INFO_H
#define XENKVM_VMM_START_INFO_H

#include <stddef.h>
#include <stdint.h>

#include "vmm/guest_mem.h"
#include "vmm/pvh_elf.h"

#define BOOT_MAX_MODULES 16
#define BOOT_MAX_CMDLINE 4096

struct boot_module {
	const uint8_t *data;
	size_t len;
	const char *cmdline; /* NULL: none */
};

struct boot_params {
	const char *cmdline; /* NULL: none */
	unsigned int nr_modules;
	const struct boot_module *modules;
	unsigned int nr_vcpus; /* for the ACPI MADT (vmm/acpi.h); 0: no ACPI tables */
};

int start_info_build(struct guest_mem *mem, const struct pvh_image *pi,
		     const struct boot_params *bp, uint64_t *start_info_gpa, char *err,
		     size_t errlen);

#endif
