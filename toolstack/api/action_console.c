// SPDX-License-Identifier: GPL-2.0
/*
 * GetConsoleOutput: the last 64 KiB of the instance's console (EC2's limit), base64
 * as EC2 sends it, from the running domain's log or the one kept when it stopped.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <openssl/evp.h>

#include "toolstack/api/action_util.h"
#include "toolstack/api/actions.h"
#include "toolstack/api/instance_run.h"
#include "toolstack/api/records.h"

#define CONSOLE_MAX (64 << 10)

/* The tail of path (at most CONSOLE_MAX bytes) into buf; its length, 0 if none. */
static size_t read_tail(const char *path, char *buf, long long *mtime)
{
	struct stat st;
	ssize_t n = 0;
	int fd = open(path, O_RDONLY | O_CLOEXEC);

	*mtime = time(NULL);
	if (fd < 0)
		return 0;
	if (!fstat(fd, &st)) {
		off_t from = st.st_size > CONSOLE_MAX ? st.st_size - CONSOLE_MAX : 0;

		*mtime = st.st_mtime;
		n = pread(fd, buf, CONSOLE_MAX, from);
	}
	close(fd);
	return n > 0 ? (size_t)n : 0;
}

int action_get_console_output(struct api_call *c)
{
	struct api_state *st = c->api->state;
	const char *id = query_get(c->q, "InstanceId");
	char path[700], t[32], *raw, *b64;
	struct instance *in;
	long long mtime;
	size_t len;
	int rc = 0;

	if (!id)
		return api_fail(c, EC2_MISSING_PARAMETER,
				"The request must contain the parameter "
				"InstanceId.");
	if (!rec_id_valid("i", id))
		return api_fail(c, EC2_INVALID_INSTANCE_ID_MALFORMED, "Invalid id: \"%.64s\"", id);
	state_lock(st);
	in = instance_find(st, id);
	if (in) {
		instance_refresh(st, in);
		instance_console_path(st, in, path, sizeof(path));
	}
	state_unlock(st);
	if (!in)
		return api_fail(c, EC2_INVALID_INSTANCE_ID_NOT_FOUND,
				"The instance ID '%s' does "
				"not exist",
				id);
	raw = malloc(CONSOLE_MAX);
	b64 = malloc(CONSOLE_MAX / 3 * 4 + 8);
	if (!raw || !b64) {
		rc = api_fail(c, EC2_INTERNAL_ERROR, "Out of memory.");
		goto out;
	}
	len = read_tail(path, raw, &mtime);
	EVP_EncodeBlock((unsigned char *)b64, (unsigned char *)raw, (int)len);
	ec2_add(&c->doc, "instanceId", id);
	iso_time(mtime, t);
	ec2_add(&c->doc, "timestamp", t);
	ec2_add(&c->doc, "output", b64);
out:
	free(raw);
	free(b64);
	return rc;
}
