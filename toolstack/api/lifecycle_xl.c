// SPDX-License-Identifier: GPL-2.0
/*
 * lifecycle.h over xl: create and destroy run the `xl` binary (the one implementation
 * of domain building, the monitor and the on_* actions); the state comes from the run
 * directory through toolstack/domains, the library xl itself reads it with.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "toolstack/api/lifecycle.h"
#include "toolstack/domains/rundir.h"

int lifecycle_init(struct lifecycle *lc, const char *self, const char *run_dir)
{
	const char *env = getenv("XENKVM_XL");
	char exe[PATH_MAX];
	ssize_t n;

	memset(lc, 0, sizeof(*lc));
	if (run_dir)
		snprintf(lc->run_dir, sizeof(lc->run_dir), "%s", run_dir);
	if (env && *env) {
		snprintf(lc->xl, sizeof(lc->xl), "%s", env);
		return 0;
	}
	n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	if (n > 0) {
		exe[n] = 0;
		*strrchr(exe, '/') = 0;
		snprintf(lc->xl, sizeof(lc->xl), "%s/xl", exe);
		if (!access(lc->xl, X_OK))
			return 0;
	}
	(void)self;
	snprintf(lc->xl, sizeof(lc->xl), "xl");
	return 0;
}

/* Runs xl [--run-dir DIR] ARGS...; its stderr into err (one line, trimmed). */
static int run_xl(const struct lifecycle *lc, const char *const *args, char *err, size_t errsize)
{
	const char *argv[16];
	int n = 0, pfd[2], ws;
	char buf[2048];
	size_t len = 0;
	pid_t pid;

	argv[n++] = lc->xl;
	if (lc->run_dir[0]) {
		argv[n++] = "--run-dir";
		argv[n++] = lc->run_dir;
	}
	while (*args && n < 15)
		argv[n++] = *args++;
	argv[n] = NULL;
	if (pipe2(pfd, O_CLOEXEC))
		return -errno;
	pid = fork();
	if (pid < 0) {
		close(pfd[0]);
		close(pfd[1]);
		return -errno;
	}
	if (!pid) {
		int nul = open("/dev/null", O_RDWR);
		sigset_t none;

		/* The API blocks SIGTERM/SIGINT for its signal thread and ignores SIGPIPE;
		 * xl, its monitor and xenkvm must get the defaults (xl destroy's SIGTERM). */
		sigemptyset(&none);
		sigprocmask(SIG_SETMASK, &none, NULL);
		signal(SIGPIPE, SIG_DFL);
		dup2(nul, 0);
		dup2(nul, 1);
		dup2(pfd[1], 2);
		execvp(argv[0], (char **)argv);
		dprintf(2, "cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(127);
	}
	close(pfd[1]);
	for (ssize_t r; (r = read(pfd[0], buf + len, sizeof(buf) - 1 - len)) != 0;) {
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			break;
		len += r;
		if (len == sizeof(buf) - 1)
			len = 0; /* keep the end: the error comes last */
	}
	buf[len] = 0;
	close(pfd[0]);
	while (waitpid(pid, &ws, 0) < 0 && errno == EINTR)
		;
	if (err) {
		char *save = NULL;

		/* The last line that is not xl's "Parsing config" note: the error. */
		err[0] = 0;
		for (char *l = strtok_r(buf, "\n", &save); l; l = strtok_r(NULL, "\n", &save))
			if (strncmp(l, "Parsing config", 14))
				snprintf(err, errsize, "%s", l);
	}
	if (!WIFEXITED(ws))
		return -EINTR;
	return WEXITSTATUS(ws) ? -EIO : 0;
}

int lifecycle_create(const struct lifecycle *lc, const char *config, char *err, size_t errsize)
{
	const char *args[] = { "create", "-q", config, NULL };

	return run_xl(lc, args, err, errsize);
}

int lifecycle_shutdown(const struct lifecycle *lc, const char *name, bool reboot)
{
	const char *args[] = { reboot ? "reboot" : "shutdown", "-w", name, NULL };

	return run_xl(lc, args, NULL, 0);
}

int lifecycle_destroy(const struct lifecycle *lc, const char *name)
{
	const char *args[] = { "destroy", name, NULL };
	struct lifecycle_info info;
	int rc = run_xl(lc, args, NULL, 0);

	if (rc && !lifecycle_query(lc, name, &info) && info.state == LC_ABSENT)
		rc = 0;
	return rc;
}

static int open_rundir(const struct lifecycle *lc, struct rundir *rd)
{
	return rundir_open(rd, lc->run_dir[0] ? lc->run_dir : NULL);
}

int lifecycle_query(const struct lifecycle *lc, const char *name, struct lifecycle_info *info)
{
	struct dom_record r;
	struct rundir rd;
	unsigned domid;
	int rc;

	memset(info, 0, sizeof(*info));
	info->exit_status = -1;
	rc = open_rundir(lc, &rd);
	if (rc)
		return rc;
	if (rundir_find_name(&rd, name, &domid) || rundir_read_record(&rd, domid, &r)) {
		info->state = LC_ABSENT;
		goto out;
	}
	info->domid = domid;
	if (r.exit_status >= 0 && !rundir_pid_alive(r.pid)) {
		info->state = LC_ENDED;
		info->exit_status = r.exit_status;
	} else if (r.pid == 0 || rundir_pid_alive(r.pid) || rundir_proc_alive(r.pid, "xl") ||
		   rundir_proc_alive(r.monitor, "xl")) {
		/* Running; or being started (pid 0, or the monitor's child not yet exec'd into
		 * xenkvm, still named xl); or just ended, the monitor about to record it. */
		info->state = LC_RUNNING;
	} else {
		info->state = LC_VMM_GONE; /* neither the VMM nor its monitor is there */
	}
out:
	rundir_close(&rd);
	return 0;
}

int lifecycle_console_path(const struct lifecycle *lc, const char *name, char *buf, size_t size)
{
	struct rundir rd;
	unsigned domid;
	int rc = open_rundir(lc, &rd);

	if (rc)
		return rc;
	rc = rundir_find_name(&rd, name, &domid);
	if (!rc)
		rc = rundir_domain_path(&rd, domid, "console.log", buf, size);
	rundir_close(&rd);
	return rc;
}
