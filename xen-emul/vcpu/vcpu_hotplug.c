// SPDX-License-Identifier: GPL-2.0
/*
 * VCPUOP_initialise, up, down and is_up for PVH vCPUs, as Xen 4.17 answers them
 * (common/domain.c common_vcpu_op, arch/x86/domain.c arch_initialise_vcpu): a vCPU is
 * initialised once (-EEXIST after), must be initialised before it comes up (-EINVAL),
 * and taking the last running vCPU down powers the domain off. A downed vCPU keeps its
 * state and resumes where it stopped on the next VCPUOP_up.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/sched.h>
#include <xen/vcpu.h>

#include "vmm/log.h"
#include "xen-emul/vcpu/vcpu_context.h"
#include "xen-emul/vcpu/vcpu_op.h"

/* The KVM vCPU behind `target`; NULL before the VM has vCPUs (the unit fixture). */
static struct vcpu *kvm_vcpu(struct xen_vcpu *target)
{
	struct vm *vm = target->dom->vm;

	return vm->vcpus ? &vm->vcpus[target->id] : NULL;
}

/* Loads the checked context into the stopped vCPU; called with dom->lock held. */
static long load_context(struct xen_vcpu *target, const struct vcpu_hvm_context *ctx)
{
	struct vcpu *v = kvm_vcpu(target);
	struct kvm_regs regs;
	struct kvm_sregs sregs;
	int host;
	long rc;

	/* The context is judged even when the state cannot be read (checks come first). */
	memset(&regs, 0, sizeof(regs));
	memset(&sregs, 0, sizeof(sregs));
	host = v ? vcpu_get_initial_state(v, &regs, &sregs) : -ENODEV;
	rc = xen_vcpu_context_load(ctx, target->dom->vm->cpuid, &regs, &sregs);
	if (rc)
		return rc;
	if (!host)
		host = vcpu_set_initial_state(v, &regs, &sregs);
	/* Started meanwhile by INIT/SIPI, which makes a vCPU initialised on Xen too. */
	if (host == -EBUSY)
		return -XEN_EEXIST;
	if (host) {
		/* KVM refuses states Xen would accept and fail later (CR0.PG without PE). */
		log_warn("vCPU %u: KVM refused the VCPUOP_initialise state: %s", target->id,
			 strerror(-host));
		return -XEN_EINVAL;
	}
	return 0;
}

static long initialise(struct xen_call *call, struct xen_vcpu *target, uint64_t arg)
{
	struct xen_domain *dom = call->dom;
	struct vcpu_hvm_context ctx;
	long rc;

	/* Xen needs a vcpu_info: past the shared_info slots, only a registered one. */
	if (target->id >= XEN_LEGACY_MAX_VCPUS && !target->vcpu_info_registered)
		return -XEN_EINVAL;
	if (xen_copy_from_guest(call, &ctx, arg, sizeof(ctx)))
		return -XEN_EFAULT;
	pthread_mutex_lock(&dom->lock);
	rc = target->initialised ? -XEN_EEXIST : load_context(target, &ctx);
	if (!rc) {
		target->initialised = true;
		target->down = true;
	}
	pthread_mutex_unlock(&dom->lock);
	return rc;
}

static long up(struct xen_call *call, struct xen_vcpu *target)
{
	struct xen_domain *dom = call->dom;
	bool wake = false;
	long rc = 0;

	pthread_mutex_lock(&dom->lock);
	if (!target->initialised)
		rc = -XEN_EINVAL;
	else if (target->down)
		wake = true;
	if (wake)
		target->down = false;
	pthread_mutex_unlock(&dom->lock);
	if (wake)
		xen_runstate_change(target);
	if (wake && kvm_vcpu(target))
		vcpu_start(kvm_vcpu(target));
	return rc;
}

static long down(struct xen_call *call, struct xen_vcpu *target)
{
	struct xen_domain *dom = call->dom;
	bool others_up = false, park;

	pthread_mutex_lock(&dom->lock);
	for (unsigned int i = 0; i < dom->nr_vcpus; i++)
		if (i != target->id && !dom->vcpus[i].down)
			others_up = true;
	park = others_up && !target->down;
	if (others_up)
		target->down = true;
	pthread_mutex_unlock(&dom->lock);
	if (park)
		xen_runstate_change(target);
	if (!others_up) {
		/* The last vCPU going down ends the domain (domain_shutdown). */
		xen_domain_shutdown(dom, SHUTDOWN_poweroff);
		return 0;
	}
	if (park && kvm_vcpu(target))
		vcpu_park(kvm_vcpu(target));
	return 0;
}

static long is_up(struct xen_call *call, struct xen_vcpu *target)
{
	bool up_now;

	pthread_mutex_lock(&call->dom->lock);
	up_now = !target->down;
	pthread_mutex_unlock(&call->dom->lock);
	return up_now;
}

/*
 * A vCPU the guest started with INIT/SIPI or stopped with INIT through the local APICs:
 * Xen's vlapic makes the same change (hvm_vcpu_reset_state() on SIPI sets is_initialised
 * and clears _VPF_down; vcpu_reset() on INIT undoes both).
 */
static void native_state(struct vcpu *v, bool running, void *opaque)
{
	struct xen_domain *dom = opaque;
	struct xen_vcpu *target = &dom->vcpus[v->id];

	pthread_mutex_lock(&dom->lock);
	target->initialised = running;
	target->down = !running;
	pthread_mutex_unlock(&dom->lock);
	xen_runstate_change(target);
}

void xen_vcpu_hotplug_init(struct xen_domain *dom)
{
	dom->vm->vcpu_native = native_state;
	dom->vm->vcpu_native_opaque = dom;
}

long xen_vcpu_hotplug_op(struct xen_call *call, int cmd, struct xen_vcpu *target, uint64_t arg)
{
	/* KVM starts a vCPU on a SIPI without telling us: see first, then answer. */
	if (kvm_vcpu(target))
		vcpu_refresh_started(kvm_vcpu(target));
	switch (cmd) {
	case VCPUOP_initialise:
		return initialise(call, target, arg);
	case VCPUOP_up:
		return up(call, target);
	case VCPUOP_down:
		return down(call, target);
	case VCPUOP_is_up:
		return is_up(call, target);
	default:
		return -XEN_ENOSYS;
	}
}
