# xen-emul/: the Xen guest ABI, linked into xenkvm and the unit tests. The xenstore link
# uses libxenstore and xenstored's ring-introduction client (libc only).
XEN_EMUL_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard xen-emul/*.c xen-emul/*/*.c)) \
	$(OBJ)/toolstack/xenstored/introduce_client.o
XEN_EMUL_LIBS := -lxenstore
