// SPDX-License-Identifier: GPL-2.0
/*
 * A PV device end to end against our xenstored, with the frontend played the way Linux's
 * xenbus frontends play it (xenbus_probe_frontend.c, xen-blkfront.c): the directories and
 * permissions libxl__device_generic_add() writes, InitWait after the backend's setup, the
 * frontend's event channel bound once it is Initialised, notifications both ways on the
 * device's I/O thread, Closing and Closed answered, a frontend that comes back served
 * again, a frontend's bad key answered with Closing and an error node, and libxl's
 * removal path (offline, Closing, wait for Closed, directories gone).
 */
#include <errno.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/eventfd.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include <xenstore.h>
#include <xen/event_channel.h>

#include "drivers-pv/pv_bus.h"
#include "drivers-pv/pv_device.h"
#include "tests/unit/unit.h"
#include "tests/unit/xen/fixture.h"
#include "xen-emul/evtchn/evtchn.h"

#define ARG 0x200000ULL
#define WAIT_MS 20000 /* a loaded machine; never a timing assertion */

static struct xen_fixture fx;
static pid_t xenstored_pid = -1;
static char sock_path[64];
static struct xs_handle *xs;
static struct pv_bus *bus;

/* What the test backend saw (written on the device's I/O thread). */
static int n_setup, n_connect, n_disconnect, n_free, n_kicks;

struct test_backend {
	evtchn_port_t local;
};

static void on_kick(struct pv_device *dev, int fd, void *opaque)
{
	struct test_backend *b = dev->priv;
	uint64_t n;

	if (read(fd, &n, sizeof(n)) == sizeof(n))
		__atomic_add_fetch(&n_kicks, 1, __ATOMIC_SEQ_CST);
	pv_device_notify(dev, b->local); /* the answer a backend gives after its work */
}

static int tb_setup(struct pv_device *dev)
{
	dev->priv = calloc(1, sizeof(struct test_backend));
	__atomic_add_fetch(&n_setup, 1, __ATOMIC_SEQ_CST);
	return dev->priv ? pv_device_write_str(dev, "feature-test", "1") : -ENOMEM;
}

static int tb_connect(struct pv_device *dev)
{
	struct test_backend *b = dev->priv;
	unsigned int port;
	int fd, rc;

	rc = pv_device_read_uint(dev, PV_FRONTEND, "event-channel", &port);
	if (rc)
		return rc;
	rc = pv_device_bind_evtchn(dev, port, &b->local, &fd);
	if (rc)
		return rc;
	rc = pv_device_iothread_add_fd(dev, fd, on_kick, NULL);
	if (rc)
		return rc;
	__atomic_add_fetch(&n_connect, 1, __ATOMIC_SEQ_CST);
	return 0;
}

static void tb_disconnect(struct pv_device *dev)
{
	__atomic_add_fetch(&n_disconnect, 1, __ATOMIC_SEQ_CST);
}

static void tb_free(struct pv_device *dev)
{
	free(dev->priv);
	dev->priv = NULL;
	__atomic_add_fetch(&n_free, 1, __ATOMIC_SEQ_CST);
}

static const struct pv_backend_ops test_backend_ops = {
	.type = "pvtest",
	.setup = tb_setup,
	.connect = tb_connect,
	.disconnect = tb_disconnect,
	.free = tb_free,
};
PV_BACKEND_REGISTER(test_backend_ops)

static int get(int *v)
{
	return __atomic_load_n(v, __ATOMIC_SEQ_CST);
}

static void sleep_ms(long ms)
{
	struct timespec ts = { ms / 1000, (ms % 1000) * 1000000L };

	nanosleep(&ts, NULL);
}

static const char *xenstored_binary(char *buf, size_t len)
{
	const char *bin = getenv("BIN");
	char exe[PATH_MAX - 32];
	ssize_t n;

	if (bin && *bin) {
		snprintf(buf, len, "%s/xenstored", bin);
		return buf;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n < 0)
		return NULL;
	exe[n] = 0;
	*strrchr(exe, '/') = 0; /* build/tests */
	snprintf(buf, len, "%s/../bin/xenstored", exe);
	return buf;
}

static int setup(void)
{
	char path[PATH_MAX];
	struct stat st;

	if (fixture_init(&fx, 1000000))
		return -1;
	snprintf(sock_path, sizeof(sock_path), "/tmp/xenkvm-pvdev-%d.sock", getpid());
	if (!xenstored_binary(path, sizeof(path)))
		return -1;
	xenstored_pid = fork();
	if (xenstored_pid == 0) {
		execl(path, "xenstored", "-N", "--socket", sock_path, (char *)NULL);
		_exit(127);
	}
	for (int i = 0; i < 1000 && stat(sock_path, &st); i++)
		sleep_ms(10);
	setenv("XENSTORED_PATH", sock_path, 1);
	xs = xs_open(XS_OPEN_SOCKETONLY);
	if (!xs || pv_bus_open(&fx.dom, sock_path, &bus))
		return -1;
	return 0;
}

static int teardown(void)
{
	pv_bus_close(bus);
	if (xs)
		xs_close(xs);
	if (xenstored_pid > 0) {
		kill(xenstored_pid, SIGTERM);
		waitpid(xenstored_pid, NULL, 0);
	}
	unlink(sock_path);
	fixture_destroy(&fx);
	return 0;
}

static long evop(int cmd, void *arg, size_t size)
{
	long rc;

	memcpy(fixture_ptr(&fx, ARG, size), arg, size);
	rc = fixture_call(&fx, __HYPERVISOR_event_channel_op, (uint64_t)cmd, ARG, 0);
	memcpy(arg, fixture_ptr(&fx, ARG, size), size);
	return rc;
}

static char *rd(const char *dir, const char *key)
{
	char path[256];
	unsigned int len;

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	return xs_read(xs, XBT_NULL, path, &len);
}

static bool value_is(const char *dir, const char *key, const char *want)
{
	char *v = rd(dir, key);
	bool same = v && !strcmp(v, want);

	free(v);
	return same;
}

static void wr(const char *dir, const char *key, const char *val)
{
	char path[256];

	snprintf(path, sizeof(path), "%s/%s", dir, key);
	CU_ASSERT_TRUE(xs_write(xs, XBT_NULL, path, val, strlen(val)));
}

/* What a frontend's xenbus_watch on the other end's state waits for. */
static bool wait_value(const char *dir, const char *key, const char *want)
{
	for (int i = 0; i < WAIT_MS / 5; i++) {
		if (value_is(dir, key, want))
			return true;
		sleep_ms(5);
	}
	return false;
}

static bool wait_count(int *counter, int want)
{
	for (int i = 0; i < WAIT_MS / 5 && get(counter) < want; i++)
		sleep_ms(5);
	return get(counter) >= want;
}

static void check_perms(const char *path, domid_t owner, domid_t reader)
{
	unsigned int n = 0;
	struct xs_permissions *p = xs_get_permissions(xs, XBT_NULL, path, &n);

	CU_ASSERT_PTR_NOT_NULL_FATAL(p);
	CU_ASSERT_EQUAL(n, 2);
	if (n == 2) {
		CU_ASSERT_EQUAL(p[0].id, owner);
		CU_ASSERT_EQUAL(p[0].perms, XS_PERM_NONE);
		CU_ASSERT_EQUAL(p[1].id, reader);
		CU_ASSERT_EQUAL(p[1].perms, XS_PERM_READ);
	}
	free(p);
}

static const char *const bkeys[] = { "params", "/tmp/image", "mode", "w", NULL };
static const char *const fkeys[] = { "virtual-device", "3", NULL };
static const struct pv_device_spec spec = { "pvtest", 3, bkeys, fkeys };
#define BE "/local/domain/0/backend/pvtest/7/3"
#define FE "/local/domain/7/device/pvtest/3"

static struct pv_device *dev;
static evtchn_port_t fe_port;

static void test_add_writes_libxl_layout(void)
{
	CU_ASSERT_EQUAL_FATAL(pv_device_add(bus, &spec, &dev), 0);
	CU_ASSERT_STRING_EQUAL(dev->backend_path, BE);
	CU_ASSERT_STRING_EQUAL(dev->frontend_path, FE);
	CU_ASSERT_EQUAL(get(&n_setup), 1);
	/* setup() ran before InitWait: the feature key is there when the frontend looks. */
	CU_ASSERT_TRUE(value_is(BE, "state", "2"));
	CU_ASSERT_TRUE(value_is(BE, "feature-test", "1"));
	CU_ASSERT_TRUE(value_is(BE, "frontend", FE));
	CU_ASSERT_TRUE(value_is(BE, "frontend-id", "7"));
	CU_ASSERT_TRUE(value_is(BE, "online", "1"));
	CU_ASSERT_TRUE(value_is(BE, "params", "/tmp/image"));
	CU_ASSERT_TRUE(value_is(BE, "mode", "w"));
	CU_ASSERT_TRUE(value_is(FE, "backend", BE));
	CU_ASSERT_TRUE(value_is(FE, "backend-id", "0"));
	CU_ASSERT_TRUE(value_is(FE, "state", "1"));
	CU_ASSERT_TRUE(value_is(FE, "virtual-device", "3"));
	check_perms(FE, 7, 0);
	check_perms(BE, 0, 7);
}

static void test_add_refusals(void)
{
	/* A device class no backend in xenkvm serves (the vbd backend is linked in). */
	struct pv_device_spec none = { "vkbd", 0, NULL, NULL };
	struct pv_device *d = NULL;

	CU_ASSERT_EQUAL(pv_device_add(bus, &spec, &d), -EEXIST);
	CU_ASSERT_EQUAL(pv_device_add(bus, &none, &d), -ENODEV);
	CU_ASSERT_PTR_NULL(d);
}

static void frontend_publish(const char *port_value, const char *state)
{
	wr(FE, "event-channel", port_value);
	wr(FE, "state", state);
}

static void test_connect_and_notify(void)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = 0 };
	struct evtchn_send send;
	char num[16];

	CU_ASSERT_EQUAL_FATAL(evop(EVTCHNOP_alloc_unbound, &au, sizeof(au)), 0);
	fe_port = au.port;
	snprintf(num, sizeof(num), "%u", fe_port);
	frontend_publish(num, "3"); /* Initialised */
	CU_ASSERT_TRUE_FATAL(wait_value(BE, "state", "4"));
	CU_ASSERT_EQUAL(get(&n_connect), 1);
	wr(FE, "state", "4");

	/* Bind's own notification, then one per send, each answered on the port. */
	CU_ASSERT_TRUE(wait_count(&n_kicks, 1));
	fx.dom.evtchn->abi->clear_pending(&fx.dom, fe_port);
	send.port = fe_port;
	CU_ASSERT_EQUAL(evop(EVTCHNOP_send, &send, sizeof(send)), 0);
	CU_ASSERT_TRUE(wait_count(&n_kicks, 2));
	for (int i = 0; i < WAIT_MS / 5; i++) {
		if (fx.dom.evtchn->abi->is_pending(&fx.dom, fe_port))
			break;
		sleep_ms(5);
	}
	CU_ASSERT_TRUE(fx.dom.evtchn->abi->is_pending(&fx.dom, fe_port));
}

static void test_close_and_reconnect(void)
{
	struct evtchn_status st = { .dom = DOMID_SELF };

	wr(FE, "state", "5"); /* Closing */
	CU_ASSERT_TRUE_FATAL(wait_value(BE, "state", "5"));
	CU_ASSERT_EQUAL(get(&n_disconnect), 1);
	/* The backend closed its end: the frontend's port waits for domain 0 again. */
	st.port = fe_port;
	CU_ASSERT_EQUAL(evop(EVTCHNOP_status, &st, sizeof(st)), 0);
	CU_ASSERT_EQUAL(st.status, EVTCHNSTAT_unbound);
	wr(FE, "state", "6");
	CU_ASSERT_TRUE_FATAL(wait_value(BE, "state", "6"));

	/* Module reload: Initialising again, then straight to Connected. */
	wr(FE, "state", "1");
	CU_ASSERT_TRUE_FATAL(wait_value(BE, "state", "2"));
	wr(FE, "state", "4");
	CU_ASSERT_TRUE_FATAL(wait_value(BE, "state", "4"));
	CU_ASSERT_EQUAL(get(&n_connect), 2);
	CU_ASSERT_EQUAL(get(&n_setup), 1);
}

static void test_bad_frontend_key(void)
{
	char num[16], *v;

	wr(FE, "state", "6");
	CU_ASSERT_TRUE_FATAL(wait_value(BE, "state", "6"));
	CU_ASSERT_EQUAL(get(&n_disconnect), 2);
	frontend_publish("12junk", "3");
	CU_ASSERT_TRUE_FATAL(wait_value(BE, "state", "5")); /* xenbus_dev_fatal: Closing */
	v = rd(BE, "error");
	CU_ASSERT_PTR_NOT_NULL(v);
	free(v);
	CU_ASSERT_EQUAL(get(&n_connect), 2);
	wr(FE, "state", "6");
	CU_ASSERT_TRUE_FATAL(wait_value(BE, "state", "6"));
	snprintf(num, sizeof(num), "%u", fe_port);
	wr(FE, "state", "1");
	CU_ASSERT_TRUE_FATAL(wait_value(BE, "state", "2"));
	frontend_publish(num, "3");
	CU_ASSERT_TRUE_FATAL(wait_value(BE, "state", "4"));
	CU_ASSERT_EQUAL(get(&n_connect), 3);
}

static void *remove_thread(void *arg)
{
	return (void *)(intptr_t)pv_device_remove(arg, WAIT_MS);
}

/* libxl's way: online 0 and Closing; the frontend closes; then the directories go. */
static void test_hot_remove(void)
{
	pthread_t t;
	void *ret;
	char *v;

	CU_ASSERT_EQUAL_FATAL(pthread_create(&t, NULL, remove_thread, dev), 0);
	CU_ASSERT_TRUE(wait_value(BE, "state", "5"));
	CU_ASSERT_TRUE(value_is(BE, "online", "0"));
	CU_ASSERT_TRUE(value_is(FE, "state", "3")); /* still there until the frontend closes */
	wr(FE, "state", "6");
	pthread_join(t, &ret);
	CU_ASSERT_EQUAL((intptr_t)ret, 0);
	CU_ASSERT_EQUAL(get(&n_disconnect), 3);
	CU_ASSERT_EQUAL(get(&n_free), 1);
	v = rd(BE, "state");
	CU_ASSERT_PTR_NULL(v);
	free(v);
	v = rd(FE, "state");
	CU_ASSERT_PTR_NULL(v);
	free(v);
	dev = NULL;
}

/* Hot add while "running", then removal of a device whose frontend never started. */
static void test_add_remove_unused(void)
{
	struct pv_device *d;
	char *v;

	CU_ASSERT_EQUAL_FATAL(pv_device_add(bus, &spec, &d), 0);
	CU_ASSERT_TRUE(value_is(BE, "state", "2"));
	CU_ASSERT_EQUAL(pv_device_remove(d, WAIT_MS), 0);
	CU_ASSERT_EQUAL(get(&n_free), 2);
	CU_ASSERT_EQUAL(get(&n_connect), 3);
	v = rd(BE, "online");
	CU_ASSERT_PTR_NULL(v);
	free(v);
}

UNIT_SUITE(pv_device, setup, teardown, UNIT_TEST(test_add_writes_libxl_layout),
	   UNIT_TEST(test_add_refusals), UNIT_TEST(test_connect_and_notify),
	   UNIT_TEST(test_close_and_reconnect), UNIT_TEST(test_bad_frontend_key),
	   UNIT_TEST(test_hot_remove), UNIT_TEST(test_add_remove_unused));
