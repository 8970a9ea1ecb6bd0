# build/bin/pygrub: Xen's pygrub command (options, output formats, exit statuses) over
# toolstack/image (manual: docs/IMAGES.md, "pygrub").
PYGRUB_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard toolstack/pygrub/*.c))

$(BIN)/pygrub: $(PYGRUB_OBJS) $(IMAGE_OBJS)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  LD      $@";)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(IMAGE_LIBS) $(LDLIBS)

BINS += $(BIN)/pygrub
# Its options and formats (no KVM), then Debian's real pygrub on the same images (skipped
# with the reason when Debian's pygrub or libxenfsimage is missing; about 10 s).
CHECK_SUITES += tests/compat/pygrub-cli.sh tests/images/pygrub-oracle.sh
