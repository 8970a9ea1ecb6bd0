# SPDX-License-Identifier: GPL-2.0
"""xenstored driven by python3-pyxs (an independent client). Run by xs-pyxs.sh with
/usr/bin/python3 and XENSTORED_PATH set. Expectations follow xenstore.txt."""
import errno
import os
import sys
import threading

from pyxs import Client, PyXSError
from pyxs._internal import Op

passed = failed = 0


def check(cond, name):
    global passed, failed
    if cond:
        passed += 1
        print("PASS", name)
    else:
        failed += 1
        print("FAIL", name)
    sys.stdout.flush()


def raises(fn, err):
    try:
        fn()
    except PyXSError as e:
        return e.args[0] == err
    return False


path = os.environ["XENSTORED_PATH"]
with Client(unix_socket_path=path) as c:
    c.write(b"/py/a", b"1")
    check(c.read(b"/py/a") == b"1", "write then read")
    c.mkdir(b"/py/dir")
    check(sorted(c.list(b"/py")) == [b"a", b"dir"], "list")
    check(c.exists(b"/py/a") and not c.exists(b"/py/nope"), "exists")
    check(raises(lambda: c.read(b"/py/nope"), errno.ENOENT), "read absent: ENOENT")
    c.delete(b"/py/dir")
    check(c.list(b"/py") == [b"a"], "delete")
    check(raises(lambda: c.delete(b"/py/none/x"), errno.ENOENT), "delete with absent parent: ENOENT")
    c.set_perms(b"/py/a", [b"b0", b"r3"])
    check(c.get_perms(b"/py/a") == [b"b0", b"r3"], "set_perms/get_perms")
    check(c.get_domain_path(3) == b"/local/domain/3", "get_domain_path")
    check(not c.is_domain_introduced(9), "is_domain_introduced: no")
    c.introduce_domain(9, 77, 3)
    check(c.is_domain_introduced(9), "introduce_domain then is_domain_introduced")
    # pyxs refuses RELEASE itself unless /proc/xen/capabilities says control_d:
    # send the same message through its generic path.
    c.ack(Op.RELEASE, b"9\x00")
    check(not c.is_domain_introduced(9), "release_domain")

    # Transactions: commit, and a conflict reported as False (EAGAIN).
    c.transaction()
    c.write(b"/py/t", b"in-tx")
    check(c.commit(), "transaction commit")
    check(c.read(b"/py/t") == b"in-tx", "committed value visible")
    with Client(unix_socket_path=path) as other:
        c.transaction()
        c.read(b"/py/t")
        other.write(b"/py/t", b"other")
        c.write(b"/py/t", b"mine")
        check(not c.commit(), "conflicting commit returns False (EAGAIN)")
        check(c.read(b"/py/t") == b"other", "conflicting transaction left nothing")

    # Watches: the initial event, then events for changes below the path.
    m = c.monitor()
    m.watch(b"/py/w", b"tok")
    events = m.wait()
    got = []

    def collect():
        for _ in range(2):
            got.append(next(events))

    th = threading.Thread(target=collect, daemon=True)
    th.start()
    with Client(unix_socket_path=path) as w2:
        w2.write(b"/py/w/x", b"1")
    th.join(5)
    check(got[:2] == [(b"/py/w", b"tok"), (b"/py/w/x", b"tok")],
          "watch: initial event then the change, with the token (%r)" % (got,))
    m.unwatch(b"/py/w", b"tok")

print("%d passed, %d failed" % (passed, failed))
sys.exit(1 if failed else 0)
