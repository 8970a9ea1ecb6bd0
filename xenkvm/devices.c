// SPDX-License-Identifier: GPL-2.0
/*
 * --disk and --vif as libxl adds them: the keys of device_disk_add() (libxl_disk.c) and
 * libxl__set_xenstore_nic() (libxl_nic.c), with libxl's defaults, for a backend that runs
 * in the device-model process as QEMU's qdisk does.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "drivers-pv/echo_test.h"
#include "drivers-pv/pv_device.h"
#include "vmm/log.h"
#include "xenkvm/devices.h"

#define XEN_SCRIPTS "/etc/xen/scripts"

/* Letters after a prefix as a base-26 disk index (a = 0, z = 25, aa = 26...). */
static const char *disk_index(const char *p, unsigned int max, unsigned int *disk)
{
	unsigned long long idx = 0;
	bool any = false;

	for (; *p >= 'a' && *p <= 'z'; p++) {
		idx = (any ? (idx + 1) * 26 : 0) + (unsigned int)(*p - 'a');
		any = true;
		if (idx > max)
			return NULL;
	}
	*disk = (unsigned int)idx;
	return any ? p : NULL;
}

/* An optional partition number: no leading zero, at most `max`. */
static bool partition(const char *p, unsigned int max, unsigned int *part)
{
	char *end;
	unsigned long v;

	*part = 0;
	if (!*p)
		return true;
	if (*p < '1' || *p > '9')
		return false;
	v = strtoul(p, &end, 10);
	if (*end || v > max)
		return false;
	*part = (unsigned int)v;
	return true;
}

static unsigned int xvd_number(unsigned int disk, unsigned int part)
{
	if (disk <= 15 && part <= 15)
		return (202u << 8) | (disk << 4) | part;
	return (1u << 28) | (disk << 8) | part; /* the extended form */
}

int xenkvm_vbd_number(const char *vdev, unsigned int *devid)
{
	unsigned int disk, part;
	const char *p;
	char *end;
	unsigned long v;

	if (!strncmp(vdev, "xvd", 3) && (p = disk_index(vdev + 3, (1u << 20) - 1, &disk)) &&
	    partition(p, 255, &part)) {
		*devid = xvd_number(disk, part);
		return 0;
	}
	if (vdev[0] == 'd' && sscanf(vdev, "d%up%u", &disk, &part) == 2) {
		char canon[32];

		snprintf(canon, sizeof(canon), "d%up%u", disk, part);
		if (!strcmp(canon, vdev) && disk < (1u << 20) && part < 256) {
			*devid = xvd_number(disk, part);
			return 0;
		}
	}
	if (!strncmp(vdev, "hd", 2) && (p = disk_index(vdev + 2, 3, &disk)) &&
	    partition(p, 63, &part)) {
		*devid = ((disk < 2 ? 3u : 22u) << 8) | ((disk & 1) << 6) | part;
		return 0;
	}
	if (!strncmp(vdev, "sd", 2) && (p = disk_index(vdev + 2, 15, &disk)) &&
	    partition(p, 15, &part)) {
		*devid = (8u << 8) | (disk << 4) | part;
		return 0;
	}
	errno = 0;
	v = strtoul(vdev, &end, 0);
	if (vdev[0] >= '0' && vdev[0] <= '9' && !*end && !errno && v <= 0x7fffffff) {
		*devid = (unsigned int)v;
		return 0;
	}
	return -EINVAL;
}

/* libxl__device_disk_string_of_format(): qdisk's params prefix. */
static const char *format_prefix(enum disk_format f)
{
	switch (f) {
	case DISK_FORMAT_QCOW:
		return "qcow";
	case DISK_FORMAT_QCOW2:
		return "qcow2";
	case DISK_FORMAT_VHD:
		return "vhd";
	case DISK_FORMAT_QED:
		return "qed";
	default:
		return "aio"; /* raw and empty */
	}
}

static bool tri(enum tristate t, bool dflt)
{
	return t == TRI_DEFAULT ? dflt : t == TRI_TRUE;
}

static int add_disk(struct pv_bus *bus, const struct dom_disk *d)
{
	char devid_s[16], params[4096];
	unsigned int devid;
	int rc;

	if (xenkvm_vbd_number(d->vdev, &devid)) {
		log_err("--disk vdev=%s: not a virtual disk name (xvda, hda, sda, d0p0...)",
			d->vdev);
		return -EINVAL;
	}
	snprintf(devid_s, sizeof(devid_s), "%u", devid);
	snprintf(params, sizeof(params), "%s:%s", format_prefix(d->format),
		 d->pdev_path ? d->pdev_path : "");
	{
		const char *dtype = d->is_cdrom ? "cdrom" : "disk";
		const char *back[] = {
			"params",
			params,
			"removable",
			d->removable ? "1" : "0",
			"bootable",
			"1",
			"dev",
			d->vdev,
			"type",
			"qdisk",
			"mode",
			d->readwrite ? "w" : "r",
			"device-type",
			dtype,
			"discard-enable",
			tri(d->discard, d->readwrite) ? "1" : "0",
			NULL,
		};
		const char *front[] = {
			"virtual-device",
			devid_s,
			"device-type",
			dtype,
			"trusted",
			tri(d->trusted, true) ? "1" : "0",
			NULL,
		};
		struct pv_device_spec spec = { "vbd", devid, back, front };

		rc = pv_device_add(bus, &spec, NULL);
	}
	if (rc == -ENODEV)
		log_err("--disk vdev=%s: no vbd backend in this xenkvm", d->vdev);
	else if (rc)
		log_err("--disk vdev=%s: %s", d->vdev, strerror(-rc));
	return rc == -ENODEV || rc == -EEXIST ? -EINVAL : rc;
}

/* libxl's default MAC: Xen's OUI 00:16:3e and three random bytes. */
static void vif_mac(const struct dom_vif *v, char out[18])
{
	uint8_t m[6] = { 0x00, 0x16, 0x3e };

	if (v->mac_set)
		memcpy(m, v->mac, 6);
	else if (getrandom(m + 3, 3, 0) != 3)
		m[3] = m[4] = m[5] = 0;
	snprintf(out, 18, "%02x:%02x:%02x:%02x:%02x:%02x", m[0], m[1], m[2], m[3], m[4], m[5]);
}

static int add_vif(struct pv_bus *bus, const struct dom_vif *v)
{
	char handle[16], mac[18], mtu[16], script[512];
	const char *back[24], *front[12];
	unsigned int nb = 0, nf = 0;
	int rc;

	snprintf(handle, sizeof(handle), "%d", v->devid);
	snprintf(mtu, sizeof(mtu), "%d", v->mtu ? v->mtu : 1500);
	if (v->script && v->script[0] == '/')
		snprintf(script, sizeof(script), "%s", v->script);
	else
		snprintf(script, sizeof(script), XEN_SCRIPTS "/%s",
			 v->script ? v->script : "vif-bridge");
	vif_mac(v, mac);
#define BACK(k, val) (back[nb++] = (k), back[nb++] = (val))
#define FRONT(k, val) (front[nf++] = (k), front[nf++] = (val))
	BACK("script", script);
	BACK("mac", mac);
	BACK("bridge", v->bridge ? v->bridge : "xenbr0");
	BACK("handle", handle);
	BACK("type", "vif");
	BACK("mtu", mtu);
	if (v->ip)
		BACK("ip", v->ip);
	if (v->rate)
		BACK("rate", v->rate);
	if (v->vifname)
		BACK("vifname", v->vifname);
	/* xenkvm's own key: where the backend's frames go (drivers-pv/net_host.h). */
	if (v->hostnet)
		BACK("xenkvm-hostnet", v->hostnet);
	back[nb] = NULL;
	FRONT("handle", handle);
	FRONT("mac", mac);
	FRONT("mtu", mtu);
	FRONT("trusted", tri(v->trusted, true) ? "1" : "0");
	front[nf] = NULL;
#undef BACK
#undef FRONT
	{
		struct pv_device_spec spec = { "vif", (unsigned int)v->devid, back, front };

		rc = pv_device_add(bus, &spec, NULL);
	}
	if (rc == -ENODEV)
		log_err("--vif %d: no vif backend in this xenkvm", v->devid);
	else if (rc)
		log_err("--vif %d: %s", v->devid, strerror(-rc));
	return rc == -ENODEV || rc == -EEXIST ? -EINVAL : rc;
}

/* --test-devices: the echo device (docs/VMM-INTERFACE.md, "Test devices"). */
static int add_echo(struct pv_bus *bus)
{
	struct pv_device_spec spec = { ECHO_TEST_TYPE, ECHO_TEST_DEVID, NULL, NULL };
	int rc = pv_device_add(bus, &spec, NULL);

	if (rc)
		log_err("the echo test device: %s", strerror(-rc));
	return rc;
}

int xenkvm_devices_add(const struct options *o, struct xen_domain *dom, const char *socket_path,
		       struct pv_bus **out)
{
	struct pv_bus *bus;
	int rc;

	*out = NULL;
	if (!o->nr_disks && !o->nr_vifs && !o->test_devices)
		return 0;
	rc = pv_bus_open(dom, socket_path, &bus);
	if (rc) {
		log_err("PV devices: cannot connect to xenstored: %s", strerror(-rc));
		return rc;
	}
	if (o->test_devices)
		rc = add_echo(bus);
	for (unsigned int i = 0; i < o->nr_disks && !rc; i++)
		rc = add_disk(bus, &o->disks[i]);
	for (unsigned int i = 0; i < o->nr_vifs && !rc; i++)
		rc = add_vif(bus, &o->vifs[i]);
	if (rc) {
		pv_bus_close(bus);
		return rc;
	}
	*out = bus;
	return 0;
}
