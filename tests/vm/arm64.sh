#!/bin/sh
# VM tests on arm64: Debian's arm64 kernel kexecs into itself with hop.
# Debian builds it without KEXEC_FILE, so kexec_file_load is ENOSYS and
# every load takes the kexec_load path (the Image planner). Prints one
# PASS/FAIL/SKIP line per test.
ARCH=arm64
. tests/vm/lib.sh

tests="load load_dtb"
vm_start $tests
vm_prepare
m=$$

# 1: the fallback to kexec_load with the running kernel's device tree
# (/sys/firmware/fdt); a 16 MiB initrd arrives whole (stage 2 checks its
# sha256)
vm_boot load "hop.kernel=/boot/vmlinuz hop.initrd=/boot/stage2.cpio.gz,/boot/big.cpio hop.append=HOP_MARKER=load-$m hop.onfail=poweroff" big
vm_expect load "^hop: fallback: kexec_file_load: ENOSYS" \
	"^hop: loaded via kexec_load" "^hop: exec$" \
	"Kernel command line: .*HOP_MARKER=load-$m" "^HOP-STAGE2 big: OK" \
	"^HOP-STAGE2 ok" "!Kernel panic" "!hop: error"

# 2: the same with a device tree from a file: the one QEMU generates for
# this machine (vm_prepare dumps it to /boot/virt.dtb). kexec_file_load
# cannot take a tree, so hop may go to kexec_load without trying it; the
# route is logged either way
dtb_route="^hop: (fallback: kexec_file_load: ENOSYS|kexec_file_load cannot pass a device tree)"
vm_boot load_dtb "hop.kernel=/boot/vmlinuz hop.initrd=/boot/stage2.cpio.gz,/boot/big.cpio hop.dtb=/boot/virt.dtb hop.append=HOP_MARKER=dtb-$m hop.onfail=poweroff" big
vm_expect load_dtb "$dtb_route" \
	"^hop: loaded via kexec_load" "^hop: exec$" \
	"Kernel command line: .*HOP_MARKER=dtb-$m" "^HOP-STAGE2 big: OK" \
	"^HOP-STAGE2 ok" "!Kernel panic" "!hop: error"
