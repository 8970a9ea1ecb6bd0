/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Xen personality of a VM: the domain's identity and configuration, and per-vCPU
 * state. Each hypercall family lives in its own file and is reached through hypercall.c.
 */
#ifndef XENKVM_XEN_EMUL_XEN_H
#define XENKVM_XEN_EMUL_XEN_H

#include <stdatomic.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdint.h>

#include <xen/xen.h>

#include "vmm/evloop.h"
#include "vmm/paging.h"
#include "vmm/vm.h"
#include "xen-emul/time/time_calibration.h"
#include "xen-emul/vcpu/runstate.h"

#define XEN_NR_HYPERCALLS 64
#define XEN_HYPERCALL_PAGES 1
#define XEN_HYPERCALL_MSR 0x40000000u
#define XEN_CPUID_BASE 0x40000000u
/* The port the hypercall-page stubs write the hypercall number to. */
#define XEN_HYPERCALL_PORT 0xe8

/* Xen's limit on HVM param indices (HVM_NR_PARAMS in hvm/params.h). */
#include <xen/hvm/params.h>

struct xen_accel_ops;
struct xen_domain;
struct xen_evtchn;
struct xen_gnttab;
struct xen_memres;

/* Which Xen transport runs the domain (accel.h); --xen-accel. */
enum xen_accel_kind { XEN_ACCEL_AUTO, XEN_ACCEL_USER, XEN_ACCEL_KVM };

/* "No guest address": an area the guest has not placed. */
#define XEN_NO_GPA UINT64_MAX

/* Per-vCPU Xen state; dom->vcpus[i] belongs to vm->vcpus[i]. */
/* Time: see time.h. */
struct xen_clock {
	uint64_t boot_ns; /* CLOCK_MONOTONIC at system time 0 */
	int64_t boot_realtime_ns; /* CLOCK_REALTIME at system time 0 */
	int64_t tsc_offset; /* guest TSC - host TSC */
	bool tsc_offset_known;
	/* The reference every vcpu_time_info is written from (line.tsc 0: none yet). */
	struct xen_time_line line;
	uint64_t nominal_hz; /* KVM's guest TSC rate, the first line's */
	/* Last rate measurement: guest TSC and host system time (time_calibration.h). */
	uint64_t cal_tsc;
	uint64_t cal_ns;
	int resync_fd; /* timerfd of the once-a-second resync, -1 when none */
};

struct xen_vcpu {
	struct xen_domain *dom;
	unsigned int id;
	/* Where this vCPU's vcpu_info lives: its legacy slot in shared_info until the guest
	 * registers one with VCPUOP_register_vcpu_info; NULL while neither exists. */
	struct vcpu_info *vcpu_info;
	bool vcpu_info_registered;
	/* The canonical placement: vcpu_info's and the runstate area's guest-physical
	 * addresses, XEN_NO_GPA while in the VMM's private shared_info or not registered. */
	uint64_t vcpu_info_gpa;
	uint64_t runstate_gpa;
	/* VCPUOP_register_vcpu_time_memory_area's copy of the vcpu_time_info (under
	 * dom->lock; not placed when none). */
	struct xen_guest_area time_area;
	uint8_t upcall_vector; /* HVMOP_set_evtchn_upcall_vector, 0 = none */
	/* Xen's is_initialised and _VPF_down (vcpu_hotplug.c), under dom->lock. */
	bool initialised;
	bool down;
	struct xen_vcpu_timers *timers;
	struct xen_runstate runstate; /* the user transport's (runstate.h) */
};

struct xen_config {
	uint16_t domid;
	uint16_t version_major;
	uint16_t version_minor;
	const char *name;
	xen_domain_handle_t uuid;
	unsigned int max_grant_frames; /* 0: Xen's default, 64 (see grant_table.h) */
	const struct xen_accel_ops *accel; /* NULL: the best this KVM offers (accel.h) */
};

struct xen_domain {
	struct vm *vm;
	struct xen_config cfg;
	atomic_uint_least64_t hypercall_count[XEN_NR_HYPERCALLS];
	atomic_uint_least64_t hypercall_unknown;
	int shutdown_code; /* SCHEDOP_shutdown_code, -1 until set */

	/* Guards the domain-wide state below (not the event channels: see evtchn.h). */
	pthread_mutex_t lock;
	unsigned int nr_vcpus;
	struct xen_vcpu *vcpus;
	struct shared_info *shared_info; /* NULL until XENMAPSPACE_shared_info is mapped */
	uint64_t shared_info_gfn;
	uint64_t hvm_params[HVM_NR_PARAMS];
	struct xen_evtchn *evtchn;
	struct xen_gnttab *gnttab;
	/* Before the guest places shared_info, its content lives in this VMM page. */
	struct shared_info *shared_info_private;
	struct xen_clock clock;
	struct evloop *loop; /* the VMM's event loop: timers and host-side ports */
	struct xen_memres *memres; /* reservation accounting (memory_reservation.c) */
	const struct xen_accel_ops *accel; /* the Xen transport (accel.h) */
	uint64_t vm_assist; /* VMASST_TYPE_* bits the guest enabled (vm_assist.c) */
	void *accel_priv;
};

/* One hypercall in flight on one vCPU: the copy helpers use its paging context. */
struct xen_call {
	struct xen_domain *dom;
	struct vcpu *vcpu;
	struct paging_ctx paging;
	bool is_64;
	unsigned int cpl; /* the caller's privilege level: Xen refuses CPL > 0 */
	uint64_t nr;
	uint64_t args[6];
	/*
	 * Set by a handler that did a bounded part of the work and rewrote args[] to
	 * describe the rest (xen_call_continue()): the transport makes the guest enter the
	 * same hypercall again with those arguments, as Xen's hypercall_create_continuation()
	 * does, so a vCPU leaves the VMM between batches and the guest sees one call.
	 */
	bool continuation;
};

/* Ops or bytes a multi-element hypercall handles in one exit (about a millisecond). */
#define XEN_BATCH_OPS 256
#define XEN_BATCH_PAGES 512
#define XEN_BATCH_BYTES (64u << 10)

/* The handler's return for "continue with args[] as rewritten". */
static inline long xen_call_continue(struct xen_call *call)
{
	call->continuation = true;
	return 0;
}

int xen_domain_init(struct xen_domain *dom, struct vm *vm, const struct xen_config *cfg,
		    struct evloop *loop);
void xen_domain_destroy(struct xen_domain *dom);
/* domain_shutdown(): ends the VM for `reason`, unless a recorded shutdown code wins. */
void xen_domain_shutdown(struct xen_domain *dom, unsigned int reason);

/* The pieces xen_domain_init() wires up. */
int xen_cpuid_init(struct xen_domain *dom);
int xen_hypercall_page_init(struct xen_domain *dom);

/* Guest-virtual copies for hypercall arguments; -EFAULT on any bad address. */
int xen_copy_from_guest(struct xen_call *call, void *dst, uint64_t gva, uint64_t len);
int xen_copy_to_guest(struct xen_call *call, uint64_t gva, const void *src, uint64_t len);

/* Argument registers of the vCPU's ABI from call->args (a continuation's new arguments). */
void xen_call_store_args(const struct xen_call *call, struct kvm_regs *regs);

/* Dispatch of one decoded hypercall; the result goes back in RAX. */
long xen_hypercall_dispatch(struct xen_call *call);
const char *xen_hypercall_name(uint64_t nr);
void xen_hypercall_log_stats(const struct xen_domain *dom);

static inline struct xen_vcpu *xen_call_vcpu(struct xen_call *call)
{
	return &call->dom->vcpus[call->vcpu->id];
}

/* Hypercall families (one file each; sub-op dispatch inside). */
long xen_do_xen_version(struct xen_call *call);
long xen_do_console_io(struct xen_call *call);
long xen_do_sched_op(struct xen_call *call);
long xen_do_memory_op(struct xen_call *call);
long xen_do_vcpu_op(struct xen_call *call);
long xen_do_hvm_op(struct xen_call *call);
long xen_do_event_channel_op(struct xen_call *call);
long xen_do_grant_table_op(struct xen_call *call);
long xen_do_set_timer_op(struct xen_call *call);
long xen_do_vm_assist(struct xen_call *call);

#endif
