#!/bin/sh
# Memory hotplug (issue 5, docs/kernel-abi.md §7): a 1 GiB pc-dimm, movable;
# hop kexec -l (kexec_load -c and kexec_file_load -s), hop watch, then the
# DIMM is unplugged (device_del) or plugged (device_add) through the QEMU
# monitor, then kexec -e must reach the next kernel. kexec-tools 2.0.25
# put its purgatory inside the DIMM and hung in the unplug case
# (tests/compare/hotplug-kexec-tools.sh runs both side by side).
ARCH=x86_64
. tests/vm/lib.sh
. tests/vm/hotplug_lib.sh

tests="remove-c remove-s add-c"
why=$(hp_missing)
if [ -n "$why" ]; then
	vm_missing_all "$why" $(for t in $tests; do echo "hotplug-$t"; done)
	exit 0
fi
KERNEL=$(tests/debian.sh kernel "$ARCH")
BUSYBOX=$(tests/debian.sh busybox "$ARCH")
vm_prepare
cp tests/vm/hotplug-init "$V/stage1/hotplug-init"
initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" "$V/hotplug.cpio.gz" \
	"$V/stage1"

for t in $tests; do
	hp_run "hotplug-$t" "$t" hop "$V/hotplug.cpio.gz"
	case $t in
	remove-*) after="dimm=no" ;;
	add-*) after="dimm=yes" ;;
	esac
	vm_expect "hotplug-$t" "^HOP-TEST loaded: rc=0" \
		"^HOP-TEST memory after: $after" \
		"^hop: watch: reloaded after memory (remove|online)" \
		"Kernel command line: console=ttyS0 panic=-1 HOP_MARKER=hotplug-$t\$" \
		"^HOP-STAGE2 ok" "!Kernel panic" "!kexec -e returned"
done
