// SPDX-License-Identifier: GPL-2.0
/*
 * The typed domain config. Expectations from xl.cfg(5) and xl's xl_parse.c: the
 * defaults (type pv on x86, memory 32 MiB as libxl's default, maxmem = memory,
 * maxvcpus = vcpus, on_reboot restart, the other on_* destroy), how cmdline, root and
 * extra combine, strtol base 0 for numbers, `type` matched as a prefix, the mandatory
 * name; and our own rule that no key is dropped silently.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "toolstack/cfg/domcfg.h"
#include "toolstack/cfg/keys.h"

static struct cfg_file cf;
static struct cfg_error err;
static struct dom_config dc;
static char warnings[4096];

static int build(const char *text)
{
	FILE *w = fmemopen(warnings, sizeof(warnings), "w");
	int rc;

	domcfg_free(&dc);
	cfg_free(&cf);
	memset(&err, 0, sizeof(err));
	memset(warnings, 0, sizeof(warnings));
	rc = cfg_parse(&cf, "d.cfg", text, strlen(text), &err);
	if (!rc)
		rc = domcfg_from_cfg(&cf, &dc, &err, w);
	fclose(w);
	return rc;
}

static void expect_error(const char *text, int line, const char *key, const char *needle)
{
	CU_ASSERT_EQUAL(build(text), -EINVAL);
	CU_ASSERT_EQUAL(err.line, line);
	CU_ASSERT_STRING_EQUAL(err.key, key);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
	if (!strstr(err.msg, needle) || err.line != line || strcmp(err.key, key))
		fprintf(stderr, "  [%s] -> %d key '%s': %s\n", text, err.line, err.key, err.msg);
}

static void test_minimal_defaults(void)
{
	CU_ASSERT_EQUAL_FATAL(build("name = 'd1'\n"), 0);
	CU_ASSERT_STRING_EQUAL(dc.name, "d1");
	CU_ASSERT_EQUAL(dc.type, DOM_TYPE_PV);
	CU_ASSERT_EQUAL(dc.target_memkb, 32 * 1024);
	CU_ASSERT_EQUAL(dc.max_memkb, 32 * 1024);
	CU_ASSERT_EQUAL(dc.vcpus, 1);
	CU_ASSERT_EQUAL(dc.max_vcpus, 1);
	CU_ASSERT_EQUAL(dc.on_poweroff, DOM_ACTION_DESTROY);
	CU_ASSERT_EQUAL(dc.on_reboot, DOM_ACTION_RESTART);
	CU_ASSERT_EQUAL(dc.on_crash, DOM_ACTION_DESTROY);
	CU_ASSERT_EQUAL(dc.on_watchdog, DOM_ACTION_DESTROY);
	CU_ASSERT_FALSE(dc.uuid_set);
	CU_ASSERT_FALSE(dc.cpus.set);
	CU_ASSERT_PTR_NULL(dc.kernel);
	CU_ASSERT_PTR_NULL(dc.cmdline);
	CU_ASSERT_EQUAL(dc.ndisks + dc.nvifs + dc.nserial, 0);
	CU_ASSERT_STRING_EQUAL(warnings, "");
}

static void test_full_pvh(void)
{
	CU_ASSERT_EQUAL_FATAL(
		build("name = \"web\"\ntype = \"pvh\"\nuuid = '3e1c2b9a-0d4f-4b7e-9a2c-00163e000001'\n"
		      "kernel = '/boot/vmlinuz'\nramdisk = '/boot/initrd.img'\n"
		      "extra = 'console=hvc0'\nroot = '/dev/xvda1'\n"
		      "memory = 0x200\nmaxmem = 1024\nvcpus = 2\nmaxvcpus = 4\ncpus = '0-3,^1'\n"
		      "on_poweroff = 'preserve'\non_reboot = 'rename-restart'\n"
		      "on_crash = 'restart'\non_watchdog = 'destroy'\n"
		      "disk = [ 'file:/srv/web.img,xvda,w', 'phy:/dev/sdb,xvdb,r' ]\n"
		      "vif = [ 'mac=00:16:3e:00:00:01,bridge=xenbr0', '' ]\n"
		      "serial = 'pty'\nxen_version = '4.17'\n"),
		0);
	CU_ASSERT_EQUAL(dc.type, DOM_TYPE_PVH);
	CU_ASSERT_TRUE(dc.uuid_set);
	CU_ASSERT_EQUAL(dc.uuid[0], 0x3e);
	CU_ASSERT_STRING_EQUAL(dc.kernel, "/boot/vmlinuz");
	CU_ASSERT_STRING_EQUAL(dc.ramdisk, "/boot/initrd.img");
	/* xl: "root=ROOT EXTRA" when both are given. */
	CU_ASSERT_STRING_EQUAL(dc.cmdline, "root=/dev/xvda1 console=hvc0");
	CU_ASSERT_EQUAL(dc.target_memkb, 512 * 1024);
	CU_ASSERT_EQUAL(dc.max_memkb, 1024 * 1024);
	CU_ASSERT_EQUAL(dc.vcpus, 2);
	CU_ASSERT_EQUAL(dc.max_vcpus, 4);
	CU_ASSERT_TRUE(dc.cpus.set);
	CU_ASSERT_EQUAL(dc.cpus.nmasks, 1);
	CU_ASSERT_EQUAL(dc.cpus.masks[0][0], 0xdull);
	CU_ASSERT_EQUAL(dc.on_poweroff, DOM_ACTION_PRESERVE);
	CU_ASSERT_EQUAL(dc.on_reboot, DOM_ACTION_RENAME_RESTART);
	CU_ASSERT_EQUAL(dc.on_crash, DOM_ACTION_RESTART);
	CU_ASSERT_EQUAL_FATAL(dc.ndisks, 2);
	CU_ASSERT_STRING_EQUAL(dc.disks[0].pdev_path, "/srv/web.img");
	CU_ASSERT_STRING_EQUAL(dc.disks[1].vdev, "xvdb");
	CU_ASSERT_FALSE(dc.disks[1].readwrite);
	CU_ASSERT_EQUAL_FATAL(dc.nvifs, 2);
	CU_ASSERT_EQUAL(dc.vifs[1].devid, 1);
	CU_ASSERT_EQUAL_FATAL(dc.nserial, 1);
	CU_ASSERT_STRING_EQUAL(dc.serial[0], "pty");
	CU_ASSERT_TRUE(dc.xen_version_set);
	CU_ASSERT_EQUAL(dc.xen_major, 4);
	CU_ASSERT_EQUAL(dc.xen_minor, 17);
	/* disk and vif are parsed but not attached yet: said, not silent. */
	CU_ASSERT_PTR_NOT_NULL(strstr(warnings, "d.cfg:17: warning: key `disk'"));
	CU_ASSERT_PTR_NOT_NULL(strstr(warnings, "d.cfg:18: warning: key `vif'"));
}

static void test_cmdline_rules(void)
{
	CU_ASSERT_EQUAL_FATAL(build("name='a'\ncmdline='c'\nroot='r'\nextra='e'\n"), 0);
	CU_ASSERT_STRING_EQUAL(dc.cmdline, "c");
	CU_ASSERT_PTR_NOT_NULL(strstr(warnings, "ignoring root= and extra="));
	CU_ASSERT_EQUAL_FATAL(build("name='a'\nroot='/dev/xvda'\n"), 0);
	CU_ASSERT_STRING_EQUAL(dc.cmdline, "root=/dev/xvda");
	CU_ASSERT_EQUAL_FATAL(build("name='a'\nextra='quiet'\nextra+=' loglevel=3'\n"), 0);
	CU_ASSERT_STRING_EQUAL(dc.cmdline, "quiet loglevel=3");
}

static void test_numbers_and_types(void)
{
	/* strtol base 0: 010 is octal; a quoted number is a number too. */
	CU_ASSERT_EQUAL_FATAL(build("name='a'\nmemory=010\nvcpus='3'\n"), 0);
	CU_ASSERT_EQUAL(dc.target_memkb, 8 * 1024);
	CU_ASSERT_EQUAL(dc.vcpus, 3);
	/* vcpus below 1 means 1 (xl_parse.c). */
	CU_ASSERT_EQUAL_FATAL(build("name='a'\nvcpus=0\n"), 0);
	CU_ASSERT_EQUAL(dc.vcpus, 1);
	/* maxmem alone: memory follows it (libxl: target = max when only max is given). */
	CU_ASSERT_EQUAL_FATAL(build("name='a'\nmaxmem=256\n"), 0);
	CU_ASSERT_EQUAL(dc.target_memkb, 256 * 1024);
	/* type is compared over strlen(value) characters. */
	CU_ASSERT_EQUAL_FATAL(build("name='a'\ntype='h'\n"), 0);
	CU_ASSERT_EQUAL(dc.type, DOM_TYPE_HVM);
	CU_ASSERT_EQUAL_FATAL(build("name='a'\ntype='pvh'\n"), 0);
	CU_ASSERT_EQUAL(dc.type, DOM_TYPE_PVH);
	CU_ASSERT_EQUAL_FATAL(build("name='a'\nbuilder='hvm'\n"), 0);
	CU_ASSERT_EQUAL(dc.type, DOM_TYPE_HVM);
	/* cpus as a list: one range string per vCPU. */
	CU_ASSERT_EQUAL_FATAL(build("name='a'\nvcpus=2\ncpus=['2', '3-4']\n"), 0);
	CU_ASSERT_EQUAL(dc.cpus.nmasks, 2);
	CU_ASSERT_EQUAL(dc.cpus.masks[1][0], 0x18ull);
	/* serial as a list. */
	CU_ASSERT_EQUAL_FATAL(build("name='a'\nserial=['pty','file:/tmp/s']\n"), 0);
	CU_ASSERT_EQUAL(dc.nserial, 2);
}

static void test_value_errors(void)
{
	expect_error("memory = 128\n", 0, "name", "domain name must be specified");
	expect_error("name = ['a']\n", 1, "name", "is a list but should be a single value");
	expect_error("name='a'\nmemory='12x'\n", 2, "memory", "not a valid number");
	expect_error("name='a'\nmemory=0x\n", 2, "memory", "not a valid number");
	expect_error("name='a'\nmemory=0\n", 2, "memory", "out of range");
	expect_error("name='a'\nmemory=99999999999999999999\n", 2, "memory", "out of range");
	expect_error("name='a'\nvcpus=200\n", 2, "vcpus", "out of range");
	expect_error("name='a'\nmemory=512\nmaxmem=256\n", 3, "maxmem", "below memory");
	expect_error("name='a'\nvcpus=4\nmaxvcpus=2\n", 3, "maxvcpus", "maxvcpus < vcpus");
	expect_error("name='a'\ntype='xen'\n", 2, "type", "invalid domain type");
	expect_error("name='a'\ntype='hvm'\nbuilder='generic'\n", 3, "builder", "contradicting");
	expect_error("name='a'\nuuid='nope'\n", 2, "uuid", "failed to parse UUID");
	expect_error("name='a'\non_crash='reboot'\n", 2, "on_crash", "unknown action");
	expect_error("name='a'\non_crash='coredump-destroy'\n", 2, "on_crash", "not supported");
	expect_error("name='a'\ndisk='file:/x,xvda,w'\n", 2, "disk", "should be a list");
	expect_error("name='a'\ndisk=['/x,,xvda','/y,,xvda']\n", 2, "disk", "used twice");
	expect_error("name='a'\ndisk=[['/x,,xvda']]\n", 2, "disk", "is a list but should be");
	expect_error("name='a'\nvif=['bridge=x','rate=fast']\n", 2, "vif", "vif 1");
	expect_error("name='a'\ndisk=[\n'/x,,xvda',\n'nope'\n]\n", 4, "disk", "no vdev");
	expect_error("name='a'\ncpus='x'\n", 2, "cpus", "invalid pcpu range");
	expect_error("name='a'\nxen_version='4'\n", 2, "xen_version", "MAJOR.MINOR");
	expect_error("name='a/b'\n", 1, "name", "not a valid domain name");
}

static void test_key_policy(void)
{
	/* Refused: the guest would silently lack what it asks for. */
	expect_error("name='a'\npci=['01:00.0']\n", 2, "pci", "passthrough");
	expect_error("name='a'\nbootloader='/usr/bin/grub'\n", 2, "bootloader", "not supported");
	expect_error("name='a'\nbootloader_args=['-q']\n", 2, "bootloader_args",
		     "without a bootloader");
	expect_error("name='a'\nvtpm=['backend=0']\n", 2, "vtpm", "not implemented");
	/* Ignored with a warning, and unknown keys warned about. */
	CU_ASSERT_EQUAL_FATAL(build("name='a'\nvnc=1\nfrobnicate=2\n"), 0);
	CU_ASSERT_PTR_NOT_NULL(strstr(warnings, "d.cfg:2: warning: key `vnc' ignored"));
	CU_ASSERT_PTR_NOT_NULL(strstr(warnings, "d.cfg:3: warning: unknown key `frobnicate'"));
	/* A refused key overridden later still counts (only the effective one matters). */
	CU_ASSERT_EQUAL(keys_lookup("memory").status, KEY_IMPLEMENTED);
	CU_ASSERT_EQUAL(keys_lookup("disk").status, KEY_PARSED);
	CU_ASSERT_EQUAL(keys_lookup("nonsense").status, KEY_UNKNOWN);
}

static void test_json(void)
{
	char out[4096] = { 0 };
	FILE *f = fmemopen(out, sizeof(out) - 1, "w");

	CU_ASSERT_EQUAL_FATAL(build("name = 'j\"q'\ntype='pvh'\nmemory=64\nvcpus=2\n"
				    "kernel='/k'\ndisk=['/x,,xvda,r']\n"),
			      0);
	domcfg_print_json(&dc, f);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"name\": \"j\\\"q\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"type\": \"pvh\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"target_memkb\": 65536"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"max_vcpus\": 2"));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"pdev_path\": \"/x\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"on_reboot\": \"restart\""));
	CU_ASSERT_PTR_NULL(strstr(out, "\"readwrite\""));
}

/* bootloader and its arguments as xl.cfg(5) gives them: a list, or a string split at
 * whitespace with xl's deprecation warning; bootargs is xm's name for the arguments. */
static void test_bootloader(void)
{
	char out[4096] = { 0 };
	FILE *f;

	CU_ASSERT_EQUAL_FATAL(build("name='b'\nbootloader='pygrub'\ndisk=['/i,,xvda']\n"
				    "bootloader_args=['--entry=1', '--args=quiet x']\n"),
			      0);
	CU_ASSERT_STRING_EQUAL(dc.bootloader, "pygrub");
	CU_ASSERT_EQUAL_FATAL(dc.nbootloader_args, 2);
	CU_ASSERT_STRING_EQUAL(dc.bootloader_args[1], "--args=quiet x");
	CU_ASSERT_PTR_NULL(dc.kernel);
	f = fmemopen(out, sizeof(out) - 1, "w");
	domcfg_print_json(&dc, f);
	fclose(f);
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"bootloader\": \"pygrub\""));
	CU_ASSERT_PTR_NOT_NULL(strstr(out, "\"--entry=1\""));
	CU_ASSERT_EQUAL_FATAL(build("name='b'\nbootloader='/usr/lib/xen-4.17/bin/pygrub'\n"
				    "bootloader_args=' -q  --entry=0 '\n"),
			      0);
	CU_ASSERT_EQUAL_FATAL(dc.nbootloader_args, 2);
	CU_ASSERT_STRING_EQUAL(dc.bootloader_args[0], "-q");
	CU_ASSERT_STRING_EQUAL(dc.bootloader_args[1], "--entry=0");
	CU_ASSERT_PTR_NOT_NULL(strstr(warnings, "deprecated"));
	CU_ASSERT_EQUAL_FATAL(build("name='b'\nbootloader='pygrub'\nbootargs='--entry=2'\n"), 0);
	CU_ASSERT_EQUAL_FATAL(dc.nbootloader_args, 1);
	CU_ASSERT_STRING_EQUAL(dc.bootloader_args[0], "--entry=2");
	/* pvshim (xl.cfg(5)): a boolean and three strings. */
	CU_ASSERT_EQUAL_FATAL(build("name='s'\nkernel='/k'\npvshim=1\npvshim_extra='x=1'\n"
				    "pvshim_path='/s'\n"),
			      0);
	CU_ASSERT(dc.pvshim);
	CU_ASSERT_STRING_EQUAL(dc.pvshim_extra, "x=1");
	CU_ASSERT_STRING_EQUAL(dc.pvshim_path, "/s");
	CU_ASSERT_PTR_NULL(dc.pvshim_cmdline);
	expect_error("name='s'\npvshim=2\n", 2, "pvshim", "out of range");
}

static int cleanup(void)
{
	domcfg_free(&dc);
	cfg_free(&cf);
	return 0;
}

UNIT_SUITE(cfg_domain, NULL, cleanup, UNIT_TEST(test_minimal_defaults), UNIT_TEST(test_full_pvh),
	   UNIT_TEST(test_cmdline_rules), UNIT_TEST(test_numbers_and_types),
	   UNIT_TEST(test_value_errors), UNIT_TEST(test_key_policy), UNIT_TEST(test_json),
	   UNIT_TEST(test_bootloader))
