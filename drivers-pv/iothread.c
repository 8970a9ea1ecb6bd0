// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O thread. Its fd table changes only on the thread itself (other threads go
 * through pv_iothread_call()), so a callback may add or remove fds, its own included,
 * without another thread freeing a watch under it.
 */
#include <errno.h>
#include <pthread.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "drivers-pv/iothread.h"
#include "vmm/log.h"

#define MAX_EVENTS 16

struct io_watch {
	int fd;
	pv_iothread_fn fn;
	void *opaque;
	bool dead; /* removed during the current batch: freed after it */
	struct io_watch *next;
};

struct io_call {
	void (*fn)(void *arg);
	void *arg;
	bool done;
	bool posted; /* malloc'ed by pv_iothread_post(), nobody waits */
	struct io_call *next;
};

struct pv_iothread {
	pthread_t thread;
	int epfd;
	int wake_fd; /* calls queued, or stop */
	bool stopping; /* set by pv_iothread_stop(), under lock */
	pthread_mutex_t lock; /* the call queue and `stopping` */
	pthread_cond_t done;
	struct io_call *calls, **calls_tail; /* in the order they were queued */
	struct io_watch *watches; /* touched by the thread only */
	bool in_batch;
};

bool pv_iothread_is_current(const struct pv_iothread *io)
{
	return pthread_equal(pthread_self(), io->thread);
}

static struct io_watch *find_watch(struct pv_iothread *io, int fd)
{
	for (struct io_watch *w = io->watches; w; w = w->next)
		if (w->fd == fd && !w->dead)
			return w;
	return NULL;
}

struct fd_op {
	struct pv_iothread *io;
	int fd;
	pv_iothread_fn fn;
	void *opaque;
	int rc;
};

static void add_on_thread(void *arg)
{
	struct fd_op *op = arg;
	struct io_watch *w;
	struct epoll_event ev = { .events = EPOLLIN };

	if (find_watch(op->io, op->fd)) {
		op->rc = -EEXIST;
		return;
	}
	w = calloc(1, sizeof(*w));
	if (!w) {
		op->rc = -ENOMEM;
		return;
	}
	*w = (struct io_watch){ .fd = op->fd, .fn = op->fn, .opaque = op->opaque };
	ev.data.ptr = w;
	if (epoll_ctl(op->io->epfd, EPOLL_CTL_ADD, op->fd, &ev) < 0) {
		op->rc = -errno;
		free(w);
		return;
	}
	w->next = op->io->watches;
	op->io->watches = w;
	op->rc = 0;
}

/* Frees the watches marked dead (not during a batch: its events may still point at them). */
static void reap(struct pv_iothread *io)
{
	struct io_watch **p = &io->watches;

	while (*p) {
		struct io_watch *w = *p;

		if (w->dead) {
			*p = w->next;
			free(w);
		} else {
			p = &w->next;
		}
	}
}

static void del_on_thread(void *arg)
{
	struct fd_op *op = arg;
	struct io_watch *w = find_watch(op->io, op->fd);

	if (!w) {
		op->rc = -ENOENT;
		return;
	}
	epoll_ctl(op->io->epfd, EPOLL_CTL_DEL, op->fd, NULL);
	w->dead = true;
	if (!op->io->in_batch)
		reap(op->io);
	op->rc = 0;
}

int pv_iothread_add_fd(struct pv_iothread *io, int fd, pv_iothread_fn fn, void *opaque)
{
	struct fd_op op = { io, fd, fn, opaque, 0 };

	pv_iothread_call(io, add_on_thread, &op);
	return op.rc;
}

int pv_iothread_del_fd(struct pv_iothread *io, int fd)
{
	struct fd_op op = { .io = io, .fd = fd };

	pv_iothread_call(io, del_on_thread, &op);
	return op.rc;
}

/* Lock held. */
static void enqueue(struct pv_iothread *io, struct io_call *c)
{
	uint64_t one = 1;

	c->next = NULL;
	*io->calls_tail = c;
	io->calls_tail = &c->next;
	if (write(io->wake_fd, &one, sizeof(one)) != sizeof(one))
		log_err("I/O thread: cannot queue a call: %s", strerror(errno));
}

void pv_iothread_call(struct pv_iothread *io, void (*fn)(void *arg), void *arg)
{
	struct io_call c = { .fn = fn, .arg = arg };

	if (pv_iothread_is_current(io)) {
		fn(arg);
		return;
	}
	pthread_mutex_lock(&io->lock);
	enqueue(io, &c);
	while (!c.done)
		pthread_cond_wait(&io->done, &io->lock);
	pthread_mutex_unlock(&io->lock);
}

int pv_iothread_post(struct pv_iothread *io, void (*fn)(void *arg), void *arg)
{
	struct io_call *c = calloc(1, sizeof(*c));

	if (!c)
		return -ENOMEM;
	*c = (struct io_call){ .fn = fn, .arg = arg, .posted = true };
	pthread_mutex_lock(&io->lock);
	enqueue(io, c);
	pthread_mutex_unlock(&io->lock);
	return 0;
}

/* Runs the queued calls; false when the thread is to stop. */
static bool run_calls(struct pv_iothread *io)
{
	uint64_t n;
	bool stop;

	if (read(io->wake_fd, &n, sizeof(n)) < 0 && errno != EAGAIN)
		log_err("I/O thread: wake eventfd: %s", strerror(errno));
	pthread_mutex_lock(&io->lock);
	while (io->calls) {
		struct io_call *c = io->calls;

		io->calls = c->next;
		if (!io->calls)
			io->calls_tail = &io->calls;
		pthread_mutex_unlock(&io->lock);
		c->fn(c->arg);
		pthread_mutex_lock(&io->lock);
		if (c->posted) {
			free(c);
			continue;
		}
		c->done = true;
		pthread_cond_broadcast(&io->done);
	}
	stop = io->stopping;
	pthread_mutex_unlock(&io->lock);
	return !stop;
}

static void *io_main(void *arg)
{
	struct pv_iothread *io = arg;
	struct epoll_event evs[MAX_EVENTS];

	for (;;) {
		bool keep = true;
		int n = epoll_wait(io->epfd, evs, MAX_EVENTS, -1);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			log_err("I/O thread: epoll_wait: %s", strerror(errno));
			return NULL;
		}
		io->in_batch = true;
		for (int i = 0; i < n; i++) {
			struct io_watch *w = evs[i].data.ptr;

			if (!w)
				keep = run_calls(io) && keep;
			else if (!w->dead)
				w->fn(w->fd, w->opaque);
		}
		io->in_batch = false;
		reap(io);
		if (!keep)
			return NULL;
	}
}

/*
 * Signals are the main thread's (xenkvm takes SIGTERM and friends through a signalfd):
 * a thread started with them unblocked would take SIGTERM's default action, killing the
 * VMM before it releases the domain. The new thread starts with every signal blocked.
 */
int pv_thread_create(pthread_t *thread, void *(*fn)(void *), void *arg)
{
	sigset_t all, old;
	int rc;

	sigfillset(&all);
	pthread_sigmask(SIG_SETMASK, &all, &old);
	rc = pthread_create(thread, NULL, fn, arg);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
	return -rc;
}

int pv_iothread_start(const char *name, struct pv_iothread **out)
{
	struct pv_iothread *io = calloc(1, sizeof(*io));
	struct epoll_event ev = { .events = EPOLLIN, .data.ptr = NULL };
	char tname[16];
	int rc;

	if (!io)
		return -ENOMEM;
	pthread_mutex_init(&io->lock, NULL);
	pthread_cond_init(&io->done, NULL);
	io->calls_tail = &io->calls;
	io->epfd = epoll_create1(EPOLL_CLOEXEC);
	io->wake_fd = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
	if (io->epfd < 0 || io->wake_fd < 0 ||
	    epoll_ctl(io->epfd, EPOLL_CTL_ADD, io->wake_fd, &ev) < 0) {
		rc = -errno;
		goto fail;
	}
	rc = pv_thread_create(&io->thread, io_main, io);
	if (rc)
		goto fail;
	snprintf(tname, sizeof(tname), "%s", name);
	pthread_setname_np(io->thread, tname);
	*out = io;
	return 0;
fail:
	if (io->epfd >= 0)
		close(io->epfd);
	if (io->wake_fd >= 0)
		close(io->wake_fd);
	pthread_mutex_destroy(&io->lock);
	pthread_cond_destroy(&io->done);
	free(io);
	return rc;
}

void pv_iothread_stop(struct pv_iothread *io)
{
	uint64_t one = 1;

	if (!io)
		return;
	pthread_mutex_lock(&io->lock);
	io->stopping = true;
	if (write(io->wake_fd, &one, sizeof(one)) != sizeof(one))
		log_err("I/O thread: cannot signal stop: %s", strerror(errno));
	pthread_mutex_unlock(&io->lock);
	pthread_join(io->thread, NULL);
	for (struct io_watch *w = io->watches; w; w = w->next)
		w->dead = true;
	reap(io);
	close(io->epfd);
	close(io->wake_fd);
	pthread_mutex_destroy(&io->lock);
	pthread_cond_destroy(&io->done);
	free(io);
}
