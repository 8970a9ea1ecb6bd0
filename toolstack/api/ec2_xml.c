// SPDX-License-Identifier: GPL-2.0
/*
 * EC2 response and error documents, streamed by xmlTextWriter into a strbuf. Text goes
 * in through xmlTextWriterWriteString, which escapes it, so a tag value or a message
 * quoting the client's input can never add markup of its own.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "toolstack/api/ec2_xml.h"

static const struct {
	const char *code;
	int status;
} errors[EC2_NR_ERRORS] = {
	[EC2_AUTH_FAILURE] = { "AuthFailure", 401 },
	[EC2_SIGNATURE_DOES_NOT_MATCH] = { "SignatureDoesNotMatch", 403 },
	[EC2_INCOMPLETE_SIGNATURE] = { "IncompleteSignature", 400 },
	[EC2_MISSING_AUTHENTICATION_TOKEN] = { "MissingAuthenticationToken", 403 },
	[EC2_REQUEST_EXPIRED] = { "RequestExpired", 400 },
	[EC2_UNAUTHORIZED_OPERATION] = { "UnauthorizedOperation", 403 },
	[EC2_INVALID_ACTION] = { "InvalidAction", 400 },
	[EC2_MISSING_ACTION] = { "MissingAction", 400 },
	[EC2_MISSING_PARAMETER] = { "MissingParameter", 400 },
	[EC2_INVALID_PARAMETER] = { "InvalidParameter", 400 },
	[EC2_INVALID_PARAMETER_VALUE] = { "InvalidParameterValue", 400 },
	[EC2_INVALID_PARAMETER_COMBINATION] = { "InvalidParameterCombination", 400 },
	[EC2_MALFORMED_QUERY_STRING] = { "MalformedQueryString", 400 },
	[EC2_INVALID_PAGINATION_TOKEN] = { "InvalidPaginationToken", 400 },
	[EC2_INVALID_INSTANCE_ID_MALFORMED] = { "InvalidInstanceID.Malformed", 400 },
	[EC2_INVALID_INSTANCE_ID_NOT_FOUND] = { "InvalidInstanceID.NotFound", 400 },
	[EC2_INVALID_AMI_ID_MALFORMED] = { "InvalidAMIID.Malformed", 400 },
	[EC2_INVALID_AMI_ID_NOT_FOUND] = { "InvalidAMIID.NotFound", 400 },
	[EC2_INCORRECT_INSTANCE_STATE] = { "IncorrectInstanceState", 400 },
	[EC2_UNSUPPORTED_OPERATION] = { "UnsupportedOperation", 400 },
	[EC2_INVALID_INSTANCE_TYPE] = { "InvalidInstanceType", 400 },
	[EC2_INVALID_AMI_NAME_DUPLICATE] = { "InvalidAMIName.Duplicate", 400 },
	[EC2_INSUFFICIENT_INSTANCE_CAPACITY] = { "InsufficientInstanceCapacity", 500 },
	[EC2_INTERNAL_ERROR] = { "InternalError", 500 },
	[EC2_UNAVAILABLE] = { "Unavailable", 503 },
};

const char *ec2_error_code(enum ec2_error e)
{
	return e < EC2_NR_ERRORS ? errors[e].code : "InternalError";
}

int ec2_error_status(enum ec2_error e)
{
	return e < EC2_NR_ERRORS ? errors[e].status : 500;
}

void ec2_request_id(char id[37])
{
	unsigned char b[16];

	if (getrandom(b, sizeof(b), 0) != sizeof(b))
		memset(b, 0, sizeof(b));
	b[6] = (b[6] & 0x0f) | 0x40;
	b[8] = (b[8] & 0x3f) | 0x80;
	snprintf(id, 37, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		 b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9], b[10], b[11], b[12],
		 b[13], b[14], b[15]);
}

/* The writer's output callback: libxml2 flushes its buffer here in chunks. */
static int doc_write(void *ctx, const char *buf, int len)
{
	struct strbuf *sb = ctx;

	strbuf_add(sb, buf, len);
	return sb->failed ? -1 : len;
}

static int doc_close(void *ctx)
{
	(void)ctx;
	return 0;
}

/* The writer into d->out with the XML declaration written; -ENOMEM. */
static int doc_start(struct ec2_doc *d)
{
	xmlOutputBufferPtr ob;

	*d = (struct ec2_doc){ 0 };
	ob = xmlOutputBufferCreateIO(doc_write, doc_close, &d->out, NULL);
	d->w = ob ? xmlNewTextWriter(ob) : NULL;
	if (!d->w) {
		if (ob)
			xmlOutputBufferClose(ob);
		return -ENOMEM;
	}
	if (xmlTextWriterStartDocument(d->w, NULL, "UTF-8", NULL) < 0)
		d->failed = true;
	return 0;
}

int ec2_doc_new(struct ec2_doc *d, const char *action, const char *request_id)
{
	char name[128];

	snprintf(name, sizeof(name), "%sResponse", action);
	if (doc_start(d))
		return -ENOMEM;
	if (xmlTextWriterStartElementNS(d->w, NULL, BAD_CAST name, BAD_CAST EC2_NAMESPACE) < 0)
		d->failed = true;
	ec2_add(d, "requestId", request_id);
	if (d->failed) {
		ec2_doc_free(d);
		return -ENOMEM;
	}
	return 0;
}

void ec2_open(struct ec2_doc *d, const char *name)
{
	if (!d->failed && xmlTextWriterStartElement(d->w, BAD_CAST name) < 0)
		d->failed = true;
}

void ec2_close(struct ec2_doc *d)
{
	if (!d->failed && xmlTextWriterEndElement(d->w) < 0)
		d->failed = true;
}

void ec2_add(struct ec2_doc *d, const char *name, const char *text)
{
	ec2_open(d, name);
	if (text && !d->failed && xmlTextWriterWriteString(d->w, BAD_CAST text) < 0)
		d->failed = true;
	ec2_close(d);
}

void ec2_addf(struct ec2_doc *d, const char *name, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	ec2_add(d, name, buf);
}

void ec2_add_in(struct ec2_doc *d, const char *outer, const char *name, const char *text)
{
	ec2_open(d, outer);
	ec2_add(d, name, text);
	ec2_close(d);
}

int ec2_doc_finish(struct ec2_doc *d, char **out, size_t *len)
{
	if (!d->w)
		return -ENOMEM;
	if (!d->failed && xmlTextWriterEndDocument(d->w) < 0)
		d->failed = true;
	/* Freeing the writer flushes and closes its output buffer into d->out. */
	xmlFreeTextWriter(d->w);
	d->w = NULL;
	if (d->failed || d->out.failed) {
		ec2_doc_free(d);
		return -ENOMEM;
	}
	*out = strbuf_detach(&d->out, len);
	return *out ? 0 : -ENOMEM;
}

void ec2_doc_free(struct ec2_doc *d)
{
	if (d->w)
		xmlFreeTextWriter(d->w);
	d->w = NULL;
	strbuf_free(&d->out);
	d->failed = false;
}

int ec2_error_xml(enum ec2_error e, const char *message, const char *request_id, char **out,
		  size_t *len)
{
	struct ec2_doc d;

	if (doc_start(&d))
		return -ENOMEM;
	ec2_open(&d, "Response");
	ec2_open(&d, "Errors");
	ec2_open(&d, "Error");
	ec2_add(&d, "Code", ec2_error_code(e));
	ec2_add(&d, "Message", message);
	ec2_close(&d);
	ec2_close(&d);
	ec2_add(&d, "RequestID", request_id);
	return ec2_doc_finish(&d, out, len);
}
