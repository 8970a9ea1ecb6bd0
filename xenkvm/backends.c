// SPDX-License-Identifier: GPL-2.0
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <unistd.h>

#include "vmm/console.h"
#include "vmm/log.h"
#include "xenkvm/backends.h"
#include "xenkvm/devices.h"

static int queue_input_file(const char *path)
{
	char buf[4096];
	ssize_t n;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	if (fd < 0)
		return -errno;
	while ((n = read(fd, buf, sizeof(buf))) > 0)
		console_input_push(buf, (size_t)n);
	close(fd);
	return n < 0 ? -errno : 0;
}

int backends_init(struct backends *b, const struct options *o, struct xen_domain *dom)
{
	struct xen_store_config store = {
		.socket_path = o->xenstore_socket,
		.required = o->xenstore_socket != NULL,
		.memory_kib = o->memory_mib << 10,
	};
	int rc;

	memset(b, 0, sizeof(*b));
	rc = pv_console_init(dom, &b->console);
	if (rc) {
		log_err("PV console: %s", strerror(-rc));
		return rc;
	}
	if (o->console_input && (rc = queue_input_file(o->console_input))) {
		log_err("--console-input '%s': %s", o->console_input, strerror(-rc));
		return rc;
	}
	if (!o->no_xenstore)
		rc = xen_store_link_init(dom, &store, &b->store);
	if (rc || (!o->nr_disks && !o->nr_vifs && !(o->test_devices && b->store)))
		return rc;
	if (!b->store) {
		log_err("--disk and --vif need a running xenstored (--xenstore-socket PATH)");
		return -EINVAL;
	}
	return xenkvm_devices_add(o, dom, o->xenstore_socket, &b->devices);
}

void backends_input(struct backends *b)
{
	pv_console_input(b->console);
}

void backends_release(struct backends *b)
{
	/* The guest is gone: its frontends will not answer, and the store nodes go next. */
	pv_bus_close(b->devices);
	b->devices = NULL;
	xen_store_link_release(b->store);
	b->store = NULL;
	pv_console_destroy(b->console);
	b->console = NULL;
}
