/* SPDX-License-Identifier: MIT */
/*
 * What the kit's two ways into long mode share (kit/head.S from the PVH entry, and the
 * SIPI trampoline in kit/smp_trampoline.S): the GDT selectors both GDTs lay out alike,
 * the control-register bits, and the step from flat 32-bit protected mode to long mode
 * armed (PAE on, the kit's page tables in CR3, EFER.LME set). Each caller then sets
 * CR0.PG and far-jumps to its own 64-bit code. For .S files only.
 */
#ifndef KIT_LONG_MODE_H
#define KIT_LONG_MODE_H

#define CS32	0x08
#define DS	0x10
#define CS64	0x18

#define CR0_PE	0x00000001
#define CR0_PG	0x80000000
#define CR4_PAE	0x00000020
#define MSR_EFER	0xc0000080
#define EFER_LME	0x00000100

#ifdef __ASSEMBLER__
/* In 32-bit protected mode with the kit's GDT loaded; clobbers %eax, %ecx, %edx. */
.macro KIT_ARM_LONG_MODE pml4
	movl $DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	movl %eax, %fs
	movl %eax, %gs
	/* Long mode needs PAE paging: the kit's tables map the low 4 GiB 1:1 in 2 MiB pages. */
	movl %cr4, %eax
	orl $CR4_PAE, %eax
	movl %eax, %cr4
	movl $\pml4, %eax
	movl %eax, %cr3
	movl $MSR_EFER, %ecx
	rdmsr
	orl $EFER_LME, %eax
	wrmsr
.endm
#endif

#endif
