/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Replay protection: the signatures of accepted requests that change something, each
 * kept until its request could no longer pass the clock check (X-Amz-Date plus the
 * 5-minute window, or a presigned request's X-Amz-Expires). The same signature again
 * within that time is a replay (an identical request signed at the same second is
 * one too: a client sends a fresh one). Requests that only read are not recorded:
 * repeating them changes nothing.
 */
#ifndef XENKVM_TOOLSTACK_API_REPLAY_H
#define XENKVM_TOOLSTACK_API_REPLAY_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

/* Signatures remembered at once; past that, requests are refused until some expire. */
#define REPLAY_MAX 65536

struct replay_entry {
	char sig[65];
	time_t until;
};

struct replay_cache {
	pthread_mutex_t lock;
	struct replay_entry *slots; /* open addressing, 2 * REPLAY_MAX slots */
	size_t used; /* slots ever written since the last rebuild */
};

int replay_init(struct replay_cache *rc);
void replay_free(struct replay_cache *rc);
/* Records sig (64 hex digits) valid until `until`: 0, -EALREADY for a replay,
 * -ENOSPC when REPLAY_MAX signatures are live. */
int replay_check(struct replay_cache *rc, const char *sig, time_t until, time_t now);

#endif
