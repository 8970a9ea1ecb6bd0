# drivers-pv/: PV backends over xen-emul's grant and event-channel API, linked into xenkvm.
DRIVERS_PV_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard drivers-pv/*.c))
# The block backend's I/O engine (blk_io.c) is io_uring's.
DRIVERS_PV_LIBS := -luring

# Adds the backends to the link rule of xenkvm (xen-emul/build.mk holds its recipe).
$(BIN)/xenkvm: $(DRIVERS_PV_OBJS)
$(BIN)/xenkvm: LDLIBS += $(DRIVERS_PV_LIBS)
# Any binary that links $(DRIVERS_PV_OBJS) needs them too: the backends' unit binary.
$(TESTBIN)/unit-drivers-pv: LDLIBS += $(DRIVERS_PV_LIBS)
