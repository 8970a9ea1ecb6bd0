# The real-guest suite: Debian's Linux kernels under xenkvm on KVM_XEN, so always in the
# test host (testhost:, docs/BUILD.md). `make check-real` runs it alone.
CHECK_SUITES += testhost:tests/real/run-real

.PHONY: check-real
check-real: all
	@BIN=$(abspath $(BIN)) TESTBIN=$(abspath $(TESTBIN)) GUESTS=$(abspath $(GUESTS)) \
		SANITIZE=$(SANITIZE) tests/run-suites testhost:tests/real/run-real
