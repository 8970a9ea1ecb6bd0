#!/usr/bin/env bash
# xl's command line without a guest: help, usage errors and Xen's exit codes, create -n
# (the parsed config), config errors naming file, line, column and key, domid/domname
# of absent domains, list with no domain, info. Expectations from Xen's xl (xl.c,
# xl_cmdtable.c, xl_vmcontrol.c, xl_info.c) and xl.cfg(5).
set -u
: "${BIN:=$(cd "$(dirname "$0")/../.." && pwd)/build/bin}"
xl=$BIN/xl
work=$(mktemp -d /tmp/xl-cli.XXXXXX)
trap 'rm -rf "$work"' EXIT
export XENKVM_RUN_DIR=$work/run
pass=0 fail=0

ok() { echo "PASS $1"; pass=$((pass + 1)); }
bad() { echo "FAIL $1: $2"; fail=$((fail + 1)); }
# expect NAME STATUS OUTPUT-REGEX CMD...: runs CMD, checks the status and that its
# stdout+stderr match the extended regex.
expect() {
	local name=$1 want=$2 re=$3 out rc
	shift 3
	out=$("$@" 2>&1)
	rc=$?
	if [ "$rc" -ne "$want" ]; then
		bad "$name" "status $rc, expected $want; output: $(head -c 300 <<<"$out")"
	elif ! grep -Eq -- "$re" <<<"$out"; then
		bad "$name" "output does not match /$re/: $(head -c 300 <<<"$out")"
	else
		ok "$name"
	fi
}

expect no-command 1 'xl full list of subcommands' "$xl"
expect help 0 '^ create +Create a domain from config file' "$xl" help
expect help-create 0 'Usage: xl \[-vtTN\] create <ConfigFile>' "$xl" help create
expect create--help 0 '^-n, --dryrun' "$xl" create --help
expect list-h 0 'Usage: xl \[-vtT\] list' "$xl" list -h
expect help-unknown 0 'command "frob" not implemented' "$xl" help frob
expect unknown-command 1 'command not implemented' "$xl" frob
expect unknown-global 1 'unknown global option' "$xl" -Q list
expect unknown-option 2 "option \`z' not supported" "$xl" list -z
expect domid-needs-arg 2 "'xl domid' requires at least 1 argument" "$xl" domid
expect dryrun-refused 1 'does not implement -N' "$xl" -N list
expect create-no-file 6 'Config file not specified' "$xl" create
expect create-two-files 2 'Usage: xl' "$xl" create a.cfg b.cfg
for c in pause unpause shutdown reboot; do
	expect "$c--help" 0 "Usage: xl \\[-vtT\\] $c " "$xl" "$c" --help
done
expect pause-needs-arg 2 "'xl pause' requires at least 1 argument" "$xl" pause
expect shutdown-needs-domain 2 'You must specify -a or a domain id' "$xl" shutdown
expect reboot-a-and-domain 2 'but not both' "$xl" reboot -a web
expect shutdown-absent 1 'web is an invalid domain identifier' "$xl" shutdown web
expect pause-absent 1 'web is an invalid domain identifier' "$xl" pause web
expect sysrq-two-letters 1 'Must be a single character' "$xl" sysrq web ab
expect rename-needs-args 2 "'xl rename' requires at least 2 arguments" "$xl" rename web
expect vcpu-list-none 0 '^Name +ID +VCPU +CPU State +Time\(s\) Affinity \(Hard / Soft\)$' "$xl" vcpu-list
expect dmesg-none 0 '^$' "$xl" dmesg
expect pause-domain0 1 'domain 0 is the host' "$xl" pause 0
expect shutdown-all-none 0 '^$' "$xl" shutdown -a -w

cat >"$work/ok.cfg" <<'CFG'
# a PVH guest as xl.cfg(5) writes one
name = "web"
type = "pvh"
kernel = "/boot/vmlinuz"
memory = 0x100
vcpus = 2
extra = "console=hvc0"
disk = [ 'file:/srv/web.img,xvda,w',
         'format=raw, vdev=hdc, access=ro, devtype=cdrom, target=/srv/boot.iso', ]
vif = [ 'mac=00:16:3e:01:02:03,bridge=xenbr0,rate=10Mb/s' ]
on_crash = "preserve"
CFG
out=$("$xl" create -n "$work/ok.cfg" 2>"$work/err")
rc=$?
if [ $rc -eq 0 ] && grep -q "^Parsing config from $work/ok.cfg" "$work/err" &&
	python3 -c 'import json,sys; c=json.load(sys.stdin)
assert c["c_info"]["name"] == "web" and c["c_info"]["type"] == "pvh"
assert c["b_info"]["target_memkb"] == 256 * 1024 and c["b_info"]["max_vcpus"] == 2
assert c["b_info"]["cmdline"] == "console=hvc0"
assert c["disks"][0]["pdev_path"] == "/srv/web.img" and c["disks"][1]["is_cdrom"] == 1
assert c["nics"][0]["mac"] == "00:16:3e:01:02:03" and c["nics"][0]["rate_bytes_per_interval"] == 62500
assert c["on_crash"] == "preserve" and c["on_reboot"] == "restart"' <<<"$out"; then
	ok create-dryrun-json
else
	bad create-dryrun-json "status $rc: $(cat "$work/err") $out"
fi
# KEY=VALUE after the file overrides it (xl appends them to the config).
expect create-vars 0 '"target_memkb": 524288' "$xl" -N create "$work/ok.cfg" memory=512 'name="db"'
expect create-vars-name 0 '"name": "db"' "$xl" create -n "$work/ok.cfg" 'name="db"'
expect create-f 0 '"name": "web"' "$xl" create -n -f "$work/ok.cfg"
expect create-vars-only 0 '"name": "v"' "$xl" create -n 'name="v"' 'type="pvh"'

printf 'name = "e"\nmemory = 256\nvcpus = 2 3\n' >"$work/syntax.cfg"
expect config-syntax 1 "syntax.cfg:3:11: key \`vcpus': syntax error" "$xl" create -n "$work/syntax.cfg"
printf 'name = "e"\nmemory = "lots"\n' >"$work/number.cfg"
expect config-number 1 "number.cfg:2:10: key \`memory': \`lots' is not a valid number" \
	"$xl" create -n "$work/number.cfg"
printf 'name = "e"\ndisk = [ "/x,,xvda", "nope" ]\n' >"$work/disk.cfg"
expect config-disk 1 "disk.cfg:2:22: key \`disk': disk 1 \`nope': no vdev specified" \
	"$xl" create -n "$work/disk.cfg"
printf 'name = "e"\npci = [ "01:00.0" ]\n' >"$work/pci.cfg"
expect config-refused 1 "pci.cfg:2:1: key \`pci': PCI passthrough" "$xl" create -n "$work/pci.cfg"
printf 'name = "e"\nvnc = 1\n' >"$work/vnc.cfg"
expect config-warned 0 "vnc.cfg:2: warning: key \`vnc' ignored" "$xl" create -n "$work/vnc.cfg"
expect config-missing 3 'Failed to read config file: /nonexistent.cfg' "$xl" create /nonexistent.cfg
expect config-var-error 1 "command line:1:7: key \`vcpus'" "$xl" create -n "$work/ok.cfg" 'vcpus=('
# Checked before anything starts: a type xenkvm cannot run, a missing kernel.
printf 'name = "p"\ntype = "pv"\nkernel = "/boot/vmlinuz"\n' >"$work/pv.cfg"
expect create-pv 1 "domain type \`pv' is not supported by xenkvm" "$xl" create "$work/pv.cfg"
printf 'name = "p"\ntype = "pvh"\nkernel = "/nonexistent/vmlinuz"\n' >"$work/nokernel.cfg"
expect create-no-kernel 1 "kernel \`/nonexistent/vmlinuz'" "$xl" create "$work/nokernel.cfg"

# libvirt XML
cat >"$work/dom.xml" <<'XML'
<domain type='xen'>
  <name>XenGuest2</name>
  <memory unit='KiB'>592896</memory>
  <currentMemory unit='KiB'>403456</currentMemory>
  <vcpu placement='static'>1</vcpu>
  <os><type arch='x86_64' machine='xenpvh'>xenpvh</type><kernel>/tmp/vmlinuz</kernel></os>
</domain>
XML
expect create-xml 0 '"target_memkb": 403456' "$xl" create -n --xml "$work/dom.xml"

expect domid-absent 1 "Can't get domid of domain name 'nosuch', maybe this domain does not exist." "$xl" domid nosuch
expect domname-absent 1 "Can't get domain name of domain id '77', maybe this domain does not exist." "$xl" domname 77
expect domname-invalid 1 'Invalid domain id.' "$xl" domname abc
expect domid-dom0 0 '^0$' "$xl" domid Domain-0
expect domname-dom0 0 '^Domain-0$' "$xl" domname 0
expect destroy-absent 1 'nosuch is an invalid domain identifier' "$xl" destroy nosuch
expect list-header 0 '^Name +ID +Mem VCPUs	State	Time\(s\)$' "$xl" list
expect list-dom0 0 '^Domain-0 +0 +[0-9]+ +[0-9]+ +r-----' "$xl" list
expect list-absent 1 'nosuch is an invalid domain identifier' "$xl" list nosuch
expect list-long-empty 0 '^\[$' "$xl" list -l
expect info-xen 0 '^xen_major +: 4$' "$xl" info
expect info-caps 0 '^xen_caps +: hvm-3.0-x86_32 hvm-3.0-x86_32p hvm-3.0-x86_64$' "$xl" info
mem=$(awk '/^MemTotal:/ { print int($2 / 1024) }' /proc/meminfo)
expect info-mem 0 "^total_memory +: $mem\$" "$xl" info
expect info-cpus 0 "^nr_cpus +: $(nproc)\$" "$xl" info
expect run-dir-flag 0 'Domain-0' "$xl" --run-dir "$work/other" list
[ -d "$work/other/domains" ] && ok run-dir-created || bad run-dir-created "no $work/other/domains"

echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
