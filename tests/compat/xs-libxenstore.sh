#!/usr/bin/env bash
# xenstored driven by a C program linked with Debian's libxenstore (xs_libxenstore.c).
. "$(dirname "$0")/xs-lib.sh"
xs_start
timeout 120 "$TESTBIN/xs_libxenstore"
