# The real-guest suite: Debian's Linux kernels under xenkvm on KVM_XEN, so always in the
# test host (testhost:, docs/BUILD.md). `make check-real` runs it alone.
CHECK_SUITES += testhost:tests/real/run-real testhost:tests/real/xl-linux

.PHONY: check-real
check-real: all
	@BIN=$(abspath $(BIN)) TESTBIN=$(abspath $(TESTBIN)) GUESTS=$(abspath $(GUESTS)) \
		SANITIZE=$(SANITIZE) tests/run-suites testhost:tests/real/run-real \
		testhost:tests/real/xl-linux

# The guest side of the vDSO case: a static program for the guests' initramfs, built
# without sanitizers (it runs inside the Linux guest, which has no sanitizer runtime).
$(TESTBIN)/vdso_probe: tests/real/vdso_probe.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  CC      $@";)
	$(Q)$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -static -o $@ $<
TEST_BINS += $(TESTBIN)/vdso_probe
