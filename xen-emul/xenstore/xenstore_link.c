// SPDX-License-Identifier: GPL-2.0
/*
 * The xenstore link. The store page and port exist before the guest runs, as a
 * toolstack allocates them; xenstored gets the page's fd and two eventfds with the
 * INTRODUCE and from then on reads and writes the ring itself. The store port is a host
 * end bound to the "kick" eventfd, so a guest EVTCHNOP_send on it reaches xenstored with
 * no VMM thread in between (and no VM exit on KVM_XEN); the VMM's one relay is a write by
 * xenstored to the "notify" eventfd, which becomes an event on the port.
 *
 * xenstored may restart (a crash, an upgrade) while the domain runs. The VMM holds an idle
 * connection to it whose end-of-file says so, then retries every RETRY_MS until a daemon
 * answers, writes the layout again if that daemon lost it (no --db-dir), and introduces
 * the domain again: requests the guest queued meanwhile are still in the ring.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include <xen/grant_table.h>
#include <xenstore.h>

#include "toolstack/xenstored/introduce_client.h"
#include "vmm/log.h"
#include "xen-emul/evtchn/evtchn.h"
#include "xen-emul/gnttab/grant_table.h"
#include "xen-emul/hvm/hvm_params.h"
#include "xen-emul/magic_pages.h"
#include "xen-emul/xenstore/xenstore_layout.h"
#include "xen-emul/xenstore/xenstore_link.h"

#define DEFAULT_SOCKET "/run/xenstored/socket"
#define RETRY_MS 100

struct xen_store_link {
	struct xen_domain *dom;
	evtchn_port_t port;
	int kick_fd; /* we write: the guest notified the store port */
	int notify_fd; /* xenstored writes: notify the guest */
	int alive_fd; /* idle connection to xenstored: EOF when it goes away; -1 none */
	bool alive_watched; /* alive_fd is registered in the event loop */
	int retry_fd; /* timerfd: armed while xenstored is away */
	uint64_t memory_kib; /* for writing the layout again */
	char socket_path[256];
};

static bool on_daemon_notify(int fd, uint32_t events, void *opaque)
{
	struct xen_store_link *l = opaque;
	uint64_t n;

	if (read(fd, &n, sizeof(n)) == sizeof(n))
		xen_evtchn_host_send(l->dom, l->port);
	return true;
}

static const char *socket_path(const struct xen_store_config *cfg)
{
	const char *env = getenv("XENSTORED_PATH");

	if (cfg->socket_path)
		return cfg->socket_path;
	return env && *env ? env : DEFAULT_SOCKET;
}

/* The ring page, the port bound to the VMM, the params and the reserved grant. */
static int setup_guest_side(struct xen_store_link *l)
{
	struct xen_domain *dom = l->dom;
	void *page;
	int rc;

	rc = vm_map_special_page(dom->vm, XEN_MAGIC_STORE_GFN << GUEST_PAGE_SHIFT, &page);
	if (rc)
		return rc;
	memset(page, 0, GUEST_PAGE_SIZE);
	rc = xen_evtchn_alloc_unbound_host(dom, &l->port);
	/* The guest's sends kick xenstored directly (inside KVM on the KVM_XEN transport). */
	if (!rc)
		rc = xen_evtchn_bind_host_eventfd(dom, l->port, l->kick_fd, l);
	if (!rc)
		rc = xen_hvm_param_set_by_vmm(dom, HVM_PARAM_STORE_PFN, XEN_MAGIC_STORE_GFN);
	if (!rc)
		rc = xen_hvm_param_set_by_vmm(dom, HVM_PARAM_STORE_EVTCHN, l->port);
	if (!rc)
		rc = xen_gnttab_seed(dom, GNTTAB_RESERVED_XENSTORE, 0, XEN_MAGIC_STORE_GFN);
	return rc;
}

static int write_layout(struct xen_store_link *l)
{
	struct xen_layout_info info = {
		.cfg = &l->dom->cfg,
		.memory_kib = l->memory_kib,
		.nr_vcpus = l->dom->nr_vcpus,
		.store_gfn = XEN_MAGIC_STORE_GFN,
		.store_port = l->port,
	};
	struct xs_handle *h;
	int rc;

	setenv("XENSTORED_PATH", l->socket_path, 1);
	h = xs_open(XS_OPEN_SOCKETONLY);
	if (!h)
		return -errno;
	info.console_port = (uint32_t)l->dom->hvm_params[HVM_PARAM_CONSOLE_EVTCHN];
	info.console_gfn = l->dom->hvm_params[HVM_PARAM_CONSOLE_PFN];
	rc = xen_store_write_layout(h, &info);
	xs_close(h);
	return rc;
}

static int introduce(struct xen_store_link *l)
{
	int fd;
	uint64_t off;
	int rc = vm_page_fd(l->dom->vm, XEN_MAGIC_STORE_GFN << GUEST_PAGE_SHIFT, &fd, &off);

	if (rc)
		return rc;
	return xs_introduce_ring_at(l->socket_path, l->dom->cfg.domid, off / GUEST_PAGE_SIZE,
				    l->port, fd, l->kick_fd, l->notify_fd);
}

static void arm_retry(struct xen_store_link *l, bool on)
{
	struct itimerspec its = { 0 };

	if (on) {
		its.it_value.tv_nsec = RETRY_MS * 1000000L;
		its.it_interval.tv_nsec = RETRY_MS * 1000000L;
	}
	timerfd_settime(l->retry_fd, 0, &its, NULL);
}

/* The idle connection: nothing arrives on it but the end of the daemon. */
static bool on_daemon_gone(int fd, uint32_t events, void *opaque)
{
	struct xen_store_link *l = opaque;
	char buf[64];
	ssize_t n = read(fd, buf, sizeof(buf));

	if (n > 0 || (n < 0 && errno == EAGAIN))
		return true;
	log_warn("xenstore: xenstored at %s went away; domain %u will be introduced again "
		 "when it is back",
		 l->socket_path, l->dom->cfg.domid);
	/* The loop drops this fd when we return false; it is closed on the next retry. */
	l->alive_watched = false;
	arm_retry(l, true);
	return false;
}

/* A daemon that lost its database (no --db-dir) gets the domain's nodes again. */
static int restore_layout(struct xen_store_link *l)
{
	char path[64];
	struct xs_handle *h;
	unsigned int len;
	void *v;

	setenv("XENSTORED_PATH", l->socket_path, 1);
	h = xs_open(XS_OPEN_SOCKETONLY);
	if (!h)
		return -errno;
	snprintf(path, sizeof(path), "/local/domain/%u/domid", l->dom->cfg.domid);
	v = xs_read(h, XBT_NULL, path, &len);
	xs_close(h);
	if (v) {
		free(v);
		return 0;
	}
	return write_layout(l);
}

static int watch_daemon(struct xen_store_link *l)
{
	int fd = xs_connect_socket(l->socket_path, SOCK_NONBLOCK);
	int rc;

	if (fd < 0)
		return fd;
	rc = evloop_add(l->dom->loop, fd, EPOLLIN | EPOLLRDHUP, on_daemon_gone, l);
	if (rc) {
		close(fd);
		return rc;
	}
	l->alive_fd = fd;
	l->alive_watched = true;
	return 0;
}

static bool on_retry(int fd, uint32_t events, void *opaque)
{
	struct xen_store_link *l = opaque;
	uint64_t ticks;
	int rc;

	if (read(fd, &ticks, sizeof(ticks)) != sizeof(ticks))
		return true;
	if (l->alive_fd >= 0 && !l->alive_watched) {
		close(l->alive_fd);
		l->alive_fd = -1;
	}
	if (l->alive_fd < 0 && watch_daemon(l))
		return true; /* not back yet */
	rc = restore_layout(l);
	if (!rc)
		rc = introduce(l);
	if (rc) {
		log_once(LOG_WARN, "xenstore: introducing domain %u again to %s: %s (retrying)",
			 l->dom->cfg.domid, l->socket_path, strerror(-rc));
		return true;
	}
	arm_retry(l, false);
	log_info("xenstore: domain %u introduced again to %s", l->dom->cfg.domid, l->socket_path);
	return true;
}

/* Notices a restart of xenstored; without an event loop (unit tests) there is none. */
static int watch_for_restart(struct xen_store_link *l)
{
	int rc;

	if (!l->dom->loop)
		return 0;
	l->retry_fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (l->retry_fd < 0)
		return -errno;
	rc = evloop_add(l->dom->loop, l->retry_fd, EPOLLIN, on_retry, l);
	if (!rc)
		rc = watch_daemon(l);
	return rc;
}

static void free_link(struct xen_store_link *l)
{
	if (l->notify_fd >= 0) {
		if (l->dom->loop)
			evloop_del(l->dom->loop, l->notify_fd);
		close(l->notify_fd);
	}
	if (l->alive_fd >= 0) {
		if (l->alive_watched)
			evloop_del(l->dom->loop, l->alive_fd);
		close(l->alive_fd);
	}
	if (l->retry_fd >= 0) {
		evloop_del(l->dom->loop, l->retry_fd);
		close(l->retry_fd);
	}
	if (l->kick_fd >= 0) {
		/* Guest sends no longer reach the fd after this. */
		xen_evtchn_unbind_host(l->dom, l->port, l);
		close(l->kick_fd);
	}
	free(l);
}

int xen_store_link_init(struct xen_domain *dom, const struct xen_store_config *cfg,
			struct xen_store_link **link)
{
	const char *path = socket_path(cfg);
	struct xen_store_link *l;
	struct stat st;
	int rc;

	*link = NULL;
	if (!cfg->required && stat(path, &st) < 0) {
		log_info("no xenstored at %s: the domain runs without xenstore", path);
		return 0;
	}
	l = calloc(1, sizeof(*l));
	if (!l)
		return -ENOMEM;
	l->dom = dom;
	l->alive_fd = -1;
	l->retry_fd = -1;
	l->memory_kib = cfg->memory_kib;
	snprintf(l->socket_path, sizeof(l->socket_path), "%s", path);
	l->kick_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	l->notify_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	rc = l->kick_fd < 0 || l->notify_fd < 0 ? -errno : 0;
	if (!rc && dom->loop)
		rc = evloop_add(dom->loop, l->notify_fd, EPOLLIN, on_daemon_notify, l);
	if (!rc)
		rc = setup_guest_side(l);
	if (!rc && (rc = write_layout(l)))
		log_err("xenstore at %s: writing the domain's nodes: %s", path, strerror(-rc));
	else if (!rc && (rc = introduce(l)))
		log_err("xenstore at %s: introducing domain %u: %s", path, dom->cfg.domid,
			strerror(-rc));
	else if (!rc && (rc = watch_for_restart(l)))
		log_err("xenstore at %s: watching for restarts: %s", path, strerror(-rc));
	if (rc) {
		free_link(l);
		return rc;
	}
	log_info("xenstore: domain %u introduced to %s (ring at gfn 0x%llx, port %u)",
		 dom->cfg.domid, path, XEN_MAGIC_STORE_GFN, l->port);
	*link = l;
	return 0;
}

void xen_store_link_release(struct xen_store_link *l)
{
	struct xs_handle *h;

	if (!l)
		return;
	setenv("XENSTORED_PATH", l->socket_path, 1);
	h = xs_open(XS_OPEN_SOCKETONLY);
	if (h) {
		xen_store_remove_layout(h, &l->dom->cfg);
		if (!xs_release_domain(h, l->dom->cfg.domid))
			log_warn("xenstore: releasing domain %u: %s", l->dom->cfg.domid,
				 strerror(errno));
		xs_close(h);
	}
	free_link(l);
}
