/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Xen personality of a VM: the domain's identity and configuration, and per-vCPU
 * state. Each hypercall family lives in its own file and is reached through hypercall.c.
 */
#ifndef XENKVM_XEN_EMUL_XEN_H
#define XENKVM_XEN_EMUL_XEN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include <xen/xen.h>

#include "vmm/paging.h"
#include "vmm/vm.h"

#define XEN_NR_HYPERCALLS 64
#define XEN_HYPERCALL_PAGES 1
#define XEN_HYPERCALL_MSR 0x40000000u
#define XEN_CPUID_BASE 0x40000000u
/* The port the hypercall-page stubs write the hypercall number to. */
#define XEN_HYPERCALL_PORT 0xe8

struct xen_config {
	uint16_t domid;
	uint16_t version_major;
	uint16_t version_minor;
	const char *name;
	xen_domain_handle_t uuid;
};

struct xen_domain {
	struct vm *vm;
	struct xen_config cfg;
	atomic_uint_least64_t hypercall_count[XEN_NR_HYPERCALLS];
	atomic_uint_least64_t hypercall_unknown;
	int shutdown_code; /* SCHEDOP_shutdown_code, -1 until set */
};

/* One hypercall in flight on one vCPU: the copy helpers use its paging context. */
struct xen_call {
	struct xen_domain *dom;
	struct vcpu *vcpu;
	struct paging_ctx paging;
	bool is_64;
	uint64_t nr;
	uint64_t args[6];
};

int xen_domain_init(struct xen_domain *dom, struct vm *vm, const struct xen_config *cfg);

/* The pieces xen_domain_init() wires up. */
int xen_cpuid_init(struct xen_domain *dom);
int xen_hypercall_page_init(struct xen_domain *dom);

/* Guest-virtual copies for hypercall arguments; -EFAULT on any bad address. */
int xen_copy_from_guest(struct xen_call *call, void *dst, uint64_t gva, uint64_t len);
int xen_copy_to_guest(struct xen_call *call, uint64_t gva, const void *src, uint64_t len);

/* Dispatch of one decoded hypercall; the result goes back in RAX. */
long xen_hypercall_dispatch(struct xen_call *call);
const char *xen_hypercall_name(uint64_t nr);
void xen_hypercall_log_stats(const struct xen_domain *dom);

/* Hypercall families. */
long xen_do_xen_version(struct xen_call *call);
long xen_do_console_io(struct xen_call *call);
long xen_do_sched_op(struct xen_call *call);

#endif
