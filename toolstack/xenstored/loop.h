/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Daemon life cycle and the event loop. Requests are handled as they arrive; after each
 * batch the journal is synced and only then are replies released (group commit: one
 * fdatasync covers every write of the batch).
 */
#ifndef XENSTORED_LOOP_H
#define XENSTORED_LOOP_H

#include "toolstack/xenstored/daemon.h"

int xsd_init(struct xsd *d);
/* Loads --db-dir (if any) and starts journaling. */
int xsd_open_db(struct xsd *d);
/*
 * Sync, hand replies to the transports, free dead connections. Returns true when a
 * guest still has requests waiting (the loop then polls without sleeping).
 */
bool xsd_after_batch(struct xsd *d);
/*
 * The event loop's epoll timeout: 0 with work pending, XSD_PARTIAL_POLL_MS while a guest
 * ring holds the start of a request without its end (its writer will not kick again;
 * xsd_after_batch() reads the ring each round), else -1.
 */
#define XSD_PARTIAL_POLL_MS 1
int xsd_wait_ms(const struct xsd *d, bool pending);
/* Runs until SIGTERM or SIGINT. Returns 0, or -errno on a fatal error. */
int xsd_run(struct xsd *d);
void xsd_fini(struct xsd *d);

#endif
