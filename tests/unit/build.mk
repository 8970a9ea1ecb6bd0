# CUnit binaries for the VMM side: vmm/ and xen-emul/ (the xenstored suites have their own).
UNIT_VMM_SRCS := $(wildcard tests/unit/vmm/*.c tests/unit/xen/*.c)

$(eval $(call unit_binary,unit-vmm,$(UNIT_VMM_SRCS),$(XEN_EMUL_OBJS) $(VMM_OBJS),$(XEN_EMUL_LIBS) $(VMM_LIBS)))
