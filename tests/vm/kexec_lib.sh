# Shared by the kexec applet VM tests (kexec_seq.sh, crash.sh, systemd.sh):
# sourced with ARCH set, from the repository root, after tests/vm/lib.sh
# (QEMU, QEMU_ARGS, CONSOLE, KERNEL, BUSYBOX, vm_missing, vm_expect).
# Stage 1 is an initramfs whose PID 1 is a test script (rdinit=), which
# drives "kexec" (hop linked as /bin/kexec) the way a real client does.

# kx_stage1 NAME SCRIPT: $V/NAME.cpio.gz, busybox + hop (/init is hop,
# /bin/kexec links to it), SCRIPT as /test (boot it with rdinit=/test),
# /boot/vmlinuz (the same kernel) and /boot/stage2.cpio.gz (tests/vm/stage2)
kx_stage1() {
	name=$1 script=$2
	d=$V/$name.root
	rm -rf "$d"
	mkdir -p "$d/boot"
	initramfs/build.sh build/host/mkcpio none "$BUSYBOX" \
		"$d/boot/stage2.cpio.gz" tests/vm/stage2
	rm -f "$d/boot/stage2.cpio.gz.list"
	cp "$KERNEL" "$d/boot/vmlinuz"
	cp "$script" "$d/test"
	chmod 0755 "$d/test"
	initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" \
		"$V/$name.cpio.gz" "$d"
}

# kx_boot NAME INITRD APPEND [QEMU ARGS...]: boots $KERNEL with INITRD under
# a timeout (VM_TIMEOUT), serial console to $V/NAME.log; later QEMU args
# override QEMU_ARGS (-m). Sets QEMU_CMD for vm_expect.
kx_boot() {
	name=$1 initrd=$2 append=$3
	shift 3
	log=$V/$name.log
	set -- $QEMU $QEMU_ARGS "$@" -nographic -no-reboot -kernel "$KERNEL" \
		-initrd "$initrd" -append "console=$CONSOLE panic=-1 $append"
	QEMU_CMD="$*"
	t0=$(date +%s)
	timeout "$VM_TIMEOUT" "$@" </dev/null >"$log" 2>&1 && rc=0 || rc=$?
	KX_SECONDS=$(($(date +%s) - t0))
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
	if [ "$rc" = 124 ]; then
		echo "timed out after ${VM_TIMEOUT}s" >>"$log"
	fi
}
