// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer harness for toolstack/cfg: any bytes as an xl.cfg file (then, when it
 * parses, the typed config and its JSON, xl.cfg and XML writers), as libvirt XML
 * (inputs starting with '<'), and as a DISKSPEC, a vifspec and a cpus range. Nothing may crash, leak (ASan) or misbehave (UBSan); a file that parses
 * must come out with every setting holding a value.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/cfg/domcfg.h"
#include "toolstack/cfg/libvirt_xml.h"

static FILE *sink;

static void check_tree(const struct cfg_value *v, int depth)
{
	if (depth > 64 || (v->type == CFG_ATOM && !v->str))
		abort();
	for (size_t i = 0; i < v->n; i++)
		check_tree(v->items[i], depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct cfg_file cf;
	struct cfg_error err;
	struct dom_config dc;
	char *s, msg[200];
	uint64_t mask[DOM_MAX_HOST_CPUS / 64];

	if (!sink)
		sink = fopen("/dev/null", "w");
	cfg_init(&cf);
	if (!cfg_parse(&cf, "fuzz.cfg", (const char *)data, size, &err)) {
		for (const struct cfg_setting *st = cf.head; st; st = st->next)
			check_tree(st->value, 0);
		if (!domcfg_from_cfg(&cf, &dc, &err, sink)) {
			char *xml = NULL;

			domcfg_print_json(&dc, sink);
			domcfg_write_xlcfg(&dc, sink);
			if (!libvirt_xml_from_domcfg(&dc, &xml))
				free(xml);
			domcfg_free(&dc);
		}
	} else {
		cfg_error_format(&err, msg, sizeof(msg));
	}
	cfg_free(&cf);
	if (size && data[0] == '<' &&
	    !libvirt_xml_to_domcfg((const char *)data, size, "fuzz.xml", &dc, &err, sink))
		domcfg_free(&dc);

	s = strndup((const char *)data, size);
	if (!s)
		return 0;
	{
		struct dom_disk d;
		struct dom_vif v;

		if (!domcfg_parse_disk(s, &d, msg, sizeof(msg)))
			domcfg_disk_free(&d);
		if (!domcfg_parse_vif(s, 0, &v, msg, sizeof(msg)))
			domcfg_vif_free(&v);
		domcfg_parse_cpus(s, mask, msg, sizeof(msg));
	}
	free(s);
	return 0;
}
