#!/usr/bin/env bash
# Tool side of the xenstore_restart guest test (run by run-guests with XENSTORED_PATH,
# DOMID, XENSTORED_DIR and XENSTORED_CMD set): once the guest has written data/ready,
# kill xenstored as a crash would (SIGKILL), start it again on the same database and
# socket, and write data/from-tool, which the guest can only read once the VMM has
# introduced its domain to the new daemon.
p=/local/domain/$DOMID
for _ in $(seq 1 250); do
	xenstore-read "$p/data/ready" >/dev/null 2>&1 && break
	sleep 0.02
done
kill -9 "$(cat "$XENSTORED_DIR/pid")"
# The socket file outlives a killed daemon; the new one replaces it.
sleep 0.3
$XENSTORED_CMD >>"$XENSTORED_DIR/log" 2>&1 &
for _ in $(seq 1 250); do
	xenstore-read "$p/domid" >/dev/null 2>&1 && break
	sleep 0.02
done
xenstore-write "$p/data/from-tool" after-restart
