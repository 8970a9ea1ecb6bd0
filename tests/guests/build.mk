# Freestanding test guests (see tests/guests/README.md). They never take the host
# flags or sanitizers: their own compiler flags, objects under build/guests/obj and
# ELF images in build/guests/NAME.elf, whatever SANITIZE says.

GUEST_SRC := tests/guests
GUEST_OBJ := $(GUESTS)/obj

GUEST_CFLAGS := -std=gnu11 -ffreestanding -fno-pic -fno-pie -nostdlib -mno-red-zone \
	-mno-sse -mno-mmx -mno-80387 -fno-stack-protector -mcmodel=small \
	-fno-asynchronous-unwind-tables -fno-builtin -O2 -g -Wall -Wextra -Werror \
	-Wno-unused-parameter -I. -I$(GUEST_SRC)/kit \
	-D__XEN_INTERFACE_VERSION__=__XEN_LATEST_INTERFACE_VERSION__
GUEST_LDFLAGS := -nostdlib -static -no-pie -Wl,--build-id=none -Wl,--no-warn-rwx-segments \
	-Wl,-T,$(GUEST_SRC)/kit/kit.lds

GUEST_KIT_SRCS := $(sort $(wildcard $(GUEST_SRC)/kit/*.c $(GUEST_SRC)/kit/*.S))
GUEST_KIT_OBJS := $(patsubst $(GUEST_SRC)/%,$(GUEST_OBJ)/%.o,$(GUEST_KIT_SRCS))
GUEST_NAMES := $(sort $(basename $(notdir $(wildcard $(GUEST_SRC)/*.c))))
GUEST_ELFS := $(patsubst %,$(GUESTS)/%.elf,$(GUEST_NAMES))

$(GUEST_OBJ)/%.c.o: $(GUEST_SRC)/%.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  GUEST   $<";)
	$(Q)$(CC) $(GUEST_CFLAGS) -MMD -MP -c $< -o $@

$(GUEST_OBJ)/%.S.o: $(GUEST_SRC)/%.S
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  GUEST   $<";)
	$(Q)$(CC) $(GUEST_CFLAGS) -D__ASSEMBLY__ -MMD -MP -c $< -o $@

$(GUESTS)/%.elf: $(GUEST_OBJ)/%.c.o $(GUEST_KIT_OBJS) $(GUEST_SRC)/kit/kit.lds
	@$(if $(V),,echo "  GUEST   $@";)
	$(Q)$(CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

# 32-bit guests (tests/guests/32): one C file each, no kit, ELF32.
GUEST32_CFLAGS := $(filter-out -mcmodel=small -mno-red-zone,$(GUEST_CFLAGS)) -m32 -march=i686
GUEST32_NAMES := $(filter-out rt32,$(sort $(basename $(notdir $(wildcard $(GUEST_SRC)/32/*.c)))))
GUEST_ELFS += $(patsubst %,$(GUESTS)/%.elf,$(GUEST32_NAMES))
GUEST32_RT := $(GUEST_SRC)/32/rt32.c $(GUEST_SRC)/32/rt32.h $(GUEST_SRC)/kit/cpuid_ecx.h

$(GUESTS)/%.elf: $(GUEST_SRC)/32/%.c $(GUEST32_RT) $(GUEST_SRC)/32/kit32.lds
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  GUEST32 $@";)
	$(Q)$(CC) $(GUEST32_CFLAGS) -nostdlib -static -no-pie -Wl,--build-id=none \
		-Wl,--no-warn-rwx-segments -Wl,-m,elf_i386 -Wl,-T,$(GUEST_SRC)/32/kit32.lds \
		-o $@ $< $(GUEST_SRC)/32/rt32.c

all: $(GUEST_ELFS)

# The guests run under xenkvm through the same suite runner as `make check`, on a usable
# /dev/kvm: the machine's or the test host's (kvm:, docs/BUILD.md), on the user transport.
CHECK_SUITES += kvm:$(GUEST_SRC)/run-guests-user
# The same manifest on the KVM_XEN transport: always in the test host (KVM_CAP_XEN_HVM).
CHECK_SUITES += testhost:$(GUEST_SRC)/run-guests-kvm-xen

check-guests: all
	@BIN=$(abspath $(BIN)) TESTBIN=$(abspath $(TESTBIN)) GUESTS=$(abspath $(GUESTS)) \
		SANITIZE=$(SANITIZE) XENKVM_TESTHOST=$(XENKVM_TESTHOST) tests/run-suites kvm:$(GUEST_SRC)/run-guests-user \
		testhost:$(GUEST_SRC)/run-guests-kvm-xen

-include $(shell find $(GUEST_OBJ) -name '*.d' 2>/dev/null)

# Keep the objects: make would otherwise treat them as intermediate and delete them.
.SECONDARY: $(GUEST_KIT_OBJS) $(patsubst %,$(GUEST_OBJ)/%.c.o,$(GUEST_NAMES))
