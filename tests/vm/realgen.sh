#!/bin/sh
# vm/x86_64/realgen-*: boot configurations written by Debian's own tools.
# A Debian bookworm install (tests/vm/debian_install.sh: cloud kernel,
# initramfs-tools initrd, systemd, grub2-common + grub-pc-bin, u-boot-menu,
# systemd-boot; debootstrap'd once and cached) is unpacked onto a GPT disk
# image (a loop device, as root), and in a chroot of it the generator runs
# as on a real machine: grub-mkconfig (one kernel; two kernels and the
# "Advanced options" submenu; a separate /boot; GRUB_DEFAULT=saved with
# grub-set-default), u-boot-update (extlinux.conf), kernel-install with
# layout=bls (on an ESP after bootctl install; in /boot without one).
# hop, the first kernel's init, finds the
# configuration with hop.config=auto, kexecs the installed kernel and its
# initrd, and the install's systemd reaches multi-user.target: a unit
# ordered after it prints HOP-REALGEN on ttyS0 and powers off. Each disk
# is also read on the host by "hop bootcfg --json --root DIR", whose
# default must be the entry the generator's own boot loader would pick.
ARCH=x86_64
. tests/vm/lib.sh

tests="grub grub_two grub_boot grub_saved grub_next extlinux bls bls_boot"
names() { for t in $tests; do echo "realgen-$t"; done; }
PATH=$PATH:/usr/sbin:/sbin
why=$(vm_missing)
for tool in debootstrap zstd sfdisk partx losetup mkfs.ext4 mkfs.vfat mcopy chroot python3; do
	if [ -z "$why" ] && ! command -v $tool >/dev/null 2>&1; then
		why="$tool not installed (make deps)"
	fi
done
# loop devices, mounts and chroot: root only (no sudo dance here: every
# step below would need it)
if [ -z "$why" ] && [ "$(id -u)" != 0 ]; then
	why="needs root (loop devices, mounts, chroot)"
fi
if [ -n "$why" ]; then
	vm_missing_all "$why" $(names)
	exit 0
fi
KERNEL=$(tests/debian.sh kernel "$ARCH")
BUSYBOX=$(tests/debian.sh busybox "$ARCH")
t0=$(date +%s)
if ! install=$(tests/vm/debian_install.sh "$ARCH" 2>"$V/debian_install.err"); then
	for t in $(names); do
		echo "FAIL vm/$ARCH/$t: building the Debian install failed:"
	done
	sed 's/^/  | /' "$V/debian_install.err"
	exit 0
fi
installsecs=$(($(date +%s) - t0))
R=$(pwd)/$V/realgen
MNT=$R/mnt
m=$$
# fixed file system UUIDs: the generators write them into the entries,
# fstab names them, the installed initrd finds root by its UUID
ROOTUUID=a0e1b2c3-d4e5-4f60-8172-839405a6b7c8
BOOTUUID=b0e1b2c3-d4e5-4f60-8172-839405a6b7c8
ESPID=B0B1C2D3
ESPUUID=B0B1-C2D3

cleanup() {	# whatever a test's preparation left mounted or attached
	for d in $(grep -o " $MNT[^ ]*" /proc/mounts | sort -r); do
		umount "$d" 2>/dev/null || umount -l "$d" 2>/dev/null || :
	done
	for img in "$R"/*.img; do
		[ -f "$img" ] || continue
		for l in $(losetup -j "$img" -O NAME -n 2>/dev/null); do
			losetup -d "$l" 2>/dev/null || :
		done
	done
}
trap cleanup EXIT
trap 'cleanup; exit 1' INT TERM
# a run killed before its cleanup: nothing of it stays mounted, and rm
# stays on this file system
cleanup
rm -rf --one-file-system "$R" && mkdir -p "$R/s1" "$MNT"

# stage 1: hop with the virtio and vfat modules (as tests/vm/disk.sh)
mods="virtio_pci virtio_blk vfat nls_cp437 nls_ascii"
k=$KERNEL
MODULES="$mods" KMOD_ROOT=${k%/boot/*} KMOD_REL=${k##*/vmlinuz-} \
	initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" "$R/stage1.cpio.gz" "$R/s1"

# rg_node DEV: DEV's block node in the chroot's /dev, with the
# /dev/disk/by-uuid and by-partuuid links udev would make (grub-mkconfig's
# 10_linux writes root=UUID= only when /dev/disk/by-uuid/UUID exists)
rg_node() {
	n=${1#/dev/}
	mknod "$MNT/dev/$n" b $(tr ':' ' ' <"/sys/class/block/$n/dev")
	u=$(blkid -s UUID -o value "$1" 2>/dev/null || :)
	pu=$(blkid -p -s PART_ENTRY_UUID -o value "$1" 2>/dev/null || :)
	if [ -n "$u" ]; then
		ln -sf "../../$n" "$MNT/dev/disk/by-uuid/$u"
	fi
	if [ -n "$pu" ]; then
		ln -sf "../../$n" "$MNT/dev/disk/by-partuuid/$pu"
	fi
}

# rg_disk NAME LAYOUT: $R/NAME.img, a GPT disk with the install unpacked,
# mounted at $MNT with /dev, /proc, /sys and /run for a chroot.
# LAYOUT: root (bios_grub + root, as Debian's installer partitions a BIOS
# machine's GPT disk), boot (bios_grub + /boot + root) or esp (an EFI
# system partition at /boot/efi + root)
rg_disk() {
	img=$R/$1.img layout=$2
	rm -f "$img"
	truncate -s 2G "$img"
	bios='start=2048, size=2048, type=21686148-6449-6E6F-744E-656564454649'
	linux='type=0FC63DAF-8483-4772-8E79-3D69D8477DE4'
	case $layout in
	root) parts="$bios
start=4096, $linux" ;;
	boot) parts="$bios
start=4096, size=524288, $linux
start=528384, $linux" ;;
	esp) parts="start=2048, size=524288, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B
start=526336, $linux" ;;
	esac
	printf 'label: gpt\n%s\n' "$parts" | sfdisk -q "$img"
	loop=$(losetup -fP --show "$img")
	# no udev here: devtmpfs makes the partitions' nodes, or partx does
	i=0
	while [ ! -b "${loop}p2" ] && [ $i -lt 10 ]; do
		partx -a "$loop" 2>/dev/null || sleep 0.2
		i=$((i + 1))
	done
	[ -b "${loop}p2" ] || { echo "hop: error: $loop: no partition nodes" >&2; return 1; }
	case $layout in
	root) rootp=${loop}p2 bootp= espp= ;;
	boot) rootp=${loop}p3 bootp=${loop}p2 espp= ;;
	esp) rootp=${loop}p2 bootp= espp=${loop}p1 ;;
	esac
	mkfs.ext4 -q -F -U $ROOTUUID "$rootp"
	mount "$rootp" "$MNT"
	fstab="UUID=$ROOTUUID / ext4 errors=remount-ro 0 1"
	if [ -n "$bootp" ]; then
		mkfs.ext4 -q -F -U $BOOTUUID "$bootp"
		mkdir -p "$MNT/boot"
		mount "$bootp" "$MNT/boot"
		fstab="$fstab
UUID=$BOOTUUID /boot ext4 defaults 0 2"
	fi
	if [ -n "$espp" ]; then
		# the host's kernel may have no vfat (this one has not): the
		# ESP is staged in a tmpfs at /boot/efi and copied onto the
		# partition with mtools afterwards (rg_esp)
		mkfs.vfat -i $ESPID -n ESP "$espp" >/dev/null
		mkdir -p "$MNT/boot/efi"
		mount -t tmpfs -o mode=700 esp "$MNT/boot/efi"
		fstab="$fstab
UUID=$ESPUUID /boot/efi vfat umask=0077 0 1"
	fi
	zstd -dc "$install" | tar --numeric-owner -xpf - -C "$MNT"
	echo "$fstab" >"$MNT/etc/fstab"
	mount -t proc proc "$MNT/proc"
	mount -t sysfs sys "$MNT/sys"
	mount -t tmpfs run "$MNT/run"
	mount -t tmpfs -o mode=755 dev "$MNT/dev"
	mkdir -p "$MNT/dev/disk/by-uuid" "$MNT/dev/disk/by-partuuid" "$MNT/dev/pts"
	for n in null:1:3 zero:1:5 full:1:7 random:1:8 urandom:1:9 tty:5:0; do
		mknod -m 666 "$MNT/dev/${n%%:*}" c $(echo "${n#*:}" | tr ':' ' ')
	done
	for p in "$loop" "$loop"p*; do
		rg_node "$p"
	done
}

# rg_esp: the staged ESP's files onto its vfat partition
rg_esp() {
	MTOOLS_SKIP_CHECK=1 mcopy -s -p -i "$espp" "$MNT/boot/efi"/* ::/
}

# rg_run CMD: CMD by the install's shell in the chroot
rg_run() {
	chroot "$MNT" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin \
		LC_ALL=C HOME=/root /bin/sh -euc "$1"
}

# rg_bootcfg NAME DIR WANT...: "hop bootcfg --json --root DIR" run on
# the host, DIR the file system holding the configuration as hop's scan
# meets it (a separate /boot or the ESP is a file system of its own); its
# default entry must be one of WANT (an id, label or title). Its
# PASS/FAIL line goes to fd 3 (the test's output)
rg_bootcfg() {
	name=realgen-$1 dir=$2
	shift 2
	if ! "$B/hop" bootcfg --help >/dev/null 2>&1; then
		if [ "${CI:-}" = true ]; then
			echo "FAIL vm/$ARCH/$name-bootcfg: hop bootcfg not built" >&3
		else
			echo "SKIP vm/$ARCH/$name-bootcfg: hop bootcfg not built" >&3
		fi
		return 0
	fi
	"$B/hop" bootcfg --json --root "$dir" >"$V/$name.json" 2>"$V/$name.json.err" || :
	if got=$(python3 tests/vm/realgen_default.py "$V/$name.json" "$@" 2>&1); then
		echo "PASS vm/$ARCH/$name-bootcfg: default $got" >&3
	else
		{
			echo "FAIL vm/$ARCH/$name-bootcfg: $got (want one of: $*)"
			sed 's/^/  | /' "$V/$name.json.err" "$V/$name.json" | head -n 40
		} >&3
	fi
}

# rg_boot NAME: hop in the first kernel, the disk on virtio (written
# through a snapshot: the image stays as the generator left it)
rg_boot() {
	name=realgen-$1
	log=$V/$name.log
	set -- $QEMU $QEMU_ARGS -nographic -no-reboot -kernel "$KERNEL" \
		-initrd "$R/stage1.cpio.gz" \
		-drive "file=$R/$1.img,if=virtio,format=raw,snapshot=on" \
		-append "console=$CONSOLE panic=-1 no_timer_check hop.modules=$(echo $mods | tr ' ' ,) hop.onfail=poweroff"
	QEMU_CMD="$*"
	start=$(date +%s)
	timeout "$VM_TIMEOUT" "$@" </dev/null >"$log" 2>&1 && rc=0 || rc=$?
	echo $(( $(date +%s) - start )) >"$V/$name.time"
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
	if [ "$rc" = 124 ]; then
		echo "timed out after ${VM_TIMEOUT}s" >>"$log"
	fi
}
# a full Debian boot under TCG after hop's: ~30 s when it works
VM_TIMEOUT=${VM_TIMEOUT_REALGEN:-240}

# rg_test NAME LAYOUT PREP: the disk, PREP (the generator and its
# rg_bootcfg) in a subshell of its own with set -e, everything unmounted
# again, then the boot; ok=1 when the boot's log is there to check, else
# a FAIL line. Not called as a condition: set -e would be off inside
rg_test() {
	name=realgen-$1 ok=
	case " ${REALGEN_TESTS:-$tests} " in
	*" $1 "*) ;;
	*) return 0 ;;	# REALGEN_TESTS="a b": only those (while debugging)
	esac
	g0=$(date +%s)
	set +e
	(
		set -e
		rg_disk "$1" "$2"
		"$3"
	) 3>&1 >"$V/$name.gen.log" 2>&1
	rc=$?
	set -e
	cleanup
	gensecs=$(( $(date +%s) - g0 ))
	if [ "$rc" != 0 ]; then
		echo "FAIL vm/$ARCH/$name: preparing the disk or running the generator failed ($V/$name.gen.log):"
		tail -n 20 "$V/$name.gen.log" | sed 's/^/  | /'
		return 0
	fi
	rg_boot "$1"
	echo "  (vm/$ARCH/$name: disk and generator ${gensecs}s, boot $(cat "$V/$name.time")s)" >&2
	ok=1
}

# the installed command line: the serial console, TCG's timer check off,
# and the marker the report line must carry
CMDLINE="console=ttyS0 no_timer_check HOP_MARKER=realgen-$m"
VER=$(zstd -dc "$install" | tar -tf - ./boot/ | sed -n 's|^\./boot/vmlinuz-||p' | head -n1)
# the second kernel of the two-kernel tests: the same files under an
# older version name, as an older kernel package leaves them
OLD=$(echo "$VER" | sed 's/^\([0-9.]*\)-[0-9]*-/\1-0hop-/')
if [ -z "$VER" ] || [ "$OLD" = "$VER" ]; then
	for t in $(names); do
		echo "FAIL vm/$ARCH/$t: no kernel version in $install ('$VER')"
	done
	exit 0
fi
grubdef() {	# grubdef [GRUB_DEFAULT]: /etc/default/grub as a user edits it
	sed -i -e "s|^GRUB_CMDLINE_LINUX=.*|GRUB_CMDLINE_LINUX=\"$CMDLINE\"|" \
		-e 's|^GRUB_CMDLINE_LINUX_DEFAULT=.*|GRUB_CMDLINE_LINUX_DEFAULT=""|' \
		${1:+-e "s|^GRUB_DEFAULT=.*|GRUB_DEFAULT=$1|"} \
		"$MNT/etc/default/grub"
}
oldkernel() {	# the older kernel's files, as its package left them
	for f in vmlinuz initrd.img config System.map; do
		cp -p "$MNT/boot/$f-$VER" "$MNT/boot/$f-$OLD"
	done
}
re() {	# re STRING: STRING as an extended regex matching itself
	printf '%s' "$1" | sed 's/[].[*^$()+?{}|\\]/\\&/g'
}
booted() {	# booted NAME CONFIG-LINE ENTRY: the boot's expectations; the
	# disk image (2 GiB sparse, ~300 MB used) stays only when it failed
	out=$(booted_expect "$@")
	echo "$out"
	case $out in
	PASS*) rm -f "$R/$1.img" ;;
	esac
}
booted_expect() {
	vm_expect "realgen-$1" \
		"^hop: config: /dev/vda[0-9]:$2" \
		"^hop: config: entry \"$3\" of /dev/vda[0-9]:" \
		"^hop: loaded via kexec_(file_)?load" \
		"Linux version $(re "$VER") " \
		"Kernel command line: .*root=UUID=$ROOTUUID .*HOP_MARKER=realgen-$m" \
		"Reached target .*[Mm]ulti-[Uu]ser" \
		"^HOP-REALGEN multi-user $(re "$VER") .*HOP_MARKER=realgen-$m" \
		"!hop: error" "!Kernel panic"
}

# grub-mkconfig as on a BIOS machine: grub-probe maps the disk to a BIOS
# drive through device.map (on real hardware it guesses hd0 from the
# disk; a loop device it cannot guess), so the entries get grub's
# "set root='hd0,gpt2'" and the --hint-bios search behind
# $feature_platform_search_hint
mkgrub() {
	mkdir -p "$MNT/boot/grub"
	printf '(hd0)\t%s\n' "$loop" >"$MNT/boot/grub/device.map"
	rg_run "grub-mkconfig -o /boot/grub/grub.cfg"
}
ROOTID=gnulinux-simple-$ROOTUUID

# (a) one kernel: the first entry ("Debian GNU/Linux", id
# gnulinux-simple-UUID) is grub's default
prep_grub() {
	grubdef
	mkgrub
	rg_bootcfg grub "$MNT" "$ROOTID" "Debian GNU/Linux"
}
rg_test grub root prep_grub
if [ -n "$ok" ]; then
	booted grub "/boot/grub/grub.cfg \(grub\.cfg\): 3 entries, default \"$ROOTID\"" "$ROOTID"
fi

# (b) two kernels: the newest first, both in "Advanced options" with
# their recovery entries; the first entry is still the default
prep_grub_two() {
	grubdef
	oldkernel
	mkgrub
	rg_bootcfg grub_two "$MNT" "$ROOTID" "Debian GNU/Linux"
}
rg_test grub_two root prep_grub_two
if [ -n "$ok" ]; then
	booted grub_two "/boot/grub/grub.cfg \(grub\.cfg\): 5 entries, default \"$ROOTID\"" "$ROOTID"
fi

# (c) a separate /boot: grub.cfg at /grub/grub.cfg of the /boot file
# system, the kernel /vmlinuz-VERSION on it, found by its UUID
prep_grub_boot() {
	grubdef
	mkgrub
	rg_bootcfg grub_boot "$MNT/boot" "$ROOTID" "Debian GNU/Linux"
}
rg_test grub_boot boot prep_grub_boot
if [ -n "$ok" ]; then
	booted grub_boot "/grub/grub.cfg \(grub\.cfg\): 3 entries, default \"$ROOTID\"" "$ROOTID"
fi

# (d) GRUB_DEFAULT=saved and grub-set-default naming the older kernel in
# the submenu by its titles, as grub's manual writes it: grub.cfg's
# "load_env" reads /boot/grub/grubenv, and "set default=${saved_entry}"
SAVED="Advanced options for Debian GNU/Linux>Debian GNU/Linux, with Linux $OLD"
OLDID=gnulinux-$OLD-advanced-$ROOTUUID
prep_grub_saved() {
	grubdef saved
	oldkernel
	mkgrub
	rg_run "grub-set-default '$SAVED'"
	grep -q "^saved_entry=$SAVED\$" "$MNT/boot/grub/grubenv"
	rg_bootcfg grub_saved "$MNT" "$OLDID" "Debian GNU/Linux, with Linux $OLD"
}
rg_test grub_saved root prep_grub_saved
if [ -n "$ok" ]; then
	booted grub_saved "/boot/grub/grub.cfg \(grub\.cfg\): 5 entries, default \"$OLDID\"" "$OLDID"
fi

# (e) grub-reboot: next_entry, which grub.cfg's header makes the default
# of one boot (hop boots it too, but cannot clear it: README, grub.cfg)
# over GRUB_DEFAULT=0
prep_grub_next() {
	grubdef
	oldkernel
	mkgrub
	rg_run "grub-reboot '$SAVED'"
	grep -q "^next_entry=$SAVED\$" "$MNT/boot/grub/grubenv"
	rg_bootcfg grub_next "$MNT" "$OLDID" "Debian GNU/Linux, with Linux $OLD"
}
rg_test grub_next root prep_grub_next
if [ -n "$ok" ]; then
	booted grub_next "/boot/grub/grub.cfg \(grub\.cfg\): 5 entries, default \"$OLDID\"" "$OLDID"
fi

# u-boot-menu: u-boot-update writes /boot/extlinux/extlinux.conf, one
# label per kernel, newest first (l0, with its rescue entry l0r), root=
# from /etc/fstab and the parameters of /etc/default/u-boot; "default l0"
prep_extlinux() {
	sed -i "s|^#U_BOOT_PARAMETERS=.*|U_BOOT_PARAMETERS=\"ro $CMDLINE\"|" \
		"$MNT/etc/default/u-boot"
	grep -q "^U_BOOT_PARAMETERS=\"ro $CMDLINE\"" "$MNT/etc/default/u-boot"
	oldkernel
	rg_run u-boot-update
	grep -q "^default l0\$" "$MNT/boot/extlinux/extlinux.conf"
	rg_bootcfg extlinux "$MNT" l0
}
rg_test extlinux root prep_extlinux
if [ -n "$ok" ]; then
	booted extlinux "/boot/extlinux/extlinux.conf \(extlinux\): 4 entries, default \"l0\"" l0
fi

# systemd's kernel-install with layout=bls on an ESP at /boot/efi, after
# "bootctl install" (what systemd-boot's /etc/kernel/postinst.d hook
# waits for): entries MACHINE_ID-VERSION.conf in /loader/entries of the
# ESP, the kernel and initrd under MACHINE_ID/VERSION/. loader.conf names
# no default: systemd-boot boots the first in its order, the newest
MACHINEID=5ad1b0f1e0c84f1f8d4d0b4a9f3e2c12
prep_bls() {
	echo "root=UUID=$ROOTUUID ro $CMDLINE" >"$MNT/etc/kernel/cmdline"
	echo layout=bls >"$MNT/etc/kernel/install.conf"
	oldkernel
	# SYSTEMD_RELAX_ESP_CHECKS: the ESP is staged in a tmpfs (rg_disk)
	rg_run "export SYSTEMD_RELAX_ESP_CHECKS=1
		bootctl install --no-variables --esp-path=/boot/efi
		kernel-install add $OLD /boot/vmlinuz-$OLD
		kernel-install add $VER /boot/vmlinuz-$VER"
	test -f "$MNT/boot/efi/loader/entries/$MACHINEID-$VER.conf"
	test ! -d "$MNT/boot/loader"
	rg_bootcfg bls "$MNT/boot/efi" "$MACHINEID-$VER"
	rg_esp
}
rg_test bls esp prep_bls
if [ -n "$ok" ]; then
	booted bls "/loader/entries \(BLS\): 2 entries, default \"$MACHINEID-$VER\"" "$MACHINEID-$VER"
fi
# kernel-install with layout=bls and no ESP (no bootctl install): its
# $BOOT is /boot, the entries go to /boot/loader/entries of the root
# file system, their paths from that file system's root
prep_bls_boot() {
	echo "root=UUID=$ROOTUUID ro $CMDLINE" >"$MNT/etc/kernel/cmdline"
	echo layout=bls >"$MNT/etc/kernel/install.conf"
	oldkernel
	rg_run "kernel-install add $OLD /boot/vmlinuz-$OLD
		kernel-install add $VER /boot/vmlinuz-$VER"
	test -f "$MNT/boot/loader/entries/$MACHINEID-$VER.conf"
	rg_bootcfg bls_boot "$MNT" "$MACHINEID-$VER"
}
rg_test bls_boot root prep_bls_boot
if [ -n "$ok" ]; then
	booted bls_boot "/boot/loader/entries \(BLS\): 2 entries, default \"$MACHINEID-$VER\"" "$MACHINEID-$VER"
fi
echo "  (vm/$ARCH/realgen: Debian install ${installsecs}s)" >&2
