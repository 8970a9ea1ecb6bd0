/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The Unix socket transport. Every socket connection is the privileged domain 0, as
 * with Xen's xenstored; the socket file is created 0600 (root only) by default. The
 * privileged caller may pass a guest ring's descriptors with SCM_RIGHTS on INTRODUCE.
 */
#ifndef XENSTORED_SOCK_H
#define XENSTORED_SOCK_H

#include <stdbool.h>

struct xsd;
struct conn;

int sock_listen(struct xsd *d);
void sock_accept(struct xsd *d);
void sock_read(struct xsd *d, struct conn *c);
void sock_flush(struct xsd *d, struct conn *c);
bool sock_throttled(const struct xsd *d, const struct conn *c);

#endif
