// SPDX-License-Identifier: GPL-2.0
/*
 * Starting a domain. As Xen's xl leaves a process behind that waits for the domain's
 * death and carries out on_poweroff/on_reboot/on_crash/on_watchdog, `xl create` forks
 * a monitor (its own session, detached from the terminal) that runs xenkvm with its
 * console and log in the domain's run directory, waits for it, and acts on its exit
 * status: destroy (remove the run files), restart/rename-restart (run it again with
 * the same domid), preserve (keep the record, shown as shut down). `xl destroy`
 * writes a `destroying` marker first, so the monitor knows the end was asked for.
 *
 * The domid is allocated and the name checked under the run directory's lock, held
 * until xenkvm has either started or failed: concurrent creates never collide.
 */
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "toolstack/cfg/domcfg.h"
#include "toolstack/xl/xl.h"
#include "vmm/exit_status.h"

/*
 * xl create returns once the VMM answers `info` on its control socket (the domain is
 * built and its vCPUs are about to run), or reports the VMM's failure if it exits
 * first. A VMM without a socket (a run directory too long for a socket path) is given
 * START_GRACE_MS to fail; one that neither answers nor exits within START_BOUND_MS is
 * left running as started. Neither is a test timing.
 */
#define START_GRACE_MS 300
#define START_BOUND_MS 120000

struct launch {
	struct rundir *rd;
	const struct dom_config *dc;
	unsigned domid;
	char uuid[37];
	char **argv;
	int paused_arg; /* argv's --paused (create -p), dropped for a restart; 0: none */
	bool has_socket;
};

static void random_uuid(char out[37])
{
	uint8_t u[16] = { 0 };
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd >= 0) {
		if (read(fd, u, sizeof(u)) != (ssize_t)sizeof(u))
			memset(u, 0, sizeof(u));
		close(fd);
	}
	u[6] = (uint8_t)((u[6] & 0x0f) | 0x40); /* version 4 */
	u[8] = (uint8_t)((u[8] & 0x3f) | 0x80); /* RFC 4122 variant */
	domcfg_uuid_format(u, out);
}

static char **build_argv(struct launch *l, bool paused)
{
	const struct dom_config *dc = l->dc;
	char **a = calloc(32 + 2 * dc->nmodules, sizeof(*a));
	int n = 0;

	if (!a)
		return NULL;
#define ARG(...)                                        \
	do {                                            \
		if (asprintf(&a[n++], __VA_ARGS__) < 0) \
			return NULL;                    \
	} while (0)
	ARG("%s", xl_xenkvm_path());
	ARG("-v"); /* the VMM's info messages in xenkvm.log: what xl dmesg shows */
	ARG("--kernel");
	ARG("%s", dc->kernel);
	if (dc->ramdisk) {
		ARG("--module");
		ARG("%s", dc->ramdisk);
	}
	for (size_t i = 0; i < dc->nmodules; i++) {
		ARG("--module");
		ARG("%s", dc->modules[i]);
	}
	if (dc->cmdline) {
		ARG("--cmdline");
		ARG("%s", dc->cmdline);
	}
	ARG("--memory");
	ARG("%llu", (unsigned long long)dc->target_memkb / 1024);
	ARG("--vcpus");
	ARG("%u", dc->vcpus);
	ARG("--name");
	ARG("%s", dc->name);
	ARG("--domid");
	ARG("%u", l->domid);
	ARG("--uuid");
	ARG("%s", l->uuid);
	{
		char sock[600];

		/* A Unix socket path has 108 bytes: a longer run directory goes without one. */
		rundir_domain_path(l->rd, l->domid, "control.sock", sock, sizeof(sock));
		l->has_socket = strlen(sock) < 100;
		if (l->has_socket) {
			ARG("--control-socket");
			ARG("%s", sock);
			rundir_domain_path(l->rd, l->domid, "console.sock", sock, sizeof(sock));
			ARG("--console-socket");
			ARG("%s", sock);
		}
	}
	if (dc->xen_version_set) {
		ARG("--xen-version");
		ARG("%u.%u", dc->xen_major, dc->xen_minor);
	}
	if (paused && l->has_socket) {
		l->paused_arg = n; /* last: a restart drops it by ending argv there */
		ARG("--paused");
	}
#undef ARG
	return a;
}

static void free_argv(char **a)
{
	for (int i = 0; a && a[i]; i++)
		free(a[i]);
	free(a);
}

/* In the monitor: starts xenkvm with its output in the run directory. */
static pid_t spawn_vmm(const struct launch *l)
{
	char con[600], log[600];
	pid_t pid;

	rundir_domain_path(l->rd, l->domid, "console.log", con, sizeof(con));
	rundir_domain_path(l->rd, l->domid, "xenkvm.log", log, sizeof(log));
	pid = fork();
	if (pid)
		return pid;
	{
		int in = open("/dev/null", O_RDONLY);
		int out = open(con, O_WRONLY | O_CREAT | O_APPEND, 0600);
		int err = open(log, O_WRONLY | O_CREAT | O_APPEND, 0600);

		if (in < 0 || out < 0 || err < 0)
			_exit(127);
		dup2(in, 0);
		dup2(out, 1);
		dup2(err, 2);
		execvp(l->argv[0], l->argv);
		dprintf(2, "xl: cannot run %s: %s\n", l->argv[0], strerror(errno));
		_exit(127);
	}
}

static bool destroying(const struct launch *l)
{
	char path[600];

	rundir_domain_path(l->rd, l->domid, "destroying", path, sizeof(path));
	return !access(path, F_OK);
}

static enum dom_action action_for(const struct dom_config *dc, int status)
{
	switch (status) {
	case VM_EXIT_POWEROFF:
		return dc->on_poweroff;
	case VM_EXIT_REBOOT:
		return dc->on_reboot;
	case VM_EXIT_WATCHDOG:
		return dc->on_watchdog;
	case VM_EXIT_SUSPEND: /* no save image to resume from: the domain is gone */
		return DOM_ACTION_DESTROY;
	default:
		return dc->on_crash;
	}
}

/*
 * The first start: a VMM that fails at once (bad invocation, VMM error, exec failure)
 * is reported to xl create, which prints its log and undoes everything (returns true).
 * Otherwise xl create learns the pid and the monitor detaches from its terminal; *ws
 * holds the wait status when the guest already ended (a guest may power off at once).
 */
static bool vmm_answers(const struct launch *l)
{
	char reply[1024];

	return l->has_socket &&
	       !xl_control(l->rd, l->domid, "\"cmd\":\"info\"", reply, sizeof(reply));
}

static bool report_start(const struct launch *l, pid_t pid, int report, int *ws)
{
	int waited = 0, nul, bound = l->has_socket ? START_BOUND_MS : START_GRACE_MS;
	pid_t done = 0;

	/* A connect to a socket that is not there yet fails at once: a cheap look. */
	while (waited < bound && !(done = waitpid(pid, ws, WNOHANG)) && !vmm_answers(l)) {
		usleep(1000);
		waited += 1;
	}
	if (done == pid) {
		int status = WIFEXITED(*ws) ? WEXITSTATUS(*ws) : 128 + WTERMSIG(*ws);

		if (status == VM_EXIT_VMM_ERROR || status == VM_EXIT_USAGE || status == 127) {
			dprintf(report, "exit %d\n", status);
			return true;
		}
	} else {
		*ws = -1;
	}
	dprintf(report, "pid %d\n", (int)pid);
	close(report);
	nul = open("/dev/null", O_RDWR);
	if (nul >= 0) {
		dup2(nul, 0);
		dup2(nul, 1);
		dup2(nul, 2);
	}
	(void)l;
	return false;
}

/* The monitor: runs until the domain is gone or preserved. Never returns. */
static void monitor(struct launch *l, int report)
{
	struct dom_record r;

	/* The lock stays with xl create: drop this copy of its descriptor. */
	if (l->rd->lock_fd >= 0)
		close(l->rd->lock_fd);
	l->rd->lock_fd = -1;
	setsid();
	for (bool first = true;; first = false) {
		pid_t pid = spawn_vmm(l);
		int ws = 0, status;
		enum dom_action act;

		if (pid < 0)
			_exit(1);
		rundir_read_record(l->rd, l->domid, &r);
		r.pid = pid;
		r.monitor = getpid();
		r.start_time = time(NULL);
		r.exit_status = -1;
		rundir_write_record(l->rd, &r);
		ws = -1;
		if (first && report_start(l, pid, report, &ws))
			_exit(0); /* xl create reports the failure and cleans up */
		if (first && l->paused_arg) {
			/* create -p pauses the first start only; a restart runs at once. */
			free(l->argv[l->paused_arg]);
			l->argv[l->paused_arg] = NULL;
		}
		if (ws == -1)
			while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
				;
		status = WIFEXITED(ws) ? WEXITSTATUS(ws) : 128 + WTERMSIG(ws);
		r.exit_status = status;
		rundir_write_record(l->rd, &r);
		if (destroying(l))
			break;
		act = action_for(l->dc, status);
		if (status == VM_EXIT_VMM_ERROR || status == VM_EXIT_USAGE || status == 127)
			act = act == DOM_ACTION_PRESERVE ? act :
							   DOM_ACTION_DESTROY; /* never loop */
		if (act == DOM_ACTION_PRESERVE)
			_exit(0);
		if (act == DOM_ACTION_DESTROY)
			break;
		/* restart and rename-restart: the same domid, a fresh VMM */
	}
	rundir_lock(l->rd);
	rundir_remove_domain(l->rd, l->domid);
	rundir_unlock(l->rd);
	_exit(0);
}

static void print_log(const struct launch *l)
{
	char path[600], line[512];
	FILE *f;

	rundir_domain_path(l->rd, l->domid, "xenkvm.log", path, sizeof(path));
	f = fopen(path, "re");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		fprintf(stderr, "%s", line);
	fclose(f);
}

static int write_config_json(const struct launch *l)
{
	char path[600];
	FILE *f;

	rundir_domain_path(l->rd, l->domid, "config.json", path, sizeof(path));
	f = fopen(path, "we");
	if (!f)
		return -errno;
	domcfg_print_json(l->dc, f);
	return fclose(f) ? -errno : 0;
}

/* Under the lock: a domid, the record, the monitor; the lock is dropped by the caller. */
static int start_locked(struct launch *l, bool quiet, bool paused)
{
	struct dom_record r = { 0 };
	char msg[64] = { 0 };
	int pfd[2], status, rc;
	unsigned other;
	pid_t mon;
	ssize_t n;

	if (!rundir_find_name(l->rd, l->dc->name, &other)) {
		fprintf(stderr, "libxl: error: Domain with name \"%s\" already exists.\n",
			l->dc->name);
		return XL_EXIT_INVAL;
	}
	rc = rundir_alloc_domid(l->rd, &l->domid);
	if (rc) {
		fprintf(stderr, "xl: no free domain id: %s\n", strerror(-rc));
		return XL_EXIT_FAIL;
	}
	if (l->dc->uuid_set)
		domcfg_uuid_format(l->dc->uuid, l->uuid);
	else
		random_uuid(l->uuid);
	r.domid = l->domid;
	snprintf(r.name, sizeof(r.name), "%s", l->dc->name);
	snprintf(r.uuid, sizeof(r.uuid), "%s", l->uuid);
	r.memory_kb = l->dc->target_memkb;
	r.max_memory_kb = l->dc->max_memkb;
	r.vcpus = l->dc->vcpus;
	r.exit_status = -1;
	l->argv = build_argv(l, paused);
	if (!l->argv || rundir_write_record(l->rd, &r) || write_config_json(l) ||
	    pipe2(pfd, O_CLOEXEC)) {
		fprintf(stderr, "xl: cannot prepare domain %u: %s\n", l->domid, strerror(errno));
		goto undo;
	}
	fflush(NULL);
	mon = fork();
	if (mon < 0)
		goto undo_pipe;
	if (mon == 0) {
		close(pfd[0]);
		monitor(l, pfd[1]);
	}
	close(pfd[1]);
	n = read(pfd[0], msg, sizeof(msg) - 1);
	close(pfd[0]);
	if (n > 0 && !strncmp(msg, "pid ", 4)) {
		if (!quiet && xl.verbose)
			fprintf(stderr, "xl: domain %s (id %u) started\n", l->dc->name, l->domid);
		return 0;
	}
	waitpid(mon, NULL, 0);
	if (n > 0 && sscanf(msg, "exit %d", &status) == 1)
		fprintf(stderr, "xl: xenkvm exited at once with status %d:\n", status);
	else
		fprintf(stderr, "xl: the domain's monitor failed\n");
	print_log(l);
	goto undo;
undo_pipe:
	close(pfd[0]);
	close(pfd[1]);
undo:
	rundir_remove_domain(l->rd, l->domid);
	return XL_EXIT_FAIL;
}

int xl_launch(struct rundir *rd, const struct dom_config *dc, unsigned *domid, bool quiet,
	      bool paused)
{
	struct launch l = { .rd = rd, .dc = dc, .domid = *domid };
	int rc = rundir_lock(rd);

	if (rc) {
		fprintf(stderr, "xl: cannot lock %s/lock: %s\n", rd->path, strerror(-rc));
		return XL_EXIT_FAIL;
	}
	rc = start_locked(&l, quiet, paused);
	*domid = l.domid;
	rundir_unlock(rd);
	free_argv(l.argv);
	return rc;
}
