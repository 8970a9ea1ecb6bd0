// SPDX-License-Identifier: GPL-2.0
/*
 * Time for the guest (the user transport; KVM keeps it under KVM_XEN). Every
 * vcpu_time_info is written from one shared reference line (guest TSC, system time,
 * scale), so all vCPUs extrapolate the same line and agree with each other. Once a second
 * the line is calibrated against the host clock (time_calibration.h): a new line starts
 * where the old one stands, sloped to meet the host clock a second later, so the guest's
 * clock neither jumps nor drifts. The TSC-stable flag is left clear, as Xen does by
 * default, so guests keep their own cross-CPU monotonic guard.
 */
#include <errno.h>
#include <stdint.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/timerfd.h>
#include <time.h>
#include <unistd.h>
#include <x86intrin.h>

#include "vmm/log.h"
#include "xen-emul/transport/accel.h"
#include "xen-emul/time/time.h"

#define MSR_IA32_TSC 0x10

static uint64_t clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

void xen_time_init(struct xen_domain *dom)
{
	struct xen_clock *c = &dom->clock;

	memset(c, 0, sizeof(*c));
	c->boot_ns = clock_ns(CLOCK_MONOTONIC);
	c->boot_realtime_ns = (int64_t)clock_ns(CLOCK_REALTIME);
	c->nominal_hz = (uint64_t)dom->vm->tsc_khz * 1000;
	c->line.scale = xen_time_scale_for(c->nominal_hz);
}

uint64_t xen_system_time(struct xen_domain *dom)
{
	if (dom->accel && dom->accel->system_time)
		return dom->accel->system_time(dom);
	return clock_ns(CLOCK_MONOTONIC) - dom->clock.boot_ns;
}

/*
 * The guest's TSC is the host's plus a constant offset (no TSC scaling here: the guest
 * frequency is the host's). The guest TSC MSR is read between two host reads; taking the
 * later host read makes the estimate never exceed the true offset, so a tsc_timestamp
 * is never ahead of the guest's own TSC (which would make its unsigned delta wrap).
 */
/*
 * Reads of two clocks taken back to back are retried when the thread lost the CPU in
 * between (a loaded host; a nested KVM under TCG): a pair a second apart would put the
 * guest's clock a second off for good. The tightest of PAIR_TRIES is kept, and one within
 * PAIR_TIGHT_NS ends the search.
 */
#define PAIR_TRIES 8
#define PAIR_TIGHT_NS 20000ULL

static uint64_t tight_ticks(const struct xen_clock *c)
{
	return c->nominal_hz / (1000000000ULL / PAIR_TIGHT_NS);
}

/*
 * The guest's TSC is the host's plus a constant offset (no TSC scaling here: the guest
 * frequency is the host's). The guest TSC MSR is read between two host reads; taking the
 * later host read makes the estimate never exceed the true offset, so a tsc_timestamp
 * is never ahead of the guest's own TSC (which would make its unsigned delta wrap).
 */
void xen_time_learn_tsc_offset(struct xen_call *call)
{
	struct xen_clock *c = &call->dom->clock;
	uint64_t window = UINT64_MAX;
	int64_t offset = 0;

	if (__atomic_load_n(&c->tsc_offset_known, __ATOMIC_ACQUIRE))
		return;
	for (int i = 0; i < PAIR_TRIES && window > tight_ticks(c); i++) {
		uint64_t before = __rdtsc(), after, guest;

		if (vcpu_get_msr(call->vcpu, MSR_IA32_TSC, &guest))
			return;
		after = __rdtsc();
		if (after - before < window) {
			window = after - before;
			offset = (int64_t)(guest - after);
		}
	}
	pthread_mutex_lock(&call->dom->lock);
	if (!c->tsc_offset_known) {
		c->tsc_offset = offset;
		__atomic_store_n(&c->tsc_offset_known, true, __ATOMIC_RELEASE);
		log_debug("guest TSC offset %lld (read within %llu ticks)", (long long)offset,
			  (unsigned long long)window);
	}
	pthread_mutex_unlock(&call->dom->lock);
	xen_time_resync(call->dom);
}

/* The guest's TSC and the system time at one moment (see PAIR_TRIES). */
static void tsc_and_time(struct xen_domain *dom, uint64_t *tsc, uint64_t *now)
{
	struct xen_clock *c = &dom->clock;
	uint64_t window = UINT64_MAX;

	for (int i = 0; i < PAIR_TRIES && window > tight_ticks(c); i++) {
		uint64_t t1 = __rdtsc(), ns = xen_system_time(dom), t2 = __rdtsc();

		if (t2 - t1 < window) {
			window = t2 - t1;
			*tsc = t1 + window / 2 + (uint64_t)c->tsc_offset;
			*now = ns;
		}
	}
}

/*
 * A new reference line at the current TSC. The first one is the host's time at the
 * nominal rate; later ones continue the current line (time_calibration.h), and only a
 * calibration (once a second) re-measures the TSC rate and corrects the slope: other
 * callers (a vCPU registering its vcpu_info) need a fresh reference, not a new rate.
 */
static void take_reference(struct xen_domain *dom, bool calibrate)
{
	struct xen_clock *c = &dom->clock;
	uint64_t tsc = 0, now = 0, hz = 0;

	tsc_and_time(dom, &tsc, &now);

	if (!c->line.tsc) {
		c->line.tsc = tsc;
		c->line.ns = now;
		c->cal_tsc = tsc;
		c->cal_ns = now;
		return;
	}
	if (calibrate) {
		hz = xen_time_measure_hz(tsc - c->cal_tsc, now - c->cal_ns);
		if (hz) {
			c->cal_tsc = tsc;
			c->cal_ns = now;
		}
	}
	c->line = xen_time_line_next(&c->line, tsc, now, hz);
}

/*
 * The second copy (VCPUOP_register_vcpu_time_memory_area) under the same protocol as
 * Xen's __update_vcpu_system_time(): the odd version first, then every field, then the
 * even version.
 */
static void write_time_area(struct xen_domain *dom, struct xen_vcpu *xv,
			    const struct vcpu_time_info *t)
{
	struct vcpu_time_info copy = *t;
	uint32_t final = t->version;

	if (!xen_guest_area_placed(&xv->time_area))
		return;
	copy.version = final - 1;
	xen_guest_area_write(dom, &xv->time_area, 0, &copy.version, sizeof(copy.version));
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	xen_guest_area_write(dom, &xv->time_area, 0, &copy, sizeof(copy));
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	xen_guest_area_write(dom, &xv->time_area, 0, &final, sizeof(final));
}

void xen_time_write_vcpu(struct xen_domain *dom, struct xen_vcpu *xv)
{
	struct vcpu_info *vi = xv->vcpu_info;
	struct vcpu_time_info *t, none = { 0 };
	uint32_t version;

	if (!dom->clock.tsc_offset_known || dom->accel->owns_time)
		return;
	/* Without a vcpu_info yet, only the second copy is written. */
	t = vi ? &vi->time : &none;
	/* Odd version while the fields change; readers retry (vcpu_time_info protocol). */
	version = __atomic_load_n(&t->version, __ATOMIC_RELAXED);
	__atomic_store_n(&t->version, (version + 1) | 1, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t->tsc_timestamp = dom->clock.line.tsc;
	t->system_time = dom->clock.line.ns;
	t->tsc_to_system_mul = dom->clock.line.scale.mul_frac;
	t->tsc_shift = dom->clock.line.scale.shift;
	t->flags = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&t->version, ((version + 1) | 1) + 1, __ATOMIC_RELEASE);
	write_time_area(dom, xv, t);
}

void xen_time_write_wallclock(struct xen_domain *dom)
{
	struct shared_info *si = dom->shared_info;
	int64_t boot = dom->clock.boot_realtime_ns;
	uint64_t sec = (uint64_t)boot / 1000000000ULL;
	uint32_t version;

	if (!si || dom->accel->owns_time)
		return;
	version = __atomic_load_n(&si->wc_version, __ATOMIC_RELAXED);
	__atomic_store_n(&si->wc_version, (version + 1) | 1, __ATOMIC_RELEASE);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	si->wc_sec = (uint32_t)sec;
	si->wc_sec_hi = (uint32_t)(sec >> 32);
	si->wc_nsec = (uint32_t)((uint64_t)boot % 1000000000ULL);
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	__atomic_store_n(&si->wc_version, ((version + 1) | 1) + 1, __ATOMIC_RELEASE);
}

static void resync(struct xen_domain *dom, bool calibrate)
{
	if (dom->accel->owns_time)
		return;
	pthread_mutex_lock(&dom->lock);
	if (dom->clock.tsc_offset_known) {
		take_reference(dom, calibrate);
		for (unsigned int i = 0; i < dom->nr_vcpus; i++)
			xen_time_write_vcpu(dom, &dom->vcpus[i]);
	}
	xen_time_write_wallclock(dom);
	pthread_mutex_unlock(&dom->lock);
}

void xen_time_resync(struct xen_domain *dom)
{
	resync(dom, false);
}

static bool on_resync_tick(int fd, uint32_t events, void *opaque)
{
	uint64_t ticks;

	if (read(fd, &ticks, sizeof(ticks)) == sizeof(ticks)) {
		resync(opaque, true);
		/* Runstate areas of vCPUs with no timer of their own are current within a second. */
		xen_runstate_update_all(opaque);
	}
	return true;
}

int xen_time_start(struct xen_domain *dom)
{
	struct itimerspec its = {
		.it_interval.tv_sec = XEN_TIME_CAL_PERIOD_NS / 1000000000ULL,
		.it_value.tv_sec = XEN_TIME_CAL_PERIOD_NS / 1000000000ULL,
	};
	int fd, rc;

	dom->clock.resync_fd = -1;
	if (!dom->loop)
		return 0;
	fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (fd < 0)
		return -errno;
	if (timerfd_settime(fd, 0, &its, NULL) < 0) {
		rc = -errno;
		close(fd);
		return rc;
	}
	rc = evloop_add(dom->loop, fd, EPOLLIN, on_resync_tick, dom);
	if (rc) {
		close(fd);
		return rc;
	}
	dom->clock.resync_fd = fd;
	return 0;
}

/* After the event loop has stopped. */
void xen_time_stop(struct xen_domain *dom)
{
	if (dom->clock.resync_fd <= 0)
		return;
	if (dom->loop)
		evloop_del(dom->loop, dom->clock.resync_fd);
	close(dom->clock.resync_fd);
	dom->clock.resync_fd = -1;
}
