// SPDX-License-Identifier: GPL-2.0
/* What the menu parsers share: entries, device prefixes, entry selection, freeing. */
#include <ctype.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/image/errmsg.h"
#include "toolstack/image/menu.h"

char *menu_strdup(const char *s)
{
	return strdup(s ? s : "");
}

char *menu_next_line(char **cursor, int *line)
{
	char *s;

	while ((s = *cursor)) {
		char *nl = strchr(s, '\n'), *end;

		*cursor = nl ? nl + 1 : NULL;
		if (nl)
			*nl = '\0';
		(*line)++;
		while (isspace((unsigned char)*s))
			s++;
		end = s + strlen(s);
		while (end > s && isspace((unsigned char)end[-1]))
			*--end = '\0';
		if (*s && *s != '#')
			return s;
	}
	return NULL;
}

int menu_add_entry(struct boot_menu *m, struct menu_entry **e, char *err, size_t errlen)
{
	if (m->nr == MENU_MAX_ENTRIES)
		return img_err(err, errlen, -E2BIG, "more than %d menu entries", MENU_MAX_ENTRIES);
	*e = &m->entries[m->nr++];
	memset(*e, 0, sizeof(**e));
	(*e)->root_part = MENU_ROOT_SAME;
	return 0;
}

/* "hd0" alone, or "hd0," then a partition: "1", "msdos1", "gpt1" (and BSD labels refused). */
static int parse_device(const char *dev, size_t len, bool legacy)
{
	unsigned long n;
	char *end;

	if (len < 3 || strncmp(dev, "hd0", 3))
		return -1;
	if (len == 3)
		return 0;
	if (dev[3] != ',')
		return -1;
	dev += 4;
	len -= 4;
	if (len >= 5 && !strncmp(dev, "msdos", 5)) {
		dev += 5;
		len -= 5;
	} else if (len >= 3 && !strncmp(dev, "gpt", 3)) {
		dev += 3;
		len -= 3;
	}
	if (!len || !isdigit((unsigned char)dev[0]))
		return -1;
	n = strtoul(dev, &end, 10);
	if ((size_t)(end - dev) != len || n > 4096)
		return -1;
	if (legacy)
		return n + 1;
	return n ? (int)n : -1;
}

const char *menu_strip_device(const char *path, bool legacy, int *part)
{
	const char *close;
	int p;

	if (path[0] != '(')
		return path;
	close = strchr(path, ')');
	if (!close)
		return NULL;
	p = parse_device(path + 1, close - path - 1, legacy);
	if (p < 0)
		return NULL;
	*part = p;
	return close[1] ? close + 1 : "/";
}

int menu_root_part(const char *root, bool legacy)
{
	size_t len = strlen(root);

	if (len >= 2 && root[0] == '(' && root[len - 1] == ')')
		return parse_device(root + 1, len - 2, legacy);
	return parse_device(root, len, legacy);
}

static bool title_matches(const struct menu_entry *e, const char *which)
{
	const char *last = strrchr(e->title, '>');

	return !strcmp(e->title, which) || (last && !strcmp(last + 1, which)) ||
	       (e->id && !strcmp(e->id, which));
}

int menu_select(const struct boot_menu *m, const char *which, unsigned int *index, char *err,
		size_t errlen)
{
	char *end;

	if (!m->nr)
		return img_err(err, errlen, -ENOENT, "the %s menu has no entry", m->format);
	if (!which || !*which) {
		*index = m->dflt;
		return 0;
	}
	if (isdigit((unsigned char)which[0])) {
		unsigned long n = strtoul(which, &end, 10);

		if (*end == '\0') {
			if (n >= m->nr)
				return img_err(err, errlen, -ENOENT,
					       "entry %lu: the menu has entries 0-%u", n,
					       m->nr - 1);
			*index = n;
			return 0;
		}
	}
	for (unsigned int i = 0; i < m->nr; i++)
		if (title_matches(&m->entries[i], which)) {
			*index = i;
			return 0;
		}
	return img_err(err, errlen, -ENOENT, "no menu entry is titled \"%s\"", which);
}

void menu_free(struct boot_menu *m)
{
	for (unsigned int i = 0; i < m->nr; i++) {
		struct menu_entry *e = &m->entries[i];

		free(e->title);
		free(e->id);
		free(e->kernel);
		for (unsigned int j = 0; j < e->nr_initrd; j++)
			free(e->initrd[j]);
		free(e->args);
	}
	m->nr = 0;
}
