#!/usr/bin/env bash
# xenstored driven by python3-pyxs (Debian's python3-pyxs, for /usr/bin/python3 only).
. "$(dirname "$0")/xs-lib.sh"
if ! /usr/bin/python3 -c 'import pyxs' 2>/dev/null; then
	skip "python3-pyxs is not installed for /usr/bin/python3 (scripts/deps installs it)"
	summary
	exit
fi
xs_start
absorb timeout 60 /usr/bin/python3 "$(dirname "$0")/xs_pyxs.py"
summary
