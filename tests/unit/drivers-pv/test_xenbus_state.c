// SPDX-License-Identifier: GPL-2.0
/*
 * The backend's xenbus transitions against what io/xenbus.h describes and Linux's
 * backends do (xen-blkback's frontend_changed(): connect once the frontend is
 * Initialised or Connected, Closing answers Closing, Closed answers Closed, a closed
 * backend whose frontend is Initialising again goes back to InitWait).
 */
#include <xen/io/xenbus.h>

#include "drivers-pv/xenbus_state.h"
#include "tests/unit/unit.h"

#define I XenbusStateInitialising
#define IW XenbusStateInitWait
#define ID XenbusStateInitialised
#define C XenbusStateConnected
#define CG XenbusStateClosing
#define CD XenbusStateClosed
#define U XenbusStateUnknown

struct row {
	enum xenbus_state backend, frontend;
	bool connected, removing;
	bool disconnect, connect;
	enum xenbus_state next;
};

static void check_rows(const struct row *rows, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		struct pv_xenbus_step s =
			pv_xenbus_next(r->backend, r->frontend, r->connected, r->removing);

		CU_ASSERT_EQUAL(s.disconnect, r->disconnect);
		CU_ASSERT_EQUAL(s.connect, r->connect);
		CU_ASSERT_EQUAL(s.next, r->next);
		if (s.disconnect != r->disconnect || s.connect != r->connect || s.next != r->next)
			CU_FAIL_FATAL("row mismatch");
	}
}

/* A frontend's first connection: nothing until it is ready, then connect. */
static void test_first_connect(void)
{
	static const struct row rows[] = {
		{ IW, I, false, false, false, false, IW }, /* frontend probing */
		{ IW, ID, false, false, false, true, C }, /* rings published: connect */
		{ IW, C, false, false, false, true, C }, /* Initialised missed (coalesced) */
		{ C, C, true, false, false, false, C }, /* already connected: nothing */
		{ C, ID, true, false, false, false, C }, /* a late watch: nothing */
		{ I, ID, false, false, false, false, I }, /* setup not done: wait */
	};

	check_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

/* Closing and closing down, as blkfront does on module unload or device removal. */
static void test_close(void)
{
	static const struct row rows[] = {
		{ C, CG, true, false, true, false, CG },
		{ CG, CD, false, false, false, false, CD },
		{ C, CD, true, false, true, false, CD }, /* Closing missed */
		{ IW, CG, false, false, false, false, CG }, /* never connected */
		{ CD, CD, false, false, false, false, CD }, /* nothing new */
		{ C, U, true, false, true, false, CD }, /* frontend directory gone */
	};

	check_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

/* A frontend that closed comes back (module reload, resume): served again. */
static void test_reconnect(void)
{
	static const struct row rows[] = {
		{ CD, I, false, false, false, false, IW },
		{ IW, ID, false, false, false, true, C },
		{ CD, ID, false, false, false, true, C }, /* Initialising missed */
		{ CD, C, false, false, false, true, C },
		{ CG, ID, false, false, false, false, CG }, /* must close first */
	};

	check_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

/* While the toolstack removes the device nothing connects again. */
static void test_removal(void)
{
	static const struct row rows[] = {
		{ CG, C, true, true, false, false, CG }, /* waiting for the frontend */
		{ CG, CD, true, true, true, false, CD },   { CD, I, false, true, false, false, CD },
		{ CD, ID, false, true, false, false, CD }, { I, CD, false, true, false, false, CD },
	};

	check_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

/* States a frontend never takes change nothing. */
static void test_ignored_states(void)
{
	static const struct row rows[] = {
		{ C, IW, true, false, false, false, C },
		{ C, XenbusStateReconfiguring, true, false, false, false, C },
		{ C, XenbusStateReconfigured, true, false, false, false, C },
		{ IW, (enum xenbus_state)42, false, false, false, false, IW },
	};

	check_rows(rows, sizeof(rows) / sizeof(rows[0]));
}

/*
 * Every combination, against rules that hold whatever the table above says: nothing
 * connects while removing or without the frontend ready, a connect ends in Connected,
 * a disconnect only undoes a connect, the backend never takes a state a backend never
 * writes (Unknown, Initialised, Reconfiguring...), and a frontend that closed is answered
 * with a closing or closed backend.
 */
static void test_invariants(void)
{
	for (int b = XenbusStateUnknown; b <= XenbusStateReconfigured; b++) {
		for (int f = XenbusStateUnknown; f <= XenbusStateReconfigured + 1; f++) {
			for (int bits = 0; bits < 4; bits++) {
				bool connected = bits & 1, removing = bits & 2;
				struct pv_xenbus_step s =
					pv_xenbus_next((enum xenbus_state)b, (enum xenbus_state)f,
						       connected, removing);
				bool ready =
					f == XenbusStateInitialised || f == XenbusStateConnected;
				bool closed = f == XenbusStateClosing || f == XenbusStateClosed ||
					      f == XenbusStateUnknown;

				CU_ASSERT_FALSE(s.connect && (removing || !ready));
				CU_ASSERT_TRUE(!s.connect || s.next == XenbusStateConnected);
				CU_ASSERT_FALSE(s.disconnect && !connected);
				CU_ASSERT_TRUE((int)s.next == b || s.next == XenbusStateInitWait ||
					       s.next == XenbusStateConnected ||
					       s.next == XenbusStateClosing ||
					       s.next == XenbusStateClosed);
				if (closed && connected)
					CU_ASSERT_TRUE(s.disconnect);
				if (closed && b != XenbusStateInitialising)
					CU_ASSERT_TRUE(s.next == XenbusStateClosing ||
						       s.next == XenbusStateClosed);
			}
		}
	}
}

static void test_state_names(void)
{
	CU_ASSERT_STRING_EQUAL(pv_xenbus_state_name(XenbusStateInitWait), "InitWait");
	CU_ASSERT_STRING_EQUAL(pv_xenbus_state_name(XenbusStateClosed), "Closed");
	CU_ASSERT_STRING_EQUAL(pv_xenbus_state_name((enum xenbus_state)99), "invalid");
}

UNIT_SUITE(xenbus_state, NULL, NULL, UNIT_TEST(test_first_connect), UNIT_TEST(test_close),
	   UNIT_TEST(test_reconnect), UNIT_TEST(test_removal), UNIT_TEST(test_ignored_states),
	   UNIT_TEST(test_invariants), UNIT_TEST(test_state_names));
