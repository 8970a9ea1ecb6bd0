/* SPDX-License-Identifier: GPL-2.0 */
/*
 * EC2's XML, written with libxml2's streaming writer (xmlTextWriter): a response
 * <ActionResponse> in the EC2 namespace (http://ec2.amazonaws.com/doc/2016-11-15/) led
 * by <requestId>, and EC2's error document <Response><Errors><Error><Code/><Message/>
 * </Error></Errors><RequestID/></Response>, each error code with its HTTP status.
 * Elements are written in document order as the actions produce them, straight into
 * the reply's buffer: no tree is built (a tree of a 1,000-instance description was
 * most of that request's cost, in malloc and free).
 */
#ifndef XENKVM_TOOLSTACK_API_EC2_XML_H
#define XENKVM_TOOLSTACK_API_EC2_XML_H

#include <stdbool.h>
#include <stddef.h>

#include <libxml/xmlwriter.h>

#include "toolstack/api/strbuf.h"

#define EC2_API_VERSION "2016-11-15"
#define EC2_NAMESPACE "http://ec2.amazonaws.com/doc/" EC2_API_VERSION "/"

/* A request id as EC2 gives them: a random UUID (version 4), into id[37]. */
void ec2_request_id(char id[37]);

struct ec2_doc {
	xmlTextWriterPtr w; /* NULL when no document is being written */
	struct strbuf out; /* what the writer has flushed so far */
	bool failed; /* a write failed: finishing gives -ENOMEM */
};

/* <?xml ...?><ACTIONResponse xmlns=EC2_NAMESPACE><requestId>ID</requestId>; -ENOMEM. */
int ec2_doc_new(struct ec2_doc *d, const char *action, const char *request_id);
/* Opens <name>; what follows goes inside it until the matching ec2_close. */
void ec2_open(struct ec2_doc *d, const char *name);
/* Closes the innermost element still open (written <name/> when it stayed empty). */
void ec2_close(struct ec2_doc *d);
/* <name>text</name> (text escaped), or <name/> when text is NULL. */
void ec2_add(struct ec2_doc *d, const char *name, const char *text);
void ec2_addf(struct ec2_doc *d, const char *name, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* <outer><name>text</name></outer>, EC2's one-member wrappers. */
void ec2_add_in(struct ec2_doc *d, const char *outer, const char *name, const char *text);
/* Closes every open element and hands the document (UTF-8, with the XML declaration,
 * NUL-terminated) over as a malloc'd buffer; the writer is freed either way; -ENOMEM. */
int ec2_doc_finish(struct ec2_doc *d, char **out, size_t *len);
/* Drops a document (an action failed half way); safe on a finished or empty one. */
void ec2_doc_free(struct ec2_doc *d);

/* EC2's error codes that this API gives, with their HTTP statuses. */
enum ec2_error {
	EC2_AUTH_FAILURE, /* 401: unknown access key */
	EC2_SIGNATURE_DOES_NOT_MATCH, /* 403 */
	EC2_INCOMPLETE_SIGNATURE, /* 400 */
	EC2_MISSING_AUTHENTICATION_TOKEN, /* 403 */
	EC2_REQUEST_EXPIRED, /* 400 */
	EC2_UNAUTHORIZED_OPERATION, /* 403 */
	EC2_INVALID_ACTION, /* 400 */
	EC2_MISSING_ACTION, /* 400 */
	EC2_MISSING_PARAMETER, /* 400 */
	EC2_INVALID_PARAMETER, /* 400 */
	EC2_INVALID_PARAMETER_VALUE, /* 400 */
	EC2_INVALID_PARAMETER_COMBINATION, /* 400 */
	EC2_MALFORMED_QUERY_STRING, /* 400 */
	EC2_INVALID_PAGINATION_TOKEN, /* 400 */
	EC2_INVALID_INSTANCE_ID_MALFORMED, /* 400 */
	EC2_INVALID_INSTANCE_ID_NOT_FOUND, /* 400 */
	EC2_INVALID_AMI_ID_MALFORMED, /* 400 */
	EC2_INVALID_AMI_ID_NOT_FOUND, /* 400 */
	EC2_INCORRECT_INSTANCE_STATE, /* 400 */
	EC2_UNSUPPORTED_OPERATION, /* 400 */
	EC2_INVALID_INSTANCE_TYPE, /* 400 */
	EC2_INVALID_AMI_NAME_DUPLICATE, /* 400 */
	EC2_INSUFFICIENT_INSTANCE_CAPACITY, /* 500 */
	EC2_INTERNAL_ERROR, /* 500 */
	EC2_UNAVAILABLE, /* 503 */
	EC2_NR_ERRORS
};

const char *ec2_error_code(enum ec2_error e);
int ec2_error_status(enum ec2_error e);
/* The error document for e with message; malloc'd into *out; -ENOMEM. */
int ec2_error_xml(enum ec2_error e, const char *message, const char *request_id, char **out,
		  size_t *len);

#endif
