/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The API's access keys, in the AWS shared-credentials format the SDKs read:
 *   [profile]
 *   aws_access_key_id = AKIA...
 *   aws_secret_access_key = ...
 * one key per section. The file must be a regular file that neither the group nor
 * others may read or write (mode 0600 or stricter); anything else is refused.
 */
#ifndef XENKVM_TOOLSTACK_API_CREDENTIALS_H
#define XENKVM_TOOLSTACK_API_CREDENTIALS_H

#include <stddef.h>

struct access_key {
	char id[128];
	char secret[128];
};

struct credentials {
	struct access_key *keys;
	size_t n;
};

/* Loads path; on error returns -errno and says why in err (file and line). */
int credentials_load(const char *path, struct credentials *c, char *err, size_t errsize);
void credentials_free(struct credentials *c);
/* A sigv4_secret_fn over a struct credentials (ctx). */
int credentials_secret(void *ctx, const char *access_key, char *secret, size_t size);

#endif
