#!/bin/sh
# vm/ARCH/crash: boots with crashkernel=256M; hop as /bin/kexec loads a
# panic kernel ("kexec -p", kdump's usual arguments), "kexec -S -p" exits 0,
# then a sysrq crash starts it: its command line has the marker and stage 2
# finds /proc/vmcore (the kernel's own ELF core header: the reference for
# tests/vm/kdump.sh, where hop builds it). vm/ARCH/crash_unreserved: the
# same load without crashkernel= fails with one "hop: error:" line and
# exit 1, and -S -p stays 1.
ARCH=x86_64
. tests/vm/lib.sh
. tests/vm/kexec_lib.sh

why=$(vm_missing)
if [ -n "$why" ]; then
	vm_missing_all "$why" crash crash_unreserved
	exit 0
fi
KERNEL=$(tests/debian.sh kernel "$ARCH")
BUSYBOX=$(tests/debian.sh busybox "$ARCH")
kx_stage1 crash tests/vm/kexec/crash.init
m=$$

kx_boot crash "$V/crash.cpio.gz" \
	"crashkernel=256M rdinit=/test HOP_TEST_MODE=crash HOP_TEST_MARK=$m" \
	-m 1024
vm_expect crash \
	"^HOP-TEST crash_size [1-9][0-9]*([^0-9]|\$)" \
	"^HOP-TEST status-p-before-load rc=1\$" \
	"^hop: loaded via kexec_file_load" \
	"^HOP-TEST load-panic rc=0\$" \
	"^HOP-TEST status-p rc=0\$" \
	"^HOP-TEST status-normal rc=1\$" \
	"sysrq: Trigger a crash" \
	"Kernel command line: .*console=$CONSOLE panic=-1 irqpoll nr_cpus=1 reset_devices nousb HOP_MARKER=crash-$m\$" \
	"Kernel command line: .*elfcorehdr=" \
	"^HOP-STAGE2 cmdline: .*HOP_MARKER=crash-$m\$" \
	"^HOP-STAGE2 vmcore: yes\$" \
	"^HOP-STAGE2 vmcore-banner:( [1-9][0-9]*)+\$" \
	"^HOP-STAGE2 ok" \
	"!HOP-TEST sysrq returned" "!hop: error"
echo "  (vm/$ARCH/crash: ${KX_SECONDS}s)" >&2

kx_boot crash_unreserved "$V/crash.cpio.gz" \
	"rdinit=/test HOP_TEST_MODE=unreserved HOP_TEST_MARK=$m"
vm_expect crash_unreserved \
	"^HOP-TEST crash_size 0([^0-9]|\$)" \
	"^hop: error: " \
	"^HOP-TEST load-panic rc=1\$" \
	"^HOP-TEST status-p rc=1\$" \
	"reboot: Power down" \
	"!HOP-STAGE2" "!Kernel panic"
echo "  (vm/$ARCH/crash_unreserved: ${KX_SECONDS}s)" >&2
