// SPDX-License-Identifier: MIT
/*
 * hello: the smallest Xen-aware guest. Prints the Xen version (XENVER_version and
 * XENVER_extraversion) and the features of XENVER_get_features submap 0, by name.
 */
#include "kit.h"
#include "hypercall.h"

#include <xen/features.h>

#define FEATURE(f) [XENFEAT_##f] = #f

/* Names for the bits <xen/features.h> defines in submap 0. */
static const char *const feature_names[32] = {
	FEATURE(writable_page_tables),
	FEATURE(writable_descriptor_tables),
	FEATURE(auto_translated_physmap),
	FEATURE(supervisor_mode_kernel),
	FEATURE(pae_pgdir_above_4gb),
	FEATURE(mmu_pt_update_preserve_ad),
	FEATURE(highmem_assist),
	FEATURE(gnttab_map_avail_bits),
	FEATURE(hvm_callback_vector),
	FEATURE(hvm_safe_pvclock),
	FEATURE(hvm_pirqs),
	FEATURE(dom0),
	FEATURE(memory_op_vnode_supported),
	FEATURE(ARM_SMCCC_supported),
	FEATURE(linux_rsdp_unrestricted),
	FEATURE(not_direct_mapped),
	FEATURE(direct_mapped),
};

void test_main(void)
{
	xen_extraversion_t extra;
	xen_feature_info_t fi = { .submap_idx = 0 };
	long ver, rc;

	ver = HYPERVISOR_xen_version(XENVER_version, NULL);
	check(ver > 0, "XENVER_version returned %ld", ver);
	memset(extra, 0, sizeof(extra));
	rc = HYPERVISOR_xen_version(XENVER_extraversion, extra);
	check_eq(rc, 0, "XENVER_extraversion");
	check(strnlen(extra, sizeof(extra)) < sizeof(extra), "extraversion not NUL-terminated");
	extra[sizeof(extra) - 1] = '\0';
	printf("hello: Xen %lu.%lu%s\n", (unsigned long)ver >> 16, (unsigned long)ver & 0xffff,
	       extra);
	kit_fact("version", "%lu.%lu%s", (unsigned long)ver >> 16, (unsigned long)ver & 0xffff,
		 extra);

	rc = HYPERVISOR_xen_version(XENVER_get_features, &fi);
	check_eq(rc, 0, "XENVER_get_features(0)");
	kit_fact("features submap 0", "%#x", fi.submap);
	printf("hello: features submap 0 = %#x:", fi.submap);
	for (unsigned int bit = 0; bit < 32; bit++) {
		if (!(fi.submap & (1u << bit)))
			continue;
		if (feature_names[bit])
			printf(" %s", feature_names[bit]);
		else
			printf(" bit%u(unknown)", bit);
	}
	printf("\n");
}
