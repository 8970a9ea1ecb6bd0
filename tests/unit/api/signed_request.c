// SPDX-License-Identifier: GPL-2.0
/* Signed test requests and reading values out of the API's replies. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <libxml/parser.h>

#include "tests/unit/api/signed_request.h"

static int test_secret(void *ctx, const char *id, char *secret, size_t size)
{
	if (strcmp(id, TEST_KEY))
		return -ENOENT;
	snprintf(secret, size, "%s", TEST_SECRET);
	return 0;
}

static time_t test_now(void)
{
	return TEST_NOW;
}

void test_api_init(struct api *api)
{
	memset(api, 0, sizeof(*api));
	api->sig = (struct sigv4_config){ "us-east-1", "ec2", test_secret, NULL };
	api->now = test_now;
}

static int parse_text(const char *text, struct http_request *req)
{
	return http_parse_request(text, strlen(text), &http_default_limits, req) > 0 ? 0 : -1;
}

int signed_post(const char *body, const char *key, const char *secret, const char *amz_date,
		struct http_request *req)
{
	static const char sh[] = "content-type;host;x-amz-date";
	struct strbuf head = { 0 }, creq = { 0 }, sts = { 0 }, full = { 0 };
	struct http_request unsigned_req;
	unsigned char k[32];
	char scope[64], sig[65], date[9];
	int rc = -1;

	strbuf_addf(&head,
		    "POST / HTTP/1.1\r\nHost: 127.0.0.1:8773\r\n"
		    "Content-Type: application/x-www-form-urlencoded; charset=utf-8\r\n"
		    "X-Amz-Date: %s\r\nContent-Length: %zu\r\n",
		    amz_date, strlen(body));
	strbuf_addf(&full, "%s\r\n%s", strbuf_str(&head), body);
	if (parse_text(strbuf_str(&full), &unsigned_req))
		goto out;
	snprintf(scope, sizeof(scope), "%.8s/us-east-1/ec2/aws4_request", amz_date);
	if (!sigv4_canonical_request(&unsigned_req, sh, &creq) &&
	    !sigv4_string_to_sign(amz_date, scope, strbuf_str(&creq), &sts)) {
		snprintf(date, sizeof(date), "%.8s", amz_date);
		sigv4_signing_key(secret, date, "us-east-1", "ec2", k);
		sigv4_signature(k, strbuf_str(&sts), sig);
		strbuf_free(&full);
		strbuf_addf(&full,
			    "%sAuthorization: AWS4-HMAC-SHA256 Credential=%s/%s, "
			    "SignedHeaders=%s, Signature=%s\r\n\r\n%s",
			    strbuf_str(&head), key, scope, sh, sig, body);
		rc = parse_text(strbuf_str(&full), req);
	}
	http_request_free(&unsigned_req);
out:
	strbuf_free(&head);
	strbuf_free(&creq);
	strbuf_free(&sts);
	strbuf_free(&full);
	return rc;
}

int call_api(struct api *api, struct http_request *req, char **xml)
{
	struct http_response resp = { 0 };

	api_handle(api, req, &resp);
	http_request_free(req);
	*xml = resp.body;
	return resp.status;
}

static xmlNodePtr find(xmlNodePtr n, const char *name)
{
	for (; n; n = n->next) {
		xmlNodePtr f;

		if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name))
			return n;
		f = find(n->children, name);
		if (f)
			return f;
	}
	return NULL;
}

int xml_find(const char *xml, const char *name, char *out, size_t size)
{
	xmlDocPtr doc =
		xml ? xmlReadMemory(xml, (int)strlen(xml), NULL, NULL, XML_PARSE_NONET) : NULL;
	xmlNodePtr n = doc ? find(xmlDocGetRootElement(doc), name) : NULL;
	xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
	int rc = t ? 0 : -ENOENT;

	if (t)
		snprintf(out, size, "%s", (const char *)t);
	xmlFree(t);
	if (doc)
		xmlFreeDoc(doc);
	return rc;
}
