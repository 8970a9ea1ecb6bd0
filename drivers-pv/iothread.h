/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An I/O thread: one thread waiting in epoll on a set of file descriptors (a backend's
 * event-channel eventfds, its I/O completions) and running each one's callback, so that a
 * device's work never runs on a vCPU thread and a slow device never stalls another one.
 * Other threads hand it work with pv_iothread_call(), which is how a device's xenbus
 * transitions run on the same thread as its I/O.
 */
#ifndef XENKVM_DRIVERS_PV_IOTHREAD_H
#define XENKVM_DRIVERS_PV_IOTHREAD_H

#include <pthread.h>
#include <stdbool.h>

struct pv_iothread;

/* Called on the I/O thread each time fd is readable (level-triggered). */
typedef void (*pv_iothread_fn)(int fd, void *opaque);

/* `name` names the thread (at most 15 characters are kept). */
int pv_iothread_start(const char *name, struct pv_iothread **io);
/*
 * Runs the calls still queued, stops and joins the thread (not from itself), then frees
 * it; its fds are not closed.
 */
void pv_iothread_stop(struct pv_iothread *io);

/* From any thread; an fd is registered once. */
int pv_iothread_add_fd(struct pv_iothread *io, int fd, pv_iothread_fn fn, void *opaque);
/* From any thread: once it returns, fn is not running and is never called again for fd. */
int pv_iothread_del_fd(struct pv_iothread *io, int fd);

/* Runs fn(arg) on the I/O thread and waits for it (directly when called from there). */
void pv_iothread_call(struct pv_iothread *io, void (*fn)(void *arg), void *arg);
/* pthread_create() with every signal blocked in the new thread: 0 or -errno. */
int pv_thread_create(pthread_t *thread, void *(*fn)(void *), void *arg);

/* Queues fn(arg) to run on the I/O thread after the calls queued before it; no wait. */
int pv_iothread_post(struct pv_iothread *io, void (*fn)(void *arg), void *arg);
bool pv_iothread_is_current(const struct pv_iothread *io);

#endif
