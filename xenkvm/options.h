/* SPDX-License-Identifier: GPL-2.0 */
/* The command line of xenkvm, parsed and validated before anything touches KVM. */
#ifndef XENKVM_OPTIONS_H
#define XENKVM_OPTIONS_H

#include <stdbool.h>
#include <stdint.h>

#include <xen/xen.h>

#include "toolstack/cfg/domcfg.h"
#include "vmm/console.h"
#include "vmm/start_info.h"

/* --disk and --vif may each be given this many times. */
#define XENKVM_MAX_DISKS 16
#define XENKVM_MAX_VIFS 16

struct module_opt {
	const char *path;
	const char *cmdline; /* NULL: none */
};

struct options {
	const char *kernel;
	const char *cmdline;
	unsigned int nr_modules;
	struct module_opt modules[BOOT_MAX_MODULES];
	uint64_t memory_mib;
	unsigned int vcpus;
	uint16_t version_major, version_minor;
	const char *name;
	uint16_t domid;
	xen_domain_handle_t uuid;
	bool have_uuid;
	const char *log_path;
	const char *console_path;
	int verbosity;
	bool stats;
	unsigned int max_grant_frames;
	bool test_devices;
	const char *xenstore_socket; /* --xenstore-socket: required when given */
	bool no_xenstore;
	bool paused; /* --paused: vm_pause() before the vCPUs start */
	const char *console_socket; /* --console-socket PATH, NULL: none */
	const char *console_input; /* file whose bytes are queued as console input */
	unsigned int xen_accel; /* enum xen_accel_kind: --xen-accel, auto when absent */
	const char *control_path; /* --control-socket: docs/CONTROL.md */
	/* --disk and --vif, parsed by xl's rules (toolstack/cfg), in command-line order. */
	unsigned int nr_disks, nr_vifs;
	struct dom_disk disks[XENKVM_MAX_DISKS];
	struct dom_vif vifs[XENKVM_MAX_VIFS];
	struct console_limits console_limits; /* --console-rate, -burst, -max-size */
};

/*
 * Returns 0 to run, 1 when --help or --version was answered, -EINVAL after printing one
 * line that names the bad option. Module cmdlines point into argv (split at the comma).
 */
int options_parse(int argc, char **argv, struct options *opts);
/* Frees what options_parse() allocated (the parsed disks and vifs). */
void options_free(struct options *opts);

#endif
