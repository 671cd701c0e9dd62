#!/bin/sh
# Boot sources on a disk (issue 6): a GPT disk image built without root
# (sfdisk on a file, mkfs.ext4 -d, dd into place) on virtio; stage 1 loads
# virtio_pci and virtio_blk (Debian's kernels have them as modules) and
# finds the next kernel by label, partition label, UUID or a boot config.
ARCH=${ARCH:-x86_64}
. tests/vm/lib.sh

tests="label partlabel_uuid no_device"
why=$(vm_missing)
for tool in sfdisk mkfs.ext4; do
	if [ -z "$why" ] && ! PATH=$PATH:/usr/sbin:/sbin command -v $tool >/dev/null; then
		why="$tool not installed (make deps)"
	fi
done
if [ -n "$why" ]; then
	for t in $tests; do
		if [ "${CI:-}" = true ]; then
			echo "FAIL vm/$ARCH/disk-$t: $why (CI=true: VM tests may not skip)"
		else
			echo "SKIP vm/$ARCH/disk-$t: $why"
		fi
	done
	exit 0
fi
PATH=$PATH:/usr/sbin:/sbin
# the modules between the kernel and the disk: Debian's x86_64 cloud kernel
# has ext4 built in; armmp has ext4 as a module, and its crc32c comes from
# the crypto API (a soft dependency modules.dep does not list)
case $ARCH in
x86_64) mods="virtio_pci virtio_blk" ;;
*) mods="virtio_mmio virtio_blk crc32c_generic ext4" ;;
esac
# arm: the virtio-mmio transports QEMU's virt machine describes in its tree
case $ARCH in
x86_64) DISK_ARGS="-drive file=$V/disk/disk.img,if=virtio,format=raw,readonly=on" ;;
*) DISK_ARGS="-drive file=$V/disk/disk.img,if=none,id=d0,format=raw,readonly=on -device virtio-blk-device,drive=d0" ;;
esac
KERNEL=$(tests/debian.sh kernel "$ARCH")
BUSYBOX=$(tests/debian.sh busybox "$ARCH")
vm_prepare
D=$V/disk
rm -rf "$D" && mkdir -p "$D/fs/boot"
cp "$KERNEL" "$D/fs/vmlinuz"
cp "$V/stage1/boot/stage2.cpio.gz" "$D/fs/stage2.cpio.gz"
FSUUID=5eed0000-1111-4222-8333-444455556666
mkfs.ext4 -q -F -d "$D/fs" -L boot -U $FSUUID "$D/part.img" 64M >/dev/null
truncate -s 80M "$D/disk.img"
printf 'label: gpt\nstart=2048, size=131072, name="hopboot"\n' |
	sfdisk -q "$D/disk.img"
dd if="$D/part.img" of="$D/disk.img" bs=1M seek=1 conv=notrunc status=none

# stage 1: hop with the virtio modules, no kernel inside
rm -rf "$D/s1" && mkdir -p "$D/s1"
k=$KERNEL
MODULES="$mods" KMOD_ROOT=${k%/boot/*} KMOD_REL=${k##*/vmlinuz-} \
	initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" "$D/stage1.cpio.gz" "$D/s1"

disk_boot() {	# disk_boot NAME APPEND
	name=disk-$1
	log=$V/$name.log
	set -- $QEMU $QEMU_ARGS -nographic -no-reboot -kernel "$KERNEL" \
		-initrd "$D/stage1.cpio.gz" \
		$DISK_ARGS \
		-append "console=$CONSOLE panic=-1 hop.modules=$(echo $mods | tr ' ' ,) hop.onfail=poweroff $2"
	QEMU_CMD="$*"
	timeout "$VM_TIMEOUT" "$@" </dev/null >"$log" 2>&1 || :
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
}
m=$$

disk_boot label "hop.kernel=LABEL=boot:/vmlinuz hop.initrd=LABEL=boot:/stage2.cpio.gz hop.append=HOP_MARKER=label-$m"
vm_expect disk-label "^hop: loaded via kexec_(file_)?load" \
	"^HOP-STAGE2 cmdline: .*HOP_MARKER=label-$m" "^HOP-STAGE2 ok" \
	"!hop: error" "!Kernel panic"

disk_boot partlabel_uuid "hop.kernel=PARTLABEL=hopboot:/vmlinuz hop.initrd=UUID=$FSUUID:/stage2.cpio.gz hop.append=HOP_MARKER=pl-$m"
vm_expect disk-partlabel_uuid "^hop: loaded via kexec_(file_)?load" \
	"^HOP-STAGE2 cmdline: .*HOP_MARKER=pl-$m" "^HOP-STAGE2 ok" \
	"!hop: error" "!Kernel panic"

disk_boot no_device "hop.kernel=LABEL=nosuch:/vmlinuz hop.timeout=2"
vm_expect disk-no_device "^hop: waiting up to 2 s for LABEL=nosuch" \
	"^hop: error: hop.kernel: LABEL=nosuch: no such block device after 2 s" \
	"^hop: onfail: poweroff" "!Kernel panic"
