// SPDX-License-Identifier: GPL-2.0
/*
 * `xl create -n`: the parsed configuration as JSON, laid out as xl prints a
 * libxl_domain_config (c_info, b_info, disks, nics, on_*), with libxl's field names
 * and 4-space indentation; xenkvm's own xen_version goes under "xenkvm".
 */
#include <stdio.h>
#include <string.h>

#include "toolstack/cfg/domcfg.h"

static void jstr(FILE *o, const char *s)
{
	fputc('"', o);
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(o, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", o);
		else if (c == '\t')
			fputs("\\t", o);
		else if (c < 0x20)
			fprintf(o, "\\u%04x", c);
		else
			fputc(c, o);
	}
	fputc('"', o);
}

/* Prints `,\n` between fields of one object. */
struct jobj {
	FILE *o;
	int indent;
	bool first;
};

static void jkey(struct jobj *j, const char *k)
{
	fprintf(j->o, "%s\n%*s\"%s\": ", j->first ? "" : ",", j->indent, "", k);
	j->first = false;
}

static void jfield_str(struct jobj *j, const char *k, const char *v)
{
	if (!v)
		return;
	jkey(j, k);
	jstr(j->o, v);
}

static void jfield_num(struct jobj *j, const char *k, unsigned long long v)
{
	jkey(j, k);
	fprintf(j->o, "%llu", v);
}

static const char *tri(enum tristate t)
{
	return t == TRI_TRUE ? "True" : t == TRI_FALSE ? "False" : NULL;
}

static void print_disk(FILE *o, const struct dom_disk *d)
{
	static const char *const backends[] = { NULL, "phy", "tap", "qdisk", "standalone" };
	struct jobj j = { o, 12, true };

	fputs("        {", o);
	jfield_str(&j, "pdev_path", d->pdev_path);
	jfield_str(&j, "vdev", d->vdev);
	jfield_str(&j, "backend", backends[d->backend]);
	jfield_str(&j, "format", domcfg_disk_format_name(d->format));
	jfield_str(&j, "script", d->script);
	jfield_str(&j, "backend_domname", d->backend_domname);
	if (d->removable)
		jfield_num(&j, "removable", 1);
	if (d->readwrite)
		jfield_num(&j, "readwrite", 1);
	if (d->is_cdrom)
		jfield_num(&j, "is_cdrom", 1);
	if (d->direct_io_safe)
		jfield_num(&j, "direct_io_safe", 1);
	jfield_str(&j, "discard_enable", tri(d->discard));
	if (d->virtio)
		jfield_str(&j, "specification", "virtio");
	jfield_str(&j, "trusted", tri(d->trusted));
	fputs("\n        }", o);
}

static void print_vif(FILE *o, const struct dom_vif *v)
{
	struct jobj j = { o, 12, true };
	char mac[18];

	fputs("        {", o);
	jfield_num(&j, "devid", (unsigned)v->devid);
	if (v->mac_set) {
		snprintf(mac, sizeof(mac), "%02x:%02x:%02x:%02x:%02x:%02x", v->mac[0], v->mac[1],
			 v->mac[2], v->mac[3], v->mac[4], v->mac[5]);
		jfield_str(&j, "mac", mac);
	}
	jfield_str(&j, "ip", v->ip);
	jfield_str(&j, "bridge", v->bridge);
	jfield_str(&j, "ifname", v->vifname);
	jfield_str(&j, "script", v->script);
	jfield_str(&j, "model", v->model);
	jfield_str(&j, "gatewaydev", v->gatewaydev);
	jfield_str(&j, "backend_domname", v->backend_domname);
	jfield_str(&j, "nictype", v->type);
	if (v->mtu)
		jfield_num(&j, "mtu", (unsigned)v->mtu);
	if (v->rate) {
		jfield_num(&j, "rate_bytes_per_interval", v->rate_bytes_per_interval);
		jfield_num(&j, "rate_interval_usecs", v->rate_interval_usecs);
	}
	jfield_str(&j, "trusted", tri(v->trusted));
	fputs("\n        }", o);
}

static void print_b_info(FILE *o, const struct dom_config *dc)
{
	struct jobj j = { o, 8, true };

	fputs("    \"b_info\": {", o);
	jfield_num(&j, "max_vcpus", dc->max_vcpus);
	jkey(&j, "avail_vcpus");
	fputs("[", o);
	for (unsigned i = 0; i < dc->vcpus; i++)
		fprintf(o, "%s\n%*s%u", i ? "," : "", 12, "", i);
	fprintf(o, "\n%*s]", 8, "");
	if (dc->cpus.set && dc->cpus.text)
		jfield_str(&j, "cpus", dc->cpus.text);
	jfield_num(&j, "max_memkb", dc->max_memkb);
	jfield_num(&j, "target_memkb", dc->target_memkb);
	jfield_str(&j, "kernel", dc->kernel);
	jfield_str(&j, "cmdline", dc->cmdline);
	jfield_str(&j, "ramdisk", dc->ramdisk);
	jfield_str(&j, "bootloader", dc->bootloader);
	if (dc->pvshim) {
		jfield_str(&j, "pvshim", "True");
		jfield_str(&j, "pvshim_path", dc->pvshim_path);
		jfield_str(&j, "pvshim_cmdline", dc->pvshim_cmdline);
		jfield_str(&j, "pvshim_extra", dc->pvshim_extra);
	}
	if (dc->nbootloader_args) {
		jkey(&j, "bootloader_args");
		fputs("[", o);
		for (size_t i = 0; i < dc->nbootloader_args; i++) {
			fprintf(o, "%s\n%*s", i ? "," : "", 12, "");
			jstr(o, dc->bootloader_args[i]);
		}
		fprintf(o, "\n%*s]", 8, "");
	}
	if (dc->nserial) {
		jkey(&j, "serial_list");
		fputs("[", o);
		for (size_t i = 0; i < dc->nserial; i++) {
			fprintf(o, "%s\n%*s", i ? "," : "", 12, "");
			jstr(o, dc->serial[i]);
		}
		fprintf(o, "\n%*s]", 8, "");
	}
	fputs("\n    }", o);
}

void domcfg_print_json(const struct dom_config *dc, FILE *o)
{
	struct jobj top = { o, 4, true }, ci = { o, 8, true };
	char uuid[37];

	fputs("{", o);
	jkey(&top, "c_info");
	fputs("{", o);
	jfield_str(&ci, "type", domcfg_type_name(dc->type));
	jfield_str(&ci, "name", dc->name);
	if (dc->uuid_set) {
		domcfg_uuid_format(dc->uuid, uuid);
		jfield_str(&ci, "uuid", uuid);
	}
	fputs("\n    },\n", o);
	print_b_info(o, dc);
	top.first = false;
	if (dc->ndisks) {
		jkey(&top, "disks");
		fputs("[\n", o);
		for (size_t i = 0; i < dc->ndisks; i++) {
			print_disk(o, &dc->disks[i]);
			fputs(i + 1 < dc->ndisks ? ",\n" : "\n", o);
		}
		fputs("    ]", o);
	}
	if (dc->nvifs) {
		jkey(&top, "nics");
		fputs("[\n", o);
		for (size_t i = 0; i < dc->nvifs; i++) {
			print_vif(o, &dc->vifs[i]);
			fputs(i + 1 < dc->nvifs ? ",\n" : "\n", o);
		}
		fputs("    ]", o);
	}
	jfield_str(&top, "on_poweroff", domcfg_action_name(dc->on_poweroff));
	jfield_str(&top, "on_reboot", domcfg_action_name(dc->on_reboot));
	jfield_str(&top, "on_watchdog", domcfg_action_name(dc->on_watchdog));
	jfield_str(&top, "on_crash", domcfg_action_name(dc->on_crash));
	if (dc->xen_version_set) {
		char v[16];

		snprintf(v, sizeof(v), "%u.%u", dc->xen_major, dc->xen_minor);
		jkey(&top, "xenkvm");
		fputs("{\n        \"xen_version\": ", o);
		jstr(o, v);
		fputs("\n    }", o);
	}
	fputs("\n}\n", o);
}
