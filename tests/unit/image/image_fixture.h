/* SPDX-License-Identifier: GPL-2.0 */
/* The images of tests/images/mkimages, built once per run into a temporary directory. */
#ifndef XENKVM_TESTS_UNIT_IMAGE_FIXTURE_H
#define XENKVM_TESTS_UNIT_IMAGE_FIXTURE_H

#include <stddef.h>
#include <stdint.h>

int img_fixture_init(void);
int img_fixture_cleanup(void);
/* The directory of built images, or NULL when they could not be built (img_fixture_why). */
const char *img_fixture_dir(void);
const char *img_fixture_why(void);
uint8_t *img_fixture_slurp(const char *path, size_t *len);
/* A scratch file path in the fixture's directory (for crafted images). */
const char *img_fixture_scratch(const char *name);

#endif
