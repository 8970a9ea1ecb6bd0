// SPDX-License-Identifier: GPL-2.0
/*
 * The KVM_XEN transport: KVM's own Xen support (KVM_CAP_XEN_HVM, Linux's
 * arch/x86/kvm/xen.c). KVM_XEN_HVM_CONFIG with INTERCEPT_HCALL and the hypercall MSR makes
 * KVM fill the hypercall page with vmcall/vmmcall stubs and turn every vmcall/vmmcall into
 * KVM_EXIT_XEN, which goes to the one dispatcher (hypercall.c). The canonical placement
 * (xen.h: shared_info_gfn, vcpu_info_gpa, runstate_gpa, the upcall vectors) is mirrored
 * into KVM's attributes, so that KVM can raise events, inject the callback vector outside
 * the local APIC (as Xen does: a guest that never EOIs it still gets the next one), and
 * keep the pvclock, wallclock and runstate. Per-vCPU attributes are set on the vCPU's own
 * thread (vcpu_request()): a vCPU ioctl from another thread waits for KVM_RUN to return.
 * Event-channel specifics are in accel_kvm_evtchn.c.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <time.h>
#include <xen/errno.h>
#include <xen/vcpu.h>

#include "vmm/log.h"
#include "xen-emul/transport/accel.h"
#include "xen-emul/transport/accel_kvm.h"
#include "xen-emul/evtchn/evtchn.h"
#include "xen-emul/time/time.h"
#include "xen-emul/vcpu/vcpu_op.h"

#ifndef KVM_XEN_INVALID_GPA
#define KVM_XEN_INVALID_GPA ((uint64_t)-1)
#endif
#ifndef KVM_XEN_INVALID_GFN
#define KVM_XEN_INVALID_GFN ((uint64_t)-1)
#endif

/* What this transport cannot do without (KVM_CAP_XEN_HVM flags). */
static const struct {
	uint32_t flag;
	const char *name;
} needed[] = {
	{ KVM_XEN_HVM_CONFIG_HYPERCALL_MSR, "KVM_XEN_HVM_CONFIG_HYPERCALL_MSR" },
	{ KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL, "KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL" },
	{ KVM_XEN_HVM_CONFIG_SHARED_INFO, "KVM_XEN_HVM_CONFIG_SHARED_INFO" },
	{ KVM_XEN_HVM_CONFIG_EVTCHN_2LEVEL, "KVM_XEN_HVM_CONFIG_EVTCHN_2LEVEL" },
	{ KVM_XEN_HVM_CONFIG_EVTCHN_SEND, "KVM_XEN_HVM_CONFIG_EVTCHN_SEND" },
};

int xen_accel_choose(struct vm *vm, enum xen_accel_kind want, const struct xen_accel_ops **ops,
		     char *err, size_t errlen)
{
	int caps = vm->vm_fd >= 0 ? vm_check_extension(vm, KVM_CAP_XEN_HVM) : 0;
	const char *missing = NULL;

	if (!caps)
		missing = "KVM_CAP_XEN_HVM (this host's KVM was built without CONFIG_KVM_XEN)";
	for (size_t i = 0; !missing && i < sizeof(needed) / sizeof(needed[0]); i++)
		if (!(caps & needed[i].flag))
			missing = needed[i].name;
	*ops = &xen_accel_user;
	if (want == XEN_ACCEL_USER)
		return 0;
	if (!missing) {
		*ops = &xen_accel_kvm;
		return 0;
	}
	if (want == XEN_ACCEL_AUTO)
		return 0;
	if (err)
		snprintf(err, errlen, "--xen-accel kvm: this host's KVM lacks %s", missing);
	return -ENODEV;
}

static struct xen_kvm *kvm_of(struct xen_domain *dom)
{
	return dom->accel_priv;
}

int xen_kvm_set_attr(struct xen_domain *dom, struct kvm_xen_hvm_attr *attr)
{
	return ioctl(dom->vm->vm_fd, KVM_XEN_HVM_SET_ATTR, attr) < 0 ? -errno : 0;
}

int xen_kvm_config(struct xen_domain *dom, bool kernel_poll)
{
	struct kvm_xen_hvm_config cfg = {
		.flags = KVM_XEN_HVM_CONFIG_INTERCEPT_HCALL,
		/* Non-zero: with msr 0 KVM answers every hypercall itself with -ENOSYS. */
		.msr = XEN_HYPERCALL_MSR,
	};

	/* With EVTCHN_SEND KVM runs SCHEDOP_poll on 2-level ports; without, poll is a yield. */
	if (kernel_poll)
		cfg.flags |= KVM_XEN_HVM_CONFIG_EVTCHN_SEND;
	return ioctl(dom->vm->vm_fd, KVM_XEN_HVM_CONFIG, &cfg) < 0 ? -errno : 0;
}

static int set_vcpu_attr(struct vcpu *v, struct kvm_xen_vcpu_attr *attr)
{
	return ioctl(v->fd, KVM_XEN_VCPU_SET_ATTR, attr) < 0 ? -errno : 0;
}

/*
 * A continuation: the guest must execute its vmcall/vmmcall (3 bytes either) again with
 * the new arguments. KVM steps past the instruction when it completes the exit, unless
 * RIP changed, and RIP must end up unchanged: so the exit is completed first without
 * running the guest, then RIP is moved back and RAX and the arguments rewritten.
 */
static bool restart_hypercall(struct vcpu *vcpu, struct xen_call *call)
{
	struct kvm_regs *regs;
	uint64_t rip = vcpu_regs(vcpu)->rip;
	int rc = vcpu_complete_exit(vcpu);

	regs = vcpu_regs(vcpu);
	if (rc || regs->rip != rip + 3) {
		log_err("vCPU %u: completing a hypercall exit for its continuation: %s (rip 0x%llx, "
			"then 0x%llx)",
			vcpu->id, rc ? strerror(-rc) : "KVM did not step past the call",
			(unsigned long long)rip, (unsigned long long)regs->rip);
		vm_request_exit(vcpu->vm, VM_EXIT_VMM_ERROR);
		return false;
	}
	regs->rip = rip;
	regs->rax = call->nr;
	xen_call_store_args(call, regs);
	vcpu_regs_dirty(vcpu);
	return true;
}

/* A hypercall the kernel left to user space: into the dispatcher, result back to KVM. */
static bool on_xen_exit(struct vcpu *vcpu, struct kvm_run *run, void *opaque)
{
	struct xen_call call = { .dom = opaque, .vcpu = vcpu };
	long ret;

	if (run->xen.type != KVM_EXIT_XEN_HCALL) {
		log_err("vCPU %u: KVM_EXIT_XEN of unknown type %u", vcpu->id, run->xen.type);
		return false;
	}
	call.is_64 = run->xen.u.hcall.longmode;
	call.cpl = run->xen.u.hcall.cpl;
	call.nr = call.is_64 ? run->xen.u.hcall.input : (uint32_t)run->xen.u.hcall.input;
	memcpy(call.args, run->xen.u.hcall.params, sizeof(call.args));
	vcpu_paging_ctx(vcpu, &call.paging);
	ret = xen_hypercall_dispatch(&call);
	run->xen.u.hcall.result = call.is_64 ? (uint64_t)ret : (uint32_t)ret;
	if (call.continuation)
		return restart_hypercall(vcpu, &call);
	return true;
}

/*
 * The second vcpu_time_info for KVM, which takes one guest-physical address whose
 * structure must not cross a page: a split area (never Linux's, at the start of a
 * page) is left unwritten, with a warning.
 */
static uint64_t time_area_gpa(struct xen_domain *dom, struct xen_vcpu *xv)
{
	struct xen_guest_area area;

	pthread_mutex_lock(&dom->lock);
	area = xv->time_area;
	pthread_mutex_unlock(&dom->lock);
	if (!xen_guest_area_placed(&area))
		return KVM_XEN_INVALID_GPA;
	if (area.len[1]) {
		log_once(LOG_WARN,
			 "vCPU %u: a vcpu_time_info area across a page boundary is not "
			 "written under KVM_XEN",
			 xv->id);
		return KVM_XEN_INVALID_GPA;
	}
	return area.gpa[0];
}

/* Mirrors one vCPU's canonical placement into KVM; on the vCPU's own thread. */
static void apply_vcpu(struct vcpu *v, void *opaque)
{
	struct xen_domain *dom = opaque;
	struct xen_vcpu *xv = &dom->vcpus[v->id];
	uint64_t vi = __atomic_load_n(&xv->vcpu_info_gpa, __ATOMIC_ACQUIRE);
	uint64_t rs = __atomic_load_n(&xv->runstate_gpa, __ATOMIC_ACQUIRE);
	/* A 32-bit guest's area is the VMM's: KVM writes only the 64-bit layout. */
	bool rs_vmm = __atomic_load_n(&xv->runstate.compat, __ATOMIC_ACQUIRE);
	struct kvm_xen_vcpu_attr a = { .type = KVM_XEN_VCPU_ATTR_TYPE_VCPU_INFO };
	int rc;

	a.u.gpa = vi == XEN_NO_GPA ? KVM_XEN_INVALID_GPA : vi;
	rc = set_vcpu_attr(v, &a);
	a = (struct kvm_xen_vcpu_attr){ .type = KVM_XEN_VCPU_ATTR_TYPE_UPCALL_VECTOR };
	a.u.vector = __atomic_load_n(&xv->upcall_vector, __ATOMIC_ACQUIRE);
	if (!rc)
		rc = set_vcpu_attr(v, &a);
	a = (struct kvm_xen_vcpu_attr){ .type = KVM_XEN_VCPU_ATTR_TYPE_VCPU_TIME_INFO };
	a.u.gpa = time_area_gpa(dom, xv);
	if (!rc)
		rc = set_vcpu_attr(v, &a);
	if (!rc && kvm_of(dom)->runstate) {
		a = (struct kvm_xen_vcpu_attr){ .type = KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_ADDR };
		a.u.gpa = rs == XEN_NO_GPA || rs_vmm ? KVM_XEN_INVALID_GPA : rs;
		rc = set_vcpu_attr(v, &a);
	}
	if (rc)
		log_warn("vCPU %u: telling KVM where its Xen areas are: %s", v->id, strerror(-rc));
	log_debug("vCPU %u: KVM_XEN vcpu_info 0x%llx, upcall vector %u, runstate 0x%llx", v->id,
		  (unsigned long long)vi, xv->upcall_vector, (unsigned long long)rs);
	/* Events raised before KVM knew the vector or the vcpu_info: deliver them now. */
	if (xen_evtchn_upcall_pending(xv))
		dom->accel->upcall(dom, v->id);
}

static void request_vcpu(struct xen_domain *dom, struct xen_vcpu *xv)
{
	if (dom->vm->vcpus)
		vcpu_request(&dom->vm->vcpus[xv->id]);
}

static void kvm_shared_info_placed(struct xen_domain *dom)
{
	struct kvm_xen_hvm_attr a = { .type = KVM_XEN_ATTR_TYPE_LONG_MODE, .u.long_mode = 1 };
	int rc;

	/* The VMM's structures are the 64-bit layouts; KVM must use the same. */
	rc = xen_kvm_set_attr(dom, &a);
	a = (struct kvm_xen_hvm_attr){ .type = KVM_XEN_ATTR_TYPE_SHARED_INFO };
	a.u.shared_info.gfn = dom->shared_info_gfn;
	if (!rc)
		rc = xen_kvm_set_attr(dom, &a);
	if (rc)
		log_warn("telling KVM where shared_info is: %s", strerror(-rc));
	__atomic_store_n(&kvm_of(dom)->shinfo_set, !rc, __ATOMIC_RELEASE);
}

static void kvm_callback_vector_set(struct xen_domain *dom)
{
	struct kvm_xen_hvm_attr a = { .type = KVM_XEN_ATTR_TYPE_UPCALL_VECTOR };
	int rc;

	a.u.vector = dom->evtchn->callback_vector;
	rc = xen_kvm_set_attr(dom, &a);
	if (rc)
		log_warn("setting KVM's Xen upcall vector %u: %s", a.u.vector, strerror(-rc));
}

/*
 * The vCPU's own vector is a local-APIC vector: an MSI, as on the user transport. The
 * domain's callback vector is injected by KVM at entry while evtchn_upcall_pending is set
 * in the vcpu_info KVM knows: kick the vCPU so that it enters again.
 */
static void kvm_upcall(struct xen_domain *dom, unsigned int vcpu)
{
	struct xen_vcpu *xv = &dom->vcpus[vcpu];
	uint8_t vector = xv->upcall_vector;

	if (vector) {
		xen_accel_inject_msi(dom, vcpu, vector);
		return;
	}
	vector = dom->evtchn->callback_vector;
	if (!vector) {
		log_once(LOG_INFO, "event pending but the guest set no upcall vector yet");
		return;
	}
	if (__atomic_load_n(&xv->vcpu_info_gpa, __ATOMIC_ACQUIRE) == XEN_NO_GPA) {
		/* shared_info not placed yet: KVM cannot see the vcpu_info. */
		xen_accel_inject_msi(dom, vcpu, vector);
		return;
	}
	if (dom->vm->vcpus)
		vcpu_kick(&dom->vm->vcpus[vcpu]);
}

/* KVM's clock is Xen system time: the pvclock KVM writes is read against it. */
static uint64_t kvm_system_time(struct xen_domain *dom)
{
	struct kvm_clock_data data = { 0 };
	struct timespec ts;

	if (ioctl(dom->vm->vm_fd, KVM_GET_CLOCK, &data) < 0)
		return 0;
	/* timer.c arms CLOCK_MONOTONIC timers at boot_ns + system time: keep them aligned. */
	clock_gettime(CLOCK_MONOTONIC, &ts);
	__atomic_store_n(&dom->clock.boot_ns,
			 (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec - data.clock,
			 __ATOMIC_RELAXED);
	return data.clock;
}

/*
 * SCHEDOP_block waits in the VMM, out of KVM_RUN, where KVM would count the time as
 * running: mark the vCPU blocked (on its own thread). KVM makes it running again when the
 * vCPU next enters the guest.
 */
static void kvm_vcpu_blocking(struct xen_domain *dom, struct xen_vcpu *xv)
{
	struct kvm_xen_vcpu_attr a = { .type = KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_CURRENT };
	int rc;

	if (!kvm_of(dom)->runstate || !dom->vm->vcpus)
		return;
	a.u.runstate.state = RUNSTATE_blocked;
	rc = set_vcpu_attr(&dom->vm->vcpus[xv->id], &a);
	if (rc)
		log_once(LOG_WARN, "KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_CURRENT: %s", strerror(-rc));
}

/* A paused vCPU is offline (Xen's vcpu.h); running again as it goes back into the guest. */
static void kvm_vcpu_paused(struct xen_domain *dom, struct xen_vcpu *xv, bool paused)
{
	struct kvm_xen_vcpu_attr a = { .type = KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_CURRENT };
	int rc;

	if (!kvm_of(dom)->runstate || !dom->vm->vcpus)
		return;
	a.u.runstate.state = paused ? RUNSTATE_offline : RUNSTATE_running;
	rc = set_vcpu_attr(&dom->vm->vcpus[xv->id], &a);
	if (rc)
		log_once(LOG_WARN, "KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_CURRENT: %s", strerror(-rc));
}

static long kvm_runstate_register(struct xen_call *call, struct xen_vcpu *target, uint64_t arg)
{
	struct vcpu_register_runstate_memory_area area;
	uint64_t gpa = XEN_NO_GPA, span;

	long rc;

	/*
	 * KVM writes the layout of KVM_XEN_ATTR_TYPE_LONG_MODE, which is 64-bit here: a
	 * 32-bit caller's area (Xen's compat layout) is kept by the VMM, as on the user
	 * transport, and KVM is told it has none.
	 */
	if (!kvm_of(call->dom)->runstate || !call->is_64) {
		rc = xen_runstate_register(call, target, arg);
		if (kvm_of(call->dom)->runstate)
			request_vcpu(call->dom, target);
		return rc;
	}
	if (xen_copy_from_guest(call, &area, arg, sizeof(area)))
		return -XEN_EFAULT;
	xen_runstate_release(target);
	/* As Xen, an address that does not translate now is not an error; none is written. */
	if (area.addr.p &&
	    paging_translate(&call->dom->vm->mem, &call->paging, area.addr.p, true, &gpa, &span))
		gpa = XEN_NO_GPA;
	__atomic_store_n(&target->runstate_gpa, gpa, __ATOMIC_RELEASE);
	request_vcpu(call->dom, target);
	return 0;
}

static long kvm_runstate_get(struct xen_call *call, struct xen_vcpu *target, uint64_t arg)
{
	struct kvm_xen_vcpu_attr a = { .type = KVM_XEN_VCPU_ATTR_TYPE_RUNSTATE_DATA };
	struct vcpu_runstate_info ri = { 0 };
	struct vcpu *v = &call->dom->vm->vcpus[target->id];
	uint64_t now;

	if (!kvm_of(call->dom)->runstate || !call->is_64 ||
	    __atomic_load_n(&target->runstate.compat, __ATOMIC_ACQUIRE))
		return xen_runstate_get(call, target, arg);
	/* Another vCPU answers once out of KVM_RUN. */
	vcpu_kick(v);
	if (ioctl(v->fd, KVM_XEN_VCPU_GET_ATTR, &a) < 0)
		return xen_runstate_get(call, target, arg);
	ri.state = (int)a.u.runstate.state;
	ri.state_entry_time = a.u.runstate.state_entry_time;
	ri.time[RUNSTATE_running] = a.u.runstate.time_running;
	ri.time[RUNSTATE_runnable] = a.u.runstate.time_runnable;
	ri.time[RUNSTATE_blocked] = a.u.runstate.time_blocked;
	ri.time[RUNSTATE_offline] = a.u.runstate.time_offline;
	/* As Xen's vcpu_runstate_get(): the current state has run until now. */
	now = xen_system_time(call->dom);
	if (ri.state >= 0 && ri.state <= RUNSTATE_offline && now > ri.state_entry_time)
		ri.time[ri.state] += now - ri.state_entry_time;
	return xen_copy_to_guest(call, arg, &ri, sizeof(ri)) ? -XEN_EFAULT : 0;
}

/*
 * KVM writes the runstate area itself: it sets XEN_RUNSTATE_UPDATE around its updates
 * once told (KVM_XEN_HVM_CONFIG_RUNSTATE_UPDATE_FLAG, Linux 6.2 on).
 */
#ifndef KVM_XEN_ATTR_TYPE_RUNSTATE_UPDATE_FLAG
#define KVM_XEN_ATTR_TYPE_RUNSTATE_UPDATE_FLAG 0x5
#endif
#ifndef KVM_XEN_HVM_CONFIG_RUNSTATE_UPDATE_FLAG
#define KVM_XEN_HVM_CONFIG_RUNSTATE_UPDATE_FLAG (1 << 6)
#endif
static void kvm_runstate_update_flag(struct xen_domain *dom, bool on)
{
	/* The flag is the union's first byte, where older headers only name long_mode. */
	struct kvm_xen_hvm_attr a = { .type = KVM_XEN_ATTR_TYPE_RUNSTATE_UPDATE_FLAG,
				      .u.long_mode = on };
	int rc;

	if (!(vm_check_extension(dom->vm, KVM_CAP_XEN_HVM) &
	      KVM_XEN_HVM_CONFIG_RUNSTATE_UPDATE_FLAG)) {
		log_once(LOG_INFO, "this KVM cannot flag runstate updates (Linux before 6.2)");
		return;
	}
	rc = xen_kvm_set_attr(dom, &a);
	if (rc)
		log_warn("KVM_XEN_ATTR_TYPE_RUNSTATE_UPDATE_FLAG: %s", strerror(-rc));
}

static int kvm_init(struct xen_domain *dom)
{
	struct xen_kvm *kx = calloc(1, sizeof(*kx));
	int caps = vm_check_extension(dom->vm, KVM_CAP_XEN_HVM);
	int rc;

	if (!kx)
		return -ENOMEM;
	kx->in_kernel = calloc(dom->evtchn->max_port + 1, sizeof(*kx->in_kernel));
	if (!kx->in_kernel) {
		free(kx);
		return -ENOMEM;
	}
	kx->runstate = caps & KVM_XEN_HVM_CONFIG_RUNSTATE;
	kx->kernel_poll = true;
	dom->accel_priv = kx;
	rc = xen_kvm_config(dom, kx->kernel_poll);
	if (!rc)
		rc = vm_register_exit(dom->vm, KVM_EXIT_XEN, on_xen_exit, dom);
	if (rc)
		return rc;
	vm_set_request_handler(dom->vm, apply_vcpu, dom);
	log_debug("Xen transport: KVM_XEN (KVM_CAP_XEN_HVM 0x%x)", caps);
	return 0;
}

static void kvm_destroy(struct xen_domain *dom)
{
	struct xen_kvm *kx = kvm_of(dom);

	if (!kx)
		return;
	free(kx->in_kernel);
	free(kx);
	dom->accel_priv = NULL;
}

const struct xen_accel_ops xen_accel_kvm = {
	.name = "kvm",
	.init = kvm_init,
	.destroy = kvm_destroy,
	.owns_time = true,
	.system_time = kvm_system_time,
	/* KVM raises IPIs and loopback ports itself, without waking a VMM-side waiter. */
	.block_slice_ns = 1000000ULL,
	.shared_info_placed = kvm_shared_info_placed,
	.vcpu_info_placed = request_vcpu,
	.callback_vector_set = kvm_callback_vector_set,
	.vcpu_vector_set = request_vcpu,
	.upcall = kvm_upcall,
	.raise_2l = xen_kvm_raise_2l,
	.port_changed = xen_kvm_port_changed,
	.abi_changed = xen_kvm_abi_changed,
	.runstate_register = kvm_runstate_register,
	.runstate_get = kvm_runstate_get,
	.runstate_update_flag = kvm_runstate_update_flag,
	.vcpu_blocking = kvm_vcpu_blocking,
	.vcpu_paused = kvm_vcpu_paused,
};
