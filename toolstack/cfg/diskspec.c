// SPDX-License-Identifier: GPL-2.0
/*
 * DISKSPEC parsing as Xen's libxlu_disk_l.l does it (xl-disk-configuration(5)):
 * comma-separated parameters, leading whitespace ignored; flags and `key=value`
 * parameters first, then the deprecated prefixes (`raw:`, `iscsi:`, `phy:`, ...),
 * then positional parameters filling target, format, vdev, access in order.
 * `target=` swallows the rest of the string. A parameter may be given once; an empty
 * value counts as not given. Afterwards: format defaults to raw, a cdrom is removable
 * and read-only (format empty without a target), and a vdev is mandatory.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/cfg/domcfg.h"

struct dpc {
	struct dom_disk *d;
	bool had_depr_prefix, access_set;
	char *msg;
	size_t msgsz;
	int err;
};

static void derr(struct dpc *p, const char *what, const char *reason)
{
	if (p->err)
		return;
	snprintf(p->msg, p->msgsz, "%s%s%s%s", reason, what ? " `" : "", what ? what : "",
		 what ? "'" : "");
	p->err = -EINVAL;
}

static void savestring(struct dpc *p, const char *name, char **slot, const char *val)
{
	char buf[64];

	if (*slot && **slot) {
		snprintf(buf, sizeof(buf), "%s respecified", name);
		derr(p, val, buf);
		return;
	}
	free(*slot);
	*slot = strdup(val);
	if (!*slot && !p->err) {
		snprintf(p->msg, p->msgsz, "out of memory");
		p->err = -ENOMEM;
	}
}

static const char *const format_names[] = {
	[DISK_FORMAT_RAW] = "raw",	   [DISK_FORMAT_QCOW] = "qcow",
	[DISK_FORMAT_QCOW2] = "qcow2",	   [DISK_FORMAT_VHD] = "vhd",
	[DISK_FORMAT_QED] = "qed",	   [DISK_FORMAT_EMPTY] = "empty",
	[DISK_FORMAT_UNKNOWN] = "unknown",
};

const char *domcfg_disk_format_name(enum disk_format f)
{
	return format_names[f];
}

static void setformat(struct dpc *p, const char *s)
{
	enum disk_format f = DISK_FORMAT_UNKNOWN;

	if (!*s)
		f = DISK_FORMAT_RAW;
	for (int i = 0; i < DISK_FORMAT_UNKNOWN && f == DISK_FORMAT_UNKNOWN; i++)
		if (!strcmp(s, format_names[i]))
			f = (enum disk_format)i;
	if (f == DISK_FORMAT_UNKNOWN)
		return derr(p, s, "unknown value for format");
	if (p->d->format != DISK_FORMAT_UNKNOWN && p->d->format != f)
		return derr(p, s, "format respecified");
	p->d->format = f;
}

static void setaccess(struct dpc *p, const char *s)
{
	if (!strcmp(s, "r") || !strcmp(s, "ro"))
		p->d->readwrite = false;
	else if (!strcmp(s, "rw") || !strcmp(s, "w") || !*s)
		p->d->readwrite = true;
	else
		derr(p, s, "unknown value for access");
}

static void setbackendtype(struct dpc *p, const char *s)
{
	static const char *const n[] = { [DISK_BACKEND_PHY] = "phy",
					 [DISK_BACKEND_TAP] = "tap",
					 [DISK_BACKEND_QDISK] = "qdisk",
					 [DISK_BACKEND_STANDALONE] = "standalone" };
	for (int i = DISK_BACKEND_PHY; i <= DISK_BACKEND_STANDALONE; i++) {
		if (strcmp(s, n[i]))
			continue;
		if (p->d->backend != DISK_BACKEND_UNKNOWN && p->d->backend != (enum disk_backend)i)
			return derr(p, s, "backend respecified");
		p->d->backend = (enum disk_backend)i;
		return;
	}
	derr(p, s, "unknown value for backendtype");
}

/* "<vdev>:<devtype>" (deprecated): 1 when it was that form. */
static int vdev_and_devtype(struct dpc *p, char *s)
{
	char *colon = strrchr(s, ':');

	if (!colon)
		return 0;
	*colon++ = 0;
	savestring(p, "vdev", &p->d->vdev, s);
	if (!strcmp(colon, "cdrom"))
		p->d->is_cdrom = true;
	else if (!strcmp(colon, "disk"))
		p->d->is_cdrom = false;
	else
		derr(p, colon, "unknown deprecated type");
	return 1;
}

static void positional(struct dpc *p, char *s)
{
	struct dom_disk *d = p->d;

	if (!d->pdev_path) {
		savestring(p, "target", &d->pdev_path, s);
	} else if (!p->had_depr_prefix && d->format == DISK_FORMAT_UNKNOWN) {
		if (!*d->pdev_path && vdev_and_devtype(p, s))
			d->format = DISK_FORMAT_EMPTY;
		else
			setformat(p, s);
	} else if (!d->vdev) {
		if (!vdev_and_devtype(p, s))
			savestring(p, "vdev", &d->vdev, s);
	} else if (!p->access_set) {
		p->access_set = true;
		setaccess(p, s);
	} else {
		derr(p, s, "too many positional parameters");
	}
}

/* `name` flag (exact) or `name=value`; returns the value or NULL. */
static const char *kv(const char *tok, const char *name)
{
	size_t n = strlen(name);

	return strncmp(tok, name, n) || tok[n] != '=' ? NULL : tok + n + 1;
}

/* A flag or key=value parameter; 0 when tok is neither (then positional). */
static int named(struct dpc *p, char *tok)
{
	struct dom_disk *d = p->d;
	const char *v;

	if (!strcmp(tok, "cdrom") || !strcmp(tok, "devtype=cdrom"))
		d->is_cdrom = true;
	else if (!strcmp(tok, "devtype=disk"))
		d->is_cdrom = false;
	else if ((v = kv(tok, "devtype")))
		derr(p, v, "unknown value for type");
	else if ((v = kv(tok, "format")))
		setformat(p, v);
	else if ((v = kv(tok, "access")))
		setaccess(p, v);
	else if ((v = kv(tok, "backend")))
		savestring(p, "backend", &d->backend_domname, v);
	else if ((v = kv(tok, "backendtype")))
		setbackendtype(p, v);
	else if ((v = kv(tok, "specification"))) {
		if (!strcmp(v, "virtio"))
			d->virtio = true;
		else if (!strcmp(v, "xen"))
			d->virtio = false;
		else
			derr(p, v, "unknown value for specification");
	} else if ((v = kv(tok, "vdev")))
		savestring(p, "vdev", &d->vdev, v);
	else if ((v = kv(tok, "script")))
		savestring(p, "script", &d->script, v);
	else if (!strcmp(tok, "direct-io-safe"))
		d->direct_io_safe = true;
	else if (!strcmp(tok, "discard") || !strcmp(tok, "no-discard"))
		d->discard = tok[0] == 'd' ? TRI_TRUE : TRI_FALSE;
	else if (!strcmp(tok, "trusted") || !strcmp(tok, "untrusted"))
		d->trusted = tok[0] == 't' ? TRI_TRUE : TRI_FALSE;
	else if (!strcmp(tok, "grant_usage=1") || !strcmp(tok, "grant_usage=0"))
		d->grant_usage = tok[12] == '1' ? TRI_TRUE : TRI_FALSE;
	else if (!strcmp(tok, "colo") || !strcmp(tok, "no-colo") || kv(tok, "colo-host") ||
		 kv(tok, "colo-port") || kv(tok, "colo-export") || kv(tok, "active-disk") ||
		 kv(tok, "hidden-disk"))
		derr(p, tok, "COLO disk replication is not supported by xenkvm:");
	else if (strchr(tok, '=') && tok[0] >= 'a' && tok[0] <= 'z' &&
		 strspn(tok, "abcdefghijklmnopqrstuvwxyz0123456789-") ==
			 (size_t)(strchr(tok, '=') - tok))
		derr(p, tok, "unknown parameter");
	else
		return 0;
	return 1;
}

/* The deprecated prefixes before a parameter; returns how many bytes were eaten. */
static size_t depr_prefix(struct dpc *p, const char *s)
{
	static const char *const formats[] = { "raw", "qcow", "qcow2", "vhd" };
	static const char *const scripts[] = { "iscsi", "nbd", "enbd", "drbd" };
	static const char *const ignored[] = { "tapdisk", "tap",  "tap2", "aio",
					       "ioemu",	  "file", "phy" };
	const char *colon = strchr(s, ':');
	size_t n = colon ? (size_t)(colon - s) : 0;
	char word[16];

	if (!colon || n == 0 || n >= sizeof(word) ||
	    strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789") != n)
		return 0;
	memcpy(word, s, n);
	word[n] = 0;
	for (size_t i = 0; i < sizeof(formats) / sizeof(*formats); i++)
		if (!strcmp(word, formats[i])) {
			p->had_depr_prefix = true;
			setformat(p, word);
			return n + 1;
		}
	for (size_t i = 0; i < sizeof(scripts) / sizeof(*scripts); i++)
		if (!strcmp(word, scripts[i])) {
			char sc[32];

			p->had_depr_prefix = true;
			snprintf(sc, sizeof(sc), "block-%s", word);
			savestring(p, "script", &p->d->script, sc);
			return n + 1;
		}
	for (size_t i = 0; i < sizeof(ignored) / sizeof(*ignored); i++)
		if (!strcmp(word, ignored[i])) {
			p->had_depr_prefix = true;
			return n + 1;
		}
	/* libxlu: a lower-case word, a colon, then anything but [a-z0-9] is a prefix. */
	if (colon[1] == 0 || !strchr("abcdefghijklmnopqrstuvwxyz0123456789", colon[1])) {
		derr(p, word, "unknown deprecated disk prefix");
		return n + 1;
	}
	return 0;
}

static void parse_params(struct dpc *p, char *s)
{
	while (*s && !p->err) {
		char *comma, *tok;
		size_t eaten;

		s += strspn(s, " \t\n");
		if (!*s)
			break;
		if (!strncmp(s, "target=", 7)) {
			savestring(p, "target", &p->d->pdev_path, s + 7);
			break;
		}
		eaten = depr_prefix(p, s);
		if (eaten) {
			s += eaten;
			continue;
		}
		tok = s;
		comma = strchr(s, ',');
		if (comma) {
			*comma = 0;
			s = comma + 1;
		} else {
			s += strlen(s);
		}
		if (named(p, tok))
			continue;
		if (strchr(tok, '='))
			derr(p, tok, "bad disk syntax");
		else
			positional(p, tok);
	}
}

int domcfg_parse_disk(const char *spec, struct dom_disk *d, char *msg, size_t msgsz)
{
	struct dpc p = { .d = d, .msg = msg, .msgsz = msgsz };
	char *copy = strdup(spec);

	memset(d, 0, sizeof(*d));
	d->format = DISK_FORMAT_UNKNOWN;
	d->readwrite = true;
	if (!copy)
		return -ENOMEM;
	parse_params(&p, copy);
	free(copy);
	if (p.err)
		goto fail;
	if (d->format == DISK_FORMAT_UNKNOWN)
		d->format = DISK_FORMAT_RAW;
	if (d->is_cdrom) {
		d->removable = true;
		d->readwrite = false;
		if (!d->pdev_path || !*d->pdev_path)
			d->format = DISK_FORMAT_EMPTY;
	}
	if (!d->vdev) {
		derr(&p, NULL, "no vdev specified");
		goto fail;
	}
	if (!d->pdev_path && !d->removable) {
		derr(&p, NULL, "no target specified (and device not removable)");
		goto fail;
	}
	return 0;
fail:
	domcfg_disk_free(d);
	return p.err;
}

void domcfg_disk_free(struct dom_disk *d)
{
	free(d->pdev_path);
	free(d->vdev);
	free(d->script);
	free(d->backend_domname);
	memset(d, 0, sizeof(*d));
}
