/* SPDX-License-Identifier: MIT */
/*
 * The SIPI trampoline (kit/smp.c copies [kit_trampoline_start, kit_trampoline_end) to
 * KIT_TRAMPOLINE_BASE before sending INIT-SIPI-SIPI). A SIPI with vector V starts the
 * vCPU in real mode at V:0000, that is CS = V << 8 with base V << 12, IP 0. As Linux's
 * trampoline: its own GDT, protected mode, then PAE paging and long mode with the kit's
 * page tables, then kit_ap_entry with its slot's stack and index in %rdi: the slot the
 * BSP left in kit_sipi_cpu, or, for a SIPI to all, the next one from kit_sipi_next. The
 * code is assembled here but runs at the copy, so every address inside it is computed
 * from KIT_TRAMPOLINE_BASE (TR()).
 */
#include "long_mode.h"
#include "smp_trampoline.h"

/* An offset inside the trampoline (real mode, DS = CS), and its address at the copy. */
#define OFF(sym)	((sym) - kit_trampoline_start)
#define TR(sym)		(KIT_TRAMPOLINE_BASE + OFF(sym))

	.section .rodata, "a"
	.balign 16
	.code16
	.globl kit_trampoline_start
kit_trampoline_start:
	cli
	cld
	movw %cs, %ax
	movw %ax, %ds
	/* What the vCPU started with, for the test: CS and CR0 (PE clear: real mode). */
	movw %ax, OFF(kit_trampoline_seen_cs)
	movl %cr0, %eax
	movl %eax, OFF(kit_trampoline_seen_cr0)

	lgdtl OFF(tr_gdt_desc)
	movl %cr0, %eax
	orl $CR0_PE, %eax
	movl %eax, %cr0
	ljmpl $CS32, $TR(tr_pm32)

	.code32
tr_pm32:
	KIT_ARM_LONG_MODE kit_pml4
	movl %cr0, %eax
	orl $CR0_PG, %eax
	movl %eax, %cr0
	ljmpl $CS64, $TR(tr_lm64)

	.code64
tr_lm64:
	/* Absolute addresses (the kit lies below 2 GiB), never %rip-relative here. */
	movl kit_sipi_cpu, %edi
	cmpl $KIT_SIPI_NEXT_SLOT, %edi
	jne 1f
	movl $1, %edi
	lock xaddl %edi, kit_sipi_next
1:	cmpl $KIT_MAX_CPUS, %edi
	jae 3f
	/* The slot's stack: the top of kit_smp_stacks[slot]. */
	leal 1(%edi), %eax
	imull $KIT_SMP_STACK_SIZE, %eax
	addq $kit_smp_stacks, %rax
	movq %rax, %rsp
	movq $kit_ap_entry, %rax
	jmp *%rax
	/* More vCPUs than slots: this one stays out. */
3:	cli
	hlt
	jmp 3b

	.balign 8
tr_gdt:
	.quad 0
	.quad 0x00cf9b000000ffff	/* CS32: flat 32-bit code */
	.quad 0x00cf93000000ffff	/* DS: flat data */
	.quad 0x00af9b000000ffff	/* CS64: 64-bit code, as the kit's GDT */
tr_gdt_end:
tr_gdt_desc:
	.word tr_gdt_end - tr_gdt - 1
	.long TR(tr_gdt)

	.balign 4
	.globl kit_trampoline_seen_cr0, kit_trampoline_seen_cs
kit_trampoline_seen_cr0:
	.long 0
kit_trampoline_seen_cs:
	.word 0
	.globl kit_trampoline_end
kit_trampoline_end:

	.section .note.GNU-stack, "", @progbits
