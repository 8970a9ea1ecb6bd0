// SPDX-License-Identifier: GPL-2.0
/*
 * EC2 response and error documents. Text goes in through xmlNewTextChild, which
 * escapes it, so a tag value or a message quoting the client's input can never add
 * markup of its own.
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

int ec2_doc_new(struct ec2_doc *d, const char *action, const char *request_id)
{
	char name[128];

	snprintf(name, sizeof(name), "%sResponse", action);
	d->doc = xmlNewDoc(BAD_CAST "1.0");
	d->root = d->doc ? xmlNewNode(NULL, BAD_CAST name) : NULL;
	if (!d->root) {
		ec2_doc_free(d);
		return -ENOMEM;
	}
	xmlDocSetRootElement(d->doc, d->root);
	xmlSetNs(d->root, xmlNewNs(d->root, BAD_CAST EC2_NAMESPACE, NULL));
	if (!d->root->ns || !ec2_add(d->root, "requestId", request_id)) {
		ec2_doc_free(d);
		return -ENOMEM;
	}
	return 0;
}

xmlNodePtr ec2_add(xmlNodePtr parent, const char *name, const char *text)
{
	if (!parent)
		return NULL;
	return xmlNewTextChild(parent, NULL, BAD_CAST name, text ? BAD_CAST text : NULL);
}

xmlNodePtr ec2_addf(xmlNodePtr parent, const char *name, const char *fmt, ...)
{
	char buf[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return ec2_add(parent, name, buf);
}

int ec2_doc_finish(struct ec2_doc *d, char **out, size_t *len)
{
	xmlChar *mem = NULL;
	int size = 0;

	xmlDocDumpMemoryEnc(d->doc, &mem, &size, "UTF-8");
	ec2_doc_free(d);
	if (!mem)
		return -ENOMEM;
	*out = malloc(size + 1);
	if (*out) {
		memcpy(*out, mem, size);
		(*out)[size] = 0;
		*len = size;
	}
	xmlFree(mem);
	return *out ? 0 : -ENOMEM;
}

void ec2_doc_free(struct ec2_doc *d)
{
	if (d->doc)
		xmlFreeDoc(d->doc);
	d->doc = NULL;
	d->root = NULL;
}

int ec2_error_xml(enum ec2_error e, const char *message, const char *request_id, char **out,
		  size_t *len)
{
	struct ec2_doc d = { xmlNewDoc(BAD_CAST "1.0"), NULL };
	xmlNodePtr error;

	d.root = d.doc ? xmlNewNode(NULL, BAD_CAST "Response") : NULL;
	if (!d.root) {
		ec2_doc_free(&d);
		return -ENOMEM;
	}
	xmlDocSetRootElement(d.doc, d.root);
	error = ec2_add(ec2_add(d.root, "Errors", NULL), "Error", NULL);
	if (!ec2_add(error, "Code", ec2_error_code(e)) || !ec2_add(error, "Message", message) ||
	    !ec2_add(d.root, "RequestID", request_id)) {
		ec2_doc_free(&d);
		return -ENOMEM;
	}
	return ec2_doc_finish(&d, out, len);
}
