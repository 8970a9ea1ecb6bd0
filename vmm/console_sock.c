// SPDX-License-Identifier: GPL-2.0
/*
 * The console socket (console_sock.h). Output reaches the clients from console.c's
 * flush (console_set_tee()), on whichever thread wrote it; clients come and go on the
 * event-loop thread; the client table is under its own lock. Sends never block: a
 * client whose socket buffer is full misses that output.
 */
#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "vmm/console.h"
#include "vmm/console_sock.h"
#include "vmm/log.h"

static struct {
	int fd;
	char path[108];
	struct evloop *loop;
	console_input_fn fn;
	void *opaque;
	pthread_mutex_t lock; /* guards clients[] */
	int clients[CONSOLE_SOCK_CLIENTS];
} cs = { .fd = -1, .lock = PTHREAD_MUTEX_INITIALIZER };

static void tee(const void *buf, size_t len)
{
	pthread_mutex_lock(&cs.lock);
	for (int i = 0; i < CONSOLE_SOCK_CLIENTS; i++)
		if (cs.clients[i] >= 0 &&
		    send(cs.clients[i], buf, len, MSG_DONTWAIT | MSG_NOSIGNAL) < 0 &&
		    errno != EAGAIN)
			log_debug("console socket: a client went away");
	pthread_mutex_unlock(&cs.lock);
}

static void forget(int fd)
{
	pthread_mutex_lock(&cs.lock);
	for (int i = 0; i < CONSOLE_SOCK_CLIENTS; i++)
		if (cs.clients[i] == fd)
			cs.clients[i] = -1;
	pthread_mutex_unlock(&cs.lock);
	close(fd);
}

static bool on_client(int fd, uint32_t events, void *opaque)
{
	char buf[256];
	ssize_t n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT);

	(void)events;
	(void)opaque;
	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return true;
	if (n <= 0) {
		forget(fd);
		return false;
	}
	console_input_push(buf, (size_t)n);
	cs.fn(cs.opaque);
	return true;
}

static bool on_accept(int fd, uint32_t events, void *opaque)
{
	static const char busy[] = "xenkvm: too many console clients\r\n";
	int cfd = accept4(fd, NULL, NULL, SOCK_NONBLOCK | SOCK_CLOEXEC);
	int slot = -1;

	(void)events;
	(void)opaque;
	if (cfd < 0)
		return true;
	pthread_mutex_lock(&cs.lock);
	for (int i = 0; i < CONSOLE_SOCK_CLIENTS && slot < 0; i++)
		if (cs.clients[i] < 0)
			slot = i;
	if (slot >= 0)
		cs.clients[slot] = cfd;
	pthread_mutex_unlock(&cs.lock);
	if (slot < 0) {
		if (send(cfd, busy, sizeof(busy) - 1, MSG_DONTWAIT | MSG_NOSIGNAL) < 0)
			log_debug("console socket: a refused client went away");
		close(cfd);
		return true;
	}
	if (evloop_add(cs.loop, cfd, EPOLLIN | EPOLLRDHUP, on_client, NULL))
		forget(cfd);
	return true;
}

int console_sock_open(const char *path, struct evloop *loop, console_input_fn fn, void *opaque)
{
	struct sockaddr_un sa = { .sun_family = AF_UNIX };
	mode_t old;
	int rc;

	if (strlen(path) >= sizeof(sa.sun_path))
		return -ENAMETOOLONG;
	strcpy(sa.sun_path, path);
	snprintf(cs.path, sizeof(cs.path), "%s", path);
	cs.loop = loop;
	cs.fn = fn;
	cs.opaque = opaque;
	for (int i = 0; i < CONSOLE_SOCK_CLIENTS; i++)
		cs.clients[i] = -1;
	cs.fd = socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (cs.fd < 0)
		return -errno;
	unlink(path); /* left by a VMM that was killed */
	old = umask(0177); /* 0600: the console is its owner's, as the control socket */
	rc = bind(cs.fd, (struct sockaddr *)&sa, sizeof(sa)) ? -errno : 0;
	umask(old);
	if (!rc && listen(cs.fd, 4))
		rc = -errno;
	if (!rc)
		rc = evloop_add(loop, cs.fd, EPOLLIN, on_accept, NULL);
	if (rc) {
		close(cs.fd);
		cs.fd = -1;
		unlink(path);
		return rc;
	}
	console_set_tee(tee);
	return 0;
}

void console_sock_close(void)
{
	if (cs.fd < 0)
		return;
	console_flush();
	console_set_tee(NULL);
	pthread_mutex_lock(&cs.lock);
	for (int i = 0; i < CONSOLE_SOCK_CLIENTS; i++)
		if (cs.clients[i] >= 0) {
			close(cs.clients[i]);
			cs.clients[i] = -1;
		}
	pthread_mutex_unlock(&cs.lock);
	close(cs.fd);
	unlink(cs.path);
	cs.fd = -1;
}
