#!/usr/bin/env bash
# Tool side of the xenstore guest test (run by run-guests with XENSTORED_PATH and DOMID
# set): once the guest has written data/ready, change data/from-tool, which it watches.
p=/local/domain/$DOMID
for _ in $(seq 1 200); do
	xenstore-read "$p/data/ready" >/dev/null 2>&1 && break
	sleep 0.02
done
xenstore-write "$p/data/from-tool" hello-from-tool
