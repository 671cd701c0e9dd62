# hop — see README.md. Non-recursive; every output lands in build/.
HOST_ARCH := $(shell uname -m | sed -e 's/aarch64/arm64/' -e 's/^arm.*/arm/')
ARCH ?= $(HOST_ARCH)
# every arch make check and make deps cover
ARCHS := x86_64 arm64 arm
# CONFIG: the feature set (configs/features.mk); full, everything, is
# what make builds and make check tests; the others build in a folder of
# their own
CONFIG ?= full
include configs/features.mk
ifeq ($(origin FEATURES_$(CONFIG)),undefined)
$(error CONFIG=$(CONFIG): not one of minimal default full (configs/features.mk))
endif
FEATURES := $(FEATURES_$(CONFIG))
FEATURES_OFF_SRCS := $(foreach f,$(filter-out $(FEATURES),$(ALL_FEATURES)),$(SRC_$(f)))
FEAT_CFLAGS := $(FEATURES:%=-DHOP_FEAT_%=1) \
	$(patsubst %,-DHOP_FEAT_%=0,$(filter-out $(FEATURES),$(ALL_FEATURES)))
# unit tests and fuzzing build every file: every feature
ALL_FEAT_CFLAGS := $(ALL_FEATURES:%=-DHOP_FEAT_%=1)
ifeq ($(CONFIG),full)
B := build/$(ARCH)
else
B := build/$(ARCH)-$(CONFIG)
endif
H := build/host
export HOP_CACHE ?= $(HOME)/.cache/hop

ifeq ($(wildcard configs/$(ARCH).mk),)
$(error ARCH=$(ARCH): no configs/$(ARCH).mk; known: $(patsubst configs/%.mk,%,$(wildcard configs/*.mk)))
endif
# a cross arch sets SYSROOT (its libfdt and libdeflate) and QEMU_USER
SYSROOT :=
QEMU_USER :=
include configs/$(ARCH).mk

# lib/: shared code that never exits, one folder per layer (README,
# "Layout"): base (log, files, command line, hashes), plan (pure
# placement, memory maps, trees, ELF core, inflate, UKIs), load (the load
# flow and the thin syscall layer), bootcfg (the pure configuration parsers),
# agent (keys, devices, boot selection, menu, modules, onfail), net (the
# network's pure parts: URLs, DHCP, TFTP and HTTP messages, pxelinux
# names), trust (signatures checked: minisign, signify; TPM 2.0
# commands, the TCG event log, the TPM device)
LIB_DIRS := base plan load bootcfg agent net trust
LIB_INC := $(LIB_DIRS:%=-Ilib/%)
WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
# size: -Os, sections collected by the linker, no unwind tables (C, no
# exceptions; aarch64 emits them unless told twice), and no RELRO, whose
# page alignment pads a static binary by up to a page (64 KiB alignment on
# arm64) for a protection a static non-PIE program does not use, and no
# separate code segment (binutils' x86 default), whose page alignment pads
# the file by two pages; HOP_FMT_IS_LIBC: lib/base/fmt.c is the printf
# family (hop's formatter, about 9 KB smaller than musl's)
TARGET_CFLAGS := -std=gnu11 -Os $(WARN) -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -fno-unwind-tables \
	$(LIB_INC) -Iapplet -I$(B)/include-fdt $(FEAT_CFLAGS) -DHOP_FMT_IS_LIBC
TARGET_LDFLAGS := -static -Wl,--gc-sections -Wl,-z,norelro \
	-Wl,-z,noseparate-code -s
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) $(LIB_INC) -Iapplet -I/usr/include/bearssl \
	$(ALL_FEAT_CFLAGS)
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRCS := $(filter-out $(FEATURES_OFF_SRCS),$(sort $(wildcard applet/*.c \
	lib/*/*.c arch/$(ARCH)/*.c)))
OBJS := $(SRCS:%.c=$(B)/obj/%.o)
HDRS := $(wildcard lib/*/*.h applet/*.h arch/*/*.h)
# unit tests: every pure file of every arch, host compiler, sanitizers;
# lib/load/kexec.c (syscalls) is replaced by a fake in tests/unit/load_test.c
LIB_SRCS := $(filter-out lib/load/kexec.c,$(wildcard lib/*/*.c)) applet/kexec.c \
	$(filter-out %/formats.c,$(wildcard arch/*/*.c))
UNIT_SRCS := $(wildcard tests/unit/*.c)
HOST_LIBS := /usr/lib/$(shell gcc -print-multiarch)/libfdt.a \
	/usr/lib/$(shell gcc -print-multiarch)/libdeflate.a \
	/usr/lib/$(shell gcc -print-multiarch)/libbearssl.a \
	/usr/lib/$(shell gcc -print-multiarch)/libsodium.a

.PHONY: all deps deb-packages sysroot initramfs run check unit unit-bin vmtest clean compare multiboot-kernels bench bench-bin bench-net
all: $(B)/hop

# the Debian packages, installed on first use (no network when present)
build/.deps-$(ARCH): configs/$(ARCH).mk tests/deps.sh
	tests/deps.sh $(DEB_PACKAGES)
	@mkdir -p $(@D) && touch $@

ifneq ($(SYSROOT),)
# a cross arch's libfdt-dev and libdeflate-dev, unpacked rather than
# installed (the -dev packages of two foreign arches conflict); the .debs
# stay in HOP_CACHE, so a make clean needs no network
$(SYSROOT)/.stamp: configs/$(ARCH).mk tests/debian.sh | build/.deps-$(ARCH)
	rm -rf $(@D)
	tests/debian.sh sysroot $(ARCH) $(@D) $(SYSROOT_PACKAGES)
	touch $@
SYSROOT_STAMP := $(SYSROOT)/.stamp
endif

# libfdt's, libdeflate's, BearSSL's and libsodium's headers get a folder
# of their own: musl-gcc hides /usr/include. Of libsodium's, the two
# lib/trust/sig.c includes and those they include (sodium.h would pull in
# every other)
SODIUM_HDRS := crypto_sign_ed25519.h crypto_generichash_blake2b.h \
	crypto_hash_sha512.h export.h
$(B)/include-fdt/.stamp: build/.deps-$(ARCH) $(SYSROOT_STAMP) configs/$(ARCH).mk
	mkdir -p $(@D)/sodium
	cp $(FDT_INCLUDE)/fdt.h $(FDT_INCLUDE)/libfdt.h $(FDT_INCLUDE)/libfdt_env.h \
		$(FDT_INCLUDE)/libdeflate.h $(TLS_INCLUDE)/*.h $(@D)/
	cp $(SODIUM_HDRS:%=$(SIG_INCLUDE)/sodium/%) $(@D)/sodium/
	touch $@

$(B)/obj/%.o: %.c $(HDRS) $(B)/include-fdt/.stamp configs/features.mk
	@mkdir -p $(@D)
	$(CC_TARGET) $(TARGET_CFLAGS) -c -o $@ $<

$(B)/hop: $(OBJS)
	$(CC_TARGET) $(TARGET_LDFLAGS) -o $@ $(OBJS) $(FDT_LIB) $(DEFLATE_LIB) $(TLS_LIB) \
		$(SIG_LIB)
	@size $@ | tail -n1 | awk '{print "hop: $@: " $$4 " bytes (text+data+bss)"}'

$(H)/mkcpio: initramfs/mkcpio.c lib/base/cpio.c lib/base/hop.h | build/.deps-$(ARCH)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ initramfs/mkcpio.c lib/base/cpio.c

# the TCG event log lib/trust/eventlog.c writes, for tests/eventlog.sh
$(H)/mkevlog: tests/mkevlog.c lib/trust/eventlog.c lib/trust/tpm.c \
	lib/base/errname.c lib/trust/eventlog.h lib/trust/tpm.h | build/.deps-$(ARCH)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ tests/mkevlog.c lib/trust/eventlog.c \
		lib/trust/tpm.c lib/base/errname.c $(filter %libbearssl.a,$(HOST_LIBS))

# INITRAMFS_EXTRA=DIR: files copied to the root of the image;
# MODULES="virtio_pci virtio_blk": modules of Debian's kernel, with deps
initramfs: $(B)/initramfs.cpio.gz
$(B)/initramfs.cpio.gz: $(B)/hop $(H)/mkcpio initramfs/build.sh FORCE
	@if [ -n "$(MODULES)" ]; then \
		k=$$(tests/debian.sh kernel $(ARCH)) || exit 1; \
		export MODULES="$(MODULES)" KMOD_ROOT="$${k%/boot/*}" \
			KMOD_REL="$${k##*/vmlinuz-}"; \
	fi; \
	initramfs/build.sh $(H)/mkcpio $(B)/hop \
		"$$(tests/debian.sh busybox $(ARCH))" $@ $(INITRAMFS_EXTRA)
FORCE:

# every Debian package the build and the tests of every arch need, and the
# cross sysroots; safe to run twice
deps:
	tests/deps.sh $$(for a in $(ARCHS); do \
		$(MAKE) -s --no-print-directory ARCH=$$a deb-packages; done)
	@mkdir -p build && for a in $(ARCHS); do touch build/.deps-$$a; done
	for a in $(ARCHS); do $(MAKE) --no-print-directory ARCH=$$a sysroot || exit; done
deb-packages:
	@echo $(DEB_PACKAGES)
sysroot: $(SYSROOT_STAMP)
	@:

run: $(B)/hop $(H)/mkcpio
	tests/vm/run.sh $(ARCH)

$(H)/unit: $(UNIT_SRCS) $(LIB_SRCS) $(HDRS) | build/.deps-$(ARCH)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(SAN) -o $@ $(UNIT_SRCS) $(LIB_SRCS) $(HOST_LIBS)

# cross: the same tests built with the target's musl compiler, static, no
# sanitizers, run under qemu-user
$(B)/unit: $(UNIT_SRCS) $(LIB_SRCS) $(HDRS) $(B)/include-fdt/.stamp
	$(CC_TARGET) -static -std=gnu11 -O1 -g $(WARN) $(LIB_INC) -Iapplet \
		$(ALL_FEAT_CFLAGS) \
		-I$(B)/include-fdt -o $@ $(UNIT_SRCS) $(LIB_SRCS) $(FDT_LIB) \
		$(DEFLATE_LIB) $(TLS_LIB) $(SIG_LIB)

ifeq ($(ARCH),$(HOST_ARCH))
UNIT_BIN := $(H)/unit
else
UNIT_BIN := $(B)/unit
endif
unit-bin: $(UNIT_BIN)
unit: $(UNIT_BIN)
	$(QEMU_USER) $(UNIT_BIN)

# every arch's binary and unit tests first, then tests/check.sh runs them
# all (unit tests, build checks, VM tests of x86_64, arm64 and arm)
check: $(H)/mkcpio $(H)/mkevlog multiboot-kernels
	for a in $(ARCHS); do \
		$(MAKE) --no-print-directory ARCH=$$a all unit-bin || exit; \
		for c in minimal default; do \
			$(MAKE) --no-print-directory ARCH=$$a CONFIG=$$c all || \
			exit; done; done
	tests/check.sh

# the multiboot test kernel (tests/multiboot/, tests/vm/multiboot.sh),
# built from source with the host's gcc -m32 and ld (freestanding: no
# 32-bit libc needed): mb1.elf, a multiboot v1 ELF; mb2.bin, a multiboot2
# flat binary loaded by its address tag; mb0.elf, a plain ELF32 kernel;
# mkmod writes the module it checks
MBK := build/multiboot
MBK_CFLAGS := -m32 -std=gnu11 -O2 -Wall -Wextra -Werror -ffreestanding \
	-fno-pic -fno-pie -fno-stack-protector -fno-asynchronous-unwind-tables \
	-mgeneral-regs-only -nostdlib
MBK_SRCS := tests/multiboot/entry.S tests/multiboot/kernel.c tests/multiboot/link.ld
$(MBK)/mb%.elf: $(MBK_SRCS)
	@mkdir -p $(@D)
	$(CC) $(MBK_CFLAGS) -DMB=$* -c -o $(MBK)/entry$*.o tests/multiboot/entry.S
	$(CC) $(MBK_CFLAGS) -c -o $(MBK)/kernel$*.o tests/multiboot/kernel.c
	ld -m elf_i386 --no-warn-rwx-segments -T tests/multiboot/link.ld -o $@ \
		$(MBK)/entry$*.o $(MBK)/kernel$*.o
$(MBK)/mb2.bin: $(MBK)/mb2.elf
	objcopy -O binary $< $@
$(MBK)/mkmod: tests/multiboot/mkmod.c
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ $<
multiboot-kernels: $(MBK)/mb0.elf $(MBK)/mb1.elf $(MBK)/mb2.bin $(MBK)/mkmod

# hop and Debian's kexec-tools in the memory-hotplug scenario, side by
# side (x86_64): a record in build/compare/hotplug.md, not a gate
compare:
	$(MAKE) --no-print-directory ARCH=x86_64 all $(H)/mkcpio
	tests/compare/hotplug-kexec-tools.sh

# make bench: hop, Debian's kexec-tools and a raw floor side by side under
# QEMU (load time, peak memory, reboot time, size of each build
# configuration) per arch of BENCH_ARCHS:
# build/bench/results.md and results.png. Not part of make check.
BENCH_ARCHS ?= $(ARCHS)
$(B)/bench/bench-%: tests/bench/%.c | build/.deps-$(ARCH)
	@mkdir -p $(@D)
	$(CC_TARGET) -static -std=gnu11 -Os $(WARN) -s -o $@ $<
bench-bin: $(B)/hop $(B)/bench/bench-run $(B)/bench/bench-raw
bench: $(H)/mkcpio
	tests/deps.sh gnuplot-nox python3
	for a in $(BENCH_ARCHS); do \
		$(MAKE) --no-print-directory ARCH=$$a bench-bin || exit; \
		for c in minimal default; do \
			$(MAKE) --no-print-directory ARCH=$$a CONFIG=$$c all || \
			exit; done; done
	BENCH_ARCHS="$(BENCH_ARCHS)" tests/bench/bench.sh
	BENCH_ARCHS="$(BENCH_ARCHS)" tests/bench/net.sh

# download throughput alone (tests/bench/net.sh), also part of make bench
bench-net: $(H)/mkcpio
	for a in $(BENCH_ARCHS); do $(MAKE) --no-print-directory ARCH=$$a all || exit; done
	BENCH_ARCHS="$(BENCH_ARCHS)" tests/bench/net.sh

clean:
	rm -rf build

# libFuzzer targets (clang, ASan + UBSan), one per parser family:
# tests/fuzz/<target>.c, seeds in tests/fuzz/corpus/<target>/.
# make fuzz FUZZ_SECONDS=N runs each for N seconds (make check: a smoke run)
FUZZ_TARGETS := $(basename $(notdir $(filter-out tests/fuzz/stubs.c,$(wildcard tests/fuzz/*.c))))
FUZZ_SECONDS ?= 60
FUZZ_CFLAGS := -std=gnu11 -g -O1 $(LIB_INC) -Iapplet $(ALL_FEAT_CFLAGS) \
	-fno-sanitize-recover=all
# the library is compiled once (instrumented, no libFuzzer main) and
# linked into every target: compiling it again for each took 12 of CI's
# 45 minutes
FUZZ_OBJS := $(patsubst %.c,$(H)/fuzzobj/%.o,$(LIB_SRCS) tests/fuzz/stubs.c)
$(H)/fuzzobj/%.o: %.c $(HDRS) tests/fuzz/fuzz.h tests/fuzz/budget.h | build/.deps-$(ARCH)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer-no-link,address,undefined \
		-c -o $@ $<
$(H)/fuzz/%: tests/fuzz/%.c tests/fuzz/fuzz.h tests/fuzz/budget.h $(FUZZ_OBJS) $(HDRS) | build/.deps-$(ARCH)
	@mkdir -p $(@D)
	clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined -o $@ $< \
		$(FUZZ_OBJS) $(HOST_LIBS)

fuzz: $(FUZZ_TARGETS:%=$(H)/fuzz/%)
	tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)
