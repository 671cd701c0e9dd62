# Build settings for ARCH=x86_64, included by the Makefile.
# musl-gcc (Debian musl-tools) links static binaries against musl; libfdt
# comes from Debian's libfdt-dev, whose headers are copied to a folder of
# their own because musl-gcc hides /usr/include.
CC_TARGET := musl-gcc
FDT_INCLUDE := /usr/include
FDT_LIB := /usr/lib/x86_64-linux-gnu/libfdt.a
DEB_ARCH := amd64
DEB_PACKAGES := musl-tools libfdt-dev qemu-system-x86
