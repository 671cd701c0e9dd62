#!/bin/sh
# vm/ARCH/kexec_seq: hop as /bin/kexec, driven like systemd drives
# kexec-tools: -e and -S before a load fail (exit 1), "kexec --load" (both
# argv forms), -S, -u, -S, load again, -S (exit 0), -e; the next kernel
# shows the marker and stage 2 reports. ARCH=x86_64 by default; written
# for ARCH=arm64 too (the console comes from tests/vm/lib.sh).
# vm/x86_64/e820_ext: a firmware map of 200+ entries (tests/vm/kexec/
# e820ext.init): the next kernel reads the entries past the zero page's
# 128 from hop's SETUP_E820_EXT setup_data.
ARCH=${ARCH:-x86_64}
. tests/vm/lib.sh
. tests/vm/kexec_lib.sh

why=$(vm_missing)
if [ -n "$why" ]; then
	vm_missing_all "$why" kexec_seq $([ "$ARCH" = x86_64 ] && echo e820_ext)
	exit 0
fi
KERNEL=$(tests/debian.sh kernel "$ARCH")
BUSYBOX=$(tests/debian.sh busybox "$ARCH")
kx_stage1 kexec_seq tests/vm/kexec/seq.init
m=$$
kx_boot kexec_seq "$V/kexec_seq.cpio.gz" "rdinit=/test HOP_TEST_MARK=$m"
vm_expect kexec_seq \
	"^hop: error: kexec -e: no image is loaded" \
	"^HOP-TEST exec-before-load rc=1\$" \
	"^HOP-TEST status-before-load rc=1\$" \
	"^HOP-TEST load-separate-words rc=0\$" \
	"^HOP-TEST status-after-load rc=0\$" \
	"^HOP-TEST unload rc=0\$" \
	"^HOP-TEST status-after-unload rc=1\$" \
	"^HOP-TEST load rc=0\$" \
	"^HOP-TEST status rc=0\$" \
	"^hop: exec\$" \
	"Kernel command line: console=$CONSOLE panic=-1 HOP_MARKER=seq-$m\$" \
	"^HOP-STAGE2 cmdline: console=$CONSOLE panic=-1 HOP_MARKER=seq-$m\$" \
	"^HOP-STAGE2 ok" \
	"!HOP-TEST exec returned" "!HOP_MARKER=wrong" "!Kernel panic"
echo "  (vm/$ARCH/kexec_seq: ${KX_SECONDS}s)" >&2

[ "$ARCH" = x86_64 ] || exit 0
kx_stage1 e820_ext tests/vm/kexec/e820ext.init
kx_boot e820_ext "$V/e820_ext.cpio.gz" "rdinit=/test HOP_TEST_MARK=$m"
# the last reserved page, 0x20000000 + 199 * 0x2000, comes after 200
# others in the map sorted by address: in the setup_data only
vm_expect e820_ext \
	"^HOP-TEST firmware map: [0-9]+ entries, 2[0-9][0-9] given to hop\$" \
	"^HOP-TEST load rc=0\$" "^hop: exec\$" \
	"extended physical RAM map" \
	"extended: \[mem 0x000000002018e000-0x000000002018efff\] reserved" \
	"Kernel command line: console=$CONSOLE panic=-1 HOP_MARKER=e820-$m\$" \
	"^HOP-STAGE2 ok" \
	"!HOP-TEST exec returned" "!hop: error" "!Kernel panic"
echo "  (vm/$ARCH/e820_ext: ${KX_SECONDS}s)" >&2
