/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ACPI tables a PVH guest finds through hvm_start_info.rsdp_paddr, where Xen's toolstack
 * puts a PVH domU's (tools/libacpi, libxl): RSDP -> XSDT -> FADT (hardware-reduced, -> an
 * empty DSDT) and MADT, whose Local APIC entries name every vCPU. The MADT is how Linux learns
 * the vCPUs it may start with INIT/SIPI; without it Linux runs on the boot vCPU alone.
 */
#ifndef XENKVM_VMM_ACPI_H
#define XENKVM_VMM_ACPI_H

#include <stddef.h>
#include <stdint.h>

#include "vmm/guest_mem.h"

/*
 * libxl's layout from GUEST_FIRMWARE_GPA (libacpi's ACPI_INFO_PHYSICAL_ADDRESS): the info
 * page, the tables, the RSDP at the start of the page after them (where libxl puts it for
 * any guest but a Linux without XENFEAT_linux_rsdp_unrestricted). Xen 4.17's tables for a
 * PVH domU take 7 pages (its DSDT declares a processor object for each of 128 possible
 * vCPUs); xenkvm's fit in the first, and it keeps libxl's 7 so that the memory map and
 * the reservation a guest sees are Xen's. The info page serves AML xenkvm's empty DSDT
 * does not have: it stays zero.
 */
#define ACPI_INFO_GPA GUEST_FIRMWARE_GPA
#define ACPI_TABLE_PAGES 7
#define ACPI_TABLES_GPA (ACPI_INFO_GPA + GUEST_PAGE_SIZE)
#define ACPI_RSDP_GPA (ACPI_TABLES_GPA + ACPI_TABLE_PAGES * GUEST_PAGE_SIZE)
#define ACPI_RSDP_LEN 64 /* what libxl loads and maps */
#define ACPI_FIRMWARE_PAGES (1 + ACPI_TABLE_PAGES + 1)

/* Bytes the tables take for nr_vcpus vCPUs (RSDP excluded). */
size_t acpi_tables_size(unsigned int nr_vcpus);
/*
 * Builds the tables for nr_vcpus vCPUs (vCPU n's APIC id is n) in mem's firmware pages
 * and has the memory map report them as libxl does (guest_mem_firmware()); *rsdp_gpa is
 * the RSDP's address. -E2BIG when they do not fit in ACPI_TABLE_PAGES.
 */
int acpi_place(struct guest_mem *mem, unsigned int nr_vcpus, uint64_t *rsdp_gpa);

#endif
