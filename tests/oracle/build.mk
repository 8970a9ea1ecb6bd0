# make check-oracle: every guest under real Xen 4.17 and under xenkvm, compared
# (tests/oracle/README.md). Not part of make check: the reference host under TCG costs
# minutes (docs/PERFORMANCE.md); CI runs it as a step of its own.
.PHONY: check-oracle
check-oracle: all
	@BIN=$(abspath $(BIN)) GUESTS=$(abspath $(GUESTS)) SUITE_TIMEOUT=1800 \
		tests/run-suites tests/oracle/check-oracle
