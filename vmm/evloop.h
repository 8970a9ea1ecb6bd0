/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The VMM's event loop: one thread waiting in epoll on file descriptors (console input,
 * and later sockets, eventfds and timerfds) and calling each one's callback.
 */
#ifndef XENKVM_VMM_EVLOOP_H
#define XENKVM_VMM_EVLOOP_H

#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>

struct evloop_watch;

/* Returns false to stop watching the fd. */
typedef bool (*evloop_fn)(int fd, uint32_t events, void *opaque);

struct evloop {
	int epfd;
	int stop_fd;
	pthread_t thread;
	bool running;
	pthread_mutex_t lock; /* guards the list below */
	struct evloop_watch *watches; /* every watch still registered */
};

int evloop_init(struct evloop *loop);
int evloop_add(struct evloop *loop, int fd, uint32_t events, evloop_fn fn, void *opaque);
int evloop_del(struct evloop *loop, int fd);
int evloop_start(struct evloop *loop);
void evloop_stop(struct evloop *loop);
void evloop_destroy(struct evloop *loop);

#endif
