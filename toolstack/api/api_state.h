/* SPDX-License-Identifier: GPL-2.0 */
/*
 * What the API knows: the instance-type catalogue, the image registry and the
 * instances, all under one lock, each image and instance persisted as a record under
 * the state directory:
 *   STATE/images/ami-XXXXXXXXXXXXXXXXX          the image's record
 *   STATE/instances/i-XXXXXXXXXXXXXXXXX/record  the instance's record
 *   STATE/instances/i-.../root.img              its root disk, cloned from the image's
 *   STATE/instances/i-.../domain.cfg            the xl config it runs with
 *   STATE/instances/i-.../console.log           its console, kept when it stops
 */
#ifndef XENKVM_TOOLSTACK_API_API_STATE_H
#define XENKVM_TOOLSTACK_API_API_STATE_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>

#include "toolstack/api/instance_types.h"
#include "toolstack/api/lifecycle.h"

/* EC2's limits: 50 tags per resource, keys up to 128 characters, values up to 256. */
#define TAGS_MAX 50
#define TAG_KEY_MAX 128
#define TAG_VALUE_MAX 256

/* The guest's command line is the image's tag xenkvm:cmdline at launch, else this. */
#define IMAGE_CMDLINE_TAG "xenkvm:cmdline"
#define IMAGE_DEFAULT_CMDLINE "console=hvc0"

struct tag {
	char key[TAG_KEY_MAX + 1];
	char value[TAG_VALUE_MAX + 1];
};

struct tags {
	struct tag v[TAGS_MAX];
	size_t n;
};

struct image {
	char id[32]; /* ami-<17 hex> */
	char name[129];
	char description[256];
	char kernel[512], ramdisk[512], root_disk[512]; /* host paths; ramdisk, disk optional */
	char virtualization[16]; /* paravirtual or hvm */
	char boot_mode[24]; /* legacy-bios, uefi, uefi-preferred */
	char root_device[32]; /* /dev/xvda */
	long long created;
	struct tags tags;
};

/* EC2's state codes. */
enum instance_state {
	STATE_PENDING = 0,
	STATE_RUNNING = 16,
	STATE_SHUTTING_DOWN = 32,
	STATE_TERMINATED = 48,
	STATE_STOPPING = 64,
	STATE_STOPPED = 80,
};

struct instance {
	char id[32]; /* i-<17 hex>, also the xl domain's name */
	char image_id[32];
	char type[32];
	char reservation_id[32];
	char client_token[72];
	enum instance_state state;
	char reason_code[64]; /* stateReason: Client.UserInitiatedShutdown, ... */
	char reason[256];
	long long launch_time;
	unsigned launch_index;
	unsigned vcpus;
	unsigned long memory_mib;
	char virtualization[16]; /* the image's, at launch */
	char root_device[32];
	bool has_ramdisk, has_disk;
	bool busy; /* a lifecycle call runs for it, outside the lock */
	struct tags tags;
};

struct api_state {
	/* Writers: every change, and refreshing states; readers: the descriptions that
	 * build large documents (DescribeInstances, DescribeImages) run side by side. */
	pthread_rwlock_t lock;
	char dir[512];
	struct instance_types types;
	struct image **images;
	size_t nimages;
	struct instance **instances; /* in launch order */
	size_t ninstances;
	struct lifecycle lc;
	/* Stops and terminations still being carried out after their reply
	 * (action_state.c): closing the state waits for them. */
	pthread_mutex_t ops_lock;
	pthread_cond_t ops_idle;
	unsigned ops;
	unsigned host_cpus; /* online CPUs: no instance type may have more vCPUs */
	unsigned long host_memory_mib; /* physical memory */
	/* What the instances that hold resources (capacity.c) may add up to:
	 * --vcpu-capacity (default host_cpus x VCPU_OVERCOMMIT) and --memory-capacity
	 * (default host_memory_mib). */
	unsigned vcpu_capacity;
	unsigned long memory_capacity_mib;
};

/* The default vCPUs placed per host CPU. With every placed vCPU busy, each still gets a
 * third of a CPU: above the baseline AWS gives any vCPU of its burstable t2 family (at
 * most t2.large's 30%), the Xen-era types most launched; idle vCPUs (halted, or blocked
 * in SCHEDOP_block) cost the host nothing. Non-burstable types (c5, m3, c4) expect a
 * CPU each: give such hosts --vcpu-capacity equal to their CPU count. */
#define VCPU_OVERCOMMIT 3

const char *instance_state_name(enum instance_state s);

void state_lock(struct api_state *st); /* exclusive */
void state_read_lock(struct api_state *st); /* shared: nothing may change under it */
void state_unlock(struct api_state *st);

/* A lifecycle operation that outlives its request: counted from begin to end. */
void state_op_begin(struct api_state *st);
void state_op_end(struct api_state *st);

/* Opens STATE (made 0700 if absent) and loads every record in it. */
int api_state_open(struct api_state *st, const char *dir, char *err, size_t errsize);
/* Waits for the operations still running, then frees everything. */
void api_state_close(struct api_state *st);

/* Under st->lock: lookups, and persisting one record. */
struct image *image_find(struct api_state *st, const char *id);
struct instance *instance_find(struct api_state *st, const char *id);
int image_save(struct api_state *st, const struct image *im);
int instance_save(struct api_state *st, const struct instance *in);
/* Adds a record (already saved) to the tables; -ENOMEM. */
int image_add(struct api_state *st, struct image *im);
int instance_add(struct api_state *st, struct instance *in);
/* Removes an image and its record. */
int image_remove(struct api_state *st, const char *id);
/* A file of the instance's directory (file NULL: the directory). */
int instance_path(const struct api_state *st, const char *id, const char *file, char *buf,
		  size_t size);

/* Tags: set (replace the value of a key) or delete (value NULL: any value). */
int tags_set(struct tags *t, const char *key, const char *value);
void tags_delete(struct tags *t, const char *key, const char *value);
const char *tags_get(const struct tags *t, const char *key);

#endif
