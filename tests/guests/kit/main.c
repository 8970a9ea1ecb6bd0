// SPDX-License-Identifier: MIT
/*
 * Start-up and the end of a test.
 */
#include "kit.h"
#include "hypercall.h"

#include <xen/arch-x86/cpuid.h>

#define MSR_IA32_APIC_BASE 0x1b
#define APIC_BASE_EXTD (1ULL << 10) /* x2APIC mode */
#define APIC_BASE_EN (1ULL << 11)
#define MSR_X2APIC_ID 0x802
#define MSR_X2APIC_EOI 0x80b
#define MSR_X2APIC_SVR 0x80f
#define MSR_X2APIC_SELF_IPI 0x83f
#define SVR_ENABLE 0x100
#define CPUID1_ECX_X2APIC (1u << 21)

/* Port 0xf4 (isa-debug-exit): the value written becomes exit status (value << 1) | 1. */
#define DEBUG_EXIT_PORT 0xf4

struct kit_xen kit_xen;
bool kit_x2apic;
const struct hvm_start_info *kit_start_info;
unsigned int kit_failures;
extern uint64_t kit_start_info_pa;
__attribute__((weak)) const bool kit_runs_without_xen;

void kit_main(void);
void kit_idt_init(void);

static const char *const result_words[] = {
	[KIT_SUCCESS] = "SUCCESS",
	[KIT_FAILURE] = "FAILURE",
	[KIT_SKIP] = "SKIP",
	[KIT_ERROR] = "ERROR",
};

/*
 * Without a hypervisor to power off, the kit leaves through port 0xf4: SKIP writes 1
 * (status 3), SUCCESS 2 (5), FAILURE 3 (7), ERROR 4 (9). Never 0, whose status 1 is
 * the VMM's own failure.
 */
static const uint8_t exit_codes[] = {
	[KIT_SUCCESS] = 2,
	[KIT_FAILURE] = 3,
	[KIT_SKIP] = 1,
	[KIT_ERROR] = 4,
};

_Noreturn void kit_end(enum kit_result result)
{
	printf("Test result: %s\n", result_words[result]);
	if (kit_xen.hypercalls) {
		long rc = kit_shutdown(SHUTDOWN_poweroff);

		printf("kit: SCHEDOP_shutdown(SHUTDOWN_poweroff) returned %ld\n", rc);
	}
	outb(DEBUG_EXIT_PORT, exit_codes[result]);
	for (;;)
		asm volatile("cli; hlt");
}

_Noreturn void kit_skip(const char *fmt, ...)
{
	va_list ap;

	printf("kit: skip: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	kit_end(KIT_SKIP);
}

_Noreturn void kit_error(const char *fmt, ...)
{
	va_list ap;

	printf("kit: error: ");
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
	kit_end(KIT_ERROR);
}

void kit_fail(const char *file, int line, const char *fmt, ...)
{
	va_list ap;

	kit_failures++;
	printf("FAIL %s:%d: ", file, line);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	printf("\n");
}

static void wrmsr(uint32_t msr, uint64_t val)
{
	asm volatile("wrmsr"
		     :
		     : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
		     : "memory");
}

static uint64_t rdmsr(uint32_t msr)
{
	uint32_t lo, hi;

	asm volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((uint64_t)hi << 32) | lo;
}

void kit_apic_eoi(void)
{
	wrmsr(MSR_X2APIC_EOI, 0);
}

/* The x2APIC SELF IPI register: a fixed interrupt to this CPU with @vector. */
void kit_apic_self_ipi(unsigned int vector)
{
	wrmsr(MSR_X2APIC_SELF_IPI, vector & 0xff);
}

uint32_t kit_apic_id(void)
{
	return (uint32_t)rdmsr(MSR_X2APIC_ID);
}

/* Enables x2APIC mode when CPUID says the CPU has it; xAPIC MMIO is never used. */
static void x2apic_init(void)
{
	uint32_t a, b, c, d;
	uint64_t base;

	cpuid(1, &a, &b, &c, &d);
	if (!(c & CPUID1_ECX_X2APIC)) {
		printf("kit: no x2APIC (CPUID.1:ECX[21] clear), APIC left alone\n");
		return;
	}
	if (rdmsr_safe(MSR_IA32_APIC_BASE, &base) ||
	    wrmsr_safe(MSR_IA32_APIC_BASE, base | APIC_BASE_EN | APIC_BASE_EXTD) ||
	    wrmsr_safe(MSR_X2APIC_SVR, SVR_ENABLE | 0xff)) {
		printf("kit: enabling the x2APIC faulted, APIC left alone\n");
		return;
	}
	kit_x2apic = true;
	printf("kit: x2APIC enabled, APIC id %u\n", kit_apic_id());
}

/*
 * Xen's leaves start at the first 0x100-aligned base from 0x40000000 that is not
 * taken by another interface (arch-x86/cpuid.h), so every base up to 0x4000ff00 is
 * tried, as Linux's xen_cpuid_base() does.
 */
static void xen_detect(void)
{
	for (uint32_t base = XEN_CPUID_FIRST_LEAF; base < XEN_CPUID_FIRST_LEAF + 0x10000;
	     base += 0x100) {
		uint32_t a, b, c, d;

		cpuid(base, &a, &b, &c, &d);
		if (b == XEN_CPUID_SIGNATURE_EBX && c == XEN_CPUID_SIGNATURE_ECX &&
		    d == XEN_CPUID_SIGNATURE_EDX && a - base >= 2) {
			kit_xen.found = true;
			kit_xen.base = base;
			kit_xen.max_leaf = a;
			return;
		}
	}
}

bool kit_hypercall_slot_written(unsigned int nr)
{
	const uint8_t *slot = hypercall_page + 32 * nr;

	for (unsigned int i = 0; i < 32; i += 2)
		if (slot[i] != 0x0f || slot[i + 1] != 0x0b)
			return true;
	return false;
}

/* Leaf base+2 names the MSR; writing the page's address | 0 fills page 0. */
static void hypercall_page_init(void)
{
	uint32_t pages, msr, c, d;

	cpuid(kit_xen.base + 2, &pages, &msr, &c, &d);
	kit_xen.msr = msr;
	if (pages < 1)
		kit_error("CPUID %#x reports %u hypercall pages", kit_xen.base + 2, pages);
	if (wrmsr_safe(msr, (uint64_t)hypercall_page))
		kit_error("writing the hypercall page address to MSR %#x faulted", msr);
	/* The page starts as ud2 (0f 0b); an untouched slot means nothing was written. */
	if (!kit_hypercall_slot_written(__HYPERVISOR_xen_version) ||
	    !kit_hypercall_slot_written(__HYPERVISOR_sched_op))
		kit_error("the hypervisor did not fill the hypercall page at %p (MSR %#x)",
			  hypercall_page, msr);
	kit_xen.hypercalls = true;
}

void kit_main(void)
{
	kit_start_info = (const struct hvm_start_info *)kit_start_info_pa;
	kit_idt_init();
	printf("kit: image %p-%p, start_info at %p\n", _image_start, _image_end, kit_start_info);
	x2apic_init();
	xen_detect();
	if (!kit_xen.found) {
		if (!kit_runs_without_xen)
			kit_skip("no Xen signature in CPUID leaves 0x40000000-0x4000ff00");
		printf("kit: no Xen signature; this test runs without Xen\n");
	} else {
		printf("kit: Xen leaves at %#x, max leaf %#x\n", kit_xen.base, kit_xen.max_leaf);
		hypercall_page_init();
	}
	test_main();
	kit_end(kit_failures ? KIT_FAILURE : KIT_SUCCESS);
}
