// SPDX-License-Identifier: GPL-2.0
/*
 * HYPERVISOR_xen_version, with Xen 4.17's answers to an unprivileged HVM domain: the
 * sub-ops XSM lets any guest use return data, the privileged ones return Xen's "<denied>"
 * string or -EPERM, unknown sub-ops -ENOSYS.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <xen/errno.h>
#include <xen/features.h>
#include <xen/version.h>

#include "xen-emul/xen.h"

/* Xen's placeholder for data a domain may not see. */
#define XEN_DENIED "<denied>"
/*
 * What a 32-bit caller is told in the compat layout: the domain's compat hypervisor
 * start, which Xen sets only for 32-bit PV domains; an HVM domain's is 0 (real Xen
 * 4.17 answers a 32-bit PVH caller 0: make check-oracle).
 */
#define XEN_HVM_COMPAT_VIRT_START 0u

/*
 * What an HVM/PVH domU learns from XENVER_get_features, submap 0, exactly as Xen 4.17
 * reports it (0x12305, seen from a PVH domU of Debian's Xen 4.17.7): writable page
 * tables, translated paging, upcalls through a vector (HVM_PARAM_CALLBACK_IRQ type 2 and
 * the per-vCPU vector), a pvclock safe to use, XENMEM_get_vnumainfo (which answers
 * -EOPNOTSUPP to a domain without vNUMA, memory_op.c), not direct-mapped.
 */
static uint32_t features_submap0(void)
{
	return (1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_auto_translated_physmap) |
	       (1u << XENFEAT_hvm_callback_vector) | (1u << XENFEAT_hvm_safe_pvclock) |
	       (1u << XENFEAT_memory_op_vnode_supported) | (1u << XENFEAT_not_direct_mapped);
}

static long copy_string(struct xen_call *call, uint64_t gva, const char *s, size_t size)
{
	char buf[1024] = { 0 };

	snprintf(buf, size < sizeof(buf) ? size : sizeof(buf), "%s", s);
	return xen_copy_to_guest(call, gva, buf, size) ? -XEN_EFAULT : 0;
}

static long compile_info(struct xen_call *call, uint64_t gva)
{
	xen_compile_info_t info;

	memset(&info, 0, sizeof(info));
	snprintf(info.compiler, sizeof(info.compiler), "gcc %s", __VERSION__);
	snprintf(info.compile_by, sizeof(info.compile_by), "xenkvm");
	snprintf(info.compile_domain, sizeof(info.compile_domain), "localdomain");
	snprintf(info.compile_date, sizeof(info.compile_date), "%s %s", __DATE__, __TIME__);
	return xen_copy_to_guest(call, gva, &info, sizeof(info)) ? -XEN_EFAULT : 0;
}

static long platform_parameters(struct xen_call *call, uint64_t gva)
{
	if (call->is_64) {
		uint64_t start = __HYPERVISOR_VIRT_START;

		return xen_copy_to_guest(call, gva, &start, sizeof(start)) ? -XEN_EFAULT : 0;
	} else {
		uint32_t start = XEN_HVM_COMPAT_VIRT_START;

		return xen_copy_to_guest(call, gva, &start, sizeof(start)) ? -XEN_EFAULT : 0;
	}
}

static long get_features(struct xen_call *call, uint64_t gva)
{
	xen_feature_info_t fi;

	if (xen_copy_from_guest(call, &fi, gva, sizeof(fi)))
		return -XEN_EFAULT;
	if (fi.submap_idx != 0)
		return -XEN_EINVAL;
	fi.submap = features_submap0();
	return xen_copy_to_guest(call, gva, &fi, sizeof(fi)) ? -XEN_EFAULT : 0;
}

long xen_do_xen_version(struct xen_call *call)
{
	const struct xen_config *cfg = &call->dom->cfg;
	uint64_t arg = call->args[1];

	switch ((int)call->args[0]) {
	case XENVER_version:
		return ((long)cfg->version_major << 16) | cfg->version_minor;
	case XENVER_extraversion:
		return copy_string(call, arg, ".0-xenkvm", sizeof(xen_extraversion_t));
	case XENVER_compile_info:
		return compile_info(call, arg);
	case XENVER_capabilities:
		/* HVM only: xenkvm runs no PV guests. Xen ends each entry with a space. */
		return copy_string(call, arg, "hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64 ",
				   sizeof(xen_capabilities_info_t));
	case XENVER_changeset:
		return copy_string(call, arg, "unavailable", sizeof(xen_changeset_info_t));
	case XENVER_platform_parameters:
		return platform_parameters(call, arg);
	case XENVER_get_features:
		return get_features(call, arg);
	case XENVER_pagesize:
		return arg ? -XEN_EINVAL : (long)GUEST_PAGE_SIZE;
	case XENVER_guest_handle:
		return xen_copy_to_guest(call, arg, cfg->uuid, sizeof(xen_domain_handle_t)) ?
			       -XEN_EFAULT :
			       0;
	case XENVER_commandline:
		/* Xen copies exactly the denial string and its NUL to a domU. */
		return xen_copy_to_guest(call, arg, XEN_DENIED, sizeof(XEN_DENIED)) ? -XEN_EFAULT :
										      0;
	case XENVER_build_id:
		return -XEN_EPERM;
	default:
		return -XEN_ENOSYS;
	}
}
