#!/bin/sh
# What kexec_file_load cannot boot on x86_64 (issue 9), reached by
# hop.syscall=auto through the ENOEXEC fallback to kexec_load:
#  elf_vmlinux  the ELF vmlinux inside Debian's bzImage (its payload,
#               decompressed here), entered at its 64-bit entry with
#               rsi = boot_params; stage 2 runs as after a bzImage
#  elf32        the test kernel of tests/multiboot/ without a header, a
#               plain ELF32 kernel: 32-bit entry with esi = boot_params
#  multiboot1   the test kernel of tests/multiboot/ as a multiboot v1 ELF
#  multiboot2   the same as a multiboot2 flat binary (address tag)
#  multiboot_grub  hop.config=grub.cfg, hop.entry=ID: the entry's
#               multiboot and module lines (one with --nounzip)
#  multiboot_syslinux  hop.config=isolinux.cfg: an ISO's menu (DEFAULT
#               vesamenu.c32, a COM32 label, MENU DEFAULT on the third
#               label) whose default is a Xen-style mboot.c32 entry, its
#               paths relative to the configuration's folder
#  multiboot_esxi  hop.config=boot.cfg in ESXi's format: kernel= with
#               kernelopt=, modules= with arguments, prefix=
#  multiboot_esxi_many  an ESXi 8 sized boot.cfg: 60 modules (kexec_load
#               takes 16 segments: hop packs them into one), of sizes
#               from 1 byte to about 200 KB, each checked by the test
#               kernel (page aligned, in order, size, bytes, string)
#  multiboot_kexec  hop as /bin/kexec: "kexec -l mb1.elf.gz --module=..."
#               twice (gzip'd kernel, two modules), -S, -e
#  xen          Debian's Xen hypervisor (xen-*.gz: gzip'd, multiboot2)
#               with Debian's kernel and the stage-2 initrd as modules:
#               Xen names hop as its boot loader, builds dom0 from the first
#               module with that module's command line and the second as
#               its initrd, and dom0 runs /init (the cloud kernel has no
#               CONFIG_XEN_DOM0 console, so stage 2's own lines are not
#               seen; its poweroff halts dom0, and Xen the machine)
# The test kernel prints its magic, command line, memory map and checks
# its module's bytes (hop.module="FILE seed=S size=N"), then powers off.
ARCH=x86_64
. tests/vm/lib.sh
. tests/vm/kexec_lib.sh

tests="elf_vmlinux elf32 multiboot1 multiboot2 multiboot_grub multiboot_syslinux multiboot_esxi multiboot_esxi_many multiboot_kexec xen"
why=$(vm_missing)
if [ -z "$why" ] && ! make -s --no-print-directory multiboot-kernels build/host/mkcpio >"$V/mbk.log" 2>&1; then
	why="the multiboot test kernel does not build: $(tail -n1 "$V/mbk.log")"
fi
if [ -n "$why" ]; then
	vm_missing_all "$why" $tests
	exit 0
fi
KERNEL=$(tests/debian.sh kernel "$ARCH")
BUSYBOX=$(tests/debian.sh busybox "$ARCH")

vm_prepare
m=$$
rm -rf "$V/mb" && mkdir -p "$V/mb/boot"
cp build/multiboot/mb0.elf build/multiboot/mb1.elf build/multiboot/mb2.bin \
	"$V/mb/boot/"
seed=$m size=300001
build/multiboot/mkmod "$seed" "$size" >"$V/mb/boot/mod.bin"
seed2=$((m + 1)) size2=4097
build/multiboot/mkmod "$seed2" "$size2" >"$V/mb/boot/mod2.bin"
cp "$V/stage1/boot/stage2.cpio.gz" "$V/mb/boot/"
# multiboot_grub: a grub.cfg multiboot entry with two module lines, the
# second with --nounzip (grub's syntax, hop's strings: "PATH ARGS")
mkdir -p "$V/mb/boot/grub"
cat >"$V/mb/boot/grub/grub.cfg" <<EOF
set default=0
menuentry 'Debian GNU/Linux' --id linux {
	linux /boot/vmlinuz-missing root=/dev/vda
}
menuentry 'Multiboot test kernel' --id mbtest {
	echo 'Loading the test kernel ...'
	multiboot /boot/mb1.elf HOP_MARKER=mbg-$m
	module /boot/mod.bin seed=$seed size=$size
	module --nounzip /boot/mod2.bin seed=$seed2 size=$size2
}
EOF
# multiboot_syslinux: what an ISO's isolinux.cfg writes for Xen (Qubes,
# XenServer): mboot.c32, "---" between the kernel and each module
mkdir -p "$V/mb/isolinux"
cat >"$V/mb/isolinux/isolinux.cfg" <<EOF
default vesamenu.c32
timeout 10
menu title Multiboot test
label hdt
  menu label ^Hardware
  com32 hdt.c32
label linux
  menu label ^Linux
  kernel /boot/vmlinuz-missing
label mbtest
  menu label ^Multiboot test kernel
  menu default
  kernel mboot.c32
  append ../boot/mb1.elf HOP_MARKER=mbs-$m --- ../boot/mod.bin seed=$seed size=$size
EOF
# multiboot_esxi: ESXi's boot.cfg, relative paths under prefix=
mkdir -p "$V/mb/esxi"
cat >"$V/mb/esxi/boot.cfg" <<EOF
bootstate=0
title=Loading ESXi test
timeout=1
prefix=/boot
kernel=mb1.elf
kernelopt=HOP_MARKER=mbe-$m
modules=mod.bin seed=$seed size=$size --- mod2.bin seed=$seed2 size=$size2
build=7.0.3-0.0.18644231
updated=1
EOF
# multiboot_esxi_many: ESXi 8's boot.cfg lists its modules in one line,
# "modules=jumpstrt.gz --- useropts.gz --- ...", relative to prefix=;
# ESXi's first names, then numbered .v00 payloads as its VIBs' (60 in all)
mkdir -p "$V/mb/esxi8"
nmany=60 mods= i=0
while [ $i -lt $nmany ]; do
	case $i in
	0) n=jumpstrt.gz ;; 1) n=useropts.gz ;; 2) n=features.gz ;;
	3) n=k.b00 ;; 4) n=uc_intel.b00 ;; 5) n=uc_amd.b00 ;;
	6) n=uc_hygon.b00 ;; 7) n=procfs.b00 ;; 8) n=vmx.v00 ;;
	9) n=vim.v00 ;; 10) n=tpm.v00 ;; 11) n=sb.v00 ;; 12) n=s.v00 ;;
	*) n=$(printf 'vib%02d.v00' "$i") ;;
	esac
	# sizes across page boundaries: 1, 4095, 4096, 4097, then spread
	case $i in
	0) sz=1 ;; 1) sz=4095 ;; 2) sz=4096 ;; 3) sz=4097 ;;
	*) sz=$(( (i * 7919 * 13) % 200000 + 1 )) ;;
	esac
	build/multiboot/mkmod $((m + 100 + i)) $sz >"$V/mb/esxi8/$n"
	mods="$mods${mods:+ --- }$n seed=$((m + 100 + i)) size=$sz"
	last="$n seed=$((m + 100 + i)) size=$sz"
	i=$((i + 1))
done
cp build/multiboot/mb1.elf "$V/mb/esxi8/b.b00"
cat >"$V/mb/esxi8/boot.cfg" <<EOF
bootstate=0
title=Loading VMware ESXi
timeout=5
prefix=/esxi8
kernel=b.b00
kernelopt=autoPartition=FALSE HOP_MARKER=mbm-$m
modules=$mods
build=8.0.2-0.0.22380479
updated=1
EOF
initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" "$V/mb.cpio.gz" \
	"$V/mb"
# the vmlinux (about 50 MB) rides in an uncompressed cpio appended to the
# gzip'd one, as vm_prepare does for big.cpio: no gzip on every run, no
# inflate under TCG
if ! extract_vmlinux "$V/vmlinux"; then
	echo "FAIL vm/$ARCH/elf_vmlinux: no ELF vmlinux in $KERNEL's payload"
else
	{
		echo "dir /boot 0755"
		echo "file /boot/vmlinux $V/vmlinux 0644"
	} >"$V/vmlinux.list"
	cp "$V/mb.cpio.gz" "$V/elf.img"
	pad=$(( (4 - $(wc -c <"$V/elf.img") % 4) % 4 ))
	head -c "$pad" /dev/zero >>"$V/elf.img"
	build/host/mkcpio "$V/vmlinux.list" >>"$V/elf.img"
	rm -f "$V/vmlinux"
	vm_boot elf_vmlinux "hop.kernel=/boot/vmlinux hop.initrd=/boot/stage2.cpio.gz hop.append=HOP_MARKER=elf-$m hop.onfail=poweroff" "$V/elf.img"
	rm -f "$V/elf.img"
	vm_expect elf_vmlinux "^hop: fallback: kexec_file_load: ENOEXEC" \
		"^hop: loaded via kexec_load" "^hop: exec$" \
		"Kernel command line: .*HOP_MARKER=elf-$m" \
		"^HOP-STAGE2 cmdline: .*HOP_MARKER=elf-$m" "^HOP-STAGE2 ok" \
		"!Kernel panic" "!hop: error"
fi

vm_boot elf32 "hop.kernel=/boot/mb0.elf hop.append=HOP_MARKER=elf32-$m hop.onfail=poweroff" "$V/mb.cpio.gz"
vm_expect elf32 "^hop: fallback: kexec_file_load: ENOEXEC" \
	"^hop: loaded via kexec_load" "^hop: exec$" \
	"^HOP-MB linux32: HdrS, version 0x0000020f, cmdline: console=$CONSOLE panic=-1 HOP_MARKER=elf32-$m\$" \
	"^HOP-MB done\$" "!HOP-MB FAIL" "!hop: error" "!timed out"

for v in 1 2; do
	k=/boot/mb1.elf
	[ $v = 2 ] && k=/boot/mb2.bin
	vm_boot multiboot$v "hop.kernel=$k hop.module=\"/boot/mod.bin seed=$seed size=$size\" hop.append=HOP_MARKER=mb$v-$m hop.onfail=poweroff" "$V/mb.cpio.gz"
	vm_expect multiboot$v "^hop: fallback: kexec_file_load: ENOEXEC" \
		"^hop: loaded via kexec_load" "^hop: exec$" \
		"^HOP-MB magic: v$v\$" "^HOP-MB loader: hop\$" \
		"^HOP-MB cmdline: $k console=$CONSOLE panic=-1 HOP_MARKER=mb$v-$m\$" \
		"^HOP-MB mmap: [0-9]+ entries, 10[0-9][0-9] MiB RAM\$" \
		"^HOP-MB module string: /boot/mod.bin seed=$seed size=$size\$" \
		"^HOP-MB module: OK $size bytes at 0x" "^HOP-MB modules: 1\$" \
		"^HOP-MB done\$" "!HOP-MB FAIL" "!hop: error" "!timed out"
done

# the agent reads a grub.cfg entry with multiboot and module lines
vm_boot multiboot_grub "hop.config=/boot/grub/grub.cfg hop.entry=mbtest hop.onfail=poweroff" "$V/mb.cpio.gz"
vm_expect multiboot_grub "^hop: fallback: kexec_file_load: ENOEXEC" \
	"^hop: loaded via kexec_load" "^hop: exec$" "^HOP-MB magic: v1\$" \
	"^HOP-MB cmdline: /boot/mb1.elf HOP_MARKER=mbg-$m" \
	"^HOP-MB module string: /boot/mod.bin seed=$seed size=$size\$" \
	"^HOP-MB module: OK $size bytes at 0x" \
	"^HOP-MB module string: /boot/mod2.bin seed=$seed2 size=$size2\$" \
	"^HOP-MB module: OK $size2 bytes at 0x" "^HOP-MB modules: 2\$" \
	"^HOP-MB done\$" "!HOP-MB FAIL" "!hop: error" "!timed out"

# the agent reads an isolinux.cfg: its default is the MENU DEFAULT label
# (DEFAULT names the menu module), a mboot.c32 entry
vm_boot multiboot_syslinux "hop.config=/isolinux/isolinux.cfg hop.onfail=poweroff" "$V/mb.cpio.gz"
vm_expect multiboot_syslinux "^hop: config: /isolinux/isolinux.cfg \\(extlinux\\): 2 entries, default \"mbtest\"" \
	"^hop: loaded via kexec_load" "^hop: exec$" "^HOP-MB magic: v1\$" \
	"^HOP-MB cmdline: /isolinux/../boot/mb1.elf HOP_MARKER=mbs-$m" \
	"^HOP-MB module string: ../boot/mod.bin seed=$seed size=$size\$" \
	"^HOP-MB module: OK $size bytes at 0x" "^HOP-MB modules: 1\$" \
	"^HOP-MB done\$" "!HOP-MB FAIL" "!hop: error" "!timed out"

# and ESXi's boot.cfg, told from kexecboot's by its text
vm_boot multiboot_esxi "hop.config=/esxi/boot.cfg hop.onfail=poweroff" "$V/mb.cpio.gz"
vm_expect multiboot_esxi "^hop: config: /esxi/boot.cfg \\(ESXi\\): 1 entr" \
	"^hop: loaded via kexec_load" "^hop: exec$" "^HOP-MB magic: v1\$" \
	"^HOP-MB cmdline: /boot/mb1.elf HOP_MARKER=mbe-$m" \
	"^HOP-MB module string: mod.bin seed=$seed size=$size\$" \
	"^HOP-MB module: OK $size bytes at 0x" \
	"^HOP-MB module string: mod2.bin seed=$seed2 size=$size2\$" \
	"^HOP-MB module: OK $size2 bytes at 0x" "^HOP-MB modules: 2\$" \
	"^HOP-MB done\$" "!HOP-MB FAIL" "!hop: error" "!timed out"

# 60 modules in one segment, the plan 4 segments; each module checked
vm_boot multiboot_esxi_many "hop.config=/esxi8/boot.cfg hop.debug=1 hop.onfail=poweroff" "$V/mb.cpio.gz"
vm_expect multiboot_esxi_many "^hop: config: /esxi8/boot.cfg \\(ESXi\\): 1 entr" \
	"^hop: plan: multiboot .*, 4 segments" \
	"^hop: plan: 0x[0-9a-f]+-0x[0-9a-f]+ +[0-9]+ modules \\([0-9]+ bytes\\)" \
	"^hop: loaded via kexec_load" "^hop: exec$" "^HOP-MB magic: v1\$" \
	"^HOP-MB cmdline: /esxi8/b.b00 autoPartition=FALSE HOP_MARKER=mbm-$m" \
	"^HOP-MB module string: jumpstrt.gz seed=$((m + 100)) size=1\$" \
	"^HOP-MB module string: $last\$" \
	"^HOP-MB modules: $nmany\$" "^HOP-MB modules checked: $nmany\$" \
	"^HOP-MB done\$" "!HOP-MB FAIL" "!hop: error" "!timed out"

# the kexec applet: a gzip'd kernel (inflated, then probed) and two modules
d=$V/multiboot_kexec.root
rm -rf "$d" && mkdir -p "$d/boot"
gzip -9n <build/multiboot/mb1.elf >"$d/boot/mb1.elf.gz"
cp "$V/mb/boot/mod.bin" "$V/mb/boot/stage2.cpio.gz" "$d/boot/"
cp tests/vm/kexec/multiboot.init "$d/test"
chmod 0755 "$d/test"
initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" \
	"$V/multiboot_kexec.cpio.gz" "$d"
kx_boot multiboot_kexec "$V/multiboot_kexec.cpio.gz" \
	"rdinit=/test HOP_TEST_MARK=$m MB_SEED=$seed MB_SIZE=$size"
vm_expect multiboot_kexec "^HOP-TEST load rc=0\$" "^HOP-TEST status rc=0\$" \
	"^hop: exec\$" "^HOP-MB magic: v1\$" \
	"^HOP-MB cmdline: /boot/mb1.elf.gz HOP_MARKER=mbk-$m\$" \
	"^HOP-MB module string: /boot/mod.bin seed=$seed size=$size\$" \
	"^HOP-MB module: OK $size bytes at 0x" "^HOP-MB modules: 2\$" \
	"^HOP-MB module string: /boot/stage2.cpio.gz second\$" \
	"^HOP-MB module: unchecked [0-9]+ bytes\$" \
	"^HOP-MB done\$" "!HOP-MB FAIL" "!HOP-TEST exec returned" \
	"!hop: error" "!timed out"

# Xen: QEMU is stopped once Xen reports dom0 gone (Xen halts, it does not
# power off)
if ! XEN=$(tests/debian.sh xen "$ARCH" 2>"$V/xen-fetch.err"); then
	if [ "${CI:-}" = true ]; then
		echo "FAIL vm/$ARCH/xen: $(tail -n1 "$V/xen-fetch.err")"
	else
		echo "SKIP vm/$ARCH/xen: $(tail -n1 "$V/xen-fetch.err")"
	fi
	exit 0
fi
d=$V/xen.root
rm -rf "$d" && mkdir -p "$d/boot"
cp "$XEN" "$d/boot/xen.gz"
cp "$KERNEL" "$d/boot/vmlinuz"
cp "$V/mb/boot/stage2.cpio.gz" "$d/boot/"
initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" "$V/xen.cpio.gz" "$d"
log=$V/xen.log
set -- $QEMU $QEMU_ARGS -nographic -no-reboot -kernel "$KERNEL" \
	-initrd "$V/xen.cpio.gz" -append "console=$CONSOLE panic=-1 hop.kernel=/boot/xen.gz hop.module=\"/boot/vmlinuz console=hvc0 earlyprintk=xen panic=1 HOP_MARKER=xen-$m\" hop.module=/boot/stage2.cpio.gz hop.cmdline=\"console=com1 com1=115200,8n1 dom0_mem=512M\" hop.onfail=poweroff"
QEMU_CMD="$*"
start=$(date +%s)
timeout "$VM_TIMEOUT" "$@" </dev/null >"$log" 2>&1 &
qpid=$!
while kill -0 "$qpid" 2>/dev/null; do
	if grep -aqE 'Hardware Dom0 (halted|crashed|shutdown)' "$log"; then
		kill "$qpid" 2>/dev/null
		break
	fi
	sleep 2
done
wait "$qpid" 2>/dev/null || :
echo $(( $(date +%s) - start )) >"$V/xen.time"
tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
vm_expect xen "^hop: fallback: kexec_file_load: ENOEXEC" \
	"^hop: loaded via kexec_load" "^hop: exec\$" \
	"^\(XEN\) Bootloader: hop\$" \
	"^\(XEN\) Command line: console=com1 com1=115200,8n1 dom0_mem=512M\$" \
	"^\(XEN\)  Dom0 kernel: 64-bit" "^\(XEN\)  Init. ramdisk: " \
	"Kernel command line: console=hvc0 earlyprintk=xen panic=1 HOP_MARKER=xen-$m\$" \
	"Run /init as init process" "Hardware Dom0 halted" "!hop: error"
