# Shared by the VM tests: sourced with ARCH set, from the repository root.
# Each test boots Debian's kernel under QEMU (TCG) with an initramfs whose
# /init is hop, and reads the serial console. Outputs: build/vm/$ARCH/.
set -eu
: "${ARCH:?}"
V=build/vm/$ARCH
B=build/$ARCH
VM_TIMEOUT=${VM_TIMEOUT:-180}
mkdir -p "$V"

case $ARCH in
x86_64)
	QEMU=qemu-system-x86_64
	# qemu64: no LA57 or other features that -cpu max would add under TCG
	QEMU_ARGS="-machine pc -cpu qemu64 -m 1024 -smp 1"
	CONSOLE=ttyS0
	;;
*)
	echo "hop: error: ARCH=$ARCH: no VM tests for this arch yet" >&2
	exit 1
	;;
esac

# prints why the VM tests cannot run here, or nothing
vm_missing() {
	command -v "$QEMU" >/dev/null 2>&1 || { echo "$QEMU not installed"; return; }
	KERNEL=$(tests/debian.sh kernel "$ARCH" 2>"$V/fetch.err") ||
		{ echo "no kernel: $(tail -n1 "$V/fetch.err")"; return; }
	BUSYBOX=$(tests/debian.sh busybox "$ARCH" 2>"$V/fetch.err") ||
		{ echo "no busybox: $(tail -n1 "$V/fetch.err")"; return; }
}

# builds the next kernel's initramfs pieces and the stage-1 initramfs:
# /boot/vmlinuz (the same kernel), /boot/stage2.cpio.gz (busybox and a
# reporting /init), /boot/extra.cpio (one file, uncompressed)
vm_prepare() {
	rm -rf "$V/stage1" "$V/extra"
	mkdir -p "$V/stage1/boot" "$V/extra"
	initramfs/build.sh build/host/mkcpio none "$BUSYBOX" \
		"$V/stage1/boot/stage2.cpio.gz" tests/vm/stage2
	echo "HOP-EXTRA-OK" >"$V/extra/hop-extra"
	printf 'file /hop-extra %s 0644\n' "$V/extra/hop-extra" >"$V/extra.list"
	build/host/mkcpio "$V/extra.list" >"$V/stage1/boot/extra.cpio"
	cp "$KERNEL" "$V/stage1/boot/vmlinuz"
	initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" \
		"$V/stage1.cpio.gz" "$V/stage1"
}

# vm_boot NAME APPEND: boots stage 1, serial console to $V/NAME.log
vm_boot() {
	name=$1 append=$2
	log=$V/$name.log
	set -- $QEMU $QEMU_ARGS -nographic -no-reboot -kernel "$KERNEL" \
		-initrd "$V/stage1.cpio.gz" \
		-append "console=$CONSOLE panic=-1 $append"
	QEMU_CMD="$*"
	timeout "$VM_TIMEOUT" "$@" </dev/null >"$log" 2>&1 && rc=0 || rc=$?
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
	if [ "$rc" = 124 ]; then
		echo "timed out after ${VM_TIMEOUT}s" >>"$log"
	fi
}

# vm_expect NAME PATTERN...: every extended regex must match a line of
# the log; a pattern starting with ! must match none. Prints PASS or FAIL
# with the QEMU command and the last serial lines.
vm_expect() {
	name=$1
	shift
	bad=
	for pat in "$@"; do
		case $pat in
		!*) if grep -Eq -- "${pat#!}" "$V/$name.log"; then bad="$bad
  found: ${pat#!}"; fi ;;
		*) if ! grep -Eq -- "$pat" "$V/$name.log"; then bad="$bad
  missing: $pat"; fi ;;
		esac
	done
	if [ -z "$bad" ]; then
		echo "PASS vm/$ARCH/$name"
		return 0
	fi
	echo "FAIL vm/$ARCH/$name:$bad"
	echo "  qemu: $QEMU_CMD"
	echo "  last serial lines ($V/$name.log):"
	tail -n 40 "$V/$name.log" | sed 's/^/  | /'
}
