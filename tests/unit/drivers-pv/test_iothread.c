// SPDX-License-Identifier: GPL-2.0
/*
 * The I/O thread (drivers-pv/iothread.h): callbacks run on that thread only, calls from
 * other threads run there and return after, posted calls keep their order and all run
 * before a stop, and an fd removed (also from inside a callback of the same batch) is
 * never called again.
 */
#include <errno.h>
#include <pthread.h>
#include <stdint.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "drivers-pv/iothread.h"
#include "tests/unit/unit.h"

static struct pv_iothread *io;

struct seen {
	pthread_t thread;
	int calls;
	bool on_io_thread;
};

static void record(void *arg)
{
	struct seen *s = arg;

	s->thread = pthread_self();
	s->on_io_thread = pv_iothread_is_current(io);
	s->calls++;
}

static void test_call_runs_there(void)
{
	struct seen s = { 0 };

	CU_ASSERT_EQUAL_FATAL(pv_iothread_start("unit-io", &io), 0);
	CU_ASSERT_FALSE(pv_iothread_is_current(io));
	pv_iothread_call(io, record, &s);
	CU_ASSERT_EQUAL(s.calls, 1); /* done when call() returns */
	CU_ASSERT_TRUE(s.on_io_thread);
	CU_ASSERT_FALSE(pthread_equal(s.thread, pthread_self()));
}

static int order[64];
static int n_order;

static void append(void *arg)
{
	order[n_order++] = (int)(intptr_t)arg;
}

static void test_posts_in_order_before_stop(void)
{
	for (int i = 0; i < 64; i++)
		CU_ASSERT_EQUAL(pv_iothread_post(io, append, (void *)(intptr_t)i), 0);
	pv_iothread_stop(io);
	io = NULL;
	CU_ASSERT_EQUAL(n_order, 64);
	for (int i = 0; i < n_order; i++)
		CU_ASSERT_EQUAL(order[i], i);
}

struct fd_test {
	int fd[2];
	int hits[2];
	bool drop_other; /* fd 0's callback removes fd 1 */
};

static struct fd_test ft;

static void on_fd(int fd, void *opaque)
{
	int i = (int)(intptr_t)opaque;
	uint64_t n;

	if (read(fd, &n, sizeof(n)) == sizeof(n))
		ft.hits[i]++;
	if (i == 0 && ft.drop_other)
		pv_iothread_del_fd(io, ft.fd[1]);
}

static void kick(int fd)
{
	uint64_t one = 1;

	CU_ASSERT_EQUAL(write(fd, &one, sizeof(one)), sizeof(one));
}

static void sync_thread(void *arg)
{
}

static void test_fds_and_removal(void)
{
	CU_ASSERT_EQUAL_FATAL(pv_iothread_start("unit-io", &io), 0);
	for (int i = 0; i < 2; i++) {
		ft.fd[i] = eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
		CU_ASSERT_EQUAL(pv_iothread_add_fd(io, ft.fd[i], on_fd, (void *)(intptr_t)i), 0);
	}
	CU_ASSERT_EQUAL(pv_iothread_add_fd(io, ft.fd[0], on_fd, NULL), -EEXIST);
	kick(ft.fd[0]);
	kick(ft.fd[1]);
	for (int tries = 0; tries < 20000 && (ft.hits[0] < 1 || ft.hits[1] < 1); tries++)
		usleep(100);
	CU_ASSERT_EQUAL(ft.hits[0], 1);
	CU_ASSERT_EQUAL(ft.hits[1], 1);

	/* Both ready in one batch, fd 0 first or not: fd 1 is gone once fd 0 ran. */
	ft.drop_other = true;
	kick(ft.fd[1]);
	kick(ft.fd[0]);
	for (int tries = 0; tries < 20000 && ft.hits[0] < 2; tries++)
		usleep(100);
	pv_iothread_call(io, sync_thread, NULL);
	CU_ASSERT_EQUAL(ft.hits[0], 2);
	CU_ASSERT_EQUAL(pv_iothread_del_fd(io, ft.fd[1]), -ENOENT);
	kick(ft.fd[1]);
	pv_iothread_call(io, sync_thread, NULL);
	CU_ASSERT_TRUE(ft.hits[1] <= 2);
	{
		int before = ft.hits[1];

		kick(ft.fd[1]);
		pv_iothread_call(io, sync_thread, NULL);
		CU_ASSERT_EQUAL(ft.hits[1], before); /* never called again */
	}
	CU_ASSERT_EQUAL(pv_iothread_del_fd(io, ft.fd[0]), 0);
	pv_iothread_stop(io);
	io = NULL;
	close(ft.fd[0]);
	close(ft.fd[1]);
}

UNIT_SUITE(iothread, NULL, NULL, UNIT_TEST(test_call_runs_there),
	   UNIT_TEST(test_posts_in_order_before_stop), UNIT_TEST(test_fds_and_removal));
