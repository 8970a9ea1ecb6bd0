/* SPDX-License-Identifier: GPL-2.0 */
/*
 * libvirt domain XML (`<domain type='xen'>`, libvirt's formatdomain and its libxl
 * driver's xen-xl conversion) to and from the typed domain config.
 */
#ifndef XENKVM_TOOLSTACK_CFG_LIBVIRT_XML_H
#define XENKVM_TOOLSTACK_CFG_LIBVIRT_XML_H

#include <stdio.h>

#include "toolstack/cfg/domcfg.h"

/*
 * XML to xl.cfg text (as libvirt's xen-xl converter writes it). Errors name the
 * source, the XML line and the element; warnings (elements with no xl.cfg meaning
 * for xenkvm) go to warn. *cfg_text is malloc'd. lines[i] (malloc'd, *nlines entries)
 * is the XML line that produced line i + 1 of the text.
 */
int libvirt_xml_to_xlcfg(const char *xml, size_t len, const char *source, char **cfg_text,
			 int **lines, size_t *nlines, struct cfg_error *err, FILE *warn);
/* XML to the typed config: the text above through cfg_parse and domcfg_from_cfg. */
int libvirt_xml_to_domcfg(const char *xml, size_t len, const char *source,
			  struct dom_config *dc, struct cfg_error *err, FILE *warn);
/* The typed config as libvirt domain XML; *out malloc'd, NUL-terminated. */
int libvirt_xml_from_domcfg(const struct dom_config *dc, char **out);
/* The typed config as an xl.cfg file (what `xl create` reads back to the same config). */
void domcfg_write_xlcfg(const struct dom_config *dc, FILE *out);

#endif
