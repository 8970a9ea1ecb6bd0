#!/usr/bin/env bash
# Durability: writers under load, kill -9 of xenstored at an arbitrary moment, restart
# on the same --db-dir: every acknowledged write, permission and introduction is there.
# Two rounds, the second with a tiny compaction threshold so kills land in compaction.
. "$(dirname "$0")/xs-lib.sh"
results=0
for round in 1 2; do
	extra=()
	[ "$round" = 2 ] && extra=(--compact-bytes 20000)
	rm -f "$XS_TMP"/acked.*
	xs_start "${extra[@]}"
	"$TESTBIN/xs_crash_load" load "$XS_TMP" &
	lp=$!
	sleep "0.$((RANDOM % 5 + 6))"
	kill -9 "$XS_PID"
	wait "$XS_PID" 2>/dev/null
	XS_PID=
	wait $lp
	xs_start "${extra[@]}"
	echo "round $round: restarted after kill -9"
	absorb "$TESTBIN/xs_crash_load" verify "$XS_TMP"
	xs_stop
done
summary
