// SPDX-License-Identifier: GPL-2.0
/*
 * The xl.cfg grammar. Expectations come from xl.cfg(5)'s SYNTAX section and from
 * libxlu's lexer and grammar (libxlu_cfg_l.l, libxlu_cfg_y.y, libxlu_cfg.c): which
 * tokens exist, what a list may contain, that the last assignment wins and what `+=`
 * does, which escapes a string may hold.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "tests/unit/unit.h"
#include "toolstack/cfg/xlcfg.h"

static struct cfg_file cf;
static struct cfg_error err;

static int parse(const char *text)
{
	cfg_free(&cf);
	memset(&err, 0, sizeof(err));
	return cfg_parse(&cf, "t.cfg", text, strlen(text), &err);
}

static const char *str(const char *key)
{
	const struct cfg_setting *s = cfg_find(&cf, key);

	if (!s || s->value->type != CFG_ATOM)
		return NULL;
	return s->value->str;
}

static const struct cfg_value *list(const char *key)
{
	const struct cfg_setting *s = cfg_find(&cf, key);

	return s && s->value->type == CFG_LIST ? s->value : NULL;
}

static void expect_error(const char *text, int line, int col, const char *key, const char *needle)
{
	CU_ASSERT_EQUAL(parse(text), -EINVAL);
	CU_ASSERT_EQUAL(err.line, line);
	CU_ASSERT_EQUAL(err.col, col);
	CU_ASSERT_STRING_EQUAL(err.key, key);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, needle));
	if (!strstr(err.msg, needle) || err.line != line || err.col != col)
		fprintf(stderr, "  [%s] -> %d:%d key '%s': %s\n", text, err.line, err.col, err.key,
			err.msg);
	CU_ASSERT_PTR_NULL(cf.head); /* nothing of a failed parse is kept */
}

static void test_assignments(void)
{
	CU_ASSERT_EQUAL(parse("name=\"h0\"\ntype='pvh'\n"), 0);
	CU_ASSERT_STRING_EQUAL(str("name"), "h0");
	CU_ASSERT_STRING_EQUAL(str("type"), "pvh");
	/* xl.cfg(5): pairs separated by a newline or a semicolon. */
	CU_ASSERT_EQUAL(parse("name=\"h0\"; type=\"hvm\""), 0);
	CU_ASSERT_STRING_EQUAL(str("type"), "hvm");
	/* The last statement needs no newline; blank lines and `;;` are empty statements. */
	CU_ASSERT_EQUAL(parse("\n\n;;a = 1"), 0);
	CU_ASSERT_STRING_EQUAL(str("a"), "1");
	/* Keys: [a-z][._0-9a-z]* */
	CU_ASSERT_EQUAL(parse("cpu_weight.x9 = 3\n"), 0);
	CU_ASSERT_STRING_EQUAL(str("cpu_weight.x9"), "3");
	CU_ASSERT_PTR_NULL(str("missing"));
}

static void test_numbers(void)
{
	/* NUMBER tokens stay text; xl converts with strtol base 0 later. */
	CU_ASSERT_EQUAL(parse("a = 0x1f\nb = 010\nc = 123\n"), 0);
	CU_ASSERT_STRING_EQUAL(str("a"), "0x1f");
	CU_ASSERT_STRING_EQUAL(str("b"), "010");
	CU_ASSERT_FALSE(cfg_find(&cf, "c")->value->quoted);
	CU_ASSERT_EQUAL(parse("a = \"5\""), 0);
	CU_ASSERT_TRUE(cfg_find(&cf, "a")->value->quoted);
}

static void test_strings(void)
{
	CU_ASSERT_EQUAL(parse("a = 'it''s'\n"), -EINVAL); /* no SQL-style doubling */
	CU_ASSERT_EQUAL(parse("a = \"x'y\"\nb = 'x\"y'\n"), 0);
	CU_ASSERT_STRING_EQUAL(str("a"), "x'y");
	CU_ASSERT_STRING_EQUAL(str("b"), "x\"y");
	/* libxlu's escapes: \" \' \\ \a \b \f \n \r \t \v. */
	CU_ASSERT_EQUAL(parse("a = \"q\\\"s\\'b\\\\a\\ab\\bf\\fn\\nr\\rt\\tv\\v\"\n"), 0);
	CU_ASSERT_STRING_EQUAL(str("a"), "q\"s'b\\a\ab\bf\fn\nr\rt\tv\v");
	CU_ASSERT_EQUAL(parse("a = ''\n"), 0);
	CU_ASSERT_STRING_EQUAL(str("a"), "");
	/* # inside a string is not a comment. */
	CU_ASSERT_EQUAL(parse("a = \"x # y\" # z\n"), 0);
	CU_ASSERT_STRING_EQUAL(str("a"), "x # y");
}

static void test_lists(void)
{
	const struct cfg_value *l;

	CU_ASSERT_EQUAL(parse("disk = [ 'a', \"b\", 3 ]\n"), 0);
	l = list("disk");
	CU_ASSERT_PTR_NOT_NULL_FATAL(l);
	CU_ASSERT_EQUAL_FATAL(l->n, 3);
	CU_ASSERT_STRING_EQUAL(l->items[0]->str, "a");
	CU_ASSERT_STRING_EQUAL(l->items[2]->str, "3");
	/* Empty list, trailing comma, newlines and comments anywhere inside. */
	CU_ASSERT_EQUAL(parse("a = []\nb = [ 'x', ]\nc = [\n  'p', # one\n\n  'q'\n  ,\n]\n"), 0);
	CU_ASSERT_EQUAL(list("a")->n, 0);
	CU_ASSERT_EQUAL(list("b")->n, 1);
	CU_ASSERT_EQUAL(list("c")->n, 2);
	CU_ASSERT_STRING_EQUAL(list("c")->items[1]->str, "q");
	/* Nested and heterogeneous (xl.cfg(5)). */
	CU_ASSERT_EQUAL(parse("a = [ [ 1, [ 'x' ] ], 'y', [] ]\n"), 0);
	l = list("a");
	CU_ASSERT_EQUAL_FATAL(l->n, 3);
	CU_ASSERT_EQUAL(l->items[0]->type, CFG_LIST);
	CU_ASSERT_EQUAL(l->items[0]->items[1]->type, CFG_LIST);
	CU_ASSERT_STRING_EQUAL(l->items[0]->items[1]->items[0]->str, "x");
	CU_ASSERT_EQUAL(l->items[2]->n, 0);
}

static void test_comments(void)
{
	CU_ASSERT_EQUAL(parse("# header\na = 1 # trailing\n#b = 2\n   # indented\n"), 0);
	CU_ASSERT_STRING_EQUAL(str("a"), "1");
	CU_ASSERT_PTR_NULL(cfg_find(&cf, "b"));
	CU_ASSERT_EQUAL(parse("a = 1 # no newline at the end"), 0);
	CU_ASSERT_STRING_EQUAL(str("a"), "1");
}

static void test_override_and_add(void)
{
	/* libxlu's find() returns the latest setting of a name. */
	CU_ASSERT_EQUAL(parse("memory = 128\nmemory = 256\n"), 0);
	CU_ASSERT_STRING_EQUAL(str("memory"), "256");
	/* += concatenates strings and appends lists (libxlu_cfg.c xlu__cfg_concat_vals). */
	CU_ASSERT_EQUAL(parse("extra = 'a'\nextra += ' b'\ndisk = ['x']\ndisk += ['y','z']\n"), 0);
	CU_ASSERT_STRING_EQUAL(str("extra"), "a b");
	CU_ASSERT_EQUAL_FATAL(list("disk")->n, 3);
	CU_ASSERT_STRING_EQUAL(list("disk")->items[0]->str, "x");
	CU_ASSERT_STRING_EQUAL(list("disk")->items[2]->str, "z");
	/* += with no earlier value is a plain assignment. */
	CU_ASSERT_EQUAL(parse("extra += 'q'\n"), 0);
	CU_ASSERT_STRING_EQUAL(str("extra"), "q");
	expect_error("a = 'x'\na += ['y']\n", 2, 6, "a", "can't add [list] to \"string\"");
}

/* Several parse calls build one file: xl's KEY=VALUE arguments after the file. */
static void test_two_sources(void)
{
	cfg_free(&cf);
	CU_ASSERT_EQUAL(cfg_parse(&cf, "f.cfg", "memory = 128\nname='a'\n", 22, &err), 0);
	CU_ASSERT_EQUAL(cfg_parse(&cf, "command line", "memory=512", 10, &err), 0);
	CU_ASSERT_STRING_EQUAL(str("memory"), "512");
	CU_ASSERT_STRING_EQUAL(cfg_find(&cf, "memory")->source, "command line");
	CU_ASSERT_STRING_EQUAL(cfg_find(&cf, "name")->source, "f.cfg");
	/* A failing second source leaves the first intact. */
	CU_ASSERT_EQUAL(cfg_parse(&cf, "command line", "vcpus=", 6, &err), -EINVAL);
	CU_ASSERT_STRING_EQUAL(err.source, "command line");
	CU_ASSERT_STRING_EQUAL(str("memory"), "512");
	CU_ASSERT_PTR_NULL(cfg_find(&cf, "vcpus"));
}

static void test_errors(void)
{
	expect_error("a = 1\nname = h0\n", 2, 8, "name", "expected a value");
	expect_error("a = \"open\n", 1, 5, "a", "unterminated string");
	expect_error("a = 'x' 'y'\n", 1, 9, "a", "expected end of line");
	expect_error("= 3\n", 1, 1, "", "expected a key name");
	expect_error("a 3\n", 1, 3, "a", "expected `=' or `+='");
	expect_error("a = [ 'x' 'y' ]\n", 1, 11, "a", "expected `,' or `]'");
	expect_error("a = [ , ]\n", 1, 7, "a", "expected a value");
	expect_error("a = [ 'x', , ]\n", 1, 12, "a", "expected a value after `,'");
	expect_error("a = [ 'x'\n", 2, 1, "a", "found end of file");
	expect_error("a = ]\n", 1, 5, "a", "expected a value");
	/* libxlu: upper-case keys and unquoted words are lexical errors. */
	expect_error("Name = 'x'\n", 1, 1, "", "upper-case");
	expect_error("a = -1\n", 1, 5, "a", "not Python");
	expect_error("a = (1, 2)\n", 1, 5, "a", "not Python");
	/* No backslash continuation, in or out of strings. */
	expect_error("a = 'x' \\\n", 1, 9, "a", "line continuation");
	expect_error("a = 'x\\\ny'\n", 1, 5, "a", "line continuation");
	/* Escapes outside libxlu's set; numeric escapes never worked in libxlu. */
	expect_error("a = '\\q'\n", 1, 5, "a", "after backslash");
	expect_error("a = '\\x41'\n", 1, 5, "a", "numeric escape");
	expect_error("a = '\\101'\n", 1, 5, "a", "numeric escape");
	expect_error("a = 1\r\n", 1, 6, "a", "carriage return");
	expect_error("a = '\x01' ; b = \x80\n", 1, 15, "b", "byte 0x80");
	CU_ASSERT_EQUAL(cfg_parse(&cf, "t.cfg", "a=1\n\0", 5, &err), -EINVAL);
	CU_ASSERT_EQUAL(err.line, 2);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "NUL"));
}

static void test_depth_bound(void)
{
	char deep[200] = "a = ";

	/* 64 levels parse; 65 are refused rather than recursing without bound. */
	memset(deep + 4, '[', 64);
	memset(deep + 68, ']', 64);
	CU_ASSERT_EQUAL(parse(deep), 0);
	memset(deep + 4, '[', 65);
	memset(deep + 69, ']', 65);
	CU_ASSERT_EQUAL(parse(deep), -EINVAL);
	CU_ASSERT_PTR_NOT_NULL(strstr(err.msg, "nested deeper"));
}

static void test_error_format(void)
{
	char out[512];

	expect_error("a = 1\nname = h0\n", 2, 8, "name", "expected a value");
	cfg_error_format(&err, out, sizeof(out));
	CU_ASSERT_EQUAL(strncmp(out, "t.cfg:2:8: key `name': syntax error", 35), 0);
}

static void test_file(void)
{
	char path[] = "/tmp/xlcfg-test.XXXXXX";
	int fd = mkstemp(path);
	const char text[] = "name = 'f'\nmemory = 64\n";

	CU_ASSERT_FATAL(fd >= 0);
	CU_ASSERT_EQUAL(write(fd, text, sizeof(text) - 1), (ssize_t)sizeof(text) - 1);
	close(fd);
	cfg_free(&cf);
	CU_ASSERT_EQUAL(cfg_parse_file(&cf, path, &err), 0);
	CU_ASSERT_STRING_EQUAL(str("name"), "f");
	CU_ASSERT_STRING_EQUAL(cfg_find(&cf, "name")->source, path);
	unlink(path);
	cfg_free(&cf);
	CU_ASSERT_EQUAL(cfg_parse_file(&cf, path, &err), -ENOENT);
	CU_ASSERT_STRING_EQUAL(err.source, path);
}

static int cleanup(void)
{
	cfg_free(&cf);
	return 0;
}

UNIT_SUITE(xlcfg_grammar, NULL, cleanup, UNIT_TEST(test_assignments), UNIT_TEST(test_numbers),
	   UNIT_TEST(test_strings), UNIT_TEST(test_lists), UNIT_TEST(test_comments),
	   UNIT_TEST(test_override_and_add), UNIT_TEST(test_two_sources), UNIT_TEST(test_errors),
	   UNIT_TEST(test_depth_bound), UNIT_TEST(test_error_format), UNIT_TEST(test_file))
