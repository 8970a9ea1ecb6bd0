/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's console: every output device (debug port, UART, Xen console_io, the PV
 * console) writes here, through one ordered queue, to stdout or to a file. Writing never
 * blocks the caller (a vCPU or an I/O thread): bytes go through the domain's output
 * budget (a rate limit, output_budget.h) into a bounded queue that a thread of its own
 * writes out; what the budget or a full queue refuses is dropped, counted, and reported
 * in the log once per interval. A --console regular file is rotated to FILE.1 when it
 * would pass its size cap, so a domain stores at most twice the cap; any other sink (a
 * device, FIFO, socket, terminal) is only rate-limited, never renamed nor truncated. Input, when stdin is a terminal
 * or a pipe, is queued for the devices that read it.
 */
#ifndef XENKVM_VMM_CONSOLE_H
#define XENKVM_VMM_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct console_limits {
	uint64_t rate; /* bytes a second; 0: no limit */
	uint64_t burst; /* bytes that may go out at once after a quiet period */
	uint64_t max_size; /* of the --console file before rotation; 0: no cap */
};

/* The defaults (docs/LIMITS.md): a domain's console log stays under 2 MiB. */
#define CONSOLE_DEFAULT_RATE (64u << 10)
#define CONSOLE_DEFAULT_BURST (1u << 20)
#define CONSOLE_DEFAULT_MAX_SIZE (1u << 20)
/* The smallest cap: one write of the queue always fits in a fresh file. */
#define CONSOLE_MIN_MAX_SIZE (64u << 10)

/* Before console_open(): the limits (else the defaults). */
void console_set_limits(const struct console_limits *lim);
int console_open(const char *path); /* NULL: stdout */
void console_write(const void *buf, size_t len);
/* Waits (boundedly: until the sink stops taking bytes) for the queue to be written. */
void console_flush(void);
void console_close(void);
/* Also hands every piece of output the writer takes to fn (console_sock.c), on the writer's
 * thread; fn must not block. NULL: none. */
void console_set_tee(void (*fn)(const void *buf, size_t len));
/* Bytes dropped since console_open(). */
uint64_t console_dropped(void);

/* Input queue: the event loop pushes, devices pop. */
void console_input_push(const void *buf, size_t len);
int console_input_pop(void); /* a byte, or -1 when empty */
bool console_input_ready(void);

#endif
