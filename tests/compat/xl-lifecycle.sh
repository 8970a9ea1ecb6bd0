#!/usr/bin/env bash
# xl create / list / domid / domname / destroy with a kit guest that waits
# (build/guests/wait_forever.elf) under KVM, with a private xenstored, then checks that
# nothing is left: no xenkvm or monitor process, no run files, no xenstore nodes.
# Also: two creates at once get different domids; a second domain with a taken name
# is refused (libxl's "already exists", exit 6); on_poweroff destroy removes a domain
# that ends by itself, on_crash preserve keeps it (state ---sc-), on_reboot restart
# brings it back with the same domid; pause stops a guest's progress and unpause
# resumes it; a failing start leaves nothing. Runs where kvm: suites run.
set -u
: "${BIN:=$(cd "$(dirname "$0")/../.." && pwd)/build/bin}"
: "${GUESTS:=$(dirname "$BIN")/guests}"
: "${SRC_GUESTS:=$(cd "$(dirname "$0")/../guests" && pwd)}"
xl=$BIN/xl
guest=$GUESTS/wait_forever.elf
work=$(mktemp -d /tmp/xl-life.XXXXXX)
export XENKVM_RUN_DIR=$work/run XENSTORED_PATH=$work/xs.sock
xs_pid=
pass=0 fail=0 skip=0

cleanup() {
	for d in "$work"/run/domains/*/; do
		[ -f "$d/record" ] && kill -9 "$(sed -n 's/^pid=//p' "$d/record")" 2>/dev/null
	done
	[ -n "$xs_pid" ] && kill "$xs_pid" 2>/dev/null && wait "$xs_pid" 2>/dev/null
	rm -rf "$work"
}
trap cleanup EXIT
ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }

if [ ! -f "$guest" ]; then
	echo "SKIP xl-lifecycle: $guest is not built"
	echo "0 passed, 0 failed, 1 skipped"
	exit 0
fi
"$BIN/xenstored" -N --socket "$XENSTORED_PATH" --db-dir "$work/db" 2>"$work/xs.log" &
xs_pid=$!
for _ in $(seq 100); do [ -S "$XENSTORED_PATH" ] && break; sleep 0.05; done

cfg() { # cfg NAME [extra line]: a config for the waiting guest
	printf 'name = "%s"\ntype = "pvh"\nkernel = "%s"\nmemory = 32\n%s\n' "$1" "$guest" "${2:-}" \
		>"$work/$1.cfg"
}
cfg_kit() { # cfg_kit NAME GUEST [extra line]: a config for another kit guest
	cfg "$1" "${3:-}"
	sed -i "s|$guest|$GUESTS/$2.elf|" "$work/$1.cfg"
}
# until_true TRIES CMD...: polls CMD every 0.05 s (bounded; no timing is asserted).
until_true() {
	local n=$1
	shift
	for _ in $(seq "$n"); do "$@" && return 0; sleep 0.05; done
	return 1
}
xs_has() { xenstore-exists "$1" 2>/dev/null; }
xs_gone() { ! xenstore-exists "$1" 2>/dev/null; }
record() { sed -n "s/^$2=//p" "$XENKVM_RUN_DIR/domains/$1/record"; }
console_of() { cat "$XENKVM_RUN_DIR/domains/$1/console.log" 2>/dev/null; }
state_of() { "$xl" list "$1" | awk -v n="$1" '$1 == n { print $5 }'; }
# created NAME [OPTION...]: xl create -q [OPTION...] NAME.cfg; on success the domid is in
# $dom, on failure the case NAME-create fails with xl's messages.
created() {
	local name=$1
	shift
	if "$xl" create -q "$@" "$work/$name.cfg" 2>"$work/$name.out"; then
		dom=$("$xl" domid "$name" 2>/dev/null)
		return 0
	fi
	bad "$name-create" "$(cat "$work/$name.out")"
	return 1
}
# expect NAME STATUS REGEX CMD...: CMD's status and that its output (kept in $out)
# matches the extended regex.
expect() {
	local name=$1 want=$2 re=$3 rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	[ $rc -eq "$want" ] && grep -Eq -- "$re" <<<"$out" && ok "$name" ||
		bad "$name" "status $rc, expected $want: $(tail -5 <<<"$out")"
}

cfg alpha
if "$xl" create "$work/alpha.cfg" >"$work/create.out" 2>&1; then ok create; else
	bad create "$(cat "$work/create.out")"
fi
id=$("$xl" domid alpha 2>/dev/null)
[ "$id" = 1 ] && ok domid-first || bad domid-first "domid '$id', expected 1 (the first free)"
[ "$("$xl" domname "$id" 2>/dev/null)" = alpha ] && ok domname || bad domname "not alpha"
line=$("$xl" list | grep '^alpha ')
if [[ $line =~ ^alpha\ +1\ +32\ +1\ +[r-][b-]----\ +[0-9]+\.[0-9]$ ]]; then ok list-line; else
	bad list-line "[$line]"
fi
"$xl" list alpha | grep -q '^alpha ' && ok list-one || bad list-one "not listed by name"
"$xl" list -l | python3 -c 'import json,sys; d=json.load(sys.stdin)
assert d[0]["domid"] == 1 and d[0]["config"]["c_info"]["name"] == "alpha"' &&
	ok list-long || bad list-long "JSON"
pid=$(record 1 pid)
[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null && ok vmm-running || bad vmm-running "pid '$pid'"
if [ -x "$(command -v xenstore-exists)" ]; then
	until_true 100 xs_has /local/domain/1/name && ok xenstore-nodes ||
		bad xenstore-nodes "no /local/domain/1/name"
	[ "$(xenstore-read /local/domain/1/name 2>/dev/null)" = alpha ] && ok xenstore-name ||
		bad xenstore-name "$(xenstore-read /local/domain/1/name 2>&1)"
else
	echo "SKIP xenstore-nodes: xenstore-utils not installed"
	skip=$((skip + 1))
fi
grep -q 'wait_forever: blocking' "$XENKVM_RUN_DIR/domains/1/console.log" 2>/dev/null ||
	until_true 100 grep -q 'wait_forever: blocking' "$XENKVM_RUN_DIR/domains/1/console.log" &&
	ok console-log || bad console-log "$(cat "$XENKVM_RUN_DIR/domains/1/console.log" 2>&1)"

# The domain's control socket (docs/CONTROL.md): 0600, info names the domain.
sock=$XENKVM_RUN_DIR/domains/1/control.sock
if [ "$(stat -c %a "$sock" 2>/dev/null)" = 600 ]; then ok control-socket-mode; else
	bad control-socket-mode "$(ls -l "$sock" 2>&1)"
fi
info=$(python3 -c 'import json,socket,sys
s=socket.socket(socket.AF_UNIX); s.settimeout(5); s.connect(sys.argv[1])
s.sendall(b"{\"v\": 1, \"cmd\": \"info\"}\n{\"v\": 1, \"cmd\": \"frob\"}\n")
f=s.makefile(); a=json.loads(f.readline()); b=json.loads(f.readline())
assert a["ok"] and a["domid"] == 1 and a["name"] == "alpha" and a["vcpus"] == 1, a
assert a["memory_kib"] == 32768 and a["state"] == "running", a
assert not b["ok"] and b["field"] == "cmd", b
print("ok")' "$sock" 2>&1)
[ "$info" = ok ] && ok control-socket-info || bad control-socket-info "$info"

# xl vcpu-list: Xen's columns, one line per vCPU (alpha has one, blocked in SCHEDOP_block
# or about to be); affinity all / all (nothing pinned).
line=$("$xl" vcpu-list alpha | grep '^alpha ')
[[ $line =~ ^alpha\ +1\ +0\ +[0-9]+\ +[r-][b-]-\ +[0-9]+\.[0-9]\ +all\ /\ all$ ]] && ok vcpu-list ||
	bad vcpu-list "[$line]"
# xl dmesg: the VMM's log, each line as Xen prefixes a guest's, (d1).
"$xl" dmesg | grep -q '^(d1) .*Xen transport' && ok dmesg || bad dmesg "$("$xl" dmesg | head -3)"
# xl rename: the record and xenstore's name nodes; a taken name is refused.
if "$xl" rename alpha alpha2 && [ "$("$xl" domid alpha2 2>/dev/null)" = 1 ] &&
	[ "$(xenstore-read /local/domain/1/name 2>/dev/null)" = alpha2 ] &&
	[ "$(xenstore-read "$(xenstore-read /local/domain/1/vm)/name" 2>/dev/null)" = alpha2 ] &&
	"$xl" rename alpha2 alpha; then ok rename; else bad rename "$("$xl" list)"; fi

# xl sysrq: the key in control/sysrq, as libxl_send_sysrq() writes it.
if "$xl" sysrq alpha h && [ "$(xenstore-read /local/domain/1/control/sysrq 2>/dev/null)" = h ]; then
	ok sysrq
else
	bad sysrq "control/sysrq is '$(xenstore-read /local/domain/1/control/sysrq 2>&1)'"
fi

expect unpause-not-paused 1 'not paused' "$xl" unpause alpha

expect name-taken 6 'Domain with name "alpha" already exists' "$xl" create "$work/alpha.cfg"
[ "$(ls "$XENKVM_RUN_DIR/domains")" = 1 ] && ok name-taken-nothing-left ||
	bad name-taken-nothing-left "$(ls "$XENKVM_RUN_DIR/domains")"

# Two creates at once: distinct domids (the run directory's lock).
cfg beta
cfg gamma
"$xl" create -q "$work/beta.cfg" >"$work/b.out" 2>&1 &
b=$!
"$xl" create -q "$work/gamma.cfg" >"$work/g.out" 2>&1
g=$?
wait $b
b=$?
ib=$("$xl" domid beta 2>/dev/null)
ig=$("$xl" domid gamma 2>/dev/null)
if [ $b -eq 0 ] && [ $g -eq 0 ] && [ -n "$ib" ] && [ -n "$ig" ] && [ "$ib" != "$ig" ] &&
	[ "$ib" != 1 ] && [ "$ig" != 1 ]; then ok concurrent-domids; else
	bad concurrent-domids "status $b/$g, domids '$ib' '$ig': $(cat "$work/b.out" "$work/g.out")"
fi

for name in beta gamma alpha; do
	i=$("$xl" domid "$name" 2>/dev/null)
	p=$(record "$i" pid)
	m=$(record "$i" monitor)
	if "$xl" destroy "$name"; then ok "destroy-$name"; else bad "destroy-$name" "status $?"; fi
	kill -0 "$p" 2>/dev/null && bad "gone-vmm-$name" "xenkvm $p still runs" || ok "gone-vmm-$name"
	until_true 100 eval "! kill -0 $m 2>/dev/null" && ok "gone-monitor-$name" ||
		bad "gone-monitor-$name" "monitor $m still runs"
	[ ! -e "$XENKVM_RUN_DIR/domains/$i" ] && ok "gone-files-$name" ||
		bad "gone-files-$name" "$(ls "$XENKVM_RUN_DIR/domains/$i")"
	if [ -x "$(command -v xenstore-exists)" ]; then
		until_true 100 xs_gone "/local/domain/$i" && ok "gone-xenstore-$name" ||
			bad "gone-xenstore-$name" "/local/domain/$i remains"
	fi
done
"$xl" list | grep -qv -e '^Name' -e '^Domain-0' && bad list-empty "$("$xl" list)" || ok list-empty

# A guest that powers off by itself: on_poweroff = destroy removes it.
cfg_kit hello hello 'on_poweroff = "destroy"'
if created hello; then
	until_true 200 eval "[ -z \"\$(ls $XENKVM_RUN_DIR/domains)\" ]" && ok poweroff-destroyed ||
		bad poweroff-destroyed "$(ls "$XENKVM_RUN_DIR/domains")"
fi

# on_crash = "preserve": the domain stays, listed as shut down by a crash (Xen's letters).
cfg_kit crashy shutdown_crash 'on_crash = "preserve"'
if created crashy; then
	ic=$dom
	until_true 200 eval "[ \"\$(record $ic exit_status)\" = 8 ]"
	line=$("$xl" list crashy | grep '^crashy ')
	[[ $line =~ ^crashy\ +$ic\ +32\ +1\ +---sc-\  ]] && ok crash-preserved ||
		bad crash-preserved "[$line]"
	"$xl" destroy crashy && [ ! -e "$XENKVM_RUN_DIR/domains/$ic" ] && ok destroy-preserved ||
		bad destroy-preserved "$(ls "$XENKVM_RUN_DIR/domains")"
fi

# on_reboot = "restart": a guest that reboots comes back with the same domid, a new VMM.
cfg_kit rebooter shutdown_reboot 'on_reboot = "restart"'
if created rebooter; then
	ir=$dom
	p1=$(record "$ir" pid)
	until_true 200 eval "[ \"\$(record $ir pid)\" != \"$p1\" ]" && ok reboot-restarted ||
		bad reboot-restarted "pid stayed $p1"
	[ "$("$xl" domid rebooter 2>/dev/null)" = "$ir" ] && ok reboot-same-domid ||
		bad reboot-same-domid "domid changed"
	"$xl" destroy rebooter && [ ! -e "$XENKVM_RUN_DIR/domains/$ir" ] && ok destroy-restarting ||
		bad destroy-restarting "$(ls "$XENKVM_RUN_DIR/domains")"
fi

# xl pause / unpause (docs/CONTROL.md): a guest that prints a tick every 20 ms stops
# while paused and goes on after; pauses nest as on Xen; once running again the guest
# finds its paused time as RUNSTATE_offline in its runstate (Xen's vcpu.h) and ends.
cfg_kit pauser pause_progress 'on_poweroff = "preserve"'
last_tick() { console_of "$1" | sed -n 's/^pause_progress: tick //p' | tail -1; }
ticked() { [ "$(last_tick "$1")" -ge "$2" ] 2>/dev/null; }
if created pauser; then
	ip=$dom
	until_true 400 ticked "$ip" 3 || bad pause-guest-ticks "$(console_of "$ip")"
	"$xl" pause pauser && ok pause || bad pause "status $?"
	[[ $(state_of pauser) == --p--- ]] && ok pause-listed || bad pause-listed "$(state_of pauser)"
	sleep 0.3 # a tick already in the console ring may still come out
	t1=$(last_tick "$ip")
	sleep 0.5
	t2=$(last_tick "$ip")
	[ "$t1" = "$t2" ] && ok pause-stops-progress || bad pause-stops-progress "ticks $t1 -> $t2"
	"$xl" pause pauser && "$xl" unpause pauser && [[ $(state_of pauser) == --p--- ]] &&
		ok pause-nests || bad pause-nests "$(state_of pauser)"
	"$xl" unpause pauser && ok unpause || bad unpause "status $?"
	# Running again, the guest reports its offline time and ends (no more ticks).
	until_true 400 grep -q 'Test result: SUCCESS' "$XENKVM_RUN_DIR/domains/$ip/console.log" &&
		ok unpause-resumes-offline-time ||
		bad unpause-resumes-offline-time "$(console_of "$ip" | tail -5)"
	"$xl" destroy pauser
fi

# xl create -p: the domain is built but runs no instruction until xl unpause (the
# guest's first console line only comes after it).
cfg early
if created early -p; then
	ie=$dom
	[[ $(state_of early) == --p--- ]] && ok create-paused || bad create-paused "$(state_of early)"
	sleep 0.3
	[ ! -s "$XENKVM_RUN_DIR/domains/$ie/console.log" ] && ok create-paused-runs-nothing ||
		bad create-paused-runs-nothing "$(console_of "$ie")"
	"$xl" unpause early
	until_true 200 grep -q 'wait_forever: blocking' "$XENKVM_RUN_DIR/domains/$ie/console.log" &&
		ok create-paused-unpause || bad create-paused-unpause "no output after unpause"
	# wait_forever has no PV drivers (HVM_PARAM_CALLBACK_IRQ unset): as libxl, no request.
	expect shutdown-no-pv 1 'PV control interface not available' "$xl" shutdown early
	grep -q 'shutdown failed (rc=-10)' <<<"$out" || bad shutdown-no-pv-rc "$out"
	"$xl" destroy early
fi

# xl reboot and xl shutdown through control/shutdown, acknowledged by a guest with
# Linux's PV control driver (pv_shutdown): reboot -w sees reason code 1 (SHUTDOWN_reboot)
# and on_reboot restart brings it back; shutdown -w sees reason code 0, preserved.
cfg_kit pvc pv_shutdown $'on_reboot = "restart"\non_poweroff = "preserve"'
watching() { [ "$(console_of "$1" | grep -c 'pv_shutdown: watching')" -ge "$2" ]; }
if created pvc; then
	iv=$dom
	until_true 400 watching "$iv" 1 || bad pv-guest-ready "$(console_of "$iv")"
	[ "$(xenstore-read "/local/domain/$iv/control/feature-reboot" 2>/dev/null)" = 1 ] &&
		ok pv-feature-reboot || bad pv-feature-reboot "control/feature-reboot not 1"
	expect reboot-w 0 "Domain $iv has been shut down, reason code 1" "$xl" reboot -w pvc
	console_of "$iv" | grep -q 'pv_shutdown: acknowledged reboot' &&
		ok reboot-acknowledged || bad reboot-acknowledged "no acknowledgement in the console"
	until_true 400 watching "$iv" 2 && ok reboot-restarted-guest ||
		bad reboot-restarted-guest "the guest did not come back"
	expect shutdown-w 0 "Domain $iv has been shut down, reason code 0" "$xl" shutdown -w pvc
	[[ $(state_of pvc) == ---s-- ]] && ok shutdown-poweroff-state || bad shutdown-poweroff-state "$(state_of pvc)"
	[ -z "$(xenstore-read "/local/domain/$iv/control/shutdown" 2>/dev/null)" ] &&
		ok shutdown-request-cleared || bad shutdown-request-cleared "control/shutdown still set"
	"$xl" destroy pvc
fi

# xl create -c: the console attached before the guest runs (no output missed), the
# terminal's input as console input: pvconsole reads "hello-input" from its input ring
# and writes 200 numbered lines through its output ring, then powers off (the console
# closes, xl returns).
cfg_kit con pvconsole
expect create-c 0 'Test result: SUCCESS' \
	timeout 120 "$xl" create -q -c "$work/con.cfg" <"$SRC_GUESTS/pvconsole.in"
[ "$(grep -c '^pvconsole: line ' <<<"$out")" -eq 200 ] && ok create-c-output ||
	bad create-c-output "$(grep -c '^pvconsole: line ' <<<"$out") lines of 200"

# xl console: attaches to a running domain's console and detaches on ^].
cfg_kit ticker pause_progress
detach_after_1s() { (sleep 1; printf 'x\035') | timeout 60 "$xl" console "$1"; }
if created ticker; then
	expect console-detach 0 'pause_progress: tick' detach_after_1s ticker
	"$xl" destroy ticker
fi

# A start that fails at once (not a kernel xenkvm accepts) leaves nothing.
printf 'not an ELF' >"$work/bad.elf"
cfg broken
sed -i "s|$guest|$work/bad.elf|" "$work/broken.cfg"
expect start-failure 3 'xenkvm: error' "$xl" create "$work/broken.cfg"
[ -z "$(ls "$XENKVM_RUN_DIR/domains")" ] && ok start-failure-nothing-left ||
	bad start-failure-nothing-left "$(ls "$XENKVM_RUN_DIR/domains")"
pgrep -f -- "--kernel $guest" >/dev/null && bad no-stray-vmm "$(pgrep -af -- "--kernel $guest")" ||
	ok no-stray-vmm

echo "$pass passed, $fail failed, $skip skipped"
[ "$fail" -eq 0 ]
