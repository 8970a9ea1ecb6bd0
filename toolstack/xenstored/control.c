// SPDX-License-Identifier: GPL-2.0
/*
 * XS_CONTROL: the commands xenstore-control sends (xenstore.txt, CONTROL). The payload
 * is the command and its arguments, each NUL-terminated. Only the privileged domain may
 * use it, as in Xen.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/xenstored/daemon.h"
#include "toolstack/xenstored/journal.h"

#define MAX_ARGS 8

static int out_str(char *out, size_t outsz, const char *s)
{
	int n = snprintf(out, outsz, "%s", s);

	return n < 0 || (size_t)n >= outsz ? -E2BIG : n + 1;
}

static int memreport(struct xsd *d, char *out, size_t outsz)
{
	unsigned long jsize, ssize, nconn = 0, nwatch = 0, ntx = 0, ndom = 0;

	for (struct conn *c = d->conns; c; c = c->next) {
		nconn++;
		nwatch += c->nwatches;
		ntx += c->ntxns;
	}
	for (struct domain *dom = d->domains; dom; dom = dom->next)
		ndom++;
	journal_sizes(d->journal, &jsize, &ssize);
	return snprintf(out, outsz,
			"nodes: %zu\nnode-bytes: %zu\nconnections: %lu\nwatches: %lu\n"
			"transactions: %lu\ndomains: %lu\njournal-bytes: %lu\n"
			"snapshot-bytes: %lu\nrequests: %lu\n",
			d->st.count, d->st.bytes, nconn, nwatch, ntx, ndom, jsize, ssize, d->nreq);
}

static int cmd_memreport(struct xsd *d, const char **v, int n, char *out, size_t outsz)
{
	char rep[1024];
	FILE *f;

	memreport(d, rep, sizeof(rep));
	if (n < 2) {
		/* xenstore.txt: without a file name the report goes to the log. */
		xsd_log(d, "memreport:\n%s", rep);
		return out_str(out, outsz, "OK");
	}
	f = fopen(v[1], "we");
	if (!f)
		return -EINVAL;
	fputs(rep, f);
	fclose(f);
	return out_str(out, outsz, "OK");
}

static int cmd_quota(struct xsd *d, const char **v, int n, char *out, size_t outsz)
{
	unsigned long val;
	unsigned int domid;
	char *end;
	int len;

	if (n == 1) {
		len = quota_format(&d->q, out, outsz);
		return len < 0 || (size_t)len >= outsz ? -E2BIG : len + 1;
	}
	if (n == 4 && !strcmp(v[1], "set")) {
		errno = 0;
		val = strtoul(v[3], &end, 10);
		if (errno || *end || quota_set(&d->q, v[2], val))
			return -EINVAL;
		return out_str(out, outsz, "OK");
	}
	if (n == 2) {
		errno = 0;
		domid = (unsigned int)strtoul(v[1], &end, 10);
		if (errno || *end || domid > 0xFFFF)
			return -EINVAL;
		if (domid && !domain_find(d, domid))
			return -ENOENT;
		len = snprintf(out, outsz, "%-18s: %u\n", "nodes", d->st.owned[domid]);
		return len + 1;
	}
	return -EINVAL;
}

static int cmd_log(struct xsd *d, const char **v, int n, char *out, size_t outsz)
{
	if (n != 2 || (strcmp(v[1], "on") && strcmp(v[1], "off")))
		return -EINVAL;
	d->logging = !strcmp(v[1], "on");
	return out_str(out, outsz, "OK");
}

static int cmd_print(struct xsd *d, const char **v, int n, char *out, size_t outsz)
{
	if (n < 2)
		return -EINVAL;
	xsd_log(d, "control print: %s", v[1]);
	return out_str(out, outsz, "OK");
}

static int cmd_check(struct xsd *d, const char **v, int n, char *out, size_t outsz)
{
	return out_str(out, outsz, "OK");
}

static int cmd_help(struct xsd *d, const char **v, int n, char *out, size_t outsz);

struct command {
	const char *name;
	const char *args;
	int (*fn)(struct xsd *d, const char **v, int n, char *out, size_t outsz);
};

static const struct command commands[] = {
	{ "check", "", cmd_check },	    { "help", "", cmd_help },
	{ "log", "on|off", cmd_log },	    { "memreport", "[<file>]", cmd_memreport },
	{ "print", "<string>", cmd_print }, { "quota", "[set <name> <val>|<domid>]", cmd_quota },
};

static int cmd_help(struct xsd *d, const char **v, int n, char *out, size_t outsz)
{
	size_t off = 0;

	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		int w = snprintf(out + off, outsz - off, "%-10s %s\n", commands[i].name,
				 commands[i].args);

		if (w < 0 || (size_t)w >= outsz - off)
			return -E2BIG;
		off += (size_t)w;
	}
	return (int)off + 1;
}

int control_run(struct xsd *d, struct conn *c, const char *payload, size_t len, char *out,
		size_t outsz)
{
	const char *v[MAX_ARGS];
	size_t off = 0;
	int n = 0;

	if (!c->who.privileged)
		return -EACCES;
	if (!len || payload[len - 1] != '\0')
		return -EINVAL;
	while (off < len && n < MAX_ARGS) {
		v[n++] = payload + off;
		off += strlen(payload + off) + 1;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		if (!strcmp(v[0], commands[i].name))
			return commands[i].fn(d, v, n, out, outsz);
	return -EINVAL;
}
