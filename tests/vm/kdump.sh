#!/bin/sh
# vm/ARCH/kdump_load: a real kdump through kexec_load. Boots with
# crashkernel=256M; hop as /bin/kexec loads the panic kernel with
# "kexec -p -c" (kexec_load: hop builds the ELF core header, places it in
# the reservation and tells the kernel: x86 elfcorehdr= on the command
# line, arm64 /chosen/linux,elfcorehdr); a sysrq crash starts it, and
# stage 2 finds /proc/vmcore with the crashed kernel's release in the
# vmcoreinfo note and its banner in the dumped RAM, where /proc/iomem of
# the crashed kernel put its image. ARCH=x86_64 by default; ARCH=arm64
# too (kexec_load is its only syscall there).
ARCH=${ARCH:-x86_64}
. tests/vm/lib.sh
. tests/vm/kexec_lib.sh

why=$(vm_missing)
if [ -n "$why" ]; then
	vm_missing_all "$why" kdump_load
	exit 0
fi
KERNEL=$(tests/debian.sh kernel "$ARCH")
BUSYBOX=$(tests/debian.sh busybox "$ARCH")
kx_stage1 kdump tests/vm/kexec/crash.init
m=$$
hdr=
if [ "$ARCH" = x86_64 ]; then
	# in front of the command line, as kexec_file writes it
	hdr="Kernel command line: elfcorehdr=0x[0-9a-f]+ HOP_KIMAGE="
fi

kx_boot kdump_load "$V/kdump.cpio.gz" "crashkernel=256M rdinit=/test \
HOP_TEST_MODE=crash HOP_TEST_SYSCALL=load HOP_TEST_MARK=$m" -m 1024
vm_expect kdump_load \
	"^HOP-TEST crash_size [1-9][0-9]*([^0-9]|\$)" \
	"^hop: loaded via kexec_load" \
	"^HOP-TEST load-panic rc=0\$" \
	"^HOP-TEST status-p rc=0\$" \
	"sysrq: Trigger a crash" \
	"${hdr:-Kernel command line: }" \
	"^HOP-STAGE2 cmdline: .*HOP_MARKER=crash-$m\$" \
	"^HOP-STAGE2 vmcore: yes\$" \
	"^HOP-STAGE2 vmcore-magic: 177ELF\$" \
	"^HOP-STAGE2 vmcore-osrelease: [0-9]" \
	"^HOP-STAGE2 vmcore-banner:( [1-9][0-9]*)+\$" \
	"^HOP-STAGE2 ok" \
	"!HOP-TEST sysrq returned" "!hop: error" "!hop: warning"
echo "  (vm/$ARCH/kdump_load: ${KX_SECONDS}s)" >&2
