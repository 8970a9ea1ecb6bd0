# Benchmark helpers (built by `make`, never run by `make check`).
$(BIN)/bench/kvm_floor: $(OBJ)/tests/bench/kvm_floor.o
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

TEST_BINS += $(BIN)/bench/kvm_floor
