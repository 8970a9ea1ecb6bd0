# Guest-side helpers for a test host's /init (busybox sh), packed into its initramfs as
# /lib/testhost.sh by th_initramfs (tests/host/lib.sh). The host side talks to them
# through the kernel command line (testhost.NAME=VALUE words) and virtio-serial ports
# named "control", "stdout" and "stderr" (tests/host/README.md has the protocol).
# shellcheck shell=sh

# th_log MESSAGE: a line on the kernel console (the console log, never CMD's output).
th_log() {
	echo "testhost-init: $*" >/dev/console
}

# th_arg NAME: the value of testhost.NAME=VALUE on the kernel command line.
th_arg() {
	for word in $(cat /proc/cmdline); do
		case $word in
		testhost."$1"=*) echo "${word#*=}" ;;
		esac
	done
}

# th_control MESSAGE: one line to the host's run script ("up", "status N", "fail WHY").
th_control() {
	echo "$*" >/dev/virtio-ports/control
}

# th_fail WHY: tells the host and the console why the test host cannot go on, powers off.
th_fail() {
	th_log "$*"
	th_control "fail $*" 2>/dev/null
	poweroff -f
}

# th_early_mounts: proc, sysfs and devtmpfs for the initramfs itself.
th_early_mounts() {
	mount -t proc proc /proc &&
		mount -t sysfs sysfs /sys &&
		mount -t devtmpfs devtmpfs /dev
}

# th_load_modules: insmod every module in /lib/modules/load-order (dependencies first,
# as th_initramfs wrote them; busybox insmod reads no modules.dep).
th_load_modules() {
	while read -r mod; do
		insmod "/lib/modules/$mod.ko" || th_fail "insmod $mod failed"
	done </lib/modules/load-order
}

# th_ports: /dev/virtio-ports/NAME for each named virtio-serial port (what udev would do).
# The ports are announced after the device probes: wait up to 5 s for "control".
th_ports() {
	mkdir -p /dev/virtio-ports
	tries=50
	while ! grep -qx control /sys/class/virtio-ports/*/name 2>/dev/null; do
		tries=$((tries - 1))
		[ $tries -gt 0 ] || { th_log "no virtio-serial port named control"; break; }
		usleep 100000
	done
	for port in /sys/class/virtio-ports/*; do
		[ -r "$port/name" ] || continue
		ln -sf "../${port##*/}" "/dev/virtio-ports/$(cat "$port/name")"
	done
}

# th_mount_root NEWROOT: this machine's root (9p tag "root", read-only) under a throw-away
# tmpfs overlay at NEWROOT, the project tree (9p tag "project") read-write at its own path,
# and the kernel file systems a chroot needs, /dev/fd and friends included: devtmpfs has
# none of those and bash's <(...) needs /dev/fd.
th_mount_root() {
	root=$1 project=$(th_arg project)
	mkdir -p /lower /rw "$root" &&
		mount -t 9p -o trans=virtio,version=9p2000.L,ro,msize=512000,cache=loose root /lower &&
		mount -t tmpfs -o mode=0755 tmpfs /rw &&
		mkdir -p /rw/upper /rw/work &&
		mount -t overlay -o lowerdir=/lower,upperdir=/rw/upper,workdir=/rw/work overlay "$root" ||
		th_fail "cannot mount the machine's root over 9p with an overlay"
	if [ -n "$project" ]; then
		mount -t 9p -o trans=virtio,version=9p2000.L,msize=512000 project "$root$project" ||
			th_fail "cannot mount the project tree $project read-write"
	fi
	mount -t proc proc "$root/proc" &&
		mount -t sysfs sysfs "$root/sys" &&
		mount -t devtmpfs devtmpfs "$root/dev" &&
		mkdir -p "$root/dev/pts" "$root/dev/shm" &&
		mount -t devpts -o newinstance,ptmxmode=0666 devpts "$root/dev/pts" &&
		mount -t tmpfs -o mode=1777 tmpfs "$root/dev/shm" &&
		mount -t tmpfs -o mode=0755 tmpfs "$root/run" ||
		th_fail "cannot mount the kernel file systems in $root"
	ln -sf /proc/self/fd "$root/dev/fd"
	ln -sf /proc/self/fd/0 "$root/dev/stdin"
	ln -sf /proc/self/fd/1 "$root/dev/stdout"
	ln -sf /proc/self/fd/2 "$root/dev/stderr"
	[ -e "$root/dev/ptmx" ] || ln -sf pts/ptmx "$root/dev/ptmx"
	ifconfig lo 127.0.0.1 up
	hostname testhost
}
