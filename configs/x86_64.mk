# Build settings for ARCH=x86_64, included by the Makefile.
# musl-gcc (Debian musl-tools) links static binaries against musl; libfdt
# and libdeflate come from Debian's -dev packages, whose headers are copied
# to a folder of their own because musl-gcc hides /usr/include.
CC_TARGET := musl-gcc
FDT_INCLUDE := /usr/include
FDT_LIB := /usr/lib/x86_64-linux-gnu/libfdt.a
# libdeflate: whole-buffer gzip inflate for Image.gz / zboot kernels
DEFLATE_LIB := /usr/lib/x86_64-linux-gnu/libdeflate.a
# BearSSL: HTTPS's TLS client (lib/net/tls.c) and MEASURE's hashes
# (lib/trust/tpm.c); on every link line, only what is called is linked
TLS_INCLUDE := /usr/include/bearssl
TLS_LIB := /usr/lib/x86_64-linux-gnu/libbearssl.a
# libsodium: Ed25519 and BLAKE2b for minisign and signify signatures
# (lib/trust/sig.c)
SIG_INCLUDE := /usr/include
SIG_LIB := /usr/lib/x86_64-linux-gnu/libsodium.a
# systemd-boot-efi: systemd-stub (linuxx64.efi.stub), from which
# tests/mkuki.sh makes the real UKIs of tests/unit/uki_fixtures.h
DEB_ARCH := amd64
# u-boot-tools, device-tree-compiler and xxd: tests/mkfit.sh, which makes
# the FIT images of the unit tests (committed; run by hand)
DEB_PACKAGES := musl-tools libfdt-dev libdeflate-dev libbearssl-dev \
	libsodium-dev openssl qemu-system-x86 \
	debootstrap debian-archive-keyring python3 fdisk dosfstools mtools \
	e2fsprogs clang libclang-rt-14-dev ovmf \
	lz4 zstd xz-utils binutils gnuplot-nox minisign signify-openbsd \
	tpm2-tools swtpm systemd-boot-efi u-boot-tools device-tree-compiler xxd
