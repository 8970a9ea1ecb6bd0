// SPDX-License-Identifier: GPL-2.0
/*
 * The VMM's xenstore connection for PV devices and its watch thread. Each device watches
 * its frontend's state node under the token "pvdev/<id>"; the thread looks the device up
 * by that id under the bus lock, so an event for a device removed meanwhile is dropped.
 */
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include "drivers-pv/iothread.h"
#include "drivers-pv/pv_bus.h"
#include "drivers-pv/pv_device.h"
#include "vmm/log.h"

#define DEFAULT_SOCKET "/run/xenstored/socket"

static void dispatch(struct pv_bus *bus, const char *token)
{
	unsigned int id;
	char end;

	if (sscanf(token, "pvdev/%u%c", &id, &end) != 1)
		return;
	pthread_mutex_lock(&bus->lock);
	for (struct pv_device *d = bus->devices; d; d = d->next)
		if (d->bus_id == id)
			pv_device_watch_fired(d);
	pthread_mutex_unlock(&bus->lock);
}

static void *watch_main(void *arg)
{
	struct pv_bus *bus = arg;
	struct pollfd fds[2] = { { .fd = xs_fileno(bus->xs), .events = POLLIN },
				 { .fd = bus->stop_fd, .events = POLLIN } };

	if (fds[0].fd < 0) {
		log_err("PV devices: no xenstore watch fd");
		return NULL;
	}
	for (;;) {
		char **vec;

		if (poll(fds, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			log_err("PV devices: poll: %s", strerror(errno));
			return NULL;
		}
		if (fds[1].revents)
			return NULL;
		while ((vec = xs_check_watch(bus->xs))) {
			dispatch(bus, vec[XS_WATCH_TOKEN]);
			free(vec);
		}
	}
}

int pv_bus_open(struct xen_domain *dom, const char *socket_path, struct pv_bus **out)
{
	struct pv_bus *bus = calloc(1, sizeof(*bus));
	const char *env = getenv("XENSTORED_PATH");
	int rc;

	if (!bus)
		return -ENOMEM;
	bus->dom = dom;
	bus->domid = dom->cfg.domid;
	bus->backend_id = 0;
	pthread_mutex_init(&bus->lock, NULL);
	if (!socket_path)
		socket_path = env && *env ? env : DEFAULT_SOCKET;
	/* libxenstore finds the socket through the environment only. */
	setenv("XENSTORED_PATH", socket_path, 1);
	bus->xs = xs_open(XS_OPEN_SOCKETONLY);
	bus->stop_fd = eventfd(0, EFD_CLOEXEC);
	if (!bus->xs || bus->stop_fd < 0) {
		rc = -errno;
		goto fail;
	}
	rc = pv_thread_create(&bus->watch_thread, watch_main, bus);
	if (rc)
		goto fail;
	pthread_setname_np(bus->watch_thread, "xenbus");
	*out = bus;
	return 0;
fail:
	if (bus->xs)
		xs_close(bus->xs);
	if (bus->stop_fd >= 0)
		close(bus->stop_fd);
	pthread_mutex_destroy(&bus->lock);
	free(bus);
	return rc ? rc : -EIO;
}

void pv_bus_close(struct pv_bus *bus)
{
	uint64_t one = 1;

	if (!bus)
		return;
	while (bus->devices)
		pv_device_remove(bus->devices, 0);
	if (write(bus->stop_fd, &one, sizeof(one)) != sizeof(one))
		log_err("PV devices: cannot stop the watch thread");
	pthread_join(bus->watch_thread, NULL);
	xs_close(bus->xs);
	close(bus->stop_fd);
	pthread_mutex_destroy(&bus->lock);
	free(bus);
}
