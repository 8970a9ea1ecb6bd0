// SPDX-License-Identifier: MIT
/*
 * hypercall_cpl3: a hypercall from ring 3 gets -EPERM, as Xen answers an HVM guest's user
 * processes (hvm_hypercall: any CPL but 0). The test drops to ring 3 (a TSS for the way
 * back, user segments, the U bit on the kit's 1:1 page tables) and tries the CPU vendor's
 * hypercall instruction (vmmcall on AMD, vmcall on Intel), the other vendor's, and the
 * hypercall page's stub; `int $0x81` (a DPL-3 gate) brings it back. Afterwards ring 0
 * still gets its answers.
 *
 * The other vendor's instruction is not a hypercall from ring 3: it raises #UD, which KVM
 * emulates only at CPL 0 and otherwise turns into #GP (seen with vmcall on AMD under
 * Linux 6.12's KVM). Needs a transport that intercepts direct vmcall/vmmcall (KVM_XEN);
 * kvm_pvm also mishandles software interrupts from ring 3.
 */
#include "hypercall.h"
#include "kit.h"

#include <xen/version.h>

#define USER_DS 0x20
#define USER_CS 0x28
#define TSS_SEL 0x30
#define RETURN_VECTOR 0x81
#define PTE_U 0x4ULL
#define ADDR_MASK 0x000ffffffffff000ULL

struct tss64 {
	uint32_t reserved0;
	uint64_t rsp[3];
	uint64_t reserved1;
	uint64_t ist[7];
	uint64_t reserved2;
	uint16_t reserved3;
	uint16_t iomap_base;
} __attribute__((packed));

static struct tss64 tss __attribute__((aligned(16)));
static uint64_t gdt[8] __attribute__((aligned(16)));
static uint8_t ring0_stack[8192] __attribute__((aligned(16)));
static uint8_t ring3_stack[8192] __attribute__((aligned(16)));
uint64_t cpl3_saved_rsp;
volatile long cpl3_result;
volatile uint64_t cpl3_seen_cs;

/* The ring-3 snippets: one hypercall (xen_version, XENVER_version), then back to ring 0. */
void cpl3_vmmcall(void);
void cpl3_vmcall(void);
void cpl3_page(void);
void cpl3_resume(void);
/* A fault on the instruction itself skips to the way back, leaving cpl3_result as it was. */
asm(".text\n"
    "cpl3_vmmcall:\n\t"
    "mov $17, %eax\n\txor %edi, %edi\n"
    "1:\tvmmcall\n\t"
    "mov %rax, cpl3_result(%rip)\n"
    "2:\tint $0x81\n\t" KIT_EXTABLE(
	    1b,
	    2b) "\n"
		"cpl3_vmcall:\n\t"
		"mov $17, %eax\n\txor %edi, %edi\n"
		"1:\tvmcall\n\t"
		"mov %rax, cpl3_result(%rip)\n"
		"2:\tint $0x81\n\t" KIT_EXTABLE(
			1b,
			2b) "\n"
			    "cpl3_page:\n\t"
			    "xor %edi, %edi\n\tlea hypercall_page+17*32(%rip), %rax\n\tcall *%rax\n\t"
			    "mov %rax, cpl3_result(%rip)\n\tint $0x81\n");

/* Back from ring 3: resume ring 0 where enter_ring3() left it. */
static void back_to_ring0(struct kit_regs *regs)
{
	cpl3_seen_cs = regs->cs;
	regs->rip = (uint64_t)cpl3_resume;
	regs->cs = 0x18;
	regs->ss = 0x10;
	regs->rsp = cpl3_saved_rsp;
	regs->rflags = 0x2;
}

#define NO_RESULT 1 /* no hypercall returns it here */

static long enter_ring3(void (*fn)(void))
{
	cpl3_result = NO_RESULT;
	cpl3_seen_cs = 0;
	asm volatile("mov %%rsp, cpl3_saved_rsp(%%rip)\n\t"
		     "pushq %[ss]\n\tpushq %[sp]\n\tpushq $0x2\n\tpushq %[cs]\n\tpushq %[ip]\n\t"
		     "iretq\n"
		     "cpl3_resume:\n\t"
		     :
		     : [ss] "i"(USER_DS | 3), [sp] "r"(ring3_stack + sizeof(ring3_stack)),
		       [cs] "i"(USER_CS | 3), [ip] "r"(fn)
		     : "rax", "rcx", "rdx", "rsi", "rdi", "r8", "r9", "r10", "r11", "memory");
	check_eq(cpl3_seen_cs, USER_CS | 3, "back from ring 3 through the DPL-3 gate");
	return cpl3_result;
}

static void setup_gdt_tss(void)
{
	uint64_t base = (uint64_t)&tss, limit = sizeof(tss) - 1;
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) desc = { sizeof(gdt) - 1, (uint64_t)gdt };

	gdt[1] = 0x00cf9b000000ffffULL; /* the kit's selectors stay as they are */
	gdt[2] = 0x00cf93000000ffffULL;
	gdt[3] = 0x00af9b000000ffffULL;
	gdt[4] = 0x00cff3000000ffffULL; /* USER_DS: data, DPL 3 */
	gdt[5] = 0x00affb000000ffffULL; /* USER_CS: 64-bit code, DPL 3 */
	gdt[6] = (limit & 0xffff) | (base & 0xffffff) << 16 | 0x89ULL << 40 |
		 ((limit >> 16) & 0xf) << 48 | ((base >> 24) & 0xff) << 56;
	gdt[7] = base >> 32;
	tss.rsp[0] = (uint64_t)(ring0_stack + sizeof(ring0_stack));
	tss.iomap_base = sizeof(tss); /* no I/O bitmap: ring 3 has no port access */
	asm volatile("lgdt %0\n\tltr %w1" : : "m"(desc), "r"(TSS_SEL) : "memory");
}

/* The return gate must be reachable from ring 3: DPL 3 in its type byte. */
static void open_return_gate(void)
{
	struct {
		uint16_t limit;
		uint64_t base;
	} __attribute__((packed)) idtr;

	asm volatile("sidt %0" : "=m"(idtr));
	((uint8_t *)idtr.base)[16 * RETURN_VECTOR + 5] = 0xee;
	kit_set_irq_handler(RETURN_VECTOR, back_to_ring0);
}

/* The kit maps the low 4 GiB 1:1 in 2 MiB pages; let ring 3 use them too. */
static void open_pages_to_ring3(void)
{
	uint64_t *pml4, *pdpt, *pd, cr3;

	asm volatile("mov %%cr3, %0" : "=r"(cr3));
	pml4 = (uint64_t *)(cr3 & ADDR_MASK);
	pml4[0] |= PTE_U;
	pdpt = (uint64_t *)(pml4[0] & ADDR_MASK);
	for (unsigned int i = 0; i < 4; i++) {
		pdpt[i] |= PTE_U;
		pd = (uint64_t *)(pdpt[i] & ADDR_MASK);
		for (unsigned int j = 0; j < 512; j++)
			pd[j] |= PTE_U;
	}
	asm volatile("mov %0, %%cr3" : : "r"(cr3) : "memory");
}

static bool cpu_is_amd(void)
{
	uint32_t eax = 0, ebx, ecx, edx;

	asm volatile("cpuid" : "+a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx));
	return ebx == 0x68747541 && edx == 0x69746e65 && ecx == 0x444d4163; /* AuthenticAMD */
}

static void try_instruction(const char *name, void (*fn)(void), bool native)
{
	unsigned int faults = kit_last_exception.count;
	long rc = enter_ring3(fn);
	bool faulted = kit_last_exception.count != faults;

	printf("hypercall_cpl3: %s from ring 3 (%s instruction): %s %ld\n", name,
	       native ? "the vendor's" : "the other vendor's", faulted ? "fault, vector" : "rax",
	       faulted ? (long)kit_last_exception.vector : rc);
	if (native) {
		check(!faulted, "%s from ring 3 faulted (vector %lu)", name,
		      (unsigned long)kit_last_exception.vector);
		check_eq(rc, -XEN_EPERM, "the vendor's hypercall instruction from ring 3");
	} else {
		check(faulted && kit_last_exception.vector == 13,
		      "%s from ring 3: expected #GP, saw %s %ld", name,
		      faulted ? "vector" : "a result",
		      faulted ? (long)kit_last_exception.vector : rc);
		check_eq(rc, NO_RESULT, "no hypercall made by the other vendor's instruction");
	}
}

void test_main(void)
{
	long version = HYPERVISOR_xen_version(XENVER_version, NULL);
	bool amd = cpu_is_amd();
	long rc;

	setup_gdt_tss();
	open_return_gate();
	open_pages_to_ring3();

	try_instruction("vmmcall", cpl3_vmmcall, amd);
	try_instruction("vmcall", cpl3_vmcall, !amd);
	rc = enter_ring3(cpl3_page);
	printf("hypercall_cpl3: hypercall page from ring 3: %ld\n", rc);
	check_eq(rc, -XEN_EPERM, "the hypercall page's stub from ring 3");
	check_eq(HYPERVISOR_xen_version(XENVER_version, NULL), version,
		 "XENVER_version from ring 0 afterwards");
}
