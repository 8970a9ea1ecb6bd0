// SPDX-License-Identifier: GPL-2.0
/*
 * HVMOP_set_param and HVMOP_get_param for a PVH domU, with Xen 4.17's rules
 * (arch/x86/hvm/hvm.c: hvmop_{set,get}_param, hvm_allow_{set,get}_param, hvm_set_param,
 * hvm_get_param). A domU may set and read only a few params about itself; deprecated
 * ones are -EINVAL, every other one -EPERM. The index is checked before the domain.
 */
/* The deprecated param numbers are only visible to Xen and its tools. */
#define __XEN_TOOLS__ 1
#include <errno.h>
#include <stdint.h>
#include <xen/hvm/params.h>
#include <xen/errno.h>
#include <xen/hvm/hvm_op.h>

#include "vmm/log.h"
#include "xen-emul/evtchn/evtchn.h"
#include "xen-emul/hvm/hvm_params.h"
#include "xen-emul/xen.h"

/* Xen's internal flag in VM86_TSS_SIZED (asm/hvm/support.h), hidden from readers. */
#define VM86_TSS_UPDATED (1ULL << 63)
/* sizeof(struct tss32), and the largest useful TSS: 256-bit redirection bitmap, 64 Ki-bit
 * I/O bitmap and a padding byte (hvm_set_param). */
#define TSS32_SIZE 104ULL
#define TSS32_MAX (TSS32_SIZE + 0x100 / 8 + 0x10000 / 8 + 1)
/* CPUID.(7,0):EBX bit 13: the FPU CS and DS selectors are deprecated (always zero). */
#define CPUID7_EBX_NO_FPU_SEL (1u << 13)

enum param_access { PARAM_ALLOWED, PARAM_DEPRECATED, PARAM_PRIVATE };

static enum param_access deprecated_or_private(uint32_t index)
{
	switch (index) {
	case HVM_PARAM_PAE_ENABLED:
	case HVM_PARAM_DM_DOMAIN:
	case HVM_PARAM_MEMORY_EVENT_CR0:
	case HVM_PARAM_MEMORY_EVENT_CR3:
	case HVM_PARAM_MEMORY_EVENT_CR4:
	case HVM_PARAM_MEMORY_EVENT_INT3:
	case HVM_PARAM_NESTEDHVM:
	case HVM_PARAM_MEMORY_EVENT_SINGLE_STEP:
	case HVM_PARAM_BUFIOREQ_EVTCHN:
	case HVM_PARAM_MEMORY_EVENT_MSR:
		return PARAM_DEPRECATED;
	default:
		return PARAM_PRIVATE;
	}
}

/* hvm_allow_set_param() for the domain itself. */
static enum param_access set_access(uint32_t index)
{
	switch (index) {
	case HVM_PARAM_CALLBACK_IRQ:
	case HVM_PARAM_VM86_TSS:
	case HVM_PARAM_VM86_TSS_SIZED:
	case HVM_PARAM_ACPI_IOPORTS_LOCATION:
	case HVM_PARAM_VM_GENERATION_ID_ADDR:
	case HVM_PARAM_STORE_EVTCHN:
	case HVM_PARAM_CONSOLE_EVTCHN:
	case HVM_PARAM_X87_FIP_WIDTH:
		return PARAM_ALLOWED;
	default:
		return deprecated_or_private(index);
	}
}

/* hvm_allow_get_param(): the settable ones plus the toolstack's pfns and altp2m. */
static enum param_access get_access(uint32_t index)
{
	switch (index) {
	case HVM_PARAM_STORE_PFN:
	case HVM_PARAM_CONSOLE_PFN:
	case HVM_PARAM_ALTP2M:
		return PARAM_ALLOWED;
	default:
		return set_access(index);
	}
}

static long access_error(enum param_access a)
{
	return a == PARAM_ALLOWED ? 0 : a == PARAM_DEPRECATED ? -XEN_EINVAL : -XEN_EPERM;
}

void xen_hvm_params_init(struct xen_domain *dom)
{
	struct kvm_cpuid_entry2 *e = dom->vm->cpuid ? cpuid_find(dom->vm->cpuid, 7, 0) : NULL;

	/* arch_domain_create(): FIP is 8 bytes wide where the CPU drops the selectors. */
	dom->hvm_params[HVM_PARAM_X87_FIP_WIDTH] = e && (e->ebx & CPUID7_EBX_NO_FPU_SEL) ? 8 : 0;
}

/* Xen crashes a domain that hands it a TSS it cannot use (hvm_set_param). */
static long crash_self(struct xen_domain *dom, const char *why)
{
	log_warn("guest set %s: domain crashed, as Xen does", why);
	vm_request_exit(dom->vm, VM_EXIT_CRASH);
	return -XEN_EINVAL;
}

/* The value checks and conversions of hvm_set_param(); stores into *index, *value. */
static long check_value(struct xen_domain *dom, uint32_t *index, uint64_t *value)
{
	switch (*index) {
	case HVM_PARAM_ACPI_IOPORTS_LOCATION:
		return -XEN_ENODEV; /* a PVH domain has no emulated PM timer */
	case HVM_PARAM_X87_FIP_WIDTH:
		return *value == 0 || *value == 4 || *value == 8 ? 0 : -XEN_EINVAL;
	case HVM_PARAM_VM86_TSS:
		if (*value != (uint32_t)*value)
			return crash_self(dom, "HVM_PARAM_VM86_TSS above 4 GiB");
		/* Old hvmloaders assume 128 bytes; the param is kept in its sized form. */
		if (*value)
			*value |= (128ULL << 32) | VM86_TSS_UPDATED;
		*index = HVM_PARAM_VM86_TSS_SIZED;
		return 0;
	case HVM_PARAM_VM86_TSS_SIZED:
		if ((*value >> 32) < TSS32_SIZE)
			return crash_self(dom, "HVM_PARAM_VM86_TSS_SIZED smaller than a TSS");
		if ((*value >> 32) > TSS32_MAX)
			*value = (uint32_t)*value | (TSS32_MAX << 32);
		*value |= VM86_TSS_UPDATED;
		return 0;
	default:
		return 0;
	}
}

static long set_param(struct xen_domain *dom, uint32_t index, uint64_t value)
{
	uint64_t old;
	long rc = access_error(set_access(index));

	if (!rc)
		rc = check_value(dom, &index, &value);
	if (rc)
		return rc;
	pthread_mutex_lock(&dom->lock);
	old = dom->hvm_params[index];
	dom->hvm_params[index] = value;
	pthread_mutex_unlock(&dom->lock);
	if (index != HVM_PARAM_CALLBACK_IRQ)
		return 0;
	/* Event channels deliver through the new callback from now on. */
	rc = xen_evtchn_set_callback_irq(dom, value);
	if (rc) {
		pthread_mutex_lock(&dom->lock);
		dom->hvm_params[index] = old;
		pthread_mutex_unlock(&dom->lock);
	}
	return rc;
}

static uint64_t get_param(struct xen_domain *dom, uint32_t index)
{
	uint64_t v;

	pthread_mutex_lock(&dom->lock);
	switch (index) {
	case HVM_PARAM_VM86_TSS:
		v = (uint32_t)dom->hvm_params[HVM_PARAM_VM86_TSS_SIZED];
		break;
	case HVM_PARAM_VM86_TSS_SIZED:
		v = dom->hvm_params[index] & ~VM86_TSS_UPDATED;
		break;
	default:
		v = dom->hvm_params[index];
		break;
	}
	pthread_mutex_unlock(&dom->lock);
	return v;
}

/*
 * Copies the request and checks index and domain as hvmop_{set,get}_param() do: another
 * domain is -ESRCH when the id cannot name one, else XSM refuses it to a domU (-EPERM).
 */
static long read_request(struct xen_call *call, uint64_t gva, struct xen_hvm_param *p)
{
	if (xen_copy_from_guest(call, p, gva, sizeof(*p)))
		return -XEN_EFAULT;
	if (p->index >= HVM_NR_PARAMS)
		return -XEN_EINVAL;
	if (p->domid == DOMID_SELF || p->domid == call->dom->cfg.domid)
		return 0;
	return p->domid >= DOMID_FIRST_RESERVED ? -XEN_ESRCH : -XEN_EPERM;
}

long xen_hvm_param_set_op(struct xen_call *call, uint64_t gva)
{
	struct xen_hvm_param p;
	long rc = read_request(call, gva, &p);

	return rc ? rc : set_param(call->dom, p.index, p.value);
}

long xen_hvm_param_get_op(struct xen_call *call, uint64_t gva)
{
	struct xen_hvm_param p;
	long rc = read_request(call, gva, &p);

	if (!rc)
		rc = access_error(get_access(p.index));
	if (rc)
		return rc;
	p.value = get_param(call->dom, p.index);
	return xen_copy_to_guest(call, gva, &p, sizeof(p)) ? -XEN_EFAULT : 0;
}

int xen_hvm_param_set_by_vmm(struct xen_domain *dom, unsigned int idx, uint64_t value)
{
	if (idx >= HVM_NR_PARAMS)
		return -EINVAL;
	pthread_mutex_lock(&dom->lock);
	dom->hvm_params[idx] = value;
	pthread_mutex_unlock(&dom->lock);
	return 0;
}
