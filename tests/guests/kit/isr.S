/* SPDX-License-Identifier: MIT */
/*
 * Interrupt entry stubs, the hypercall page and the register probe.
 */

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERRCODE(v) ((v) == 8 || (v) == 10 || (v) == 11 || (v) == 12 || (v) == 13 || \
			(v) == 14 || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.text
	/*
	 * One 16-byte stub per vector: the IDT entry for vector v points at
	 * kit_isr_stubs + 16 * v. Each makes the frame uniform (error code, then
	 * vector) and joins the common path.
	 */
	.balign 16
	.globl kit_isr_stubs
kit_isr_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	.if !HAS_ERRCODE(vec)
	pushq $0
	.endif
	pushq $vec
	jmp kit_isr_common
	.set vec, vec + 1
	.endr

kit_isr_common:
	pushq %rax
	pushq %rbx
	pushq %rcx
	pushq %rdx
	pushq %rsi
	pushq %rdi
	pushq %rbp
	pushq %r8
	pushq %r9
	pushq %r10
	pushq %r11
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	movq %rsp, %rdi		/* struct kit_regs * */
	cld
	call kit_trap
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %r11
	popq %r10
	popq %r9
	popq %r8
	popq %rbp
	popq %rdi
	popq %rsi
	popq %rdx
	popq %rcx
	popq %rbx
	popq %rax
	addq $16, %rsp		/* vector and error code */
	iretq

	/*
	 * The hypercall page. The hypervisor writes its stubs here when the kit writes
	 * the page's address to the MSR from CPUID leaf base+2. Until then it holds
	 * ud2, so a call into an unfilled slot stops with #UD instead of running on.
	 * (Not int3: software interrupts kill the vCPU on kvm_pvm hosts, HOST.md.)
	 */
	.section .hypercall_page, "ax"
	.balign 4096
	.globl hypercall_page
hypercall_page:
	.rept 2048
	ud2
	.endr

/* Offsets in struct kit_gprs (hypercall.h). */
#define G_RAX	0
#define G_RBX	8
#define G_RCX	16
#define G_RDX	24
#define G_RSI	32
#define G_RDI	40
#define G_RBP	48
#define G_RSP	56
#define G_R8	64
#define G_R9	72
#define G_R10	80
#define G_R11	88
#define G_R12	96
#define G_R13	104
#define G_R14	112
#define G_R15	120

	.text
	/* void kit_probe_call(const void *stub, const struct kit_gprs *in, struct kit_gprs *out) */
	.globl kit_probe_call
kit_probe_call:
	pushq %rbx
	pushq %rbp
	pushq %r12
	pushq %r13
	pushq %r14
	pushq %r15
	/* Everything the way back needs lives in memory: no register is safe. */
	movq %rdi, probe_target(%rip)
	movq %rdx, probe_out(%rip)
	movq %rsp, kit_probe_rsp_before(%rip)
	movq %rsi, %rax
	movq G_RBX(%rax), %rbx
	movq G_RCX(%rax), %rcx
	movq G_RDX(%rax), %rdx
	movq G_RSI(%rax), %rsi
	movq G_RDI(%rax), %rdi
	movq G_RBP(%rax), %rbp
	movq G_R8(%rax), %r8
	movq G_R9(%rax), %r9
	movq G_R10(%rax), %r10
	movq G_R11(%rax), %r11
	movq G_R12(%rax), %r12
	movq G_R13(%rax), %r13
	movq G_R14(%rax), %r14
	movq G_R15(%rax), %r15
	movq G_RAX(%rax), %rax
	call *probe_target(%rip)
	movq %rsp, probe_rsp_after(%rip)
	movq kit_probe_rsp_before(%rip), %rsp
	pushq %rax
	movq probe_out(%rip), %rax
	movq %rbx, G_RBX(%rax)
	movq %rcx, G_RCX(%rax)
	movq %rdx, G_RDX(%rax)
	movq %rsi, G_RSI(%rax)
	movq %rdi, G_RDI(%rax)
	movq %rbp, G_RBP(%rax)
	movq %r8, G_R8(%rax)
	movq %r9, G_R9(%rax)
	movq %r10, G_R10(%rax)
	movq %r11, G_R11(%rax)
	movq %r12, G_R12(%rax)
	movq %r13, G_R13(%rax)
	movq %r14, G_R14(%rax)
	movq %r15, G_R15(%rax)
	popq %rcx
	movq %rcx, G_RAX(%rax)
	movq probe_rsp_after(%rip), %rcx
	movq %rcx, G_RSP(%rax)
	popq %r15
	popq %r14
	popq %r13
	popq %r12
	popq %rbp
	popq %rbx
	ret

	/* Changes two registers a hypercall stub must keep: shows the probe can see it. */
	.globl kit_probe_bad_stub
kit_probe_bad_stub:
	xorl %ebx, %ebx
	movl $1, %r11d
	ret

	.data
	.balign 8
	.globl kit_probe_rsp_before
kit_probe_rsp_before:
	.quad 0
probe_rsp_after:
	.quad 0
probe_target:
	.quad 0
probe_out:
	.quad 0

	.section .note.GNU-stack, "", @progbits
