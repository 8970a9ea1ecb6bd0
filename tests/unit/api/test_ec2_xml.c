// SPDX-License-Identifier: GPL-2.0
/*
 * EC2's documents as the EC2 API reference shows them: a response element named
 * after the action in the 2016-11-15 namespace, led by requestId; the error document
 * Response/Errors/Error/{Code,Message} and RequestID, outside any namespace; text
 * escaped. Read back with libxml2's parser, not compared as strings.
 */
#include <ctype.h>
#include <string.h>

#include <libxml/parser.h>

#include "tests/unit/unit.h"
#include "toolstack/api/ec2_xml.h"

static xmlNodePtr child(xmlNodePtr parent, const char *name)
{
	for (xmlNodePtr n = parent ? parent->children : NULL; n; n = n->next)
		if (n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name))
			return n;
	return NULL;
}

static bool text_is(xmlNodePtr n, const char *want)
{
	xmlChar *t = n ? xmlNodeGetContent(n) : NULL;
	bool eq = t && !strcmp((const char *)t, want);

	xmlFree(t);
	return eq;
}

static void test_request_id(void)
{
	char a[37], b[37];

	ec2_request_id(a);
	ec2_request_id(b);
	CU_ASSERT_EQUAL(strlen(a), 36);
	CU_ASSERT_EQUAL(a[8], '-');
	CU_ASSERT_EQUAL(a[14], '4'); /* version 4 */
	CU_ASSERT_PTR_NOT_NULL(strchr("89ab", a[19])); /* RFC 4122 variant */
	CU_ASSERT_STRING_NOT_EQUAL(a, b);
}

static void test_response_document(void)
{
	struct ec2_doc d;
	char *out;
	size_t len;
	xmlDocPtr doc;
	xmlNodePtr root, item;

	CU_ASSERT_EQUAL_FATAL(ec2_doc_new(&d, "DescribeTags", "rid-1"), 0);
	ec2_open(&d, "tagSet");
	ec2_open(&d, "item");
	ec2_add(&d, "value", "<a & \"b\">");
	ec2_addf(&d, "key", "k%d", 7);
	ec2_add(&d, "empty", NULL);
	ec2_add_in(&d, "wrap", "inner", "x");
	/* tagSet and item are left open: finishing closes them. */
	CU_ASSERT_EQUAL_FATAL(ec2_doc_finish(&d, &out, &len), 0);
	CU_ASSERT_EQUAL(len, strlen(out));
	CU_ASSERT_EQUAL(strncmp(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>", 38), 0);
	CU_ASSERT_PTR_NULL(strstr(out, "<a &"));
	doc = xmlReadMemory(out, (int)len, NULL, NULL, XML_PARSE_NONET);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	root = xmlDocGetRootElement(doc);
	CU_ASSERT_STRING_EQUAL(root->name, "DescribeTagsResponse");
	CU_ASSERT_PTR_NOT_NULL_FATAL(root->ns);
	CU_ASSERT_STRING_EQUAL(root->ns->href, "http://ec2.amazonaws.com/doc/2016-11-15/");
	CU_ASSERT_EQUAL(root->children->type, XML_ELEMENT_NODE);
	CU_ASSERT_STRING_EQUAL(root->children->name, "requestId"); /* first, as EC2's */
	CU_ASSERT_TRUE(text_is(child(root, "requestId"), "rid-1"));
	item = child(child(root, "tagSet"), "item");
	CU_ASSERT_PTR_NOT_NULL_FATAL(item);
	/* Children are in the namespace too (inherited, as in EC2's documents). */
	CU_ASSERT_PTR_NOT_NULL(item->ns);
	CU_ASSERT_TRUE(text_is(child(item, "value"), "<a & \"b\">"));
	CU_ASSERT_TRUE(text_is(child(item, "key"), "k7"));
	CU_ASSERT_PTR_NOT_NULL(child(item, "empty"));
	CU_ASSERT_PTR_NULL(child(item, "empty") ? child(item, "empty")->children : NULL);
	CU_ASSERT_TRUE(text_is(child(child(item, "wrap"), "inner"), "x"));
	CU_ASSERT_PTR_NULL(child(root, "empty")); /* nested where it was written */
	xmlFreeDoc(doc);
	free(out);
}

/* An action that fails half way drops what it wrote (LeakSanitizer checks the rest). */
static void test_dropped_document(void)
{
	struct ec2_doc d;

	CU_ASSERT_EQUAL_FATAL(ec2_doc_new(&d, "DescribeInstances", "rid-3"), 0);
	ec2_open(&d, "reservationSet");
	for (int i = 0; i < 2000; i++)
		ec2_add(&d, "item", "past libxml2's first output chunk");
	ec2_doc_free(&d);
	ec2_doc_free(&d); /* twice is harmless */
	CU_ASSERT_PTR_NULL(d.w);
	CU_ASSERT_PTR_NULL(d.out.s);
}

static void test_error_document(void)
{
	char *out;
	size_t len;
	xmlDocPtr doc;
	xmlNodePtr root, error;

	CU_ASSERT_EQUAL_FATAL(ec2_error_xml(EC2_INVALID_INSTANCE_ID_NOT_FOUND,
					    "The instance ID 'i-0123456789abcdef0' does not exist",
					    "rid-2", &out, &len),
			      0);
	doc = xmlReadMemory(out, (int)len, NULL, NULL, XML_PARSE_NONET);
	CU_ASSERT_PTR_NOT_NULL_FATAL(doc);
	root = xmlDocGetRootElement(doc);
	CU_ASSERT_STRING_EQUAL(root->name, "Response");
	CU_ASSERT_PTR_NULL(root->ns);
	error = child(child(root, "Errors"), "Error");
	CU_ASSERT_TRUE(text_is(child(error, "Code"), "InvalidInstanceID.NotFound"));
	CU_ASSERT_TRUE(text_is(child(error, "Message"),
			       "The instance ID 'i-0123456789abcdef0' does not exist"));
	CU_ASSERT_TRUE(text_is(child(root, "RequestID"), "rid-2"));
	xmlFreeDoc(doc);
	free(out);
}

static void test_statuses(void)
{
	/* Client errors 4xx, server errors 5xx (EC2 API reference, "Error codes"). */
	CU_ASSERT_STRING_EQUAL(ec2_error_code(EC2_AUTH_FAILURE), "AuthFailure");
	CU_ASSERT_EQUAL(ec2_error_status(EC2_AUTH_FAILURE), 401);
	CU_ASSERT_EQUAL(ec2_error_status(EC2_SIGNATURE_DOES_NOT_MATCH), 403);
	CU_ASSERT_EQUAL(ec2_error_status(EC2_REQUEST_EXPIRED), 400);
	CU_ASSERT_EQUAL(ec2_error_status(EC2_INCORRECT_INSTANCE_STATE), 400);
	CU_ASSERT_STRING_EQUAL(ec2_error_code(EC2_INSUFFICIENT_INSTANCE_CAPACITY),
			       "InsufficientInstanceCapacity");
	CU_ASSERT_EQUAL(ec2_error_status(EC2_INSUFFICIENT_INSTANCE_CAPACITY), 500);
	for (int e = 0; e < EC2_NR_ERRORS; e++) {
		const char *code = ec2_error_code(e);

		CU_ASSERT_TRUE(isupper((unsigned char)code[0]));
		CU_ASSERT_TRUE(ec2_error_status(e) >= 400 && ec2_error_status(e) < 600);
	}
}

UNIT_SUITE(ec2_xml, NULL, NULL, UNIT_TEST(test_request_id), UNIT_TEST(test_response_document),
	   UNIT_TEST(test_dropped_document), UNIT_TEST(test_error_document),
	   UNIT_TEST(test_statuses));
