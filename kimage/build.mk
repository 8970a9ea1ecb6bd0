# kimage/: kernel images (ELF headers and Xen notes, bzImage unwrapping, payload
# decompression), shared by the VMM's loader (vmm/) and the toolstack's image boot
# (toolstack/image). Appended to VMM_OBJS by vmm/build.mk.
KIMAGE_OBJS := $(patsubst %.c,$(OBJ)/%.o,$(wildcard kimage/*.c))
# The bzImage payload's decompressors: zlib (gzip), liblzma (xz), libzstd (zstd).
KIMAGE_LIBS := -lz -llzma -lzstd
