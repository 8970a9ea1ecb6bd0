#!/usr/bin/env bash
# Real clients (xenstore-utils, pyxs) acting as unprivileged guests: each domain's ring
# is an in-memory page introduced with descriptors (introduce_client.c, the VMM's path)
# and served by xs_ring_bridge. Expectations: xenstore.txt permissions (owner, ACL,
# inheritance), relative paths, quotas binding guests only, SET_TARGET, RELEASE.
. "$(dirname "$0")/xs-lib.sh"
xs_start -E 30
BRIDGES=()
bridge() { # bridge DOMID: starts a guest bridge, prints its socket path
	local s=$XS_TMP/dom$1.sock
	"$TESTBIN/xs_ring_bridge" "$XENSTORED_PATH" "$s" "$1" 2>>"$XS_TMP/bridge.log" &
	BRIDGES+=($!)
	for _ in $(seq 100); do [ -S "$s" ] && break; sleep 0.05; done
	[ -S "$s" ] || { echo "FAIL bridge for domain $1 did not start"; cat "$XS_TMP/bridge.log"; }
}
stop_bridges() { for p in "${BRIDGES[@]}"; do kill "$p" 2>/dev/null; wait "$p" 2>/dev/null; done; }
trap 'stop_bridges; xs_cleanup' EXIT
# Commands run as the guest: the same tools, pointed at the guest's bridge.
g5="env XENSTORED_PATH=$XS_TMP/dom5.sock"
g6="env XENSTORED_PATH=$XS_TMP/dom6.sock"

# introduce_client reports the daemon's refusal: domain 0 cannot be introduced (EINVAL).
if out=$(timeout 5 "$TESTBIN/xs_ring_bridge" "$XENSTORED_PATH" "$XS_TMP/dom0.sock" 0 2>&1); then
	fail "introducing domain 0 succeeded"
else
	[[ $out == *"Invalid argument"* ]] && pass "introduce_client returns -EINVAL for domain 0" || fail "domain 0: [$out]"
fi

# The layout a toolstack writes: the home owned by dom0, readable by the guest.
xenstore-write /local/domain/5/name guest5 /local/domain/0/secret s
xenstore-chmod -r /local/domain/5 n0 r5
xenstore-write /local/domain/5/data ""
xenstore-chmod /local/domain/5/data b5
bridge 5
expect "ring introduced: IS_DOMAIN_INTRODUCED" "T" /usr/bin/python3 -c \
	'from pyxs import Client; import os; c=Client(unix_socket_path=os.environ["XENSTORED_PATH"]); c.connect(); print("T" if c.is_domain_introduced(5) else "F")'
expect "guest reads its readable home (absolute path)" "guest5" $g5 xenstore-read /local/domain/5/name
expect "guest reads with a relative path" "guest5" $g5 xenstore-read name
expect_fail "guest may not write a node it can only read (EACCES)" $g5 xenstore-write name x
expect_fail "guest may not read dom0's n0 node" $g5 xenstore-read /local/domain/0/secret
expect_fail "guest may not create below an unwritable parent" $g5 xenstore-write /local/domain/0/new x
expect "guest writes under its writable dir (relative)" "" $g5 xenstore-write data/k v
expect "dom0 sees the guest's write" "v" xenstore-read /local/domain/5/data/k
expect "a guest's new node inherits the parent's perms, the guest as owner" "k = \"v\"  . . . . . . . . . . . . . . . . . . . . . . . . . .  (b5)" \
	bash -c "xenstore-ls -p /local/domain/5/data"
expect_fail "guest may not give its node away (chmod to another owner)" $g5 xenstore-chmod data/k n6
expect "guest may share its node (chmod keeping the owner)" "" $g5 xenstore-chmod data/k n5 r6

# Relative watch: events come back relative.
timeout 5 env XENSTORED_PATH=$XS_TMP/dom5.sock xenstore-watch -n 2 data >"$XS_TMP/w5" 2>&1 &
wp=$!
for _ in $(seq 50); do grep -q data "$XS_TMP/w5" 2>/dev/null && break; sleep 0.05; done
xenstore-write /local/domain/5/data/k2 x
wait $wp
expect "relative watch: relative event paths" $'data\ndata/k2' cat "$XS_TMP/w5"

# Quota (-E 30): the guest hits ENOSPC, dom0 and another guest do not.
n_ok=0
for i in $(seq 40); do $g5 xenstore-write "data/q$i" x 2>/dev/null && n_ok=$((n_ok + 1)); done
if [ "$n_ok" -lt 40 ] && [ "$n_ok" -ge 20 ]; then pass "guest stops at its node quota ($n_ok of 40 accepted)"; else fail "quota: $n_ok of 40 accepted"; fi
expect "dom0 is not bound by the quota" "" bash -c 'for i in $(seq 40); do xenstore-write /dom0q/$i x || exit 1; done'
xenstore-write /local/domain/6 ""
xenstore-chmod /local/domain/6 b6
/usr/bin/python3 -c 'from pyxs import Client; import os; c=Client(unix_socket_path=os.environ["XENSTORED_PATH"]); c.connect(); c.introduce_domain(6, 1, 1)'
bridge 6
expect "INTRODUCE without fds, then with: the ring attaches" "" $g6 xenstore-write /local/domain/6/a 1
expect "another guest is unaffected by domain 5's quota" "" $g6 xenstore-write /local/domain/6/b 2
expect_fail "domain 6 cannot read a node only domain 5 may read" $g6 xenstore-read /local/domain/5/name

# SET_TARGET 6 -> 5: domain 6 gets domain 5's rights.
/usr/bin/python3 - <<'PY'
import os
from pyxs import Client
from pyxs._internal import Op
with Client(unix_socket_path=os.environ["XENSTORED_PATH"]) as c:
    c.ack(Op.SET_TARGET, b"6\x00", b"5\x00")
PY
expect "after SET_TARGET 6 5, domain 6 has domain 5's read access" "guest5" $g6 xenstore-read /local/domain/5/name
expect "and owner rights on domain 5's nodes" "" $g6 xenstore-write /local/domain/5/data/k by6

# RELEASE: the guest's nodes go, @releaseDomain fires, others stay.
timeout 5 xenstore-watch -n 2 @releaseDomain >"$XS_TMP/wr" 2>&1 &
wp=$!
for _ in $(seq 50); do grep -q release "$XS_TMP/wr" 2>/dev/null && break; sleep 0.05; done
/usr/bin/python3 - <<'PY'
import os
from pyxs import Client
from pyxs._internal import Op
with Client(unix_socket_path=os.environ["XENSTORED_PATH"]) as c:
    c.ack(Op.RELEASE, b"5\x00")
PY
wait $wp
expect "@releaseDomain fires on RELEASE" $'@releaseDomain\n@releaseDomain' cat "$XS_TMP/wr"
expect_fail "nodes owned by the released domain are deleted" xenstore-read /local/domain/5/data/k
expect "nodes owned by dom0 stay" "guest5" xenstore-read /local/domain/5/name
expect_fail "the released guest's ring no longer answers" timeout 2 env XENSTORED_PATH=$XS_TMP/dom5.sock xenstore-read name
expect "domain 6 still served" "1" $g6 xenstore-read /local/domain/6/a
summary
