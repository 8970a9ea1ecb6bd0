// SPDX-License-Identifier: GPL-2.0
/*
 * The common half of every xenbus backend (pv_device.h): the directories libxl writes,
 * the state machine (xenbus_state.c) run on the device's I/O thread whenever the
 * frontend's state node changes, hot add and libxl's removal path.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "drivers-pv/iothread.h"
#include "drivers-pv/pv_bus.h"
#include "drivers-pv/pv_device.h"
#include "drivers-pv/pv_evtchn.h"
#include "drivers-pv/xenbus_state.h"
#include "vmm/log.h"

#define MAX_BACKEND_TYPES 8
#define TXN_RETRIES 16

static const struct pv_backend_ops *backend_types[MAX_BACKEND_TYPES];

void pv_backend_register(const struct pv_backend_ops *ops)
{
	for (unsigned int i = 0; i < MAX_BACKEND_TYPES; i++) {
		if (!backend_types[i]) {
			backend_types[i] = ops;
			return;
		}
	}
	log_err("PV devices: too many backend types (%s)", ops->type);
}

const struct pv_backend_ops *pv_backend_find(const char *type)
{
	for (unsigned int i = 0; i < MAX_BACKEND_TYPES && backend_types[i]; i++)
		if (!strcmp(backend_types[i]->type, type))
			return backend_types[i];
	return NULL;
}

static const char *side_path(const struct pv_device *dev, enum pv_side side)
{
	return side == PV_FRONTEND ? dev->frontend_path : dev->backend_path;
}

int pv_device_read_str(struct pv_device *dev, enum pv_side side, const char *key, char **val)
{
	char path[256];
	unsigned int len;
	char *v;

	if (snprintf(path, sizeof(path), "%s/%s", side_path(dev, side), key) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	v = xs_read(dev->bus->xs, XBT_NULL, path, &len);
	if (!v)
		return -errno;
	/* libxenstore NUL-terminates; a value with a NUL inside is not a string. */
	if (strlen(v) != len) {
		free(v);
		return -EINVAL;
	}
	*val = v;
	return 0;
}

int pv_device_read_ullong(struct pv_device *dev, enum pv_side side, const char *key,
			  unsigned long long *val)
{
	char *s, *end;
	int rc = pv_device_read_str(dev, side, key, &s);

	if (rc)
		return rc;
	errno = 0;
	*val = strtoull(s, &end, 10);
	if (s[0] < '0' || s[0] > '9' || *end || errno)
		rc = -EINVAL;
	free(s);
	return rc;
}

int pv_device_read_uint(struct pv_device *dev, enum pv_side side, const char *key,
			unsigned int *val)
{
	unsigned long long v;
	int rc = pv_device_read_ullong(dev, side, key, &v);

	if (rc)
		return rc;
	if (v > UINT32_MAX)
		return -EINVAL;
	*val = (unsigned int)v;
	return 0;
}

int pv_device_write_str(struct pv_device *dev, const char *key, const char *val)
{
	char path[256];

	if (snprintf(path, sizeof(path), "%s/%s", dev->backend_path, key) >= (int)sizeof(path))
		return -ENAMETOOLONG;
	if (!xs_write(dev->bus->xs, XBT_NULL, path, val, strlen(val)))
		return -errno;
	return 0;
}

int pv_device_write_uint(struct pv_device *dev, const char *key, unsigned long long val)
{
	char buf[24];

	snprintf(buf, sizeof(buf), "%llu", val);
	return pv_device_write_str(dev, key, buf);
}

int pv_device_printf(struct pv_device *dev, const char *key, const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0 || n >= (int)sizeof(buf))
		return -EOVERFLOW;
	return pv_device_write_str(dev, key, buf);
}

struct fd_cb {
	struct pv_device *dev;
	pv_io_fn fn;
	void *opaque;
};

static void run_fd_cb(int fd, void *opaque)
{
	struct fd_cb *cb = opaque;

	cb->fn(cb->dev, fd, cb->opaque);
}

/* The device's callbacks, freed when their fd goes. */
struct pv_fd {
	int fd;
	struct fd_cb cb;
	struct pv_fd *next;
};

int pv_device_iothread_add_fd(struct pv_device *dev, int fd, pv_io_fn fn, void *opaque)
{
	struct pv_fd *f = calloc(1, sizeof(*f));
	int rc;

	if (!f)
		return -ENOMEM;
	*f = (struct pv_fd){ .fd = fd, .cb = { dev, fn, opaque } };
	rc = pv_iothread_add_fd(dev->io, fd, run_fd_cb, &f->cb);
	if (rc) {
		free(f);
		return rc;
	}
	f->next = dev->fds;
	dev->fds = f;
	return 0;
}

int pv_device_iothread_del_fd(struct pv_device *dev, int fd)
{
	for (struct pv_fd **p = &dev->fds; *p; p = &(*p)->next) {
		struct pv_fd *f = *p;

		if (f->fd == fd) {
			int rc = pv_iothread_del_fd(dev->io, fd);

			*p = f->next;
			free(f);
			return rc;
		}
	}
	return -ENOENT;
}

static void del_all_fds(struct pv_device *dev)
{
	while (dev->fds)
		pv_device_iothread_del_fd(dev, dev->fds->fd);
}

static int write_state(struct pv_device *dev, enum xenbus_state s)
{
	int rc = pv_device_write_uint(dev, "state", s);

	if (!rc)
		dev->state = s;
	else
		log_warn("%s: cannot write state %s: %s", dev->backend_path,
			 pv_xenbus_state_name(s), strerror(-rc));
	return rc;
}

static void do_disconnect(struct pv_device *dev)
{
	if (!dev->connected)
		return;
	dev->ops->disconnect(dev);
	del_all_fds(dev);
	pv_evtchn_unbind_all(dev);
	dev->connected = false;
}

static void read_frontend_state(struct pv_device *dev)
{
	unsigned int s;

	/* Gone, unreadable or junk: Linux's xenbus_read_driver_state() says Unknown. */
	if (pv_device_read_uint(dev, PV_FRONTEND, "state", &s) || s > XenbusStateReconfigured)
		s = XenbusStateUnknown;
	__atomic_store_n(&dev->frontend_state, (enum xenbus_state)s, __ATOMIC_RELEASE);
}

/* What xenbus_dev_fatal() does: an error node, then Closing. */
static void fail_connect(struct pv_device *dev, int err)
{
	log_warn("%s: connecting to the frontend failed: %s", dev->backend_path, strerror(-err));
	pv_device_printf(dev, "error", "%d connecting to the frontend", err);
	write_state(dev, XenbusStateClosing);
}

/* On the I/O thread: one look at the frontend and the transitions it calls for. */
static void frontend_changed(void *arg)
{
	struct pv_device *dev = arg;
	struct pv_xenbus_step step;
	int rc;

	/* Cleared before the read: a change after it posts another look. */
	__atomic_store_n(&dev->change_queued, false, __ATOMIC_SEQ_CST);
	read_frontend_state(dev);
	step = pv_xenbus_next(dev->state, dev->frontend_state, dev->connected, dev->removing);
	if (step.disconnect)
		do_disconnect(dev);
	if (step.connect) {
		rc = dev->ops->connect(dev);
		if (rc) {
			del_all_fds(dev);
			pv_evtchn_unbind_all(dev);
			fail_connect(dev, rc);
			goto out;
		}
		dev->connected = true;
	}
	if (step.next != dev->state)
		write_state(dev, step.next);
out:
	pthread_mutex_lock(&dev->lock);
	pthread_cond_broadcast(&dev->changed);
	pthread_mutex_unlock(&dev->lock);
}

/*
 * Bus lock held: the watch thread must not block on a device. One look queued at a time,
 * since each reads the state afresh: a guest rewriting its state node in a loop cannot
 * grow the queue.
 */
void pv_device_watch_fired(struct pv_device *dev)
{
	if (!__atomic_exchange_n(&dev->change_queued, true, __ATOMIC_SEQ_CST) &&
	    pv_iothread_post(dev->io, frontend_changed, dev))
		__atomic_store_n(&dev->change_queued, false, __ATOMIC_SEQ_CST);
}

struct txn_writer {
	struct xs_handle *xs;
	xs_transaction_t t;
	bool ok;
};

static void put(struct txn_writer *w, const char *dir, const char *key, const char *val)
{
	char path[256];

	if (!w->ok)
		return;
	if (snprintf(path, sizeof(path), "%s/%s", dir, key) >= (int)sizeof(path) ||
	    !xs_write(w->xs, w->t, path, val, strlen(val)))
		w->ok = false;
}

static void mkdir_perms(struct txn_writer *w, const char *dir, domid_t owner, domid_t reader)
{
	struct xs_permissions perms[2] = { { .id = owner, .perms = XS_PERM_NONE },
					   { .id = reader, .perms = XS_PERM_READ } };

	if (!w->ok)
		return;
	xs_rm(w->xs, w->t, dir);
	if (!xs_mkdir(w->xs, w->t, dir) || !xs_set_permissions(w->xs, w->t, dir, perms, 2))
		w->ok = false;
}

static void put_list(struct txn_writer *w, const char *dir, const char *const *kv)
{
	for (; kv && kv[0] && kv[1]; kv += 2)
		put(w, dir, kv[0], kv[1]);
}

/*
 * libxl__device_generic_add(): the frontend directory owned by the domain and readable
 * by the backend's, the backend directory the other way round, each naming the other,
 * both in Initialising; the type's own keys with them.
 */
static int write_dirs(struct pv_device *dev, const struct pv_device_spec *spec)
{
	char num[16];

	for (int tries = 0; tries < TXN_RETRIES; tries++) {
		struct txn_writer w = { dev->bus->xs, xs_transaction_start(dev->bus->xs), true };

		if (w.t == XBT_NULL)
			return -errno;
		mkdir_perms(&w, dev->frontend_path, dev->frontend_id, dev->backend_id);
		put(&w, dev->frontend_path, "backend", dev->backend_path);
		snprintf(num, sizeof(num), "%u", dev->backend_id);
		put(&w, dev->frontend_path, "backend-id", num);
		put(&w, dev->frontend_path, "state", "1");
		put_list(&w, dev->frontend_path, spec->frontend_keys);
		mkdir_perms(&w, dev->backend_path, dev->backend_id, dev->frontend_id);
		put(&w, dev->backend_path, "frontend", dev->frontend_path);
		snprintf(num, sizeof(num), "%u", dev->frontend_id);
		put(&w, dev->backend_path, "frontend-id", num);
		put(&w, dev->backend_path, "online", "1");
		put(&w, dev->backend_path, "state", "1");
		put_list(&w, dev->backend_path, spec->backend_keys);
		if (!w.ok) {
			int err = -errno;

			xs_transaction_end(dev->bus->xs, w.t, true);
			return err ? err : -EIO;
		}
		if (xs_transaction_end(dev->bus->xs, w.t, false))
			return 0;
		if (errno != EAGAIN)
			return -errno;
	}
	return -EAGAIN;
}

static void remove_dirs(struct pv_device *dev)
{
	for (int tries = 0; tries < TXN_RETRIES; tries++) {
		xs_transaction_t t = xs_transaction_start(dev->bus->xs);

		if (t == XBT_NULL)
			return;
		xs_rm(dev->bus->xs, t, dev->frontend_path);
		xs_rm(dev->bus->xs, t, dev->backend_path);
		if (xs_transaction_end(dev->bus->xs, t, false) || errno != EAGAIN)
			return;
	}
}

static bool devid_in_use(struct pv_bus *bus, const char *type, unsigned int devid)
{
	bool used = false;

	pthread_mutex_lock(&bus->lock);
	for (struct pv_device *d = bus->devices; d; d = d->next)
		used |= !strcmp(d->type, type) && d->devid == devid;
	pthread_mutex_unlock(&bus->lock);
	return used;
}

static void free_device(struct pv_device *dev)
{
	pv_iothread_stop(dev->io);
	pthread_mutex_destroy(&dev->lock);
	pthread_cond_destroy(&dev->changed);
	free(dev->backend_path);
	free(dev->frontend_path);
	free(dev);
}

static struct pv_device *new_device(struct pv_bus *bus, const struct pv_backend_ops *ops,
				    unsigned int devid)
{
	struct pv_device *dev = calloc(1, sizeof(*dev));
	pthread_condattr_t attr;
	char name[16];

	if (!dev)
		return NULL;
	dev->bus = bus;
	dev->dom = bus->dom;
	dev->frontend_id = bus->domid;
	dev->backend_id = bus->backend_id;
	dev->ops = ops;
	dev->type = ops->type;
	dev->devid = devid;
	dev->state = XenbusStateInitialising;
	pthread_mutex_init(&dev->lock, NULL);
	pthread_condattr_init(&attr);
	pthread_condattr_setclock(&attr, CLOCK_MONOTONIC); /* wait_frontend_closed() */
	pthread_cond_init(&dev->changed, &attr);
	pthread_condattr_destroy(&attr);
	if (asprintf(&dev->backend_path, "/local/domain/%u/backend/%s/%u/%u", dev->backend_id,
		     dev->type, dev->frontend_id, devid) < 0)
		dev->backend_path = NULL;
	if (asprintf(&dev->frontend_path, "/local/domain/%u/device/%s/%u", dev->frontend_id,
		     dev->type, devid) < 0)
		dev->frontend_path = NULL;
	snprintf(name, sizeof(name), "%s-%u", dev->type, devid);
	if (!dev->backend_path || !dev->frontend_path || pv_iothread_start(name, &dev->io)) {
		free_device(dev);
		return NULL;
	}
	return dev;
}

struct setup_call {
	struct pv_device *dev;
	int rc;
};

static void setup_on_thread(void *arg)
{
	struct setup_call *c = arg;

	c->rc = c->dev->ops->setup(c->dev);
	if (!c->rc)
		c->rc = write_state(c->dev, XenbusStateInitWait);
}

static void unlink_device(struct pv_device *dev)
{
	struct pv_bus *bus = dev->bus;

	pthread_mutex_lock(&bus->lock);
	for (struct pv_device **p = &bus->devices; *p; p = &(*p)->next) {
		if (*p == dev) {
			*p = dev->next;
			break;
		}
	}
	pthread_mutex_unlock(&bus->lock);
}

static int start_watch(struct pv_device *dev)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/state", dev->frontend_path);
	snprintf(dev->token, sizeof(dev->token), "pvdev/%u", dev->bus_id);
	if (!xs_watch(dev->bus->xs, path, dev->token))
		return -errno;
	dev->watching = true;
	return 0;
}

static void free_on_thread(void *arg)
{
	struct pv_device *dev = arg;

	dev->ops->free(dev);
}

int pv_device_add(struct pv_bus *bus, const struct pv_device_spec *spec, struct pv_device **out)
{
	const struct pv_backend_ops *ops = pv_backend_find(spec->type);
	struct setup_call c;
	struct pv_device *dev;
	int rc;

	if (!ops)
		return -ENODEV;
	if (devid_in_use(bus, spec->type, spec->devid))
		return -EEXIST;
	dev = new_device(bus, ops, spec->devid);
	if (!dev)
		return -ENOMEM;
	rc = write_dirs(dev, spec);
	if (rc)
		goto fail;
	c = (struct setup_call){ dev, 0 };
	pv_iothread_call(dev->io, setup_on_thread, &c);
	rc = c.rc;
	if (rc)
		goto fail_setup;
	pthread_mutex_lock(&bus->lock);
	dev->bus_id = bus->next_id++;
	dev->next = bus->devices;
	bus->devices = dev;
	pthread_mutex_unlock(&bus->lock);
	rc = start_watch(dev);
	if (rc) {
		unlink_device(dev);
		goto fail_setup;
	}
	if (out)
		*out = dev;
	return 0;
fail_setup:
	if (ops->free)
		pv_iothread_call(dev->io, free_on_thread, dev);
fail:
	remove_dirs(dev);
	free_device(dev);
	return rc;
}

static void begin_removal(void *arg)
{
	struct pv_device *dev = arg;

	dev->removing = true;
	read_frontend_state(dev);
	/* libxl__initiate_device_generic_remove(): offline, and ask the frontend to close. */
	pv_device_write_str(dev, "online", "0");
	if (dev->state != XenbusStateClosed)
		write_state(dev, XenbusStateClosing);
}

static void finish_removal(void *arg)
{
	struct pv_device *dev = arg;

	do_disconnect(dev);
	if (dev->state != XenbusStateClosed)
		write_state(dev, XenbusStateClosed);
}

/* A frontend that never started, or is done, has nothing to say before we go. */
static bool frontend_done(enum xenbus_state s)
{
	return s == XenbusStateClosed || s == XenbusStateUnknown || s == XenbusStateInitialising;
}

static void wait_frontend_closed(struct pv_device *dev, unsigned int timeout_ms)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	ts.tv_sec += timeout_ms / 1000;
	ts.tv_nsec += (long)(timeout_ms % 1000) * 1000000L;
	if (ts.tv_nsec >= 1000000000L) {
		ts.tv_sec++;
		ts.tv_nsec -= 1000000000L;
	}
	pthread_mutex_lock(&dev->lock);
	while (!frontend_done(__atomic_load_n(&dev->frontend_state, __ATOMIC_ACQUIRE)))
		if (pthread_cond_timedwait(&dev->changed, &dev->lock, &ts))
			break;
	pthread_mutex_unlock(&dev->lock);
}

int pv_device_remove(struct pv_device *dev, unsigned int timeout_ms)
{
	int rc = 0;

	pv_iothread_call(dev->io, begin_removal, dev);
	if (timeout_ms && !frontend_done(dev->frontend_state)) {
		wait_frontend_closed(dev, timeout_ms);
		if (!frontend_done(__atomic_load_n(&dev->frontend_state, __ATOMIC_ACQUIRE))) {
			log_warn("%s: the frontend did not close within %u ms; removing it anyway",
				 dev->backend_path, timeout_ms);
			rc = -ETIMEDOUT;
		}
	}
	unlink_device(dev);
	if (dev->watching) {
		char path[256];

		snprintf(path, sizeof(path), "%s/state", dev->frontend_path);
		xs_unwatch(dev->bus->xs, path, dev->token);
	}
	pv_iothread_call(dev->io, finish_removal, dev);
	remove_dirs(dev);
	if (dev->ops->free)
		pv_iothread_call(dev->io, free_on_thread, dev);
	free_device(dev);
	return rc;
}
