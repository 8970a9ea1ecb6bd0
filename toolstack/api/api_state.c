// SPDX-License-Identifier: GPL-2.0
/*
 * The API's state: loading every record at start, saving one record at each change,
 * the tables in memory. A record that cannot be read is reported and the start fails:
 * an instance is never silently dropped.
 */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "toolstack/api/api_state.h"
#include "toolstack/api/records.h"

const char *instance_state_name(enum instance_state s)
{
	switch (s) {
	case STATE_PENDING:
		return "pending";
	case STATE_RUNNING:
		return "running";
	case STATE_SHUTTING_DOWN:
		return "shutting-down";
	case STATE_TERMINATED:
		return "terminated";
	case STATE_STOPPING:
		return "stopping";
	case STATE_STOPPED:
		return "stopped";
	}
	return "unknown";
}

void state_lock(struct api_state *st)
{
	pthread_rwlock_wrlock(&st->lock);
}

void state_read_lock(struct api_state *st)
{
	pthread_rwlock_rdlock(&st->lock);
}

void state_unlock(struct api_state *st)
{
	pthread_rwlock_unlock(&st->lock);
}

int tags_set(struct tags *t, const char *key, const char *value)
{
	if (strlen(key) > TAG_KEY_MAX || strlen(value) > TAG_VALUE_MAX || !*key)
		return -EINVAL;
	for (size_t i = 0; i < t->n; i++) {
		if (!strcmp(t->v[i].key, key)) {
			strcpy(t->v[i].value, value);
			return 0;
		}
	}
	if (t->n == TAGS_MAX)
		return -E2BIG;
	strcpy(t->v[t->n].key, key);
	strcpy(t->v[t->n].value, value);
	t->n++;
	return 0;
}

void tags_delete(struct tags *t, const char *key, const char *value)
{
	for (size_t i = 0; i < t->n; i++) {
		if (strcmp(t->v[i].key, key) || (value && strcmp(t->v[i].value, value)))
			continue;
		memmove(&t->v[i], &t->v[i + 1], (t->n - i - 1) * sizeof(t->v[0]));
		t->n--;
		return;
	}
}

const char *tags_get(const struct tags *t, const char *key)
{
	for (size_t i = 0; i < t->n; i++)
		if (!strcmp(t->v[i].key, key))
			return t->v[i].value;
	return NULL;
}

static void put_tags(struct strbuf *sb, const struct tags *t)
{
	for (size_t i = 0; i < t->n; i++) {
		rec_put(sb, "tag.key", t->v[i].key);
		rec_put(sb, "tag.value", t->v[i].value);
	}
}

/* Reads "tag.key" then "tag.value" into t; 1 if key was not a tag field. */
static int get_tag(struct tags *t, const char *key, const char *value, char *pending)
{
	if (!strcmp(key, "tag.key")) {
		snprintf(pending, TAG_KEY_MAX + 1, "%s", value);
		return 0;
	}
	if (!strcmp(key, "tag.value"))
		return tags_set(t, pending, value) ? -EINVAL : 0;
	return 1;
}

#define FIELD(rec, name)                                             \
	{                                                            \
#name, offsetof(rec, name), sizeof(((rec *)0)->name) \
	}

struct text_field {
	const char *key;
	size_t off, size;
};

static const struct text_field image_fields[] = {
	FIELD(struct image, id),
	FIELD(struct image, name),
	FIELD(struct image, description),
	FIELD(struct image, kernel),
	FIELD(struct image, ramdisk),
	FIELD(struct image, root_disk),
	FIELD(struct image, virtualization),
	FIELD(struct image, boot_mode),
	FIELD(struct image, root_device),
};

static const struct text_field instance_fields[] = {
	FIELD(struct instance, id),	      FIELD(struct instance, image_id),
	FIELD(struct instance, type),	      FIELD(struct instance, reservation_id),
	FIELD(struct instance, client_token), FIELD(struct instance, reason_code),
	FIELD(struct instance, reason),	      FIELD(struct instance, virtualization),
	FIELD(struct instance, root_device),
};

/* Copies value into the text field named key; 1 if there is none of that name. */
static int set_text(void *rec, const struct text_field *f, size_t n, const char *key,
		    const char *value)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(f[i].key, key))
			continue;
		if (strlen(value) >= f[i].size)
			return -EINVAL;
		strcpy((char *)rec + f[i].off, value);
		return 0;
	}
	return 1;
}

static void put_text(struct strbuf *sb, const void *rec, const struct text_field *f, size_t n)
{
	for (size_t i = 0; i < n; i++)
		rec_put(sb, f[i].key, (const char *)rec + f[i].off);
}

struct loading {
	void *rec;
	char pending_tag[TAG_KEY_MAX + 1];
};

static int image_field(void *ctx, const char *key, const char *value)
{
	struct loading *l = ctx;
	struct image *im = l->rec;
	int rc = set_text(im, image_fields, sizeof(image_fields) / sizeof(image_fields[0]), key,
			  value);

	if (rc <= 0)
		return rc;
	if (!strcmp(key, "created")) {
		im->created = atoll(value);
		return 0;
	}
	rc = get_tag(&im->tags, key, value, l->pending_tag);
	return rc <= 0 ? rc : 0; /* fields of later versions are ignored */
}

static int instance_field(void *ctx, const char *key, const char *value)
{
	struct loading *l = ctx;
	struct instance *in = l->rec;
	int rc = set_text(in, instance_fields, sizeof(instance_fields) / sizeof(instance_fields[0]),
			  key, value);

	if (rc <= 0)
		return rc;
	if (!strcmp(key, "state"))
		in->state = atoi(value);
	else if (!strcmp(key, "launch_time"))
		in->launch_time = atoll(value);
	else if (!strcmp(key, "launch_index"))
		in->launch_index = atoi(value);
	else if (!strcmp(key, "vcpus"))
		in->vcpus = atoi(value);
	else if (!strcmp(key, "memory_mib"))
		in->memory_mib = strtoul(value, NULL, 10);
	else if (!strcmp(key, "has_ramdisk"))
		in->has_ramdisk = atoi(value);
	else if (!strcmp(key, "has_disk"))
		in->has_disk = atoi(value);
	else
		rc = get_tag(&in->tags, key, value, l->pending_tag);
	return rc < 0 ? rc : 0; /* fields of later versions are ignored */
}

int image_save(struct api_state *st, const struct image *im)
{
	struct strbuf sb = { 0 };
	char path[700];
	int rc;

	put_text(&sb, im, image_fields, sizeof(image_fields) / sizeof(image_fields[0]));
	rec_putll(&sb, "created", im->created);
	put_tags(&sb, &im->tags);
	snprintf(path, sizeof(path), "%s/images/%s", st->dir, im->id);
	rc = rec_save(path, &sb);
	strbuf_free(&sb);
	return rc;
}

int instance_path(const struct api_state *st, const char *id, const char *file, char *buf,
		  size_t size)
{
	int n = snprintf(buf, size, "%s/instances/%s%s%s", st->dir, id, file ? "/" : "",
			 file ? file : "");

	return n < (int)size ? 0 : -ENAMETOOLONG;
}

int instance_save(struct api_state *st, const struct instance *in)
{
	struct strbuf sb = { 0 };
	char path[700];
	int rc;

	put_text(&sb, in, instance_fields, sizeof(instance_fields) / sizeof(instance_fields[0]));
	rec_putll(&sb, "state", in->state);
	rec_putll(&sb, "launch_time", in->launch_time);
	rec_putll(&sb, "launch_index", in->launch_index);
	rec_putll(&sb, "vcpus", in->vcpus);
	rec_putll(&sb, "memory_mib", in->memory_mib);
	rec_putll(&sb, "has_ramdisk", in->has_ramdisk);
	rec_putll(&sb, "has_disk", in->has_disk);
	put_tags(&sb, &in->tags);
	instance_path(st, in->id, NULL, path, sizeof(path));
	rc = rec_mkdirs(path);
	if (!rc) {
		instance_path(st, in->id, "record", path, sizeof(path));
		rc = rec_save(path, &sb);
	}
	strbuf_free(&sb);
	return rc;
}

/* Room for entry n of an array whose capacity is 8, then powers of two. */
static int grow(void *arrayp, size_t n)
{
	void **a = *(void ***)arrayp;

	if (n && (n < 8 || (n & (n - 1))))
		return 0;
	a = realloc(a, (n < 8 ? 8 : n * 2) * sizeof(void *));
	if (!a)
		return -ENOMEM;
	*(void ***)arrayp = a;
	return 0;
}

int image_add(struct api_state *st, struct image *im)
{
	if (grow(&st->images, st->nimages))
		return -ENOMEM;
	st->images[st->nimages++] = im;
	return 0;
}

int instance_add(struct api_state *st, struct instance *in)
{
	if (grow(&st->instances, st->ninstances))
		return -ENOMEM;
	st->instances[st->ninstances++] = in;
	return 0;
}

struct image *image_find(struct api_state *st, const char *id)
{
	for (size_t i = 0; i < st->nimages; i++)
		if (!strcmp(st->images[i]->id, id))
			return st->images[i];
	return NULL;
}

struct instance *instance_find(struct api_state *st, const char *id)
{
	for (size_t i = 0; i < st->ninstances; i++)
		if (!strcmp(st->instances[i]->id, id))
			return st->instances[i];
	return NULL;
}

int image_remove(struct api_state *st, const char *id)
{
	char path[700];

	for (size_t i = 0; i < st->nimages; i++) {
		if (strcmp(st->images[i]->id, id))
			continue;
		snprintf(path, sizeof(path), "%s/images/%s", st->dir, id);
		if (unlink(path) && errno != ENOENT)
			return -errno;
		free(st->images[i]);
		memmove(&st->images[i], &st->images[i + 1], (st->nimages - i - 1) * sizeof(void *));
		st->nimages--;
		return 0;
	}
	return -ENOENT;
}

static int cmp_launch(const void *a, const void *b)
{
	const struct instance *x = *(struct instance *const *)a, *y = *(struct instance *const *)b;

	if (x->launch_time != y->launch_time)
		return x->launch_time < y->launch_time ? -1 : 1;
	if (x->launch_index != y->launch_index)
		return x->launch_index < y->launch_index ? -1 : 1;
	return strcmp(x->id, y->id);
}

/* Every entry of STATE/SUB whose name is a PREFIX id, loaded with load_one. */
static int load_dir(struct api_state *st, const char *sub, const char *prefix,
		    int (*load_one)(struct api_state *st, const char *name, char *err, size_t es),
		    char *err, size_t errsize)
{
	char path[600];
	struct dirent *de;
	DIR *d;
	int rc = 0;

	snprintf(path, sizeof(path), "%s/%s", st->dir, sub);
	rc = rec_mkdirs(path);
	if (rc) {
		snprintf(err, errsize, "%s: %s", path, strerror(-rc));
		return rc;
	}
	d = opendir(path);
	if (!d) {
		snprintf(err, errsize, "%s: %s", path, strerror(errno));
		return -errno;
	}
	while (!rc && (de = readdir(d)))
		if (rec_id_valid(prefix, de->d_name))
			rc = load_one(st, de->d_name, err, errsize);
	closedir(d);
	return rc;
}

static int load_image(struct api_state *st, const char *name, char *err, size_t errsize)
{
	struct image *im = calloc(1, sizeof(*im));
	struct loading l = { .rec = im };
	char path[700];
	int rc;

	if (!im)
		return -ENOMEM;
	snprintf(path, sizeof(path), "%s/images/%s", st->dir, name);
	rc = rec_load(path, image_field, &l);
	if (!rc && strcmp(im->id, name))
		rc = -EINVAL;
	if (!rc)
		rc = image_add(st, im);
	if (rc) {
		snprintf(err, errsize, "image record %s: %s", path, strerror(-rc));
		free(im);
	}
	return rc;
}

static int load_instance(struct api_state *st, const char *name, char *err, size_t errsize)
{
	struct instance *in = calloc(1, sizeof(*in));
	struct loading l = { .rec = in };
	char path[700];
	int rc;

	if (!in)
		return -ENOMEM;
	instance_path(st, name, "record", path, sizeof(path));
	rc = rec_load(path, instance_field, &l);
	if (!rc && strcmp(in->id, name))
		rc = -EINVAL;
	if (!rc)
		rc = instance_add(st, in);
	if (rc) {
		snprintf(err, errsize, "instance record %s: %s", path, strerror(-rc));
		free(in);
	}
	return rc;
}

int api_state_open(struct api_state *st, const char *dir, char *err, size_t errsize)
{
	pthread_rwlockattr_t attr;
	int rc;

	memset(st, 0, sizeof(*st));
	/* Writers first: a stream of describes must not hold off a launch. */
	pthread_rwlockattr_init(&attr);
	pthread_rwlockattr_setkind_np(&attr, PTHREAD_RWLOCK_PREFER_WRITER_NONRECURSIVE_NP);
	pthread_rwlock_init(&st->lock, &attr);
	pthread_rwlockattr_destroy(&attr);
	pthread_mutex_init(&st->ops_lock, NULL);
	pthread_cond_init(&st->ops_idle, NULL);
	if (snprintf(st->dir, sizeof(st->dir), "%s", dir) >= (int)sizeof(st->dir)) {
		snprintf(err, errsize, "%s: path too long", dir);
		return -ENAMETOOLONG;
	}
	rc = instance_types_init(&st->types);
	if (!rc)
		rc = load_dir(st, "images", "ami", load_image, err, errsize);
	if (!rc)
		rc = load_dir(st, "instances", "i", load_instance, err, errsize);
	if (rc) {
		api_state_close(st);
		return rc;
	}
	if (st->ninstances > 1)
		qsort(st->instances, st->ninstances, sizeof(void *), cmp_launch);
	st->host_cpus = sysconf(_SC_NPROCESSORS_ONLN);
	st->host_memory_mib =
		(unsigned long)(sysconf(_SC_PHYS_PAGES) / 256 * (sysconf(_SC_PAGESIZE) / 4096));
	st->vcpu_capacity = st->host_cpus * VCPU_OVERCOMMIT;
	st->memory_capacity_mib = st->host_memory_mib;
	return 0;
}

void state_op_begin(struct api_state *st)
{
	pthread_mutex_lock(&st->ops_lock);
	st->ops++;
	pthread_mutex_unlock(&st->ops_lock);
}

void state_op_end(struct api_state *st)
{
	pthread_mutex_lock(&st->ops_lock);
	if (!--st->ops)
		pthread_cond_broadcast(&st->ops_idle);
	pthread_mutex_unlock(&st->ops_lock);
}

void api_state_close(struct api_state *st)
{
	pthread_mutex_lock(&st->ops_lock);
	while (st->ops)
		pthread_cond_wait(&st->ops_idle, &st->ops_lock);
	pthread_mutex_unlock(&st->ops_lock);
	for (size_t i = 0; i < st->nimages; i++)
		free(st->images[i]);
	for (size_t i = 0; i < st->ninstances; i++)
		free(st->instances[i]);
	free(st->images);
	free(st->instances);
	instance_types_free(&st->types);
	st->images = NULL;
	st->instances = NULL;
	st->nimages = st->ninstances = 0;
}
