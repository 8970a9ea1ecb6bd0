#!/usr/bin/env bash
# xenstored driven by a C program linked with Debian's libxenstore (xs_libxenstore.c).
. "$(dirname "$0")/xs-lib.sh"
xs_start
# libxenstore itself leaks a few bytes per handle: not ours to report.
absorb env ASAN_OPTIONS=detect_leaks=0 timeout 120 "$TESTBIN/xs_libxenstore"
summary
