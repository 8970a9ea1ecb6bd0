# The xenkvm VMM binary: vmm/ + xen-emul/ + the composition root in xenkvm/.
VMM_SRCS     := $(wildcard vmm/*.c)
XEN_EMUL_SRCS := $(wildcard xen-emul/*.c)
XENKVM_SRCS  := $(wildcard xenkvm/*.c)

VMM_OBJS      := $(patsubst %.c,$(OBJ)/%.o,$(VMM_SRCS))
XEN_EMUL_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(XEN_EMUL_SRCS))
XENKVM_OBJS   := $(patsubst %.c,$(OBJ)/%.o,$(XENKVM_SRCS))

$(BIN)/xenkvm: $(XENKVM_OBJS) $(XEN_EMUL_OBJS) $(VMM_OBJS)
	@mkdir -p $(dir $@)
	$(CC) $(LDFLAGS) -o $@ $^ $(LDLIBS)

BINS += $(BIN)/xenkvm
