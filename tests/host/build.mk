# The test host (tests/host/README.md): kvm-probe, which tells tests/run-suites whether
# this machine's /dev/kvm can run guests, and the test host's own suite.
$(TESTBIN)/kvm-probe: $(OBJ)/tests/host/kvm_probe.o
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LD      $@";)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

TEST_BINS += $(TESTBIN)/kvm-probe
CHECK_SUITES += tests/host/selftest
