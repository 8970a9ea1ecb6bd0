/* SPDX-License-Identifier: MIT */
/*
 * SMP for test guests: secondary vCPUs brought up with Xen's hypercalls (VCPUOP_initialise
 * with a 64-bit vcpu_hvm_context, then VCPUOP_up) or natively, as Linux does on PVH and
 * HVM (INIT-SIPI-SIPI through the x2APIC into a real-mode trampoline), and functions run
 * on them.
 */
#ifndef KIT_SMP_H
#define KIT_SMP_H

#include "kit.h"

#include <xen/hvm/hvm_vcpu.h>
#include <xen/vcpu.h>

#include "smp_trampoline.h"

typedef void (*kit_cpu_fn)(unsigned int cpu, void *arg);

/*
 * The number of vCPUs the domain has: VCPUOP_is_up answers for every id it has and
 * -ENOENT past the last (as Linux's xen_filter_cpu_maps() counts them).
 */
unsigned int kit_smp_count(void);
/*
 * The 64-bit context that starts vCPU @cpu in the kit (its stack, %rdi = cpu, the kit's
 * page tables); tests change it to probe what Xen refuses.
 */
void kit_smp_context(unsigned int cpu, struct vcpu_hvm_context *ctx);
/* Initialises and ups vCPU @cpu, then waits until it runs kit code; 0 or the error. */
long kit_smp_start_cpu(unsigned int cpu);
/*
 * Native bring-up. kit_smp_trampoline_install() copies the real-mode trampoline to
 * KIT_TRAMPOLINE_BASE (kit/smp_trampoline.h). kit_smp_start_all_sipi() sends INIT-SIPI-
 * SIPI to all but self (the destination shorthand: no APIC id needs to be known, and
 * the kit reads no ACPI MADT to learn them from) and waits until slots 1..n-1 run kit code,
 * each vCPU taking the next slot as it arrives; kit_smp_start_cpu_sipi() sends them to
 * the local APIC @apic_id only and waits for slot @cpu. Both say what CS and CR0 the
 * vCPUs started with; 0, -XEN_EFAULT if an ICR write faulted, or -XEN_ETIMEDOUT. A slot
 * is a kit index, not the vCPU id (CPUID leaf base+4 gives that).
 */
struct kit_sipi_seen {
	uint16_t cs;
	uint32_t cr0;
};
void kit_smp_trampoline_install(void);
long kit_smp_start_cpu_sipi(unsigned int cpu, uint32_t apic_id, struct kit_sipi_seen *seen);
long kit_smp_start_all_sipi(unsigned int n, struct kit_sipi_seen *seen);
/* One INIT (asserted, then de-asserted), or one SIPI at the trampoline, to @apic_id. */
void kit_smp_send_init(uint32_t apic_id);
void kit_smp_send_sipi(uint32_t apic_id);
/* Brings every vCPU up with VCPUOP; returns their number. A failure ends the test as ERROR. */
unsigned int kit_smp_init(void);
/* Whether vCPU @cpu has reached the kit's idle loop. */
bool kit_cpu_online(unsigned int cpu);

/*
 * Runs fn(cpu, arg) on vCPU @cpu (online, not 0) without waiting; kit_cpu_call_done()
 * says when it has returned. One call at a time per vCPU.
 */
void kit_cpu_call_async(unsigned int cpu, kit_cpu_fn fn, void *arg);
bool kit_cpu_call_done(unsigned int cpu);
/* Runs fn on every online vCPU, the calling one (0) included, and waits for all. */
void kit_on_each_cpu(kit_cpu_fn fn, void *arg);

static inline void cpu_relax(void)
{
	asm volatile("pause" ::: "memory");
}

#endif
