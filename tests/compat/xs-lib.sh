# shellcheck shell=bash
# Shared by the xenstored compat suites: a private daemon (own socket and db-dir in a
# temp dir, never /run/xenstored), result counting and clean-up. Source it.
set -u
: "${BIN:=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)/build/bin}"
: "${TESTBIN:=$(dirname "$BIN")/tests}"
XS_TMP=$(mktemp -d /tmp/xs-compat.XXXXXX)
XS_PID=
export XENSTORED_PATH=$XS_TMP/socket
n_pass=0 n_fail=0 n_skip=0

xs_cleanup() {
	[ -n "$XS_PID" ] && kill "$XS_PID" 2>/dev/null && wait "$XS_PID" 2>/dev/null
	rm -rf "$XS_TMP"
}
trap xs_cleanup EXIT

# xs_start [xenstored options...]: starts the daemon in the foreground of a subshell.
xs_start() {
	rm -f "$XENSTORED_PATH" # a socket left by a killed daemon
	"$BIN/xenstored" -N --socket "$XENSTORED_PATH" --db-dir "$XS_TMP/db" "$@" \
		2>>"$XS_TMP/xenstored.log" &
	XS_PID=$!
	for _ in $(seq 100); do
		[ -S "$XENSTORED_PATH" ] && return 0
		sleep 0.05
	done
	echo "FAIL xenstored did not create its socket"; cat "$XS_TMP/xenstored.log"
	exit 1
}

xs_stop() {
	kill "$XS_PID" 2>/dev/null && wait "$XS_PID" 2>/dev/null
	XS_PID=
}

pass() { n_pass=$((n_pass + 1)); echo "PASS $*"; }
fail() { n_fail=$((n_fail + 1)); echo "FAIL $*"; }
skip() { n_skip=$((n_skip + 1)); echo "SKIP $*"; }

# expect NAME WANT CMD...: CMD's stdout (and exit status 0) must equal WANT.
expect() {
	local name=$1 want=$2 got
	shift 2
	if got=$(timeout 10 "$@" 2>&1) && [ "$got" = "$want" ]; then
		pass "$name"
	else
		fail "$name: wanted [$want] got [$got]"
	fi
}

# expect_fail NAME CMD...: CMD must exit non-zero.
expect_fail() {
	local name=$1
	shift
	if timeout 10 "$@" >/dev/null 2>&1; then fail "$name: succeeded"; else pass "$name"; fi
}

# absorb CMD...: runs a program that prints its own "N passed, N failed" line and adds
# its counts to ours (so that summary() can still check the daemon's log).
absorb() {
	local out last
	out=$("$@" 2>&1)
	echo "$out" | grep -vE '^[0-9]+ passed, [0-9]+ failed'
	last=$(echo "$out" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -1)
	if [ -z "$last" ]; then
		fail "$1 printed no summary line"
		return
	fi
	n_pass=$((n_pass + $(sed -E 's/^([0-9]+) passed.*/\1/' <<<"$last")))
	n_fail=$((n_fail + $(sed -E 's/^[0-9]+ passed, ([0-9]+) failed.*/\1/' <<<"$last")))
}

summary() {
	# A daemon built with SANITIZE=1 reports memory errors and leaks in its log.
	[ -n "$XS_PID" ] && xs_stop
	if grep -qE "ERROR: AddressSanitizer|runtime error|ERROR: LeakSanitizer" \
		"$XS_TMP/xenstored.log" 2>/dev/null; then
		fail "sanitizer report in the xenstored log:"
		grep -A12 -E "ERROR: AddressSanitizer|runtime error|ERROR: LeakSanitizer" "$XS_TMP/xenstored.log" | head -40
	fi
	echo "$n_pass passed, $n_fail failed, $n_skip skipped"
	[ "$n_fail" -eq 0 ]
}
