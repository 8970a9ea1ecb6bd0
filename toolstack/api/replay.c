// SPDX-License-Identifier: GPL-2.0
/*
 * The replay cache: a hash table of signatures with linear probing. Slots are never
 * emptied, only overwritten once expired, so a probe chain never breaks; when half the
 * slots have been written the table is rebuilt with the live entries alone.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/api/replay.h"

#define NSLOTS (2 * REPLAY_MAX)

static size_t slot_of(const char *sig)
{
	size_t h = 1469598103934665603ULL;

	for (int i = 0; sig[i]; i++)
		h = (h ^ (unsigned char)sig[i]) * 1099511628211ULL;
	return h % NSLOTS;
}

int replay_init(struct replay_cache *rc)
{
	rc->slots = calloc(NSLOTS, sizeof(*rc->slots));
	rc->used = 0;
	pthread_mutex_init(&rc->lock, NULL);
	return rc->slots ? 0 : -ENOMEM;
}

void replay_free(struct replay_cache *rc)
{
	free(rc->slots);
	rc->slots = NULL;
	pthread_mutex_destroy(&rc->lock);
}

/* Inserts without checking; false when every probed slot holds a live entry. */
static bool insert(struct replay_entry *slots, const char *sig, time_t until, time_t now,
		   size_t *used)
{
	for (size_t i = 0, s = slot_of(sig); i < NSLOTS; i++, s = (s + 1) % NSLOTS) {
		if (slots[s].sig[0] && slots[s].until >= now)
			continue;
		if (!slots[s].sig[0])
			(*used)++;
		memcpy(slots[s].sig, sig, 65);
		slots[s].until = until;
		return true;
	}
	return false;
}

static void rebuild(struct replay_cache *rc, time_t now)
{
	struct replay_entry *fresh = calloc(NSLOTS, sizeof(*fresh));
	size_t used = 0;

	if (!fresh)
		return; /* keep the old table: still correct, only slower */
	for (size_t s = 0; s < NSLOTS; s++)
		if (rc->slots[s].sig[0] && rc->slots[s].until >= now)
			insert(fresh, rc->slots[s].sig, rc->slots[s].until, now, &used);
	free(rc->slots);
	rc->slots = fresh;
	rc->used = used;
}

static size_t live(const struct replay_cache *rc, time_t now)
{
	size_t n = 0;

	for (size_t s = 0; s < NSLOTS; s++)
		n += rc->slots[s].sig[0] && rc->slots[s].until >= now;
	return n;
}

int replay_check(struct replay_cache *rc, const char *sig, time_t until, time_t now)
{
	int rc_ = 0;

	if (strlen(sig) != 64)
		return -EINVAL;
	pthread_mutex_lock(&rc->lock);
	/* Look along the chain up to a slot never written: the signature is not past it. */
	for (size_t i = 0, s = slot_of(sig); i < NSLOTS && rc->slots[s].sig[0];
	     i++, s = (s + 1) % NSLOTS) {
		if (rc->slots[s].until >= now && !memcmp(rc->slots[s].sig, sig, 64)) {
			rc_ = -EALREADY;
			goto out;
		}
	}
	if (rc->used >= NSLOTS / 2)
		rebuild(rc, now);
	if (rc->used >= NSLOTS / 2 && live(rc, now) >= REPLAY_MAX)
		rc_ = -ENOSPC;
	else if (!insert(rc->slots, sig, until, now, &rc->used))
		rc_ = -ENOSPC;
out:
	pthread_mutex_unlock(&rc->lock);
	return rc_;
}
