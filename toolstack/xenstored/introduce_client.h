/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Client side of the ring introduction (docs/XENSTORED.md): an XS_INTRODUCE on the
 * privileged xenstored socket carrying, with SCM_RIGHTS, the ring page's fd, the "kick"
 * eventfd (signalled when the guest notifies the store event channel) and the "notify"
 * eventfd (xenstored signals it to notify the guest). Depends on libc and the Xen
 * headers only, so that the VMM can link it as is. The descriptors stay open in the
 * caller (the kernel duplicates them for the daemon).
 */
#ifndef XENSTORED_INTRODUCE_CLIENT_H
#define XENSTORED_INTRODUCE_CLIENT_H

/*
 * On a connected, blocking socket: sends the INTRODUCE with the three descriptors and
 * waits for the reply. mfn is the ring page's offset in page_fd, in 4096-byte pages (the
 * page must lie within the file). Watch events read meanwhile are discarded, and so is
 * any reply to another request: use a connection with nothing else in flight (or
 * xs_introduce_ring_at(), which opens its own).
 * Returns 0, or -errno (the error xenstored answered, e.g. -EINVAL, or the I/O error).
 */
int xs_introduce_ring(int sock_fd, unsigned int domid, unsigned long mfn, unsigned int port,
		      int page_fd, int kick_fd, int notify_fd);

/* The same, connecting to socket_path (NULL: XENSTORED_PATH or /run/xenstored/socket). */
int xs_introduce_ring_at(const char *socket_path, unsigned int domid, unsigned long mfn,
			 unsigned int port, int page_fd, int kick_fd, int notify_fd);

/* A stream connection to xenstored's socket (flags: SOCK_NONBLOCK or 0); fd or -errno. */
int xs_connect_socket(const char *socket_path, int flags);

#endif
