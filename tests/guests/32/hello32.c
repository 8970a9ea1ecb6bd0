// SPDX-License-Identifier: MIT
/*
 * hello32: an ELF32 PVH guest that never enables paging and calls Xen through the
 * hypercall page with the 32-bit ABI (number in EAX, arguments in EBX, ECX, EDX, ESI,
 * EDI). It proves the loader takes ELF32 images and that the VMM decodes 32-bit calls
 * and writes 32-bit (compat) layouts, which 64-bit guests never exercise.
 */
#include <stdbool.h>
#include <stdint.h>
#include <xen/xen.h>
#include <xen/elfnote.h>
#include <xen/errno.h>
#include <xen/features.h>
#include <xen/sched.h>
#include <xen/version.h>
#include <xen/arch-x86/cpuid.h>
#include <xen/arch-x86/hvm/start_info.h>

#define XSTR(x) STR(x)
#define STR(x) #x

/* The PVH entry note: the 32-bit physical entry point. */
asm(".pushsection .note.Xen, \"a\", @note\n"
    ".balign 4\n"
    ".long 4, 4, " XSTR(XEN_ELFNOTE_PHYS32_ENTRY) "\n"
    ".asciz \"Xen\"\n"
    ".balign 4\n"
    ".long entry32\n"
    ".popsection");

/* Flat 32-bit protected mode, paging off, %ebx = start_info: just get a stack. */
asm(".pushsection .text.entry, \"ax\"\n"
    ".globl entry32\n"
    "entry32:\n"
    "  mov $stack_top, %esp\n"
    "  push %ebx\n"
    "  call main32\n"
    "1: cli\n"
    "  hlt\n"
    "  jmp 1b\n"
    ".popsection");

static uint8_t stack[8192] __attribute__((aligned(16), used));
asm(".pushsection .data\n.globl stack_top\n.set stack_top, stack + 8192\n.popsection");

static uint8_t hypercall_page[4096] __attribute__((aligned(4096)));
static bool failed;

void main32(const struct hvm_start_info *si);

static void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static void puts_port(const char *s)
{
	while (*s)
		outb(0xe9, (uint8_t)*s++);
}

static void put_hex(uint32_t v)
{
	char buf[11] = "0x";

	for (int i = 0; i < 8; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xf];
	buf[10] = '\0';
	puts_port(buf);
}

static void check(bool ok, const char *what, uint32_t seen)
{
	if (ok)
		return;
	failed = true;
	puts_port("FAIL hello32: ");
	puts_port(what);
	puts_port(", saw ");
	put_hex(seen);
	puts_port("\n");
}

/* The 32-bit hypercall ABI; the argument registers count as clobbered, as in Linux. */
static long hypercall3(unsigned int nr, uint32_t a1, uint32_t a2, uint32_t a3)
{
	uint32_t eax = (uint32_t)(uintptr_t)(hypercall_page + nr * 32);

	asm volatile("call *%%eax"
		     : "+a"(eax), "+b"(a1), "+c"(a2), "+d"(a3)
		     :
		     : "memory", "esi", "edi");
	return (long)(int32_t)eax;
}

static void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(0));
}

static bool find_xen(uint32_t *base)
{
	for (uint32_t leaf = 0x40000000; leaf < 0x40010000; leaf += 0x100) {
		uint32_t a, b, c, d;

		cpuid(leaf, &a, &b, &c, &d);
		if (b == XEN_CPUID_SIGNATURE_EBX && c == XEN_CPUID_SIGNATURE_ECX &&
		    d == XEN_CPUID_SIGNATURE_EDX) {
			*base = leaf;
			return true;
		}
	}
	return false;
}

static void setup_hypercall_page(uint32_t base)
{
	uint32_t pages, msr, c, d;

	cpuid(base + 2, &pages, &msr, &c, &d);
	check(pages >= 1, "hypercall pages", pages);
	asm volatile("wrmsr" : : "c"(msr), "a"((uint32_t)(uintptr_t)hypercall_page), "d"(0));
}

static void test_version(uint32_t base)
{
	uint32_t a, b, c, d;
	long v = hypercall3(__HYPERVISOR_xen_version, XENVER_version, 0, 0);

	cpuid(base + 1, &a, &b, &c, &d);
	/* The version leaf and XENVER_version report the same major.minor. */
	check((uint32_t)v == a, "XENVER_version differs from CPUID leaf base+1", (uint32_t)v);
}

static void test_features(void)
{
	static xen_feature_info_t fi;
	long rc;

	fi.submap_idx = 0;
	rc = hypercall3(__HYPERVISOR_xen_version, XENVER_get_features, (uint32_t)(uintptr_t)&fi,
			0);
	check(rc == 0, "XENVER_get_features", (uint32_t)rc);
	check(fi.submap & (1u << XENFEAT_auto_translated_physmap),
	      "an HVM guest lacks auto_translated_physmap", fi.submap);
	/* A pointer into the MMIO hole below 4 GiB is no memory: -EFAULT. */
	rc = hypercall3(__HYPERVISOR_xen_version, XENVER_get_features, 0xfee00000u, 0);
	check(rc == -XEN_EFAULT, "XENVER_get_features on 0xfee00000", (uint32_t)rc);
}

/*
 * A 32-bit caller gets the compat layout: a 4-byte virt_start, which Xen sets to ~0 for
 * HVM domains (there is no hypervisor hole in their address space).
 */
static void test_platform_parameters(void)
{
	static uint32_t buf[2];
	long rc;

	buf[0] = buf[1] = 0xaaaaaaaau;
	rc = hypercall3(__HYPERVISOR_xen_version, XENVER_platform_parameters,
			(uint32_t)(uintptr_t)buf, 0);
	check(rc == 0, "XENVER_platform_parameters", (uint32_t)rc);
	check(buf[0] == 0xffffffffu, "compat virt_start", buf[0]);
	check(buf[1] == 0xaaaaaaaau, "bytes written past the 32-bit layout", buf[1]);
}

static void test_console_and_unknown(void)
{
	static const char msg[] = "hello32: through CONSOLEIO_write from 32-bit code\n";
	long rc = hypercall3(__HYPERVISOR_console_io, CONSOLEIO_write, sizeof(msg) - 1,
			     (uint32_t)(uintptr_t)msg);

	check(rc == 0, "CONSOLEIO_write", (uint32_t)rc);
	rc = hypercall3(55, 0, 0, 0);
	check(rc == -XEN_ENOSYS, "unknown hypercall 55", (uint32_t)rc);
}

void main32(const struct hvm_start_info *si)
{
	static struct sched_shutdown sd = { .reason = SHUTDOWN_poweroff };
	uint32_t base;

	puts_port("hello32: 32-bit protected mode, paging off\n");
	check(si->magic == XEN_HVM_START_MAGIC_VALUE, "start_info magic", si->magic);
	if (!find_xen(&base)) {
		puts_port("hello32: no Xen signature\nTest result: SKIP\n");
		outb(0xf4, 1);
		return;
	}
	setup_hypercall_page(base);
	test_version(base);
	test_features();
	test_platform_parameters();
	test_console_and_unknown();
	puts_port(failed ? "Test result: FAILURE\n" : "Test result: SUCCESS\n");
	hypercall3(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (uint32_t)(uintptr_t)&sd, 0);
}
