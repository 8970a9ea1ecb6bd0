/* SPDX-License-Identifier: MIT */
/*
 * The test-guest kit: what a guest test (tests/guests/NAME.c) may use.
 *
 * A test defines test_main(). The kit enters from the PVH entry point, switches to
 * long mode, installs its IDT, enables the x2APIC when the CPU has one, finds Xen
 * through CPUID, sets up the hypercall page and then calls test_main(). When
 * test_main() returns, the result is SUCCESS unless a check failed (FAILURE); the
 * kit prints "Test result: WORD" and powers the domain off.
 */
#ifndef KIT_H
#define KIT_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <xen/xen.h>
#include <xen/arch-x86/hvm/start_info.h>

enum kit_result { KIT_SUCCESS, KIT_FAILURE, KIT_SKIP, KIT_ERROR };

/* Defined by each test. */
void test_main(void);

/*
 * A test that can run without Xen (the kit's own exception self-test) defines
 * KIT_TEST_RUNS_WITHOUT_XEN at file scope; every other test ends as SKIP when the
 * CPUID scan finds no Xen signature.
 */
extern const bool kit_runs_without_xen;
#define KIT_TEST_RUNS_WITHOUT_XEN const bool kit_runs_without_xen = true

/* What the kit found at start-up. */
struct kit_xen {
	bool found; /* "XenVMMXenVMM" seen in some 0x40000x00 leaf */
	uint32_t base; /* that leaf */
	uint32_t max_leaf; /* EAX of the base leaf */
	bool hypercalls; /* the hypercall page is filled in */
	uint32_t msr; /* hypercall-page MSR from leaf base+2 */
};
extern struct kit_xen kit_xen;
extern bool kit_x2apic; /* x2APIC mode enabled */
extern const struct hvm_start_info *kit_start_info; /* as passed in %ebx */
extern uint8_t hypercall_page[4096];
/* Whether the hypervisor wrote anything into slot @nr (the kit fills it with ud2). */
bool kit_hypercall_slot_written(unsigned int nr);
extern char _image_start[], _image_end[];

/* Ending a test. kit_end() never returns. */
_Noreturn void kit_end(enum kit_result result);
_Noreturn void kit_skip(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
_Noreturn void kit_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* Console on port 0xe9: %s %d %i %u %x %X %p %c %%, flags 0 and -, width, l/ll/z. */
int printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
int vprintf(const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
/* The same through HYPERVISOR_console_io(CONSOLEIO_write); returns 0 or the first error. */
long cio_printf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/*
 * The memory map of hvm_start_info: NULL and *count 0 when there is none.
 * kit_memmap_type() says what [addr, addr + len) is: the XEN_HVM_MEMMAP_TYPE_* of the
 * entry holding all of it, KIT_MEM_HOLE when no entry touches it, KIT_MEM_MIXED
 * otherwise (also for an empty or wrapping range).
 */
#define KIT_MEM_HOLE 0
#define KIT_MEM_MIXED (-1)
const struct hvm_memmap_table_entry *kit_memmap(unsigned int *count);

/*
 * The value of "KEY=value" in the start_info command line, copied into @buf (cut at
 * the next space); NULL when the command line has no such word.
 */
const char *kit_cmdline_value(const char *key, char *buf, size_t size);
/* The decimal number KEY=N on the command line into @val; false when there is no KEY. */
bool kit_cmdline_u64(const char *key, uint64_t *val);
int kit_memmap_type(uint64_t addr, uint64_t len);

/* Checks: a failed check prints where and why and makes the result FAILURE. */
extern unsigned int kit_failures;
void kit_fail(const char *file, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
#define fail(...) kit_fail(__FILE__, __LINE__, __VA_ARGS__)
#define check(cond, ...)                   \
	do {                               \
		if (!(cond))               \
			fail(__VA_ARGS__); \
	} while (0)
/*
 * Compares two integers and prints both values when they differ. What it saw is a fact
 * (below) too, for make check-oracle to compare with real Xen: the value when the
 * expectation is a constant, else "as expected" or the value (a counter or a clock
 * compared with an earlier reading is no fact, but whether it matched is).
 */
#define check_eq(a, b, what)                                                                       \
	do {                                                                                       \
		long long _a = (long long)(a), _b = (long long)(b);                                \
		if (__builtin_constant_p(b) || _a != _b)                                           \
			kit_fact(what, "%lld", _a);                                                \
		else                                                                               \
			kit_fact(what, "as expected");                                             \
		if (_a != _b)                                                                      \
			fail("%s: got %lld (%#llx), expected %lld (%#llx)", what, _a, _a, _b, _b); \
	} while (0)

/*
 * A fact: a value that must equal what real Xen gives the same guest (feature bits,
 * version strings, error codes, parameter values, the memory map). Printed as one
 * "FACT NAME: VALUE" line on port 0xe9, which tests/oracle/check-oracle compares
 * between xenkvm and Xen 4.17 (tests/host/xen-run). Not for values that depend on
 * timing or on the host (TSC frequency, wall clock).
 */
void kit_fact(const char *name, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Exceptions. */
struct kit_regs {
	uint64_t r15, r14, r13, r12, r11, r10, r9, r8;
	uint64_t rbp, rdi, rsi, rdx, rcx, rbx, rax;
	uint64_t vector, error_code;
	uint64_t rip, cs, rflags, rsp, ss; /* the hardware frame */
};

/* The last exception that hit an exception-table entry (see KIT_EXTABLE). */
struct kit_exception {
	unsigned int count;
	uint64_t vector, error_code, rip, cr2;
};
extern struct kit_exception kit_last_exception;

/*
 * KIT_EXTABLE(fault, fixup) in an asm statement: an exception whose RIP is the label
 * `fault` is recorded in kit_last_exception and execution continues at `fixup`. For
 * traps (#BP) the reported RIP is the instruction after, so name that as `fault`.
 */
#define KIT_EXTABLE(fault, fixup)              \
	".pushsection .kit_extable, \"a\"\n\t" \
	".balign 8\n\t"                        \
	".quad " #fault ", " #fixup "\n\t"     \
	".popsection\n\t"

const char *kit_vector_name(unsigned int vector);

/*
 * Interrupts: a handler set for a vector (32-254) runs on that interrupt instead of
 * the test ending as ERROR; it must send the EOI itself (kit_apic_eoi()).
 */
typedef void (*kit_irq_handler)(struct kit_regs *regs);
void kit_set_irq_handler(unsigned int vector, kit_irq_handler fn);
/* x2APIC helpers, valid only when kit_x2apic is true. */
void kit_apic_eoi(void);
void kit_apic_self_ipi(unsigned int vector);
uint32_t kit_apic_id(void);

static inline void irq_enable(void)
{
	asm volatile("sti" ::: "memory");
}

static inline void irq_disable(void)
{
	asm volatile("cli" ::: "memory");
}

/* CPU helpers. */
static inline void cpuid_count(uint32_t leaf, uint32_t sub, uint32_t *a, uint32_t *b, uint32_t *c,
			       uint32_t *d)
{
	asm volatile("cpuid" : "=a"(*a), "=b"(*b), "=c"(*c), "=d"(*d) : "a"(leaf), "c"(sub));
}

static inline void cpuid(uint32_t leaf, uint32_t *a, uint32_t *b, uint32_t *c, uint32_t *d)
{
	cpuid_count(leaf, 0, a, b, c, d);
}

static inline void outb(uint16_t port, uint8_t v)
{
	asm volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	asm volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outl(uint16_t port, uint32_t v)
{
	asm volatile("outl %0, %1" : : "a"(v), "Nd"(port));
}

/* MSR access that survives a #GP: returns 0, or -1 when the access faulted. */
int rdmsr_safe(uint32_t msr, uint64_t *val);
int wrmsr_safe(uint32_t msr, uint64_t val);

/* Freestanding string functions (gcc may also emit calls to the mem* ones). */
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
bool memmem_str(const char *hay, const char *needle); /* strstr() as a bool */

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

#endif
