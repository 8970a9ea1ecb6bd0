#!/usr/bin/env bash
# xenkvm-api's command line and start-up (docs/API.md): help and usage errors, refused
# credentials files, a bad listen address, a damaged record, bad capacities; the default
# capacity in the start-up line; then the Unix-socket
# listener answering an unsigned request with EC2's MissingAuthenticationToken, and
# SIGTERM ending it cleanly. Needs no KVM.
set -u
: "${BIN:=$(cd "$(dirname "$0")/../.." && pwd)/build/bin}"
api=$BIN/xenkvm-api
work=$(mktemp -d /tmp/api-cli.XXXXXX)
pid=
pass=0 fail=0
cleanup() {
	[ -n "$pid" ] && kill "$pid" 2>/dev/null && wait "$pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

# expect NAME STATUS PATTERN CMD...: CMD exits with STATUS and its output matches PATTERN.
expect() {
	local name=$1 want=$2 pat=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" = "$want" ] && grep -q -- "$pat" <<<"$out"; then ok "$name"; else
		bad "$name" "status $rc, output: $(head -c 300 <<<"$out")"
	fi
}

umask 077
printf '[k]\naws_access_key_id = AKIACLI\naws_secret_access_key = s3cret\n' >"$work/creds"
common=(--credentials "$work/creds" --state-dir "$work/state" --run-dir "$work/run")

expect help 0 "--credentials FILE" "$api" --help
expect bad-option 2 "unrecognized option" "$api" --bogus
expect extra-argument 2 "unexpected argument" "$api" extra
expect bad-max-connections 2 "max-connections" "$api" --max-connections 0
expect bad-vcpu-capacity 2 "vcpu-capacity" "$api" --vcpu-capacity 0
expect bad-vcpu-capacity-text 2 "vcpu-capacity" "$api" --vcpu-capacity 4x
expect bad-memory-capacity 2 "memory-capacity" "$api" --memory-capacity -1
expect no-credentials 1 "No such file" "$api" --credentials "$work/none"
cp "$work/creds" "$work/open-creds"
chmod 0640 "$work/open-creds"
expect group-readable-credentials 1 "chmod 600" "$api" --credentials "$work/open-creds"
printf '[k]\naws_access_key_id = AKIACLI\n' >"$work/half-creds"
expect credentials-without-secret 1 "aws_secret_access_key" "$api" --credentials "$work/half-creds"
expect bad-listen 1 "cannot listen" "$api" "${common[@]}" --listen "localhost"
printf 'bad.Type 1 64 0 Low\n' >"$work/types"
expect bad-types-file 1 "types:1:" "$api" "${common[@]}" --instance-types "$work/types"
mkdir -p "$work/damaged/instances/i-0123456789abcdef0"
echo "no equals sign" >"$work/damaged/instances/i-0123456789abcdef0/record"
expect damaged-record 1 "i-0123456789abcdef0" "$api" --credentials "$work/creds" \
	--state-dir "$work/damaged" --run-dir "$work/run"

: >"$work/api.log"
"$api" "${common[@]}" --listen "unix:$work/api.sock" 2>"$work/api.log" &
pid=$!
for _ in $(seq 200); do grep -q "listening on unix:" "$work/api.log" && break; sleep 0.05; done
# The default vCPU capacity is the CPUs times 3 (docs/API.md, CAPACITY).
grep -q "; host $(getconf _NPROCESSORS_ONLN) CPUs, [0-9]* MiB; capacity $(($(getconf _NPROCESSORS_ONLN) * 3)) vCPUs, " "$work/api.log" &&
	ok default-vcpu-capacity || bad default-vcpu-capacity "$(grep host "$work/api.log")"
[ "$(stat -c %a "$work/api.sock" 2>/dev/null)" = 600 ] && ok unix-socket-0600 ||
	bad unix-socket-0600 "mode $(stat -c %a "$work/api.sock" 2>&1)"
reply=$(/usr/bin/python3 - "$work/api.sock" <<'PY'
import socket, sys
s = socket.socket(socket.AF_UNIX)
s.connect(sys.argv[1])
body = b"Action=DescribeInstances&Version=2016-11-15"
s.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/x-www-form-urlencoded\r\n"
          b"Content-Length: %d\r\nConnection: close\r\n\r\n%s" % (len(body), body))
out = b""
while True:
    b = s.recv(65536)
    if not b:
        break
    out += b
print(out.decode(errors="replace"))
PY
)
if grep -q "^HTTP/1.1 403" <<<"$reply" &&
	grep -q "<Code>MissingAuthenticationToken</Code>" <<<"$reply"; then ok unsigned-refused; else
	bad unsigned-refused "$(head -c 300 <<<"$reply")"
fi
kill "$pid"
wait "$pid"
rc=$?
pid=
[ "$rc" = 0 ] && [ ! -e "$work/api.sock" ] && ok sigterm-clean-exit ||
	bad sigterm-clean-exit "status $rc, socket $(ls "$work/api.sock" 2>&1)"
echo "$pass passed, $fail failed, 0 skipped"
