// SPDX-License-Identifier: MIT
/* The 32-bit guests' runtime: see rt32.h. */
#include "rt32.h"

#include <xen/elfnote.h>
#include <xen/sched.h>
#include <xen/arch-x86/cpuid.h>

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

void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

void puts_port(const char *s)
{
	while (*s)
		outb(0xe9, (uint8_t)*s++);
}

void put_hex(uint32_t v)
{
	char buf[11] = "0x";

	for (int i = 0; i < 8; i++)
		buf[2 + i] = "0123456789abcdef"[(v >> (28 - 4 * i)) & 0xf];
	buf[10] = '\0';
	puts_port(buf);
}

void kit_fact_hex(const char *name, uint32_t value)
{
	puts_port("FACT ");
	puts_port(name);
	puts_port(": ");
	put_hex(value);
	puts_port("\n");
}

void check(bool ok, const char *what, uint32_t seen)
{
	if (ok)
		return;
	failed = true;
	puts_port("FAIL ");
	puts_port(test32_name);
	puts_port(": ");
	puts_port(what);
	puts_port(", saw ");
	put_hex(seen);
	puts_port("\n");
}

long hypercall3(unsigned int nr, uint32_t a1, uint32_t a2, uint32_t a3)
{
	uint32_t eax = (uint32_t)(uintptr_t)(hypercall_page + nr * 32);

	asm volatile("call *%%eax"
		     : "+a"(eax), "+b"(a1), "+c"(a2), "+d"(a3)
		     :
		     : "memory", "esi", "edi");
	return (long)(int32_t)eax;
}

void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	cpuid_count(leaf, 0, a, b, c, d);
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

void main32(const struct hvm_start_info *si)
{
	static struct sched_shutdown sd = { .reason = SHUTDOWN_poweroff };
	uint32_t base;

	puts_port(test32_name);
	puts_port(": 32-bit protected mode, paging off\n");
	check(si->magic == XEN_HVM_START_MAGIC_VALUE, "start_info magic", si->magic);
	if (!find_xen(&base)) {
		puts_port(test32_name);
		puts_port(": no Xen signature\nTest result: SKIP\n");
		outb(0xf4, 1);
		return;
	}
	setup_hypercall_page(base);
	test32_main(si, base);
	puts_port(failed ? "Test result: FAILURE\n" : "Test result: SUCCESS\n");
	hypercall3(__HYPERVISOR_sched_op, SCHEDOP_shutdown, (uint32_t)(uintptr_t)&sd, 0);
}
