#!/bin/sh
# Real firmware: the first kernel is started by firmware through its EFI
# stub, as on a UEFI server, or by SeaBIOS; its /test
# (tests/vm/kexec/firmware.init) reports what the firmware gave it
# (tests/vm/stage2/fw-report: EFI, efivars, ACPI tables, SMBIOS, CPUs,
# RAM), loads the same kernel with hop as /bin/kexec and jumps; stage 2
# reports the same. Any loss fails: the next kernel must see what the
# first saw. x86_64 (OVMF: q35, two CPUs):
#   fw-ovmf-file     kexec_file_load (the kernel builds the zero page)
#   fw-ovmf-load     kexec_load: hop's zero page, efi_info, runtime map,
#                    SETUP_EFI, acpi_rsdp_addr
#   fw-ovmf-elf      the ELF vmlinux through kexec_load (the same zero page)
#   fw-ovmf-kdump    a panic kernel through kexec_load, after sysrq c (one
#                    CPU and the reservation's RAM by design: those two are
#                    not compared)
#   fw-seabios-load  kexec_load under SeaBIOS: no EFI before or after
#   fw-ovmf-secureboot  OVMF with Secure Boot on and Microsoft's keys
#                    enrolled (OVMF_CODE_4M.secboot.fd, OVMF_VARS_4M.ms.fd),
#                    the kernel started by Debian's signed shim and grub
#                    from an ESP, hence in lockdown: kexec_load refused,
#                    the kernel without its signature refused by
#                    kexec_file_load, each with the reason, Debian's
#                    signed kernel loaded and booted (parity checked)
# arm64 (AAVMF, virt, two CPUs; kexec_load, Debian's arm64 kernel has no
# file loader):
#   fw-aavmf-dt      a device tree (virt,acpi=off): hop edits the
#                    running tree, its linux,uefi-* properties kept
#   fw-aavmf-acpi    ACPI: the EFI stub's tree holds only /chosen
# arm64 and arm (Debian's u-boot-qemu):
#   fw-uboot         u-boot's distro boot finds /boot/extlinux/extlinux.conf
#                    on a virtio disk and starts the kernel with QEMU's tree
ARCH=${ARCH:-x86_64}
. tests/vm/lib.sh
. tests/vm/kexec_lib.sh

case $ARCH in
x86_64)
	FW=/usr/share/ovmf/OVMF.fd
	FW_PKG=ovmf
	SB_CODE=/usr/share/OVMF/OVMF_CODE_4M.secboot.fd
	SB_VARS=/usr/share/OVMF/OVMF_VARS_4M.ms.fd
	tests="fw-ovmf-file fw-ovmf-load fw-ovmf-elf fw-ovmf-kdump fw-seabios-load fw-ovmf-secureboot"
	;;
arm64)
	FW=/usr/share/qemu-efi-aarch64/QEMU_EFI.fd
	FW_PKG=qemu-efi-aarch64
	UBOOT=/usr/lib/u-boot/qemu_arm64/u-boot.bin
	tests="fw-aavmf-dt fw-aavmf-acpi fw-uboot"
	;;
arm)
	UBOOT=/usr/lib/u-boot/qemu_arm/u-boot.bin
	FW=$UBOOT
	FW_PKG=u-boot-qemu
	tests="fw-uboot"
	;;
*)
	exit 0
	;;
esac
why=$(vm_missing)
for f in "$FW" ${UBOOT:-} ${SB_CODE:-} ${SB_VARS:-}; do
	if [ -z "$why" ] && [ ! -f "$f" ]; then
		why="no $f (Debian's $FW_PKG and u-boot-qemu: make deps)"
	fi
done
for tool in sfdisk mkfs.ext4 mkfs.vfat mcopy; do
	if [ -z "$why" ] && ! PATH=$PATH:/usr/sbin:/sbin command -v $tool >/dev/null; then
		why="$tool not installed (make deps)"
	fi
done
if [ -n "$why" ]; then
	vm_missing_all "$why" $tests
	exit 0
fi
KERNEL=$(tests/debian.sh kernel "$ARCH")
BUSYBOX=$(tests/debian.sh busybox "$ARCH")
m=$$

# stage 1: hop as /bin/kexec, /test, /fw-report, the kernel and stage 2;
# the ELF vmlinux (about 50 MB) in an uncompressed cpio appended for
# fw-ovmf-elf only
# both with efivarfs (a module of Debian's kernel): the variables listed
# are what the runtime services answer
d=$V/fw.root
rm -rf "$d" && mkdir -p "$d/boot"
if [ "$ARCH" != arm ]; then
	export MODULES=efivarfs KMOD_ROOT=${KERNEL%/boot/*} \
		KMOD_REL=${KERNEL##*/vmlinuz-}
fi
initramfs/build.sh build/host/mkcpio none "$BUSYBOX" "$d/boot/stage2.cpio.gz" \
	tests/vm/stage2
rm -f "$d/boot/stage2.cpio.gz.list" "$d/boot/stage2.cpio.gz.modules.dep"
cp "$KERNEL" "$d/boot/vmlinuz"
cp tests/vm/kexec/firmware.init "$d/test"
cp tests/vm/stage2/fw-report "$d/fw-report"
chmod 0755 "$d/test" "$d/fw-report"
initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" "$V/fw.cpio.gz" "$d"
unset MODULES KMOD_ROOT KMOD_REL
if [ "$ARCH" != x86_64 ]; then
	:
elif ! extract_vmlinux "$V/vmlinux"; then
	echo "FAIL vm/$ARCH/fw-ovmf-elf: no ELF vmlinux in $KERNEL's payload"
	tests=$(echo "$tests" | sed 's/fw-ovmf-elf //')
else
	{
		echo "dir /boot 0755"
		echo "file /boot/vmlinux $V/vmlinux 0644"
	} >"$V/fw-vmlinux.list"
	cp "$V/fw.cpio.gz" "$V/fw-elf.img"
	pad=$(( (4 - $(wc -c <"$V/fw-elf.img") % 4) % 4 ))
	head -c "$pad" /dev/zero >>"$V/fw-elf.img"
	build/host/mkcpio "$V/fw-vmlinux.list" >>"$V/fw-elf.img"
	rm -f "$V/vmlinux"
fi

# fw_parity NAME [FIELD...]: stage 2's report equals stage 1's, but for
# the FIELDs named (mem: within 2 %)
fw_parity() {
	name=$1
	shift
	a=$(grep -a '^HOP-FW1 ' "$V/$name.log" | head -n1)
	b=$(grep -a '^HOP-FW2 ' "$V/$name.log" | head -n1)
	bad=
	for f in efi efivars acpi smbios lockdown cpus mem; do
		case " $* " in *" $f "*) continue ;; esac
		x=$(echo "$a" | tr ' ' '\n' | sed -n "s/^$f=//p")
		y=$(echo "$b" | tr ' ' '\n' | sed -n "s/^$f=//p")
		if [ "$f" = mem ]; then
			x=${x%M} y=${y%M}
			if [ -n "$x" ] && [ -n "$y" ] &&
				[ $(( (x - y) * 100 )) -le $((2 * x)) ] &&
				[ $(( (y - x) * 100 )) -le $((2 * x)) ]; then
				continue
			fi
		elif [ -n "$x" ] && [ "$x" = "$y" ]; then
			continue
		fi
		bad="$bad $f: '$x' before, '$y' after;"
	done
	if [ -z "$bad" ]; then
		echo "PASS vm/$ARCH/$name-parity: $(echo "$b" | cut -d' ' -f2-)"
	else
		echo "FAIL vm/$ARCH/$name-parity:$bad"
		echo "  before: $a"
		echo "  after:  $b"
	fi
}

# fw_boot NAME MODE FIRMWARE INITRD [APPEND]
fw_boot() {
	name=$1 mode=$2 firmware=$3 img=$4 extra=${5:-}
	case $firmware in
	ovmf) QEMU_ARGS="-machine q35 -bios $FW -cpu qemu64 -m 1024 -smp 2" ;;
	seabios) QEMU_ARGS="-machine pc -cpu qemu64 -m 1024 -smp 2" ;;
	aavmf-dt) QEMU_ARGS="-machine virt,acpi=off -bios $FW -cpu cortex-a57 -m 1024 -smp 2" ;;
	aavmf-acpi) QEMU_ARGS="-machine virt -bios $FW -cpu cortex-a57 -m 1024 -smp 2" ;;
	esac
	kx_boot "$name" "$img" "no_timer_check rdinit=/test HOP_FW_MODE=$mode HOP_TEST_MARK=$m $extra"
	echo "$KX_SECONDS" >"$V/$name.time"
}

# u-boot: a GPT disk with one ext4 partition holding the kernel, stage 1
# and /boot/extlinux/extlinux.conf; no fdt line: u-boot passes QEMU's tree
uboot_boot() {
	name=fw-uboot
	D=$V/fw-uboot
	rm -rf "$D" && mkdir -p "$D/fs/boot/extlinux"
	cp "$KERNEL" "$D/fs/boot/vmlinuz"
	cp "$V/fw.cpio.gz" "$D/fs/boot/initrd.img"
	printf 'default hop\nlabel hop\n\tkernel /boot/vmlinuz\n\tinitrd /boot/initrd.img\n\tappend console=%s panic=-1 rdinit=/test HOP_FW_MODE=auto HOP_TEST_MARK=%s\n' \
		"$CONSOLE" "$m" >"$D/fs/boot/extlinux/extlinux.conf"
	PATH=$PATH:/usr/sbin:/sbin mkfs.ext4 -q -F -d "$D/fs" "$D/part.img" 96M \
		>/dev/null
	truncate -s 100M "$D/disk.img"
	printf 'label: gpt\nstart=2048, size=196608, name="boot"\n' |
		PATH=$PATH:/usr/sbin:/sbin sfdisk -q "$D/disk.img"
	dd if="$D/part.img" of="$D/disk.img" bs=1M seek=1 conv=notrunc \
		status=none
	case $ARCH in
	arm64) cpu="-cpu cortex-a57 -smp 2" ;;
	# armmp under u-boot wants multi-threaded TCG; -smp 1 as lib.sh
	*) cpu="-cpu cortex-a15 -smp 1 -accel tcg,thread=multi" ;;
	esac
	log=$V/$name.log
	set -- $QEMU -machine virt $cpu -m 1024 -bios "$UBOOT" -nographic \
		-no-reboot -drive "if=none,file=$D/disk.img,format=raw,id=d0" \
		-device virtio-blk-device,drive=d0
	QEMU_CMD="$*"
	t0=$(date +%s)
	timeout "$VM_TIMEOUT" "$@" </dev/null >"$log" 2>&1 || :
	echo $(($(date +%s) - t0)) >"$V/$name.time"
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
	rm -rf "$D"
	vm_expect "$name" "^U-Boot 20" "extlinux" "^HOP-FW1 efi=no" \
		"^HOP-TEST load rc=0" \
		"^HOP-STAGE2 cmdline: .*HOP_MARKER=fw-auto-$m" \
		"^HOP-FW2 efi=no" "^HOP-STAGE2 ok" "reboot: Power down" \
		"!Kernel panic" "!hop: error"
	fw_parity "$name"
}

if [ "$ARCH" = arm ]; then
	uboot_boot
	exit 0
fi
if [ "$ARCH" = arm64 ]; then
	uboot_boot
	for kind in dt acpi; do
		fw_boot "fw-aavmf-$kind" auto "aavmf-$kind" "$V/fw.cpio.gz"
		vm_expect "fw-aavmf-$kind" "^HOP-FW1 efi=yes" \
			"^HOP-TEST load rc=0" \
			"^HOP-STAGE2 cmdline: .*HOP_MARKER=fw-auto-$m" \
			"^HOP-FW2 efi=yes" "^HOP-STAGE2 ok" "reboot: Power down" \
			"!Kernel panic" "!hop: error"
		fw_parity "fw-aavmf-$kind"
	done
	exit 0
fi

for mode in file load elf; do
	case " $tests " in *" fw-ovmf-$mode "*) ;; *) continue ;; esac
	img=$V/fw.cpio.gz
	[ "$mode" = elf ] && img=$V/fw-elf.img
	fw_boot "fw-ovmf-$mode" "$mode" ovmf "$img"
	vm_expect "fw-ovmf-$mode" "^HOP-FW1 efi=yes" \
		"^HOP-TEST load rc=0" \
		"^HOP-STAGE2 cmdline: .*HOP_MARKER=fw-$mode-$m" \
		"^HOP-FW2 efi=yes" "^HOP-STAGE2 ok" "reboot: Power down" \
		"!A valid RSDP was not found" "!DMI not present" \
		"!Kernel panic" "!hop: error"
	fw_parity "fw-ovmf-$mode"
done

fw_boot fw-ovmf-kdump kdump ovmf "$V/fw.cpio.gz" crashkernel=256M
vm_expect fw-ovmf-kdump "^HOP-FW1 efi=yes" "^HOP-TEST load rc=0" \
	"^HOP-STAGE2 cmdline: .*HOP_MARKER=fw-kdump-$m" "^HOP-STAGE2 vmcore: yes" \
	"^HOP-FW2 efi=yes" "^HOP-STAGE2 ok" \
	"!A valid RSDP was not found" "!DMI not present" "!hop: error"
fw_parity fw-ovmf-kdump cpus mem

fw_boot fw-seabios-load load seabios "$V/fw.cpio.gz"
vm_expect fw-seabios-load "^HOP-FW1 efi=no" "^HOP-TEST load rc=0" \
	"^HOP-STAGE2 cmdline: .*HOP_MARKER=fw-load-$m" "^HOP-FW2 efi=no" \
	"^HOP-STAGE2 ok" "reboot: Power down" "!Kernel panic" "!hop: error"
fw_parity fw-seabios-load

# Secure Boot: an ESP with Debian's signed shim (as the removable-media
# loader) and grub, whose grub.cfg starts the signed kernel; stage 1 also
# holds the kernel with its signature cut off (the certificate table's
# entry zeroed, the file cut where the signature began)
SB=$(tests/debian.sh secureboot "$ARCH" 2>"$V/sb.err") || {
	echo "FAIL vm/$ARCH/fw-ovmf-secureboot: $(tail -n1 "$V/sb.err")"
	exit 0
}
D=$V/fw-sb
rm -rf "$D" && mkdir -p "$D/root/boot"
cp -a "$V/fw.root/." "$D/root/"
cp tests/vm/kexec/secureboot.init "$D/root/test"
k=$D/root/boot/vmlinuz.unsigned
cp "$KERNEL" "$k"
u32() { od -An -tu4 -j "$1" -N4 "$k" | tr -d ' '; }
pe=$(u32 60)
dd=$((pe + 24 + 112 + 32))	# PE32+: the certificate table's entry
sig=$(u32 "$dd")
printf '\0\0\0\0\0\0\0\0' | dd of="$k" bs=1 seek="$dd" conv=notrunc status=none
truncate -s "$sig" "$k"
MODULES=efivarfs KMOD_ROOT=${KERNEL%/boot/*} KMOD_REL=${KERNEL##*/vmlinuz-} \
	initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" "$D/initrd.img" \
	"$D/root"
mkdir -p "$D/esp/EFI/BOOT"
cp "$SB/shimx64.efi" "$D/esp/EFI/BOOT/BOOTX64.EFI"
cp "$SB/grubx64.efi" "$D/esp/EFI/BOOT/grubx64.efi"
printf 'set timeout=0\nlinux /vmlinuz console=ttyS0 panic=-1 no_timer_check rdinit=/test HOP_TEST_MARK=%s\ninitrd /initrd.img\nboot\n' \
	"$m" >"$D/esp/EFI/BOOT/grub.cfg"
PATH=$PATH:/usr/sbin:/sbin mkfs.vfat -C -n ESP "$D/esp.img" 131072 >/dev/null
mcopy -s -i "$D/esp.img" "$D/esp/EFI" ::/
mcopy -i "$D/esp.img" "$KERNEL" ::/vmlinuz
mcopy -i "$D/esp.img" "$D/initrd.img" ::/initrd.img
cp "$SB_VARS" "$D/vars.fd"
name=fw-ovmf-secureboot
log=$V/$name.log
set -- $QEMU -machine q35,smm=on -cpu qemu64 -m 1024 -smp 2 \
	-global driver=cfi.pflash01,property=secure,value=on \
	-drive "if=pflash,format=raw,unit=0,readonly=on,file=$SB_CODE" \
	-drive "if=pflash,format=raw,unit=1,file=$D/vars.fd" \
	-drive "file=$D/esp.img,if=virtio,format=raw" -nographic -no-reboot
QEMU_CMD="$*"
t0=$(date +%s)
timeout "$VM_TIMEOUT" "$@" </dev/null >"$log" 2>&1 || :
echo $(($(date +%s) - t0)) >"$V/$name.time"
tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
rm -rf "$D"
vm_expect "$name" "Secure boot enabled" \
	"^HOP-FW1 efi=yes .*lockdown=integrity" \
	"^hop: error: /boot/vmlinuz: kexec_load: EACCES \(refused by IMA or a security module, kernel lockdown: integrity: kexec_load's segments come with no file or signature to appraise; a signed image loads through kexec_file_load\)" \
	"^HOP-TEST kexec_load rc=1 loaded=0" \
	"^hop: error: /boot/vmlinuz.unsigned: kexec_file_load: ENODATA: the image is not signed \(kernel lockdown: integrity; only an image signed with a trusted key loads\); not falling back to kexec_load" \
	"^HOP-TEST unsigned rc=1 loaded=0" \
	"^hop: loaded via kexec_file_load" "^HOP-TEST signed rc=0 loaded=1" \
	"^HOP-STAGE2 cmdline: .*HOP_MARKER=sb-$m" \
	"^HOP-FW2 efi=yes .*lockdown=integrity" "^HOP-STAGE2 ok" \
	"!Kernel panic"
fw_parity "$name"
