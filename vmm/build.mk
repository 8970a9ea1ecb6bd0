# vmm/: KVM mechanics, linked into xenkvm and the unit tests.
VMM_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard vmm/*.c))
