# xen-emul/: the Xen guest ABI, linked into xenkvm and the unit tests.
XEN_EMUL_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard xen-emul/*.c))
