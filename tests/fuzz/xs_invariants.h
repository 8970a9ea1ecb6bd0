/* SPDX-License-Identifier: GPL-2.0 */
/* Store invariants the xenstored fuzzers check after every input; abort() on violation. */
#ifndef XENKVM_TESTS_FUZZ_XS_INVARIANTS_H
#define XENKVM_TESTS_FUZZ_XS_INVARIANTS_H

#include <stdbool.h>

#include "toolstack/xenstored/store.h"

/* full: also compare the owner count of every one of the 65536 domids. */
void xs_check_invariants(const struct store *st, bool full);

#endif
