/* SPDX-License-Identifier: MIT */
/*
 * A minimal xenstore client for guest tests, speaking the ring protocol of
 * xen/io/xs_wire.h over the page and port of HVM_PARAM_STORE_PFN/EVTCHN, as Linux's
 * xenbus does: one request at a time, replies matched by req_id, watch events queued.
 */
#ifndef KIT_XS_H
#define KIT_XS_H

#include "kit.h"

#include <xen/io/xs_wire.h>

/* 0, or a negative value when the domain has no store (params unset). */
int kit_xs_init(void);
/*
 * Sends one request and waits for its reply (up to about a second). Returns the reply's
 * type (XS_ERROR: `reply` holds the errno name) and its payload length in *len, or -1
 * on a timeout or a broken ring.
 */
int kit_xs_request(uint32_t type, uint32_t tx, const void *payload, uint32_t plen, char *reply,
		   uint32_t *len);
/* XS_READ into buf (NUL-terminated); the reply type as kit_xs_request. */
int kit_xs_read(uint32_t tx, const char *path, char *buf, uint32_t size);
int kit_xs_write(uint32_t tx, const char *path, const char *value);
int kit_xs_watch(const char *path, const char *token);
/* Waits for the next watch event (up to `us` microseconds): 0, or -1 on a timeout. */
int kit_xs_wait_event(char *path, uint32_t path_size, char *token, uint32_t token_size,
		      uint64_t us);

#endif
