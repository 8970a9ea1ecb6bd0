// SPDX-License-Identifier: GPL-2.0
/*
 * ACPI tables for PVH guests, laid out as the ACPI specification (6.x) defines them and
 * filled as Xen's libacpi fills them for a PVH domU: a hardware-reduced FADT (no SCI, no
 * PM blocks; no VGA and no CMOS RTC, which a PVH domU has neither of), an empty DSDT,
 * and a MADT with one enabled Local APIC entry per vCPU and no I/O APIC.
 */
#include <errno.h>
#include <stdbool.h>
#include <string.h>

#include "vmm/acpi.h"

#define ACPI_OEM_ID "XENKVM"
#define ACPI_OEM_TABLE_ID "PVH     "
#define ACPI_CREATOR_ID "XKVM"
#define LAPIC_ADDRESS 0xfee00000u

/* FADT Flags and IA-PC boot architecture flags (ACPI 6.x, 5.2.9 tables 5-34 and 5-35). */
#define FADT_WBINVD (1u << 0)
#define FADT_PROC_C1 (1u << 2)
#define FADT_HW_REDUCED_ACPI (1u << 20)
#define IAPC_VGA_NOT_PRESENT (1u << 2)
#define IAPC_CMOS_RTC_NOT_PRESENT (1u << 5)
#define MADT_LOCAL_APIC 0
#define MADT_LAPIC_ENABLED 1u

struct sdt_header {
	char signature[4];
	uint32_t length;
	uint8_t revision;
	uint8_t checksum;
	char oem_id[6];
	char oem_table_id[8];
	uint32_t oem_revision;
	char creator_id[4];
	uint32_t creator_revision;
} __attribute__((packed));

struct rsdp {
	char signature[8];
	uint8_t checksum; /* of the first 20 bytes (the ACPI 1.0 structure) */
	char oem_id[6];
	uint8_t revision;
	uint32_t rsdt_address;
	uint32_t length;
	uint64_t xsdt_address;
	uint8_t extended_checksum;
	uint8_t reserved[3];
} __attribute__((packed));

struct xsdt {
	struct sdt_header h;
	uint64_t entry[2]; /* FADT, MADT */
} __attribute__((packed));

/* The FADT up to the ACPI 6.0 Hypervisor Vendor Identity; generic addresses as bytes. */
struct fadt {
	struct sdt_header h;
	uint32_t firmware_ctrl;
	uint32_t dsdt;
	uint8_t reserved0;
	uint8_t preferred_pm_profile;
	uint16_t sci_int;
	uint32_t smi_cmd;
	uint8_t acpi_enable, acpi_disable, s4bios_req, pstate_cnt;
	uint32_t pm_blocks[8]; /* PM1a/b EVT, PM1a/b CNT, PM2 CNT, PM TMR, GPE0, GPE1 */
	uint8_t block_lens[8];
	uint16_t p_lvl2_lat, p_lvl3_lat, flush_size, flush_stride;
	uint8_t duty_offset, duty_width, day_alrm, mon_alrm, century;
	uint16_t iapc_boot_arch;
	uint8_t reserved1;
	uint32_t flags;
	uint8_t reset_reg[12];
	uint8_t reset_value;
	uint16_t arm_boot_arch;
	uint8_t minor_version;
	uint64_t x_firmware_ctrl;
	uint64_t x_dsdt;
	uint8_t x_blocks[8][12];
	uint8_t sleep_control_reg[12];
	uint8_t sleep_status_reg[12];
	uint64_t hypervisor_vendor_identity;
} __attribute__((packed));

struct madt_lapic {
	uint8_t type;
	uint8_t length;
	uint8_t processor_uid;
	uint8_t apic_id;
	uint32_t flags;
} __attribute__((packed));

struct madt {
	struct sdt_header h;
	uint32_t local_apic_address;
	uint32_t flags;
	struct madt_lapic lapic[];
} __attribute__((packed));

_Static_assert(sizeof(struct sdt_header) == 36, "ACPI table header");
_Static_assert(sizeof(struct rsdp) == 36, "ACPI 2.0 RSDP");
_Static_assert(sizeof(struct fadt) == 276, "ACPI 6.0 FADT");
_Static_assert(sizeof(struct madt_lapic) == 8, "MADT Local APIC entry");

/* Offsets of the tables from ACPI_TABLES_GPA, each 16-byte aligned. */
#define ALIGN16(x) (((x) + 15) & ~(size_t)15)
#define OFF_XSDT 0
#define OFF_FADT ALIGN16(OFF_XSDT + sizeof(struct xsdt))
#define OFF_DSDT ALIGN16(OFF_FADT + sizeof(struct fadt))
#define OFF_MADT ALIGN16(OFF_DSDT + sizeof(struct sdt_header))

static size_t madt_size(unsigned int nr_vcpus)
{
	return sizeof(struct madt) + nr_vcpus * sizeof(struct madt_lapic);
}

size_t acpi_tables_size(unsigned int nr_vcpus)
{
	return ALIGN16(OFF_MADT + madt_size(nr_vcpus));
}

/* The byte that makes the bytes of [p, p + len) sum to 0 (mod 256). */
static uint8_t checksum(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint8_t sum = 0;

	for (size_t i = 0; i < len; i++)
		sum += b[i];
	return (uint8_t)-sum;
}

static void header(struct sdt_header *h, const char *sig, uint32_t length, uint8_t revision)
{
	memcpy(h->signature, sig, 4);
	h->length = length;
	h->revision = revision;
	memcpy(h->oem_id, ACPI_OEM_ID, 6);
	memcpy(h->oem_table_id, ACPI_OEM_TABLE_ID, 8);
	h->oem_revision = 1;
	memcpy(h->creator_id, ACPI_CREATOR_ID, 4);
	h->creator_revision = 1;
}

static void seal(struct sdt_header *h)
{
	h->checksum = 0;
	h->checksum = checksum(h, h->length);
}

static void build_fadt(struct fadt *f, uint64_t dsdt_gpa)
{
	header(&f->h, "FACP", sizeof(*f), 6);
	f->dsdt = (uint32_t)dsdt_gpa;
	f->x_dsdt = dsdt_gpa;
	f->iapc_boot_arch = IAPC_VGA_NOT_PRESENT | IAPC_CMOS_RTC_NOT_PRESENT;
	f->flags = FADT_WBINVD | FADT_PROC_C1 | FADT_HW_REDUCED_ACPI;
	seal(&f->h);
}

static void build_madt(struct madt *m, unsigned int nr_vcpus)
{
	header(&m->h, "APIC", (uint32_t)madt_size(nr_vcpus), 4);
	m->local_apic_address = LAPIC_ADDRESS;
	m->flags = 0; /* no 8259 pair (PCAT_COMPAT clear), as for Xen's PVH domUs */
	for (unsigned int i = 0; i < nr_vcpus; i++)
		m->lapic[i] = (struct madt_lapic){ .type = MADT_LOCAL_APIC,
						   .length = sizeof(struct madt_lapic),
						   .processor_uid = (uint8_t)i,
						   .apic_id = (uint8_t)i,
						   .flags = MADT_LAPIC_ENABLED };
	seal(&m->h);
}

/* The RSDP (ACPI 2.0: revision 2, the XSDT; no RSDT) naming the XSDT at xsdt_gpa. */
static void build_rsdp(struct rsdp *r, uint64_t xsdt_gpa)
{
	memcpy(r->signature, "RSD PTR ", 8);
	memcpy(r->oem_id, ACPI_OEM_ID, 6);
	r->revision = 2;
	r->length = sizeof(*r);
	r->xsdt_address = xsdt_gpa;
	r->checksum = checksum(r, 20);
	r->extended_checksum = checksum(r, sizeof(*r));
}

int acpi_place(struct guest_mem *mem, unsigned int nr_vcpus, uint64_t *rsdp_gpa)
{
	/* libxl's order of the ACPI modules in the map: RSDP, info page, tables. */
	const struct guest_memmap_entry ranges[] = {
		{ ACPI_RSDP_GPA, ACPI_RSDP_LEN, GUEST_MEMMAP_ACPI },
		{ ACPI_INFO_GPA, GUEST_PAGE_SIZE, GUEST_MEMMAP_ACPI },
		{ ACPI_TABLES_GPA, ACPI_TABLE_PAGES * GUEST_PAGE_SIZE, GUEST_MEMMAP_ACPI },
	};
	size_t size = acpi_tables_size(nr_vcpus);
	uint8_t *buf;
	struct xsdt *x;
	struct sdt_header *dsdt;
	int rc;

	if (size > ACPI_TABLE_PAGES * GUEST_PAGE_SIZE)
		return -E2BIG;
	rc = guest_mem_firmware(mem, ACPI_FIRMWARE_PAGES, ranges,
				sizeof(ranges) / sizeof(ranges[0]));
	if (rc)
		return rc;
	buf = guest_mem_ptr(mem, ACPI_TABLES_GPA, size);
	x = (struct xsdt *)(buf + OFF_XSDT);
	dsdt = (struct sdt_header *)(buf + OFF_DSDT);
	build_fadt((struct fadt *)(buf + OFF_FADT), ACPI_TABLES_GPA + OFF_DSDT);
	/* An empty definition block: no AML, nothing for the interpreter to run. */
	header(dsdt, "DSDT", sizeof(*dsdt), 2);
	seal(dsdt);
	build_madt((struct madt *)(buf + OFF_MADT), nr_vcpus);
	header(&x->h, "XSDT", sizeof(*x), 1);
	x->entry[0] = ACPI_TABLES_GPA + OFF_FADT;
	x->entry[1] = ACPI_TABLES_GPA + OFF_MADT;
	seal(&x->h);
	build_rsdp(guest_mem_ptr(mem, ACPI_RSDP_GPA, sizeof(struct rsdp)),
		   ACPI_TABLES_GPA + OFF_XSDT);
	*rsdp_gpa = ACPI_RSDP_GPA;
	return 0;
}
