/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Daemon-wide state and the connection object shared by the socket and ring
 * transports. A connection has a domain identity (the socket is the privileged
 * domain 0, a ring is its guest), a framing state for incoming bytes, an output
 * queue, its watches and its transactions.
 */
#ifndef XENSTORED_DAEMON_H
#define XENSTORED_DAEMON_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <xen/io/xs_wire.h>

#include "toolstack/xenstored/events.h"
#include "toolstack/xenstored/perms.h"
#include "toolstack/xenstored/quota.h"
#include "toolstack/xenstored/store.h"
#include "toolstack/xenstored/txn.h"

struct journal;
struct ring;
struct watch;

enum conn_kind { CONN_SOCKET, CONN_RING };

struct conn {
	enum conn_kind kind;
	struct caller who;
	int fd; /* the socket, or -1 */
	struct ring *ring; /* the ring page, or NULL */
	unsigned long serial;

	/* Framing of incoming bytes. */
	struct xsd_sockmsg hdr;
	uint32_t hdr_have, body_have;
	char body[XENSTORE_PAYLOAD_MAX + 1];
	uint64_t rx_pos, msg_start; /* stream offsets, to pair passed fds with a message */

	/* Descriptors passed with SCM_RIGHTS, waiting for their INTRODUCE. */
	int fds[3];
	unsigned int nfds;
	uint64_t fds_pos;

	/* Replies and events not yet handed to the transport. */
	char *out;
	size_t out_len, out_off, out_cap;
	size_t out_msg_left; /* ring: bytes still due of a reply larger than the ring */
	/*
	 * ring: a request's start is in the ring, its end not yet. Linux (xenbus_comms.c
	 * xb_write) kicks only when the ring was empty before its write, so the rest of a
	 * request left unconsumed comes with no kick: the loop looks again (ring_partial()).
	 */
	bool ring_partial;
	uint32_t ev_mask; /* epoll events a socket is registered for */

	struct watch *watches;
	unsigned int nwatches;
	struct txn *txns;
	unsigned int ntxns;
	uint32_t next_txid;

	bool dead;
	struct conn *next;
};

struct domain {
	unsigned int domid;
	unsigned long mfn;
	unsigned int port;
	int target; /* SET_TARGET, -1 none */
	bool shutdown; /* @releaseDomain sent; RESUME clears */
	struct conn *conn;
	struct domain *next;
};

struct options {
	const char *socket_path;
	const char *db_dir;
	const char *pid_file;
	const char *trace_file;
	bool no_fork;
	bool keep_orphans;
	bool verbose;
	int socket_mode;
	unsigned long compact_bytes;
};

struct xsd {
	struct options opt;
	struct store st;
	struct quota q;
	struct perm special_perms[2]; /* @introduceDomain, @releaseDomain: "n0" */
	struct conn *conns;
	struct domain *domains;
	struct journal *journal;
	FILE *trace;
	int epfd, listen_fd;
	unsigned long next_serial;
	unsigned long nreq;
	bool logging;
};

/* conn.c */
struct conn *conn_new(struct xsd *d, enum conn_kind kind, const struct caller *who);
void conn_free(struct xsd *d, struct conn *c);
/* Feeds received bytes; complete messages are handled. -EPROTO breaks the connection. */
int conn_feed(struct xsd *d, struct conn *c, const char *buf, size_t len);
int conn_queue(struct conn *c, uint32_t type, uint32_t req_id, uint32_t tx_id, const void *payload,
	       size_t len);
void conn_close_fds(struct conn *c);
/* A guest whose undelivered output exceeds the memory quota is disconnected. */
void conn_check_backlog(struct xsd *d, struct conn *c);

/* proto.c: one complete message from c. */
void proto_handle(struct xsd *d, struct conn *c, const struct xsd_sockmsg *hdr, const char *body);
void proto_reply_error(struct xsd *d, struct conn *c, const struct xsd_sockmsg *hdr, int err);

/* watch.c */
int watch_add(struct xsd *d, struct conn *c, const char *wpath, const char *token, bool relative);
/* Fired once straight away, with the watch's own path, after the WATCH reply. */
void watch_initial(struct xsd *d, struct conn *c, const char *wpath, const char *token);
int watch_remove(struct conn *c, const char *wpath, const char *token);
void watch_remove_all(struct conn *c);
/* Sends each event to every matching watch it may see, then empties ev. */
void watch_fire(struct xsd *d, struct events *ev);
void watch_fire_special(struct xsd *d, const char *name);

/* domain.c */
struct domain *domain_find(struct xsd *d, unsigned int domid);
int domain_introduce(struct xsd *d, unsigned int domid, unsigned long mfn, unsigned int port,
		     const int fds[3], unsigned int nfds, bool replay);
int domain_release(struct xsd *d, unsigned int domid, bool replay);
int domain_set_target(struct xsd *d, unsigned int domid, unsigned int target, bool replay);
void domain_conn_gone(struct xsd *d, struct conn *c);

/* control.c: CONTROL payload; writes a reply into out. Returns its length or -errno. */
int control_run(struct xsd *d, struct conn *c, const char *payload, size_t len, char *out,
		size_t outsz);

/* trace.c */
int trace_open(struct xsd *d, const char *path);
void trace_msg(struct xsd *d, const struct conn *c, bool out, const struct xsd_sockmsg *hdr,
	       const char *body);
void xsd_log(struct xsd *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

#endif
