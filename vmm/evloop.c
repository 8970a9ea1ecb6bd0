// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <stdlib.h>
#include <sys/epoll.h>
#include <sys/prctl.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "vmm/evloop.h"
#include "vmm/log.h"

#define EVLOOP_MAX_EVENTS 16

struct evloop_watch {
	int fd;
	evloop_fn fn;
	void *opaque;
	struct evloop_watch *next;
};

static void unlink_watch(struct evloop *loop, struct evloop_watch *w)
{
	pthread_mutex_lock(&loop->lock);
	for (struct evloop_watch **p = &loop->watches; *p; p = &(*p)->next) {
		if (*p == w) {
			*p = w->next;
			break;
		}
	}
	pthread_mutex_unlock(&loop->lock);
	free(w);
}

int evloop_init(struct evloop *loop)
{
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };

	loop->running = false;
	loop->watches = NULL;
	pthread_mutex_init(&loop->lock, NULL);
	loop->epfd = epoll_create1(EPOLL_CLOEXEC);
	if (loop->epfd < 0)
		return -errno;
	loop->stop_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (loop->stop_fd < 0 || epoll_ctl(loop->epfd, EPOLL_CTL_ADD, loop->stop_fd, &ev) < 0) {
		int err = -errno;

		evloop_destroy(loop);
		return err;
	}
	return 0;
}

int evloop_add(struct evloop *loop, int fd, uint32_t events, evloop_fn fn, void *opaque)
{
	struct evloop_watch *w = malloc(sizeof(*w));
	struct epoll_event ev = { .events = events };

	if (!w)
		return -ENOMEM;
	*w = (struct evloop_watch){ fd, fn, opaque, NULL };
	ev.data.ptr = w;
	pthread_mutex_lock(&loop->lock);
	w->next = loop->watches;
	loop->watches = w;
	pthread_mutex_unlock(&loop->lock);
	if (epoll_ctl(loop->epfd, EPOLL_CTL_ADD, fd, &ev) < 0) {
		int err = -errno;

		unlink_watch(loop, w);
		return err;
	}
	return 0;
}

/* Only while the loop is stopped: a running loop removes watches through callbacks. */
int evloop_del(struct evloop *loop, int fd)
{
	for (struct evloop_watch *w = loop->watches; w; w = w->next) {
		if (w->fd == fd) {
			epoll_ctl(loop->epfd, EPOLL_CTL_DEL, fd, NULL);
			unlink_watch(loop, w);
			return 0;
		}
	}
	return -ENOENT;
}

static void *evloop_thread(void *arg)
{
	struct evloop *loop = arg;
	struct epoll_event evs[EVLOOP_MAX_EVENTS];

	/* Guest timers ride on timerfds here: no 50 us default slack on their wake-ups. */
	prctl(PR_SET_TIMERSLACK, 1UL);

	for (;;) {
		int n = epoll_wait(loop->epfd, evs, EVLOOP_MAX_EVENTS, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_err("event loop: epoll_wait failed");
			return NULL;
		}
		for (int i = 0; i < n; i++) {
			struct evloop_watch *w = evs[i].data.ptr;

			if (!w)
				return NULL; /* the stop eventfd */
			if (!w->fn(w->fd, evs[i].events, w->opaque)) {
				epoll_ctl(loop->epfd, EPOLL_CTL_DEL, w->fd, NULL);
				unlink_watch(loop, w);
			}
		}
	}
}

int evloop_start(struct evloop *loop)
{
	int rc = pthread_create(&loop->thread, NULL, evloop_thread, loop);

	if (rc)
		return -rc;
	loop->running = true;
	return 0;
}

void evloop_stop(struct evloop *loop)
{
	uint64_t one = 1;

	if (!loop->running)
		return;
	if (write(loop->stop_fd, &one, sizeof(one)) != sizeof(one))
		log_err("event loop: cannot signal stop");
	pthread_join(loop->thread, NULL);
	loop->running = false;
}

void evloop_destroy(struct evloop *loop)
{
	while (loop->watches)
		unlink_watch(loop, loop->watches);
	if (loop->stop_fd >= 0)
		close(loop->stop_fd);
	if (loop->epfd >= 0)
		close(loop->epfd);
	loop->stop_fd = loop->epfd = -1;
}
