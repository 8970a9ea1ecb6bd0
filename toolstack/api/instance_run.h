/* SPDX-License-Identifier: GPL-2.0 */
/*
 * An instance's domain: its root disk cloned from the image, the xl config it runs
 * with, starting and stopping it through lifecycle.h, and its state read back from
 * the run directory. The calls that start or stop run outside the state lock (the
 * instance is marked busy meanwhile); instance_refresh runs under it.
 */
#ifndef XENKVM_TOOLSTACK_API_INSTANCE_RUN_H
#define XENKVM_TOOLSTACK_API_INSTANCE_RUN_H

#include <stddef.h>

#include "toolstack/api/api_state.h"

/* dst as a copy of src: a reflink (FICLONE) where the filesystem shares blocks, else a
 * sparse byte copy. */
int clone_file(const char *src, const char *dst);

/* At launch: the root disk and domain.cfg in the instance's directory. */
int instance_prepare(struct api_state *st, const struct instance *in, const struct image *im,
		     char *err, size_t errsize);
/* Starts the domain from domain.cfg (a leftover preserved domain is removed first). */
int instance_boot(struct api_state *st, const struct instance *in, char *err, size_t errsize);
/* Stops the domain, keeping its console in the instance's directory: unless forced,
 * first as the guest's own shutdown (xl shutdown), then by destroying what is left. */
int instance_halt(struct api_state *st, const struct instance *in, bool force);
/* A guest reboot (xl reboot); -errno if the guest cannot be asked. */
int instance_reboot(struct api_state *st, const struct instance *in);
/* Under the lock, for a running instance that is not busy: if its domain ended or its
 * VMM is gone, the instance is stopped with the reason (saved). */
void instance_refresh(struct api_state *st, struct instance *in);
/* Takes the lock and refreshes every running instance. */
void instances_refresh(struct api_state *st);
/* The console log to read: the running domain's, else the one kept at the last stop. */
int instance_console_path(struct api_state *st, const struct instance *in, char *buf, size_t size);

#endif
