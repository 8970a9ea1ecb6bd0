// SPDX-License-Identifier: GPL-2.0
/* The vif hotplug script (net_hotplug.h), run with posix_spawn and waited for. */
#include <errno.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "drivers-pv/net_hotplug.h"
#include "vmm/log.h"

extern char **environ;

#define HOTPLUG_TIMEOUT_MS 30000

/* environ with the hotplug variables in front (they take precedence for getenv). */
static char **hotplug_env(char *vars[], unsigned int nr_vars)
{
	size_t n = 0;
	char **env;

	while (environ[n])
		n++;
	env = calloc(n + nr_vars + 1, sizeof(*env));
	if (!env)
		return NULL;
	memcpy(env, vars, nr_vars * sizeof(*env));
	memcpy(env + nr_vars, environ, n * sizeof(*env));
	return env;
}

static int wait_script(pid_t pid, const char *script, const char *action)
{
	int status;

	for (int ms = 0; ms < HOTPLUG_TIMEOUT_MS; ms += 10) {
		pid_t r = waitpid(pid, &status, WNOHANG);

		if (r == pid) {
			if (WIFEXITED(status) && !WEXITSTATUS(status))
				return 0;
			log_err("vif: %s %s failed (status %d)", script, action, status);
			return -EIO;
		}
		if (r < 0)
			return -errno;
		nanosleep(&(struct timespec){ 0, 10 * 1000 * 1000 }, NULL);
	}
	log_err("vif: %s %s took over %d s: killed", script, action, HOTPLUG_TIMEOUT_MS / 1000);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	return -ETIMEDOUT;
}

int net_hotplug_run(const char *script, const char *action, const char *xenbus_path,
		    const char *ifname)
{
	char v_script[4200], v_path[300], v_vif[64];
	char *vars[] = { v_script, v_path, v_vif, "XENBUS_TYPE=vif", "XENBUS_BASE_PATH=backend",
			 "netdev=" };
	char *argv[] = { (char *)script, (char *)action, "type_if=vif", NULL };
	posix_spawnattr_t attr;
	sigset_t none;
	char **env;
	pid_t pid;
	int rc;

	snprintf(v_script, sizeof(v_script), "script=%s", script);
	snprintf(v_path, sizeof(v_path), "XENBUS_PATH=%s", xenbus_path);
	snprintf(v_vif, sizeof(v_vif), "vif=%s", ifname);
	env = hotplug_env(vars, sizeof(vars) / sizeof(vars[0]));
	if (!env)
		return -ENOMEM;
	/* The I/O thread blocks every signal: the script must not inherit that. */
	posix_spawnattr_init(&attr);
	sigemptyset(&none);
	posix_spawnattr_setsigmask(&attr, &none);
	posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK);
	rc = posix_spawn(&pid, script, NULL, &attr, argv, env);
	posix_spawnattr_destroy(&attr);
	free(env);
	if (rc) {
		log_err("vif: %s: %s", script, strerror(rc));
		return -rc;
	}
	return wait_script(pid, script, action);
}
