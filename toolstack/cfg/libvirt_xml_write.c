// SPDX-License-Identifier: GPL-2.0
/*
 * The typed config as libvirt domain XML, in the form libvirt's libxl driver
 * produces for Xen guests (formatdomain: <memory>/<currentMemory> in KiB,
 * <vcpu placement='static' current=N>MAX</vcpu>, <os><type machine='xenpvh'>xenpvh),
 * <devices> with <disk>, <interface> and the PV console). libvirt_xml.c reads it back
 * to the same config.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/tree.h>

#include "toolstack/cfg/libvirt_xml.h"

static xmlNode *add(xmlNode *parent, const char *name, const char *text)
{
	/* xmlNewTextChild escapes the text, unlike xmlNewChild. */
	return xmlNewTextChild(parent, NULL, (const xmlChar *)name, (const xmlChar *)text);
}

static void set(xmlNode *n, const char *name, const char *val)
{
	if (n && val)
		xmlNewProp(n, (const xmlChar *)name, (const xmlChar *)val);
}

/* <bootloader> and <bootloader_args> (the arguments joined by spaces, as libvirt keeps them). */
static void add_bootloader(xmlNode *root, const struct dom_config *dc)
{
	char *args = NULL;
	size_t len = 0;
	FILE *f;

	add(root, "bootloader", dc->bootloader);
	if (!dc->nbootloader_args || !(f = open_memstream(&args, &len)))
		return;
	for (size_t i = 0; i < dc->nbootloader_args; i++)
		fprintf(f, "%s%s", i ? " " : "", dc->bootloader_args[i]);
	fclose(f);
	add(root, "bootloader_args", args);
	free(args);
}

static void add_os(xmlNode *root, const struct dom_config *dc)
{
	static const char *const os_type[] = {
		[DOM_TYPE_PV] = "linux", [DOM_TYPE_PVH] = "xenpvh", [DOM_TYPE_HVM] = "hvm"
	};
	static const char *const machine[] = {
		[DOM_TYPE_PV] = "xenpv", [DOM_TYPE_PVH] = "xenpvh", [DOM_TYPE_HVM] = "xenfv"
	};
	xmlNode *os = add(root, "os", NULL), *t = add(os, "type", os_type[dc->type]);

	set(t, "arch", "x86_64");
	set(t, "machine", machine[dc->type]);
	if (dc->kernel)
		add(os, "kernel", dc->kernel);
	if (dc->ramdisk)
		add(os, "initrd", dc->ramdisk);
	if (dc->cmdline)
		add(os, "cmdline", dc->cmdline);
}

static void add_disk(xmlNode *devs, const struct dom_disk *d)
{
	bool block = d->backend == DISK_BACKEND_PHY ||
		     (d->pdev_path && !strncmp(d->pdev_path, "/dev/", 5));
	xmlNode *n = add(devs, "disk", NULL), *x;

	set(n, "type", block ? "block" : "file");
	set(n, "device", d->is_cdrom ? "cdrom" : "disk");
	x = add(n, "driver", NULL);
	set(x, "name", d->backend == DISK_BACKEND_PHY ? "phy" : "qemu");
	set(x, "type", domcfg_disk_format_name(d->format));
	if (d->pdev_path && *d->pdev_path)
		set(add(n, "source", NULL), block ? "dev" : "file", d->pdev_path);
	x = add(n, "target", NULL);
	set(x, "dev", d->vdev);
	set(x, "bus", "xen");
	if (!d->readwrite && !d->is_cdrom)
		add(n, "readonly", NULL);
}

static void add_vif(xmlNode *devs, const struct dom_vif *v)
{
	xmlNode *n = add(devs, "interface", NULL);
	char mac[18];

	set(n, "type", v->bridge ? "bridge" : "ethernet");
	if (v->mac_set) {
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", v->mac[0], v->mac[1],
			 v->mac[2], v->mac[3], v->mac[4], v->mac[5]);
		set(add(n, "mac", NULL), "address", mac);
	}
	if (v->bridge)
		set(add(n, "source", NULL), "bridge", v->bridge);
	if (v->ip)
		set(add(n, "ip", NULL), "address", v->ip);
	if (v->script)
		set(add(n, "script", NULL), "path", v->script);
	if (v->vifname)
		set(add(n, "target", NULL), "dev", v->vifname);
	if (v->model)
		set(add(n, "model", NULL), "type", v->model);
	if (v->rate) {
		/* libvirt's average is KiB/s of the sustained rate: bytes per second / 1024. */
		char avg[32];
		unsigned long long bps =
			v->rate_bytes_per_interval * 1000000ull / v->rate_interval_usecs;

		snprintf(avg, sizeof(avg), "%llu", bps / 1000);
		set(add(add(n, "bandwidth", NULL), "outbound", NULL), "average", avg);
	}
}

static void add_vcpu(xmlNode *root, const struct dom_config *dc)
{
	char buf[32];
	xmlNode *n;

	snprintf(buf, sizeof(buf), "%u", dc->max_vcpus);
	n = add(root, "vcpu", buf);
	set(n, "placement", "static");
	if (dc->vcpus != dc->max_vcpus) {
		snprintf(buf, sizeof(buf), "%u", dc->vcpus);
		set(n, "current", buf);
	}
	if (dc->cpus.set && dc->cpus.text)
		set(n, "cpuset", dc->cpus.text);
}

int libvirt_xml_from_domcfg(const struct dom_config *dc, char **out)
{
	xmlDoc *doc = xmlNewDoc((const xmlChar *)"1.0");
	xmlNode *root, *devs, *con;
	xmlChar *mem = NULL;
	char buf[64];
	int len = 0;

	if (!doc)
		return -ENOMEM;
	root = xmlNewNode(NULL, (const xmlChar *)"domain");
	xmlDocSetRootElement(doc, root);
	set(root, "type", "xen");
	add(root, "name", dc->name);
	if (dc->uuid_set) {
		domcfg_uuid_format(dc->uuid, buf);
		add(root, "uuid", buf);
	}
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)dc->max_memkb);
	set(add(root, "memory", buf), "unit", "KiB");
	snprintf(buf, sizeof(buf), "%llu", (unsigned long long)dc->target_memkb);
	set(add(root, "currentMemory", buf), "unit", "KiB");
	add_vcpu(root, dc);
	if (dc->bootloader)
		add_bootloader(root, dc);
	add_os(root, dc);
	add(root, "on_poweroff", domcfg_action_name(dc->on_poweroff));
	add(root, "on_reboot", domcfg_action_name(dc->on_reboot));
	add(root, "on_crash", domcfg_action_name(dc->on_crash));
	devs = add(root, "devices", NULL);
	for (size_t i = 0; i < dc->ndisks; i++)
		add_disk(devs, &dc->disks[i]);
	for (size_t i = 0; i < dc->nvifs; i++)
		add_vif(devs, &dc->vifs[i]);
	con = add(devs, "console", NULL);
	set(con, "type", "pty");
	con = add(con, "target", NULL);
	set(con, "type", "xen");
	set(con, "port", "0");
	xmlDocDumpFormatMemoryEnc(doc, &mem, &len, "UTF-8", 1);
	xmlFreeDoc(doc);
	if (!mem)
		return -ENOMEM;
	*out = strdup((const char *)mem);
	xmlFree(mem);
	return *out ? 0 : -ENOMEM;
}
