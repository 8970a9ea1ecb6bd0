/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Durability: a snapshot file plus an append-only journal in --db-dir. Every change is
 * appended (with a CRC) and the journal is fdatasync'ed before any reply that depends
 * on it leaves the daemon. When the journal grows, a new snapshot is written to a
 * temporary file, synced and renamed over the old one, then a fresh journal replaces
 * the old one the same way. The format is in docs/XENSTORED.md.
 */
#ifndef XENSTORED_JOURNAL_H
#define XENSTORED_JOURNAL_H

#include <stdbool.h>
#include <stdint.h>

#include "toolstack/xenstored/store.h"

struct xsd;
struct journal;

/* Loads the snapshot and replays the journal into d. Returns NULL and sets *err. */
struct journal *journal_open(struct xsd *d, const char *dir, unsigned long compact_bytes, int *err);
void journal_close(struct journal *j);

/* The store hook: records a node's new state or its removal. */
void journal_node(void *opaque, enum store_change what, const struct node *n);
void journal_domain(struct journal *j, char op, unsigned int domid, unsigned long a,
		    unsigned int b);
void journal_special(struct journal *j, unsigned int idx, const struct perm *p);

/* Writes what is buffered and syncs it. Returns 0 or -errno. */
int journal_sync(struct journal *j);
bool journal_dirty(const struct journal *j);
/* Compacts when the journal has grown past its threshold. */
int journal_maybe_compact(struct journal *j, struct xsd *d);
/* Bytes in the journal file and the last snapshot, for memreport. */
void journal_sizes(const struct journal *j, unsigned long *journal, unsigned long *snapshot);

#endif
