/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The typed domain configuration: what xl.cfg (xlcfg.h) or libvirt XML says about a
 * domain, validated, with xl's defaults applied. Field names follow libxl's IDL where
 * there is one (target_memkb, max_memkb, pdev_path, ...).
 */
#ifndef XENKVM_TOOLSTACK_CFG_DOMCFG_H
#define XENKVM_TOOLSTACK_CFG_DOMCFG_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "toolstack/cfg/xlcfg.h"

enum dom_type { DOM_TYPE_PV, DOM_TYPE_PVH, DOM_TYPE_HVM };

/* libxl_action_on_shutdown: the names xl accepts. */
enum dom_action {
	DOM_ACTION_DESTROY,
	DOM_ACTION_RESTART,
	DOM_ACTION_RENAME_RESTART,
	DOM_ACTION_PRESERVE,
	DOM_ACTION_COREDUMP_DESTROY,
	DOM_ACTION_COREDUMP_RESTART,
	DOM_ACTION_SOFT_RESET,
};

enum disk_format {
	DISK_FORMAT_RAW,
	DISK_FORMAT_QCOW,
	DISK_FORMAT_QCOW2,
	DISK_FORMAT_VHD,
	DISK_FORMAT_QED,
	DISK_FORMAT_EMPTY,
	DISK_FORMAT_UNKNOWN
};
enum disk_backend {
	DISK_BACKEND_UNKNOWN,
	DISK_BACKEND_PHY,
	DISK_BACKEND_TAP,
	DISK_BACKEND_QDISK,
	DISK_BACKEND_STANDALONE
};
enum tristate { TRI_DEFAULT, TRI_FALSE, TRI_TRUE };

/* One DISKSPEC (Xen's xl-disk-configuration(5)). */
struct dom_disk {
	char *pdev_path; /* target; NULL when absent, "" when given empty */
	char *vdev;
	char *script;
	char *backend_domname;
	enum disk_format format;
	enum disk_backend backend;
	bool readwrite, is_cdrom, removable, direct_io_safe;
	bool virtio; /* specification=virtio */
	enum tristate discard, trusted, grant_usage;
};

/* One vifspec (Xen's xl-network-configuration(5)). */
struct dom_vif {
	int devid;
	bool mac_set;
	uint8_t mac[6];
	char *bridge, *script, *ip, *vifname, *model, *gatewaydev, *backend_domname;
	char *type; /* "vif" or "ioemu" */
	char *rate; /* as written */
	char *hostnet; /* xenkvm's own key: "tap" (default) or "loopback" (no host network) */
	uint64_t rate_bytes_per_interval;
	uint32_t rate_interval_usecs;
	int mtu; /* 0: default */
	enum tristate trusted;
};

#define DOM_MAX_HOST_CPUS 1024

struct dom_cpus {
	bool set;
	/* One mask for every vCPU, or one per vCPU (the list form). */
	size_t nmasks;
	uint64_t (*masks)[DOM_MAX_HOST_CPUS / 64];
	char *text; /* as written (string form) */
};

struct dom_config {
	char *name;
	uint8_t uuid[16];
	bool uuid_set;
	enum dom_type type;
	char *kernel, *ramdisk, *cmdline; /* cmdline: cmdline, or root= and extra= combined */
	uint64_t target_memkb, max_memkb;
	unsigned vcpus, max_vcpus;
	struct dom_cpus cpus;
	enum dom_action on_poweroff, on_reboot, on_crash, on_watchdog;
	struct dom_disk *disks;
	size_t ndisks;
	struct dom_vif *vifs;
	size_t nvifs;
	char **serial;
	size_t nserial;
	unsigned xen_major, xen_minor; /* xen_version (ours); 0.0: xenkvm's default */
	bool xen_version_set;
	/* bootloader: "pygrub" (or a path ending in it), NULL for a direct kernel boot;
	 * the kernel then comes from the first disk's image (toolstack/image). */
	char *bootloader;
	char **bootloader_args;
	size_t nbootloader_args;
	/* pvshim (xl.cfg(5)): the PV kernel boots inside Xen's PV shim, itself a PVH
	 * kernel; NULL path and cmdline: xl's defaults (toolstack/xl/pvshim.c). */
	bool pvshim;
	char *pvshim_path, *pvshim_cmdline, *pvshim_extra;
	/* Boot modules after the ramdisk (the shim's guest initrd). */
	char **modules;
	size_t nmodules;
};

/*
 * Builds the typed configuration. Errors fill err (source, line, column of the
 * offending value, the key) and return -EINVAL; warnings (keys xenkvm ignores,
 * deprecated syntax) go to warn, one line each, when warn is not NULL.
 */
int domcfg_from_cfg(const struct cfg_file *cf, struct dom_config *dc, struct cfg_error *err,
		    FILE *warn);
void domcfg_free(struct dom_config *dc);

/* The parsers of the sub-syntaxes; msg gets the reason on -EINVAL. */
int domcfg_parse_disk(const char *spec, struct dom_disk *d, char *msg, size_t msgsz);
int domcfg_parse_vif(const char *spec, int devid, struct dom_vif *v, char *msg, size_t msgsz);
int domcfg_parse_cpus(const char *spec, uint64_t *mask, char *msg, size_t msgsz);
int domcfg_parse_uuid(const char *s, uint8_t uuid[16]);
void domcfg_disk_free(struct dom_disk *d);
void domcfg_vif_free(struct dom_vif *v);

const char *domcfg_type_name(enum dom_type t);
const char *domcfg_action_name(enum dom_action a);
int domcfg_action_from_name(const char *s, enum dom_action *a);
const char *domcfg_disk_format_name(enum disk_format f);
void domcfg_uuid_format(const uint8_t uuid[16], char out[37]);

/* xl create -n: the configuration as JSON, with libxl's names. */
void domcfg_print_json(const struct dom_config *dc, FILE *out);

#endif
