# hop — see README.md. Non-recursive; every output lands in build/.
HOST_ARCH := $(shell uname -m | sed -e 's/aarch64/arm64/' -e 's/^arm.*/arm/')
ARCH ?= $(HOST_ARCH)
B := build/$(ARCH)
H := build/host
export HOP_CACHE ?= $(HOME)/.cache/hop

ifeq ($(wildcard configs/$(ARCH).mk),)
$(error ARCH=$(ARCH): no configs/$(ARCH).mk; known: $(patsubst configs/%.mk,%,$(wildcard configs/*.mk)))
endif
include configs/$(ARCH).mk

WARN := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
TARGET_CFLAGS := -std=gnu11 -Os $(WARN) -ffunction-sections -fdata-sections \
	-fno-asynchronous-unwind-tables -Ilib -Iapplet -I$(B)/include-fdt
TARGET_LDFLAGS := -static -Wl,--gc-sections -s
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) -Ilib -Iapplet
SAN := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

SRCS := $(sort $(wildcard applet/*.c lib/*.c arch/$(ARCH)/*.c))
OBJS := $(SRCS:%.c=$(B)/obj/%.o)
HDRS := $(wildcard lib/*.h applet/*.h arch/*/*.h)
# unit tests: every pure file of every arch, host compiler, sanitizers;
# lib/kexec.c (syscalls) is replaced by a fake in tests/unit/load_test.c
LIB_SRCS := $(filter-out lib/kexec.c,$(wildcard lib/*.c)) applet/kexec.c \
	$(filter-out %/formats.c,$(wildcard arch/*/*.c))
UNIT_SRCS := $(wildcard tests/unit/*.c)
HOST_LIBS := /usr/lib/$(shell gcc -print-multiarch)/libfdt.a \
	/usr/lib/$(shell gcc -print-multiarch)/libdeflate.a

.PHONY: all deps initramfs run check unit vmtest clean
all: $(B)/hop

# the Debian packages, installed on first use (no network when present)
build/.deps-$(ARCH): configs/$(ARCH).mk tests/deps.sh
	tests/deps.sh $(DEB_PACKAGES)
	@mkdir -p $(@D) && touch $@

# libfdt's and libdeflate's headers get a folder of their own: musl-gcc
# hides /usr/include
$(B)/include-fdt/.stamp: build/.deps-$(ARCH)
	mkdir -p $(@D)
	cp $(FDT_INCLUDE)/fdt.h $(FDT_INCLUDE)/libfdt.h $(FDT_INCLUDE)/libfdt_env.h \
		$(FDT_INCLUDE)/libdeflate.h $(@D)/
	touch $@

$(B)/obj/%.o: %.c $(HDRS) $(B)/include-fdt/.stamp
	@mkdir -p $(@D)
	$(CC_TARGET) $(TARGET_CFLAGS) -c -o $@ $<

$(B)/hop: $(OBJS)
	$(CC_TARGET) $(TARGET_LDFLAGS) -o $@ $(OBJS) $(FDT_LIB) $(DEFLATE_LIB)
	@size $@ | tail -n1 | awk '{print "hop: $@: " $$4 " bytes (text+data+bss)"}'

$(H)/mkcpio: initramfs/mkcpio.c lib/cpio.c lib/hop.h | build/.deps-$(ARCH)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) -o $@ initramfs/mkcpio.c lib/cpio.c

# INITRAMFS_EXTRA=DIR: files copied to the root of the image
initramfs: $(B)/initramfs.cpio.gz
$(B)/initramfs.cpio.gz: $(B)/hop $(H)/mkcpio initramfs/build.sh FORCE
	initramfs/build.sh $(H)/mkcpio $(B)/hop \
		"$$(tests/debian.sh busybox $(ARCH))" $@ $(INITRAMFS_EXTRA)
FORCE:

# every Debian package the build and the tests need; safe to run twice
deps:
	tests/deps.sh $(DEB_PACKAGES)
	@mkdir -p build && touch build/.deps-$(ARCH)

run: $(B)/hop $(H)/mkcpio
	tests/vm/run.sh $(ARCH)

$(H)/unit: $(UNIT_SRCS) $(LIB_SRCS) $(HDRS) | build/.deps-$(ARCH)
	@mkdir -p $(@D)
	$(CC) $(HOST_CFLAGS) $(SAN) -o $@ $(UNIT_SRCS) $(LIB_SRCS) $(HOST_LIBS)

unit: $(H)/unit
	$(H)/unit

check: $(B)/hop $(H)/mkcpio $(H)/unit
	tests/check.sh $(ARCH)

clean:
	rm -rf build
