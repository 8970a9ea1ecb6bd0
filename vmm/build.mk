# vmm/: KVM mechanics, linked into xenkvm and the unit tests.
VMM_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard vmm/*.c))
# The bzImage payload's decompressors: zlib (gzip), liblzma (xz), libzstd (zstd).
VMM_LIBS := -lz -llzma -lzstd
