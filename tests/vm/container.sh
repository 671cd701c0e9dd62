#!/bin/sh
# VM tests of container kernels (issue 22): Unified Kernel Images made now
# with objcopy from Debian's systemd-stub (tests/container_lib.sh) and FIT
# images made now with u-boot-tools' mkimage -f, around Debian's kernel.
# CI's time is the constraint: one QEMU run per arch, a chain of kexecs
# in which every stage proves something; the refusals (a corrupted hash,
# another arch's UKI, a profile or configuration that is not there) cost
# no boot: tests/container.sh checks them on the host with --plan.
#
# x86_64, one run, four kernels:
#   1. hop (the agent): hop.kernel=/boot/a.efi hop.initrd=/boot/extra.cpio
#      hop.append=..., hop.syscall=file: kexec_file_load of the UKI's
#      .linux with its .initrd, the extra initrd after it, its .cmdline
#      and hop.append (container-uki_file)
#   2. a.efi's .initrd: reports, then hop kexec -l /boot/b.efi -c
#      --entry=esp --append=...: kexec_load of the UKI's second profile
#      (.profile ID=esp and its .cmdline; the first, the default, has
#      another), jumps (container-uki_load)
#   3. b.efi's .initrd is hop again, with hop.config=auto on the profile's
#      command line: it finds /EFI/Linux/hop-c.efi on a vfat ESP (a GPT
#      partition of the ESP type, made with sfdisk, mkfs.vfat and mtools)
#      as a BLS Type #2 entry and boots it (container-uki_esp)
#   4. c.efi's .initrd reports and powers off
# arm64, one run, three kernels:
#   1. hop: hop.kernel=/boot/a.efi, a UKI with a .dtb (QEMU's tree with a
#      marker property): the next kernel runs on that tree (container-uki_dtb)
#   2. a.efi's .initrd: hop kexec -l /boot/fit.itb, a FIT made with
#      mkimage -E (external data) holding the gzip'd Image, two trees, a
#      ramdisk and two configurations: conf-acme (the default, listed
#      first, another board's compatible) and conf-virt (linux,dummy-virt):
#      conf-virt boots, its tree and ramdisk (container-fit_ext)
#   3. the FIT's ramdisk reports its tree and command line, powers off
# arm, one run, two kernels: hop.config= an extlinux.conf whose kernel
# line names a FIT (inline data, the zImage): conf-virt boots
# (container-fit_extlinux).
ARCH=${ARCH:-x86_64}
. tests/vm/lib.sh
. tests/container_lib.sh

case $ARCH in
x86_64) tests="container-uki_file container-uki_load container-uki_esp" ;;
arm64) tests="container-uki_dtb container-fit_ext" ;;
arm) tests="container-fit_extlinux" ;;
esac
vm_start $tests
PATH=$PATH:/usr/sbin:/sbin
why=$(ct_missing "$ARCH")
if [ "$ARCH" = x86_64 ]; then
	for tool in sfdisk mkfs.vfat mmd mcopy; do
		if [ -z "$why" ] && ! command -v $tool >/dev/null; then
			why="$tool not installed (make deps)"
		fi
	done
fi
if [ -n "$why" ]; then
	vm_missing_all "$why" $tests
	exit 0
fi

C=$V/container
rm -rf "$C"
mkdir -p "$C"
m=$$
con="console=$CONSOLE panic=-1"
[ "$ARCH" = x86_64 ] && con="$con no_timer_check"
printf 'NAME="Debian GNU/Linux"\nID=debian\nVERSION_ID="12"\nPRETTY_NAME="hop test"\n' \
	>"$C/osrel"
if [ -n "$DTB" ]; then
	$QEMU -machine "$QEMU_MACHINE,dumpdtb=$C/qemu.dtb" $QEMU_OPTS \
		-nographic </dev/null >"$C/dumpdtb.log" 2>&1 || {
		echo "FAIL vm/$ARCH/container: $QEMU dumpdtb: $(tail -n1 "$C/dumpdtb.log")"
		exit 0
	}
fi

# ct_append CPIO PATH=FILE...: the files appended to the gzip'd CPIO as an
# uncompressed archive (as vm_prepare does with big.cpio): kernels and
# images do not shrink, and gzip -9 would spend seconds on them
ct_append() {
	out=$1
	shift
	pad=$(( (4 - $(wc -c <"$out") % 4) % 4 ))
	head -c "$pad" /dev/zero >>"$out"
	dirs=
	for e in "$@"; do
		p=${e%%=*} d=${e%%=*}
		d=${d%/*}
		case " $dirs " in
		*" $d "*) ;;
		*) echo "dir $d 0755"; dirs="$dirs $d" ;;
		esac
		case $p in
		/bin/*) echo "file $p ${e#*=} 0755" ;;
		*) echo "file $p ${e#*=} 0644" ;;
		esac
	done >"$out.append"
	build/host/mkcpio "$out.append" >>"$out"
}

# ct_stage OUT NAME [NEXT [PATH=FILE...]]: the initrd of a reporting stage
# (tests/vm/container-init as /init, busybox): NAME in /stage, the shell
# text NEXT as /next (it loads the next kernel and jumps), the files
ct_stage() {
	out=$1 name=$2 next=${3:-}
	shift 2
	[ $# -gt 0 ] && shift
	d=$C/root-$name
	rm -rf "$d" && mkdir -p "$d"
	cp tests/vm/container-init "$d/init"
	chmod 755 "$d/init"
	echo "$name" >"$d/stage"
	if [ -n "$next" ]; then
		printf '%s\n' "$next" >"$d/next"
	fi
	initramfs/build.sh build/host/mkcpio none "$BUSYBOX" "$out" "$d"
	if [ $# -gt 0 ]; then
		ct_append "$out" "$@"
	fi
}

# ct_part NAME PART FROM TO: $V/PART.log for vm_expect, the lines of
# NAME's console log from the first that matches the extended regex FROM
# ("": the first line) to the next that matches TO ("": the last), so
# that a line is checked against the stage that printed it
ct_part() {
	awk -v from="$3" -v to="$4" '
		on == 0 && (from == "" || $0 ~ from) { on = 1; print; next }
		on == 1 { print; if (to != "" && $0 ~ to) on = 2 }
	' "$V/$1.log" >"$V/$2.log"
	if [ ! -s "$V/$2.log" ]; then
		echo "(not reached: no line of $V/$1.log matches '$3')" >"$V/$2.log"
	fi
}

case $ARCH in
x86_64)
	mods="virtio_pci virtio_blk vfat nls_cp437 nls_ascii"
	# 4: c.efi, on the ESP
	ct_stage "$C/c.img" uki-c
	printf '%s HOP_UKI=c-%s\n' "$con" $m >"$C/c.cmdline"
	mk_uki x86_64 "$C/c.efi" .osrel="$C/osrel" .cmdline="$C/c.cmdline" \
		.linux="$KERNEL" .initrd="$C/c.img"
	mkfs.vfat -C -n ESP "$C/esp.img" 40960 >/dev/null
	mmd -i "$C/esp.img" ::/EFI ::/EFI/Linux
	mcopy -i "$C/esp.img" "$C/c.efi" ::/EFI/Linux/hop-c.efi
	truncate -s 42M "$C/disk.img"
	printf 'label: gpt\nstart=2048, size=81920, type=C12A7328-F81F-11D2-BA4B-00A0C93EC93B, name="ESP"\n' |
		sfdisk -q "$C/disk.img"
	dd if="$C/esp.img" of="$C/disk.img" bs=1M seek=1 conv=notrunc status=none
	rm -f "$C/esp.img"
	# 3: b.efi, hop with the disk's modules; two profiles, the first
	# (the default) plain, the second's command line says hop.config=auto
	rm -rf "$C/root-b" && mkdir -p "$C/root-b"
	k=$KERNEL
	MODULES="$mods" KMOD_ROOT=${k%/boot/*} KMOD_REL=${k##*/vmlinuz-} \
		initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" \
		"$C/b.img" "$C/root-b"
	printf 'ID=plain\nTITLE=plain\n' >"$C/b.profile"
	printf '%s HOP_PROFILE=plain-%s\n' "$con" $m >"$C/b.cmdline"
	printf 'ID=esp\nTITLE=hop.config=auto\n' >"$C/b-esp.profile"
	printf '%s hop.config=auto hop.modules=%s hop.onfail=poweroff HOP_UKI=b-esp-%s\n' \
		"$con" "$(echo $mods | tr ' ' ,)" $m >"$C/b-esp.cmdline"
	mk_uki x86_64 "$C/b.efi" .osrel="$C/osrel" .linux="$KERNEL" \
		.initrd="$C/b.img" \
		.profile="$C/b.profile" .cmdline="$C/b.cmdline" \
		.profile="$C/b-esp.profile" .cmdline="$C/b-esp.cmdline"
	# 2: a.efi, whose stage loads b.efi's profile esp with kexec_load
	ct_stage "$C/a.img" uki-a "hop kexec -l /boot/b.efi -c --entry=esp --append=HOP_KEXEC=b-$m
echo \"HOP-CT uki-a load: exit \$?\"
hop kexec -e" /bin/hop="$B/hop" /boot/b.efi="$C/b.efi"
	printf '%s HOP_UKI=a-%s\n' "$con" $m >"$C/a.cmdline"
	mk_uki x86_64 "$C/a.efi" .osrel="$C/osrel" .cmdline="$C/a.cmdline" \
		.linux="$KERNEL" .initrd="$C/a.img"
	# 1: hop, with a.efi and an extra initrd
	rm -rf "$C/root-1" && mkdir -p "$C/root-1/boot"
	printf 'file /hop-extra %s 0644\n' "$C/extra.txt" >"$C/extra.list"
	echo HOP-EXTRA-OK >"$C/extra.txt"
	build/host/mkcpio "$C/extra.list" >"$C/root-1/boot/extra.cpio"
	initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" \
		"$C/stage1.img" "$C/root-1"
	ct_append "$C/stage1.img" /boot/a.efi="$C/a.efi"

	QEMU_ARGS="$QEMU_ARGS -drive file=$C/disk.img,if=virtio,format=raw,readonly=on"
	vm_boot container "no_timer_check hop.kernel=/boot/a.efi hop.initrd=/boot/extra.cpio hop.append=HOP_APPEND=a-$m hop.syscall=file hop.onfail=poweroff hop_stage1_only" \
		"$C/stage1.img"
	echo "INFO time/vm/$ARCH/container $(cat "$V/container.time")s (one run, four kernels)"
	ct_part container container-uki_file "" "^HOP-CT uki-a ok"
	ct_part container container-uki_load "^HOP-CT uki-a ok" "^hop: agent"
	ct_part container container-uki_esp "Command line: .*HOP_UKI=b-esp-$m" ""
	vm_expect container-uki_file "^hop: loaded via kexec_file_load" \
		"^hop: /boot/a\.efi: Unified Kernel Image, profile 0: " \
		"^HOP-CT uki-a cmdline: .*HOP_UKI=a-$m( .*)? HOP_APPEND=a-$m" \
		"^HOP-CT uki-a extra: HOP-EXTRA-OK" "^HOP-CT uki-a ok" \
		"!^HOP-CT uki-a cmdline: .*hop_stage1_only" \
		"!hop: error" "!Kernel panic"
	vm_expect container-uki_load "^hop: loaded via kexec_load" \
		"^hop: /boot/b\.efi: Unified Kernel Image, profile 1 \(ID=esp\): " \
		"^HOP-CT uki-a load: exit 0" \
		"Command line: .*HOP_UKI=b-esp-$m( .*)? HOP_KEXEC=b-$m" \
		"!Command line: .*HOP_PROFILE=plain" \
		"!hop: error" "!Kernel panic"
	vm_expect container-uki_esp \
		"^hop: config: /dev/vda1:/EFI/Linux \(BLS\): 1 entries, default \"hop-c\"" \
		"^hop: /dev/vda1:/EFI/Linux/hop-c\.efi: Unified Kernel Image, profile 0: " \
		"^hop: loaded via kexec_(file_)?load" \
		"^HOP-CT uki-c cmdline: .*HOP_UKI=c-$m" "^HOP-CT uki-c ok" \
		"!hop: error" "!Kernel panic"
	;;
arm64)
	# the FIT: the gzip'd Image, QEMU's tree and another board's, the
	# reporting stage as its ramdisk; external data
	mk_dtbs "$C/qemu.dtb" "$C" "fit-$m"
	gzip -n -1 <"$KERNEL" >"$C/Image.gz"
	ct_stage "$C/fit.img" fit
	mk_fit "$C/fit.itb" arm64 "$C/Image.gz" gzip "$C/virt.dtb" \
		"$C/acme.dtb" "$C/fit.img" -E
	rm -f "$C/Image.gz"
	# a.efi, with a tree of its own, whose stage loads the FIT
	cp "$C/qemu.dtb" "$C/a.dtb"
	fdtput -t s "$C/a.dtb" / hop-test "uki-a-$m"
	ct_stage "$C/a.img" uki-a "hop kexec -l /boot/fit.itb --append=\"$con HOP_FIT=arm64-$m\"
echo \"HOP-CT uki-a load: exit \$?\"
hop kexec -e" /bin/hop="$B/hop" /boot/fit.itb="$C/fit.itb"
	printf '%s HOP_UKI=a-%s\n' "$con" $m >"$C/a.cmdline"
	mk_uki arm64 "$C/a.efi" .osrel="$C/osrel" .cmdline="$C/a.cmdline" \
		.dtb="$C/a.dtb" .linux="$KERNEL" .initrd="$C/a.img"
	rm -rf "$C/root-1" && mkdir -p "$C/root-1"
	initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" \
		"$C/stage1.img" "$C/root-1"
	ct_append "$C/stage1.img" /boot/a.efi="$C/a.efi"

	vm_boot container "hop.kernel=/boot/a.efi hop.onfail=poweroff" \
		"$C/stage1.img"
	echo "INFO time/vm/$ARCH/container $(cat "$V/container.time")s (one run, three kernels)"
	ct_part container container-uki_dtb "" "^HOP-CT uki-a ok"
	ct_part container container-fit_ext "^HOP-CT uki-a ok" ""
	vm_expect container-uki_dtb "^hop: loaded via kexec_load" \
		"^hop: /boot/a\.efi: Unified Kernel Image, profile 0: .*\.dtb [1-9][0-9]* bytes" \
		"^HOP-CT uki-a cmdline: .*HOP_UKI=a-$m" \
		"^HOP-CT uki-a dtb: uki-a-$m\$" "^HOP-CT uki-a ok" \
		"!hop: error" "!Kernel panic"
	vm_expect container-fit_ext "^HOP-CT uki-a load: exit 0" \
		"^hop: /boot/fit\.itb: FIT image, configuration conf-virt: kernel [0-9]+ bytes \(gzip\), .*hashes verified" \
		"^hop: loaded via kexec_load" \
		"^HOP-CT fit cmdline: .*HOP_FIT=arm64-$m" \
		"^HOP-CT fit dtb: fit-$m-virt\$" "^HOP-CT fit ok" \
		"!hop: error" "!Kernel panic"
	;;
arm)
	# the FIT: the zImage (it inflates itself), QEMU's tree and another
	# board's, the reporting stage as its ramdisk; inline data; named by
	# an extlinux.conf's kernel line
	mk_dtbs "$C/qemu.dtb" "$C" "fit-$m"
	ct_stage "$C/fit.img" fit
	mk_fit "$C/fit.itb" arm "$KERNEL" none "$C/virt.dtb" "$C/acme.dtb" \
		"$C/fit.img"
	rm -rf "$C/root-1" && mkdir -p "$C/root-1/boot"
	printf 'default fit\nlabel fit\n\tkernel /boot/fit.itb\n\tappend %s HOP_FIT=arm-%s\n' \
		"$con" $m >"$C/root-1/boot/extlinux.conf"
	initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" \
		"$C/stage1.img" "$C/root-1"
	ct_append "$C/stage1.img" /boot/fit.itb="$C/fit.itb"

	vm_boot container "hop.config=/boot/extlinux.conf hop.onfail=poweroff" \
		"$C/stage1.img"
	echo "INFO time/vm/$ARCH/container $(cat "$V/container.time")s (one run, two kernels)"
	ct_part container container-fit_extlinux "" ""
	vm_expect container-fit_extlinux "^hop: config: entry \"fit\"" \
		"^hop: /boot/fit\.itb: FIT image, configuration conf-virt: .*hashes verified" \
		"^hop: loaded via kexec_load" \
		"^HOP-CT fit cmdline: .*HOP_FIT=arm-$m" \
		"^HOP-CT fit dtb: fit-$m-virt\$" "^HOP-CT fit ok" \
		"!hop: error" "!Kernel panic"
	;;
esac
