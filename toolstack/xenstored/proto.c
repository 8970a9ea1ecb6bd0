// SPDX-License-Identifier: GPL-2.0
/*
 * The wire protocol: decodes one message (already framed, payload at most
 * XENSTORE_PAYLOAD_MAX and NUL-terminated one byte past its end), checks its
 * arguments, runs the operation and queues the reply. Every failure becomes an
 * XS_ERROR carrying the errno name of xs_wire.h.
 */
#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/xenstored/daemon.h"
#include "toolstack/xenstored/journal.h"
#include "toolstack/xenstored/ops.h"
#include "toolstack/xenstored/paths.h"

#define MAX_ARGS 8

struct req {
	struct xsd *d;
	struct conn *c;
	const struct xsd_sockmsg *hdr;
	const char *body;
	struct txn *tx;
};

static const char *errno_name(int err)
{
	for (size_t i = 0; i < sizeof(xsd_errors) / sizeof(xsd_errors[0]); i++)
		if (xsd_errors[i].errnum == err)
			return xsd_errors[i].errstring;
	return "EIO"; /* anything else is an internal failure */
}

static void reply(struct req *r, uint32_t type, const void *p, size_t len)
{
	struct xsd_sockmsg h = {
		.type = type, .req_id = r->hdr->req_id, .tx_id = r->hdr->tx_id, .len = (uint32_t)len
	};

	trace_msg(r->d, r->c, true, &h, p);
	if (conn_queue(r->c, type, h.req_id, h.tx_id, p, len))
		r->c->dead = true; /* out of memory: cannot keep the stream consistent */
	conn_check_backlog(r->d, r->c);
}

void proto_reply_error(struct xsd *d, struct conn *c, const struct xsd_sockmsg *hdr, int err)
{
	struct req r = { .d = d, .c = c, .hdr = hdr };
	const char *name = errno_name(err);

	reply(&r, XS_ERROR, name, strlen(name) + 1);
}

static int reply_str(struct req *r, const char *s)
{
	reply(r, r->hdr->type, s, strlen(s) + 1);
	return 0;
}

/* Splits the payload into NUL-terminated strings; the payload must end with a NUL. */
static int get_strings(const struct req *r, const char **v, int max)
{
	uint32_t len = r->hdr->len, off = 0;
	int n = 0;

	if (!len || r->body[len - 1] != '\0')
		return -EINVAL;
	while (off < len && n < max) {
		v[n++] = r->body + off;
		off += (uint32_t)strlen(r->body + off) + 1;
	}
	return n;
}

/* Exactly one string filling the payload (Xen's onearg). */
static const char *onearg(const struct req *r)
{
	uint32_t len = r->hdr->len;

	if (!len || r->body[len - 1] != '\0' || strlen(r->body) + 1 != len)
		return NULL;
	return r->body;
}

static int parse_domid(const char *s, unsigned int *out)
{
	unsigned long v;
	char *end;

	if (!s || s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > 0xFFFF)
		return -EINVAL;
	*out = (unsigned int)v;
	return 0;
}

static int canon(struct req *r, const char *in, char *out)
{
	const struct caller *who = &r->c->who;

	if (!in)
		return -EINVAL;
	return path_canonicalize(in, who->domid, who->privileged ? 0 : r->d->q.path_max, out,
				 PATH_BUF);
}

static void ctx_init(struct req *r, struct op_ctx *oc, struct view *v, struct events *ev)
{
	v->st = &r->d->st;
	v->tx = r->tx;
	oc->v = v;
	oc->who = &r->c->who;
	oc->q = &r->d->q;
	oc->ev = ev;
}

/* After a change: outside a transaction fire now, inside keep for the commit. */
static int changed(struct req *r, struct events *ev, int rc)
{
	if (r->tx && !rc)
		rc = events_splice(&r->tx->ev, ev);
	else if (!rc)
		watch_fire(r->d, ev);
	events_clear(ev);
	if (!rc)
		reply_str(r, "OK");
	return rc;
}

static int do_read(struct req *r)
{
	char path[PATH_BUF];
	struct events ev = { 0 };
	struct op_ctx oc;
	struct view v;
	const struct node *n;
	int rc = canon(r, onearg(r), path);

	if (rc)
		return rc;
	ctx_init(r, &oc, &v, &ev);
	rc = op_read(&oc, path, &n);
	if (!rc)
		reply(r, XS_READ, n->value, n->vlen);
	return rc;
}

static int do_write(struct req *r)
{
	char path[PATH_BUF];
	struct events ev = { 0 };
	struct op_ctx oc;
	struct view v;
	size_t plen = strnlen(r->body, r->hdr->len);
	int rc;

	if (plen == r->hdr->len)
		return -EINVAL; /* no NUL after the path */
	rc = canon(r, r->body, path);
	if (rc)
		return rc;
	ctx_init(r, &oc, &v, &ev);
	rc = op_write(&oc, path, r->body + plen + 1, r->hdr->len - (uint32_t)plen - 1);
	return changed(r, &ev, rc);
}

static int do_mkdir_rm(struct req *r)
{
	char path[PATH_BUF];
	struct events ev = { 0 };
	struct op_ctx oc;
	struct view v;
	int rc = canon(r, onearg(r), path);

	if (rc)
		return rc;
	ctx_init(r, &oc, &v, &ev);
	rc = r->hdr->type == XS_MKDIR ? op_mkdir(&oc, path) : op_rm(&oc, path);
	return changed(r, &ev, rc);
}

static int do_directory(struct req *r)
{
	char path[PATH_BUF];
	struct events ev = { 0 };
	struct op_ctx oc;
	struct view v;
	const struct node *n;
	int rc = canon(r, onearg(r), path);

	if (rc)
		return rc;
	ctx_init(r, &oc, &v, &ev);
	rc = op_directory(&oc, path, &n);
	if (rc)
		return rc;
	/* Too long for one reply: libxenstore then falls back to DIRECTORY_PART. */
	if (n->clen > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	reply(r, XS_DIRECTORY, n->children, n->clen);
	return 0;
}

static int do_directory_part(struct req *r)
{
	char path[PATH_BUF], *buf;
	const char *v[MAX_ARGS];
	struct events ev = { 0 };
	struct op_ctx oc;
	struct view vw;
	const struct node *n;
	unsigned long off;
	uint32_t len = 0;
	char *end;
	int genlen, rc;

	if (get_strings(r, v, MAX_ARGS) != 2)
		return -EINVAL;
	errno = 0;
	off = strtoul(v[1], &end, 10);
	if (errno || *end || !v[1][0])
		return -EINVAL;
	rc = canon(r, v[0], path);
	if (rc)
		return rc;
	ctx_init(r, &oc, &vw, &ev);
	rc = op_directory(&oc, path, &n);
	if (rc)
		return rc;
	if (off > n->clen)
		return -EINVAL;
	buf = malloc(XENSTORE_PAYLOAD_MAX);
	if (!buf)
		return -ENOMEM;
	genlen = snprintf(buf, 32, "%llu", (unsigned long long)n->gen) + 1;
	/* Whole names only; the extra NUL marks the end of the list. */
	while (off + len < n->clen) {
		uint32_t nl = (uint32_t)strlen(n->children + off + len) + 1;

		if (genlen + len + nl + 1 > XENSTORE_PAYLOAD_MAX)
			break;
		len += nl;
	}
	if (len)
		memcpy(buf + genlen, n->children + off, len);
	if (off + len == n->clen)
		buf[genlen + len++] = '\0';
	reply(r, XS_DIRECTORY_PART, buf, genlen + len);
	free(buf);
	return 0;
}

static int special_index(const char *path)
{
	if (!strcmp(path, "@introduceDomain"))
		return 0;
	if (!strcmp(path, "@releaseDomain"))
		return 1;
	return -1;
}

static int do_get_perms(struct req *r)
{
	char path[PATH_BUF], buf[XENSTORE_PAYLOAD_MAX];
	struct events ev = { 0 };
	struct op_ctx oc;
	struct view v;
	const struct node *n;
	const char *arg = onearg(r);
	int rc, len;

	if (arg && special_index(arg) >= 0) {
		len = perms_format(&r->d->special_perms[special_index(arg)], 1, buf, sizeof(buf));
		reply(r, XS_GET_PERMS, buf, (size_t)len);
		return 0;
	}
	rc = canon(r, arg, path);
	if (rc)
		return rc;
	ctx_init(r, &oc, &v, &ev);
	rc = op_get_perms(&oc, path, &n);
	if (rc)
		return rc;
	len = perms_format(n->perms, n->nperms, buf, sizeof(buf));
	if (len < 0)
		return len;
	reply(r, XS_GET_PERMS, buf, (size_t)len);
	return 0;
}

static int do_set_perms(struct req *r)
{
	char path[PATH_BUF];
	struct perm perms[XENSTORE_PAYLOAD_MAX / 3];
	struct events ev = { 0 };
	struct op_ctx oc;
	struct view v;
	size_t plen = strnlen(r->body, r->hdr->len);
	int np, rc;

	if (plen + 1 >= r->hdr->len)
		return -EINVAL;
	np = perms_parse(r->body + plen + 1, r->hdr->len - plen - 1, perms,
			 sizeof(perms) / sizeof(perms[0]));
	if (np < 0)
		return -EINVAL;
	if (special_index(r->body) >= 0) {
		if (!r->c->who.privileged)
			return -EACCES;
		r->d->special_perms[special_index(r->body)] = perms[0];
		if (r->d->journal)
			journal_special(r->d->journal, (unsigned int)special_index(r->body),
					&perms[0]);
		return reply_str(r, "OK");
	}
	rc = canon(r, r->body, path);
	if (rc)
		return rc;
	ctx_init(r, &oc, &v, &ev);
	rc = op_set_perms(&oc, path, perms, (uint32_t)np);
	return changed(r, &ev, rc);
}

static int do_watch(struct req *r)
{
	char path[PATH_BUF];
	const char *v[MAX_ARGS];
	bool relative;
	int rc;

	if (get_strings(r, v, MAX_ARGS) != 2)
		return -EINVAL;
	if (path_is_special(v[0])) {
		if (strlen(v[0]) > XENSTORE_REL_PATH_MAX)
			return -EINVAL;
		snprintf(path, sizeof(path), "%s", v[0]);
		relative = false;
	} else {
		rc = canon(r, v[0], path);
		if (rc)
			return rc;
		relative = v[0][0] != '/';
	}
	if (r->hdr->type == XS_UNWATCH) {
		rc = watch_remove(r->c, path, v[1]);
		return rc ? rc : reply_str(r, "OK");
	}
	rc = watch_add(r->d, r->c, path, v[1], relative);
	if (rc)
		return rc;
	/* The reply goes first, then the initial event, as Xen sends them. */
	reply_str(r, "OK");
	watch_initial(r->d, r->c, path, v[1]);
	return 0;
}

static struct txn *find_txn(struct conn *c, uint32_t id, struct txn ***link)
{
	struct txn **pp;

	for (pp = &c->txns; *pp; pp = &(*pp)->next) {
		if ((*pp)->id == id) {
			if (link)
				*link = pp;
			return *pp;
		}
	}
	return NULL;
}

static int do_transaction_start(struct req *r)
{
	struct conn *c = r->c;
	char buf[16];
	struct txn *tx;
	uint32_t id;

	if (r->hdr->tx_id)
		return -EBUSY;
	if (!c->who.privileged && c->ntxns >= r->d->q.transactions)
		return -ENOSPC;
	do {
		id = c->next_txid++;
	} while (!id || find_txn(c, id, NULL));
	tx = txn_new(&r->d->st, id, c->who.privileged ? 0 : r->d->q.txn_nodes);
	if (!tx)
		return -ENOMEM;
	tx->next = c->txns;
	c->txns = tx;
	c->ntxns++;
	snprintf(buf, sizeof(buf), "%u", id);
	return reply_str(r, buf);
}

static int do_transaction_end(struct req *r)
{
	const char *arg = onearg(r);
	struct txn **link, *tx;
	int rc = 0;

	if (!arg || (strcmp(arg, "T") && strcmp(arg, "F")))
		return -EINVAL;
	tx = find_txn(r->c, r->hdr->tx_id, &link);
	if (!tx)
		return -ENOENT;
	*link = tx->next;
	r->c->ntxns--;
	if (arg[0] == 'T')
		rc = txn_commit(tx, &r->d->st);
	if (!rc && arg[0] == 'T')
		watch_fire(r->d, &tx->ev);
	txn_free(tx);
	return rc ? rc : reply_str(r, "OK");
}

static int need_priv(const struct req *r)
{
	return r->c->who.privileged ? 0 : -EACCES;
}

/* A decimal number up to max (mfn, event channel port). */
static int parse_ulong(const char *s, unsigned long max, unsigned long *out)
{
	char *end;

	if (s[0] < '0' || s[0] > '9')
		return -EINVAL;
	errno = 0;
	*out = strtoul(s, &end, 10);
	return errno || *end || *out > max ? -EINVAL : 0;
}

static int do_introduce(struct req *r)
{
	const char *v[MAX_ARGS];
	unsigned long mfn, port;
	unsigned int domid;
	int fds[3], nfds = 0, rc = need_priv(r);

	if (rc)
		return rc;
	if (get_strings(r, v, MAX_ARGS) < 3 || parse_domid(v[0], &domid) ||
	    parse_ulong(v[1], ULONG_MAX, &mfn) || parse_ulong(v[2], UINT32_MAX, &port))
		return -EINVAL;
	if (!domid || domid >= DOMID_LIMIT)
		return -EINVAL;
	/* Descriptors that arrived with this very message belong to it. */
	if (r->c->nfds && r->c->fds_pos >= r->c->msg_start && r->c->fds_pos < r->c->rx_pos) {
		if (r->c->nfds != 3)
			return -EINVAL;
		memcpy(fds, r->c->fds, sizeof(fds));
		nfds = 3;
		r->c->nfds = 0;
	}
	rc = domain_introduce(r->d, domid, mfn, (unsigned int)port, fds, (unsigned int)nfds, false);
	return rc ? rc : reply_str(r, "OK");
}

static int do_domid_op(struct req *r)
{
	unsigned int domid;
	int rc = parse_domid(onearg(r), &domid);
	char path[64];

	if (rc)
		return rc;
	switch (r->hdr->type) {
	case XS_GET_DOMAIN_PATH:
		path_domain_home(domid, path, sizeof(path));
		return reply_str(r, path);
	case XS_IS_DOMAIN_INTRODUCED:
		/* dom0 and DOMID_SELF (0x7FF0, xen.h) always count as introduced, as in Xen. */
		return reply_str(r,
				 !domid || domid == 0x7FF0 || domain_find(r->d, domid) ? "T" : "F");
	case XS_RELEASE:
		rc = need_priv(r);
		if (!rc)
			rc = domid ? domain_release(r->d, domid, false) : -EINVAL;
		break;
	default: /* XS_RESUME */
		rc = need_priv(r);
		if (!rc && !domid)
			rc = -EINVAL;
		if (!rc && !domain_find(r->d, domid))
			rc = -ENOENT;
		if (!rc)
			domain_find(r->d, domid)->shutdown = false;
	}
	return rc ? rc : reply_str(r, "OK");
}

static int do_set_target(struct req *r)
{
	const char *v[MAX_ARGS];
	unsigned int domid, target;
	int rc = need_priv(r);

	if (rc)
		return rc;
	if (get_strings(r, v, MAX_ARGS) != 2 || parse_domid(v[0], &domid) ||
	    parse_domid(v[1], &target))
		return -EINVAL;
	rc = domain_set_target(r->d, domid, target, false);
	return rc ? rc : reply_str(r, "OK");
}

static int do_reset_watches(struct req *r)
{
	watch_remove_all(r->c);
	while (r->c->txns) {
		struct txn *tx = r->c->txns;

		r->c->txns = tx->next;
		txn_free(tx);
	}
	r->c->ntxns = 0;
	return reply_str(r, "OK");
}

static int do_control(struct req *r)
{
	char *buf = malloc(XENSTORE_PAYLOAD_MAX);
	int len;

	if (!buf)
		return -ENOMEM;
	len = control_run(r->d, r->c, r->body, r->hdr->len, buf, XENSTORE_PAYLOAD_MAX);
	if (len >= 0)
		reply(r, XS_CONTROL, buf, (size_t)len);
	free(buf);
	return len < 0 ? len : 0;
}

typedef int handler_fn(struct req *r);

static handler_fn *const handlers[XS_TYPE_COUNT] = {
	[XS_CONTROL] = do_control,
	[XS_DIRECTORY] = do_directory,
	[XS_READ] = do_read,
	[XS_GET_PERMS] = do_get_perms,
	[XS_WATCH] = do_watch,
	[XS_UNWATCH] = do_watch,
	[XS_TRANSACTION_START] = do_transaction_start,
	[XS_TRANSACTION_END] = do_transaction_end,
	[XS_INTRODUCE] = do_introduce,
	[XS_RELEASE] = do_domid_op,
	[XS_GET_DOMAIN_PATH] = do_domid_op,
	[XS_WRITE] = do_write,
	[XS_MKDIR] = do_mkdir_rm,
	[XS_RM] = do_mkdir_rm,
	[XS_SET_PERMS] = do_set_perms,
	[XS_IS_DOMAIN_INTRODUCED] = do_domid_op,
	[XS_RESUME] = do_domid_op,
	[XS_SET_TARGET] = do_set_target,
	[XS_RESET_WATCHES] = do_reset_watches,
	[XS_DIRECTORY_PART] = do_directory_part,
};

/* Only these act inside a transaction; others ignore a valid tx_id. */
static bool transactional(uint32_t type)
{
	switch (type) {
	case XS_READ:
	case XS_WRITE:
	case XS_MKDIR:
	case XS_RM:
	case XS_DIRECTORY:
	case XS_DIRECTORY_PART:
	case XS_GET_PERMS:
	case XS_SET_PERMS:
		return true;
	default:
		return false;
	}
}

void proto_handle(struct xsd *d, struct conn *c, const struct xsd_sockmsg *hdr, const char *body)
{
	struct req r = { .d = d, .c = c, .hdr = hdr, .body = body };
	handler_fn *fn = hdr->type < XS_TYPE_COUNT ? handlers[hdr->type] : NULL;
	int rc;

	d->nreq++;
	trace_msg(d, c, false, hdr, body);
	if (!fn) {
		rc = -EINVAL; /* WATCH_EVENT, ERROR, the removed RESTRICT, unknown */
	} else if (hdr->tx_id && hdr->type != XS_TRANSACTION_START &&
		   !(r.tx = find_txn(c, hdr->tx_id, NULL))) {
		rc = -ENOENT;
	} else {
		if (!transactional(hdr->type) && hdr->type != XS_TRANSACTION_END)
			r.tx = NULL;
		rc = fn(&r);
	}
	if (rc)
		proto_reply_error(d, c, hdr, -rc);
	/* Passed descriptors that no INTRODUCE claimed are not kept. */
	if (c->nfds && c->fds_pos < c->rx_pos)
		conn_close_fds(c);
}
