/* SPDX-License-Identifier: GPL-2.0 */
/*
 * A small guest structure the VMM keeps writing after the hypercall that registered it
 * (the runstate area, the second vcpu_time_info). The guest names it by a linear
 * address; it is translated once, at registration, through the registering vCPU's page
 * tables (as KVM_XEN's attributes and QEMU do), into at most two guest-physical pieces
 * (it may straddle a page boundary). Xen itself translates on every update; a guest that
 * remaps the address later would see the difference, and Linux never does (its areas are
 * per-CPU data in the kernel's direct map).
 */
#ifndef XENKVM_XEN_EMUL_GUEST_AREA_H
#define XENKVM_XEN_EMUL_GUEST_AREA_H

#include <stdint.h>

struct xen_call;
struct xen_domain;

struct xen_guest_area {
	uint64_t gpa[2];
	uint32_t len[2]; /* len[0] == 0: not placed; len[1] == 0: one piece */
};

/* Translates [gva, gva + len) for writing; -EFAULT (area cleared) when it cannot. */
int xen_guest_area_place(struct xen_call *call, uint64_t gva, uint32_t len,
			 struct xen_guest_area *area);
/* Writes `len` bytes at `off` into a placed area; nothing when it is not placed. */
void xen_guest_area_write(struct xen_domain *dom, const struct xen_guest_area *area, uint32_t off,
			  const void *src, uint32_t len);

static inline int xen_guest_area_placed(const struct xen_guest_area *area)
{
	return area->len[0] != 0;
}

#endif
