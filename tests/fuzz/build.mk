# libFuzzer harnesses over the VMM side (clang from Debian); each has a short run in
# `make check` (tests/fuzz/*-fuzz.sh). xenstored's harnesses are in toolstack/xenstored.
VMM_FUZZ_CC ?= clang
VMM_FUZZ_DEPS := tests/unit/xen/fixture.c $(wildcard vmm/*.c kimage/*.c xen-emul/*.c xen-emul/*/*.c) \
	toolstack/xenstored/introduce_client.c

# $(call vmm_fuzz_harness,NAME,SCRIPT): build/tests/fuzz/NAME from tests/fuzz/NAME.c.
define vmm_fuzz_harness
$(TESTBIN)/fuzz/$(1): tests/fuzz/$(1).c $(VMM_FUZZ_DEPS) tests/fuzz/fuzz_input.h \
		$(wildcard vmm/*.h kimage/*.h xen-emul/*.h xen-emul/*/*.h)
	@mkdir -p $$(dir $$@)
	@$$(if $$(V),,echo "  FUZZ    $$@";)
	$$(Q)$(VMM_FUZZ_CC) -std=gnu11 -g -O1 -Wall -Werror -Wno-unused-parameter \
		-Wno-gnu-variable-sized-type-not-at-end -D_GNU_SOURCE \
		-I. -D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__ \
		-fsanitize=fuzzer,address,undefined -o $$@ $$(filter %.c,$$^) $(XEN_EMUL_LIBS) $(VMM_LIBS) \
		-lpthread
TEST_BINS += $(TESTBIN)/fuzz/$(1)
endef

ifneq ($(shell command -v $(VMM_FUZZ_CC) 2>/dev/null),)
$(eval $(call vmm_fuzz_harness,gnttab_fuzz))
$(eval $(call vmm_fuzz_harness,evtchn_fifo_fuzz))
$(eval $(call vmm_fuzz_harness,hypercall_fuzz))
endif
CHECK_SUITES += tests/fuzz/gnttab-fuzz.sh tests/fuzz/evtchn-fifo-fuzz.sh tests/fuzz/hypercall-fuzz.sh

# $(call pure_fuzzer,NAME,PREREQUISITES): a harness over code that needs no VMM around it,
# built from the .c files among its prerequisites.
define pure_fuzzer
$(TESTBIN)/fuzz/$(1): $(2)
	@mkdir -p $$(dir $$@)
	@$$(if $$(V),,echo "  FUZZ    $$@";)
	$$(Q)$$(VMM_FUZZ_CC) -std=gnu11 -g -O1 -Wall -Werror -D_GNU_SOURCE -I. \
		-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__ \
		-fsanitize=fuzzer,address,undefined -o $$@ $$(filter %.c,$$^)
ifneq ($$(shell command -v $$(VMM_FUZZ_CC) 2>/dev/null),)
TEST_BINS += $(TESTBIN)/fuzz/$(1)
endif
endef

# The blkif request checker.
$(eval $(call pure_fuzzer,blkif_request_fuzz,tests/fuzz/blkif_request_fuzz.c \
	drivers-pv/blkif_request.c drivers-pv/blkif_request.h tests/fuzz/fuzz_input.h))
CHECK_SUITES += tests/fuzz/blkif-request-fuzz.sh

# The vif's tx packet parser and header walker.
$(eval $(call pure_fuzzer,netif_tx_fuzz,tests/fuzz/netif_tx_fuzz.c drivers-pv/netif_tx.c \
	drivers-pv/net_offload.c drivers-pv/netif_tx.h drivers-pv/net_offload.h \
	tests/fuzz/fuzz_input.h))
CHECK_SUITES += tests/fuzz/netif-tx-fuzz.sh
