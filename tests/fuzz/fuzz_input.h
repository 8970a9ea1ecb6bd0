/* SPDX-License-Identifier: GPL-2.0 */
/* The byte reader the VMM-side fuzz harnesses share: little-endian values off the input. */
#ifndef XENKVM_TESTS_FUZZ_INPUT_H
#define XENKVM_TESTS_FUZZ_INPUT_H

#include <stddef.h>
#include <stdint.h>

struct input {
	const uint8_t *p;
	size_t left;
};

/* The next `bytes` bytes (up to 8) as a little-endian value; missing bytes read as 0. */
static inline uint64_t take(struct input *in, unsigned int bytes)
{
	uint64_t v = 0;

	for (unsigned int i = 0; i < bytes && in->left; i++, in->left--)
		v |= (uint64_t)*in->p++ << (8 * i);
	return v;
}

#endif
