# Command-line tests of xenkvm: bad invocations, exit statuses, signals.
$(TESTBIN)/mkelf: $(OBJ)/tests/cli/mkelf.o $(OBJ)/tests/unit/vmm/elf_builder.o \
		$(OBJ)/tests/unit/vmm/bzimage_builder.o
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(VMM_LIBS)

TEST_BINS += $(TESTBIN)/mkelf
CHECK_SUITES += kvm:tests/cli/run-cli
