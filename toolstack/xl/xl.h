/* SPDX-License-Identifier: GPL-2.0 */
/* xl: the command table and what the commands share. */
#ifndef XENKVM_TOOLSTACK_XL_XL_H
#define XENKVM_TOOLSTACK_XL_XL_H

#include <stdbool.h>
#include <stddef.h>

#include "toolstack/domains/rundir.h"

/* Xen's xl exit codes: commands return EXIT_SUCCESS/EXIT_FAILURE, bad usage 2, and
 * `create` the negated libxl error (ERROR_FAIL 3, ERROR_INVAL 6). */
#define XL_EXIT_USAGE 2
#define XL_EXIT_FAIL 3
#define XL_EXIT_INVAL 6
/* libxl's error codes (_libxl_types.h, libxl_error) that xl prints as `rc=N'. */
#define XL_ERROR_FAIL (-3)
#define XL_ERROR_NI (-4)
#define XL_ERROR_TIMEDOUT (-9)
#define XL_ERROR_NOPARAVIRT (-10)

struct xl_globals {
	const char *run_dir; /* --run-dir, else XENKVM_RUN_DIR, else /run/xenkvm */
	bool dryrun; /* -N */
	int verbose;
	const char *self; /* argv[0], to find build/bin/xenkvm beside it */
};
extern struct xl_globals xl;

struct xl_cmd {
	const char *name;
	int (*fn)(int argc, char **argv);
	bool can_dryrun;
	const char *desc, *usage, *options;
};

const struct xl_cmd *xl_cmd_lookup(const char *name);
void xl_help(const char *command);
/* getopt for a command: handles -h/--help (help, exit 0), unknown options (exit 2),
 * and too few arguments (exit 2); returns the option or -1. */
int xl_getopt(int argc, char **argv, const char *opts, const void *longopts, const char *cmd,
	      int reqargs);

/* Opens the run directory, or prints why not (returns false). */
bool xl_open_rundir(struct rundir *rd);
/* A domain by name or number (Domain-0 is 0); prints Xen's error and returns -1. */
int xl_find_domain(const struct rundir *rd, const char *q);
/* The xenkvm binary: XENKVM_BIN, else beside xl, else PATH. */
const char *xl_xenkvm_path(void);

int xl_create(int argc, char **argv);
int xl_list(int argc, char **argv);
int xl_destroy(int argc, char **argv);
int xl_domid(int argc, char **argv);
int xl_domname(int argc, char **argv);
int xl_info(int argc, char **argv);
int xl_pause(int argc, char **argv);
int xl_unpause(int argc, char **argv);
int xl_shutdown(int argc, char **argv);
int xl_reboot(int argc, char **argv);
int xl_console(int argc, char **argv);
int xl_sysrq(int argc, char **argv);
int xl_vcpu_list(int argc, char **argv);
int xl_dmesg(int argc, char **argv);
int xl_rename(int argc, char **argv);
/* Relays the terminal to the domain's console until ^] or its end (console.c); with
 * unpause, unpauses the domain once attached (create -c). Returns xl's exit status. */
int xl_console_attach(const struct rundir *rd, unsigned domid, bool unpause);

/*
 * One request to the domain's control socket (docs/CONTROL.md): `request` is the JSON
 * fields after "v" (`"cmd":"info"`); the reply line lands in `reply`. 0 when the VMM
 * answered ok, -EPROTO when it answered an error (in the reply), -errno when it could
 * not be asked (no socket, no answer in time).
 */
/* A connected stream socket to the Unix socket at path (close-on-exec), or -errno. */
int xl_connect_unix(const char *path);
int xl_control(const struct rundir *rd, unsigned domid, const char *request, char *reply,
	       size_t size);
/* A string field of a reply, unescaped; -ENOENT when absent. */
int xl_reply_str(const char *reply, const char *key, char *out, size_t size);
/*
 * The common body of `xl CMD <Domain>`: finds argv[optind], sends cmd, prints libxl's
 * kind of error naming the domain (`what`: "paused" in "cannot be paused"); the domid,
 * or -1 after printing why not.
 */
int xl_domain_control(const char *cmd, const char *what, int argc, char **argv, char *reply,
		      size_t size);

/* The monitor's loop (launch.c): runs xenkvm for domain domid until it is gone. */
struct dom_config;
int xl_launch(struct rundir *rd, const struct dom_config *dc, unsigned *domid, bool quiet,
	      bool paused);

/* bootloader = "pygrub" (bootloader.c): the kernel, ramdisk and cmdline of the first
 * disk's image's menu entry replace dc's; *listed when bootloader_args asked for the
 * list only. Prints why on failure. */
int xl_bootloader(struct dom_config *dc, bool quiet, bool *listed);
/* pvshim (pvshim.c): dc's PV kernel becomes the first module of Xen's PV shim. */
int xl_pvshim_wrap(struct dom_config *dc);

#endif
