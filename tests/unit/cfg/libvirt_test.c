// SPDX-License-Identifier: GPL-2.0
/*
 * libvirt domain XML <-> typed config. The pairs below are written from libvirt's own
 * xen-xl test data (tests/xlconfigdata/test-pvh-type, test-paravirt-cmdline,
 * test-paravirt-maxvcpus: an XML file and the xl.cfg libvirt converts it to): the XML
 * must give the same typed config as libvirt's xl.cfg does. Then our XML and xl.cfg
 * writers must read back to the same config.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "toolstack/cfg/libvirt_xml.h"

static const char pvh_xml[] = "<domain type='xen'>\n"
			      "  <name>XenGuest2</name>\n"
			      "  <uuid>c7a5fdb2-cdaf-9455-926a-d65c16db1809</uuid>\n"
			      "  <memory unit='KiB'>592896</memory>\n"
			      "  <currentMemory unit='KiB'>403456</currentMemory>\n"
			      "  <vcpu placement='static'>1</vcpu>\n"
			      "  <os>\n"
			      "    <type arch='x86_64' machine='xenpvh'>xenpvh</type>\n"
			      "    <kernel>/tmp/vmlinuz</kernel>\n"
			      "    <initrd>/tmp/initrd</initrd>\n"
			      "    <cmdline>root=/dev/xvda1 console=hvc0</cmdline>\n"
			      "  </os>\n"
			      "  <clock offset='utc' adjustment='reset'/>\n"
			      "  <on_poweroff>destroy</on_poweroff>\n"
			      "  <on_reboot>restart</on_reboot>\n"
			      "  <on_crash>restart</on_crash>\n"
			      "  <devices>\n"
			      "    <console type='pty'><target type='xen' port='0'/></console>\n"
			      "    <memballoon model='xen'/>\n"
			      "  </devices>\n"
			      "</domain>\n";
static const char pvh_cfg[] = "name = \"XenGuest2\"\n"
			      "uuid = \"c7a5fdb2-cdaf-9455-926a-d65c16db1809\"\n"
			      "maxmem = 579\nmemory = 394\nvcpus = 1\nlocaltime = 0\n"
			      "on_poweroff = \"destroy\"\non_reboot = \"restart\"\n"
			      "on_crash = \"restart\"\ntype = \"pvh\"\n"
			      "kernel = \"/tmp/vmlinuz\"\nramdisk = \"/tmp/initrd\"\n"
			      "cmdline = \"root=/dev/xvda1 console=hvc0\"\n";

static const char pv_xml[] = "<domain type='xen'>\n"
			     "  <name>XenGuest2</name>\n"
			     "  <uuid>c7a5fdb2-cdaf-9455-926a-d65c16db1809</uuid>\n"
			     "  <memory unit='KiB'>592896</memory>\n"
			     "  <currentMemory unit='KiB'>403456</currentMemory>\n"
			     "  <vcpu placement='static'>1</vcpu>\n"
			     "  <os>\n"
			     "    <type arch='x86_64' machine='xenpv'>linux</type>\n"
			     "    <kernel>/tmp/vmlinuz</kernel>\n"
			     "    <initrd>/tmp/initrd</initrd>\n"
			     "    <cmdline>root=/dev/xvda1 console=hvc0</cmdline>\n"
			     "  </os>\n"
			     "  <on_poweroff>destroy</on_poweroff>\n"
			     "  <on_reboot>restart</on_reboot>\n"
			     "  <on_crash>restart</on_crash>\n"
			     "  <devices>\n"
			     "    <disk type='file' device='disk'>\n"
			     "      <driver name='qemu' type='raw'/>\n"
			     "      <source file='/dev/HostVG/XenGuest2'/>\n"
			     "      <target dev='xvda' bus='xen'/>\n"
			     "    </disk>\n"
			     "    <interface type='bridge'>\n"
			     "      <mac address='00:16:3e:66:92:9c'/>\n"
			     "      <source bridge='xenbr1'/>\n"
			     "      <script path='vif-bridge'/>\n"
			     "    </interface>\n"
			     "    <console type='pty'><target type='xen' port='0'/></console>\n"
			     "  </devices>\n"
			     "</domain>\n";
static const char pv_cfg[] =
	"name = \"XenGuest2\"\nuuid = \"c7a5fdb2-cdaf-9455-926a-d65c16db1809\"\n"
	"maxmem = 579\nmemory = 394\nvcpus = 1\nlocaltime = 0\n"
	"on_poweroff = \"destroy\"\non_reboot = \"restart\"\non_crash = \"restart\"\n"
	"vif = [ \"mac=00:16:3e:66:92:9c,bridge=xenbr1,script=vif-bridge\" ]\n"
	"kernel = \"/tmp/vmlinuz\"\nramdisk = \"/tmp/initrd\"\n"
	"cmdline = \"root=/dev/xvda1 console=hvc0\"\n"
	"disk = [ \"format=raw,vdev=xvda,access=rw,backendtype=qdisk,"
	"target=/dev/HostVG/XenGuest2\" ]\n";

/* test-paravirt-maxvcpus without its pygrub bootloader (refused by xenkvm), with a kernel. */
static const char maxv_xml[] =
	"<domain type='xen'>\n"
	"  <name>XenGuest1</name>\n"
	"  <uuid>45b60f51-88a9-47a8-a3b3-5e66d71b2283</uuid>\n"
	"  <memory unit='KiB'>524288</memory>\n"
	"  <currentMemory unit='KiB'>524288</currentMemory>\n"
	"  <vcpu placement='static' current='4'>8</vcpu>\n"
	"  <os><type arch='x86_64' machine='xenpv'>linux</type><kernel>/k</kernel></os>\n"
	"  <on_poweroff>preserve</on_poweroff>\n"
	"  <on_reboot>restart</on_reboot>\n"
	"  <on_crash>preserve</on_crash>\n"
	"  <devices>\n"
	"    <disk type='file' device='disk'>\n"
	"      <driver name='qemu' type='qcow2'/>\n"
	"      <source file='/var/lib/xen/images/debian/disk.qcow2'/>\n"
	"      <target dev='xvda' bus='xen'/>\n"
	"    </disk>\n"
	"    <interface type='ethernet'><mac address='5a:36:0e:be:00:09'/></interface>\n"
	"  </devices>\n"
	"</domain>\n";
static const char maxv_cfg[] =
	"name = \"XenGuest1\"\nuuid = \"45b60f51-88a9-47a8-a3b3-5e66d71b2283\"\n"
	"maxmem = 512\nmemory = 512\nmaxvcpus = 8\nvcpus = 4\nlocaltime = 0\n"
	"on_poweroff = \"preserve\"\non_reboot = \"restart\"\non_crash = \"preserve\"\n"
	"vif = [ \"mac=5a:36:0e:be:00:09\" ]\nkernel = \"/k\"\n"
	"disk = [ \"/var/lib/xen/images/debian/disk.qcow2,qcow2,xvda,w,backendtype=qdisk\" ]\n";

static struct cfg_error err;

static int from_cfg(const char *text, struct dom_config *dc)
{
	struct cfg_file cf;
	int rc;

	cfg_init(&cf);
	rc = cfg_parse(&cf, "pair.cfg", text, strlen(text), &err);
	if (!rc)
		rc = domcfg_from_cfg(&cf, dc, &err, NULL);
	cfg_free(&cf);
	return rc;
}

static int from_xml(const char *xml, struct dom_config *dc)
{
	return libvirt_xml_to_domcfg(xml, strlen(xml), "pair.xml", dc, &err, NULL);
}

static int streq(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

static void assert_same(const struct dom_config *a, const struct dom_config *b)
{
	CU_ASSERT_TRUE(streq(a->name, b->name));
	CU_ASSERT_EQUAL(a->uuid_set, b->uuid_set);
	CU_ASSERT_EQUAL(memcmp(a->uuid, b->uuid, 16), 0);
	CU_ASSERT_EQUAL(a->type, b->type);
	CU_ASSERT_TRUE(streq(a->kernel, b->kernel));
	CU_ASSERT_TRUE(streq(a->ramdisk, b->ramdisk));
	CU_ASSERT_TRUE(streq(a->cmdline, b->cmdline));
	CU_ASSERT_EQUAL(a->target_memkb, b->target_memkb);
	CU_ASSERT_EQUAL(a->max_memkb, b->max_memkb);
	CU_ASSERT_EQUAL(a->vcpus, b->vcpus);
	CU_ASSERT_EQUAL(a->max_vcpus, b->max_vcpus);
	CU_ASSERT_EQUAL(a->on_poweroff, b->on_poweroff);
	CU_ASSERT_EQUAL(a->on_reboot, b->on_reboot);
	CU_ASSERT_EQUAL(a->on_crash, b->on_crash);
	CU_ASSERT_EQUAL_FATAL(a->ndisks, b->ndisks);
	for (size_t i = 0; i < a->ndisks; i++) {
		const struct dom_disk *x = &a->disks[i], *y = &b->disks[i];

		CU_ASSERT_TRUE(streq(x->pdev_path, y->pdev_path));
		CU_ASSERT_TRUE(streq(x->vdev, y->vdev));
		CU_ASSERT_EQUAL(x->format, y->format);
		CU_ASSERT_EQUAL(x->backend, y->backend);
		CU_ASSERT_EQUAL(x->readwrite, y->readwrite);
		CU_ASSERT_EQUAL(x->is_cdrom, y->is_cdrom);
	}
	CU_ASSERT_EQUAL_FATAL(a->nvifs, b->nvifs);
	for (size_t i = 0; i < a->nvifs; i++) {
		const struct dom_vif *x = &a->vifs[i], *y = &b->vifs[i];

		CU_ASSERT_EQUAL(x->mac_set, y->mac_set);
		CU_ASSERT_EQUAL(memcmp(x->mac, y->mac, 6), 0);
		CU_ASSERT_TRUE(streq(x->bridge, y->bridge));
		CU_ASSERT_TRUE(streq(x->script, y->script));
		CU_ASSERT_TRUE(streq(x->ip, y->ip));
		CU_ASSERT_TRUE(streq(x->model, y->model));
	}
}

static void check_pair(const char *xml, const char *cfg)
{
	struct dom_config a, b, c, d;
	char *out = NULL, *text = NULL;
	size_t len = 0;
	FILE *f;

	CU_ASSERT_EQUAL_FATAL(from_xml(xml, &a), 0);
	CU_ASSERT_EQUAL_FATAL(from_cfg(cfg, &b), 0);
	assert_same(&a, &b);
	/* Our XML writer, read back. */
	CU_ASSERT_EQUAL_FATAL(libvirt_xml_from_domcfg(&b, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<domain type=\"xen\">"));
	CU_ASSERT_EQUAL_FATAL(from_xml(out, &c), 0);
	assert_same(&b, &c);
	/* Our xl.cfg writer, read back. */
	f = open_memstream(&text, &len);
	domcfg_write_xlcfg(&b, f);
	fclose(f);
	CU_ASSERT_EQUAL_FATAL(from_cfg(text, &d), 0);
	assert_same(&b, &d);
	CU_ASSERT_EQUAL(d.on_watchdog, b.on_watchdog);
	free(out);
	free(text);
	domcfg_free(&a);
	domcfg_free(&b);
	domcfg_free(&c);
	domcfg_free(&d);
}

static void test_pvh_pair(void)
{
	struct dom_config dc;

	check_pair(pvh_xml, pvh_cfg);
	CU_ASSERT_EQUAL_FATAL(from_xml(pvh_xml, &dc), 0);
	/* libvirt: 592896 KiB maxmem -> 579 MiB, 403456 KiB -> 394 MiB. */
	CU_ASSERT_EQUAL(dc.max_memkb, 579 * 1024);
	CU_ASSERT_EQUAL(dc.target_memkb, 394 * 1024);
	CU_ASSERT_EQUAL(dc.type, DOM_TYPE_PVH);
	domcfg_free(&dc);
}

static void test_pv_pair(void)
{
	check_pair(pv_xml, pv_cfg);
}

static void test_maxvcpus_pair(void)
{
	struct dom_config dc;

	check_pair(maxv_xml, maxv_cfg);
	CU_ASSERT_EQUAL_FATAL(from_xml(maxv_xml, &dc), 0);
	CU_ASSERT_EQUAL(dc.vcpus, 4);
	CU_ASSERT_EQUAL(dc.max_vcpus, 8);
	CU_ASSERT_EQUAL(dc.disks[0].format, DISK_FORMAT_QCOW2);
	CU_ASSERT_EQUAL(dc.on_crash, DOM_ACTION_PRESERVE);
	domcfg_free(&dc);
}

static void test_cdrom_readonly_rate(void)
{
	static const char xml[] =
		"<domain type='xen'><name>r</name><os><type>xenpvh</type></os><devices>\n"
		"<disk type='block' device='disk'><driver name='phy' type='raw'/>"
		"<source dev='/dev/sdb'/><target dev='xvdb'/><readonly/></disk>\n"
		"<disk type='file' device='cdrom'><source file='/b.iso'/><target dev='hdc'/></disk>\n"
		"<interface type='bridge'><source bridge='xenbr0'/>"
		"<bandwidth><outbound average='10240'/></bandwidth></interface>\n"
		"</devices></domain>\n";
	struct dom_config dc;

	CU_ASSERT_EQUAL_FATAL(from_xml(xml, &dc), 0);
	CU_ASSERT_EQUAL_FATAL(dc.ndisks, 2);
	CU_ASSERT_FALSE(dc.disks[0].readwrite);
	CU_ASSERT_EQUAL(dc.disks[0].backend, DISK_BACKEND_PHY);
	CU_ASSERT_TRUE(dc.disks[1].is_cdrom);
	CU_ASSERT_EQUAL_FATAL(dc.nvifs, 1);
	/* libvirt writes average='10240' as rate=10240KB/s: 512000 bytes per 50 ms. */
	CU_ASSERT_EQUAL(dc.vifs[0].rate_bytes_per_interval, 512000);
	domcfg_free(&dc);
}

static void expect_xml_error(const char *xml, int line, const char *key, const char *needle)
{
	struct dom_config dc;

	memset(&err, 0, sizeof(err));
	CU_ASSERT_NOT_EQUAL(from_xml(xml, &dc), 0);
	CU_ASSERT_EQUAL(err.line, line);
	CU_ASSERT_STRING_EQUAL(err.key, key);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
	if (err.line != line || strcmp(err.key, key) || !strstr(err.msg, needle))
		fprintf(stderr, "  -> %d '%s': %s\n", err.line, err.key, err.msg);
}

static void test_xml_errors(void)
{
	expect_xml_error("<domain type='xen'><name>a</name>", 1, "", "not well-formed");
	expect_xml_error("<domain type='kvm'><name>a</name></domain>", 1, "<domain>",
			 "only type='xen'");
	expect_xml_error("<vm/>", 1, "<vm>", "not <domain>");
	expect_xml_error("<domain type='xen'>\n<name>a</name>\n<memory unit='KiB'>12x</memory>\n"
			 "</domain>",
			 3, "<memory>", "not a number");
	expect_xml_error("<domain type='xen'>\n<name>a</name>\n<memory unit='TB'>1</memory>\n"
			 "</domain>",
			 3, "<memory>", "unit");
	expect_xml_error("<domain type='xen'><name>a</name>\n<devices>\n"
			 "<disk type='file'><source file='/x'/></disk></devices></domain>",
			 3, "<disk>", "no <target");
	expect_xml_error("<domain type='xen'><name>a</name>\n<devices>\n<hostdev/>\n</devices>"
			 "</domain>",
			 3, "<hostdev>", "not supported");
	expect_xml_error("<domain type='xen'><name>a</name>\n<devices>\n<interface type='bridge'>"
			 "<mac address='zz'/></interface>\n</devices></domain>",
			 3, "<interface>", "invalid mac");
	/* Errors found by the typed config name the XML line too. */
	expect_xml_error("<domain type='xen'>\n<name>a</name>\n<on_crash>explode</on_crash>\n"
			 "</domain>",
			 3, "on_crash", "unknown action");
	expect_xml_error("<domain type='xen'>\n<memory>1024</memory>\n</domain>", 0, "name",
			 "must be specified");
	/* No external entities or DTDs are fetched. */
	expect_xml_error("<!DOCTYPE d [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>\n"
			 "<domain type='xen'><name>&x;</name></domain>",
			 2, "name", "not a valid domain name");
	CU_ASSERT_PTR_NULL(strstr(err.msg, "root:"));
}

/* libvirt's <bootloader> and <bootloader_args> (words split at whitespace, as libvirt's
 * xen-xl converter does), and back. */
static void test_bootloader(void)
{
	static const char xml[] = "<domain type='xen'><name>img</name><memory>262144</memory>"
				  "<bootloader>/usr/bin/pygrub</bootloader>"
				  "<bootloader_args>--entry=1  -q</bootloader_args>"
				  "<os><type>xenpvh</type></os><devices><disk type='file'>"
				  "<source file='/i.img'/><target dev='xvda'/></disk></devices>"
				  "</domain>";
	struct dom_config dc;
	struct cfg_error cerr = { 0 };
	char *out = NULL;

	CU_ASSERT_EQUAL_FATAL(libvirt_xml_to_domcfg(xml, strlen(xml), "b.xml", &dc, &cerr, NULL), 0);
	CU_ASSERT_STRING_EQUAL(dc.bootloader, "/usr/bin/pygrub");
	CU_ASSERT_EQUAL_FATAL(dc.nbootloader_args, 2);
	CU_ASSERT_STRING_EQUAL(dc.bootloader_args[0], "--entry=1");
	CU_ASSERT_STRING_EQUAL(dc.bootloader_args[1], "-q");
	CU_ASSERT_EQUAL_FATAL(libvirt_xml_from_domcfg(&dc, &out), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<bootloader>/usr/bin/pygrub</bootloader>"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "<bootloader_args>--entry=1 -q</bootloader_args>"));
	free(out);
	domcfg_free(&dc);
}

UNIT_SUITE(cfg_libvirt, NULL, NULL, UNIT_TEST(test_pvh_pair), UNIT_TEST(test_pv_pair),
	   UNIT_TEST(test_maxvcpus_pair), UNIT_TEST(test_cdrom_readonly_rate),
	   UNIT_TEST(test_xml_errors), UNIT_TEST(test_bootloader))
