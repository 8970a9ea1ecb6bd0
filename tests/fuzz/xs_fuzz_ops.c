// SPDX-License-Identifier: GPL-2.0
/*
 * libFuzzer: random sequences of store operations (write, mkdir, rm, set-perms,
 * transactions started, committed or dropped) by the privileged domain and by guests,
 * over a small path alphabet so that operations collide. After every operation the
 * store invariants must hold; a transaction that commits must leave them too.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tests/fuzz/xs_invariants.h"
#include "toolstack/xenstored/ops.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void make_path(const uint8_t *b, char *out)
{
	static const char *const parts[] = { "a", "b", "local", "domain", "1", "2", "x" };
	int depth = 1 + b[0] % 4, off = 0;

	for (int i = 0; i < depth; i++)
		off += snprintf(out + off, 64 - (size_t)off, "/%s", parts[b[i + 1] % 7]);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct store st;
	struct quota q;
	struct events ev = { 0 };
	struct txn *tx = NULL;
	struct caller who;
	struct view v;
	struct op_ctx c;
	char path[64];
	const struct node *n;

	if (store_init(&st))
		return 0;
	quota_defaults(&q);
	q.entries = 8;
	q.txn_nodes = 16;
	for (; size >= 6; data += 6, size -= 6) {
		who = (struct caller){ .domid = data[0] % 3,
				       .target = -1,
				       .privileged = data[0] % 3 == 0 };
		make_path(data + 1, path);
		v = (struct view){ .st = &st, .tx = tx };
		c = (struct op_ctx){ .v = &v, .who = &who, .q = &q, .ev = &ev };
		switch (data[5] % 8) {
		case 0:
			op_write(&c, path, "v", data[5] % 2);
			break;
		case 1:
			op_mkdir(&c, path);
			break;
		case 2:
			op_rm(&c, path);
			break;
		case 3: {
			struct perm p[2] = { { .id = data[4] % 3, .bits = data[3] % 4 },
					     { .id = data[2] % 3, .bits = PERM_READ } };

			op_set_perms(&c, path, p, 1 + data[1] % 2);
			break;
		}
		case 4:
			op_read(&c, path, &n);
			break;
		case 5:
			if (!tx)
				tx = txn_new(&st, 1, data[1] % 2 ? q.txn_nodes : 0);
			break;
		case 6:
			if (tx)
				txn_commit(tx, &st);
			txn_free(tx);
			tx = NULL;
			break;
		default:
			txn_free(tx); /* abort */
			tx = NULL;
		}
		events_clear(&ev);
		xs_check_invariants(&st, false);
	}
	txn_free(tx);
	xs_check_invariants(&st, true);
	store_destroy(&st);
	return 0;
}
