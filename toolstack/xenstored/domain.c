// SPDX-License-Identifier: GPL-2.0
/*
 * Introduced domains. A domain is known from its INTRODUCE until RELEASE; it has a
 * ring connection once the VMM passed its ring page and event fds (an INTRODUCE
 * without them, as libxenstore sends, registers the domain without a ring).
 */
#include <errno.h>
#include <stdlib.h>
#include <unistd.h>

#include "toolstack/xenstored/daemon.h"
#include "toolstack/xenstored/journal.h"
#include "toolstack/xenstored/ops.h"
#include "toolstack/xenstored/ring.h"

struct domain *domain_find(struct xsd *d, unsigned int domid)
{
	for (struct domain *dom = d->domains; dom; dom = dom->next)
		if (dom->domid == domid)
			return dom;
	return NULL;
}

static void close_all(const int fds[3], unsigned int nfds)
{
	for (unsigned int i = 0; i < nfds; i++)
		close(fds[i]);
}

/* A new ring replaces any previous one: the guest reconnects from scratch. */
static int attach_ring(struct xsd *d, struct domain *dom, const int fds[3])
{
	struct caller who = { .domid = dom->domid, .target = dom->target };
	struct conn *c;
	int rc;

	if (dom->conn) {
		dom->conn->dead = true;
		dom->conn = NULL;
	}
	c = conn_new(d, CONN_RING, &who);
	if (!c) {
		close_all(fds, 3);
		return -ENOMEM;
	}
	rc = ring_attach(d, c, fds[0], dom->mfn, fds[1], fds[2]);
	if (rc) {
		c->dead = true;
		return rc;
	}
	dom->conn = c;
	return 0;
}

static void unlink_domain(struct xsd *d, struct domain *dom)
{
	for (struct domain **pp = &d->domains; *pp; pp = &(*pp)->next) {
		if (*pp == dom) {
			*pp = dom->next;
			break;
		}
	}
	free(dom);
}

int domain_introduce(struct xsd *d, unsigned int domid, unsigned long mfn, unsigned int port,
		     const int fds[3], unsigned int nfds, bool replay)
{
	struct domain *dom = domain_find(d, domid);
	bool fresh = !dom;

	if (!dom) {
		dom = calloc(1, sizeof(*dom));
		if (!dom) {
			close_all(fds, nfds);
			return -ENOMEM;
		}
		dom->domid = domid;
		dom->target = -1;
		dom->next = d->domains;
		d->domains = dom;
	}
	dom->mfn = mfn;
	dom->port = port;
	if (nfds == 3) {
		int rc = attach_ring(d, dom, fds);

		if (rc) {
			/* A refused INTRODUCE leaves no trace of a new domain. */
			if (fresh)
				unlink_domain(d, dom);
			return rc;
		}
	}
	if (!replay && d->journal)
		journal_domain(d->journal, 'I', domid, mfn, port);
	if (fresh && !replay)
		watch_fire_special(d, "@introduceDomain");
	return 0;
}

int domain_release(struct xsd *d, unsigned int domid, bool replay)
{
	struct domain *dom = domain_find(d, domid);
	struct events ev = { 0 };

	if (!dom)
		return -ENOENT;
	if (dom->conn) {
		dom->conn->dead = true;
		dom->conn = NULL;
	}
	unlink_domain(d, dom);
	if (replay)
		return 0;
	if (d->journal)
		journal_domain(d->journal, 'R', domid, 0, 0);
	/* As Xen: a dead domain's nodes go with it, unless -K keeps them (for dom0). */
	op_drop_domain_nodes(&d->st, domid, d->opt.keep_orphans, &ev);
	watch_fire(d, &ev);
	watch_fire_special(d, "@releaseDomain");
	return 0;
}

int domain_set_target(struct xsd *d, unsigned int domid, unsigned int target, bool replay)
{
	struct domain *dom = domain_find(d, domid);

	if (!dom || (!replay && target && !domain_find(d, target)))
		return -ENOENT;
	if (domid == target)
		return -EINVAL;
	dom->target = (int)target;
	if (dom->conn)
		dom->conn->who.target = (int)target;
	if (!replay && d->journal)
		journal_domain(d->journal, 'T', domid, target, 0);
	return 0;
}

void domain_conn_gone(struct xsd *d, struct conn *c)
{
	for (struct domain *dom = d->domains; dom; dom = dom->next)
		if (dom->conn == c)
			dom->conn = NULL;
}
