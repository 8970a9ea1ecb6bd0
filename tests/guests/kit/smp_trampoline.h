/* SPDX-License-Identifier: MIT */
/*
 * The real-mode trampoline secondary vCPUs start in after INIT-SIPI-SIPI (kit/smp.c,
 * kit/smp_trampoline.S), as Linux's arch/x86/realmode/rm/trampoline_64.S: one page below
 * 1 MiB, the SIPI vector being its page number. The last page of conventional memory,
 * above the boot data xenkvm puts at 4 KiB.
 */
#ifndef KIT_SMP_TRAMPOLINE_H
#define KIT_SMP_TRAMPOLINE_H

#define KIT_TRAMPOLINE_BASE 0x9f000
#define KIT_SIPI_VECTOR (KIT_TRAMPOLINE_BASE >> 12)

/* Shared with the trampoline's assembly: the kit's vCPU slots and their stacks. */
#define KIT_MAX_CPUS 8
#define KIT_SMP_STACK_SIZE 8192
/* kit_sipi_cpu when every vCPU that arrives takes the next free slot (a broadcast SIPI). */
#define KIT_SIPI_NEXT_SLOT 0xffffffff

#endif
