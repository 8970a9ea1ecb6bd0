# CUnit binaries for the VMM side: vmm/ and xen-emul/ (the xenstored suites have their own).
UNIT_VMM_SRCS := $(wildcard tests/unit/vmm/*.c tests/unit/xen/*.c)

$(eval $(call unit_binary,unit-vmm,$(UNIT_VMM_SRCS),$(XEN_EMUL_OBJS) $(VMM_OBJS),$(XEN_EMUL_LIBS) $(VMM_LIBS)))

# drivers-pv/: the backends with the VMM side under them (the xenbus state machine,
# event-channel host ends, PV devices over our xenstored; xenkvm/devices.o for the disk
# names of --disk).
UNIT_DRIVERS_PV_SRCS := $(wildcard tests/unit/drivers-pv/*.c) tests/unit/xen/fixture.c
$(eval $(call unit_binary,unit-drivers-pv,$(UNIT_DRIVERS_PV_SRCS),$(OBJ)/xenkvm/devices.o $(DRIVERS_PV_OBJS) $(XEN_EMUL_OBJS) $(VMM_OBJS),$(DRIVERS_PV_LIBS) $(XEN_EMUL_LIBS) $(VMM_LIBS)))
