# vmm/: KVM mechanics, linked into xenkvm and the unit tests.
# kimage/ (kernel images: ELF notes, bzImage, decompression) comes with it.
VMM_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard vmm/*.c)) $(KIMAGE_OBJS)
VMM_LIBS := $(KIMAGE_LIBS)
