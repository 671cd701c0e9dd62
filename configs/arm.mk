# Build settings for ARCH=arm (32-bit, hard float: Debian armhf), included
# by the Makefile. Debian's musl-dev:armhf ships arm-linux-musleabihf-gcc
# (gcc-arm-linux-gnueabihf plus a musl specs file). libfdt-dev and
# libdeflate-dev of a foreign arch cannot be installed next to the host's,
# so they are unpacked into a sysroot of their own (SYSROOT_PACKAGES).
CC_TARGET := arm-linux-musleabihf-gcc
SYSROOT := build/sysroot/arm
SYSROOT_PACKAGES := libfdt-dev libdeflate-dev libbearssl-dev libsodium-dev
FDT_INCLUDE := $(SYSROOT)/usr/include
FDT_LIB := $(SYSROOT)/usr/lib/arm-linux-gnueabihf/libfdt.a
# libdeflate: whole-buffer gzip inflate (zImage payloads are not gzip on
# Debian, but the planner code is shared)
DEFLATE_LIB := $(SYSROOT)/usr/lib/arm-linux-gnueabihf/libdeflate.a
# BearSSL: HTTPS's TLS client (lib/net/tls.c) and MEASURE's hashes
# (lib/trust/tpm.c); on every link line, only what is called is linked
TLS_INCLUDE := $(SYSROOT)/usr/include/bearssl
TLS_LIB := $(SYSROOT)/usr/lib/arm-linux-gnueabihf/libbearssl.a
# libsodium: Ed25519 and BLAKE2b for minisign and signify signatures
# (lib/trust/sig.c)
SIG_INCLUDE := $(SYSROOT)/usr/include
SIG_LIB := $(SYSROOT)/usr/lib/arm-linux-gnueabihf/libsodium.a
DEB_ARCH := armhf
# unit tests run under qemu-user; the VM tests need qemu-system-arm. The
# host's busybox-static lists the applet links for the initramfs (the
# target's busybox cannot run here)
QEMU_USER := qemu-arm
DEB_PACKAGES := gcc-arm-linux-gnueabihf musl-dev:armhf qemu-user \
	qemu-system-arm busybox-static u-boot-qemu
