#!/bin/sh
# Boot sources on a disk (issue 6): a GPT disk image built without root
# (sfdisk on a file, mkfs.ext4 -d, mkfs.vfat + mcopy, dd into place) on
# virtio; stage 1 loads virtio_pci and virtio_blk (Debian's kernels have
# them as modules) and finds the next kernel by label, partition label,
# UUID, or a boot configuration: extlinux.conf found by hop.config=auto
# (its default entry, with that entry's append), BLS entries on a vfat
# partition (loader.conf's default), and an extlinux.conf whose default
# entry's kernel is missing (the next entry boots).
ARCH=${ARCH:-x86_64}
. tests/vm/lib.sh

tests="label partlabel_uuid no_device extlinux bls fallback"
if [ "$ARCH" = x86_64 ]; then
	tests="$tests menu"
fi
why=$(vm_missing)
for tool in sfdisk mkfs.ext4 mkfs.vfat mcopy; do
	if [ -z "$why" ] && ! PATH=$PATH:/usr/sbin:/sbin command -v $tool >/dev/null; then
		why="$tool not installed (make deps)"
	fi
done
if [ -n "$why" ]; then
	vm_missing_all "$why" $(for t in $tests; do echo "disk-$t"; done)
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
# vfat is a module on both, and mounting it wants the code page and
# character set of the kernel's defaults (437, ascii): no modprobe here
# for the kernel to ask
mods="$mods vfat nls_cp437 nls_ascii"
# arm: the virtio-mmio transports QEMU's virt machine describes in its tree
case $ARCH in
x86_64) DISK_ARGS="-drive file=$V/disk/disk.img,if=virtio,format=raw,readonly=on" ;;
*) DISK_ARGS="-drive file=$V/disk/disk.img,if=none,id=d0,format=raw,readonly=on -device virtio-blk-device,drive=d0" ;;
esac
KERNEL=$(tests/debian.sh kernel "$ARCH")
BUSYBOX=$(tests/debian.sh busybox "$ARCH")
vm_prepare
D=$V/disk
m=$$
con="console=$CONSOLE panic=-1"
rm -rf "$D" && mkdir -p "$D/fs/boot" "$D/fs/extlinux" "$D/fs/broken" "$D/esp"
cp "$KERNEL" "$D/fs/vmlinuz"
cp "$V/stage1/boot/stage2.cpio.gz" "$D/fs/stage2.cpio.gz"
# (2) two entries, the second the default; its paths relative to the
# configuration's folder, as u-boot reads them. On arm its tree comes from
# fdtdir: hop picks the .dtb whose compatible is this machine's
fdt=
if [ -n "$DTB" ]; then
	mkdir -p "$D/fs/dtbs/qemu"
	cp "$V/stage1/boot/virt.dtb" "$D/fs/dtbs/qemu/virt.dtb"
	fdt="fdtdir ../dtbs"
fi
cat >"$D/fs/extlinux/extlinux.conf" <<EOF
# tests/vm/disk.sh: hop.config=auto finds this first (vda1)
menu title hop test
timeout 50
default second

label first
	menu label First, not the default
	kernel /vmlinuz
	initrd /stage2.cpio.gz
	append $con HOP_MARKER=extlinux-first

label second
	menu label Second
	linux ../vmlinuz
	initrd ../stage2.cpio.gz
	$fdt
	append $con HOP_MARKER=extlinux-second-$m
EOF
# (4) the default entry's kernel is not there: the next entry boots
cat >"$D/fs/broken/extlinux.conf" <<EOF
default gone
label gone
	kernel /vmlinuz-gone
	initrd /stage2.cpio.gz
	append $con HOP_MARKER=gone
label works
	kernel /vmlinuz
	initrd /stage2.cpio.gz
	append $con HOP_MARKER=fallback-$m
EOF
FSUUID=5eed0000-1111-4222-8333-444455556666
mkfs.ext4 -q -F -d "$D/fs" -L boot -U $FSUUID "$D/part.img" 64M >/dev/null
# (3) BLS Type #1 on a vfat partition, as on an ESP: without sort-key the
# spec sorts by file name, newest version first (hop-b, then hop-a), and
# loader.conf makes hop-a the default; hop-a's command line starts with
# $kernelopts, as RHEL 8 writes it, from /grub2/grubenv (grub2-editenv's
# block: signature, name=value, '#' up to 1024 bytes)
mkdir -p "$D/esp/loader/entries" "$D/esp/grub2"
printf 'default hop-a*\ntimeout 3\n' >"$D/esp/loader/loader.conf"
printf 'title Entry A\nversion 2\nlinux /vmlinuz\ninitrd /stage2.cpio.gz $tuned_initrd\noptions $kernelopts HOP_MARKER=bls-a-%s\n' \
	"$m" >"$D/esp/loader/entries/hop-a.conf"
env="# GRUB Environment Block
kernelopts=$con
"
{ printf '%s' "$env"; head -c $((1024 - ${#env})) /dev/zero | tr '\0' '#'; } \
	>"$D/esp/grub2/grubenv"
printf 'title Entry B\nversion 1\nlinux /vmlinuz\ninitrd /stage2.cpio.gz\noptions %s HOP_MARKER=bls-b\n' \
	"$con" >"$D/esp/loader/entries/hop-b.conf"
mkfs.vfat -C -n ESP "$D/esp.img" 65536 >/dev/null
mcopy -s -i "$D/esp.img" "$D/esp/loader" "$D/esp/grub2" "$D/fs/vmlinuz" \
	"$D/fs/stage2.cpio.gz" ::/
truncate -s 140M "$D/disk.img"
printf 'label: gpt\nstart=2048, size=131072, name="hopboot"\nstart=133120, size=131072, name="hopesp"\n' |
	sfdisk -q "$D/disk.img"
dd if="$D/part.img" of="$D/disk.img" bs=1M seek=1 conv=notrunc status=none
dd if="$D/esp.img" of="$D/disk.img" bs=1M seek=65 conv=notrunc status=none

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

# (2) no hop.kernel: hop.config=auto scans vda1 (extlinux) and vda2 (BLS)
disk_boot extlinux ""
fdt_line=
if [ -n "$DTB" ]; then
	fdt_line="^hop: config: fdtdir /extlinux/\.\./dtbs: /extlinux/\.\./dtbs/qemu/virt\.dtb is for linux,dummy-virt"
fi
vm_expect disk-extlinux \
	"^hop: config: /dev/vda1:/extlinux/extlinux.conf \(extlinux\): 2 entries, default \"second\"" \
	"^hop: config: /dev/vda2:/loader/entries \(BLS\): 2 entries" \
	"^hop: config: entry \"second\" of /dev/vda1:/extlinux/extlinux.conf" \
	${fdt_line:+"$fdt_line"} \
	"^hop: loaded via kexec_(file_)?load" \
	"^HOP-STAGE2 cmdline: console=$CONSOLE panic=-1 HOP_MARKER=extlinux-second-$m\$" \
	"^HOP-STAGE2 ok" "!hop: error" "!hop: warning" "!Kernel panic"

# (3) BLS entries on the vfat partition, named by its label
disk_boot bls "hop.config=LABEL=ESP:/"
vm_expect disk-bls \
	"^hop: config: LABEL=ESP:/ \(BLS\): 2 entries, default \"hop-a\"" \
	"^hop: config: LABEL=ESP:/: hop-a.conf:4: \\\$tuned_initrd not set \(not in grub2/grubenv\)" \
	"^hop: loaded via kexec_(file_)?load" \
	"^HOP-STAGE2 cmdline: console=$CONSOLE panic=-1 HOP_MARKER=bls-a-$m\$" \
	"^HOP-STAGE2 ok" "!hop: error" "!Kernel panic"

# (4) the default's kernel is missing: one error, then the next entry
disk_boot fallback "hop.config=LABEL=boot:/broken/extlinux.conf"
vm_expect disk-fallback \
	"^hop: config: entry \"gone\" of LABEL=boot:/broken/extlinux.conf" \
	"^hop: error: .*vmlinuz-gone" \
	"^hop: config: entry \"gone\" failed \(ENOENT\); trying the next" \
	"^hop: config: entry \"works\" of LABEL=boot:/broken/extlinux.conf" \
	"^hop: loaded via kexec_(file_)?load" \
	"^HOP-STAGE2 cmdline: console=$CONSOLE panic=-1 HOP_MARKER=fallback-$m" \
	"^HOP-STAGE2 ok" "!Kernel panic"

# hop.menu=1 (x86_64): the entries on the serial console, a countdown;
# the host types "0" once the countdown shows, and entry 0 ("first", not
# the default) boots. QEMU's pipe serial: $D/ser.in carries the keys,
# $D/ser.out the console
if [ "$ARCH" = x86_64 ]; then
	name=disk-menu
	log=$V/$name.log
	rm -f "$D/ser.in" "$D/ser.out" "$log"
	mkfifo "$D/ser.in" "$D/ser.out"
	set -- $QEMU $QEMU_ARGS -display none -monitor none -no-reboot \
		-serial "pipe:$D/ser" -kernel "$KERNEL" \
		-initrd "$D/stage1.cpio.gz" $DISK_ARGS \
		-append "console=$CONSOLE panic=-1 hop.modules=$(echo $mods | tr ' ' ,) hop.onfail=poweroff hop.menu=1"
	QEMU_CMD="$*"
	timeout "$VM_TIMEOUT" "$@" </dev/null >"$V/$name.qemu" 2>&1 &
	qpid=$!
	cat "$D/ser.out" >"$log" &
	exec 3>"$D/ser.in"
	i=0
	while [ $i -lt "$VM_TIMEOUT" ] && kill -0 $qpid 2>/dev/null; do
		if grep -q 'hop: menu: booting' "$log"; then
			printf 0 >&3
			break
		fi
		sleep 1
		i=$((i + 1))
	done
	wait $qpid || :
	exec 3>&-
	wait
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
	vm_expect disk-menu \
		"^hop: menu: 0  First, not the default  /dev/vda1:/extlinux/extlinux.conf" \
		"^hop: menu: 1  Second  /dev/vda1:/extlinux/extlinux.conf  \(default\)" \
		"^hop: menu: 2  Entry B  /dev/vda2:/loader/entries\$" \
		"^hop: menu: 3  Entry A  /dev/vda2:/loader/entries\$" \
		"hop: menu: booting 1 in 5 s" \
		"^hop: menu: entry 0" \
		"^HOP-STAGE2 cmdline: console=$CONSOLE panic=-1 HOP_MARKER=extlinux-first\$" \
		"^HOP-STAGE2 ok" "!hop: error" "!Kernel panic"
fi
