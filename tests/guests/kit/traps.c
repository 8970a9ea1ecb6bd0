// SPDX-License-Identifier: MIT
/*
 * The IDT and exception dispatch. An exception at an address listed in the
 * exception table (KIT_EXTABLE) is recorded and resumes at its fixup; any other
 * exception or interrupt ends the test as ERROR with vector, error code and RIP.
 */
#include "kit.h"

struct idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t reserved;
} __attribute__((packed));

struct extable_entry {
	uint64_t fault, fixup;
};

#define KIT_CS64 0x18
#define GATE_INTERRUPT 0x8e /* present, DPL 0, 64-bit interrupt gate */
#define SPURIOUS_VECTOR 0xff

extern const char kit_isr_stubs[];
extern const struct extable_entry __start_kit_extable[], __stop_kit_extable[];

static struct idt_gate idt[256] __attribute__((aligned(16)));
static kit_irq_handler irq_handlers[256];
struct kit_exception kit_last_exception;
static bool in_fatal;

void kit_trap(struct kit_regs *regs);
void kit_idt_init(void);

void kit_idt_init(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) desc = { sizeof(idt) - 1, (uint64_t)idt };

	for (unsigned int v = 0; v < ARRAY_SIZE(idt); v++) {
		uint64_t addr = (uint64_t)(kit_isr_stubs + 16 * v);

		idt[v] = (struct idt_gate){
			.offset_lo = addr & 0xffff,
			.selector = KIT_CS64,
			.type_attr = GATE_INTERRUPT,
			.offset_mid = (addr >> 16) & 0xffff,
			.offset_hi = addr >> 32,
		};
	}
	asm volatile("lidt %0" : : "m"(desc));
}

const char *kit_vector_name(unsigned int vector)
{
	static const char *const names[32] = {
		[0] = "#DE",  [1] = "#DB",  [2] = "NMI",  [3] = "#BP",	[4] = "#OF",
		[5] = "#BR",  [6] = "#UD",  [7] = "#NM",  [8] = "#DF",	[10] = "#TS",
		[11] = "#NP", [12] = "#SS", [13] = "#GP", [14] = "#PF", [16] = "#MF",
		[17] = "#AC", [18] = "#MC", [19] = "#XM", [20] = "#VE", [21] = "#CP",
	};

	if (vector < 32 && names[vector])
		return names[vector];
	return vector < 32 ? "reserved" : "interrupt";
}

static uint64_t read_cr2(void)
{
	uint64_t cr2;

	asm volatile("mov %%cr2, %0" : "=r"(cr2));
	return cr2;
}

static const struct extable_entry *find_fixup(uint64_t rip)
{
	for (const struct extable_entry *e = __start_kit_extable; e < __stop_kit_extable; e++)
		if (e->fault == rip)
			return e;
	return NULL;
}

static void dump_regs(const struct kit_regs *r)
{
	printf("kit:  rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", r->rax, r->rbx, r->rcx,
	       r->rdx);
	printf("kit:  rsi %016lx rdi %016lx rbp %016lx rsp %016lx\n", r->rsi, r->rdi, r->rbp,
	       r->rsp);
	printf("kit:  r8  %016lx r9  %016lx r10 %016lx r11 %016lx\n", r->r8, r->r9, r->r10, r->r11);
	printf("kit:  r12 %016lx r13 %016lx r14 %016lx r15 %016lx\n", r->r12, r->r13, r->r14,
	       r->r15);
	printf("kit:  cs %lx rflags %lx ss %lx\n", r->cs, r->rflags, r->ss);
}

void kit_trap(struct kit_regs *regs)
{
	const struct extable_entry *fix = find_fixup(regs->rip);

	if (fix && regs->vector < 32) {
		kit_last_exception.count++;
		kit_last_exception.vector = regs->vector;
		kit_last_exception.error_code = regs->error_code;
		kit_last_exception.rip = regs->rip;
		kit_last_exception.cr2 = regs->vector == 14 ? read_cr2() : 0;
		regs->rip = fix->fixup;
		return;
	}
	if (regs->vector >= 32 && irq_handlers[regs->vector]) {
		irq_handlers[regs->vector](regs);
		return;
	}
	/* A spurious APIC interrupt needs no EOI and means nothing to a test. */
	if (regs->vector == SPURIOUS_VECTOR)
		return;
	if (in_fatal) {
		/* Faulting while reporting a fault: leave without the hypercall page. */
		printf("kit: nested exception %lu at %lx\nTest result: ERROR\n", regs->vector,
		       regs->rip);
		outl(0xf4, 4);
		for (;;)
			asm volatile("cli; hlt");
	}
	in_fatal = true;
	printf("kit: unexpected exception: vector %lu (%s), error code %#lx, RIP %#lx",
	       regs->vector, kit_vector_name(regs->vector), regs->error_code, regs->rip);
	if (regs->vector == 14)
		printf(", CR2 %#lx", read_cr2());
	printf("\n");
	dump_regs(regs);
	kit_end(KIT_ERROR);
}

void kit_set_irq_handler(unsigned int vector, kit_irq_handler fn)
{
	if (vector >= 32 && vector < SPURIOUS_VECTOR)
		irq_handlers[vector] = fn;
}

int rdmsr_safe(uint32_t msr, uint64_t *val)
{
	uint32_t lo = 0, hi = 0;
	int fault = 0;

	asm volatile("1: rdmsr\n\t"
		     "jmp 3f\n"
		     "2: movl $1, %[fault]\n"
		     "3:\n\t" KIT_EXTABLE(1b, 2b)
		     : "=a"(lo), "=d"(hi), [fault] "+r"(fault)
		     : "c"(msr));
	*val = ((uint64_t)hi << 32) | lo;
	return fault ? -1 : 0;
}

int wrmsr_safe(uint32_t msr, uint64_t val)
{
	int fault = 0;

	asm volatile("1: wrmsr\n\t"
		     "jmp 3f\n"
		     "2: movl $1, %[fault]\n"
		     "3:\n\t" KIT_EXTABLE(1b, 2b)
		     : [fault] "+r"(fault)
		     : "c"(msr), "a"((uint32_t)val), "d"((uint32_t)(val >> 32))
		     : "memory");
	return fault ? -1 : 0;
}
