/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The domain lifecycle the API needs, one call per operation of xl's lifecycle code
 * (create from a config, destroy, the state of a domain from the run directory, its
 * console), so that the API starts and stops domains exactly as `xl` does. Today the
 * calls run `xl` itself (lifecycle_xl.c) and read the run directory with
 * toolstack/domains; when xl's code becomes the toolstack/lifecycle library, this
 * header maps onto it one to one.
 */
#ifndef XENKVM_TOOLSTACK_API_LIFECYCLE_H
#define XENKVM_TOOLSTACK_API_LIFECYCLE_H

#include <stdbool.h>
#include <stddef.h>

struct lifecycle {
	char xl[4200]; /* the xl binary */
	char run_dir[512]; /* xl's run directory (--run-dir) */
};

/* xl beside the API's binary (or $XENKVM_XL), and the run directory given (or xl's
 * default when NULL). */
int lifecycle_init(struct lifecycle *lc, const char *self, const char *run_dir);

/* `xl create -q CONFIG`; on failure, xl's message in err. */
int lifecycle_create(const struct lifecycle *lc, const char *config, char *err, size_t errsize);
/* `xl shutdown -w NAME` / `xl reboot -w NAME`: asks the guest through xenstore's
 * control/shutdown and waits for it (xl's bound); -errno when the guest cannot be
 * asked (no PV control) or xl has no such command, so the caller falls back. */
int lifecycle_shutdown(const struct lifecycle *lc, const char *name, bool reboot);
/* `xl destroy NAME`; a domain already gone is success. */
int lifecycle_destroy(const struct lifecycle *lc, const char *name);

enum lifecycle_state {
	LC_ABSENT, /* no such domain in the run directory */
	LC_RUNNING, /* its xenkvm runs */
	LC_ENDED, /* it ended and its record was kept (on_* = preserve): exit_status says how */
	LC_VMM_GONE, /* the record says running but the xenkvm process is not there */
};

struct lifecycle_info {
	enum lifecycle_state state;
	unsigned domid;
	int exit_status; /* LC_ENDED: xenkvm's exit status (vmm/exit_status.h) */
};

int lifecycle_query(const struct lifecycle *lc, const char *name, struct lifecycle_info *info);
/* The path of a running domain's console log; -ENOENT when there is no domain. */
int lifecycle_console_path(const struct lifecycle *lc, const char *name, char *buf, size_t size);

#endif
