// SPDX-License-Identifier: GPL-2.0
/*
 * GRUB legacy's menu.lst (grub.conf), as PV-GRUB and pygrub read it: one command per line,
 * its argument after a space or '='; `title` starts an entry, `root (hd0,N)` names its
 * partition (counted from 0), `kernel PATH ARGS` and `initrd PATH` its files; `default N`
 * (or `saved`, kept in /boot/grub/default) the entry booted. Display commands are ignored.
 */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/image/errmsg.h"
#include "toolstack/image/menu.h"

struct legacy {
	struct boot_menu *m;
	struct menu_entry *e;
	long dflt;
	bool dflt_saved;
	int global_root;
	char *err;
	size_t errlen;
};

/* Splits "cmd=arg" or "cmd arg" in place; returns arg (may be ""). */
static char *split(char *line)
{
	char *p = line;

	while (*p && !isspace((unsigned char)*p) && *p != '=')
		p++;
	if (*p) {
		*p++ = '\0';
		while (*p && (isspace((unsigned char)*p) || *p == '='))
			p++;
	}
	return p;
}

static int set_path(struct legacy *l, char **field, char *arg, int line, const char *what,
		    char **rest)
{
	char *end = arg;
	const char *path;
	int part = l->e->root_part;

	while (*end && !isspace((unsigned char)*end))
		end++;
	if (*end) {
		*end++ = '\0';
		while (isspace((unsigned char)*end))
			end++;
	}
	if (!*arg)
		return img_err(l->err, l->errlen, -EINVAL, "line %d: %s without a path", line,
			       what);
	path = menu_strip_device(arg, true, &part);
	if (!path)
		return img_err(l->err, l->errlen, -EINVAL,
			       "line %d: %s %s is on a device other than the image's disk (hd0)",
			       line, what, arg);
	if (part != l->e->root_part && field != &l->e->kernel)
		return img_err(l->err, l->errlen, -EINVAL,
			       "line %d: initrd %s is on another device than the kernel", line,
			       arg);
	l->e->root_part = part;
	free(*field);
	*field = strdup(path);
	if (rest)
		*rest = end;
	return *field ? 0 : img_err(l->err, l->errlen, -ENOMEM, "out of memory");
}

static int command(struct legacy *l, char *cmd, char *arg, int line)
{
	char *rest;
	int rc;

	if (!strcmp(cmd, "default")) {
		l->dflt_saved = !strcmp(arg, "saved");
		l->dflt = strtol(arg, NULL, 10);
		return 0;
	}
	if (!strcmp(cmd, "title")) {
		rc = menu_add_entry(l->m, &l->e, l->err, l->errlen);
		if (rc)
			return rc;
		l->e->title = strdup(arg);
		l->e->root_part = l->global_root;
		return l->e->title ? 0 : img_err(l->err, l->errlen, -ENOMEM, "out of memory");
	}
	if (!strcmp(cmd, "root") || !strcmp(cmd, "rootnoverify")) {
		int part = menu_root_part(arg, true);

		if (part < 0)
			return img_err(l->err, l->errlen, -EINVAL,
				       "line %d: root %s is not a partition of the image's disk "
				       "(hd0)",
				       line, arg);
		if (l->e)
			l->e->root_part = part;
		else
			l->global_root = part;
		return 0;
	}
	if (!l->e)
		return 0; /* timeout, hiddenmenu, splashimage, password... */
	if (!strcmp(cmd, "kernel")) {
		while (!strncmp(arg, "--", 2)) { /* --type=..., --no-mem-option */
			arg += strcspn(arg, " \t");
			arg += strspn(arg, " \t");
		}
		rc = set_path(l, &l->e->kernel, arg, line, "kernel", &rest);
		if (!rc) {
			free(l->e->args);
			l->e->args = strdup(rest);
			rc = l->e->args ? 0 : img_err(l->err, l->errlen, -ENOMEM, "out of memory");
		}
		return rc;
	}
	if (!strcmp(cmd, "initrd")) {
		/* The last initrd line counts: set_path replaces initrd[0]. */
		rc = set_path(l, &l->e->initrd[0], arg, line, "initrd", NULL);
		if (!rc)
			l->e->nr_initrd = 1;
		return rc;
	}
	return 0;
}

int menu_parse_grub_legacy(const char *text, size_t len, const char *path,
			   const struct menu_files *f, struct boot_menu *m, char *err,
			   size_t errlen)
{
	struct legacy l = { m, NULL, 0, false, MENU_ROOT_SAME, err, errlen };
	char *copy = strndup(text, len), *cursor = copy, *s;
	int line = 0, rc = 0;

	memset(m, 0, sizeof(*m));
	m->format = "GRUB legacy";
	if (!copy)
		return img_err(err, errlen, -ENOMEM, "out of memory");
	while (!rc && (s = menu_next_line(&cursor, &line))) {
		char *cmd = s, *arg = split(s);

		rc = command(&l, cmd, arg, line);
	}
	free(copy);
	if (!rc && !m->nr)
		rc = img_err(err, errlen, -ENOENT, "no title entry");
	if (rc) {
		menu_free(m);
		return rc;
	}
	if (l.dflt_saved && f && f->read) {
		/* GRUB legacy's savedefault keeps the entry number in /boot/grub/default. */
		uint8_t *saved;
		size_t slen;

		l.dflt = 0;
		if (!f->read(f->ctx, "/boot/grub/default", 4096, &saved, &slen)) {
			l.dflt = strtol((char *)saved, NULL, 10);
			free(saved);
		}
	}
	m->dflt_fallback = l.dflt < 0 || l.dflt >= (long)m->nr;
	m->dflt = m->dflt_fallback ? 0 : l.dflt;
	for (unsigned int i = 0; i < m->nr; i++)
		if (!m->entries[i].args && !(m->entries[i].args = strdup(""))) {
			menu_free(m);
			return img_err(err, errlen, -ENOMEM, "out of memory");
		}
	(void)path;
	return 0;
}
