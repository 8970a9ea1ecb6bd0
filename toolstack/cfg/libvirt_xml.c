// SPDX-License-Identifier: GPL-2.0
/*
 * libvirt domain XML for Xen guests, read and written with libxml2. Reading turns the
 * XML into xl.cfg text the way libvirt's xen-xl converter does (`<memory>` is maxmem,
 * `<currentMemory>` memory, both KiB -> MiB; `<vcpu current=N>MAX` is vcpus and
 * maxvcpus; `<os><type>` xenpvh/linux/hvm is pvh/pv/hvm; a `<disk>` becomes a
 * `format=,vdev=,access=,backendtype=,target=` DISKSPEC with driver name qemu ->
 * qdisk and phy -> phy; an `<interface>` a vifspec with its bandwidth average in KB/s
 * as the rate), then parses that text: one set of rules for both formats. Errors and
 * warnings name the XML line and the element.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>
#include <libxml/tree.h>

#include "toolstack/cfg/libvirt_xml.h"

struct xconv {
	FILE *out; /* the xl.cfg text */
	char *text;
	size_t textlen;
	int *lines; /* XML line of each text line */
	size_t nlines, cap;
	const char *source;
	struct cfg_error *err;
	FILE *warn;
	int rc;
	char *strs[32]; /* copies of XML text and attributes, freed with the conversion */
	unsigned nstr;
};

static bool is(const xmlNode *n, const char *name)
{
	return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

static const xmlNode *child(const xmlNode *n, const char *name)
{
	for (const xmlNode *c = n->children; c; c = c->next)
		if (is(c, name))
			return c;
	return NULL;
}

/*
 * Text content and attributes are copied into a ring owned by the conversion: a
 * conversion step holds at most a handful at once, all are freed at its end.
 */
static char *keep(struct xconv *x, xmlChar *s)
{
	unsigned i = x->nstr++ % 32;

	free(x->strs[i]);
	x->strs[i] = s ? strdup((const char *)s) : NULL;
	xmlFree(s);
	return x->strs[i];
}

static const char *text_of(struct xconv *x, const xmlNode *n)
{
	return n ? keep(x, xmlNodeGetContent(n)) : NULL;
}

static const char *attr(struct xconv *x, const xmlNode *n, const char *name)
{
	return n ? keep(x, xmlGetProp(n, (const xmlChar *)name)) : NULL;
}

static int xerror(struct xconv *x, const xmlNode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int xerror(struct xconv *x, const xmlNode *n, const char *fmt, ...)
{
	char msg[256], el[64];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(el, sizeof(el), "<%s>", n ? (const char *)n->name : "domain");
	cfg_error_set(x->err, x->source, n ? (int)xmlGetLineNo(n) : 0, 0, el, "%s", msg);
	if (!x->rc)
		x->rc = -EINVAL;
	return -EINVAL;
}

static void xwarn(struct xconv *x, const xmlNode *n, const char *why)
{
	if (x->warn)
		fprintf(x->warn, "%s:%ld: warning: element <%s> ignored: %s\n", x->source,
			xmlGetLineNo(n), (const char *)n->name, why);
}

/* One line of xl.cfg text; remembers which XML line produced it. */
static void emit(struct xconv *x, const xmlNode *n, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void emit(struct xconv *x, const xmlNode *n, const char *fmt, ...)
{
	va_list ap;

	if (x->nlines == x->cap) {
		size_t cap = x->cap ? 2 * x->cap : 32;
		int *l = realloc(x->lines, cap * sizeof(*l));

		if (!l) {
			x->rc = -ENOMEM;
			return;
		}
		x->lines = l;
		x->cap = cap;
	}
	x->lines[x->nlines++] = n ? (int)xmlGetLineNo(n) : 0;
	va_start(ap, fmt);
	vfprintf(x->out, fmt, ap);
	va_end(ap);
	fputc('\n', x->out);
}

/* A string as an xl.cfg double-quoted literal (into buf). */
static const char *q(const char *s, char *buf, size_t size)
{
	size_t o = 0;

	buf[o++] = '"';
	for (; s && *s && o + 4 < size; s++) {
		if (*s == '"' || *s == '\\')
			buf[o++] = '\\';
		if (*s == '\n') {
			buf[o++] = '\\';
			buf[o++] = 'n';
			continue;
		}
		buf[o++] = *s;
	}
	buf[o++] = '"';
	buf[o] = 0;
	return buf;
}

static int kib_to_mib(struct xconv *x, const xmlNode *n, unsigned long long *mib)
{
	const char *unit = attr(x, n, "unit"), *t = text_of(x, n);
	unsigned long long v, mul = 1024; /* libvirt's default unit is KiB */
	char *end;

	if (!t || !*t)
		return xerror(x, n, "empty");
	v = strtoull(t, &end, 10);
	if (end == t || *end)
		return xerror(x, n, "`%s' is not a number", t);
	if (unit && (!strcmp(unit, "b") || !strcmp(unit, "bytes")))
		mul = 1;
	else if (unit && (!strcmp(unit, "M") || !strcmp(unit, "MiB")))
		mul = 1024 * 1024;
	else if (unit && (!strcmp(unit, "G") || !strcmp(unit, "GiB")))
		mul = 1024ull * 1024 * 1024;
	else if (unit && strcmp(unit, "k") && strcmp(unit, "KiB"))
		return xerror(x, n, "unit `%s' not supported (b, KiB, MiB, GiB)", unit);
	if (v > (1ull << 50) / mul)
		return xerror(x, n, "too large");
	*mib = v * mul / (1024 * 1024);
	return 0;
}

static void conv_os(struct xconv *x, const xmlNode *os)
{
	char b[4200];

	for (const xmlNode *c = os->children; c; c = c->next) {
		const char *t;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		t = text_of(x, c);
		if (is(c, "type")) {
			const char *m = attr(x, c, "machine");

			if (!strcmp(t, "xenpvh") || (m && !strcmp(m, "xenpvh")))
				emit(x, c, "type = \"pvh\"");
			else if (!strcmp(t, "linux") || !strcmp(t, "xen"))
				emit(x, c, "type = \"pv\"");
			else if (!strcmp(t, "hvm"))
				emit(x, c, "type = \"hvm\"");
			else
				xerror(x, c, "unknown OS type `%s' (xenpvh, linux, hvm)", t);
		} else if (is(c, "kernel")) {
			emit(x, c, "kernel = %s", q(t, b, sizeof(b)));
		} else if (is(c, "initrd")) {
			emit(x, c, "ramdisk = %s", q(t, b, sizeof(b)));
		} else if (is(c, "cmdline")) {
			emit(x, c, "cmdline = %s", q(t, b, sizeof(b)));
		} else if (is(c, "loader") || is(c, "boot")) {
			xwarn(x, c, "xenkvm boots the kernel directly");
		} else {
			xerror(x, c, "not supported by xenkvm");
		}
	}
}

static void conv_vcpu(struct xconv *x, const xmlNode *n)
{
	const char *cur = attr(x, n, "current"), *set = attr(x, n, "cpuset");
	char *end, b[300];
	const char *max = text_of(x, n);
	unsigned long m = strtoul(max, &end, 10);

	if (end == max || *end)
		return (void)xerror(x, n, "`%s' is not a number", max);
	if (cur) {
		emit(x, n, "maxvcpus = %lu", m);
		emit(x, n, "vcpus = %s", q(cur, b, sizeof(b)));
	} else {
		emit(x, n, "vcpus = %lu", m);
	}
	if (set)
		emit(x, n, "cpus = %s", q(set, b, sizeof(b)));
}

static void conv_disk(struct xconv *x, const xmlNode *n, FILE *list)
{
	const xmlNode *drv = child(n, "driver"), *src = child(n, "source"),
		      *tgt = child(n, "target");
	const char *type = attr(x, n, "type"), *device = attr(x, n, "device");
	const char *dname = attr(x, drv, "name"), *dtype = attr(x, drv, "type");
	const char *path = NULL, *dev = attr(x, tgt, "dev");
	char spec[4200], b[4300], msg[200];
	struct dom_disk d;
	int len;

	if (!dev)
		return (void)xerror(x, n, "no <target dev=...>");
	if (type && !strcmp(type, "file"))
		path = attr(x, src, "file");
	else if (type && !strcmp(type, "block"))
		path = attr(x, src, "dev");
	else
		return (void)xerror(x, n, "disk type `%s' not supported (file, block)",
				    type ? type : "");
	len = snprintf(spec, sizeof(spec), "format=%s,vdev=%s,access=%s", dtype ? dtype : "raw",
		       dev, child(n, "readonly") ? "ro" : "rw");
	if (device && !strcmp(device, "cdrom"))
		len += snprintf(spec + len, sizeof(spec) - (size_t)len, ",devtype=cdrom");
	else if (device && strcmp(device, "disk"))
		return (void)xerror(x, n, "device `%s' not supported (disk, cdrom)", device);
	if (dname && !strcmp(dname, "qemu"))
		len += snprintf(spec + len, sizeof(spec) - (size_t)len, ",backendtype=qdisk");
	else if (dname && !strcmp(dname, "phy"))
		len += snprintf(spec + len, sizeof(spec) - (size_t)len, ",backendtype=phy");
	else if (dname && strcmp(dname, "file") && strcmp(dname, "tap"))
		return (void)xerror(x, n, "driver name `%s' not supported (qemu, phy)", dname);
	if (path)
		snprintf(spec + len, sizeof(spec) - (size_t)len, ",target=%s", path);
	/* Check it now, so that the error names this element. */
	if (domcfg_parse_disk(spec, &d, msg, sizeof(msg)))
		return (void)xerror(x, n, "%s", msg);
	domcfg_disk_free(&d);
	fprintf(list, "%s%s", ftell(list) ? ", " : "", q(spec, b, sizeof(b)));
}

static void conv_interface(struct xconv *x, const xmlNode *n, FILE *list)
{
	const char *type = attr(x, n, "type"), *v;
	char spec[2048], b[2100], msg[200];
	const xmlNode *bw = child(n, "bandwidth");
	struct dom_vif vif;
	int len = 0;

#define ADD(k, val)                                                                           \
	do {                                                                                  \
		if ((v = (val)))                                                              \
			len += snprintf(spec + len, sizeof(spec) - (size_t)len, "%s" k "=%s", \
					len ? "," : "", v);                                   \
	} while (0)
	spec[0] = 0;
	if (type && strcmp(type, "bridge") && strcmp(type, "ethernet"))
		return (void)xerror(x, n, "interface type `%s' not supported (bridge, ethernet)",
				    type);
	ADD("mac", attr(x, child(n, "mac"), "address"));
	ADD("bridge", attr(x, child(n, "source"), "bridge"));
	ADD("script", attr(x, child(n, "script"), "path"));
	ADD("ip", attr(x, child(n, "ip"), "address"));
	ADD("vifname", attr(x, child(n, "target"), "dev"));
	ADD("model", attr(x, child(n, "model"), "type"));
	if (bw && (v = attr(x, child(bw, "outbound"), "average")))
		len += snprintf(spec + len, sizeof(spec) - (size_t)len, "%srate=%sKB/s",
				len ? "," : "", v);
#undef ADD
	if (domcfg_parse_vif(spec, 0, &vif, msg, sizeof(msg)))
		return (void)xerror(x, n, "%s", msg);
	domcfg_vif_free(&vif);
	fprintf(list, "%s%s", ftell(list) ? ", " : "", q(spec, b, sizeof(b)));
}

/* <bootloader_args>: words separated by whitespace, as libvirt's xen-xl converter splits
 * them, written as xl.cfg's list form. */
static void conv_bootloader_args(struct xconv *x, const xmlNode *n)
{
	const char *t = text_of(x, n);
	char *buf = NULL, b[1024];
	size_t len = 0;
	FILE *list = open_memstream(&buf, &len);

	if (!list) {
		x->rc = -ENOMEM;
		return;
	}
	for (const char *p = t ? t : ""; *p;) {
		size_t w = strcspn(p, " \t\n");
		char word[512];

		if (w && w < sizeof(word)) {
			snprintf(word, sizeof(word), "%.*s", (int)w, p);
			fprintf(list, "%s%s", ftell(list) ? ", " : "", q(word, b, sizeof(b)));
		}
		p += w;
		p += strspn(p, " \t\n");
	}
	fclose(list);
	if (len)
		emit(x, n, "bootloader_args = [ %s ]", buf);
	free(buf);
}

/* Flushes one list key (disk or vif) collected from the <devices> children. */
static void emit_list(struct xconv *x, const xmlNode *n, const char *key, char *buf, size_t len)
{
	if (len)
		emit(x, n, "%s = [ %s ]", key, buf);
}

static void conv_devices(struct xconv *x, const xmlNode *devs)
{
	char *dbuf = NULL, *vbuf = NULL;
	size_t dlen = 0, vlen = 0;
	FILE *disks = open_memstream(&dbuf, &dlen), *vifs = open_memstream(&vbuf, &vlen);
	const xmlNode *first_disk = NULL, *first_vif = NULL;

	if (!disks || !vifs) {
		x->rc = -ENOMEM;
		goto out;
	}
	for (const xmlNode *c = devs->children; c && !x->rc; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (is(c, "disk")) {
			first_disk = first_disk ? first_disk : c;
			conv_disk(x, c, disks);
		} else if (is(c, "interface")) {
			first_vif = first_vif ? first_vif : c;
			conv_interface(x, c, vifs);
		} else if (is(c, "console")) {
			const char *t = attr(x, c, "type");

			if (t && strcmp(t, "pty"))
				xwarn(x, c, "the PV console is always a pty under xl");
		} else if (is(c, "memballoon") || is(c, "emulator") || is(c, "controller")) {
			/* The balloon driver is part of the Xen ABI xenkvm emulates; an emulator
			 * or controller only matters to HVM device models. */
			if (!is(c, "memballoon"))
				xwarn(x, c, "no device model on xenkvm");
		} else if (is(c, "input") || is(c, "graphics") || is(c, "video")) {
			xwarn(x, c, "no emulated display or input on xenkvm");
		} else {
			xerror(x, c, "device not supported by xenkvm");
		}
	}
out:
	if (disks)
		fclose(disks);
	if (vifs)
		fclose(vifs);
	if (!x->rc) {
		emit_list(x, first_disk, "disk", dbuf, dlen);
		emit_list(x, first_vif, "vif", vbuf, vlen);
	}
	free(dbuf);
	free(vbuf);
}

static void conv_element(struct xconv *x, const xmlNode *c)
{
	char b[600];
	unsigned long long mib = 0;
	const char *t;

	if (is(c, "name") || is(c, "uuid")) {
		t = text_of(x, c);
		emit(x, c, "%s = %s", (const char *)c->name, q(t, b, sizeof(b)));
	} else if (is(c, "memory") || is(c, "currentMemory")) {
		if (!kib_to_mib(x, c, &mib))
			emit(x, c, "%s = %llu", is(c, "memory") ? "maxmem" : "memory", mib);
	} else if (is(c, "vcpu")) {
		conv_vcpu(x, c);
	} else if (is(c, "os")) {
		conv_os(x, c);
	} else if (is(c, "on_poweroff") || is(c, "on_reboot") || is(c, "on_crash")) {
		t = text_of(x, c);
		emit(x, c, "%s = %s", (const char *)c->name, q(t, b, sizeof(b)));
	} else if (is(c, "bootloader")) {
		t = text_of(x, c);
		emit(x, c, "bootloader = %s", q(t, b, sizeof(b)));
	} else if (is(c, "bootloader_args")) {
		conv_bootloader_args(x, c);
	} else if (is(c, "devices")) {
		conv_devices(x, c);
	} else if (is(c, "clock") || is(c, "features") || is(c, "cpu") || is(c, "description") ||
		   is(c, "title") || is(c, "metadata")) {
		if (!is(c, "description") && !is(c, "title") && !is(c, "metadata"))
			xwarn(x, c, "no HVM platform or clock settings on xenkvm");
	} else {
		xerror(x, c, "not supported by xenkvm");
	}
}

int libvirt_xml_to_xlcfg(const char *xml, size_t len, const char *source, char **cfg_text,
			 int **lines, size_t *nlines, struct cfg_error *err, FILE *warn)
{
	struct xconv x = { .source = source, .err = err, .warn = warn };
	xmlDoc *doc;
	const xmlNode *root;
	const char *t;

	*cfg_text = NULL;
	*lines = NULL;
	*nlines = 0;
	if (len > (1u << 20) || len > INT32_MAX) {
		cfg_error_set(err, source, 0, 0, NULL, "larger than 1 MiB");
		return -EFBIG;
	}
	/* No network, no entity expansion, no DTD loading: the file is untrusted. */
	doc = xmlReadMemory(xml, (int)len, source, NULL,
			    XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
	if (!doc) {
		const xmlError *e = xmlGetLastError();

		cfg_error_set(err, source, e ? e->line : 0, e ? e->int2 : 0, NULL,
			      "not well-formed XML: %s", e && e->message ? e->message : "?");
		if (err) /* libxml2's message ends with a newline */
			err->msg[strcspn(err->msg, "\n")] = 0;
		return -EINVAL;
	}
	root = xmlDocGetRootElement(doc);
	if (!root || !is(root, "domain")) {
		xerror(&x, root, "the root element is not <domain>");
		goto out;
	}
	t = attr(&x, root, "type");
	if (!t || strcmp(t, "xen")) {
		xerror(&x, root, "<domain type='%s'>: only type='xen' is read", t ? t : "");
		goto out;
	}
	x.out = open_memstream(&x.text, &x.textlen);
	if (!x.out) {
		x.rc = -ENOMEM;
		goto out;
	}
	for (const xmlNode *c = root->children; c && !x.rc; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			conv_element(&x, c);
	fclose(x.out);
out:
	xmlFreeDoc(doc);
	for (unsigned i = 0; i < 32; i++)
		free(x.strs[i]);
	if (x.rc) {
		free(x.text);
		free(x.lines);
		return x.rc;
	}
	*cfg_text = x.text;
	*lines = x.lines;
	*nlines = x.nlines;
	return 0;
}

static void remap(struct cfg_value *v, const int *lines, size_t nlines)
{
	if (v->line > 0 && (size_t)v->line <= nlines)
		v->line = lines[v->line - 1];
	for (size_t i = 0; i < v->n; i++)
		remap(v->items[i], lines, nlines);
}

int libvirt_xml_to_domcfg(const char *xml, size_t len, const char *source, struct dom_config *dc,
			  struct cfg_error *err, FILE *warn)
{
	char *text;
	int *lines;
	size_t nlines;
	struct cfg_file cf;
	int rc;

	memset(dc, 0, sizeof(*dc));
	rc = libvirt_xml_to_xlcfg(xml, len, source, &text, &lines, &nlines, err, warn);
	if (rc)
		return rc;
	cfg_init(&cf);
	rc = cfg_parse(&cf, source, text, strlen(text), err);
	/* Warnings and errors name the XML line that produced each setting. */
	for (struct cfg_setting *s = cf.head; !rc && s; s = s->next) {
		if (s->line > 0 && (size_t)s->line <= nlines)
			s->line = lines[s->line - 1];
		remap(s->value, lines, nlines);
	}
	if (!rc)
		rc = domcfg_from_cfg(&cf, dc, err, warn);
	if (rc && err)
		err->col = 0; /* a column of the generated text means nothing in the XML */
	cfg_free(&cf);
	free(text);
	free(lines);
	return rc;
}
