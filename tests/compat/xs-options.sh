#!/usr/bin/env bash
# xenstored's command line: --help, errors naming the bad option with exit status 2,
# daemon mode with --pid-file, the socket's 0600 mode, -T trace of requests and replies.
. "$(dirname "$0")/xs-lib.sh"
x="$BIN/xenstored"

out=$("$x" --help) && [[ $out == *--db-dir* && $out == *--socket* && $out == *-E,* ]] &&
	pass "--help describes the options (exit 0)" || fail "--help: [$out]"
for bad in "-E abc" "-E 0" "-Q nonsense=3" "-Q nodes" "--no-such-option" "--socket-mode 999"; do
	# shellcheck disable=SC2086
	err=$("$x" -N --socket "$XS_TMP/bad.sock" $bad 2>&1 >/dev/null)
	rc=$?
	opt=${bad%% *}
	if [ $rc -eq 2 ] && [[ $err == *"$opt"* ]]; then pass "'$bad' rejected with status 2 naming $opt"; else fail "'$bad': status $rc [$err]"; fi
done
err=$("$x" -N --socket "$XS_TMP/nodir/x/sock" 2>&1)
rc=$?
[ $rc -eq 1 ] && [[ $err == *--socket* ]] && pass "unusable socket path: status 1 naming --socket" || fail "bad socket: $rc [$err]"

# Daemon mode: the parent returns once the socket serves; the pid file names the daemon.
"$x" --socket "$XENSTORED_PATH" --db-dir "$XS_TMP/db" --pid-file "$XS_TMP/pid" -T "$XS_TMP/trace"
rc=$?
pid=$(cat "$XS_TMP/pid" 2>/dev/null)
[ $rc -eq 0 ] && [ -n "$pid" ] && kill -0 "$pid" && pass "daemonises; --pid-file holds a live pid" || fail "daemon mode: rc=$rc pid=$pid"
expect "serves right after the parent exits" "" xenstore-write /opt/x 1
expect "socket mode is 0600" "600" stat -c %a "$XENSTORED_PATH"
xenstore-read /opt/x >/dev/null
if grep -q "^IN .* READ (/opt/x )" "$XS_TMP/trace" && grep -q "^OUT .* READ (1)" "$XS_TMP/trace"; then
	pass "-T traces the request and its reply"
else
	fail "trace: $(tail -3 "$XS_TMP/trace")"
fi
kill "$pid"
for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.05; done
! kill -0 "$pid" 2>/dev/null && [ ! -e "$XS_TMP/pid" ] && pass "SIGTERM: exits and removes the pid file" || fail "still running or pid file left"
summary
