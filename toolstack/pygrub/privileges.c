// SPDX-License-Identifier: GPL-2.0
/*
 * --runas: the image is hostile, so it is read as an unprivileged user, as pygrub's depriv
 * does (setgid/setgroups/setuid to the one id, then its resource limits: no processes,
 * no core dumps, no locked memory, files written at most PYGRUB_MAX_FILE_SIZE_MB, 128 MiB
 * by default). no_new_privs keeps a set-id program from giving the rights back.
 */
#include <errno.h>
#include <grp.h>
#include <stdlib.h>
#include <sys/prctl.h>
#include <sys/resource.h>
#include <unistd.h>

#include "toolstack/pygrub/pygrub.h"

#define PYGRUB_LIMIT_FSIZE (128ull << 20)

static int limit(int resource, rlim_t value)
{
	struct rlimit rl = { value, value };

	return setrlimit(resource, &rl) ? -errno : 0;
}

int pygrub_drop_privileges(uid_t uid)
{
	const char *mb = getenv("PYGRUB_MAX_FILE_SIZE_MB");
	rlim_t fsize = PYGRUB_LIMIT_FSIZE;
	gid_t gid = uid;
	int rc;

	if (mb && *mb)
		fsize = strtoull(mb, NULL, 10) << 20;
	if (setgroups(1, &gid) || setgid(gid) || setuid(uid))
		return -errno;
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0))
		return -errno;
	rc = limit(RLIMIT_NPROC, 0);
	rc = rc ? rc : limit(RLIMIT_CORE, 0);
	rc = rc ? rc : limit(RLIMIT_MEMLOCK, 0);
	return rc ? rc : limit(RLIMIT_FSIZE, fsize);
}
