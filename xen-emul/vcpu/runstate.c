// SPDX-License-Identifier: GPL-2.0
/*
 * vCPU runstate for the user transport: VCPUOP_register_runstate_memory_area,
 * VCPUOP_get_runstate_info and the area kept current, as Xen keeps it (vcpu.h).
 *
 * Xen moves the time since state_entry_time to the state the vCPU leaves at every change
 * (vcpu_runstate_change()), so the four times always add up to what state_entry_time
 * moved. The VMM sees some changes itself (SCHEDOP_block/poll waits, a vCPU going down or
 * up) and learns the rest from the host at each update: the time the vCPU thread waited
 * for a CPU (run_delay: runnable, the steal time Linux reads, as KVM_XEN counts it) and
 * the time the vCPU was halted inside KVM (HLT: blocked), both from vcpu_accounting.h. A
 * halt still under way at an update is counted as blocked up to then (and not again when
 * KVM adds the whole halt at its end). The area is written at every change the VMM sees,
 * at each timer event of the vCPU and once a second; without the host's counters (KVM
 * before Linux 5.14) halted time counts as running. A vCPU of a paused VM (vm_pause(), the
 * toolstack's pause) is offline, as Xen counts it.
 *
 * The area is translated at registration (guest_area.h). A 32-bit caller gets Xen's
 * compat layout (state_entry_time at offset 4, 44 bytes), in the area and from
 * VCPUOP_get_runstate_info; Xen picks the area's layout from the domain's shared_info
 * width, which a 32-bit guest latches by the same 32-bit hypercalls.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/vcpu.h>

#include "vmm/vcpu_accounting.h"
#include "vmm/vm.h"
#include "xen-emul/transport/accel.h"
#include "xen-emul/vcpu/runstate.h"
#include "xen-emul/time/time.h"
#include "xen-emul/vcpu/vcpu_op.h"

/* struct vcpu_runstate_info as a 32-bit guest lays it out: uint64_t aligned to 4. */
struct compat_vcpu_runstate_info {
	int32_t state;
	uint64_t state_entry_time;
	uint64_t time[4];
} __attribute__((packed));

_Static_assert(sizeof(struct compat_vcpu_runstate_info) == 44, "Xen's compat layout");

void xen_runstate_init(struct xen_vcpu *xv)
{
	struct xen_runstate *rs = &xv->runstate;

	memset(rs, 0, sizeof(*rs));
	pthread_mutex_init(&rs->lock, NULL);
	rs->where = xv->down ? XEN_RS_OFFLINE : XEN_RS_IN_GUEST;
	rs->info.state = xv->down ? RUNSTATE_offline : RUNSTATE_running;
}

static uint64_t take(uint64_t *left, uint64_t want)
{
	uint64_t n = want < *left ? want : *left;

	*left -= n;
	return n;
}

/* What the host counted since the last update: waiting for a CPU, halted, halted now. */
static void host_deltas(struct xen_vcpu *xv, struct xen_runstate *rs, uint64_t *delay,
			uint64_t *halted, bool *halted_now)
{
	struct vcpu *v = xv->dom->vm->vcpus ? &xv->dom->vm->vcpus[xv->id] : NULL;
	uint64_t h = 0, d = 0;
	bool known;

	*delay = *halted = 0;
	*halted_now = false;
	known = v && !vcpu_halted_ns(v, &h, halted_now) && !vcpu_run_delay_ns(v, &d);
	if (known && rs->host_known) {
		*halted = h - rs->halted_ns;
		*delay = d - rs->run_delay_ns;
	}
	if (!known)
		*halted_now = false;
	rs->host_known = known;
	rs->halted_ns = h;
	rs->run_delay_ns = d;
}

/* The time in the guest since the last update, split as the host counted it. */
static void split_guest_time(struct xen_runstate *rs, uint64_t left, uint64_t delay,
			     uint64_t halted, bool halted_now)
{
	uint64_t repaid = halted < rs->halt_prepaid_ns ? halted : rs->halt_prepaid_ns;
	uint64_t steal = take(&left, delay), blocked;

	blocked = take(&left, halted - repaid);
	rs->halt_prepaid_ns = 0;
	if (halted_now) {
		blocked += left;
		rs->halt_prepaid_ns = left;
		left = 0;
	}
	rs->info.time[RUNSTATE_runnable] += steal;
	rs->info.time[RUNSTATE_blocked] += blocked;
	rs->info.time[RUNSTATE_running] += left;
}

/* Moves the time up to `now` into the times and takes the vCPU's present state (locked). */
static void account(struct xen_vcpu *xv, struct xen_runstate *rs, uint64_t now)
{
	uint64_t left = now > rs->info.state_entry_time ? now - rs->info.state_entry_time : 0;
	uint64_t delay, halted;
	bool halted_now;

	host_deltas(xv, rs, &delay, &halted, &halted_now);
	switch (rs->where) {
	case XEN_RS_OFFLINE:
		rs->info.time[RUNSTATE_offline] += left;
		break;
	case XEN_RS_BLOCKED:
		rs->info.time[RUNSTATE_blocked] += left;
		break;
	default:
		split_guest_time(rs, left, delay, halted, halted_now);
		break;
	}
	if (now > rs->info.state_entry_time)
		rs->info.state_entry_time = now;
	if (__atomic_load_n(&xv->down, __ATOMIC_RELAXED) || rs->paused) {
		rs->where = XEN_RS_OFFLINE;
		rs->info.state = RUNSTATE_offline;
	} else if (rs->in_block) {
		rs->where = XEN_RS_BLOCKED;
		rs->info.state = RUNSTATE_blocked;
	} else {
		rs->where = XEN_RS_IN_GUEST;
		rs->info.state = halted_now ? RUNSTATE_blocked : RUNSTATE_running;
	}
}

/* The area's bytes for `ri` in the registered layout; the offset of state_entry_time. */
static uint32_t layout(const struct xen_runstate *rs, const struct vcpu_runstate_info *ri,
		       void *buf, uint32_t *entry_off)
{
	struct compat_vcpu_runstate_info c;

	if (!rs->compat) {
		memcpy(buf, ri, sizeof(*ri));
		*entry_off = offsetof(struct vcpu_runstate_info, state_entry_time);
		return sizeof(*ri);
	}
	c.state = ri->state;
	c.state_entry_time = ri->state_entry_time;
	memcpy(c.time, ri->time, sizeof(c.time));
	memcpy(buf, &c, sizeof(c));
	*entry_off = offsetof(struct compat_vcpu_runstate_info, state_entry_time);
	return sizeof(c);
}

/*
 * Writes the area (locked). Under VMASST_TYPE_runstate_update_flag, Xen's protocol
 * (update_runstate_area()): XEN_RUNSTATE_UPDATE set in the state_entry_time the guest
 * sees, the new contents (flag still set), then the flag cleared; a reader that saw the
 * flag, or two different values, retries.
 */
static void publish(struct xen_domain *dom, struct xen_runstate *rs)
{
	bool flag = __atomic_load_n(&dom->vm_assist, __ATOMIC_RELAXED) &
		    (1ULL << VMASST_TYPE_runstate_update_flag);
	struct vcpu_runstate_info ri = rs->info;
	uint8_t buf[sizeof(struct vcpu_runstate_info)];
	uint64_t entry = ri.state_entry_time, busy = rs->shown_entry | XEN_RUNSTATE_UPDATE;
	uint32_t off, len;

	if (!xen_guest_area_placed(&rs->area))
		return;
	if (flag) {
		xen_guest_area_write(dom, &rs->area, rs->compat ? 4 : 8, &busy, sizeof(busy));
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		ri.state_entry_time |= XEN_RUNSTATE_UPDATE;
	}
	len = layout(rs, &ri, buf, &off);
	xen_guest_area_write(dom, &rs->area, 0, buf, len);
	if (flag) {
		__atomic_thread_fence(__ATOMIC_SEQ_CST);
		xen_guest_area_write(dom, &rs->area, off, &entry, sizeof(entry));
	}
	rs->shown_entry = entry;
}

static void update(struct xen_vcpu *xv, bool only_for_area)
{
	struct xen_runstate *rs = &xv->runstate;

	pthread_mutex_lock(&rs->lock);
	if (!only_for_area || xen_guest_area_placed(&rs->area)) {
		account(xv, rs, xen_system_time(xv->dom));
		publish(xv->dom, rs);
	}
	pthread_mutex_unlock(&rs->lock);
}

/*
 * A tick brings forward only an area the VMM writes: time in the guest is split by the
 * host's counters, so accounting later loses nothing, and under KVM_XEN (whose 64-bit
 * area is KVM's) a tick then costs no clock read.
 */
void xen_runstate_update(struct xen_vcpu *xv)
{
	update(xv, true);
}

void xen_runstate_change(struct xen_vcpu *xv)
{
	update(xv, false);
}

void xen_runstate_update_all(struct xen_domain *dom)
{
	for (unsigned int i = 0; i < dom->nr_vcpus; i++)
		xen_runstate_update(&dom->vcpus[i]);
}

void xen_runstate_block(struct xen_vcpu *xv, bool blocked)
{
	struct xen_runstate *rs = &xv->runstate;
	uint64_t now = xen_system_time(xv->dom);

	pthread_mutex_lock(&rs->lock);
	account(xv, rs, now);
	rs->in_block = blocked;
	/* The new state from now on; the interval just ended keeps the old one. */
	if (blocked && rs->where != XEN_RS_OFFLINE) {
		rs->where = XEN_RS_BLOCKED;
		rs->info.state = RUNSTATE_blocked;
	} else if (!blocked && rs->where == XEN_RS_BLOCKED) {
		rs->where = XEN_RS_IN_GUEST;
		rs->info.state = RUNSTATE_running;
	}
	publish(xv->dom, rs);
	pthread_mutex_unlock(&rs->lock);
}

/*
 * vm->vcpu_pause, on the vCPU's own thread. Xen's vcpu.h: a vCPU paused by the system
 * administrator is RUNSTATE_offline (blocked dominates: a vCPU waiting in SCHEDOP_block
 * when the pause comes parks only once it wakes, and stays blocked until then).
 */
static void vcpu_paused(struct vcpu *v, bool paused, void *opaque)
{
	struct xen_domain *dom = opaque;
	struct xen_vcpu *xv = &dom->vcpus[v->id];

	if (dom->accel->vcpu_paused) {
		dom->accel->vcpu_paused(dom, xv, paused);
		return;
	}
	pthread_mutex_lock(&xv->runstate.lock);
	xv->runstate.paused = paused;
	pthread_mutex_unlock(&xv->runstate.lock);
	xen_runstate_change(xv); /* the time so far to the old state, then offline or back */
}

void xen_runstate_pause_hook(struct xen_domain *dom)
{
	dom->vm->vcpu_pause_opaque = dom;
	dom->vm->vcpu_pause = vcpu_paused;
}

void xen_runstate_release(struct xen_vcpu *xv)
{
	struct xen_runstate *rs = &xv->runstate;

	pthread_mutex_lock(&rs->lock);
	memset(&rs->area, 0, sizeof(rs->area));
	__atomic_store_n(&rs->compat, false, __ATOMIC_RELEASE);
	pthread_mutex_unlock(&rs->lock);
}

long xen_runstate_register(struct xen_call *call, struct xen_vcpu *target, uint64_t arg)
{
	struct vcpu_register_runstate_memory_area reg;
	struct xen_runstate *rs = &target->runstate;
	struct xen_guest_area area = { 0 };
	bool compat = !call->is_64;
	uint64_t gva, now;

	if (xen_copy_from_guest(call, &reg, arg, sizeof(reg)))
		return -XEN_EFAULT;
	gva = compat ? (uint32_t)reg.addr.p : reg.addr.p;
	/* As Xen: an address that cannot be written is no error here; nothing is written. */
	if (gva)
		xen_guest_area_place(call, gva,
				     compat ? sizeof(struct compat_vcpu_runstate_info) :
					      sizeof(struct vcpu_runstate_info),
				     &area);
	now = xen_system_time(call->dom);
	pthread_mutex_lock(&rs->lock);
	account(target, rs, now);
	rs->area = area;
	__atomic_store_n(&rs->compat, compat, __ATOMIC_RELEASE);
	rs->shown_entry = rs->info.state_entry_time;
	publish(call->dom, rs);
	pthread_mutex_unlock(&rs->lock);
	__atomic_store_n(&target->runstate_gpa,
			 xen_guest_area_placed(&area) ? area.gpa[0] : XEN_NO_GPA, __ATOMIC_RELEASE);
	return 0;
}

/* Xen's vcpu_runstate_get(): the times up to now, in the caller's layout. */
long xen_runstate_get(struct xen_call *call, struct xen_vcpu *target, uint64_t arg)
{
	struct xen_runstate *rs = &target->runstate;
	struct compat_vcpu_runstate_info c;
	struct vcpu_runstate_info ri;
	uint64_t now = xen_system_time(call->dom);

	pthread_mutex_lock(&rs->lock);
	account(target, rs, now);
	ri = rs->info;
	pthread_mutex_unlock(&rs->lock);
	if (call->is_64)
		return xen_copy_to_guest(call, arg, &ri, sizeof(ri)) ? -XEN_EFAULT : 0;
	c.state = ri.state;
	c.state_entry_time = ri.state_entry_time;
	memcpy(c.time, ri.time, sizeof(c.time));
	return xen_copy_to_guest(call, arg, &c, sizeof(c)) ? -XEN_EFAULT : 0;
}
