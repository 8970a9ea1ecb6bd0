// SPDX-License-Identifier: GPL-2.0
/*
 * xl pause, unpause, shutdown, reboot: as Xen's xl_vmcontrol.c. Pause and unpause go
 * to the domain's control socket (docs/CONTROL.md); pauses nest as on Xen
 * (domain_pause_by_systemcontroller), each needing its unpause. Shutdown and reboot are
 * libxl's PV control protocol: ask the VMM whether the guest has PV drivers (its
 * HVM_PARAM_CALLBACK_IRQ, as libxl asks Xen), write control/shutdown in xenstore, wait
 * for the guest to acknowledge (toolstack/domains/pvcontrol.c), and with -w wait until
 * the domain has shut down.
 */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toolstack/domains/pvcontrol.h"
#include "toolstack/xl/xl.h"
#include "vmm/exit_status.h"

int xl_pause(int argc, char **argv)
{
	char reply[1024];

	while (xl_getopt(argc, argv, "", NULL, "pause", 1) != -1)
		;
	return xl_domain_control("pause", "paused", argc, argv, reply, sizeof(reply)) < 0 ?
		       EXIT_FAILURE :
		       EXIT_SUCCESS;
}

int xl_unpause(int argc, char **argv)
{
	char reply[1024];

	while (xl_getopt(argc, argv, "", NULL, "unpause", 1) != -1)
		;
	return xl_domain_control("unpause", "unpaused", argc, argv, reply, sizeof(reply)) < 0 ?
		       EXIT_FAILURE :
		       EXIT_SUCCESS;
}

struct pvcmd {
	const char *cmd; /* control/shutdown's value */
	const char *doing, *noun, *trigger; /* "Shutting down", "shutdown", "power button" */
};

static const struct pvcmd poweroff = { "poweroff", "Shutting down", "shutdown", "power" };
static const struct pvcmd reboot = { "reboot", "Rebooting", "reboot", "reset" };

/* libxl__domain_pvcontrol_available(): the VMM reports the guest's callback param. */
static int pv_available(const struct rundir *rd, unsigned domid)
{
	char reply[1024];
	int rc = xl_control(rd, domid, "\"cmd\":\"info\"", reply, sizeof(reply));

	if (rc) {
		fprintf(stderr, "libxl: error: domain %u: its control socket: %s\n", domid,
			strerror(rc == -EPROTO ? EIO : -rc));
		return XL_ERROR_FAIL;
	}
	return strstr(reply, "\"pv_control\":true") ? 0 : XL_ERROR_NOPARAVIRT;
}

/* One domain, as xl's shutdown_domain()/reboot_domain(); exits as they do on failure. */
static void request(const struct rundir *rd, unsigned domid, const struct pvcmd *c, bool fallback)
{
	int rc;

	fprintf(stderr, "%s domain %u\n", c->doing, domid);
	rc = pv_available(rd, domid);
	if (rc == XL_ERROR_NOPARAVIRT) {
		if (fallback) {
			/* A xenkvm PVH guest has no ACPI, so no button to press: libxl's
			 * trigger would fail the same way on a Xen PVH domain. */
			fprintf(stderr,
				"PV control interface not available: sending ACPI %s button "
				"event.\n",
				c->trigger);
			fprintf(stderr,
				"libxl: error: domain %u: a PVH domain has no ACPI %s "
				"button\n",
				domid, c->trigger);
			rc = XL_ERROR_NI;
		} else {
			fprintf(stderr,
				"PV control interface not available: external graceful %s not "
				"possible.\n",
				c->noun);
			fprintf(stderr, "Use \"-F\" to fallback to ACPI %s event.\n", c->trigger);
		}
	} else if (!rc) {
		rc = pvcontrol_shutdown(domid, c->cmd, PVCONTROL_TIMEOUT_MS);
		if (rc == -ETIMEDOUT)
			fprintf(stderr,
				"libxl: error: domain %u: guest didn't acknowledge control request "
				"within %d s\n",
				domid, PVCONTROL_TIMEOUT_MS / 1000);
		else if (rc)
			fprintf(stderr, "libxl: error: domain %u: xenstore control/shutdown: %s\n",
				domid, strerror(-rc));
		rc = rc == -ETIMEDOUT ? XL_ERROR_TIMEDOUT : rc ? XL_ERROR_FAIL : 0;
	}
	if (rc) {
		fprintf(stderr, "%s failed (rc=%d)\n", c->noun, rc);
		exit(EXIT_FAILURE);
	}
}

/* Xen's SHUTDOWN_* reason for a VMM exit status (docs/VMM-INTERFACE.md), -1: none. */
static int shutdown_reason(int status)
{
	switch (status) {
	case VM_EXIT_POWEROFF:
		return 0;
	case VM_EXIT_REBOOT:
		return 1;
	case VM_EXIT_SUSPEND:
		return 2;
	case VM_EXIT_WATCHDOG:
		return 4;
	case VM_EXIT_SOFT_RESET:
		return 5;
	default:
		return status >= 0 ? 3 : -1;
	}
}

/*
 * -w: xl's wait_for_domain_deaths(). The monitor records the VMM's exit status (a
 * shutdown, with its reason) and a restart's new pid, or removes the domain (destroyed).
 * Read every 10 ms: the monitor's record is a file, there is no event to wait on.
 */
static void wait_for_shutdowns(const struct rundir *rd, const unsigned *ids, const pid_t *pids,
			       size_t n)
{
	size_t left = n;
	bool *done = calloc(n, sizeof(*done));

	fprintf(stderr, "Waiting for %zu domains\n", n);
	while (done && left) {
		for (size_t i = 0; i < n; i++) {
			struct dom_record r;

			if (done[i])
				continue;
			if (rundir_read_record(rd, ids[i], &r)) {
				fprintf(stderr, "Domain %u has been destroyed.\n", ids[i]);
			} else if (r.exit_status >= 0 || r.pid != pids[i]) {
				fprintf(stderr, "Domain %u has been shut down, reason code %d\n",
					ids[i],
					shutdown_reason(r.exit_status >= 0 ? r.exit_status :
									     VM_EXIT_REBOOT));
			} else {
				continue;
			}
			done[i] = true;
			left--;
		}
		if (left)
			usleep(10000);
	}
	if (done)
		fprintf(stderr, "All domains have been shut down\n");
	free(done);
}

static int shutdown_or_reboot(int argc, char **argv, const char *name, const struct pvcmd *c)
{
	bool all = false, wait = false, fallback = false;
	unsigned *ids = NULL, one;
	pid_t *pids;
	struct rundir rd;
	size_t n = 0;
	int opt;

	static const struct option longopts[] = {
		{ "all", 0, 0, 'a' }, { "wait", 0, 0, 'w' }, { "help", 0, 0, 'h' }, { 0, 0, 0, 0 }
	};

	while ((opt = xl_getopt(argc, argv, "awF", longopts, name, 0)) != -1) {
		all |= opt == 'a';
		wait |= opt == 'w';
		fallback |= opt == 'F';
	}
	if (!all && optind >= argc) {
		fprintf(stderr, "You must specify -a or a domain id.\n\n");
		xl_help(name);
		return XL_EXIT_USAGE;
	}
	if (all && optind < argc) {
		fprintf(stderr, "You must specify -a or a domain id but not both.\n\n");
		xl_help(name);
		return XL_EXIT_USAGE;
	}
	if (!xl_open_rundir(&rd))
		return EXIT_FAILURE;
	if (all) {
		if (rundir_list(&rd, &ids, &n))
			return EXIT_FAILURE;
	} else {
		int d = xl_find_domain(&rd, argv[optind]);

		if (d < 0)
			return EXIT_FAILURE;
		if (d == 0) {
			fprintf(stderr, "xl: domain 0 is the host: %s it from the host\n", c->noun);
			return EXIT_FAILURE;
		}
		one = (unsigned)d;
		ids = &one;
		n = 1;
	}
	pids = calloc(n ? n : 1, sizeof(*pids));
	for (size_t i = 0; pids && i < n; i++) {
		struct dom_record r;

		/* -a skips domains that have ended (preserved) and have no VMM to ask. */
		if (rundir_read_record(&rd, ids[i], &r) || (all && !rundir_pid_alive(r.pid))) {
			memmove(&ids[i], &ids[i + 1], (n - i - 1) * sizeof(*ids));
			n--;
			i--;
			continue;
		}
		pids[i] = r.pid;
		request(&rd, ids[i], c, fallback);
	}
	if (wait && pids && n)
		wait_for_shutdowns(&rd, ids, pids, n);
	free(pids);
	if (ids != &one)
		free(ids);
	return EXIT_SUCCESS;
}

int xl_shutdown(int argc, char **argv)
{
	return shutdown_or_reboot(argc, argv, "shutdown", &poweroff);
}

int xl_reboot(int argc, char **argv)
{
	return shutdown_or_reboot(argc, argv, "reboot", &reboot);
}

/* xl sysrq: libxl_send_sysrq() writes the key to control/sysrq; the guest reads it and
 * writes it back empty (Linux's manage.c), with no acknowledgement awaited. */
int xl_sysrq(int argc, char **argv)
{
	struct rundir rd;
	int d, rc;

	while (xl_getopt(argc, argv, "", NULL, "sysrq", 2) != -1)
		;
	if (strlen(argv[optind + 1]) != 1) {
		fprintf(stderr, "Invalid sysrq: '%s'. Must be a single character.\n",
			argv[optind + 1]);
		return EXIT_FAILURE;
	}
	if (!xl_open_rundir(&rd))
		return EXIT_FAILURE;
	d = xl_find_domain(&rd, argv[optind]);
	if (d <= 0) {
		if (d == 0)
			fprintf(stderr, "xl: domain 0 is the host: use its /proc/sysrq-trigger\n");
		return EXIT_FAILURE;
	}
	rc = pvcontrol_sysrq((unsigned)d, argv[optind + 1][0]);
	if (rc) {
		fprintf(stderr, "libxl: error: domain %d: xenstore control/sysrq: %s\n", d,
			strerror(-rc));
		return EXIT_FAILURE;
	}
	return EXIT_SUCCESS;
}
