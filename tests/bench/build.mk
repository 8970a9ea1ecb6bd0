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

# The block benchmark's load (tests/bench/blk), static: it runs in the busybox initramfs.
$(BIN)/bench/blkbench: tests/bench/blkbench.c
	@mkdir -p $(dir $@)
	$(Q)$(CC) -std=gnu11 -O2 -Wall -Wextra -Werror -D_GNU_SOURCE -static -o $@ $< -luring

TEST_BINS += $(BIN)/bench/blkbench
