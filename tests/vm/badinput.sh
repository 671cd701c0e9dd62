#!/bin/sh
# Bad input end to end, grouped in one boot: each case gets one
# "hop: error:" line naming the file and the reason, exit code 1, and
# /sys/kernel/kexec_loaded stays 0 (no partial load left behind). Also:
# FIFOs and devices refused without blocking, security keys that fail
# closed, and the agent run as an ordinary process loads but never jumps.
ARCH=x86_64
. tests/vm/lib.sh
vm_start badinput
rm -rf "$V/bad" && mkdir -p "$V/bad/boot"
cp "$KERNEL" "$V/bad/boot/vmlinuz"
cp tests/vm/badinput-init "$V/bad/badinput-init"
initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" "$V/bad.cpio.gz" \
	"$V/bad"
log=$V/badinput.log
set -- $QEMU $QEMU_ARGS -nographic -no-reboot -kernel "$KERNEL" \
	-initrd "$V/bad.cpio.gz" -append "console=$CONSOLE panic=-1 rdinit=/badinput-init"
QEMU_CMD="$*"
timeout "$VM_TIMEOUT" "$@" </dev/null >"$log" 2>&1 || :
tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
vm_expect badinput \
	"^hop: error: /boot/missing: open: ENOENT" \
	"^hop: error: /tmp/empty: open: ENODATA \(the file is empty\)" \
	"^hop: error: /tmp/truncated: bzImage: truncated: syssize at 0x1f4" \
	"^hop: error: /tmp/random: kexec_load: not an image format hop can load on this arch \(bzImage, multiboot2, multiboot, ELF\)" \
	"^hop: error: /tmp/arm64.img: kexec_load: not an image format hop can load on this arch \(bzImage, multiboot2, multiboot, ELF\)" \
	"^hop: error: /boot: open: EISDIR \(Is a directory\)" \
	"^hop: error: /tmp/fifo: open: EINVAL \(not a regular file\)" \
	"^hop: error: /dev/zero: open: EINVAL \(not a regular file\)" \
	"^hop: error: hop.kernel.sha256: needs a value" \
	"^hop: error: hop.kernel.sha256: .*refusing to boot" \
	"^hop: error: hop.initrd: more than 16 files: refusing to boot" \
	"^hop: error: hop.\*: 1 key\(s\) this hop cannot honour \(each said above\): nothing is booted" \
	"^hop: error: hop.cmdline.sha256: SHA-256 mismatch: the command line \"x\" has 2d711642b726b04401627ca9fbac32f5c8530fb1903cc4db02258717921a4881" \
	"^hop: loaded; not PID 1, so not executing it" \
	"^hop: error: /tmp/badmb: multiboot: header at 0x40: bad checksum \(magic \+ flags \+ checksum is not 0\)" \
	"^hop: error: /tmp/short.elf: ELF: truncated: the file is 40 bytes, the ELF header 64" \
	"^hop: error: /boot/vmlinuz: module: a bzImage kernel takes no modules \(only multiboot kernels do\)" \
	"^hop: error: /boot/vmlinuz: no room for the initrd" \
	"^hop: error: /boot/vmlinuz: bzImage: the command line is 3000 bytes, the kernel takes at most 2047" \
	"^hop: warning: hop.bogus: unknown key, ignored" \
	"^HOP-BAD missing rc=1 loaded=0" "^HOP-BAD empty rc=1 loaded=0" \
	"^HOP-BAD truncated rc=1 loaded=0" "^HOP-BAD random rc=1 loaded=0" \
	"^HOP-BAD otherarch rc=1 loaded=0" "^HOP-BAD directory rc=1 loaded=0" \
	"^HOP-BAD badmultiboot rc=1 loaded=0" "^HOP-BAD shortelf rc=1 loaded=0" \
	"^HOP-BAD modulebz rc=1 loaded=0" \
	"^HOP-BAD hugeinitrd rc=1 loaded=0" "^HOP-BAD longcmdline rc=1 loaded=0" \
	"^HOP-BAD fifo rc=1 loaded=0" "^HOP-BAD chardev rc=1 loaded=0" \
	"^HOP-BAD pinempty rc=1 loaded=0" "^HOP-BAD pinshort rc=1 loaded=0" \
	"^HOP-BAD initrds17 rc=1 loaded=0" "^HOP-BAD cmdlinepin rc=1 loaded=0" \
	"^HOP-BAD notpid1 rc=0 loaded=1" "^HOP-BAD unloaded loaded=0" \
	"^HOP-BAD unknownkey rc=1 loaded=0" "^HOP-BAD done" "!Kernel panic" \
	"!hop: exec"
