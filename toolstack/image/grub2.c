// SPDX-License-Identifier: GPL-2.0
/*
 * GRUB 2's grub.cfg run the way GRUB runs it before showing the menu: top-level commands
 * in order (set, load_env, if), menuentry and submenu registering entries, then the
 * `default` variable choosing one (an index, an id or a title per level, levels joined
 * by '>', as GRUB's menu code resolves it; no match means entry 0). Each entry's body runs
 * when it is booted, so it sees the variables as the whole file left them; we run every
 * body that way to list the entries. Commands a menu uses only for display or hardware
 * (insmod, terminal, gfxmode, search, echo...) are ignored.
 */
#include <ctype.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/image/errmsg.h"
#include "toolstack/image/grub2_bls.h"
#include "toolstack/image/grub2_env.h"
#include "toolstack/image/grub2_script.h"
#include "toolstack/image/menu.h"

#define GRUBENV_MAX 4096
#define GRUB_MAX_ITEMS (2 * MENU_MAX_ENTRIES)

/* A menu item as GRUB's menu holds it: an entry or a submenu, under a parent. */
struct gitem {
	char *title, *id;
	int parent; /* item index, -1 for the top level */
	int leaf; /* index in the boot_menu, -1 for a submenu */
};

struct grub {
	struct genv env;
	const struct menu_files *files;
	struct boot_menu *m;
	struct gitem items[GRUB_MAX_ITEMS];
	unsigned int nr_items;
	int parent;
	const struct glist *bodies[MENU_MAX_ENTRIES];
	/* The menu entries blscfg made, as scripts like the ones its module writes. */
	struct bls_body {
		char *src;
		struct gscript s;
	} * *bls; /* each allocated alone: bodies[] points into them */
	unsigned int nr_bls;
	struct menu_entry *entry; /* while running an entry's body */
	int line; /* of the command running, for errors */
	char *err;
	size_t errlen;
};

/* An environment or expansion error (-ENOMEM, -E2BIG) as a message. */
static int env_error(struct grub *g, int rc)
{
	if (rc == -E2BIG)
		return img_err(g->err, g->errlen, rc,
			       "line %d: more than %d variables or a word longer than %d bytes",
			       g->line, GRUB_MAX_VARS, GRUB_MAX_WORD);
	return rc ? img_err(g->err, g->errlen, rc, "out of memory") : 0;
}

static int env_set(struct grub *g, const char *name, const char *val)
{
	return env_error(g, genv_set(&g->env, name, val));
}

static int assign(struct grub *g, const char *arg)
{
	return env_error(g, genv_assign(&g->env, arg));
}

/* Expands the words of a command into a NULL-terminated argv (freed by free_argv), an
 * unquoted $var's value split into words as GRUB's shell splits it. */
static int expand_argv(struct grub *g, const struct gnode *n, char ***argv)
{
	char **v = NULL;
	unsigned int nv = 0;
	int rc = 0;

	g->line = n->line;
	for (unsigned int i = 0; i < n->nw && !rc; i++) {
		char **f, **grown;
		unsigned int nf;

		rc = grub2_expand_fields(&g->env, &n->words[i], &f, &nf);
		if (rc)
			break;
		grown = realloc(v, (nv + nf + 1) * sizeof(*v));
		if (!grown) {
			for (unsigned int j = 0; j < nf; j++)
				free(f[j]);
			free(f);
			rc = -ENOMEM;
			break;
		}
		v = grown;
		memcpy(v + nv, f, nf * sizeof(*f));
		nv += nf;
		v[nv] = NULL;
		free(f);
	}
	if (!rc && !v && !(v = calloc(1, sizeof(*v))))
		rc = -ENOMEM;
	if (rc) {
		for (unsigned int i = 0; i < nv; i++)
			free(v[i]);
		free(v);
		v = NULL;
	}
	*argv = v;
	return env_error(g, rc);
}

static void free_argv(char **argv)
{
	for (char **a = argv; a && *a; a++)
		free(*a);
	free(argv);
}

/* Reads a file the menu names (device prefix dropped: the menu's own filesystem). */
static int files_read(struct grub *g, const char *path, uint64_t max, uint8_t **data, size_t *len)
{
	int part = MENU_ROOT_SAME;
	const char *p = menu_strip_device(path, false, &part);

	if (!p || !g->files || !g->files->read)
		return -ENOENT;
	return g->files->read(g->files->ctx, p, max, data, len);
}

/* A grubenv block: "# GRUB Environment Block" then name=value lines, '#' padding. */
static int load_env(struct grub *g, char **argv)
{
	char path[512];
	const char *file = NULL;
	uint8_t *data;
	size_t len;
	int rc, first_var = 1;

	for (; argv[first_var]; first_var++) {
		if (!strcmp(argv[first_var], "-f") && argv[first_var + 1])
			file = argv[++first_var];
		else if (!strncmp(argv[first_var], "--file=", 7))
			file = argv[first_var] + 7;
		else if (argv[first_var][0] != '-')
			break;
	}
	if (!file) {
		snprintf(path, sizeof(path), "%s/grubenv", genv_get(&g->env, "prefix", 6));
		file = path;
	}
	rc = files_read(g, file, GRUBENV_MAX, &data, &len);
	if (rc)
		return 0; /* GRUB goes on without it (error printed, menu still shown) */
	for (char *line = (char *)data, *next; line && *line; line = next) {
		next = strchr(line, '\n');
		if (next)
			*next++ = '\0';
		if (line[0] == '#' || !strchr(line, '='))
			continue;
		if (argv[first_var]) {
			bool wanted = false;
			size_t nlen = strchr(line, '=') - line;

			for (int i = first_var; argv[i]; i++)
				wanted |= strlen(argv[i]) == nlen && !strncmp(argv[i], line, nlen);
			if (!wanted)
				continue;
		}
		rc = assign(g, line);
		if (rc)
			break;
	}
	free(data);
	return rc;
}

/* -s: exists with data; -f, -e: exists. A max of 0 makes the reader refuse a file with
 * data (-EFBIG), which answers both without reading it. */
static bool file_test(struct grub *g, const char *path, bool need_data)
{
	uint8_t *data;
	size_t len;
	int rc = files_read(g, path, 0, &data, &len);

	if (!rc) {
		free(data);
		return !need_data;
	}
	return rc == -EFBIG;
}

/* test / [ ... ]: the forms grub.cfg files use; anything else is false. */
static bool eval_test(struct grub *g, char **a, int n);

/* EXPR -o EXPR and EXPR -a EXPR, -a binding tighter, as GRUB's test evaluates them. */
static bool eval_connected(struct grub *g, char **a, int n, bool *done)
{
	*done = true;
	for (int i = 0; i < n; i++)
		if (!strcmp(a[i], "-o"))
			return eval_test(g, a, i) || eval_test(g, a + i + 1, n - i - 1);
	for (int i = 0; i < n; i++)
		if (!strcmp(a[i], "-a"))
			return eval_test(g, a, i) && eval_test(g, a + i + 1, n - i - 1);
	*done = false;
	return false;
}

static bool eval_test(struct grub *g, char **a, int n)
{
	bool done, v = eval_connected(g, a, n, &done);

	if (done)
		return v;
	if (n > 0 && !strcmp(a[0], "!"))
		return !eval_test(g, a + 1, n - 1);
	if (n == 0)
		return false;
	if (n == 1)
		return a[0][0] != '\0';
	if (n == 2 && !strcmp(a[0], "-n"))
		return a[1][0] != '\0';
	if (n == 2 && !strcmp(a[0], "-z"))
		return a[1][0] == '\0';
	if (n == 2 && (!strcmp(a[0], "-s") || !strcmp(a[0], "-f") || !strcmp(a[0], "-e")))
		return file_test(g, a[1], !strcmp(a[0], "-s"));
	if (n == 3 && (!strcmp(a[1], "=") || !strcmp(a[1], "==")))
		return !strcmp(a[0], a[2]);
	if (n == 3 && !strcmp(a[1], "!="))
		return strcmp(a[0], a[2]) != 0;
	return false;
}

static int run_list(struct grub *g, const struct glist *l, bool *status);

static int run_cmd(struct grub *g, char **argv, int argc, int line, bool *status);

static int run_if(struct grub *g, const struct gnode *n, bool *status)
{
	bool cond = false;
	int rc = run_list(g, &n->cond, &cond);

	if (rc)
		return rc;
	return run_list(g, cond ? &n->body : &n->els, status);
}

/* The title and --id of a menuentry/submenu line (argv[0] is the keyword). */
static void entry_words(char **argv, const char **title, const char **id)
{
	*title = NULL;
	*id = NULL;
	for (int i = 1; argv[i]; i++) {
		if (!strcmp(argv[i], "--id") && argv[i + 1])
			*id = argv[++i];
		else if (!strncmp(argv[i], "--id=", 5))
			*id = argv[i] + 5;
		else if ((!strcmp(argv[i], "--class") || !strcmp(argv[i], "--users") ||
			  !strcmp(argv[i], "--hotkey") || !strcmp(argv[i], "--source")) &&
			 argv[i + 1])
			i++;
		else if (argv[i][0] == '-' && argv[i][1] == '-')
			continue;
		else if (!*title)
			*title = argv[i];
	}
}

static int add_named_item(struct grub *g, const char *title, const char *id, int line,
			  struct gitem **it)
{
	if (g->nr_items == GRUB_MAX_ITEMS)
		return img_err(g->err, g->errlen, -E2BIG, "line %d: more than %d menu items", line,
			       GRUB_MAX_ITEMS);
	*it = &g->items[g->nr_items++];
	**it = (struct gitem){ strdup(title), id ? strdup(id) : NULL, g->parent, -1 };
	if (!(*it)->title || (id && !(*it)->id))
		return img_err(g->err, g->errlen, -ENOMEM, "out of memory");
	return 0;
}

static int add_item(struct grub *g, const struct gnode *n, struct gitem **it)
{
	const char *title, *id;
	char **argv;
	int rc = expand_argv(g, n, &argv);

	if (rc)
		return rc;
	entry_words(argv, &title, &id);
	if (!title)
		rc = img_err(g->err, g->errlen, -EINVAL, "line %d: %s without a title", n->line,
			     argv[0]);
	else
		rc = add_named_item(g, title, id, n->line, it);
	free_argv(argv);
	return rc;
}

/* The full title: the submenus' titles and this one joined by '>'. */
static char *item_path(const struct grub *g, int i)
{
	const struct gitem *it = &g->items[i];
	char *parent, *s;

	if (it->parent < 0)
		return strdup(it->title);
	parent = item_path(g, it->parent);
	if (!parent || asprintf(&s, "%s>%s", parent, it->title) < 0)
		s = NULL;
	free(parent);
	return s;
}

/* The menu entry of item it, whose body (run when it boots) is body. */
static int add_leaf(struct grub *g, struct gitem *it, const struct glist *body)
{
	struct menu_entry *e;
	int rc = menu_add_entry(g->m, &e, g->err, g->errlen);

	if (rc)
		return rc;
	it->leaf = g->m->nr - 1;
	g->bodies[it->leaf] = body;
	e->title = item_path(g, it - g->items);
	e->id = it->id ? strdup(it->id) : NULL;
	if (!e->title || (it->id && !e->id))
		return img_err(g->err, g->errlen, -ENOMEM, "out of memory");
	return 0;
}

static int add_menuentry(struct grub *g, const struct gnode *n)
{
	struct gitem *it;
	int rc = add_item(g, n, &it);

	return rc ? rc : add_leaf(g, it, &n->body);
}

/*
 * One BLS entry as blscfg adds it: a menu item titled by `title` (else the kernel path),
 * with the file's name as its id, whose body is what the module writes: `linux
 * ($root)KERNEL OPTIONS` and `initrd ($root)INITRD...`, run by GRUB's shell when it boots
 * (so $kernelopts and the like expand then, and the words are joined by single spaces).
 */
static int add_bls_entry(struct grub *g, const struct bls_entry *b)
{
	const char *dev = *genv_get(&g->env, "root", 4) ? "($root)" : "";
	struct bls_body **grown, *body;
	char perr[256];
	struct gitem *it;
	size_t used;
	FILE *src;
	int rc;

	grown = realloc(g->bls, (g->nr_bls + 1) * sizeof(*g->bls));
	if (grown)
		g->bls = grown;
	body = grown ? calloc(1, sizeof(*body)) : NULL;
	src = body ? open_memstream(&body->src, &used) : NULL;
	if (!src) {
		free(body);
		return img_err(g->err, g->errlen, -ENOMEM, "out of memory");
	}
	g->bls[g->nr_bls++] = body;
	fprintf(src, "linux %s%s %s\n", dev, b->kernel,
		b->options ? b->options : "$default_kernelopts");
	if (b->nr_initrd)
		fprintf(src, "initrd");
	for (unsigned int i = 0; i < b->nr_initrd; i++)
		fprintf(src, " %s%s", dev, b->initrd[i]);
	fputs(b->nr_initrd ? "\n" : "", src);
	if (fclose(src))
		return img_err(g->err, g->errlen, -ENOMEM, "out of memory");
	rc = grub2_script_parse(body->src, used, &body->s, perr, sizeof(perr));
	if (rc)
		return img_err(g->err, g->errlen, rc, "BLS entry %s: %s", b->id, perr);
	rc = add_named_item(g, b->title ? b->title : b->kernel, b->id, g->line, &it);
	return rc ? rc : add_leaf(g, it, &body->s.top);
}

/* blscfg: the entries of $blsdir (else /loader/entries, /boot/loader/entries) here. */
static int add_bls(struct grub *g)
{
	const char *dir = genv_get(&g->env, "blsdir", 6);
	struct bls_entry *v;
	unsigned int nr;
	char berr[256];
	int rc = bls_read_entries(g->files, *dir ? dir : NULL, &v, &nr, berr, sizeof(berr));

	if (rc)
		return img_err(g->err, g->errlen, rc, "line %d: blscfg: %s", g->line, berr);
	for (unsigned int i = 0; i < nr && !rc; i++)
		rc = add_bls_entry(g, &v[i]);
	bls_free_entries(v, nr);
	return rc;
}

static int add_submenu(struct grub *g, const struct gnode *n)
{
	struct gitem *it;
	int saved = g->parent, rc = add_item(g, n, &it);
	bool status;

	if (rc)
		return rc;
	g->parent = it - g->items;
	rc = run_list(g, &n->body, &status);
	g->parent = saved;
	return rc;
}

static int run_node(struct grub *g, const struct gnode *n, bool *status)
{
	char **argv;
	int rc, argc = 0;

	switch (n->kind) {
	case GN_IF:
		return run_if(g, n, status);
	case GN_MENUENTRY:
		*status = true;
		return g->entry ? 0 : add_menuentry(g, n);
	case GN_SUBMENU:
		*status = true;
		return g->entry ? 0 : add_submenu(g, n);
	case GN_SKIP:
		*status = true;
		return 0;
	case GN_CMD:
		break;
	}
	rc = expand_argv(g, n, &argv);
	if (rc)
		return rc;
	while (argv[argc])
		argc++;
	rc = argc ? run_cmd(g, argv, argc, n->line, status) : 0;
	free_argv(argv);
	return rc;
}

static int run_list(struct grub *g, const struct glist *l, bool *status)
{
	*status = true;
	for (unsigned int i = 0; i < l->n; i++) {
		int rc = run_node(g, l->v[i], status);

		if (rc)
			return rc;
	}
	return 0;
}

/* The command line: the words after the kernel path, joined by spaces. */
static int set_linux(struct grub *g, char **argv, int argc, int line)
{
	struct menu_entry *e = g->entry;
	size_t len = 1;
	const char *path;
	char *args;

	if (argc < 2)
		return img_err(g->err, g->errlen, -EINVAL, "line %d: %s without a kernel", line,
			       argv[0]);
	path = menu_strip_device(argv[1], false, &e->root_part);
	if (!path)
		return img_err(g->err, g->errlen, -EINVAL,
			       "line %d: kernel %s is on a device other than the image's disk "
			       "(hd0)",
			       line, argv[1]);
	for (int i = 2; i < argc; i++)
		len += strlen(argv[i]) + 1;
	args = calloc(1, len);
	if (!args)
		return img_err(g->err, g->errlen, -ENOMEM, "out of memory");
	for (int i = 2; i < argc; i++) {
		if (i > 2)
			strcat(args, " ");
		strcat(args, argv[i]);
	}
	free(e->kernel);
	free(e->args);
	e->kernel = strdup(path);
	e->args = args;
	return e->kernel ? 0 : img_err(g->err, g->errlen, -ENOMEM, "out of memory");
}

static int set_initrd(struct grub *g, char **argv, int argc, int line)
{
	struct menu_entry *e = g->entry;

	for (unsigned int i = 0; i < e->nr_initrd; i++)
		free(e->initrd[i]);
	e->nr_initrd = 0;
	for (int i = 1; i < argc; i++) {
		int part = e->root_part;
		const char *path = menu_strip_device(argv[i], false, &part);

		if (argv[i][0] == '-' && argv[i][1] == '-')
			continue; /* --nounzip and the like */
		if (!path || part != e->root_part)
			return img_err(g->err, g->errlen, -EINVAL,
				       "line %d: initrd %s is on another device than the kernel",
				       line, argv[i]);
		if (e->nr_initrd == MENU_MAX_INITRDS)
			return img_err(g->err, g->errlen, -E2BIG, "line %d: more than %d initrds",
				       line, MENU_MAX_INITRDS);
		e->initrd[e->nr_initrd] = strdup(path);
		if (!e->initrd[e->nr_initrd++])
			return img_err(g->err, g->errlen, -ENOMEM, "out of memory");
	}
	return 0;
}

static bool is_one_of(const char *s, const char *const *list)
{
	for (; *list; list++)
		if (!strcmp(s, *list))
			return true;
	return false;
}

static int run_cmd(struct grub *g, char **argv, int argc, int line, bool *status)
{
	static const char *const linux_cmds[] = { "linux", "linux16", "linuxefi", NULL };
	static const char *const initrd_cmds[] = { "initrd", "initrd16", "initrdefi", NULL };
	const char *cmd = argv[0];
	int rc = 0;

	*status = true;
	if (!strcmp(cmd, "set") || !strcmp(cmd, "export")) {
		for (int i = 1; i < argc && !rc; i++)
			rc = assign(g, argv[i]);
	} else if (strchr(cmd, '=') && genv_valid_name(cmd, strchr(cmd, '=') - cmd)) {
		rc = assign(g, cmd);
	} else if (!strcmp(cmd, "unset")) {
		for (int i = 1; i < argc && !rc; i++)
			rc = env_set(g, argv[i], "");
	} else if (!strcmp(cmd, "load_env")) {
		rc = load_env(g, argv);
	} else if (!strcmp(cmd, "blscfg")) {
		rc = g->entry ? 0 : add_bls(g);
	} else if (!strcmp(cmd, "[") || !strcmp(cmd, "test")) {
		int n = argc - 1;

		if (cmd[0] == '[') {
			if (n == 0 || strcmp(argv[argc - 1], "]"))
				return img_err(g->err, g->errlen, -EINVAL, "line %d: [ without ]",
					       line);
			n--;
		}
		*status = eval_test(g, argv + 1, n);
	} else if (!strcmp(cmd, "false")) {
		*status = false;
	} else if (g->entry && is_one_of(cmd, linux_cmds)) {
		rc = set_linux(g, argv, argc, line);
	} else if (g->entry && is_one_of(cmd, initrd_cmds)) {
		rc = set_initrd(g, argv, argc, line);
	} else if (!strcmp(cmd, "true") || !strcmp(cmd, "save_env") || !strcmp(cmd, "insmod")) {
		*status = true;
	} else {
		/* Display, terminal, hardware and search commands: nothing a menu entry's
		 * files depend on; as a condition they count as failing. */
		*status = false;
	}
	return rc;
}

/* One level of a `default` path: a number counts the items of that level, else an id or
 * a title. Returns the item index or -1. */
static int find_item(const struct grub *g, int parent, const char *want)
{
	char *end;
	unsigned long n = strtoul(want, &end, 10);
	bool numeric = isdigit((unsigned char)want[0]) && !*end;
	unsigned long k = 0;

	for (unsigned int i = 0; i < g->nr_items; i++) {
		const struct gitem *it = &g->items[i];

		if (it->parent != parent)
			continue;
		if (numeric ? k++ == n : (it->id && !strcmp(it->id, want)))
			return i;
	}
	for (unsigned int i = 0; !numeric && i < g->nr_items; i++)
		if (g->items[i].parent == parent && !strcmp(g->items[i].title, want))
			return i;
	return -1;
}

/* A submenu chosen as the default boots its first entry. */
static int first_leaf(const struct grub *g, int item)
{
	while (item >= 0 && g->items[item].leaf < 0) {
		int child = -1;

		for (unsigned int i = item + 1; i < g->nr_items && child < 0; i++)
			if (g->items[i].parent == item)
				child = i;
		item = child;
	}
	return item < 0 ? -1 : g->items[item].leaf;
}

static void choose_default(struct grub *g)
{
	char want[GRUB_MAX_WORD];
	int item = -1, leaf;

	snprintf(want, sizeof(want), "%s", genv_get(&g->env, "default", 7));
	if (want[0]) {
		int parent = -1;

		for (char *elem = strtok(want, ">"); elem; elem = strtok(NULL, ">")) {
			item = find_item(g, parent, elem);
			if (item < 0)
				break;
			parent = item;
		}
	}
	leaf = first_leaf(g, item);
	g->m->dflt_fallback = leaf < 0 && want[0];
	if (leaf < 0)
		leaf = first_leaf(g, find_item(g, -1, "0"));
	g->m->dflt = leaf < 0 ? 0 : leaf;
}

/* Runs entry i's body with the variables the file left, as GRUB does when booting it. */
static int run_entry(struct grub *g, unsigned int i, const struct genv *top)
{
	struct menu_entry *e = &g->m->entries[i];
	int root = menu_root_part(genv_get(top, "root", 4), false);
	bool status;
	int rc;

	genv_free(&g->env);
	rc = env_error(g, genv_copy(&g->env, top));
	if (rc)
		return rc;
	g->entry = e;
	rc = run_list(g, g->bodies[i], &status);
	g->entry = NULL;
	if (rc)
		return rc;
	if (e->root_part == MENU_ROOT_SAME) {
		int r = menu_root_part(genv_get(&g->env, "root", 4), false);

		/* `set root` inside the entry names where its files are, when it changed. */
		if (r >= 0 && r != root)
			e->root_part = r;
	}
	/* An entry without `linux` (fwsetup, chainloader) stays listed without a
	 * kernel; choosing it is the error. */
	return e->args ? 0 : ((e->args = strdup("")) ? 0 : -ENOMEM);
}

/* What GRUB 2 itself defines before running grub.cfg: the feature flags grub-mkconfig's
 * scripts test (GRUB 2.00 and later have them all) and the platform of a Xen guest's GRUB
 * (grub-xen, which PV-GRUB2 and pygrub stand for). */
static const char *const builtin_vars[][2] = {
	{ "feature_menuentry_id", "y" },
	{ "feature_all_video_module", "y" },
	{ "feature_default_font_path", "y" },
	{ "feature_platform_search_hint", "y" },
	{ "feature_timeout_style", "y" },
	{ "feature_200_final", "y" },
	{ "feature_chainloader_bpb", "y" },
	{ "feature_ntldr", "y" },
	{ "grub_cpu", "x86_64" },
	{ "grub_platform", "xen" },
};

int menu_parse_grub2(const char *text, size_t len, const char *path, const struct menu_files *f,
		     struct boot_menu *m, char *err, size_t errlen)
{
	struct grub *g = calloc(1, sizeof(*g));
	struct gscript s;
	struct genv top = { 0 };
	char prefix[512];
	const char *slash = strrchr(path, '/');
	bool status;
	int rc;

	memset(m, 0, sizeof(*m));
	m->format = "GRUB 2";
	if (!g)
		return img_err(err, errlen, -ENOMEM, "out of memory");
	*g = (struct grub){ .files = f, .m = m, .parent = -1, .err = err, .errlen = errlen };
	rc = grub2_script_parse(text, len, &s, err, errlen);
	if (rc)
		goto out_g;
	snprintf(prefix, sizeof(prefix), "%.*s", slash && slash != path ? (int)(slash - path) : 1,
		 path);
	rc = env_set(g, "prefix", prefix);
	for (size_t i = 0; !rc && i < sizeof(builtin_vars) / sizeof(builtin_vars[0]); i++)
		rc = env_set(g, builtin_vars[i][0], builtin_vars[i][1]);
	if (!rc)
		rc = run_list(g, &s.top, &status);
	if (!rc && !m->nr)
		rc = img_err(err, errlen, -ENOENT, "no menuentry");
	if (rc)
		goto out;
	choose_default(g);
	top = g->env;
	memset(&g->env, 0, sizeof(g->env));
	for (unsigned int i = 0; i < m->nr && !rc; i++)
		rc = run_entry(g, i, &top);
out:
	grub2_script_free(&s);
	genv_free(&top);
out_g:
	genv_free(&g->env);
	for (unsigned int i = 0; i < g->nr_items; i++) {
		free(g->items[i].title);
		free(g->items[i].id);
	}
	for (unsigned int i = 0; i < g->nr_bls; i++) {
		grub2_script_free(&g->bls[i]->s);
		free(g->bls[i]->src);
		free(g->bls[i]);
	}
	free(g->bls);
	free(g);
	if (rc)
		menu_free(m);
	return rc;
}
