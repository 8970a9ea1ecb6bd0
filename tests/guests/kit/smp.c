// SPDX-License-Identifier: MIT
/*
 * Secondary vCPUs: brought up with VCPUOP_initialise + VCPUOP_up (xen/vcpu.h,
 * xen/hvm/hvm_vcpu.h), then each waits in a loop for a function to run. vCPU 0 posts
 * work through a per-vCPU mailbox; a sequence number published with release ordering
 * hands it over and a second one reports completion.
 */
#include "smp.h"
#include "hypercall.h"

#define STACK_SIZE 8192
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

static struct mailbox mailboxes[KIT_MAX_CPUS];
static uint8_t stacks[KIT_MAX_CPUS][STACK_SIZE] __attribute__((aligned(16)));

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
		.rsp = (uint64_t)&stacks[cpu][STACK_SIZE],
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
