# toolstack/cfg: the domain-configuration library shared by xl and xenkvm-api (xl.cfg
# grammar, typed domain config, libvirt XML), its CUnit suite and its fuzz harness.

CFG_SRCS := $(wildcard toolstack/cfg/*.c)
CFG_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(CFG_SRCS))
CFG_LIBS := -lxml2
CFLAGS_toolstack_cfg := $(shell pkg-config --cflags libxml-2.0 2>/dev/null || echo -I/usr/include/libxml2)
# Expectation tables in the tests leave trailing fields zero on purpose.
CFLAGS_tests_unit_cfg := $(CFLAGS_toolstack_cfg) -Wno-missing-field-initializers

$(eval $(call unit_binary,cfg_unit,$(wildcard tests/unit/cfg/*.c),$(CFG_OBJS),$(CFG_LIBS)))

# libFuzzer harness over the parser and the typed config; short run: tests/fuzz/cfg-fuzz.sh.
CFG_FUZZ_CC ?= clang
ifneq ($(shell command -v $(CFG_FUZZ_CC) 2>/dev/null),)
$(TESTBIN)/fuzz/cfg_fuzz: tests/fuzz/cfg_fuzz.c $(CFG_SRCS) $(wildcard toolstack/cfg/*.h)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  FUZZ    $@";)
	$(Q)$(CFG_FUZZ_CC) -std=gnu11 -g -O1 -Wall -Werror -Wno-unused-parameter -D_GNU_SOURCE -I. \
		$(CFLAGS_toolstack_cfg) -fsanitize=fuzzer,address,undefined -o $@ \
		$(filter %.c,$^) $(CFG_LIBS)
TEST_BINS += $(TESTBIN)/fuzz/cfg_fuzz
endif
CHECK_SUITES += tests/fuzz/cfg-fuzz.sh
