// SPDX-License-Identifier: MIT
/*
 * hypercall_direct: hypercalls issued with `vmmcall` and `vmcall` in the guest's own code,
 * not through the hypercall page, as Linux does since the XSA-466 change (it picks the
 * instruction by CPU vendor). Both instructions must reach Xen's ABI whatever the vendor:
 * Xen and KVM's Xen support take the other vendor's instruction too (KVM emulates it from
 * the #UD it raises). Needs a transport that intercepts them (KVM_XEN); on the
 * hypercall-page transport a direct vmcall never returns.
 */
#include "hypercall.h"
#include "kit.h"

#include <xen/version.h>

/* One hypercall with a direct instruction; rdi, rsi, rdx as the 64-bit ABI. */
#define DIRECT_CALL(insn, nr, a1, a2, a3)                                             \
	({                                                                            \
		long __rax = (nr);                                                    \
		unsigned long __a1 = (unsigned long)(a1), __a2 = (unsigned long)(a2); \
		unsigned long __a3 = (unsigned long)(a3);                             \
		asm volatile(insn                                                     \
			     : "+a"(__rax), "+D"(__a1), "+S"(__a2), "+d"(__a3)        \
			     :                                                        \
			     : "memory", "r10", "r8", "r9");                          \
		__rax;                                                                \
	})

static void check_one(const char *insn_name, long version, long console, long unknown, long yield)
{
	long want = HYPERVISOR_xen_version(XENVER_version, NULL);

	printf("hypercall_direct: %s: xen_version %#lx (page %#lx), console_io %ld, "
	       "unknown %ld, yield %ld\n",
	       insn_name, version, want, console, unknown, yield);
	check(version == want, "%s: XENVER_version %#lx, through the page %#lx", insn_name, version,
	      want);
	check(console == 0, "%s: CONSOLEIO_write returned %ld", insn_name, console);
	check(unknown == -XEN_ENOSYS, "%s: hypercall 63 returned %ld, not -ENOSYS", insn_name,
	      unknown);
	check(yield == 0, "%s: SCHEDOP_yield returned %ld", insn_name, yield);
}

void test_main(void)
{
	static const char vmmcall_line[] = "hypercall_direct: console through vmmcall\n";
	static const char vmcall_line[] = "hypercall_direct: console through vmcall\n";

	check_one("vmmcall", DIRECT_CALL("vmmcall", __HYPERVISOR_xen_version, XENVER_version, 0, 0),
		  DIRECT_CALL("vmmcall", __HYPERVISOR_console_io, CONSOLEIO_write,
			      sizeof(vmmcall_line) - 1, vmmcall_line),
		  DIRECT_CALL("vmmcall", 63, 0, 0, 0),
		  DIRECT_CALL("vmmcall", __HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0));
	check_one("vmcall", DIRECT_CALL("vmcall", __HYPERVISOR_xen_version, XENVER_version, 0, 0),
		  DIRECT_CALL("vmcall", __HYPERVISOR_console_io, CONSOLEIO_write,
			      sizeof(vmcall_line) - 1, vmcall_line),
		  DIRECT_CALL("vmcall", 63, 0, 0, 0),
		  DIRECT_CALL("vmcall", __HYPERVISOR_sched_op, SCHEDOP_yield, 0, 0));
}
