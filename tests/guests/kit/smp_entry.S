/* SPDX-License-Identifier: MIT */
/*
 * Where a secondary vCPU starts (kit/smp.c): VCPUOP_initialise puts it straight into
 * 64-bit mode with the kit's page tables, %rsp at its own stack and %rdi = its index,
 * but with Xen's segment state (selectors 0) and no GDT or IDT of ours yet.
 */
#define DS	0x10
#define CS64	0x18

	.text
	.code64
	.globl kit_ap_entry
kit_ap_entry:
	lgdt kit_gdt_desc
	/* Reload CS with the kit's selector so that interrupts return to a valid one. */
	pushq $CS64
	leaq 1f(%rip), %rax
	pushq %rax
	lretq
1:	movl $DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	call kit_ap_main
2:	cli
	hlt
	jmp 2b

	.section .note.GNU-stack, "", @progbits
