// SPDX-License-Identifier: GPL-2.0
/*
 * RegisterImage, DeregisterImage, DescribeImages. An image here is a PVH kernel, an
 * optional ramdisk and an optional root disk, all files on the host: RegisterImage
 * takes their paths in KernelId, RamdiskId and ImageLocation (EC2's parameters, so
 * that any EC2 client can register one); descriptions show kernelId and ramdiskId as
 * aki-/ari- ids derived from the image's. The guest's command line is the image tag
 * xenkvm:cmdline when an instance is launched (default "console=hvc0").
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "toolstack/api/action_util.h"
#include "toolstack/api/actions.h"
#include "toolstack/api/records.h"

/* An absolute path to a readable regular file, or EC2's error naming the parameter. */
static int host_file(struct api_call *c, const char *param, char *out, size_t size, bool required)
{
	const char *v = query_get(c->q, param);
	struct stat st;

	if (!v || !*v) {
		if (required)
			return api_fail(c, EC2_MISSING_PARAMETER,
					"The request must contain the "
					"parameter %s (the host path of the file).",
					param);
		out[0] = 0;
		return 0;
	}
	if (v[0] != '/' || strlen(v) >= size)
		return api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				"Invalid value '%.200s' for %s: an absolute host path is expected.",
				v, param);
	if (stat(v, &st) || !S_ISREG(st.st_mode) || access(v, R_OK))
		return api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				"Invalid value '%.200s' for %s: not a readable regular file.", v,
				param);
	strcpy(out, v);
	return 0;
}

static int one_of(struct api_call *c, const char *param, const char *const *values, char *out,
		  size_t size)
{
	const char *v = query_get(c->q, param);

	if (!v) {
		snprintf(out, size, "%s", values[0]);
		return 0;
	}
	for (; *values; values++) {
		if (!strcmp(v, *values)) {
			snprintf(out, size, "%s", v);
			return 0;
		}
	}
	return api_fail(c, EC2_INVALID_PARAMETER_VALUE, "Invalid value '%.64s' for %s.", v, param);
}

static int image_params(struct api_call *c, struct image *im)
{
	static const char *const virt[] = { "paravirtual", "hvm", NULL };
	static const char *const boot[] = { "legacy-bios", "uefi", "uefi-preferred", NULL };
	static const char *const arch[] = { "x86_64", NULL };
	const char *name = query_get(c->q, "Name"), *desc = query_get(c->q, "Description"),
		   *root = query_get(c->q, "RootDeviceName");
	char a[16];

	if (!name || !*name)
		return api_fail(c, EC2_MISSING_PARAMETER,
				"The request must contain the parameter "
				"Name.");
	if (strlen(name) < 3 || strlen(name) > 128)
		return api_fail(c, EC2_INVALID_PARAMETER_VALUE,
				"AMI names must be between 3 and "
				"128 characters long.");
	snprintf(im->name, sizeof(im->name), "%s", name);
	snprintf(im->description, sizeof(im->description), "%s", desc ? desc : "");
	snprintf(im->root_device, sizeof(im->root_device), "%s", root ? root : "/dev/xvda");
	if (host_file(c, "KernelId", im->kernel, sizeof(im->kernel), true) ||
	    host_file(c, "RamdiskId", im->ramdisk, sizeof(im->ramdisk), false) ||
	    host_file(c, "ImageLocation", im->root_disk, sizeof(im->root_disk), false) ||
	    one_of(c, "VirtualizationType", virt, im->virtualization, sizeof(im->virtualization)) ||
	    one_of(c, "BootMode", boot, im->boot_mode, sizeof(im->boot_mode)) ||
	    one_of(c, "Architecture", arch, a, sizeof(a)))
		return -1;
	if (tag_specs_parse(c, "image", &im->tags))
		return -1;
	return 0;
}

int action_register_image(struct api_call *c)
{
	struct api_state *st = c->api->state;
	struct image *im = calloc(1, sizeof(*im));
	int rc;

	if (!im)
		return api_fail(c, EC2_INTERNAL_ERROR, "Out of memory.");
	if (image_params(c, im)) {
		free(im);
		return -1;
	}
	rec_new_id("ami", im->id);
	im->created = time(NULL);
	state_lock(st);
	rc = 0;
	for (size_t i = 0; i < st->nimages && !rc; i++)
		if (!strcmp(st->images[i]->name, im->name))
			rc = api_fail(c, EC2_INVALID_AMI_NAME_DUPLICATE,
				      "AMI name %.128s is already "
				      "in use by AMI %s",
				      im->name, st->images[i]->id);
	if (!rc && (image_save(st, im) || image_add(st, im)))
		rc = api_fail(c, EC2_INTERNAL_ERROR, "The image record could not be written.");
	state_unlock(st);
	if (rc) {
		free(im);
		return -1;
	}
	ec2_add(&c->doc, "imageId", im->id);
	return 0;
}

/* An ImageId parameter that is well formed, or EC2's error. */
static int image_id_param(struct api_call *c, const char *id)
{
	if (!id)
		return api_fail(c, EC2_MISSING_PARAMETER,
				"The request must contain the parameter "
				"ImageId.");
	if (!rec_id_valid("ami", id))
		return api_fail(c, EC2_INVALID_AMI_ID_MALFORMED,
				"Invalid id: \"%.64s\" (expecting "
				"\"ami-...\")",
				id);
	return 0;
}

int action_deregister_image(struct api_call *c)
{
	struct api_state *st = c->api->state;
	const char *id = query_get(c->q, "ImageId");
	int rc;

	if (image_id_param(c, id))
		return -1;
	state_lock(st);
	rc = image_remove(st, id);
	state_unlock(st);
	if (rc == -ENOENT)
		return api_fail(c, EC2_INVALID_AMI_ID_NOT_FOUND,
				"The image id '[%s]' does not "
				"exist",
				id);
	if (rc)
		return api_fail(c, EC2_INTERNAL_ERROR, "The image record could not be removed.");
	ec2_add(&c->doc, "return", "true");
	return 0;
}

static void describe_image(struct ec2_doc *d, const struct image *im)
{
	char t[32];

	ec2_open(d, "item");
	ec2_add(d, "imageId", im->id);
	ec2_add(d, "imageLocation", im->root_disk[0] ? im->root_disk : im->kernel);
	ec2_add(d, "imageState", "available");
	ec2_add(d, "imageOwnerId", OWNER_ID);
	iso_time(im->created, t);
	ec2_add(d, "creationDate", t);
	ec2_add(d, "isPublic", "false");
	ec2_add(d, "architecture", "x86_64");
	ec2_add(d, "imageType", "machine");
	ec2_addf(d, "kernelId", "aki-%s", im->id + 4);
	if (im->ramdisk[0])
		ec2_addf(d, "ramdiskId", "ari-%s", im->id + 4);
	ec2_add(d, "name", im->name);
	if (im->description[0])
		ec2_add(d, "description", im->description);
	ec2_add(d, "rootDeviceType", "ebs");
	ec2_add(d, "rootDeviceName", im->root_device);
	ec2_open(d, "blockDeviceMapping");
	if (im->root_disk[0])
		ec2_add_in(d, "item", "deviceName", im->root_device);
	ec2_close(d);
	ec2_add(d, "virtualizationType", im->virtualization);
	ec2_add(d, "hypervisor", "xen");
	ec2_add(d, "bootMode", im->boot_mode);
	xml_tag_set(d, &im->tags);
	ec2_close(d);
}

static bool image_selected(const struct image *im, const struct query_item *ids, size_t n,
			   const struct filters *fs)
{
	bool ok = !n;

	for (size_t i = 0; i < n && !ok; i++)
		ok = !strcmp(ids[i].value, im->id);
	for (size_t i = 0; ok && i < fs->n; i++) {
		const struct filter *f = &fs->f[i];

		if (!strcmp(f->name, "image-id"))
			ok = filter_match(f, im->id);
		else if (!strcmp(f->name, "name"))
			ok = filter_match(f, im->name);
		else if (!strcmp(f->name, "virtualization-type"))
			ok = filter_match(f, im->virtualization);
		else if (!strcmp(f->name, "state"))
			ok = filter_match(f, "available");
		else
			ok = filter_match_tags(f, &im->tags);
	}
	return ok;
}

int action_describe_images(struct api_call *c)
{
	static const char *const allowed[] = { "image-id", "name",    "virtualization-type",
					       "state",	   "tag-key", "tag-value",
					       "tag:",	   NULL };
	struct api_state *st = c->api->state;
	struct query_item *ids;
	struct filters fs;
	size_t n;
	int rc = 0;

	if (param_list(c, "ImageId", &ids, &n))
		return -1;
	for (size_t i = 0; i < n && !rc; i++)
		rc = image_id_param(c, ids[i].value);
	if (rc || filters_parse(c, allowed, &fs)) {
		free(ids);
		return -1;
	}
	state_read_lock(st);
	for (size_t i = 0; i < n && !rc; i++)
		if (!image_find(st, ids[i].value))
			rc = api_fail(c, EC2_INVALID_AMI_ID_NOT_FOUND,
				      "The image id '[%s]' does not "
				      "exist",
				      ids[i].value);
	ec2_open(&c->doc, "imagesSet");
	for (size_t i = 0; i < st->nimages && !rc; i++)
		if (image_selected(st->images[i], ids, n, &fs))
			describe_image(&c->doc, st->images[i]);
	ec2_close(&c->doc);
	state_unlock(st);
	filters_free(&fs);
	free(ids);
	return rc;
}
