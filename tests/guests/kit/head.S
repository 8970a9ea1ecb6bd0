/* SPDX-License-Identifier: MIT */
/*
 * PVH entry and the switch to long mode.
 *
 * A PVH loader starts us at the address in the XEN_ELFNOTE_PHYS32_ENTRY note in
 * 32-bit flat protected mode with paging off and %ebx holding the physical address
 * of struct hvm_start_info. Selector values and the GDT are the loader's, so the
 * kit loads its own GDT before touching any segment register.
 */
#include <xen/elfnote.h>

#include "long_mode.h"

#define PTE_P	0x001
#define PTE_W	0x002
#define PTE_PS	0x080

/* The ELF note the PVH loader looks for: name "Xen", a 32-bit entry address. */
	.pushsection .note.Xen, "a", @note
	.balign 4
	.long 2f - 1f
	.long 4f - 3f
	.long XEN_ELFNOTE_PHYS32_ENTRY
1:	.asciz "Xen"
2:	.balign 4
3:	.long entry32
4:	.balign 4
	.popsection

	.section .text.entry, "ax"
	.code32
	.globl entry32
entry32:
	cli
	cld
	/* Kept in .data, which the loader copies from the file. */
	movl %ebx, kit_start_info_pa

	lgdt gdt_desc
	ljmp $CS32, $1f
1:	KIT_ARM_LONG_MODE pml4
	movl %cr0, %eax
	orl $(CR0_PG | CR0_PE), %eax
	movl %eax, %cr0
	ljmp $CS64, $entry64

	.code64
entry64:
	/* Reload the GDT register so that its base is a 64-bit value. */
	lgdt gdt_desc
	movl $DS, %eax
	movl %eax, %ds
	movl %eax, %es
	movl %eax, %ss
	xorl %eax, %eax
	movl %eax, %fs
	movl %eax, %gs
	movq $kit_stack_top, %rsp

	/*
	 * .bss is not cleared here: it lies between p_filesz and p_memsz of the load segment,
	 * which a PVH loader zero-fills (ELF semantics; xenkvm and QEMU both do). Touching it
	 * would cost a shadow-paging fault per page on kvm_pvm hosts (~1 ms each) for pages
	 * most tests never use (the SMP stacks, the xenstore buffers).
	 */

	call kit_main
	/* kit_main ends the test; should it come back, stop here. */
2:	cli
	hlt
	jmp 2b

	.data
	.globl kit_start_info_pa
	.balign 8
kit_start_info_pa:
	.quad 0

	.balign 16
gdt:
	.quad 0
	.quad 0x00cf9b000000ffff	/* CS32: flat 32-bit code */
	.quad 0x00cf93000000ffff	/* DS: flat data */
	.quad 0x00af9b000000ffff	/* CS64: 64-bit code */
gdt_end:

	.balign 8
	.word 0, 0, 0
	/* Secondary vCPUs load the same GDT and page tables (kit/smp_entry.S). */
	.globl kit_gdt_desc
kit_gdt_desc:
gdt_desc:
	.word gdt_end - gdt - 1
	.quad gdt

	/* Page tables: one PML4 entry, four PDPT entries, 2048 2-MiB pages. */
	.balign 4096
	.globl kit_pml4
kit_pml4:
pml4:
	.quad pdpt + (PTE_P | PTE_W)
	.fill 511, 8, 0
pdpt:
	.quad pd + 0x0000 + (PTE_P | PTE_W)
	.quad pd + 0x1000 + (PTE_P | PTE_W)
	.quad pd + 0x2000 + (PTE_P | PTE_W)
	.quad pd + 0x3000 + (PTE_P | PTE_W)
	.fill 508, 8, 0
pd:
	.set addr, 0
	.rept 2048
	.quad addr + (PTE_P | PTE_W | PTE_PS)
	.set addr, addr + 0x200000
	.endr

	.bss
	.balign 16
kit_stack:
	.skip 16384
	.globl kit_stack_top
kit_stack_top:

	.section .note.GNU-stack, "", @progbits
