# Build settings for ARCH=arm64, included by the Makefile.
# Debian's musl-dev:arm64 ships the aarch64-linux-musl-gcc wrapper (gcc's
# cross compiler gcc-aarch64-linux-gnu plus a musl specs file). libfdt-dev
# and libdeflate-dev of a foreign arch cannot be installed next to the
# host's, so they are unpacked into a sysroot of their own (SYSROOT_PACKAGES).
CC_TARGET := aarch64-linux-musl-gcc
SYSROOT := build/sysroot/arm64
SYSROOT_PACKAGES := libfdt-dev libdeflate-dev libbearssl-dev libsodium-dev
FDT_INCLUDE := $(SYSROOT)/usr/include
FDT_LIB := $(SYSROOT)/usr/lib/aarch64-linux-gnu/libfdt.a
# libdeflate: whole-buffer gzip inflate for Image.gz / zboot kernels
DEFLATE_LIB := $(SYSROOT)/usr/lib/aarch64-linux-gnu/libdeflate.a
# BearSSL: HTTPS's TLS client (lib/net/tls.c) and MEASURE's hashes
# (lib/trust/tpm.c); on every link line, only what is called is linked
TLS_INCLUDE := $(SYSROOT)/usr/include/bearssl
TLS_LIB := $(SYSROOT)/usr/lib/aarch64-linux-gnu/libbearssl.a
# libsodium: Ed25519 and BLAKE2b for minisign and signify signatures
# (lib/trust/sig.c)
SIG_INCLUDE := $(SYSROOT)/usr/include
SIG_LIB := $(SYSROOT)/usr/lib/aarch64-linux-gnu/libsodium.a
DEB_ARCH := arm64
# unit tests run under qemu-user; the VM tests need qemu-system-aarch64,
# which bookworm ships in qemu-system-arm. The host's busybox-static lists
# the applet links for the initramfs (the target's busybox cannot run here).
# systemd-boot-efi:arm64: systemd-stub's linuxaa64.efi.stub, from which
# tests/mkuki.sh makes the arm64 UKI of tests/unit/uki_fixtures.h
QEMU_USER := qemu-aarch64
DEB_PACKAGES := gcc-aarch64-linux-gnu musl-dev:arm64 qemu-user qemu-system-arm \
	busybox-static qemu-efi-aarch64 u-boot-qemu systemd-boot-efi:arm64
