/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The guest's console: every output device (debug port, UART, Xen console_io) writes here,
 * through one ordered buffer, to stdout or to a file. Input, when stdin is a terminal or
 * a pipe, is queued for the devices that read it.
 */
#ifndef XENKVM_VMM_CONSOLE_H
#define XENKVM_VMM_CONSOLE_H

#include <stdbool.h>
#include <stddef.h>

int console_open(const char *path); /* NULL: stdout */
void console_write(const void *buf, size_t len);
void console_flush(void);
void console_close(void);
/* Also hands every flushed piece of output to fn (console_sock.c); NULL: none. */
void console_set_tee(void (*fn)(const void *buf, size_t len));

/* Input queue: the event loop pushes, devices pop. */
void console_input_push(const void *buf, size_t len);
int console_input_pop(void); /* a byte, or -1 when empty */
bool console_input_ready(void);

#endif
