// SPDX-License-Identifier: GPL-2.0
/*
 * Snapshot + journal. Both files are a 16-byte header (magic, version, epoch) and then
 * records: u32 body length, u32 CRC-32 of the body, body. The first record that is
 * short or fails its CRC ends a journal (a write cut by a crash): it is truncated there.
 * A journal is replayed only onto the snapshot of the same epoch, so a crash between
 * writing a new snapshot and replacing the journal never replays old records twice.
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "toolstack/xenstored/daemon.h"
#include "toolstack/xenstored/journal.h"
#include "toolstack/xenstored/paths.h"

#define DB_MAGIC 0x42445358u /* "XSDB" */
#define JN_MAGIC 0x4e4a5358u /* "XSJN" */
#define FMT_VERSION 1u

struct file_hdr {
	uint32_t magic, version;
	uint64_t epoch;
};

struct journal {
	struct xsd *d;
	char db_path[PATH_MAX], jn_path[PATH_MAX], dir[PATH_MAX];
	int fd;
	uint64_t epoch;
	unsigned long size, snap_size, compact_bytes;
	char *buf;
	size_t len, cap;
	bool failed;
};

static uint32_t crc32(const void *data, size_t len)
{
	static uint32_t table[256];
	const unsigned char *p = data;
	uint32_t c = 0xffffffffu;

	if (!table[1]) {
		for (uint32_t i = 0; i < 256; i++) {
			uint32_t v = i;

			for (int k = 0; k < 8; k++)
				v = v & 1 ? 0xedb88320u ^ (v >> 1) : v >> 1;
			table[i] = v;
		}
	}
	for (size_t i = 0; i < len; i++)
		c = table[(c ^ p[i]) & 0xff] ^ (c >> 8);
	return c ^ 0xffffffffu;
}

/* Record building: reserve the 8-byte frame, append fields, then seal. */
static int reserve(struct journal *j, size_t more)
{
	size_t cap = j->cap ? j->cap : 65536;
	char *b;

	if (j->len + more <= j->cap)
		return 0;
	while (cap < j->len + more)
		cap *= 2;
	b = realloc(j->buf, cap);
	if (!b)
		return -ENOMEM;
	j->buf = b;
	j->cap = cap;
	return 0;
}

static void put(struct journal *j, const void *p, size_t n)
{
	if (!n)
		return; /* p may be NULL for an empty value */
	memcpy(j->buf + j->len, p, n);
	j->len += n;
}

static void seal(struct journal *j, size_t start)
{
	uint32_t body = (uint32_t)(j->len - start - 8);
	uint32_t crc = crc32(j->buf + start + 8, body);

	memcpy(j->buf + start, &body, 4);
	memcpy(j->buf + start + 4, &crc, 4);
}

static void rec_node(struct journal *j, char op, const struct node *n)
{
	uint32_t plen = (uint32_t)strlen(n->path), vlen = n->vlen;
	uint16_t np = (uint16_t)n->nperms;
	size_t start = j->len;

	if (reserve(j, 8 + 11 + plen + vlen + np * 3u)) {
		j->failed = true;
		return;
	}
	j->len += 8;
	put(j, &op, 1);
	put(j, &plen, 4);
	if (op == 'S') {
		put(j, &np, 2);
		put(j, &vlen, 4);
		for (uint16_t i = 0; i < np; i++) {
			put(j, &n->perms[i].id, 2);
			put(j, &n->perms[i].bits, 1);
		}
	}
	put(j, n->path, plen);
	if (op == 'S')
		put(j, n->value, vlen);
	seal(j, start);
}

void journal_node(void *opaque, enum store_change what, const struct node *n)
{
	rec_node(opaque, what == STORE_SET ? 'S' : 'D', n);
}

void journal_domain(struct journal *j, char op, unsigned int domid, unsigned long a, unsigned int b)
{
	uint32_t id = domid, b32 = b;
	uint64_t a64 = a;
	size_t start = j->len;

	if (reserve(j, 8 + 17)) {
		j->failed = true;
		return;
	}
	j->len += 8;
	put(j, &op, 1);
	put(j, &id, 4);
	put(j, &a64, 8);
	put(j, &b32, 4);
	seal(j, start);
}

void journal_special(struct journal *j, unsigned int idx, const struct perm *p)
{
	journal_domain(j, 'P', idx, p->id, p->bits);
}

bool journal_dirty(const struct journal *j)
{
	return j && j->len;
}

static int write_all(int fd, const char *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);

		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0)
			return -errno;
		p += w, n -= (size_t)w;
	}
	return 0;
}

int journal_sync(struct journal *j)
{
	int rc;

	if (!j)
		return 0;
	if (j->failed)
		return -ENOMEM;
	if (!j->len)
		return 0;
	rc = write_all(j->fd, j->buf, j->len);
	if (!rc && fdatasync(j->fd))
		rc = -errno;
	if (rc)
		return rc;
	j->size += j->len;
	j->len = 0;
	return 0;
}

/* A node's state from a record: create it (and, defensively, its parents) or update it. */
static int replay_set(struct xsd *d, const char *path, const struct perm *perms, uint16_t np,
		      const char *val, uint32_t vlen)
{
	char parent[PATH_BUF];
	struct node *n = store_lookup(&d->st, path);
	int rc;

	if (n) {
		rc = store_set_value(&d->st, n, val, vlen);
		return rc ? rc : store_set_perms(&d->st, n, perms, np);
	}
	path_parent(path, parent);
	if (!store_lookup(&d->st, parent)) {
		rc = replay_set(d, parent, perms, np, NULL, 0);
		if (rc)
			return rc;
	}
	return store_create(&d->st, path, perms, np, val, vlen);
}

/* Domain records: introduce, release, target, special-node permission. */
static int apply_domain(struct xsd *d, char op, const char *b, uint32_t len)
{
	uint32_t id, b32;
	uint64_t a64;

	if (len != 17)
		return -EINVAL;
	memcpy(&id, b + 1, 4);
	memcpy(&a64, b + 5, 8);
	memcpy(&b32, b + 13, 4);
	if (op == 'I')
		return domain_introduce(d, id, a64, b32, NULL, 0, true);
	if (op == 'R')
		domain_release(d, id, true); /* already gone is fine */
	else if (op == 'T')
		domain_set_target(d, id, (unsigned int)a64, true);
	else if (id < 2)
		d->special_perms[id] = (struct perm){ .id = (uint16_t)a64, .bits = (uint8_t)b32 };
	return 0;
}

/* Node records: 'S' (state) and 'D' (removal). */
static int apply_node(struct xsd *d, char op, const char *b, uint32_t len)
{
	/* As many entries as one SET_PERMS payload can carry ("n0\0" is 3 bytes). */
	static struct perm perms[XENSTORE_PAYLOAD_MAX / 3 + 1];
	char path[PATH_BUF];
	uint32_t plen, vlen = 0;
	uint16_t np = 0;
	size_t off = 5;

	memcpy(&plen, b + 1, 4);
	if (op == 'S') {
		if (len < 11)
			return -EINVAL;
		memcpy(&np, b + 5, 2);
		memcpy(&vlen, b + 7, 4);
		off = 11;
		if (!np || np > sizeof(perms) / sizeof(perms[0]) || off + np * 3u > len)
			return -EINVAL;
		for (uint16_t i = 0; i < np; i++, off += 3) {
			memcpy(&perms[i].id, b + off, 2);
			perms[i].bits = (uint8_t)b[off + 2];
		}
	}
	if (plen >= PATH_BUF || off + plen + vlen != len)
		return -EINVAL;
	memcpy(path, b + off, plen);
	path[plen] = '\0';
	if (!path_valid(path, 0))
		return -EINVAL;
	if (op == 'D') {
		store_delete_tree(&d->st, path); /* already gone is fine */
		return 0;
	}
	return replay_set(d, path, perms, np, b + off + plen, vlen);
}

/* Applies one record body to the daemon state. Unknown or bad records: -EINVAL. */
static int apply(struct xsd *d, const char *b, uint32_t len)
{
	if (len < 5)
		return -EINVAL;
	switch (b[0]) {
	case 'I':
	case 'R':
	case 'T':
	case 'P':
		return apply_domain(d, b[0], b, len);
	case 'S':
	case 'D':
		return apply_node(d, b[0], b, len);
	default:
		return -EINVAL;
	}
}

/*
 * Reads a whole file and applies its records. *valid gets the offset after the last
 * good record. Returns 0 (also for a torn tail), -ENOENT, or -EINVAL for a bad header.
 */
static int load_file(struct xsd *d, const char *path, uint32_t magic, uint64_t *epoch,
		     unsigned long *valid, unsigned long *size)
{
	struct file_hdr h;
	struct stat sb;
	char *buf = NULL;
	size_t off = sizeof(h);
	int fd = open(path, O_RDONLY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (fstat(fd, &sb) || sb.st_size < (off_t)sizeof(h)) {
		rc = sb.st_size ? -EINVAL : -ENOENT;
		goto out;
	}
	buf = malloc((size_t)sb.st_size);
	if (!buf) {
		rc = -ENOMEM;
		goto out;
	}
	if (pread(fd, buf, (size_t)sb.st_size, 0) != sb.st_size) {
		rc = -EIO;
		goto out;
	}
	memcpy(&h, buf, sizeof(h));
	if (h.magic != magic || h.version != FMT_VERSION) {
		rc = -EINVAL;
		goto out;
	}
	*epoch = h.epoch;
	*size = (unsigned long)sb.st_size;
	while (off + 8 <= (size_t)sb.st_size) {
		uint32_t blen, crc;

		memcpy(&blen, buf + off, 4);
		memcpy(&crc, buf + off + 4, 4);
		if (blen > (size_t)sb.st_size - off - 8 || crc32(buf + off + 8, blen) != crc)
			break;
		/* A complete record (its CRC holds) that cannot be applied is skipped, not
		 * taken for the torn end: what follows it was acknowledged too. */
		if (apply(d, buf + off + 8, blen))
			xsd_log(d, "%s: record at offset %zu ignored", path, off);
		off += 8 + blen;
	}
	*valid = off;
out:
	free(buf);
	close(fd);
	return rc;
}

static int sync_dir(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (fd < 0)
		return -errno;
	if (fsync(fd))
		rc = -errno;
	close(fd);
	return rc;
}

/* Writes a file (header + records) to path.tmp, syncs it and renames it over path. */
static int replace_file(struct journal *j, const char *path, uint32_t magic)
{
	char tmp[PATH_MAX + 8];
	struct file_hdr h = { .magic = magic, .version = FMT_VERSION, .epoch = j->epoch };
	int fd, rc;

	snprintf(tmp, sizeof(tmp), "%s.tmp", path);
	fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0)
		return -errno;
	rc = write_all(fd, (const char *)&h, sizeof(h));
	if (!rc && j->len)
		rc = write_all(fd, j->buf, j->len);
	if (!rc && fsync(fd))
		rc = -errno;
	close(fd);
	if (!rc && rename(tmp, path))
		rc = -errno;
	if (!rc)
		rc = sync_dir(j->dir);
	return rc;
}

static int snap_node(struct store *st, struct node *n, void *arg)
{
	if (strcmp(n->path, "/"))
		rec_node(arg, 'S', n);
	return 0;
}

static void snap_state(struct journal *j, struct xsd *d)
{
	struct node *root = store_lookup(&d->st, "/");

	/* The root's permissions are the only state of "/" worth keeping. */
	rec_node(j, 'S', root);
	store_walk(&d->st, "/", snap_node, j);
	for (struct domain *dom = d->domains; dom; dom = dom->next)
		journal_domain(j, 'I', dom->domid, dom->mfn, dom->port);
	for (struct domain *dom = d->domains; dom; dom = dom->next)
		if (dom->target >= 0)
			journal_domain(j, 'T', dom->domid, (unsigned long)dom->target, 0);
	for (unsigned int i = 0; i < 2; i++)
		journal_special(j, i, &d->special_perms[i]);
}

/* New snapshot of epoch+1, then an empty journal of the same epoch. */
static int compact(struct journal *j, struct xsd *d)
{
	int rc = journal_sync(j), fd;

	if (rc)
		return rc;
	j->epoch++;
	snap_state(j, d);
	if (j->failed)
		return -ENOMEM;
	rc = replace_file(j, j->db_path, DB_MAGIC);
	j->snap_size = (unsigned long)(sizeof(struct file_hdr) + j->len);
	j->len = 0;
	if (rc)
		return rc;
	rc = replace_file(j, j->jn_path, JN_MAGIC);
	if (rc)
		return rc;
	fd = open(j->jn_path, O_WRONLY | O_APPEND | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (j->fd >= 0)
		close(j->fd);
	j->fd = fd;
	j->size = sizeof(struct file_hdr);
	return 0;
}

int journal_maybe_compact(struct journal *j, struct xsd *d)
{
	if (!j || j->size < j->compact_bytes || j->size < 2 * j->snap_size)
		return 0;
	return compact(j, d);
}

void journal_sizes(const struct journal *j, unsigned long *journal, unsigned long *snapshot)
{
	*journal = j ? j->size : 0;
	*snapshot = j ? j->snap_size : 0;
}

static int load(struct journal *j, struct xsd *d)
{
	uint64_t snap_epoch = 0, jn_epoch = 0;
	unsigned long valid = 0, size = 0;
	int rc = load_file(d, j->db_path, DB_MAGIC, &snap_epoch, &valid, &size);

	if (rc && rc != -ENOENT)
		return rc;
	j->snap_size = rc ? 0 : size;
	j->epoch = snap_epoch;
	rc = load_file(d, j->jn_path, JN_MAGIC, &jn_epoch, &valid, &size);
	if (rc == -EINVAL || (!rc && jn_epoch != snap_epoch))
		return 0; /* stale or unusable journal: the snapshot is the state */
	return rc == -ENOENT ? 0 : rc;
}

struct journal *journal_open(struct xsd *d, const char *dir, unsigned long compact_bytes, int *err)
{
	struct journal *j = calloc(1, sizeof(*j));
	int rc;

	if (!j) {
		*err = -ENOMEM;
		return NULL;
	}
	j->d = d;
	j->fd = -1;
	j->compact_bytes = compact_bytes;
	snprintf(j->dir, sizeof(j->dir), "%s", dir);
	snprintf(j->db_path, sizeof(j->db_path), "%s/xenstore.db", dir);
	snprintf(j->jn_path, sizeof(j->jn_path), "%s/xenstore.journal", dir);
	if (mkdir(dir, 0700) && errno != EEXIST) {
		rc = -errno;
		goto fail;
	}
	rc = load(j, d);
	/* Start every run from a fresh snapshot: replay is then bounded by one run. */
	if (!rc)
		rc = compact(j, d);
	if (rc)
		goto fail;
	return j;
fail:
	*err = rc;
	journal_close(j);
	return NULL;
}

void journal_close(struct journal *j)
{
	if (!j)
		return;
	if (j->fd >= 0)
		close(j->fd);
	free(j->buf);
	free(j);
}
