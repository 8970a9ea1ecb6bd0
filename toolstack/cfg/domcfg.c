// SPDX-License-Identifier: GPL-2.0
/*
 * From parsed xl.cfg settings to the typed domain config, with xl's rules
 * (tools/xl/xl_parse.c): numbers through strtol base 0, `type` matched as a prefix,
 * `cmdline` winning over `root`/`extra`, vcpus below 1 meaning 1, maxmem and maxvcpus
 * defaulting to memory and vcpus, memory 32 MiB when absent (libxl's default), a
 * mandatory name. Every key of the file is looked up in keys.c's table: implemented,
 * ignored with a warning, refused, or unknown (warned, as xl silently ignores it).
 */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/cfg/domcfg.h"
#include "toolstack/cfg/keys.h"

#define DOM_MAX_VCPUS 128 /* HVM_MAX_VCPUS */

static const char *const
	type_names[] = { [DOM_TYPE_PV] = "pv", [DOM_TYPE_PVH] = "pvh", [DOM_TYPE_HVM] = "hvm" };
static const char *const action_names[] = {
	[DOM_ACTION_DESTROY] = "destroy",
	[DOM_ACTION_RESTART] = "restart",
	[DOM_ACTION_RENAME_RESTART] = "rename-restart",
	[DOM_ACTION_PRESERVE] = "preserve",
	[DOM_ACTION_COREDUMP_DESTROY] = "coredump-destroy",
	[DOM_ACTION_COREDUMP_RESTART] = "coredump-restart",
	[DOM_ACTION_SOFT_RESET] = "soft-reset",
};

const char *domcfg_type_name(enum dom_type t)
{
	return type_names[t];
}

const char *domcfg_action_name(enum dom_action a)
{
	return action_names[a];
}

int domcfg_action_from_name(const char *s, enum dom_action *a)
{
	for (size_t i = 0; i < sizeof(action_names) / sizeof(*action_names); i++)
		if (!strcmp(s, action_names[i])) {
			*a = (enum dom_action)i;
			return 0;
		}
	return -EINVAL;
}

struct conv {
	const struct cfg_file *cf;
	struct dom_config *dc;
	struct cfg_error *err;
};

static int verror(struct conv *c, const struct cfg_setting *s, const struct cfg_value *v,
		  const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static int verror(struct conv *c, const struct cfg_setting *s, const struct cfg_value *v,
		  const char *fmt, ...)
{
	char msg[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	cfg_error_set(c->err, s->source, v ? v->line : s->line, v ? v->col : s->col, s->key, "%s",
		      msg);
	return -EINVAL;
}

/* The atom of key, or NULL when absent; -EINVAL through *rc when it is a list. */
static const char *atom(struct conv *c, const char *key, const struct cfg_setting **sp, int *rc)
{
	const struct cfg_setting *s = cfg_find(c->cf, key);

	*sp = s;
	if (!s)
		return NULL;
	if (s->value->type != CFG_ATOM) {
		*rc = verror(c, s, s->value, "is a list but should be a single value");
		return NULL;
	}
	return s->value->str;
}

/* A number as xl reads one: strtol base 0, the whole atom, within [min, max]. */
static int number(struct conv *c, const char *key, long min, long max, long *out, bool *set)
{
	const struct cfg_setting *s;
	int rc = 0;
	const char *a = atom(c, key, &s, &rc);
	char *end;
	long n;

	*set = false;
	if (!a)
		return rc;
	errno = 0;
	n = strtol(a, &end, 0);
	if (errno == ERANGE)
		return verror(c, s, s->value, "`%s' could not be parsed as a number: out of range",
			      a);
	if (end == a || *end)
		return verror(c, s, s->value, "`%s' is not a valid number", a);
	if (n < min || n > max)
		return verror(c, s, s->value, "value %ld is out of range [%ld, %ld]", n, min, max);
	*out = n;
	*set = true;
	return 0;
}

static int string(struct conv *c, const char *key, char **out)
{
	const struct cfg_setting *s;
	int rc = 0;
	const char *a = atom(c, key, &s, &rc);

	if (!a)
		return rc;
	*out = strdup(a);
	return *out ? 0 : -ENOMEM;
}

static int conv_type(struct conv *c)
{
	const struct cfg_setting *s, *sb;
	int rc = 0;
	const char *t = atom(c, "type", &s, &rc), *b;
	size_t n;

	c->dc->type = DOM_TYPE_PV; /* xl's default on x86 */
	if (rc)
		return rc;
	if (t) {
		/* xl compares the first strlen(value) characters: "h" is hvm. */
		n = strlen(t);
		if (!strncmp(t, "hvm", n))
			c->dc->type = DOM_TYPE_HVM;
		else if (!strncmp(t, "pv", n))
			c->dc->type = DOM_TYPE_PV;
		else if (!strncmp(t, "pvh", n))
			c->dc->type = DOM_TYPE_PVH;
		else
			return verror(c, s, s->value, "invalid domain type `%s' (pvh, hvm or pv)",
				      t);
	}
	b = atom(c, "builder", &sb, &rc);
	if (rc || !b)
		return rc;
	n = strlen(b);
	enum dom_type bt;

	if (!strncmp(b, "hvm", n))
		bt = DOM_TYPE_HVM;
	else if (!strncmp(b, "generic", n))
		bt = DOM_TYPE_PV;
	else
		return verror(c, sb, sb->value, "invalid builder `%s' (hvm or generic)", b);
	if (t && bt != c->dc->type)
		return verror(c, sb, sb->value, "contradicting \"builder\" and \"type\" options");
	c->dc->type = bt;
	return 0;
}

static int conv_identity(struct conv *c)
{
	struct dom_config *dc = c->dc;
	const struct cfg_setting *s;
	int rc = 0;
	const char *u;

	rc = string(c, "name", &dc->name);
	if (rc)
		return rc;
	if (!dc->name) {
		cfg_error_set(c->err, c->cf->nsources ? c->cf->sources[0] : "", 0, 0, "name",
			      "domain name must be specified");
		return -EINVAL;
	}
	if (!dc->name[0] || strchr(dc->name, '/'))
		return verror(c, cfg_find(c->cf, "name"), cfg_find(c->cf, "name")->value,
			      "`%s' is not a valid domain name", dc->name);
	u = atom(c, "uuid", &s, &rc);
	if (rc)
		return rc;
	if (u) {
		if (domcfg_parse_uuid(u, dc->uuid))
			return verror(c, s, s->value, "failed to parse UUID `%s'", u);
		dc->uuid_set = true;
	}
	return 0;
}

static int conv_cmdline(struct conv *c, FILE *warn)
{
	char *cmd = NULL, *root = NULL, *extra = NULL;
	int rc;

	rc = string(c, "cmdline", &cmd);
	if (!rc)
		rc = string(c, "root", &root);
	if (!rc)
		rc = string(c, "extra", &extra);
	if (rc)
		goto out;
	if (cmd) {
		if ((root || extra) && warn)
			fprintf(warn, "warning: ignoring root= and extra= in favour of cmdline=\n");
		c->dc->cmdline = cmd;
		cmd = NULL;
	} else if (root && extra) {
		if (asprintf(&c->dc->cmdline, "root=%s %s", root, extra) < 0)
			rc = -ENOMEM;
	} else if (root) {
		if (asprintf(&c->dc->cmdline, "root=%s", root) < 0)
			rc = -ENOMEM;
	} else if (extra) {
		c->dc->cmdline = extra;
		extra = NULL;
	}
out:
	free(cmd);
	free(root);
	free(extra);
	return rc;
}

static int conv_memory_vcpus(struct conv *c)
{
	struct dom_config *dc = c->dc;
	long mem = 0, maxmem = 0, vcpus = 1, maxv = 0;
	bool set_mem, set_max, set_v, set_maxv;
	int rc;

	rc = number(c, "memory", 1, 1L << 30, &mem, &set_mem);
	if (!rc)
		rc = number(c, "maxmem", 1, 1L << 30, &maxmem, &set_max);
	if (!rc)
		rc = number(c, "vcpus", 0, DOM_MAX_VCPUS, &vcpus, &set_v);
	if (!rc)
		rc = number(c, "maxvcpus", 1, DOM_MAX_VCPUS, &maxv, &set_maxv);
	if (rc)
		return rc;
	dc->target_memkb = set_mem ? (uint64_t)mem * 1024 : 32 * 1024;
	dc->max_memkb = set_max ? (uint64_t)maxmem * 1024 : dc->target_memkb;
	if (!set_mem && set_max)
		dc->target_memkb = dc->max_memkb;
	if (dc->target_memkb > dc->max_memkb) {
		const struct cfg_setting *s = cfg_find(c->cf, "maxmem");

		return verror(c, s, s->value, "maxmem (%ld MiB) is below memory (%ld MiB)", maxmem,
			      mem);
	}
	dc->vcpus = vcpus < 1 ? 1 : (unsigned)vcpus;
	dc->max_vcpus = set_maxv ? (unsigned)maxv : dc->vcpus;
	if (dc->max_vcpus < dc->vcpus) {
		const struct cfg_setting *s = cfg_find(c->cf, "maxvcpus");

		return verror(c, s, s->value, "maxvcpus < vcpus");
	}
	return 0;
}

static int conv_cpus(struct conv *c)
{
	const struct cfg_setting *s = cfg_find(c->cf, "cpus");
	struct dom_cpus *cp = &c->dc->cpus;
	const struct cfg_value *v;
	char msg[160];

	if (!s)
		return 0;
	v = s->value;
	cp->nmasks = v->type == CFG_ATOM ? 1 : v->n;
	if (!cp->nmasks)
		return verror(c, s, v, "empty list");
	cp->masks = calloc(cp->nmasks, sizeof(*cp->masks));
	if (!cp->masks)
		return -ENOMEM;
	cp->set = true;
	for (size_t i = 0; i < cp->nmasks; i++) {
		const struct cfg_value *item = v->type == CFG_ATOM ? v : v->items[i];

		if (item->type != CFG_ATOM)
			return verror(c, s, item, "a list item is itself a list");
		if (domcfg_parse_cpus(item->str, cp->masks[i], msg, sizeof(msg)))
			return verror(c, s, item, "%s", msg);
	}
	if (v->type == CFG_ATOM) {
		cp->text = strdup(v->str);
		return cp->text ? 0 : -ENOMEM;
	}
	return 0;
}

static int conv_actions(struct conv *c)
{
	static const struct {
		const char *key;
		size_t off;
		enum dom_action def;
	} keys[] = {
		{ "on_poweroff", offsetof(struct dom_config, on_poweroff), DOM_ACTION_DESTROY },
		{ "on_reboot", offsetof(struct dom_config, on_reboot), DOM_ACTION_RESTART },
		{ "on_watchdog", offsetof(struct dom_config, on_watchdog), DOM_ACTION_DESTROY },
		{ "on_crash", offsetof(struct dom_config, on_crash), DOM_ACTION_DESTROY },
	};
	for (size_t i = 0; i < sizeof(keys) / sizeof(*keys); i++) {
		enum dom_action *a = (enum dom_action *)((char *)c->dc + keys[i].off);
		const struct cfg_setting *s;
		int rc = 0;
		const char *name = atom(c, keys[i].key, &s, &rc);

		if (rc)
			return rc;
		*a = keys[i].def;
		if (!name)
			continue;
		if (domcfg_action_from_name(name, a))
			return verror(c, s, s->value, "unknown action `%s'", name);
		if (*a > DOM_ACTION_PRESERVE)
			return verror(c, s, s->value,
				      "action `%s' is not supported by xenkvm (destroy, restart, "
				      "rename-restart, preserve)",
				      name);
	}
	return 0;
}

/* A key whose value must be a list of strings: each handed to fn(item, index). */
static int each_item(struct conv *c, const char *key,
		     int (*fn)(struct conv *, const struct cfg_setting *, const struct cfg_value *,
			       size_t))
{
	const struct cfg_setting *s = cfg_find(c->cf, key);

	if (!s)
		return 0;
	if (s->value->type != CFG_LIST)
		return verror(c, s, s->value, "is a single value but should be a list");
	for (size_t i = 0; i < s->value->n; i++) {
		const struct cfg_value *item = s->value->items[i];
		int rc;

		if (item->type != CFG_ATOM)
			return verror(c, s, item, "item %zu is a list but should be a string", i);
		rc = fn(c, s, item, i);
		if (rc)
			return rc;
	}
	return 0;
}

static int one_disk(struct conv *c, const struct cfg_setting *s, const struct cfg_value *item,
		    size_t i)
{
	struct dom_config *dc = c->dc;
	char msg[200];
	int rc;

	if (i == 0) {
		dc->disks = calloc(s->value->n, sizeof(*dc->disks));
		if (!dc->disks)
			return -ENOMEM;
	}
	rc = domcfg_parse_disk(item->str, &dc->disks[i], msg, sizeof(msg));
	if (rc == -EINVAL)
		return verror(c, s, item, "disk %zu `%s': %s", i, item->str, msg);
	if (rc)
		return rc;
	dc->ndisks = i + 1;
	for (size_t j = 0; j < i; j++)
		if (!strcmp(dc->disks[j].vdev, dc->disks[i].vdev))
			return verror(c, s, item, "disk %zu: vdev `%s' used twice", i,
				      dc->disks[i].vdev);
	return 0;
}

static int one_vif(struct conv *c, const struct cfg_setting *s, const struct cfg_value *item,
		   size_t i)
{
	struct dom_config *dc = c->dc;
	char msg[200];
	int rc;

	if (i == 0) {
		dc->vifs = calloc(s->value->n, sizeof(*dc->vifs));
		if (!dc->vifs)
			return -ENOMEM;
	}
	rc = domcfg_parse_vif(item->str, (int)i, &dc->vifs[i], msg, sizeof(msg));
	if (rc == -EINVAL)
		return verror(c, s, item, "vif %zu `%s': %s", i, item->str, msg);
	if (rc)
		return rc;
	dc->nvifs = i + 1;
	return 0;
}

static int one_serial(struct conv *c, const struct cfg_setting *s, const struct cfg_value *item,
		      size_t i)
{
	struct dom_config *dc = c->dc;

	if (i == 0) {
		/* a single string is one port: the atom has n == 0 */
		dc->serial = calloc(s->value->n ? s->value->n : 1, sizeof(*dc->serial));
		if (!dc->serial)
			return -ENOMEM;
	}
	dc->serial[i] = strdup(item->str);
	if (!dc->serial[i])
		return -ENOMEM;
	dc->nserial = i + 1;
	return 0;
}

static int conv_serial(struct conv *c)
{
	const struct cfg_setting *s = cfg_find(c->cf, "serial");

	if (s && s->value->type == CFG_ATOM)
		return one_serial(c, s, s->value, 0);
	return each_item(c, "serial", one_serial);
}

/* One bootloader argument (a copy) appended to the config's list. */
static int add_bootloader_arg(struct dom_config *dc, const char *a, size_t len)
{
	char **grown = realloc(dc->bootloader_args, (dc->nbootloader_args + 1) * sizeof(*grown));

	if (!grown)
		return -ENOMEM;
	dc->bootloader_args = grown;
	grown[dc->nbootloader_args] = strndup(a, len);
	if (!grown[dc->nbootloader_args])
		return -ENOMEM;
	dc->nbootloader_args++;
	return 0;
}

/* bootloader_args (xl.cfg(5)): a list, or (deprecated, as xl warns) one string split at
 * whitespace; bootargs is xm's name for it. */
static int conv_bootloader_args(struct conv *c, const struct cfg_setting *s, FILE *warn)
{
	const struct cfg_value *v = s->value;
	int rc = 0;

	if (v->type == CFG_LIST) {
		for (size_t i = 0; i < v->n && !rc; i++) {
			if (v->items[i]->type != CFG_ATOM)
				return verror(c, s, v->items[i], "a list item is itself a list");
			rc = add_bootloader_arg(c->dc, v->items[i]->str, strlen(v->items[i]->str));
		}
		return rc;
	}
	if (warn && !strcmp(s->key, "bootloader_args"))
		fprintf(warn, "warning: specifying \"bootloader_args\" as a string is "
			      "deprecated: please use a list of arguments\n");
	for (const char *p = v->str; *p && !rc;) {
		size_t n = strcspn(p, " \t\n");

		if (n)
			rc = add_bootloader_arg(c->dc, p, n);
		p += n;
		p += strspn(p, " \t\n");
	}
	return rc;
}

/* bootloader: pygrub's job (the image's boot menu) is done by xl itself. */
static int conv_bootloader(struct conv *c, FILE *warn)
{
	const struct cfg_setting *s, *args = cfg_find(c->cf, "bootloader_args");
	int rc = 0;
	const char *bl = atom(c, "bootloader", &s, &rc), *base;

	if (rc)
		return rc;
	if (!args)
		args = cfg_find(c->cf, "bootargs");
	if (!bl) {
		if (args)
			return verror(c, args, args->value,
				      "bootloader arguments without a "
				      "bootloader");
		return 0;
	}
	base = strrchr(bl, '/') ? strrchr(bl, '/') + 1 : bl;
	if (strcmp(base, "pygrub"))
		return verror(c, s, s->value,
			      "bootloader `%s' is not supported: xenkvm reads the image's boot "
			      "menu itself for bootloader = \"pygrub\"",
			      bl);
	c->dc->bootloader = strdup(bl);
	if (!c->dc->bootloader)
		return -ENOMEM;
	return args ? conv_bootloader_args(c, args, warn) : 0;
}

/* pvshim, pvshim_path, pvshim_cmdline, pvshim_extra (xl.cfg(5), type = "pvh"). */
static int conv_pvshim(struct conv *c)
{
	struct dom_config *dc = c->dc;
	long v = 0;
	bool set;
	int rc = number(c, "pvshim", 0, 1, &v, &set);

	if (!rc)
		rc = string(c, "pvshim_path", &dc->pvshim_path);
	if (!rc)
		rc = string(c, "pvshim_cmdline", &dc->pvshim_cmdline);
	if (!rc)
		rc = string(c, "pvshim_extra", &dc->pvshim_extra);
	dc->pvshim = v;
	return rc;
}

static int conv_xen_version(struct conv *c)
{
	const struct cfg_setting *s;
	int rc = 0;
	const char *v = atom(c, "xen_version", &s, &rc);
	unsigned maj, min;
	int n = 0;

	if (!v)
		return rc;
	if (sscanf(v, "%u.%u%n", &maj, &min, &n) != 2 || v[n] || maj > 255 || min > 255 ||
	    v[0] < '0' || v[0] > '9')
		return verror(c, s, s->value, "`%s' is not MAJOR.MINOR (as \"4.17\")", v);
	c->dc->xen_major = maj;
	c->dc->xen_minor = min;
	c->dc->xen_version_set = true;
	return 0;
}

int domcfg_from_cfg(const struct cfg_file *cf, struct dom_config *dc, struct cfg_error *err,
		    FILE *warn)
{
	struct conv c = { .cf = cf, .dc = dc, .err = err };
	int rc;

	memset(dc, 0, sizeof(*dc));
	rc = keys_check(cf, err, warn);
	if (!rc)
		rc = conv_type(&c);
	if (!rc)
		rc = conv_identity(&c);
	if (!rc)
		rc = string(&c, "kernel", &dc->kernel);
	if (!rc)
		rc = string(&c, "ramdisk", &dc->ramdisk);
	if (!rc)
		rc = conv_cmdline(&c, warn);
	if (!rc)
		rc = conv_memory_vcpus(&c);
	if (!rc)
		rc = conv_cpus(&c);
	if (!rc)
		rc = conv_actions(&c);
	if (!rc)
		rc = each_item(&c, "disk", one_disk);
	if (!rc)
		rc = each_item(&c, "vif", one_vif);
	if (!rc)
		rc = conv_serial(&c);
	if (!rc)
		rc = conv_xen_version(&c);
	if (!rc)
		rc = conv_bootloader(&c, warn);
	if (!rc)
		rc = conv_pvshim(&c);
	if (rc == -ENOMEM)
		cfg_error_set(err, "", 0, 0, NULL, "out of memory");
	if (rc)
		domcfg_free(dc);
	return rc;
}

void domcfg_free(struct dom_config *dc)
{
	free(dc->name);
	free(dc->kernel);
	free(dc->ramdisk);
	free(dc->cmdline);
	free(dc->cpus.masks);
	free(dc->cpus.text);
	for (size_t i = 0; i < dc->ndisks; i++)
		domcfg_disk_free(&dc->disks[i]);
	free(dc->disks);
	for (size_t i = 0; i < dc->nvifs; i++)
		domcfg_vif_free(&dc->vifs[i]);
	free(dc->vifs);
	for (size_t i = 0; i < dc->nserial; i++)
		free(dc->serial[i]);
	free(dc->serial);
	free(dc->bootloader);
	for (size_t i = 0; i < dc->nbootloader_args; i++)
		free(dc->bootloader_args[i]);
	free(dc->bootloader_args);
	free(dc->pvshim_path);
	free(dc->pvshim_cmdline);
	free(dc->pvshim_extra);
	for (size_t i = 0; i < dc->nmodules; i++)
		free(dc->modules[i]);
	free(dc->modules);
	memset(dc, 0, sizeof(*dc));
}
