// SPDX-License-Identifier: GPL-2.0
/*
 * DISKSPEC and vifspec parsing. The cases and their expected results are Xen's own:
 * docs/man/xl-disk-configuration.5.pod (equivalent spellings), tools/xl/check-xl-disk-parse
 * and tools/xl/check-xl-vif-parse (the libxl fields each spelling must produce, and the
 * spellings xl must refuse), and xl-network-configuration(5).
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "toolstack/cfg/domcfg.h"

static char msg[200];

struct disk_expect {
	const char *pdev_path; /* NULL: absent */
	const char *vdev;
	enum disk_format format;
	bool readwrite, removable, is_cdrom;
	const char *script;
	enum disk_backend backend;
};

static void check_disk(const char *spec, const struct disk_expect *e)
{
	struct dom_disk d;
	int rc = domcfg_parse_disk(spec, &d, msg, sizeof(msg));

	CU_ASSERT_EQUAL(rc, 0);
	if (rc) {
		fprintf(stderr, "  disk '%s': %s\n", spec, msg);
		return;
	}
	if (e->pdev_path) {
		CU_ASSERT_PTR_NOT_NULL(d.pdev_path);
		if (d.pdev_path) {
			CU_ASSERT_STRING_EQUAL(d.pdev_path, e->pdev_path);
		}
	} else {
		CU_ASSERT_PTR_NULL(d.pdev_path);
	}
	CU_ASSERT_STRING_EQUAL(d.vdev, e->vdev);
	CU_ASSERT_EQUAL(d.format, e->format);
	CU_ASSERT_EQUAL(d.readwrite, e->readwrite);
	CU_ASSERT_EQUAL(d.removable, e->removable);
	CU_ASSERT_EQUAL(d.is_cdrom, e->is_cdrom);
	CU_ASSERT_EQUAL(d.backend, e->backend);
	if (e->script) {
		CU_ASSERT_STRING_EQUAL(d.script ? d.script : "(null)", e->script);
	} else {
		CU_ASSERT_PTR_NULL(d.script);
	}
	if (d.format != e->format || d.readwrite != e->readwrite || d.is_cdrom != e->is_cdrom)
		fprintf(stderr, "  disk '%s': format %d rw %d cdrom %d\n", spec, d.format,
			d.readwrite, d.is_cdrom);
	domcfg_disk_free(&d);
}

static void check_disk_error(const char *spec, const char *needle)
{
	struct dom_disk d;

	msg[0] = 0;
	CU_ASSERT_EQUAL(domcfg_parse_disk(spec, &d, msg, sizeof(msg)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, needle));
	if (!strstr(msg, needle))
		fprintf(stderr, "  disk '%s': got '%s', wanted '%s'\n", spec, msg, needle);
}

static void test_disk_equivalent_forms(void)
{
	static const struct disk_expect hda = { "/dev/vg/guest-volume", "hda", DISK_FORMAT_RAW,
						true };
	static const struct disk_expect iso = {
		"/root/image.iso", "hdc", DISK_FORMAT_RAW, false, true, true
	};

	check_disk("/dev/vg/guest-volume,,hda", &hda);
	check_disk("/dev/vg/guest-volume,raw,hda,rw", &hda);
	check_disk("format=raw, vdev=hda, access=rw, target=/dev/vg/guest-volume", &hda);
	check_disk("raw:/dev/vg/guest-volume,hda,w", &hda);
	check_disk("/root/image.iso,,hdc,cdrom", &iso);
	check_disk("/root/image.iso,,hdc,,cdrom", &iso);
	check_disk("/root/image.iso,raw,hdc,devtype=cdrom", &iso);
	check_disk("format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/root/image.iso", &iso);
	check_disk("raw:/root/image.iso,hdc:cdrom,ro", &iso);
}

static void test_disk_positional_prefixes(void)
{
	/* The deprecated prefixes file: and phy: are stripped; positional then skips format. */
	static const struct disk_expect file = { "/path/guest.img", "xvda", DISK_FORMAT_RAW, true };
	static const struct disk_expect phy_ro = { "/dev/sdb", "xvdb", DISK_FORMAT_RAW, false };
	static const struct disk_expect qcow = { "/i.qcow2", "xvdc", DISK_FORMAT_QCOW2, true };

	check_disk("file:/path/guest.img,xvda,w", &file);
	check_disk("phy:/dev/sdb,xvdb,r", &phy_ro);
	check_disk("tap:aio:/path/guest.img,xvda,w", &file);
	check_disk("qcow2:/i.qcow2,xvdc,w", &qcow);
	check_disk("/i.qcow2,qcow2,xvdc", &qcow);
	check_disk("  /path/guest.img,  ,   xvda", &file); /* whitespace before parameters */
}

static void test_disk_check_xl_disk_parse(void)
{
	static const struct disk_expect phy = {
		"/dev/vg/guest-volume", "xvdb", DISK_FORMAT_RAW, true, false, false, NULL,
		DISK_BACKEND_PHY
	};
	static const struct disk_expect empty_cd = {
		"", "hdc", DISK_FORMAT_EMPTY, false, true, true
	};
	static const struct disk_expect nopath_cd = { NULL,  "hdc", DISK_FORMAT_EMPTY,
						      false, true,  true };
	static const struct disk_expect iscsi = {
		"iqn.2001-05.com.equallogic:0-8a0906-23fe93404-c82797962054a96d-examplehost",
		"xvda",
		DISK_FORMAT_RAW,
		true,
		false,
		false,
		"block-iscsi"
	};
	static const struct disk_expect drbd = { "app01", "hda", DISK_FORMAT_RAW, true,
						 false,	  false, "block-drbd" };

	check_disk("backendtype=phy,vdev=xvdb,access=w,target=/dev/vg/guest-volume", &phy);
	check_disk("devtype=cdrom,,,hdc", &empty_cd);
	check_disk(",,hdc:cdrom,r", &empty_cd);
	check_disk(",hdc:cdrom,r", &empty_cd);
	check_disk("vdev=hdc,access=r,devtype=cdrom,target=", &empty_cd);
	check_disk(",empty,hdc:cdrom,r", &empty_cd);
	check_disk("vdev=hdc,access=r,devtype=cdrom,format=empty", &nopath_cd);
	check_disk("vdev=hdc,access=r,devtype=cdrom", &nopath_cd);
	check_disk("iscsi:iqn.2001-05.com.equallogic:0-8a0906-23fe93404-c82797962054a96d-"
		   "examplehost,xvda,w",
		   &iscsi);
	check_disk("vdev=xvda,access=w,script=block-iscsi,target=iqn.2001-05.com.equallogic:"
		   "0-8a0906-23fe93404-c82797962054a96d-examplehost",
		   &iscsi);
	check_disk("drbd:app01,hda,w", &drbd);
}

static void test_disk_flags(void)
{
	struct dom_disk d;

	CU_ASSERT_EQUAL_FATAL(domcfg_parse_disk("discard,vdev=hda,target=/some/disk/image.raw", &d,
						msg, sizeof(msg)),
			      0);
	CU_ASSERT_EQUAL(d.discard, TRI_TRUE);
	domcfg_disk_free(&d);
	CU_ASSERT_EQUAL_FATAL(
		domcfg_parse_disk("cdrom,no-discard,vdev=hda,target=/i.iso", &d, msg, sizeof(msg)),
		0);
	CU_ASSERT_EQUAL(d.discard, TRI_FALSE);
	CU_ASSERT_TRUE(d.is_cdrom && d.removable && !d.readwrite);
	domcfg_disk_free(&d);
	CU_ASSERT_EQUAL_FATAL(domcfg_parse_disk("untrusted,direct-io-safe,vdev=hda,target=/x", &d,
						msg, sizeof(msg)),
			      0);
	CU_ASSERT_EQUAL(d.trusted, TRI_FALSE);
	CU_ASSERT_TRUE(d.direct_io_safe);
	domcfg_disk_free(&d);
	/* target= swallows the rest, commas included. */
	CU_ASSERT_EQUAL_FATAL(domcfg_parse_disk("vdev=xvda,target=/a,b c", &d, msg, sizeof(msg)),
			      0);
	CU_ASSERT_STRING_EQUAL(d.pdev_path, "/a,b c");
	domcfg_disk_free(&d);
}

static void test_disk_errors(void)
{
	check_disk_error("foo", "no vdev specified");
	check_disk_error("/x,raw,xvda,rw,extra", "too many positional parameters");
	check_disk_error("/x,raw9,xvda", "unknown value for format");
	check_disk_error("/x,,xvda,rx", "unknown value for access");
	check_disk_error("vdev=xvda,vdev=xvdb,target=/x", "vdev respecified");
	check_disk_error("/x,,xvda,devtype=floppy", "unknown value for type");
	check_disk_error("/x,,xvda,backendtype=nbd", "unknown value for backendtype");
	check_disk_error("/x,,xvda,colour=blue", "unknown parameter");
	check_disk_error("/x,,xvda,specification=scsi", "unknown value for specification");
	check_disk_error("bogus:/x,xvda,w", "unknown deprecated disk prefix");
	check_disk_error(",,hdc:floppy,r", "unknown deprecated type");
	check_disk_error("format=raw,format=qcow2,vdev=a,target=/x", "format respecified");
	check_disk_error("vdev=xvda", "no target specified");
	check_disk_error("/a=b,,xvda", "bad disk syntax");
	check_disk_error("/x,,xvda,colo", "COLO");
}

static void check_rate(const char *spec, uint64_t bytes, uint32_t usecs)
{
	struct dom_vif v;
	int rc = domcfg_parse_vif(spec, 0, &v, msg, sizeof(msg));

	CU_ASSERT_EQUAL(rc, 0);
	if (rc) {
		fprintf(stderr, "  vif '%s': %s\n", spec, msg);
		return;
	}
	CU_ASSERT_EQUAL(v.rate_bytes_per_interval, bytes);
	CU_ASSERT_EQUAL(v.rate_interval_usecs, usecs);
	domcfg_vif_free(&v);
}

static void check_vif_error(const char *spec, const char *needle)
{
	struct dom_vif v;

	msg[0] = 0;
	CU_ASSERT_EQUAL(domcfg_parse_vif(spec, 0, &v, msg, sizeof(msg)), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(msg, needle));
	if (!strstr(msg, needle))
		fprintf(stderr, "  vif '%s': got '%s', wanted '%s'\n", spec, msg, needle);
}

static void test_vif_rates(void)
{
	const char *const r100k[] = { "rate=16000000b/s", "rate=16000000b/s@50ms",
				      "rate=2000000B/s",  "rate=2000000B/s@50ms",
				      "rate=16Mb/s",	  "rate=2MB/s@50ms" };
	for (size_t i = 0; i < sizeof(r100k) / sizeof(*r100k); i++)
		check_rate(r100k[i], 100000, 50000);
	check_rate("rate=16Kb/s", 100, 50000);
	check_rate("rate=2KB/s@50ms", 100, 50000);
	check_rate("rate=8Gb/s", 50000000, 50000);
	check_rate("rate=1GB/s@50ms", 50000000, 50000);
	check_rate("rate=80Mb/s@1s", 10000000, 1000000);
	check_rate("rate=10MB/s@1s", 10000000, 1000000);
	/* xl-network-configuration(5): "1MB/s@20ms" is 20,000 bytes every 20,000 us. */
	check_rate("rate=1MB/s@20ms", 20000, 20000);
	check_rate("rate=10MB/s@250us", 2500, 250);
}

static void test_vif_rate_errors(void)
{
	const char *const invalid[] = { "rate=foo",	   "rate=10MB",	  "rate=10MB/m",
					"rate=10ZB",	   "rate=10ZB/s", "rate=10Mb/s@foo",
					"rate=10Mb/s@10h", "rate=@" };
	const char *const overflow[] = { "rate=4294967296b/s",	"rate=4294967296Gb/s",
					 "rate=0B/s",		"rate=1B/s@4294967296us",
					 "rate=1B/s@4294968ms", "rate=1B/s@4295s",
					 "rate=1B/s@0us",	"rate=4294967295GB/s@5us",
					 "rate=4296MB/s@4294s" };
	for (size_t i = 0; i < sizeof(invalid) / sizeof(*invalid); i++)
		check_vif_error(invalid[i], i == 7 ? "no rate" : "invalid");
	for (size_t i = 0; i < sizeof(overflow) / sizeof(*overflow); i++)
		check_vif_error(overflow[i], "overflow");
}

static void test_vif_keys(void)
{
	struct dom_vif v;

	CU_ASSERT_EQUAL_FATAL(
		domcfg_parse_vif("mac=00:16:3E:74:3d:76,model=rtl8139,bridge=xenbr0, ip=10.0.0.2,"
				 "script=vif-route,vifname=web0,,type=vif,mtu=9000,trusted",
				 3, &v, msg, sizeof(msg)),
		0);
	CU_ASSERT_TRUE(v.mac_set);
	CU_ASSERT_EQUAL(v.mac[0], 0x00);
	CU_ASSERT_EQUAL(v.mac[2], 0x3e);
	CU_ASSERT_EQUAL(v.mac[5], 0x76);
	CU_ASSERT_STRING_EQUAL(v.bridge, "xenbr0");
	CU_ASSERT_STRING_EQUAL(v.model, "rtl8139");
	CU_ASSERT_STRING_EQUAL(v.ip, "10.0.0.2");
	CU_ASSERT_STRING_EQUAL(v.script, "vif-route");
	CU_ASSERT_STRING_EQUAL(v.vifname, "web0");
	CU_ASSERT_STRING_EQUAL(v.type, "vif");
	CU_ASSERT_EQUAL(v.mtu, 9000);
	CU_ASSERT_EQUAL(v.devid, 3);
	CU_ASSERT_EQUAL(v.trusted, TRI_TRUE);
	domcfg_vif_free(&v);
	/* The empty string is a valid vifspec (all defaults); later values replace earlier. */
	CU_ASSERT_EQUAL_FATAL(domcfg_parse_vif("", 0, &v, msg, sizeof(msg)), 0);
	CU_ASSERT_FALSE(v.mac_set);
	domcfg_vif_free(&v);
	CU_ASSERT_EQUAL_FATAL(
		domcfg_parse_vif("bridge=a,bridge=b,untrusted", 0, &v, msg, sizeof(msg)), 0);
	CU_ASSERT_STRING_EQUAL(v.bridge, "b");
	CU_ASSERT_EQUAL(v.trusted, TRI_FALSE);
	domcfg_vif_free(&v);
}

static void test_vif_errors(void)
{
	check_vif_error("foo", "unknown vif parameter");
	check_vif_error("colour=red", "unknown vif parameter");
	check_vif_error("mac=00:16:3e:74:3d", "invalid mac");
	check_vif_error("mac=00:16:3e:74:3d:7g", "invalid mac");
	check_vif_error("mac=00:16:3e:74:3d:760", "invalid mac");
	check_vif_error("mac=01:16:3e:74:3d:76", "multicast");
	check_vif_error("type=e1000", "invalid vif type");
	check_vif_error("mtu=abc", "invalid mtu");
	check_vif_error("colo_sock_mirror_id=1", "COLO");
	check_vif_error("vlan=10", "not supported by xenkvm");
}

static void test_cpus(void)
{
	uint64_t m[DOM_MAX_HOST_CPUS / 64];

	CU_ASSERT_EQUAL(domcfg_parse_cpus("0-3,^2", m, msg, sizeof(msg)), 0);
	CU_ASSERT_EQUAL(m[0], 0xbull);
	CU_ASSERT_EQUAL(domcfg_parse_cpus("all,^0", m, msg, sizeof(msg)), 0);
	CU_ASSERT_EQUAL(m[0], ~1ull);
	CU_ASSERT_EQUAL(m[15], ~0ull);
	CU_ASSERT_EQUAL(domcfg_parse_cpus("70", m, msg, sizeof(msg)), 0);
	CU_ASSERT_EQUAL(m[1], 1ull << 6);
	CU_ASSERT_EQUAL(domcfg_parse_cpus("^all", m, msg, sizeof(msg)), -EINVAL);
	CU_ASSERT_EQUAL(domcfg_parse_cpus("3-1", m, msg, sizeof(msg)), -EINVAL);
	CU_ASSERT_EQUAL(domcfg_parse_cpus("1-", m, msg, sizeof(msg)), -EINVAL);
	CU_ASSERT_EQUAL(domcfg_parse_cpus("x", m, msg, sizeof(msg)), -EINVAL);
	CU_ASSERT_EQUAL(domcfg_parse_cpus("1024", m, msg, sizeof(msg)), -EINVAL);
	CU_ASSERT_EQUAL(domcfg_parse_cpus("0,^0", m, msg, sizeof(msg)), -EINVAL);
	CU_ASSERT_EQUAL(domcfg_parse_cpus("nodes:0", m, msg, sizeof(msg)), -EINVAL);
}

static void test_uuid(void)
{
	uint8_t u[16];
	char s[37];

	CU_ASSERT_EQUAL(domcfg_parse_uuid("3E1C2B9A-0d4f-4b7e-9a2c-00163e000001", u), 0);
	CU_ASSERT_EQUAL(u[0], 0x3e);
	CU_ASSERT_EQUAL(u[15], 0x01);
	domcfg_uuid_format(u, s);
	CU_ASSERT_STRING_EQUAL(s, "3e1c2b9a-0d4f-4b7e-9a2c-00163e000001");
	CU_ASSERT_EQUAL(domcfg_parse_uuid("3e1c2b9a0d4f-4b7e-9a2c-00163e000001-", u), -EINVAL);
	CU_ASSERT_EQUAL(domcfg_parse_uuid("3e1c2b9a-0d4f-4b7e-9a2c-00163e00000", u), -EINVAL);
	CU_ASSERT_EQUAL(domcfg_parse_uuid("3e1c2b9a-0d4f-4b7e-9a2c-00163e00000g", u), -EINVAL);
}

UNIT_SUITE(cfg_devspecs, NULL, NULL, UNIT_TEST(test_disk_equivalent_forms),
	   UNIT_TEST(test_disk_positional_prefixes), UNIT_TEST(test_disk_check_xl_disk_parse),
	   UNIT_TEST(test_disk_flags), UNIT_TEST(test_disk_errors), UNIT_TEST(test_vif_rates),
	   UNIT_TEST(test_vif_rate_errors), UNIT_TEST(test_vif_keys), UNIT_TEST(test_vif_errors),
	   UNIT_TEST(test_cpus), UNIT_TEST(test_uuid))
