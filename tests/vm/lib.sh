# Shared by the VM tests: sourced with ARCH set, from the repository root.
# Each test boots Debian's kernel under QEMU (TCG) with an initramfs whose
# /init is hop, and reads the serial console. Outputs: build/vm/$ARCH/.
set -eu
: "${ARCH:?}"
# HOP_CONFIG: a build configuration other than full (make CONFIG=...):
# its binary, and outputs of its own
if [ -n "${HOP_CONFIG:-}" ] && [ "$HOP_CONFIG" != full ]; then
	V=build/vm/$ARCH-$HOP_CONFIG
	B=build/$ARCH-$HOP_CONFIG
else
	V=build/vm/$ARCH
	B=build/$ARCH
fi
# a test that passes takes 3-14 s under TCG on 2 cores (boot, kexec,
# second boot, sha256 of 16 MiB); a kexec that hangs costs the whole
# timeout, so it is generous but bounded: 9 VM tests x 120 s stays far
# below CI's budget even if every one hangs
VM_TIMEOUT=${VM_TIMEOUT:-120}
mkdir -p "$V"

# QEMU_MACHINE and QEMU_OPTS are kept apart so that the device tree dump
# (vm_prepare) uses exactly the machine, cpu and memory of the tests
DTB=
case $ARCH in
x86_64)
	QEMU=qemu-system-x86_64
	# qemu64: no LA57 or other features that -cpu max would add under TCG
	QEMU_MACHINE=pc
	QEMU_OPTS="-cpu qemu64 -m 1024 -smp 1"
	CONSOLE=ttyS0
	;;
arm64)
	QEMU=qemu-system-aarch64
	# virt's default GICv2 under TCG: no ITS tables to carry across kexec
	QEMU_MACHINE=virt
	QEMU_OPTS="-cpu cortex-a57 -m 1024 -smp 1"
	CONSOLE=ttyAMA0
	DTB=1
	;;
arm)
	QEMU=qemu-system-arm
	# Debian's armmp vmlinuz is a zImage; cortex-a15 runs the non-LPAE
	# armmp flavour; -smp 1: kexec needs no CPU hotplug then
	QEMU_MACHINE=virt
	QEMU_OPTS="-cpu cortex-a15 -m 1024 -smp 1"
	CONSOLE=ttyAMA0
	DTB=1
	;;
*)
	echo "hop: error: ARCH=$ARCH: no VM tests for this arch yet" >&2
	exit 1
	;;
esac
QEMU_ARGS="-machine $QEMU_MACHINE $QEMU_OPTS"

# prints why the VM tests cannot run here, or nothing
vm_missing() {
	command -v "$QEMU" >/dev/null 2>&1 || { echo "$QEMU not installed"; return; }
	KERNEL=$(tests/debian.sh kernel "$ARCH" 2>"$V/fetch.err") ||
		{ echo "no kernel: $(tail -n1 "$V/fetch.err")"; return; }
	BUSYBOX=$(tests/debian.sh busybox "$ARCH" 2>"$V/fetch.err") ||
		{ echo "no busybox: $(tail -n1 "$V/fetch.err")"; return; }
	# for vm_start, whose $(vm_missing) cannot set them: asking apt
	# which kernel is current takes seconds, once is enough
	echo "$KERNEL" >"$V/fetched.kernel"
	echo "$BUSYBOX" >"$V/fetched.busybox"
}

# vm_missing_all WHY TEST...: the VM tests cannot run here (vm_missing's
# answer): a SKIP line each, a FAIL line each under CI=true
vm_missing_all() {
	why=$1
	shift
	for t in "$@"; do
		if [ "${CI:-}" = true ]; then
			echo "FAIL vm/$ARCH/$t: $why (CI=true: VM tests may not skip)"
		else
			echo "SKIP vm/$ARCH/$t: $why"
		fi
	done
}

# the vmlinux of a bzImage: payload_offset/payload_length (0x248/0x24c)
# from the protected-mode part at (setup_sects + 1) * 512; compressed as
# its magic says, with the 4-byte decompressed size appended by the
# kernel's build after every format but gzip
extract_vmlinux() {	# extract_vmlinux OUT: $KERNEL's ELF vmlinux
	u8() { od -An -tu1 -j "$1" -N1 "$KERNEL" | tr -d ' '; }
	u32() { od -An -tu4 -j "$1" -N4 "$KERNEL" | tr -d ' '; }
	ss=$(u8 497)
	[ "$ss" -eq 0 ] && ss=4
	off=$(( (ss + 1) * 512 + $(u32 584) )) len=$(u32 588)
	tail -c +$((off + 1)) "$KERNEL" | head -c "$len" >"$V/payload"
	case $(head -c 4 "$V/payload" | od -An -tx1 | tr -d ' \n') in
	1f8b*) gzip -dc <"$V/payload" ;;
	02214c18) head -c $((len - 4)) "$V/payload" | lz4 -dc ;;
	28b52ffd) head -c $((len - 4)) "$V/payload" | zstd -dc ;;
	fd377a58) head -c $((len - 4)) "$V/payload" | xz -dc ;;
	*) echo "hop: error: $KERNEL: unknown payload compression" >&2; return 1 ;;
	esac >"$1"
	rm -f "$V/payload"
	[ "$(head -c 4 "$1" | od -An -tx1 | tr -d ' \n')" = 7f454c46 ]
}

# vm_start TEST...: every VM script's start: when the VM tests cannot run
# here, the SKIP (CI: FAIL) lines for TESTs and the script exits; else
# KERNEL and BUSYBOX are set
vm_start() {
	rm -f "$V/fetched.kernel" "$V/fetched.busybox"
	why=$(vm_missing)
	if [ -n "$why" ]; then
		vm_missing_all "$why" "$@"
		exit 0
	fi
	KERNEL=$(cat "$V/fetched.kernel")
	BUSYBOX=$(cat "$V/fetched.busybox")
}

# builds the next kernel's initramfs pieces and the stage-1 initramfs:
# /boot/vmlinuz (the same kernel), /boot/stage2.cpio.gz (busybox and a
# reporting /init), /boot/extra.cpio (one file, uncompressed),
# /boot/big.cpio (16 MiB of random bytes and their sha256, uncompressed)
# and, on device-tree arches, /boot/virt.dtb (the tree QEMU generates).
# $V/stage1.cpio.gz is the stage-1 initramfs without big.cpio,
# $V/stage1-big.img the same plus big.cpio (see vm_boot).
vm_prepare() {
	rm -rf "$V/stage1" "$V/extra" "$V/big"
	mkdir -p "$V/stage1/boot" "$V/extra" "$V/big/big"
	initramfs/build.sh build/host/mkcpio none "$BUSYBOX" \
		"$V/stage1/boot/stage2.cpio.gz" tests/vm/stage2
	echo "HOP-EXTRA-OK" >"$V/extra/hop-extra"
	printf 'file /hop-extra %s 0644\n' "$V/extra/hop-extra" >"$V/extra.list"
	build/host/mkcpio "$V/extra.list" >"$V/stage1/boot/extra.cpio"
	cp "$KERNEL" "$V/stage1/boot/vmlinuz"
	if [ -n "$DTB" ]; then
		# QEMU writes the tree it would hand the kernel and exits; same
		# machine, cpu and memory as the tests, so the RAM matches.
		# /chosen holds fresh kaslr-seed and rng-seed, no bootargs: hop
		# rewrites /chosen for the next kernel anyway
		$QEMU -machine "$QEMU_MACHINE,dumpdtb=$V/stage1/boot/virt.dtb" \
			$QEMU_OPTS -nographic </dev/null >"$V/dumpdtb.log" 2>&1 || {
			echo "hop: error: $QEMU dumpdtb: $(tail -n1 "$V/dumpdtb.log")" >&2
			exit 1
		}
	fi
	initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" \
		"$V/stage1.cpio.gz" "$V/stage1"

	# the big initrd: random bytes do not compress, so it is a real 16 MiB
	# on every path (file, memfd, segment, next kernel's unpacker); its
	# checksum travels along and stage 2's /init checks it
	head -c 16777216 /dev/urandom >"$V/big/big/data"
	(cd "$V/big" && sha256sum big/data >big.sha256)
	{
		echo "dir /big 0755"
		echo "file /big/data $V/big/big/data 0644"
		echo "file /big.sha256 $V/big/big.sha256 0644"
	} >"$V/big.list"
	build/host/mkcpio "$V/big.list" >"$V/big/big.cpio"
	# stage 1 with /boot/big.cpio: an uncompressed cpio appended to the
	# gzip'd one (the kernel unpacks concatenated archives; the gzip
	# member is padded to 4 bytes, where a newc header must start), so
	# the 16 MiB are not gzip'd on every run
	{
		echo "dir /boot 0755"
		echo "file /boot/big.cpio $V/big/big.cpio 0644"
	} >"$V/big-outer.list"
	cp "$V/stage1.cpio.gz" "$V/stage1-big.img"
	pad=$(( (4 - $(wc -c <"$V/stage1-big.img") % 4) % 4 ))
	head -c "$pad" /dev/zero >>"$V/stage1-big.img"
	build/host/mkcpio "$V/big-outer.list" >>"$V/stage1-big.img"
	rm -f "$V/big/big/data"
}

# vm_boot NAME APPEND [big|FILE]: boots stage 1 (with /boot/big.cpio if
# "big", or the initramfs FILE), serial console to $V/NAME.log, boot time
# in $V/NAME.time
vm_boot() {
	name=$1 append=$2
	log=$V/$name.log
	initrd=$V/stage1.cpio.gz
	if [ "${3:-}" = big ]; then
		initrd=$V/stage1-big.img
	elif [ -n "${3:-}" ]; then
		initrd=$3
	fi
	set -- $QEMU $QEMU_ARGS -nographic -no-reboot -kernel "$KERNEL" \
		-initrd "$initrd" -append "console=$CONSOLE panic=-1 $append"
	QEMU_CMD="$*"
	start=$(date +%s)
	timeout "$VM_TIMEOUT" "$@" </dev/null >"$log" 2>&1 && rc=0 || rc=$?
	echo $(( $(date +%s) - start )) >"$V/$name.time"
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
	if [ "$rc" = 124 ]; then
		echo "timed out after ${VM_TIMEOUT}s" >>"$log"
	fi
}

# vm_wait NAME PATTERN SECS: waits until a line of $V/NAME.log matches the
# extended regex (for the drivers of vm_boot_tty); 1 if it never does
vm_wait() {
	i=0
	while [ "$i" -lt $(( $3 * 2 )) ]; do
		grep -Eq -- "$2" "$V/$1.log" 2>/dev/null && return 0
		sleep 0.5
		i=$((i + 1))
	done
	return 1
}

# vm_boot_tty NAME APPEND DRIVER: vm_boot with someone at the console:
# the shell function DRIVER writes what is typed (its stdout is QEMU's
# stdin, the serial console's input) and uses vm_wait to read the
# answers; it must end with the VM, or the timeout ends both
vm_boot_tty() {
	name=$1 append=$2 drive=$3
	log=$V/$name.log
	rm -f "$V/$name.in" "$log"
	mkfifo "$V/$name.in"
	set -- $QEMU $QEMU_ARGS -nographic -no-reboot -kernel "$KERNEL" \
		-initrd "$V/stage1.cpio.gz" \
		-append "console=$CONSOLE panic=-1 $append"
	QEMU_CMD="$*"
	start=$(date +%s)
	timeout "$VM_TIMEOUT" "$@" <"$V/$name.in" >"$log" 2>&1 &
	qpid=$!
	# the driver holds the fifo open until it is done: QEMU reads no EOF;
	# its vm_waits bound it, and SIGPIPE ends it if QEMU has gone
	( "$drive" ) >"$V/$name.in" 2>"$V/$name.driver" || true
	wait "$qpid" && rc=0 || rc=$?
	echo $(( $(date +%s) - start )) >"$V/$name.time"
	rm -f "$V/$name.in"
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
	secs=	# the boot time, when vm_boot measured it
	if [ -f "$V/$name.time" ]; then
		secs=" ($(cat "$V/$name.time")s)"
	fi
	if [ -z "$bad" ]; then
		echo "PASS vm/$ARCH/$name$secs"
		return 0
	fi
	echo "FAIL vm/$ARCH/$name$secs:$bad"
	echo "  qemu: $QEMU_CMD"
	echo "  last serial lines ($V/$name.log):"
	tail -n 40 "$V/$name.log" | sed 's/^/  | /'
}
