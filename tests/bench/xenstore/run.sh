#!/usr/bin/env bash
# xenstored benchmark (never part of make check): starts a private daemon with its
# durable db-dir under /tmp and runs xs_bench against it. Figures go to
# docs/PERFORMANCE.md with the command, machine and date.
set -eu
root=$(cd "$(dirname "$0")/../../.." && pwd)
tmp=$(mktemp -d /tmp/xs-bench.XXXXXX)
"$root/build/bin/xenstored" -N --socket "$tmp/sock" --db-dir "$tmp/db" 2>"$tmp/log" &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$tmp"' EXIT
for _ in $(seq 100); do [ -S "$tmp/sock" ] && break; sleep 0.05; done
echo "xenstored benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) CPUs, $(uname -r)"
echo "db-dir on $(df -T /tmp | awk 'NR==2 {print $2}') (writes are fdatasync'ed before their reply)"
XENSTORED_PATH=$tmp/sock "$root/build/tests/xs_bench" "$pid"
