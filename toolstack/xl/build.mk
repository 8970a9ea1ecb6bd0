# xl, the toolstack CLI (toolstack/xl), over toolstack/cfg and toolstack/domains.
XL_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard toolstack/xl/*.c toolstack/domains/*.c))
CFLAGS_toolstack_xl := $(CFLAGS_toolstack_cfg)

$(BIN)/xl: $(XL_OBJS) $(CFG_OBJS) $(IMAGE_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LD      $@";)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(CFG_LIBS) $(IMAGE_LIBS) -lxenstore $(LDLIBS)

BINS += $(BIN)/xl

# End-to-end: xl create/list/destroy with a kit guest under KVM (tests/compat/xl-*.sh).
CHECK_SUITES += tests/compat/xl-cli.sh kvm:tests/compat/xl-lifecycle.sh
