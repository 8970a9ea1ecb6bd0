// SPDX-License-Identifier: GPL-2.0
/*
 * One dispatcher for every hypercall transport: a table indexed by hypercall number,
 * per-number counters, and -ENOSYS (logged once per number) for what is not implemented.
 */
#include <xen/errno.h>

#include "vmm/log.h"
#include "xen-emul/xen.h"

struct hypercall_entry {
	const char *name;
	long (*fn)(struct xen_call *call);
};

#define HC(nr, n, f) [__HYPERVISOR_##nr] = { n, f }

static const struct hypercall_entry hypercalls[XEN_NR_HYPERCALLS] = {
	HC(set_trap_table, "set_trap_table", NULL),
	HC(mmu_update, "mmu_update", NULL),
	HC(set_gdt, "set_gdt", NULL),
	HC(stack_switch, "stack_switch", NULL),
	HC(set_callbacks, "set_callbacks", NULL),
	HC(fpu_taskswitch, "fpu_taskswitch", NULL),
	HC(sched_op_compat, "sched_op_compat", NULL),
	HC(platform_op, "platform_op", NULL),
	HC(set_debugreg, "set_debugreg", NULL),
	HC(get_debugreg, "get_debugreg", NULL),
	HC(update_descriptor, "update_descriptor", NULL),
	HC(memory_op, "memory_op", xen_do_memory_op),
	HC(multicall, "multicall", NULL),
	HC(update_va_mapping, "update_va_mapping", NULL),
	HC(set_timer_op, "set_timer_op", xen_do_set_timer_op),
	HC(event_channel_op_compat, "event_channel_op_compat", NULL),
	HC(xen_version, "xen_version", xen_do_xen_version),
	HC(console_io, "console_io", xen_do_console_io),
	HC(physdev_op_compat, "physdev_op_compat", NULL),
	HC(grant_table_op, "grant_table_op", xen_do_grant_table_op),
	HC(vm_assist, "vm_assist", xen_do_vm_assist),
	HC(update_va_mapping_otherdomain, "update_va_mapping_otherdomain", NULL),
	HC(iret, "iret", NULL),
	HC(vcpu_op, "vcpu_op", xen_do_vcpu_op),
	HC(set_segment_base, "set_segment_base", NULL),
	HC(mmuext_op, "mmuext_op", NULL),
	HC(xsm_op, "xsm_op", NULL),
	HC(nmi_op, "nmi_op", NULL),
	HC(sched_op, "sched_op", xen_do_sched_op),
	HC(callback_op, "callback_op", NULL),
	HC(xenoprof_op, "xenoprof_op", NULL),
	HC(event_channel_op, "event_channel_op", xen_do_event_channel_op),
	HC(physdev_op, "physdev_op", NULL),
	HC(hvm_op, "hvm_op", xen_do_hvm_op),
	HC(sysctl, "sysctl", NULL),
	HC(domctl, "domctl", NULL),
	HC(kexec_op, "kexec_op", NULL),
	HC(tmem_op, "tmem_op", NULL),
	HC(argo_op, "argo_op", NULL),
	HC(xenpmu_op, "xenpmu_op", NULL),
	HC(dm_op, "dm_op", NULL),
	HC(hypfs_op, "hypfs_op", NULL),
};

const char *xen_hypercall_name(uint64_t nr)
{
	if (nr < XEN_NR_HYPERCALLS && hypercalls[nr].name)
		return hypercalls[nr].name;
	return "unknown";
}

static void log_unimplemented(struct xen_call *call)
{
	static atomic_uint_least64_t logged;
	uint64_t bit = 1ULL << (call->nr < XEN_NR_HYPERCALLS ? call->nr : XEN_NR_HYPERCALLS - 1);

	if (atomic_fetch_or(&logged, bit) & bit)
		return;
	log_warn("vCPU %u: hypercall %llu (%s) is not implemented: -ENOSYS (logged once)",
		 call->vcpu->id, (unsigned long long)call->nr, xen_hypercall_name(call->nr));
}

long xen_hypercall_dispatch(struct xen_call *call)
{
	const struct hypercall_entry *e;

	/* As Xen for an HVM guest: the guest's user processes cannot make hypercalls. */
	if (call->cpl)
		return -XEN_EPERM;
	if (call->nr >= XEN_NR_HYPERCALLS) {
		atomic_fetch_add(&call->dom->hypercall_unknown, 1);
		log_unimplemented(call);
		return -XEN_ENOSYS;
	}
	atomic_fetch_add(&call->dom->hypercall_count[call->nr], 1);
	e = &hypercalls[call->nr];
	if (!e->fn) {
		log_unimplemented(call);
		return -XEN_ENOSYS;
	}
	return e->fn(call);
}

void xen_hypercall_log_stats(const struct xen_domain *dom)
{
	for (unsigned int nr = 0; nr < XEN_NR_HYPERCALLS; nr++) {
		uint64_t n = atomic_load(&dom->hypercall_count[nr]);

		if (n)
			log_info("hypercall %-24s %llu", xen_hypercall_name(nr),
				 (unsigned long long)n);
	}
	if (atomic_load(&dom->hypercall_unknown))
		log_info("hypercall %-24s %llu", "(number >= 64)",
			 (unsigned long long)atomic_load(&dom->hypercall_unknown));
}
