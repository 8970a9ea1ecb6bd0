// SPDX-License-Identifier: MIT
/*
 * xen_version: every sub-op <xen/version.h> (Xen 4.17) defines, XENVER_version
 * through XENVER_build_id, as Xen answers an unprivileged HVM/PVH domain.
 *
 * Xen fills each string buffer completely (zeroed, then the string), so the bytes
 * after the terminator must be zero. Sub-ops the default XSM policy keeps from domUs
 * do not fail alike: XENVER_commandline succeeds with the string "<denied>", while
 * XENVER_build_id returns -EPERM.
 */
#include "kit.h"
#include "hypercall.h"

/* Submap 0 of a PVH domU under Xen 4.17 (0x12305). */
#define XEN_417_PVH_FEATURES                                                              \
	((1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_auto_translated_physmap) | \
	 (1u << XENFEAT_hvm_callback_vector) | (1u << XENFEAT_hvm_safe_pvclock) |         \
	 (1u << XENFEAT_memory_op_vnode_supported) | (1u << XENFEAT_not_direct_mapped))

/* Bits of submap 0 that only PV guests or dom0 get (features.h, Xen's kernel.c). */
#define PV_ONLY_FEATURES                                                              \
	((1u << XENFEAT_mmu_pt_update_preserve_ad) | (1u << XENFEAT_highmem_assist) | \
	 (1u << XENFEAT_gnttab_map_avail_bits))
#define DEFINED_FEATURES                                                                     \
	((1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_writable_descriptor_tables) | \
	 (1u << XENFEAT_auto_translated_physmap) | (1u << XENFEAT_supervisor_mode_kernel) |  \
	 (1u << XENFEAT_pae_pgdir_above_4gb) | PV_ONLY_FEATURES |                            \
	 (1u << XENFEAT_hvm_callback_vector) | (1u << XENFEAT_hvm_safe_pvclock) |            \
	 (1u << XENFEAT_hvm_pirqs) | (1u << XENFEAT_dom0) |                                  \
	 (1u << XENFEAT_memory_op_vnode_supported) | (1u << XENFEAT_ARM_SMCCC_supported) |   \
	 (1u << XENFEAT_linux_rsdp_unrestricted) | (1u << XENFEAT_not_direct_mapped) |       \
	 (1u << XENFEAT_direct_mapped))

#define POISON 0xa5

/* A string field: NUL inside @size bytes and nothing but zeroes after it. */
static void check_string(const char *what, const char *buf, size_t size)
{
	size_t len = strnlen(buf, size);

	if (len == size) {
		fail("%s: no NUL within its %zu bytes", what, size);
		return;
	}
	for (size_t i = len; i < size; i++) {
		if (buf[i]) {
			fail("%s: byte %zu after the string is %#x, not 0", what, i,
			     (uint8_t)buf[i]);
			return;
		}
	}
	printf("xen_version: %s = \"%s\"\n", what, buf);
}

/* Calls sub-op @cmd on a poisoned @buf of @size bytes; expects 0. */
static long call_buf(int cmd, void *buf, size_t size, const char *what)
{
	long rc;

	memset(buf, POISON, size);
	rc = HYPERVISOR_xen_version(cmd, buf);
	check_eq(rc, 0, what);
	return rc;
}

static void test_version(void)
{
	long ver = HYPERVISOR_xen_version(XENVER_version, NULL);

	printf("xen_version: XENVER_version = %ld.%ld\n", ver >> 16, ver & 0xffff);
	kit_fact("XENVER_version", "%ld.%ld", ver >> 16, ver & 0xffff);
	check(ver > 0 && (ver >> 16) >= 3, "XENVER_version %#lx is no Xen 3 or later", ver);
}

static void test_strings(void)
{
	xen_extraversion_t extra;
	xen_compile_info_t ci;
	static xen_capabilities_info_t caps;
	xen_changeset_info_t cs;

	if (!call_buf(XENVER_extraversion, extra, sizeof(extra), "XENVER_extraversion")) {
		check_string("extraversion", extra, sizeof(extra));
		extra[sizeof(extra) - 1] = '\0';
		kit_fact("extraversion", "%s", extra);
	}
	if (!call_buf(XENVER_compile_info, &ci, sizeof(ci), "XENVER_compile_info")) {
		check_string("compiler", ci.compiler, sizeof(ci.compiler));
		check_string("compile_by", ci.compile_by, sizeof(ci.compile_by));
		check_string("compile_domain", ci.compile_domain, sizeof(ci.compile_domain));
		check_string("compile_date", ci.compile_date, sizeof(ci.compile_date));
	}
	if (!call_buf(XENVER_capabilities, caps, sizeof(caps), "XENVER_capabilities")) {
		check_string("capabilities", caps, sizeof(caps));
		caps[sizeof(caps) - 1] = '\0';
		kit_fact("capabilities", "%s", caps);
		/* We run as a 64-bit HVM guest, so Xen lists that ABI. */
		check(memmem_str(caps, "hvm-3.0-x86_64"),
		      "capabilities lack hvm-3.0-x86_64: \"%s\"", caps);
	}
	if (!call_buf(XENVER_changeset, cs, sizeof(cs), "XENVER_changeset"))
		check_string("changeset", cs, sizeof(cs));
}

static void test_platform_parameters(void)
{
	xen_platform_parameters_t pp;

	if (call_buf(XENVER_platform_parameters, &pp, sizeof(pp), "XENVER_platform_parameters"))
		return;
	printf("xen_version: virt_start = %#lx\n", pp.virt_start);
	/* A 64-bit guest sees the 64-bit hypervisor hole start of arch-x86/xen-x86_64.h. */
	check_eq(pp.virt_start, HYPERVISOR_VIRT_START, "platform_parameters.virt_start");
}

static void test_features(void)
{
	xen_feature_info_t fi = { .submap_idx = 0, .submap = 0xdeadbeef };
	uint32_t m;
	long rc;

	rc = HYPERVISOR_xen_version(XENVER_get_features, &fi);
	check_eq(rc, 0, "XENVER_get_features(0)");
	m = fi.submap;
	printf("xen_version: features submap 0 = %#x\n", m);
	kit_fact("features submap 0", "%#x", m);
	check((m & ~DEFINED_FEATURES) == 0, "submap 0 has undefined bits %#x",
	      m & ~DEFINED_FEATURES);
	check(m & (1u << XENFEAT_auto_translated_physmap),
	      "an HVM guest lacks auto_translated_physmap");
	/* Xen 4.17 gives every HVM domain these two (common/kernel.c). */
	check(m & (1u << XENFEAT_hvm_callback_vector), "hvm_callback_vector missing");
	check(m & (1u << XENFEAT_hvm_safe_pvclock), "hvm_safe_pvclock missing");
	check(!(m & PV_ONLY_FEATURES), "PV-only features %#x offered to an HVM guest",
	      m & PV_ONLY_FEATURES);
	check(!(m & (1u << XENFEAT_dom0)), "a domU is told it is dom0");
	/* What Debian's Xen 4.17.7 gave a PVH domU (shared/HOST.md, the reference host). */
	check_eq(m, XEN_417_PVH_FEATURES, "submap 0 vs Xen 4.17's for a PVH domU");
	/* Xen 4.17 marks a translated, non-direct-mapped domain with exactly one of these. */
	check(!!(m & (1u << XENFEAT_direct_mapped)) + !!(m & (1u << XENFEAT_not_direct_mapped)) ==
		      1,
	      "direct_mapped/not_direct_mapped: %#x", m);

	/* Only XENFEAT_NR_SUBMAPS submaps exist; Xen answers -EINVAL beyond, writing nothing. */
	for (unsigned int idx = XENFEAT_NR_SUBMAPS; idx <= XENFEAT_NR_SUBMAPS + 1; idx++) {
		fi.submap_idx = idx;
		fi.submap = 0xdeadbeef;
		rc = HYPERVISOR_xen_version(XENVER_get_features, &fi);
		check_eq(rc, -XEN_EINVAL, "XENVER_get_features beyond XENFEAT_NR_SUBMAPS");
		check_eq(fi.submap, 0xdeadbeef, "submap written on -EINVAL");
	}
	fi.submap_idx = 0xffffffff;
	rc = HYPERVISOR_xen_version(XENVER_get_features, &fi);
	check_eq(rc, -XEN_EINVAL, "XENVER_get_features(0xffffffff)");
}

/* pagesize takes no argument: NULL gives the page size, anything else -EINVAL. */
static void test_pagesize(void)
{
	uint64_t dummy = 0;

	check_eq(HYPERVISOR_xen_version(XENVER_pagesize, NULL), 4096, "XENVER_pagesize");
	check_eq(HYPERVISOR_xen_version(XENVER_pagesize, &dummy), -XEN_EINVAL,
		 "XENVER_pagesize with an argument");
}

static int hex_digit(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/*
 * The handle is the domain's UUID as the toolstack set it. The runner starts one run
 * with a known UUID and repeats it as "handle=UUID" on the command line.
 */
static void check_handle_expected(const xen_domain_handle_t h)
{
	char text[40];
	const char *p;

	if (!kit_cmdline_value("handle", text, sizeof(text)))
		return;
	p = text;
	for (unsigned int i = 0; i < sizeof(xen_domain_handle_t); i++) {
		int hi, lo;

		if (*p == '-')
			p++;
		hi = hex_digit(p[0]);
		lo = hi < 0 ? -1 : hex_digit(p[1]);
		if (lo < 0) {
			fail("handle= on the command line is no UUID: %s", text);
			return;
		}
		check(h[i] == (hi << 4 | lo), "guest handle byte %u is %#x, the UUID says %#x", i,
		      h[i], hi << 4 | lo);
		p += 2;
	}
}

static void test_guest_handle(void)
{
	xen_domain_handle_t h;

	if (call_buf(XENVER_guest_handle, h, sizeof(h), "XENVER_guest_handle"))
		return;
	printf("xen_version: guest handle ");
	for (unsigned int i = 0; i < sizeof(h); i++)
		printf("%02x%s", h[i], (i == 3 || i == 5 || i == 7 || i == 9) ? "-" : "");
	printf("\n");
	check_handle_expected(h);
	for (unsigned int i = 0; i < sizeof(h); i++)
		if (h[i] != POISON)
			return;
	fail("XENVER_guest_handle left all 16 bytes untouched");
}

/* Not for domUs: the command line reads "<denied>", build_id is -EPERM. */
static void test_privileged(void)
{
	static xen_commandline_t cmdline;
	struct {
		xen_build_id_t id;
		unsigned char buf[64];
	} bid;
	long rc;

	memset(cmdline, POISON, sizeof(cmdline));
	rc = HYPERVISOR_xen_version(XENVER_commandline, cmdline);
	check_eq(rc, 0, "XENVER_commandline");
	if (!rc) {
		check(strnlen(cmdline, sizeof(cmdline)) < sizeof(cmdline),
		      "commandline not NUL-terminated");
		cmdline[sizeof(cmdline) - 1] = '\0';
		check(strcmp(cmdline, "<denied>") == 0,
		      "XENVER_commandline gave a domU \"%s\", Xen gives \"<denied>\"", cmdline);
	}

	check_eq(HYPERVISOR_xen_version(XENVER_build_id, NULL), -XEN_EPERM,
		 "XENVER_build_id(NULL)");
	memset(&bid, 0, sizeof(bid));
	bid.id.len = sizeof(bid.buf);
	check_eq(HYPERVISOR_xen_version(XENVER_build_id, &bid), -XEN_EPERM, "XENVER_build_id");
}

/* The first number after XENVER_build_id, the last one version.h defines. */
static void test_unknown(void)
{
	char buf[64];

	memset(buf, 0, sizeof(buf));
	check_eq(HYPERVISOR_xen_version(XENVER_build_id + 1, buf), -XEN_ENOSYS,
		 "unknown XENVER sub-op");
}

void test_main(void)
{
	test_version();
	test_strings();
	test_platform_parameters();
	test_features();
	test_pagesize();
	test_guest_handle();
	test_privileged();
	test_unknown();
}
