# Benchmark helpers (built by `make`, never run by `make check`).
$(BIN)/bench/kvm_floor: $(OBJ)/tests/bench/kvm_floor.o
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^

TEST_BINS += $(BIN)/bench/kvm_floor

$(BIN)/bench/unpack_kernel: $(OBJ)/tests/bench/unpack_kernel.o $(KIMAGE_OBJS) \
		$(OBJ)/vmm/pvh_elf.o $(OBJ)/vmm/guest_mem.o $(OBJ)/vmm/errmsg.o
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(VMM_LIBS)

TEST_BINS += $(BIN)/bench/unpack_kernel
