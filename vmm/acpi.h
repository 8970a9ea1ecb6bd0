/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The ACPI tables a PVH guest finds through hvm_start_info.rsdp_paddr, as Xen's toolstack
 * gives a PVH domU (tools/libacpi): RSDP -> XSDT -> FADT (hardware-reduced, -> an empty
 * DSDT) and MADT, whose Local APIC entries name every vCPU. The MADT is how Linux learns
 * the vCPUs it may start with INIT/SIPI; without it Linux runs on the boot vCPU alone.
 */
#ifndef XENKVM_VMM_ACPI_H
#define XENKVM_VMM_ACPI_H

#include <stddef.h>
#include <stdint.h>

/* Room acpi_build() needs for nr_vcpus vCPUs (one allocation, 16-byte aligned). */
size_t acpi_tables_size(unsigned int nr_vcpus);
/*
 * Writes the tables into buf (acpi_tables_size() bytes), which the guest sees at gpa;
 * vCPU n's APIC id is n. Returns the RSDP's guest-physical address (gpa: the RSDP comes
 * first).
 */
uint64_t acpi_build(uint8_t *buf, uint64_t gpa, unsigned int nr_vcpus);

#endif
