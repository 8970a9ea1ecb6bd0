#!/usr/bin/env bash
# xenkvm-api against a real EC2 client, the AWS SDK for Python (Debian's python3-boto3;
# the issue's JavaScript SDK is not in Debian): kit guests run as instances through xl
# under KVM, described with hypervisor xen, stopped, started, tagged, terminated; EC2's
# errors for bad input and bad credentials; many clients at once. Runs where kvm:
# suites run (it boots guests). The API restarts once: its records must survive. A
# second API with a small --vcpu-capacity and --memory-capacity refuses what does not fit.
set -u
: "${BIN:=$(cd "$(dirname "$0")/../.." && pwd)/build/bin}"
: "${GUESTS:=$(dirname "$BIN")/guests}"
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d /tmp/api-boto3.XXXXXX)
api_pid=
export XENKVM_RUN_DIR=$work/run XL=$BIN/xl

cleanup() {
	[ -n "$api_pid" ] && kill "$api_pid" 2>/dev/null && wait "$api_pid" 2>/dev/null
	for d in "$work"/run/domains/*/; do
		[ -f "$d/record" ] || continue
		kill -9 "$(sed -n 's/^monitor=//p' "$d/record")" 2>/dev/null
		kill -9 "$(sed -n 's/^pid=//p' "$d/record")" 2>/dev/null
	done
	rm -rf "$work"
}
trap cleanup EXIT

skip() {
	echo "SKIP api-boto3: $1"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
}
/usr/bin/python3 -c 'import boto3' 2>/dev/null || skip "python3-boto3 is not installed (make deps)"
for g in wait_forever shutdown_poweroff; do
	[ -f "$GUESTS/$g.elf" ] || skip "$GUESTS/$g.elf is not built"
done

umask 077
printf '[default]\naws_access_key_id = AKIAXENKVMTEST000001\naws_secret_access_key = %s\n' \
	"$(head -c 30 /dev/urandom | base64 | tr -d '/+=')" >"$work/credentials"
# Catalogue entries small enough for any test machine.
printf 'xk.tiny 1 32 0 Low\nxk.fat 1 64 0 Low\n' >"$work/types"
head -c 1048576 /dev/urandom >"$work/root.img"

# start_api STATE-DIR [OPTION...]: the API on a free port ($port), logging to api.log.
start_api() {
	local state=$1 seen
	shift
	touch "$work/api.log"
	seen=$(wc -l <"$work/api.log") # the port of an earlier start is no answer
	"$BIN/xenkvm-api" --listen 127.0.0.1:0 --credentials "$work/credentials" \
		--state-dir "$state" --run-dir "$XENKVM_RUN_DIR" \
		--instance-types "$work/types" "$@" 2>>"$work/api.log" &
	api_pid=$!
	for _ in $(seq 200); do
		port=$(tail -n +$((seen + 1)) "$work/api.log" |
			sed -n 's/^xenkvm-api: listening on 127.0.0.1:\([0-9]*\)$/\1/p')
		[ -n "$port" ] && return 0
		sleep 0.05
	done
	echo "xenkvm-api did not start:"
	cat "$work/api.log"
	return 1
}

# The concurrency test places 16 one-vCPU instances at once: room for them on any host.
main_api=("$work/state" --vcpu-capacity 64)
start_api "${main_api[@]}" || { echo "0 passed, 1 failed"; exit 1; }
export API_ENDPOINT=http://127.0.0.1:$port API_KEY=AKIAXENKVMTEST000001
API_SECRET=$(sed -n 's/^aws_secret_access_key = //p' "$work/credentials")
export API_SECRET GUEST_WAIT=$GUESTS/wait_forever.elf GUEST_POWEROFF=$GUESTS/shutdown_poweroff.elf
export ROOT_DISK=$work/root.img
/usr/bin/python3 "$here/api_boto3.py" | tee "$work/py.out"
summary=$(tail -n 1 "$work/py.out")
pass=$(sed -n 's/^\([0-9]*\) passed.*/\1/p' <<<"$summary")
fail=$(sed -n 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/p' <<<"$summary")
[ -z "$pass" ] && pass=0 fail=1

# Records survive a restart: the same instances, in the same states.
before=$(ls "$work/state/instances" | sort)
kill "$api_pid" && wait "$api_pid" 2>/dev/null
api_pid=
n=$(wc -w <<<"$before")
if start_api "${main_api[@]}" && [ "$(ls "$work/state/instances" | sort)" = "$before" ] &&
	grep "xenkvm-api: [0-9]* images, " "$work/api.log" | tail -n 1 | grep -q ", $n instances,"; then
	echo "PASS restart-keeps-records"
	pass=$((pass + 1))
else
	echo "FAIL restart-keeps-records: $(tail -n 3 "$work/api.log")"
	fail=$((fail + 1))
fi

# Capacity: a second API on its own records with a small configured capacity.
kill "$api_pid" && wait "$api_pid" 2>/dev/null
api_pid=
if start_api "$work/state-capacity" --vcpu-capacity 3 --memory-capacity 100; then
	API_ENDPOINT=http://127.0.0.1:$port /usr/bin/python3 "$here/api_boto3.py" capacity |
		tee "$work/py.out"
	summary=$(tail -n 1 "$work/py.out")
	n=$(sed -n 's/^\([0-9]*\) passed.*/\1/p' <<<"$summary")
	f=$(sed -n 's/^[0-9]* passed, \([0-9]*\) failed.*/\1/p' <<<"$summary")
	[ -z "$n" ] && n=0 f=1
	pass=$((pass + n)) fail=$((fail + f))
else
	echo "FAIL capacity-api-start"
	fail=$((fail + 1))
fi
if [ "$fail" -gt 0 ]; then
	echo "--- xenkvm-api log"
	tail -n 40 "$work/api.log"
fi
echo "$pass passed, $fail failed, 0 skipped"
