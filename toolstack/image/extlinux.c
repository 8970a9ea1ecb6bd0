// SPDX-License-Identifier: GPL-2.0
/*
 * extlinux.conf (syslinux's config, keywords case-insensitive): LABEL starts an entry,
 * KERNEL or LINUX its kernel, APPEND its command line (an initrd= in it names the initrds
 * when no INITRD line does), INITRD a comma-separated list, MENU LABEL its title,
 * DEFAULT the label booted (or MENU DEFAULT inside an entry). Relative paths are relative
 * to the directory of the config file, syslinux's working directory.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "toolstack/image/errmsg.h"
#include "toolstack/image/menu.h"

#define LABEL_MAX 256

struct ext {
	struct boot_menu *m;
	struct menu_entry *e;
	char labels[MENU_MAX_ENTRIES][LABEL_MAX];
	char dflt[LABEL_MAX];
	int menu_default;
	char dir[512];
	char *err;
	size_t errlen;
};

static char *abs_path(struct ext *x, const char *p)
{
	char *s;

	if (p[0] == '/')
		return strdup(p);
	if (asprintf(&s, "%s/%s", strcmp(x->dir, "/") ? x->dir : "", p) < 0)
		return NULL;
	return s;
}

static int add_initrds(struct ext *x, const char *list, int line)
{
	struct menu_entry *e = x->e;
	char *copy = strdup(list), *save = NULL;
	int rc = 0;

	if (!copy)
		return img_err(x->err, x->errlen, -ENOMEM, "out of memory");
	for (unsigned int i = 0; i < e->nr_initrd; i++)
		free(e->initrd[i]);
	e->nr_initrd = 0;
	for (char *p = strtok_r(copy, ",", &save); p && !rc; p = strtok_r(NULL, ",", &save)) {
		if (e->nr_initrd == MENU_MAX_INITRDS)
			rc = img_err(x->err, x->errlen, -E2BIG, "line %d: more than %d initrds",
				     line, MENU_MAX_INITRDS);
		else if (!(e->initrd[e->nr_initrd++] = abs_path(x, p)))
			rc = img_err(x->err, x->errlen, -ENOMEM, "out of memory");
	}
	free(copy);
	return rc;
}

static int set_str(struct ext *x, char **field, char *val)
{
	free(*field);
	*field = val;
	return val ? 0 : img_err(x->err, x->errlen, -ENOMEM, "out of memory");
}

static int keyword(struct ext *x, const char *kw, char *arg, int line)
{
	int rc;

	if (!strcasecmp(kw, "default")) {
		snprintf(x->dflt, sizeof(x->dflt), "%s", arg);
		return 0;
	}
	if (!strcasecmp(kw, "label")) {
		rc = menu_add_entry(x->m, &x->e, x->err, x->errlen);
		if (rc)
			return rc;
		snprintf(x->labels[x->m->nr - 1], LABEL_MAX, "%s", arg);
		return set_str(x, &x->e->title, strdup(arg));
	}
	if (!x->e)
		return 0; /* UI, PROMPT, TIMEOUT, MENU TITLE... */
	if (!strcasecmp(kw, "kernel") || !strcasecmp(kw, "linux"))
		return set_str(x, &x->e->kernel, abs_path(x, arg));
	if (!strcasecmp(kw, "initrd"))
		return add_initrds(x, arg, line);
	if (!strcasecmp(kw, "append")) {
		if (!strcmp(arg, "-"))
			arg = "";
		return set_str(x, &x->e->args, strdup(arg));
	}
	if (!strcasecmp(kw, "menu")) {
		if (!strncasecmp(arg, "label", 5) && (!arg[5] || isspace((unsigned char)arg[5]))) {
			arg += 5;
			while (isspace((unsigned char)*arg))
				arg++;
			return set_str(x, &x->e->title, strdup(arg));
		}
		if (!strcasecmp(arg, "default"))
			x->menu_default = x->m->nr - 1;
	}
	return 0;
}

/* initrd= in APPEND names the initrds when no INITRD line did (syslinux loads them). */
static int initrd_from_append(struct ext *x, struct menu_entry *e)
{
	for (const char *p = e->args; p && *p;) {
		size_t n = strcspn(p, " ");

		if (n > 7 && !strncmp(p, "initrd=", 7)) {
			char list[1024];
			struct menu_entry *saved = x->e;
			int rc;

			snprintf(list, sizeof(list), "%.*s", (int)(n - 7), p + 7);
			x->e = e;
			rc = add_initrds(x, list, 0);
			x->e = saved;
			return rc;
		}
		p += n;
		p += strspn(p, " ");
	}
	return 0;
}

static int finish(struct ext *x)
{
	struct boot_menu *m = x->m;
	int rc = 0;

	if (!m->nr)
		return img_err(x->err, x->errlen, -ENOENT, "no LABEL entry");
	m->dflt = 0;
	if (x->menu_default >= 0) {
		m->dflt = x->menu_default;
	} else if (x->dflt[0]) {
		m->dflt_fallback = true;
		for (unsigned int i = 0; i < m->nr; i++)
			if (!strcmp(x->labels[i], x->dflt)) {
				m->dflt = i;
				m->dflt_fallback = false;
			}
	}
	for (unsigned int i = 0; i < m->nr && !rc; i++) {
		struct menu_entry *e = &m->entries[i];

		if (!e->args && !(e->args = strdup("")))
			return img_err(x->err, x->errlen, -ENOMEM, "out of memory");
		if (!e->nr_initrd)
			rc = initrd_from_append(x, e);
	}
	return rc;
}

int menu_parse_extlinux(const char *text, size_t len, const char *path, struct boot_menu *m,
			char *err, size_t errlen)
{
	struct ext *x = calloc(1, sizeof(*x));
	const char *slash = strrchr(path, '/');
	char *copy = strndup(text, len), *cursor = copy, *kw;
	int line = 0, rc = 0;

	memset(m, 0, sizeof(*m));
	m->format = "extlinux";
	if (!x || !copy) {
		free(x);
		free(copy);
		return img_err(err, errlen, -ENOMEM, "out of memory");
	}
	*x = (struct ext){ .m = m, .menu_default = -1, .err = err, .errlen = errlen };
	snprintf(x->dir, sizeof(x->dir), "%.*s", slash && slash != path ? (int)(slash - path) : 1,
		 path);
	while (!rc && (kw = menu_next_line(&cursor, &line))) {
		char *arg = kw + strcspn(kw, " \t");

		if (*arg) {
			*arg++ = '\0';
			arg += strspn(arg, " \t");
		}
		rc = keyword(x, kw, arg, line);
	}
	if (!rc)
		rc = finish(x);
	free(copy);
	free(x);
	if (rc)
		menu_free(m);
	return rc;
}
