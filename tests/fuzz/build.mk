# Grant-table libFuzzer harness (clang from Debian); the short run is tests/fuzz/gnttab-fuzz.sh.
GNTTAB_FUZZ_CC ?= clang
ifneq ($(shell command -v $(GNTTAB_FUZZ_CC) 2>/dev/null),)
GNTTAB_FUZZ_SRCS := tests/fuzz/gnttab_fuzz.c tests/unit/xen/fixture.c $(wildcard vmm/*.c xen-emul/*.c) \
	toolstack/xenstored/introduce_client.c
$(TESTBIN)/fuzz/gnttab_fuzz: $(GNTTAB_FUZZ_SRCS) $(wildcard vmm/*.h xen-emul/*.h)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  FUZZ    $@";)
	$(Q)$(GNTTAB_FUZZ_CC) -std=gnu11 -g -O1 -Wall -Werror -Wno-unused-parameter \
		-Wno-gnu-variable-sized-type-not-at-end -D_GNU_SOURCE \
		-I. -D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__ \
		-fsanitize=fuzzer,address,undefined -o $@ $(filter %.c,$^) $(XEN_EMUL_LIBS) -lpthread
TEST_BINS += $(TESTBIN)/fuzz/gnttab_fuzz
endif
CHECK_SUITES += tests/fuzz/gnttab-fuzz.sh

# FIFO event-channel libFuzzer harness; the short run is tests/fuzz/evtchn-fifo-fuzz.sh.
ifneq ($(shell command -v $(GNTTAB_FUZZ_CC) 2>/dev/null),)
EVTCHN_FUZZ_SRCS := tests/fuzz/evtchn_fifo_fuzz.c tests/unit/xen/fixture.c \
	$(wildcard vmm/*.c xen-emul/*.c) toolstack/xenstored/introduce_client.c
$(TESTBIN)/fuzz/evtchn_fifo_fuzz: $(EVTCHN_FUZZ_SRCS) $(wildcard vmm/*.h xen-emul/*.h)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  FUZZ    $@";)
	$(Q)$(GNTTAB_FUZZ_CC) -std=gnu11 -g -O1 -Wall -Werror -Wno-unused-parameter \
		-Wno-gnu-variable-sized-type-not-at-end -D_GNU_SOURCE \
		-I. -D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__ \
		-fsanitize=fuzzer,address,undefined -o $@ $(filter %.c,$^) $(XEN_EMUL_LIBS) -lpthread
TEST_BINS += $(TESTBIN)/fuzz/evtchn_fifo_fuzz
endif
CHECK_SUITES += tests/fuzz/evtchn-fifo-fuzz.sh
