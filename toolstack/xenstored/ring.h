/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest ring transport: the xenstore_domain_interface page of xs_wire.h, mapped from
 * a descriptor the VMM passed, a "kick" eventfd the VMM signals when the guest notifies
 * and a "notify" eventfd we signal to notify the guest. The page is guest-writable:
 * every index is validated and a bad ring disconnects that domain only.
 */
#ifndef XENSTORED_RING_H
#define XENSTORED_RING_H

#include <stdbool.h>
#include <stdint.h>

struct xsd;
struct conn;

/* Maps the page at mfn * 4096 of page_fd and takes ownership of the three fds. */
int ring_attach(struct xsd *d, struct conn *c, int page_fd, unsigned long mfn, int kick_fd,
		int notify_fd);
void ring_detach(struct xsd *d, struct conn *c);
/* The guest notified: consume requests, move replies, honour a reconnect request. */
void ring_kick(struct xsd *d, struct conn *c);
/* Moves queued output into the response ring and notifies. */
void ring_flush(struct xsd *d, struct conn *c);
/* Reads requests left unread while replies were backed up; true if it read any. */
bool ring_resume(struct xsd *d, struct conn *c);
/* Stops serving the ring, reporting error (XENSTORE_ERROR_*) in the page. */
void ring_fail(struct conn *c, uint32_t error);
/* The eventfd the event loop waits on. */
int ring_kick_fd(const struct conn *c);

#endif
