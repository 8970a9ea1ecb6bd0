/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's console on a Unix stream socket (mode 0600), which `xl console` attaches to
 * as xenconsole attaches to xenconsoled's pty: each client gets the console output from
 * the moment it connects, and what it writes is console input. At most
 * CONSOLE_SOCK_CLIENTS at once (more are told so and closed); a client that does not
 * read loses output rather than slowing the guest, which never waits for a client.
 */
#ifndef XENKVM_VMM_CONSOLE_SOCK_H
#define XENKVM_VMM_CONSOLE_SOCK_H

#include "vmm/evloop.h"

#define CONSOLE_SOCK_CLIENTS 4

/* Called on the event-loop thread after input was queued (console_input_push()). */
typedef void (*console_input_fn)(void *opaque);

int console_sock_open(const char *path, struct evloop *loop, console_input_fn fn, void *opaque);
/* After the event loop stopped: closes the clients and removes the socket file. */
void console_sock_close(void);

#endif
