# Host-side pieces of the test host (tests/host/README.md), sourced by tests/host/run and
# meant for any other script that boots a kernel under QEMU TCG with this machine's root
# over 9p (a real-Xen reference host, say): the initramfs builder, the QEMU launcher with
# its control/stdout/stderr channels, and the errors with their exit statuses.
# shellcheck shell=bash

TH_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
TH_HOST_DIR=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
TH_BUILD=$TH_ROOT/build/host
TH_PROG=${TH_PROG:-${0##*/}}
# The QEMU binary (Debian's qemu-system-x86 unless XENKVM_TESTHOST_QEMU names another).
TH_QEMU=${XENKVM_TESTHOST_QEMU:-qemu-system-x86_64}

# Exit statuses of the tools built on this library (besides the command's own status).
TH_EXIT_USAGE=2     # bad invocation
TH_EXIT_MISSING=120 # QEMU, busybox, cpio or the kernel is missing: run make deps
TH_EXIT_NOBOOT=121  # the test host did not come up (its console tail is shown)
TH_EXIT_DIED=122    # the test host stopped before the command's status arrived
TH_EXIT_TIMEOUT=124 # the command overran its time limit (QEMU killed), as timeout(1)

# th_die STATUS MESSAGE: one line on stderr, then exit.
th_die() {
	local status=$1
	shift
	echo "$TH_PROG: $*" >&2
	exit "$status"
}

# th_verbose MESSAGE: a line on stderr when TH_VERBOSE=1.
th_verbose() {
	[ "${TH_VERBOSE:-0}" = 1 ] && echo "$TH_PROG: $*" >&2
	return 0
}

# th_now_ms: wall clock in milliseconds.
th_now_ms() {
	local t=${EPOCHREALTIME/./}
	echo $((t / 1000))
}

# th_require_tools: the Debian tools every test host needs, or exit TH_EXIT_MISSING.
th_require_tools() {
	local tool
	for tool in "$TH_QEMU" cpio xz; do
		command -v "$tool" >/dev/null ||
			th_die $TH_EXIT_MISSING "$tool is not installed (run make deps)"
	done
	[ -x /bin/busybox ] && file_is_static /bin/busybox ||
		th_die $TH_EXIT_MISSING "no static /bin/busybox (busybox-static; run make deps)"
}

# file_is_static FILE: true when FILE is an ELF with no program interpreter.
file_is_static() {
	LC_ALL=C readelf -l "$1" 2>/dev/null | grep -q 'LOAD' &&
		! LC_ALL=C readelf -l "$1" | grep -q 'program interpreter'
}

# th_kernel SERIES: sets TH_KERNEL_IMAGE, TH_KERNEL_MODULES, TH_KERNEL_RELEASE from
# tests/host/kernels, or exits TH_EXIT_MISSING.
th_kernel() {
	local k=$TH_HOST_DIR/kernels
	TH_KERNEL_RELEASE=$("$k" version "$1" 2>/dev/null) &&
		TH_KERNEL_IMAGE=$("$k" vmlinuz "$1") &&
		TH_KERNEL_MODULES=$("$k" modules "$1") && [ -f "$TH_KERNEL_IMAGE" ] ||
		th_die $TH_EXIT_MISSING "Debian's $1 kernel is not unpacked under build/host/kernels (run make deps)"
}

# th_module_order MODDIR NAME...: the modules and their dependencies, dependencies first,
# one "NAME FILE" per line (Debian's package has no modules.dep: read each module's
# .modinfo "depends=" instead).
th_module_order() {
	local moddir=$1
	shift
	local -A file=() done=()
	local f n
	while read -r f; do
		n=${f##*/}
		n=${n%%.ko*}
		file[${n//-/_}]=$f
	done < <(find "$moddir" -name '*.ko' -o -name '*.ko.xz' -o -name '*.ko.zst')
	th_module_visit() {
		local m=${1//-/_} dep
		[ -n "${done[$m]:-}" ] && return 0
		[ -n "${file[$m]:-}" ] || { echo "$TH_PROG: no module $m in $moddir" >&2; return 1; }
		done[$m]=1
		for dep in $(th_module_cat "${file[$m]}" | tr '\0' '\n' |
			sed -n 's/^depends=//p' | tr ',' ' '); do
			th_module_visit "$dep" || return
		done
		echo "$m ${file[$m]}"
	}
	for n in "$@"; do
		th_module_visit "$n" || return
	done
}

# th_module_cat FILE: a module's bytes, decompressed.
th_module_cat() {
	case $1 in
	*.xz) xz -dc "$1" ;;
	*.zst) zstd -dcq "$1" ;;
	*) cat "$1" ;;
	esac
}

# th_initramfs OUT MODDIR INIT "MODULES" [SRC:DEST]...: builds the initramfs OUT (an
# uncompressed newc cpio: nothing to inflate under TCG) holding static busybox as /bin,
# INIT as /init, tests/host/init-lib.sh as /lib/testhost.sh, the modules (decompressed,
# dependencies added, load order in /lib/modules/load-order) and extra files. It is
# rebuilt only when an input changed (a key of the inputs is kept in OUT.key).
th_initramfs() {
	local out=$1 moddir=$2 init=$3 modules=$4
	shift 4
	local key tmp spec n f
	key=$({
		echo "$moddir $modules $*"
		# The Debian package MODDIR came from (tests/host/kernels: SERIES/package).
		cat "$moddir/../../../package" 2>/dev/null
		for f in "$init" "$TH_HOST_DIR/init-lib.sh" "${BASH_SOURCE[0]}" /bin/busybox \
			"${@%%:*}"; do
			sha256sum <"$f"
		done
	} | sha256sum | cut -d' ' -f1)
	[ -f "$out" ] && [ "$(cat "$out.key" 2>/dev/null)" = "$key" ] && return 0
	th_verbose "building $out"
	mkdir -p "$(dirname "$out")"
	tmp=$(mktemp -d "$out.XXXXXX")
	mkdir -p "$tmp"/{bin,lib/modules,proc,sys,dev,newroot,lower,rw}
	cp /bin/busybox "$tmp/bin/busybox"
	cp "$init" "$tmp/init"
	cp "$TH_HOST_DIR/init-lib.sh" "$tmp/lib/testhost.sh"
	chmod 755 "$tmp/init"
	# shellcheck disable=SC2086
	th_module_order "$moddir" $modules >"$tmp/order" || { rm -rf "$tmp"; return 1; }
	while read -r n f; do
		th_module_cat "$f" >"$tmp/lib/modules/$n.ko"
		echo "$n" >>"$tmp/lib/modules/load-order"
	done <"$tmp/order"
	rm "$tmp/order"
	for spec in "$@"; do
		mkdir -p "$tmp/$(dirname "${spec#*:}")"
		cp "${spec%%:*}" "$tmp/${spec#*:}"
	done
	(cd "$tmp" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0) >"$tmp.cpio"
	rm -rf "$tmp"
	mv "$tmp.cpio" "$out"
	echo "$key" >"$out.key"
}

# th_slot_acquire: waits for one of XENKVM_TESTHOST_SLOTS (default: the CPU count)
# machine-wide slots before a QEMU starts, so that several checkouts running make check at
# once queue for the CPUs instead of slowing every TCG guest past its time limits. The
# slot is an flock on a file in XENKVM_TESTHOST_SLOT_DIR (default /tmp/xenkvm-testhost),
# held by an fd QEMU inherits: it is free again when this script and QEMU are gone. A run
# started from inside another (TH_SLOT_HELD set) uses its parent's slot, so a nested run
# never waits for itself. XENKVM_TESTHOST_SLOTS=0 turns the queue off. The wait is said
# only with --verbose: stderr carries the one-line errors callers match.
th_slot_acquire() {
	local slots=${XENKVM_TESTHOST_SLOTS:-$(nproc)}
	local dir=${XENKVM_TESTHOST_SLOT_DIR:-/tmp/xenkvm-testhost} i waited=0
	[ -z "${TH_SLOT_HELD:-}" ] && [ "$slots" -gt 0 ] || return 0
	mkdir -p "$dir" || return 0
	while :; do
		for ((i = 0; i < slots; i++)); do
			exec {TH_SLOT_FD}>>"$dir/slot$i" || continue
			if flock -n "$TH_SLOT_FD"; then
				[ "$waited" -eq 0 ] || th_verbose "got test-host slot $i after ${waited}s"
				export TH_SLOT_HELD=1
				return 0
			fi
			exec {TH_SLOT_FD}>&-
		done
		[ "$waited" -gt 0 ] ||
			th_verbose "all $slots test-host slots are busy (XENKVM_TESTHOST_SLOTS); waiting"
		sleep 1
		waited=$((waited + 1))
	done
}

# th_qemu_start DIR IMAGE INITRD APPEND MEMORY VCPUS [QEMU-ARGS...]: boots IMAGE under QEMU
# TCG (-cpu max: AMD with SVM and NPT) in the background with this machine's root as 9p
# tag "root" (read-only) and TH_PROJECT (default: the project tree) as tag "project"
# (read-write). Serial port 0 goes to DIR/console.log; the virtio-serial ports "stdout"
# and "stderr" to this script's stdout and stderr; port "control" is read by th_control_read.
# Sets TH_QEMU_PID.
th_qemu_start() {
	local dir=$1 image=$2 initrd=$3 append=$4 memory=$5 vcpus=$6
	shift 6
	local p
	th_slot_acquire
	for p in stdout stderr control; do
		mkfifo "$dir/$p.in" "$dir/$p.out"
	done
	# The readers first: QEMU's open of each .out end blocks until one is there.
	cat "$dir/stdout.out" &
	TH_CAT_PIDS=$!
	cat "$dir/stderr.out" >&2 &
	TH_CAT_PIDS="$TH_CAT_PIDS $!"
	exec {TH_CONTROL_FD}<>"$dir/control.out"
	"$TH_QEMU" -machine q35 -accel tcg -cpu max -m "$memory" -smp "$vcpus" \
		-nodefaults -no-user-config -display none -no-reboot \
		-kernel "$image" -initrd "$initrd" -append "$append" \
		-chardev file,id=console,path="$dir/console.log" -serial chardev:console \
		-device virtio-serial-pci \
		-chardev pipe,id=stdout,path="$dir/stdout" \
		-device virtserialport,chardev=stdout,name=stdout \
		-chardev pipe,id=stderr,path="$dir/stderr" \
		-device virtserialport,chardev=stderr,name=stderr \
		-chardev pipe,id=control,path="$dir/control" \
		-device virtserialport,chardev=control,name=control \
		-virtfs local,path=/,mount_tag=root,security_model=none,readonly=on,multidevs=remap \
		-virtfs local,path="${TH_PROJECT:-$TH_ROOT}",mount_tag=project,security_model=none,multidevs=remap \
		"$@" </dev/null >"$dir/qemu.log" 2>&1 &
	TH_QEMU_PID=$!
	TH_QEMU_DIR=$dir
}

# th_control_read DEADLINE_MS: the next control line into TH_LINE. Returns 0, or 1 when
# DEADLINE_MS (th_now_ms clock) passed, or 2 when QEMU exited first.
th_control_read() {
	local deadline=$1 part=
	TH_LINE=
	while :; do
		# A read that times out keeps what it got of a line (bash reads a pipe byte by
		# byte; on a loaded machine the timer can fire between "u" and "p"): carry it.
		if read -r -t 0.5 -u "$TH_CONTROL_FD" TH_LINE; then
			TH_LINE=$part$TH_LINE
			return 0
		fi
		part=$part$TH_LINE
		kill -0 "$TH_QEMU_PID" 2>/dev/null || return 2
		[ "$(th_now_ms)" -lt "$deadline" ] || return 1
	done
}

# th_qemu_stop: ends QEMU (killed if still running) and the output readers, which then
# have passed on everything the guest wrote.
th_qemu_stop() {
	local p
	[ -n "${TH_QEMU_PID:-}" ] || return 0
	kill -9 "$TH_QEMU_PID" 2>/dev/null
	wait "$TH_QEMU_PID" 2>/dev/null
	TH_QEMU_PID=
	# A reader still blocked in open (QEMU died before opening its end) sees EOF now.
	for p in stdout stderr; do
		exec {fd}<>"$TH_QEMU_DIR/$p.out"
		exec {fd}>&-
	done
	# shellcheck disable=SC2086
	wait $TH_CAT_PIDS 2>/dev/null
	exec {TH_CONTROL_FD}>&-
}

# th_console_tail [LINES]: the end of the kernel console log (and QEMU's own messages),
# indented, on stderr.
th_console_tail() {
	local n=${1:-25}
	{
		echo "--- last $n lines of $TH_QEMU_DIR/console.log"
		tr -d '\r' <"$TH_QEMU_DIR/console.log" | tail -n "$n"
		[ -s "$TH_QEMU_DIR/qemu.log" ] && echo "--- QEMU:" && tail -n 5 "$TH_QEMU_DIR/qemu.log"
	} | sed 's/^/    /' >&2
}
