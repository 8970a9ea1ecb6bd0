# toolstack/image: reading Xen-era disk images without mounting them (partition tables,
# ext2/3/4 through libext2fs, boot menus, the kernel's kind), for xl's bootloader="pygrub".
IMAGE_SRCS := $(wildcard toolstack/image/*.c)
# kimage/ decides the kernel's kind with the VMM's own ELF-note parsing.
IMAGE_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(IMAGE_SRCS)) $(KIMAGE_OBJS)
IMAGE_LIBS := -lext2fs -lcom_err $(KIMAGE_LIBS)

# The loader tests' ELF and bzImage builders make the kernels of the kind tests.
$(eval $(call unit_binary,image_unit,$(wildcard tests/unit/image/*.c) \
	tests/unit/vmm/elf_builder.c tests/unit/vmm/bzimage_builder.c,$(IMAGE_OBJS),$(IMAGE_LIBS)))

# libFuzzer harness over the table and menu parsers (libext2fs is left out: Debian's code);
# short run: tests/fuzz/image-fuzz.sh.
IMAGE_FUZZ_SRCS := $(filter-out toolstack/image/extfs.c toolstack/image/fd_io.c toolstack/image/boot.c \
	toolstack/image/reader.c toolstack/image/reader_confine.c \
	toolstack/image/kernel_kind.c,$(IMAGE_SRCS))
IMAGE_FUZZ_CC ?= clang
ifneq ($(shell command -v $(IMAGE_FUZZ_CC) 2>/dev/null),)
$(TESTBIN)/fuzz/image_fuzz: tests/fuzz/image_fuzz.c $(IMAGE_FUZZ_SRCS) $(wildcard toolstack/image/*.h)
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  FUZZ    $@";)
	$(Q)$(IMAGE_FUZZ_CC) -std=gnu11 -g -O1 -Wall -Werror -Wno-unused-parameter -D_GNU_SOURCE -I. \
		-fsanitize=fuzzer,address,undefined -o $@ $(filter %.c,$^) -lz
TEST_BINS += $(TESTBIN)/fuzz/image_fuzz
endif
CHECK_SUITES += tests/fuzz/image-fuzz.sh

# xl create with bootloader = "pygrub" (toolstack/xl/bootloader.c), xenkvm replaced by a
# recorder: no KVM needed.
CHECK_SUITES += tests/compat/xl-pygrub.sh

# Benchmark helper of tests/bench/image (here, where IMAGE_OBJS is defined).
$(BIN)/bench/image_open: $(OBJ)/tests/bench/image_open.o $(IMAGE_OBJS)
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(LDFLAGS) -o $@ $^ $(IMAGE_LIBS)

TEST_BINS += $(BIN)/bench/image_open

# Each test image booted end to end through xl's pygrub path under KVM_XEN, in the test
# host (a Linux boot per image: not in make check).
.PHONY: check-images
check-images: all
	@BIN=$(abspath $(BIN)) tests/host/run -- tests/images/boot-images
