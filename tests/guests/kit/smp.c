// SPDX-License-Identifier: MIT
/*
 * Secondary vCPUs: brought up either with VCPUOP_initialise + VCPUOP_up (xen/vcpu.h,
 * xen/hvm/hvm_vcpu.h), or as Linux brings them up on PVH and HVM, with INIT-SIPI-SIPI
 * through the x2APIC into a real-mode trampoline (kit/smp_trampoline.S). Then each
 * waits in a loop for a function to run. vCPU 0 posts work through a per-vCPU mailbox;
 * a sequence number published with release ordering hands it over and a second one
 * reports completion.
 */
#include "smp.h"
#include "hypercall.h"
#include "smp_trampoline.h"

#define MSR_IA32_APIC_BASE 0x1b
#define APIC_BASE_EXTD (1ULL << 10)
#define APIC_BASE_EN (1ULL << 11)
#define MSR_X2APIC_SVR 0x80f
#define SVR_ENABLE 0x100
#define CR0_PE (1ULL << 0)
#define CR0_ET (1ULL << 4)
#define CR0_PG (1ULL << 31)
#define CR4_PAE (1ULL << 5)
#define EFER_LME (1ULL << 8)
/* How long kit_smp_start_cpu() waits for a vCPU to reach kit code (pause loops). */
#define ONLINE_SPINS 200000000ULL
/* The x2APIC interrupt command register and the fields of its low half (SDM 10.6.1). */
#define MSR_X2APIC_ICR 0x830
#define ICR_DM_INIT (5u << 8)
#define ICR_DM_STARTUP (6u << 8)
#define ICR_LEVEL_ASSERT (1u << 14)
#define ICR_TRIGGER_LEVEL (1u << 15)
#define ICR_ALL_BUT_SELF (3u << 18)

struct mailbox {
	kit_cpu_fn fn;
	void *arg;
	unsigned int posted; /* written by vCPU 0 */
	unsigned int done; /* written by the vCPU */
	bool online;
};

extern char kit_ap_entry[];
extern uint64_t kit_pml4[];
void kit_ap_main(unsigned int cpu);
void kit_idt_init(void);

extern char kit_trampoline_start[], kit_trampoline_end[];
extern char kit_trampoline_seen_cs[], kit_trampoline_seen_cr0[];

static struct mailbox mailboxes[KIT_MAX_CPUS];
/* One stack per slot; the trampoline picks its slot's (kit_smp_stacks[slot + 1] is its top). */
uint8_t kit_smp_stacks[KIT_MAX_CPUS][KIT_SMP_STACK_SIZE] __attribute__((aligned(16)));
/* What the trampoline's 64-bit code loads for the vCPU being started (one at a time). */
uint32_t kit_sipi_cpu;
uint32_t kit_sipi_next;

unsigned int kit_smp_count(void)
{
	unsigned int n = 0;

	while (n < KIT_MAX_CPUS && HYPERVISOR_vcpu_op(VCPUOP_is_up, n, NULL) != -XEN_ENOENT)
		n++;
	return n;
}

void kit_smp_context(unsigned int cpu, struct vcpu_hvm_context *ctx)
{
	memset(ctx, 0, sizeof(*ctx));
	ctx->mode = VCPU_HVM_MODE_64B;
	ctx->cpu_regs.x86_64 = (struct vcpu_hvm_x86_64){
		.rip = (uint64_t)kit_ap_entry,
		.rsp = (uint64_t)&kit_smp_stacks[cpu][KIT_SMP_STACK_SIZE],
		.rdi = cpu,
		.rflags = 0x2, /* interrupts off until the vCPU has an IDT */
		.cr0 = CR0_PG | CR0_ET | CR0_PE,
		.cr3 = (uint64_t)kit_pml4,
		.cr4 = CR4_PAE,
		.efer = EFER_LME,
	};
}

bool kit_cpu_online(unsigned int cpu)
{
	return __atomic_load_n(&mailboxes[cpu].online, __ATOMIC_ACQUIRE);
}

long kit_smp_start_cpu(unsigned int cpu)
{
	struct vcpu_hvm_context ctx;
	long rc;

	kit_smp_context(cpu, &ctx);
	rc = HYPERVISOR_vcpu_op(VCPUOP_initialise, cpu, &ctx);
	if (!rc)
		rc = HYPERVISOR_vcpu_op(VCPUOP_up, cpu, NULL);
	for (uint64_t i = 0; !rc && !kit_cpu_online(cpu); i++) {
		if (i == ONLINE_SPINS)
			return -XEN_ETIMEDOUT;
		cpu_relax();
	}
	return rc;
}

/* Where a trampoline symbol lies in the copy the vCPUs run. */
static volatile void *trampoline_copy(const char *sym)
{
	return (volatile void *)(uintptr_t)(KIT_TRAMPOLINE_BASE + (sym - kit_trampoline_start));
}

void kit_smp_trampoline_install(void)
{
	memcpy((void *)(uintptr_t)KIT_TRAMPOLINE_BASE, kit_trampoline_start,
	       (size_t)(kit_trampoline_end - kit_trampoline_start));
}

static bool icr_write(uint32_t apic_id, uint32_t low)
{
	return wrmsr_safe(MSR_X2APIC_ICR, (uint64_t)apic_id << 32 | low) == 0;
}

/* Forgets what a slot's vCPU did before: it starts (again) from the trampoline. */
static void reset_slot(unsigned int cpu)
{
	__atomic_store_n(&mailboxes[cpu].online, false, __ATOMIC_RELAXED);
	mailboxes[cpu].done = mailboxes[cpu].posted;
}

static bool wait_online(unsigned int cpu)
{
	for (uint64_t i = 0; !kit_cpu_online(cpu); i++) {
		if (i == ONLINE_SPINS)
			return false;
		cpu_relax();
	}
	return true;
}

static void read_seen(struct kit_sipi_seen *seen)
{
	seen->cs = *(volatile uint16_t *)trampoline_copy(kit_trampoline_seen_cs);
	seen->cr0 = *(volatile uint32_t *)trampoline_copy(kit_trampoline_seen_cr0);
}

static void clear_seen(void)
{
	*(volatile uint16_t *)trampoline_copy(kit_trampoline_seen_cs) = 0;
	*(volatile uint32_t *)trampoline_copy(kit_trampoline_seen_cr0) = ~0u;
}

/* Linux's wakeup_secondary_cpu_via_init(): INIT asserted, de-asserted, two SIPIs. */
static bool init_sipi_sipi(uint32_t dest, uint32_t shorthand)
{
	return icr_write(dest, shorthand | ICR_TRIGGER_LEVEL | ICR_LEVEL_ASSERT | ICR_DM_INIT) &&
	       icr_write(dest, shorthand | ICR_TRIGGER_LEVEL | ICR_DM_INIT) &&
	       icr_write(dest, shorthand | ICR_DM_STARTUP | KIT_SIPI_VECTOR) &&
	       icr_write(dest, shorthand | ICR_DM_STARTUP | KIT_SIPI_VECTOR);
}

long kit_smp_start_cpu_sipi(unsigned int cpu, uint32_t apic_id, struct kit_sipi_seen *seen)
{
	clear_seen();
	reset_slot(cpu);
	kit_sipi_cpu = cpu;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!init_sipi_sipi(apic_id, 0))
		return -XEN_EFAULT;
	if (!wait_online(cpu))
		return -XEN_ETIMEDOUT;
	read_seen(seen);
	return 0;
}

long kit_smp_start_all_sipi(unsigned int n, struct kit_sipi_seen *seen)
{
	clear_seen();
	for (unsigned int cpu = 1; cpu < n; cpu++)
		reset_slot(cpu);
	kit_sipi_cpu = KIT_SIPI_NEXT_SLOT;
	kit_sipi_next = 1;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	if (!init_sipi_sipi(0, ICR_ALL_BUT_SELF))
		return -XEN_EFAULT;
	for (unsigned int cpu = 1; cpu < n; cpu++)
		if (!wait_online(cpu))
			return -XEN_ETIMEDOUT;
	read_seen(seen);
	return 0;
}

void kit_smp_send_init(uint32_t apic_id)
{
	icr_write(apic_id, ICR_TRIGGER_LEVEL | ICR_LEVEL_ASSERT | ICR_DM_INIT);
	icr_write(apic_id, ICR_TRIGGER_LEVEL | ICR_DM_INIT);
}

void kit_smp_send_sipi(uint32_t apic_id)
{
	icr_write(apic_id, ICR_DM_STARTUP | KIT_SIPI_VECTOR);
}

unsigned int kit_smp_init(void)
{
	unsigned int n = kit_smp_count();

	__atomic_store_n(&mailboxes[0].online, true, __ATOMIC_RELEASE);
	for (unsigned int cpu = 1; cpu < n; cpu++) {
		long rc = kit_smp_start_cpu(cpu);

		if (rc)
			kit_error("bringing up vCPU %u: %ld", cpu, rc);
	}
	return n;
}

/* The x2APIC is per CPU: each vCPU switches its own to x2APIC mode. */
static void ap_x2apic_init(void)
{
	uint64_t base;

	if (!kit_x2apic)
		return;
	if (rdmsr_safe(MSR_IA32_APIC_BASE, &base) ||
	    wrmsr_safe(MSR_IA32_APIC_BASE, base | APIC_BASE_EN | APIC_BASE_EXTD) ||
	    wrmsr_safe(MSR_X2APIC_SVR, SVR_ENABLE | 0xff))
		printf("kit: enabling the x2APIC on a secondary vCPU faulted\n");
}

void kit_ap_main(unsigned int cpu)
{
	struct mailbox *m = &mailboxes[cpu];

	kit_idt_init(); /* same table, loaded into this vCPU's IDTR */
	ap_x2apic_init();
	__atomic_store_n(&m->online, true, __ATOMIC_RELEASE);
	for (;;) {
		unsigned int posted = __atomic_load_n(&m->posted, __ATOMIC_ACQUIRE);

		if (posted == m->done) {
			/* Interrupts (event upcalls) are taken while idle, not inside calls. */
			irq_enable();
			cpu_relax();
			irq_disable();
			continue;
		}
		m->fn(cpu, m->arg);
		__atomic_store_n(&m->done, posted, __ATOMIC_RELEASE);
	}
}

void kit_cpu_call_async(unsigned int cpu, kit_cpu_fn fn, void *arg)
{
	struct mailbox *m = &mailboxes[cpu];

	m->fn = fn;
	m->arg = arg;
	__atomic_store_n(&m->posted, m->posted + 1, __ATOMIC_RELEASE);
}

bool kit_cpu_call_done(unsigned int cpu)
{
	struct mailbox *m = &mailboxes[cpu];

	return __atomic_load_n(&m->done, __ATOMIC_ACQUIRE) == m->posted;
}

void kit_on_each_cpu(kit_cpu_fn fn, void *arg)
{
	for (unsigned int cpu = 1; cpu < KIT_MAX_CPUS; cpu++)
		if (kit_cpu_online(cpu))
			kit_cpu_call_async(cpu, fn, arg);
	fn(0, arg);
	for (unsigned int cpu = 1; cpu < KIT_MAX_CPUS; cpu++)
		while (kit_cpu_online(cpu) && !kit_cpu_call_done(cpu))
			cpu_relax();
}
