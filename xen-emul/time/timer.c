// SPDX-License-Identifier: GPL-2.0
/*
 * Guest timers: VCPUOP_set/stop_singleshot_timer, VCPUOP_set/stop_periodic_timer and
 * HYPERVISOR_set_timer_op, each a timerfd on the VMM's event loop that raises VIRQ_TIMER
 * on its vCPU. Deadlines are Xen system time, which is CLOCK_MONOTONIC since the domain
 * started, so a timer never fires before its deadline on the guest's clock.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <xen/errno.h>
#include <xen/vcpu.h>

#include "vmm/log.h"
#include "xen-emul/evtchn/evtchn.h"
#include "xen-emul/time/time.h"
#include "xen-emul/vcpu/vcpu_op.h"

#define MS_NS 1000000ULL
/* Xen's STIME_DELTA_MAX: the longest period it accepts. */
#define STIME_DELTA_MAX (UINT64_MAX >> 2)
/* set_timer_op: timeouts 2^50 ns or more ahead are Linux jiffy wrap; Xen uses 100 ms. */
#define HUGE_TIMEOUT_SHIFT 50
#define HUGE_TIMEOUT_FALLBACK_NS (100 * MS_NS)

struct xen_vcpu_timers {
	struct xen_vcpu *xv;
	int single_fd;
	int periodic_fd;
};

static bool on_expiry(int fd, uint32_t events, void *opaque)
{
	struct xen_vcpu_timers *t = opaque;
	uint64_t ticks;

	if (read(fd, &ticks, sizeof(ticks)) == sizeof(ticks) && ticks) {
		/* A timer tick: the runstate area is brought up to date at least this often. */
		xen_runstate_update(t->xv);
		xen_evtchn_send_virq(t->xv->dom, t->xv->id, VIRQ_TIMER);
	}
	return true;
}

static int new_timerfd(struct xen_vcpu_timers *t)
{
	int fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);

	if (fd < 0)
		return -errno;
	if (!t->xv->dom->loop || evloop_add(t->xv->dom->loop, fd, EPOLLIN, on_expiry, t)) {
		close(fd);
		return -ENOSYS;
	}
	return fd;
}

/* The vCPU's timers, created on first use. */
static struct xen_vcpu_timers *timers_of(struct xen_vcpu *xv)
{
	struct xen_vcpu_timers *t;
	int rc;

	pthread_mutex_lock(&xv->dom->lock);
	t = xv->timers;
	if (t)
		goto out;
	t = calloc(1, sizeof(*t));
	if (!t)
		goto out;
	t->xv = xv;
	t->single_fd = new_timerfd(t);
	rc = t->single_fd < 0 ? t->single_fd : 0;
	t->periodic_fd = rc ? -1 : new_timerfd(t);
	if (rc || t->periodic_fd < 0) {
		log_warn("vCPU %u: cannot create its timers", xv->id);
		if (t->single_fd >= 0)
			evloop_del(xv->dom->loop, t->single_fd), close(t->single_fd);
		free(t);
		t = NULL;
		goto out;
	}
	xv->timers = t;
out:
	pthread_mutex_unlock(&xv->dom->lock);
	return t;
}

static int arm(struct xen_domain *dom, int fd, uint64_t deadline_ns, uint64_t period_ns)
{
	/* A deadline beyond what CLOCK_MONOTONIC can say is as good as never. */
	uint64_t abs =
		deadline_ns > STIME_DELTA_MAX ? STIME_DELTA_MAX : dom->clock.boot_ns + deadline_ns;
	struct itimerspec its = {
		.it_value = { (time_t)(abs / 1000000000ULL), (long)(abs % 1000000000ULL) },
		.it_interval = { (time_t)(period_ns / 1000000000ULL),
				 (long)(period_ns % 1000000000ULL) },
	};

	return timerfd_settime(fd, TFD_TIMER_ABSTIME, &its, NULL) < 0 ? -errno : 0;
}

static void disarm(int fd)
{
	struct itimerspec its = { 0 };

	timerfd_settime(fd, 0, &its, NULL);
}

/*
 * Arms the single-shot timer. A deadline already past raises the VIRQ now, as Xen does,
 * VCPU_SSHOTTMR_future or not: Xen 4.17.7 ignores that flag (Linux set it on deadlines
 * that could pass before the call; real Xen answers 0 and fires, make check-oracle).
 */
static long set_singleshot(struct xen_vcpu *xv, uint64_t deadline, uint32_t flags)
{
	struct xen_vcpu_timers *t = timers_of(xv);
	uint64_t now = xen_system_time(xv->dom);

	if (!t)
		return -XEN_ENOMEM;
	if (deadline <= now) {
		disarm(t->single_fd);
		xen_evtchn_send_virq(xv->dom, xv->id, VIRQ_TIMER);
		return 0;
	}
	return arm(xv->dom, t->single_fd, deadline, 0) ? -XEN_EINVAL : 0;
}

static long stop_timer(struct xen_vcpu *xv, bool periodic)
{
	struct xen_vcpu_timers *t = xv->timers;

	if (t)
		disarm(periodic ? t->periodic_fd : t->single_fd);
	return 0;
}

static long set_periodic(struct xen_call *call, struct xen_vcpu *xv, uint64_t arg)
{
	struct vcpu_set_periodic_timer set;
	struct xen_vcpu_timers *t;

	if (xen_copy_from_guest(call, &set, arg, sizeof(set)))
		return -XEN_EFAULT;
	if (set.period_ns < MS_NS || set.period_ns > STIME_DELTA_MAX)
		return -XEN_EINVAL;
	t = timers_of(xv);
	if (!t)
		return -XEN_ENOMEM;
	return arm(xv->dom, t->periodic_fd, xen_system_time(xv->dom) + set.period_ns,
		   set.period_ns) ?
		       -XEN_EINVAL :
		       0;
}

long xen_timer_vcpu_op(struct xen_call *call, int cmd, struct xen_vcpu *target, uint64_t arg)
{
	struct vcpu_set_singleshot_timer set;
	bool self = target == xen_call_vcpu(call);

	switch (cmd) {
	case VCPUOP_set_singleshot_timer:
		if (!self)
			return -XEN_EINVAL; /* only on the calling vCPU */
		if (xen_copy_from_guest(call, &set, arg, sizeof(set)))
			return -XEN_EFAULT;
		return set_singleshot(target, set.timeout_abs_ns, set.flags);
	case VCPUOP_stop_singleshot_timer:
		return self ? stop_timer(target, false) : -XEN_EINVAL;
	case VCPUOP_set_periodic_timer:
		return set_periodic(call, target, arg);
	case VCPUOP_stop_periodic_timer:
		return stop_timer(target, true);
	default:
		return -XEN_ENOSYS;
	}
}

long xen_do_set_timer_op(struct xen_call *call)
{
	struct xen_vcpu *xv = xen_call_vcpu(call);
	int64_t timeout = (int64_t)call->args[0];
	int64_t offset;

	if (!call->is_64)
		timeout = (int64_t)(call->args[0] | (call->args[1] << 32));
	if (timeout == 0)
		return stop_timer(xv, false);
	offset = timeout - (int64_t)xen_system_time(call->dom);
	if (timeout < 0 || (offset > 0 && (uint64_t)offset >> HUGE_TIMEOUT_SHIFT))
		return set_singleshot(xv, xen_system_time(call->dom) + HUGE_TIMEOUT_FALLBACK_NS, 0);
	return set_singleshot(xv, (uint64_t)timeout, 0);
}

void xen_timers_destroy(struct xen_domain *dom)
{
	for (unsigned int i = 0; i < dom->nr_vcpus; i++) {
		struct xen_vcpu_timers *t = dom->vcpus[i].timers;

		if (!t)
			continue;
		evloop_del(dom->loop, t->single_fd);
		evloop_del(dom->loop, t->periodic_fd);
		close(t->single_fd);
		close(t->periodic_fd);
		free(t);
		dom->vcpus[i].timers = NULL;
	}
}
