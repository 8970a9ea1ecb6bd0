/* SPDX-License-Identifier: GPL-2.0 */
/*
 * One API request from HTTP to XML: the signature checked first, the parameters
 * decoded, the action found and run, its document or EC2's error returned with the
 * right status. Actions see a struct api_call and either fill call->doc or fail with
 * api_fail().
 */
#ifndef XENKVM_TOOLSTACK_API_API_H
#define XENKVM_TOOLSTACK_API_API_H

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "toolstack/api/ec2_xml.h"
#include "toolstack/api/http_server.h"
#include "toolstack/api/query.h"
#include "toolstack/api/sigv4.h"

struct api_state;
struct replay_cache;

struct api {
	struct sigv4_config sig; /* region, service "ec2", the credentials */
	time_t (*now)(void); /* the clock SigV4 checks against (tests set it) */
	FILE *log; /* one line per request, or NULL */
	struct api_state *state; /* instances, images, catalogue (api_state.h) */
	struct replay_cache *replay; /* signatures of accepted changes (replay.h), or NULL */
};

struct api_call {
	struct api *api;
	const struct query *q;
	const char *action;
	char request_id[37];
	char access_key[128];
	char signature[65]; /* of the authenticated request */
	time_t signature_until;
	struct ec2_doc doc;
	enum ec2_error err;
	char message[512];
};

/* Records the error for the reply and returns -1, for `return api_fail(...)`. */
int api_fail(struct api_call *c, enum ec2_error e, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* The http_handler of the API (ctx: struct api). */
void api_handle(void *ctx, const struct http_request *req, struct http_response *resp);

struct api_action {
	const char *name;
	int (*fn)(struct api_call *c); /* 0 with c->doc filled, or api_fail() */
	bool reads_only; /* Describe*, GetConsoleOutput: replaying them changes nothing */
};

/* The actions, by name (actions.c). */
const struct api_action *api_action_lookup(const char *name);

#endif
