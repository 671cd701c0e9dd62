#!/bin/sh
# make run: the demo. QEMU boots Debian's kernel with hop's initramfs; hop
# loads the same kernel as the next one (with a small stage-2 initramfs)
# and jumps; the next kernel prints its command line; the VM powers off.
ARCH=${1:-x86_64}
. tests/vm/lib.sh
why=$(vm_missing)
if [ -n "$why" ]; then
	echo "hop: error: make run: $why (make deps installs what is missing)" >&2
	exit 1
fi
KERNEL=$(tests/debian.sh kernel "$ARCH")
BUSYBOX=$(tests/debian.sh busybox "$ARCH")
vm_prepare
append="hop.kernel=/boot/vmlinuz hop.initrd=/boot/stage2.cpio.gz,/boot/extra.cpio hop.append=\"hop_demo=jumped\" hop.debug=1 hop.onfail=poweroff"
set -- $QEMU $QEMU_ARGS -nographic -no-reboot -kernel "$KERNEL" \
	-initrd "$V/stage1.cpio.gz" -append "console=$CONSOLE panic=-1 $append"
echo "hop: demo: $*"
echo "hop: demo: kernel $(basename "$KERNEL"), stage-1 initramfs $(wc -c <"$V/stage1.cpio.gz") bytes"
start=$(date +%s)
timeout "$VM_TIMEOUT" "$@" </dev/null | tr -d '\r' | tee "$V/demo.log"
echo
echo "hop: demo: what happened ($(( $(date +%s) - start )) s, full log $V/demo.log):"
grep -E '^hop: |Kernel command line|^HOP-STAGE2|reboot: Power down' "$V/demo.log" | sed 's/^/  /'
grep -q '^HOP-STAGE2 ok' "$V/demo.log"
