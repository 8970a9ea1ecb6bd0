# The xenkvm VMM binary: the composition root in xenkvm/ over xen-emul/ and vmm/.
XENKVM_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard xenkvm/*.c))
# --disk and --vif take xl's syntax: the parsers of toolstack/cfg (libc only).
XENKVM_OBJS += $(OBJ)/toolstack/cfg/diskspec.o $(OBJ)/toolstack/cfg/vifspec.o

$(BIN)/xenkvm: $(XENKVM_OBJS) $(XEN_EMUL_OBJS) $(VMM_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LD      $@";)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(XEN_EMUL_LIBS) $(VMM_LIBS) $(LDLIBS)

BINS += $(BIN)/xenkvm
