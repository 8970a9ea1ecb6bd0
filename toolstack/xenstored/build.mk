# xenstored: the xenstore daemon (links nothing of the VMM), its introduction client
# library, and its tests (CUnit, compat scripts, crash test, fuzz short run).

XSD_DIR := toolstack/xenstored
XSD_CORE := paths perms store txn events quota ops
XSD_DAEMON := conn proto watch domain journal ring sock loop trace control
XSD_CORE_OBJS := $(patsubst %,$(OBJ)/$(XSD_DIR)/%.o,$(XSD_CORE))
XSD_DAEMON_OBJS := $(patsubst %,$(OBJ)/$(XSD_DIR)/%.o,$(XSD_DAEMON))
XSD_INTRO_OBJ := $(OBJ)/$(XSD_DIR)/introduce_client.o

$(BIN)/xenstored: $(XSD_CORE_OBJS) $(XSD_DAEMON_OBJS) $(OBJ)/$(XSD_DIR)/main.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

BINS += $(BIN)/xenstored

# Compat suites: real Debian clients (xenstore-utils, libxenstore, pyxs) against the daemon.
$(TESTBIN)/xs_libxenstore: $(OBJ)/tests/compat/xs_libxenstore.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lxenstore $(LDLIBS)

TEST_BINS += $(TESTBIN)/xs_libxenstore
CHECK_SUITES += tests/compat/xs-options.sh tests/compat/xs-utils.sh tests/compat/xs-libxenstore.sh tests/compat/xs-pyxs.sh

$(TESTBIN)/xs_ring_bridge: $(OBJ)/tests/compat/xs_ring_bridge.o $(XSD_INTRO_OBJ)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

TEST_BINS += $(TESTBIN)/xs_ring_bridge
CHECK_SUITES += tests/compat/xs-ring.sh

$(TESTBIN)/xs_crash_load: $(OBJ)/tests/compat/xs_crash_load.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lxenstore $(LDLIBS)

TEST_BINS += $(TESTBIN)/xs_crash_load
CHECK_SUITES += tests/compat/xs-crash.sh

# CUnit: the store layer, and the daemon's protocol, watches, ring and journal.
$(eval $(call unit_binary,xenstored_unit,tests/unit/xenstored_store_test.c tests/unit/xenstored_daemon_test.c,$(XSD_CORE_OBJS) $(XSD_DAEMON_OBJS),))

# libFuzzer harnesses (clang from Debian); the short run is tests/fuzz/xs-fuzz.sh.
XSD_FUZZ_CC ?= clang
ifneq ($(shell command -v $(XSD_FUZZ_CC) 2>/dev/null),)
XSD_FUZZ_SRCS := $(patsubst %,$(XSD_DIR)/%.c,$(XSD_CORE) $(XSD_DAEMON)) tests/fuzz/xs_invariants.c
$(TESTBIN)/fuzz/xs_fuzz_%: tests/fuzz/xs_fuzz_%.c $(XSD_FUZZ_SRCS) $(wildcard $(XSD_DIR)/*.h)
	@mkdir -p $(dir $@)
	$(XSD_FUZZ_CC) -std=gnu11 -g -O1 -Wall -Werror -D_GNU_SOURCE -I. \
		-fsanitize=fuzzer,address,undefined -o $@ $(filter %.c,$^)
TEST_BINS += $(TESTBIN)/fuzz/xs_fuzz_msg $(TESTBIN)/fuzz/xs_fuzz_ops $(TESTBIN)/fuzz/xs_fuzz_ring
endif
CHECK_SUITES += tests/fuzz/xs-fuzz.sh

# Benchmark client (tests/bench/xenstore/run.sh), built by make, never run by make check.
$(TESTBIN)/xs_bench: $(OBJ)/tests/bench/xenstore/xs_bench.o
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ -lxenstore $(LDLIBS)

TEST_BINS += $(TESTBIN)/xs_bench
