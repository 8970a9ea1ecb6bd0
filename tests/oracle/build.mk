# The oracle (tests/oracle/README.md): every guest and Debian's Linux under real Xen 4.17
# and under xenkvm, compared. In make check as a background suite: the reference host is a
# QEMU of its own that runs beside the other suites, and xenkvm's side is what those suites
# keep of this run (run-guests-kvm-xen, run-guests-user, run-real; ORACLE_XENKVM=kept).
CHECK_SUITES += background:tests/oracle/check-oracle
check: export ORACLE_XENKVM := kept

# make check-oracle: the oracle and the suites it compares with, alone.
.PHONY: check-oracle
check-oracle: export ORACLE_XENKVM := kept
check-oracle: all
	@BIN=$(abspath $(BIN)) TESTBIN=$(abspath $(TESTBIN)) GUESTS=$(abspath $(GUESTS)) \
		SANITIZE=$(SANITIZE) XENKVM_TESTHOST=$(XENKVM_TESTHOST) tests/run-suites \
		kvm:tests/guests/run-guests-user testhost:tests/guests/run-guests-kvm-xen \
		testhost:tests/real/run-real background:tests/oracle/check-oracle
