// SPDX-License-Identifier: GPL-2.0
/*
 * The typed config written back as an xl.cfg file, in the layout libvirt's xen-xl
 * converter uses (one `key = value` per line, strings double-quoted, disks as
 * `format=...,vdev=...,access=...,target=...` with target last because it swallows the
 * rest of the spec). Parsing the output gives the same typed config.
 */
#include <stdio.h>
#include <string.h>

#include "toolstack/cfg/libvirt_xml.h"

static void qstr(FILE *o, const char *s)
{
	fputc('"', o);
	for (; *s; s++) {
		switch (*s) {
		case '"':
		case '\\':
			fprintf(o, "\\%c", *s);
			break;
		case '\n':
			fputs("\\n", o);
			break;
		case '\t':
			fputs("\\t", o);
			break;
		case '\r':
			fputs("\\r", o);
			break;
		default:
			fputc(*s, o);
		}
	}
	fputc('"', o);
}

static void kv_str(FILE *o, const char *k, const char *v)
{
	if (!v)
		return;
	fprintf(o, "%s = ", k);
	qstr(o, v);
	fputc('\n', o);
}

/* A pcpu mask as xl's range syntax ("0-2,5"). */
static void mask_ranges(const uint64_t *m, char *buf, size_t size)
{
	size_t len = 0;

	buf[0] = 0;
	for (int c = 0; c < DOM_MAX_HOST_CPUS; c++) {
		int e = c;

		if (!(m[c / 64] >> (c % 64) & 1))
			continue;
		while (e + 1 < DOM_MAX_HOST_CPUS && (m[(e + 1) / 64] >> ((e + 1) % 64) & 1))
			e++;
		len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "%s%d",
					len ? "," : "", c);
		if (e > c)
			len += (size_t)snprintf(buf + len, len < size ? size - len : 0, "-%d", e);
		c = e;
	}
}

static void disk_spec(FILE *o, const struct dom_disk *d)
{
	static const char *const be[] = { NULL, "phy", "tap", "qdisk", "standalone" };
	char spec[4096];
	FILE *s = fmemopen(spec, sizeof(spec), "w");

	if (!s)
		return;
	fprintf(s, "format=%s,vdev=%s,access=%s", domcfg_disk_format_name(d->format), d->vdev,
		d->readwrite ? "rw" : "ro");
	if (d->is_cdrom)
		fputs(",devtype=cdrom", s);
	if (be[d->backend])
		fprintf(s, ",backendtype=%s", be[d->backend]);
	if (d->script)
		fprintf(s, ",script=%s", d->script);
	if (d->backend_domname)
		fprintf(s, ",backend=%s", d->backend_domname);
	if (d->virtio)
		fputs(",specification=virtio", s);
	if (d->discard != TRI_DEFAULT)
		fputs(d->discard == TRI_TRUE ? ",discard" : ",no-discard", s);
	if (d->trusted != TRI_DEFAULT)
		fputs(d->trusted == TRI_TRUE ? ",trusted" : ",untrusted", s);
	if (d->direct_io_safe)
		fputs(",direct-io-safe", s);
	if (d->pdev_path)
		fprintf(s, ",target=%s", d->pdev_path);
	fputc(0, s);
	fclose(s);
	spec[sizeof(spec) - 1] = 0;
	qstr(o, spec);
}

static void vif_spec(FILE *o, const struct dom_vif *v)
{
	char spec[2048];
	FILE *s = fmemopen(spec, sizeof(spec), "w");
	const char *sep = "";

	if (!s)
		return;
#define ITEM(k, val)                                        \
	do {                                                \
		if (val) {                                  \
			fprintf(s, "%s" k "=%s", sep, val); \
			sep = ",";                          \
		}                                           \
	} while (0)
	if (v->mac_set) {
		fprintf(s, "mac=%02x:%02x:%02x:%02x:%02x:%02x", v->mac[0], v->mac[1], v->mac[2],
			v->mac[3], v->mac[4], v->mac[5]);
		sep = ",";
	}
	ITEM("bridge", v->bridge);
	ITEM("script", v->script);
	ITEM("ip", v->ip);
	ITEM("vifname", v->vifname);
	ITEM("model", v->model);
	ITEM("gatewaydev", v->gatewaydev);
	ITEM("backend", v->backend_domname);
	ITEM("type", v->type);
	ITEM("rate", v->rate);
	ITEM("hostnet", v->hostnet);
#undef ITEM
	if (v->mtu)
		fprintf(s, "%smtu=%d", sep, v->mtu), sep = ",";
	if (v->trusted != TRI_DEFAULT)
		fprintf(s, "%s%s", sep, v->trusted == TRI_TRUE ? "trusted" : "untrusted");
	fputc(0, s);
	fclose(s);
	spec[sizeof(spec) - 1] = 0;
	qstr(o, spec);
}

static void write_list(FILE *o, const char *key, size_t n, const void *items, size_t isz,
		       void (*one)(FILE *, const void *))
{
	if (!n)
		return;
	fprintf(o, "%s = [ ", key);
	for (size_t i = 0; i < n; i++) {
		fputs(i ? ", " : "", o);
		one(o, (const char *)items + i * isz);
	}
	fputs(" ]\n", o);
}

static void one_disk(FILE *o, const void *d)
{
	disk_spec(o, d);
}

static void one_vif(FILE *o, const void *v)
{
	vif_spec(o, v);
}

static void one_serial(FILE *o, const void *s)
{
	qstr(o, *(const char *const *)s);
}

void domcfg_write_xlcfg(const struct dom_config *dc, FILE *o)
{
	char buf[4096];

	kv_str(o, "name", dc->name);
	if (dc->uuid_set) {
		domcfg_uuid_format(dc->uuid, buf);
		kv_str(o, "uuid", buf);
	}
	kv_str(o, "type", domcfg_type_name(dc->type));
	fprintf(o, "maxmem = %llu\nmemory = %llu\n", (unsigned long long)(dc->max_memkb / 1024),
		(unsigned long long)(dc->target_memkb / 1024));
	if (dc->max_vcpus != dc->vcpus)
		fprintf(o, "maxvcpus = %u\n", dc->max_vcpus);
	fprintf(o, "vcpus = %u\n", dc->vcpus);
	if (dc->cpus.set && dc->cpus.text) { /* the string form: one mask for every vCPU */
		mask_ranges(dc->cpus.masks[0], buf, sizeof(buf));
		kv_str(o, "cpus", buf);
	} else if (dc->cpus.set) {
		fputs("cpus = [ ", o);
		for (size_t i = 0; i < dc->cpus.nmasks; i++) {
			mask_ranges(dc->cpus.masks[i], buf, sizeof(buf));
			fputs(i ? ", " : "", o);
			qstr(o, buf);
		}
		fputs(" ]\n", o);
	}
	kv_str(o, "on_poweroff", domcfg_action_name(dc->on_poweroff));
	kv_str(o, "on_reboot", domcfg_action_name(dc->on_reboot));
	kv_str(o, "on_crash", domcfg_action_name(dc->on_crash));
	kv_str(o, "on_watchdog", domcfg_action_name(dc->on_watchdog));
	kv_str(o, "kernel", dc->kernel);
	kv_str(o, "ramdisk", dc->ramdisk);
	kv_str(o, "cmdline", dc->cmdline);
	write_list(o, "disk", dc->ndisks, dc->disks, sizeof(*dc->disks), one_disk);
	write_list(o, "vif", dc->nvifs, dc->vifs, sizeof(*dc->vifs), one_vif);
	write_list(o, "serial", dc->nserial, dc->serial, sizeof(*dc->serial), one_serial);
	kv_str(o, "bootloader", dc->bootloader);
	if (dc->pvshim)
		fputs("pvshim = 1\n", o);
	kv_str(o, "pvshim_path", dc->pvshim_path);
	kv_str(o, "pvshim_cmdline", dc->pvshim_cmdline);
	kv_str(o, "pvshim_extra", dc->pvshim_extra);
	write_list(o, "bootloader_args", dc->nbootloader_args, dc->bootloader_args,
		   sizeof(*dc->bootloader_args), one_serial);
	if (dc->xen_version_set) {
		snprintf(buf, sizeof(buf), "%u.%u", dc->xen_major, dc->xen_minor);
		kv_str(o, "xen_version", buf);
	}
}
