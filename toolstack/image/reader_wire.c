// SPDX-License-Identifier: GPL-2.0
/*
 * What the image reader sends its caller (reader.h): the menu (format, path, entries with
 * title, id, kernel, initrds, args, root), the default and chosen entry, and where the
 * kernel was read. Little-endian u32 fields and length-prefixed strings. The reader may
 * have been taken over by the image, so the caller's decoder trusts nothing: every
 * count, length and index is checked against the menu limits before use.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "toolstack/image/errmsg.h"
#include "toolstack/image/reader.h"

#define WIRE_MAGIC 0x78696d67u /* "ximg" */
#define WIRE_MAX_STRING (64u << 10)

static const char *const formats[] = { "GRUB 2", "GRUB legacy", "extlinux" };

struct wbuf {
	FILE *f;
};

static void put_u32(struct wbuf *w, uint32_t v)
{
	fwrite(&v, sizeof(v), 1, w->f);
}

/* A string, or none (length 0xffffffff). */
static void put_str(struct wbuf *w, const char *s)
{
	uint32_t len = s ? strlen(s) : UINT32_MAX;

	if (s && len > WIRE_MAX_STRING)
		len = WIRE_MAX_STRING;
	put_u32(w, len);
	if (s)
		fwrite(s, 1, len, w->f);
}

static uint32_t format_index(const char *format)
{
	for (uint32_t i = 0; i < sizeof(formats) / sizeof(formats[0]); i++)
		if (format && !strcmp(format, formats[i]))
			return i;
	return 0;
}

int img_wire_encode(const struct img_boot *b, bool loaded, char **buf, size_t *len)
{
	struct wbuf w = { open_memstream(buf, len) };

	if (!w.f)
		return -ENOMEM;
	put_u32(&w, WIRE_MAGIC);
	put_u32(&w, format_index(b->menu.format));
	put_str(&w, b->menu_path);
	put_u32(&w, b->menu_fs.part);
	put_u32(&w, b->menu.nr);
	put_u32(&w, b->menu.dflt);
	put_u32(&w, b->menu.dflt_fallback);
	put_u32(&w, loaded);
	put_u32(&w, b->entry);
	put_u32(&w, b->kernel_part);
	for (unsigned int i = 0; i < b->menu.nr; i++) {
		const struct menu_entry *e = &b->menu.entries[i];

		put_str(&w, e->title);
		put_str(&w, e->id);
		put_str(&w, e->kernel);
		put_str(&w, e->args);
		put_u32(&w, (uint32_t)e->root_part);
		put_u32(&w, e->nr_initrd);
		for (unsigned int j = 0; j < e->nr_initrd; j++)
			put_str(&w, e->initrd[j]);
	}
	return fclose(w.f) ? -ENOMEM : 0;
}

struct rbuf {
	const char *p, *end;
	bool bad;
};

static uint32_t get_u32(struct rbuf *r)
{
	uint32_t v = 0;

	if (r->end - r->p < (long)sizeof(v)) {
		r->bad = true;
		return 0;
	}
	memcpy(&v, r->p, sizeof(v));
	r->p += sizeof(v);
	return v;
}

/* A malloc()ed string, or NULL for none (*present false) or on error (r->bad). */
static char *get_str(struct rbuf *r, bool *present)
{
	uint32_t len = get_u32(r);
	char *s;

	*present = !r->bad && len != UINT32_MAX;
	if (!*present)
		return NULL;
	if (len > WIRE_MAX_STRING || r->end - r->p < (long)len || memchr(r->p, '\0', len)) {
		r->bad = true;
		return NULL;
	}
	s = strndup(r->p, len);
	r->bad |= !s;
	r->p += len;
	return s;
}

/* A string that must be there (title, args). */
static char *need_str(struct rbuf *r)
{
	bool present;
	char *s = get_str(r, &present);

	r->bad |= !present;
	return s;
}

static void get_entry(struct rbuf *r, struct menu_entry *e)
{
	bool present;
	uint32_t root;

	e->title = need_str(r);
	e->id = get_str(r, &present);
	e->kernel = get_str(r, &present);
	e->args = need_str(r);
	root = get_u32(r);
	e->root_part = (int32_t)root;
	if (e->root_part < MENU_ROOT_SAME || e->root_part > IMG_MAX_PARTS)
		r->bad = true;
	e->nr_initrd = get_u32(r);
	if (e->nr_initrd > MENU_MAX_INITRDS) {
		e->nr_initrd = 0;
		r->bad = true;
	}
	for (unsigned int j = 0; j < e->nr_initrd; j++)
		e->initrd[j] = need_str(r);
}

int img_wire_decode(const char *buf, size_t len, struct img_boot *b, bool *loaded, char *err,
		    size_t errlen)
{
	struct rbuf r = { buf, buf + len, false };
	uint32_t fmt, nr;
	char *path;

	if (get_u32(&r) != WIRE_MAGIC)
		return img_err(err, errlen, -EPROTO, "the image reader's answer is malformed");
	fmt = get_u32(&r);
	b->menu.format = formats[fmt < 3 ? fmt : 0];
	path = need_str(&r);
	snprintf(b->menu_path, sizeof(b->menu_path), "%s", path ? path : "");
	free(path);
	b->menu_fs.part = get_u32(&r);
	nr = get_u32(&r);
	b->menu.dflt = get_u32(&r);
	b->menu.dflt_fallback = get_u32(&r) != 0;
	*loaded = get_u32(&r) != 0;
	b->entry = get_u32(&r);
	b->kernel_part = get_u32(&r);
	if (fmt >= 3 || nr > MENU_MAX_ENTRIES || b->menu_fs.part > IMG_MAX_PARTS ||
	    b->kernel_part > IMG_MAX_PARTS)
		r.bad = true;
	for (uint32_t i = 0; i < nr && !r.bad; i++) {
		b->menu.nr++;
		get_entry(&r, &b->menu.entries[i]);
	}
	if (!r.bad && (b->menu.dflt >= b->menu.nr || (*loaded && b->entry >= b->menu.nr)) &&
	    b->menu.nr)
		r.bad = true;
	if (r.bad || r.p != r.end) {
		menu_free(&b->menu);
		return img_err(err, errlen, -EPROTO, "the image reader's answer is malformed");
	}
	return 0;
}
