# Hostile guests (tests/hostile/README.md): built like the test guests (tests/guests/
# build.mk: its flags and kit), into build/guests/hostile/NAME.elf.
HOSTILE_SRC := tests/hostile
HOSTILE_NAMES := $(sort $(basename $(notdir $(wildcard $(HOSTILE_SRC)/*.c))))
HOSTILE_ELFS := $(patsubst %,$(GUESTS)/hostile/%.elf,$(HOSTILE_NAMES))

$(GUEST_OBJ)/hostile/%.c.o: $(HOSTILE_SRC)/%.c
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  GUEST   $<";)
	$(Q)$(CC) $(GUEST_CFLAGS) -I$(HOSTILE_SRC) -MMD -MP -c $< -o $@

$(GUESTS)/hostile/%.elf: $(GUEST_OBJ)/hostile/%.c.o $(GUEST_KIT_OBJS) $(GUEST_SRC)/kit/kit.lds
	@mkdir -p $(dir $@)
	@$(if $(V),,echo "  GUEST   $@";)
	$(Q)$(CC) $(GUEST_CFLAGS) $(GUEST_LDFLAGS) -o $@ $(filter %.o,$^)

all: $(HOSTILE_ELFS)

# Boots guests: on the machine's /dev/kvm when usable, else in the test host; the cases
# whose hypercalls continue again on KVM_XEN, always in the test host.
CHECK_SUITES += kvm:$(HOSTILE_SRC)/run-hostile
CHECK_SUITES += testhost:$(HOSTILE_SRC)/run-hostile-kvm-xen

check-hostile: all
	@BIN=$(abspath $(BIN)) TESTBIN=$(abspath $(TESTBIN)) GUESTS=$(abspath $(GUESTS)) \
		SANITIZE=$(SANITIZE) XENKVM_TESTHOST=$(XENKVM_TESTHOST) tests/run-suites \
		kvm:$(HOSTILE_SRC)/run-hostile testhost:$(HOSTILE_SRC)/run-hostile-kvm-xen

.SECONDARY: $(patsubst %,$(GUEST_OBJ)/hostile/%.c.o,$(HOSTILE_NAMES))
