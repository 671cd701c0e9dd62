#!/bin/sh
# Hostile disks next to a good one (README, "Threat model"): x86_64, seven
# virtio disks read by hop.config=auto in name order, the good one last:
#   vda  an extlinux.conf whose entries reach out: "..", an absolute path of
#        the initramfs, symlinks out, a FIFO and a device node as kernels,
#        an escape sequence in a label, more entries than hop tries
#   vdb  a FIFO as extlinux.conf, a symlink to a file of the initramfs as
#        syslinux.cfg
#   vdc  an include that climbs out of the disk; label "boot" like the good
#        disk, with a kernel of its own
#   vdd  a grub.cfg memory bomb: a variable doubled to 512 KiB, referenced
#        by a thousand entries
#   vde  a grub.cfg whose entries search for ten disks that are not there
#   vdf  twenty partitions with empty file systems, the first one corrupt
#   vdg  the good disk (label "boot")
# The initramfs holds what an escape would reach: /boot/vmlinuz and
# /boot/stage2.cpio.gz (a bootable pair) and /etc/hop-secret.
# hostile-auto: every attack gets its one line and the good disk boots;
# hostile-label: LABEL=boot is on two disks: a warning names both and the
# first in name order is used.
ARCH=x86_64
. tests/vm/lib.sh

tests="hostile-auto hostile-label"
why=$(vm_missing)
for tool in sfdisk mkfs.ext4 mkfs.ext2; do
	if [ -z "$why" ] && ! PATH=$PATH:/usr/sbin:/sbin command -v $tool >/dev/null; then
		why="$tool not installed (make deps)"
	fi
done
if [ -n "$why" ]; then
	vm_missing_all "$why" $tests
	exit 0
fi
PATH=$PATH:/usr/sbin:/sbin
KERNEL=$(tests/debian.sh kernel "$ARCH")
BUSYBOX=$(tests/debian.sh busybox "$ARCH")
vm_prepare
D=$V/hostile
m=$$
con="console=$CONSOLE panic=-1"
esc=$(printf '\033')
rm -rf "$D" && mkdir -p "$D"

# the initramfs: hop, virtio modules, and what an escape would reach
mkdir -p "$D/s1/boot" "$D/s1/etc"
cp "$KERNEL" "$D/s1/boot/vmlinuz"
cp "$V/stage1/boot/stage2.cpio.gz" "$D/s1/boot/stage2.cpio.gz"
echo "HOP-SECRET-LINE the initramfs's own" >"$D/s1/etc/hop-secret"
k=$KERNEL
MODULES="virtio_pci virtio_blk" KMOD_ROOT=${k%/boot/*} KMOD_REL=${k##*/vmlinuz-} \
	initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" "$D/stage1.cpio.gz" "$D/s1"

ext4() {	# ext4 DIR IMG SIZE [LABEL]
	mkfs.ext4 -q -F -d "$1" ${4:+-L "$4"} "$2" "$3" >/dev/null
}

# vda: entries that reach out of the disk
mkdir -p "$D/a/extlinux"
entry() {	# entry LABEL KERNEL
	printf 'label %s\n\tkernel %s\n\tinitrd /stage2.cpio.gz\n\tappend %s HOP_MARKER=escaped-%s\n' \
		"$1" "$2" "$con" "$1"
}
{
	echo "default dotdot"
	entry dotdot ../../../../boot/vmlinuz
	entry absolute /boot/vmlinuz
	entry symlink /k-link
	entry abslink /abs-link
	entry fifo /fifo
	entry device /zero
	entry "x${esc}[2Jy" /nothing
	entry filler1 /nothing
	entry filler2 /nothing
	entry filler3 /nothing
} >"$D/a/extlinux/extlinux.conf"
ln -s ../../../../../boot/vmlinuz "$D/a/k-link"
ln -s /proc/1/root/boot/vmlinuz "$D/a/abs-link"
mkfifo "$D/a/fifo"
mknod "$D/a/zero" c 1 5
ext4 "$D/a" "$D/vda.img" 8M stick

# vdb: a FIFO where the configuration belongs; a symlink to the initramfs
mkdir -p "$D/b/extlinux"
mkfifo "$D/b/extlinux/extlinux.conf"
ln -s ../../../../etc/hop-secret "$D/b/syslinux.cfg"
ext4 "$D/b" "$D/vdb.img" 8M

# vdc: an include that climbs out; a bootable kernel under label "boot"
mkdir -p "$D/c/extlinux"
printf 'include ../../../../etc/hop-secret\nlabel inc\n\tkernel /vmlinuz\n' \
	>"$D/c/extlinux/extlinux.conf"
cp "$KERNEL" "$D/c/vmlinuz"
cp "$V/stage1/boot/stage2.cpio.gz" "$D/c/stage2.cpio.gz"
ext4 "$D/c" "$D/vdc.img" 32M boot

# vdd: 512 KiB built by doubling (under every per-word and per-variable
# limit), referenced by 1000 entries: 500 MiB of command lines from 40 KB
mkdir -p "$D/d/boot/grub"
{
	echo "set a=0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
	i=0
	while [ $i -lt 13 ]; do echo 'set a="$a$a"'; i=$((i + 1)); done
	i=0
	while [ $i -lt 1000 ]; do
		echo "menuentry 'bomb$i' { linux /vmlinuz \$a }"
		i=$((i + 1))
	done
} >"$D/d/boot/grub/grub.cfg"
ext4 "$D/d" "$D/vdd.img" 8M

# vde: ten entries, each on a disk that is not there
mkdir -p "$D/e/boot/grub"
i=0
while [ $i -lt 10 ]; do
	printf "menuentry 'stall%d' {\n\tsearch --no-floppy --label --set=root missing%d\n\tlinux /vmlinuz\n}\n" $i $i
	i=$((i + 1))
done >"$D/e/boot/grub/grub.cfg"
ext4 "$D/e" "$D/vde.img" 8M

# vdf: twenty partitions, an empty ext2 on each
mkfs.ext2 -q -F "$D/empty.img" 1M >/dev/null
truncate -s 24M "$D/vdf.img"
i=0
{
	echo "label: gpt"
	while [ $i -lt 20 ]; do
		echo "start=$((2048 + i * 2048)), size=2048"
		i=$((i + 1))
	done
} | sfdisk -q "$D/vdf.img"
i=0
while [ $i -lt 20 ]; do
	dd if="$D/empty.img" of="$D/vdf.img" bs=1M seek=$((1 + i)) conv=notrunc status=none
	i=$((i + 1))
done
# the first one corrupt: its superblock is right (blkid says ext2), its
# group descriptors and bitmaps are garbage: the kernel refuses to mount it
head -c 6144 /dev/urandom | dd of="$D/vdf.img" bs=1 seek=$((1048576 + 2048)) \
	conv=notrunc status=none

# vdg: the good disk
mkdir -p "$D/g/extlinux"
printf 'default good\nlabel good\n\tkernel /vmlinuz\n\tinitrd /stage2.cpio.gz\n\tappend %s HOP_MARKER=good-%s\n' \
	"$con" "$m" >"$D/g/extlinux/extlinux.conf"
cp "$KERNEL" "$D/g/vmlinuz"
cp "$V/stage1/boot/stage2.cpio.gz" "$D/g/stage2.cpio.gz"
ext4 "$D/g" "$D/vdg.img" 32M boot

disks=
for d in a b c d e f g; do
	disks="$disks -drive file=$D/vd$d.img,if=virtio,format=raw,readonly=on"
done

hostile_boot() {	# hostile_boot NAME APPEND
	log=$V/$1.log
	set -- $QEMU $QEMU_ARGS -nographic -no-reboot -kernel "$KERNEL" \
		-initrd "$D/stage1.cpio.gz" $disks \
		-append "console=$CONSOLE panic=-1 no_timer_check hop.modules=virtio_pci,virtio_blk hop.onfail=poweroff $2"
	QEMU_CMD="$*"
	start=$(date +%s)
	timeout "$VM_TIMEOUT" "$@" </dev/null >"$log" 2>&1 || :
	echo $(( $(date +%s) - start )) >"$V/$name.time"
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
}

name=hostile-auto
hostile_boot $name "hop.timeout=3"
waits=$(grep -c '^hop: waiting up to' "$V/$name.log" || :)
corrupt=$(grep -c '/dev/vdf1: cannot mount' "$V/$name.log" || :)
vm_expect $name \
	"^hop: error: entry \"dotdot\" kernel: /dev/vda:/extlinux/\.\./\.\./\.\./\.\./boot/vmlinuz: outside its file system \(EXDEV\)" \
	"^hop: error: entry \"absolute\" kernel: /dev/vda:/boot/vmlinuz: No such file or directory \(ENOENT\)" \
	"^hop: error: entry \"symlink\" kernel: /dev/vda:/k-link: No such file or directory \(ENOENT\)" \
	"^hop: error: entry \"abslink\" kernel: /dev/vda:/abs-link: No such file or directory \(ENOENT\)" \
	"^hop: error: entry \"fifo\" kernel: /dev/vda:/fifo: not a regular file \(EINVAL\)" \
	"^hop: error: entry \"device\" kernel: /dev/vda:/zero: Permission denied \(EACCES\)" \
	"^hop: config: entry \"x\\\\x1b\[2Jy\" of /dev/vda" \
	"^hop: warning: /dev/vda:/extlinux/extlinux.conf: 2 more entries not tried \(hop tries at most 8 of one configuration\)" \
	"^hop: warning: /dev/vdb:/extlinux/extlinux.conf: skipped: not a regular file \(EINVAL\)" \
	"^hop: warning: /dev/vdc:/extlinux/extlinux.conf: skipped: extlinux.conf:1: include \.\./\.\./\.\./\.\./etc/hop-secret: EXDEV" \
	"^hop: warning: /dev/vdd:/boot/grub/grub.cfg: skipped: /boot/grub/grub.cfg:[0-9]+: more than 4194304 bytes of variable expansion in this boot \(hop's budget\)" \
	"^hop: config: /dev/vde:/boot/grub/grub.cfg \(grub.cfg\): 10 entries" \
	"^hop: error: entry \"stall0\" kernel: LABEL=missing0: no such block device after 3 s" \
	"^hop: error: entry \"stall7\" kernel: LABEL=missing7: no such block device after 3 s" \
	"^hop: warning: /dev/vde:/boot/grub/grub.cfg: 2 more entries not tried" \
	"^hop: config: entry \"good\" of /dev/vdg:/extlinux/extlinux.conf" \
	"^hop: loaded via kexec_(file_)?load" \
	"^HOP-STAGE2 cmdline: console=$CONSOLE panic=-1 HOP_MARKER=good-$m\$" \
	"^HOP-STAGE2 ok" \
	"!HOP_MARKER=escaped" "!HOP-SECRET" "!${esc}\[2Jy" \
	"!hop's limit" "!Kernel panic" "!deadlocked on memory"
if [ "$corrupt" = 1 ]; then
	echo "PASS vm/$ARCH/hostile-auto-corrupt-once"
else
	echo "FAIL vm/$ARCH/hostile-auto-corrupt-once: $corrupt lines for the corrupt /dev/vdf1; want 1"
fi
if [ "$waits" = 1 ]; then
	echo "PASS vm/$ARCH/hostile-auto-one-wait"
else
	echo "FAIL vm/$ARCH/hostile-auto-one-wait: $waits 'waiting up to' lines for ten missing disks; want 1"
fi

name=hostile-label
hostile_boot $name "hop.kernel=LABEL=boot:/vmlinuz hop.initrd=LABEL=boot:/stage2.cpio.gz hop.append=HOP_MARKER=dup-$m"
dups=$(grep -c 'on more than one device' "$V/$name.log" || :)
vm_expect $name \
	"^hop: warning: LABEL=boot: on more than one device: /dev/vdc /dev/vdg; using /dev/vdc, the first in name order" \
	"^hop: source: LABEL=boot is /dev/vdc" \
	"^hop: loaded via kexec_(file_)?load" \
	"^HOP-STAGE2 cmdline: .*HOP_MARKER=dup-$m" "^HOP-STAGE2 ok" \
	"!Kernel panic"
if [ "$dups" = 1 ]; then
	echo "PASS vm/$ARCH/hostile-label-once"
else
	echo "FAIL vm/$ARCH/hostile-label-once: $dups duplicate-label warnings for two sources on one label; want 1"
fi
