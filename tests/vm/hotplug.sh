#!/bin/sh
# Memory hotplug (issue 5, kexec-abi.md §10): a 1 GiB pc-dimm, movable;
# hop kexec -l (kexec_load -c and kexec_file_load -s), hop watch, then the
# DIMM is unplugged (device_del) or plugged (device_add) through the QEMU
# monitor, then kexec -e must reach the next kernel. kexec-tools 2.0.25
# put its purgatory inside the DIMM and hung in the unplug case.
ARCH=x86_64
. tests/vm/lib.sh

tests="remove-c remove-s add-c"
why=$(vm_missing)
if [ -z "$why" ] && ! command -v python3 >/dev/null; then
	why="python3 (for the QEMU monitor) not installed"
fi
if [ -n "$why" ]; then
	for t in $tests; do
		if [ "${CI:-}" = true ]; then
			echo "FAIL vm/$ARCH/hotplug-$t: $why (CI=true: VM tests may not skip)"
		else
			echo "SKIP vm/$ARCH/hotplug-$t: $why"
		fi
	done
	exit 0
fi
KERNEL=$(tests/debian.sh kernel "$ARCH")
BUSYBOX=$(tests/debian.sh busybox "$ARCH")
vm_prepare
cp tests/vm/hotplug-init "$V/stage1/hotplug-init"
initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" "$V/hotplug.cpio.gz" \
	"$V/stage1"

monitor() {	# monitor SOCKET COMMAND...: one line to the QEMU monitor
	python3 - "$@" <<'PY'
import socket, sys, time
s = socket.socket(socket.AF_UNIX)
for _ in range(50):
    try:
        s.connect(sys.argv[1]); break
    except OSError:
        time.sleep(0.1)
time.sleep(0.2)
for cmd in sys.argv[2:]:
    s.sendall((cmd + "\n").encode()); time.sleep(0.5)
s.close()
PY
}

for t in $tests; do
	name=hotplug-$t
	log=$V/$name.log
	sock=$V/$name.mon
	rm -f "$sock"
	case $t in
	remove-*) dimm="-object memory-backend-ram,id=m1,size=1G -device pc-dimm,id=d1,memdev=m1" ;;
	add-*) dimm= ;;
	esac
	set -- $QEMU -machine pc -cpu qemu64 -m 1G,slots=2,maxmem=3G $dimm -smp 1 \
		-nographic -no-reboot -monitor "unix:$sock,server,nowait" \
		-serial "file:$log" -kernel "$KERNEL" -initrd "$V/hotplug.cpio.gz" \
		-append "console=ttyS0 panic=-1 memhp_default_state=online_movable rdinit=/hotplug-init hoptest=$t"
	QEMU_CMD="$*"
	rm -f "$log"
	timeout "$VM_TIMEOUT" "$@" </dev/null >"$V/$name.qemu" 2>&1 &
	qpid=$!
	i=0
	while [ $i -lt "$VM_TIMEOUT" ] && kill -0 $qpid 2>/dev/null; do
		if grep -q '^HOP-TEST ready' "$log" 2>/dev/null; then
			case $t in
			remove-*) monitor "$sock" "device_del d1" ;;
			add-*) monitor "$sock" "object_add memory-backend-ram,id=m1,size=1G" \
				"device_add pc-dimm,id=d1,memdev=m1" ;;
			esac
			break
		fi
		sleep 1
		i=$((i + 1))
	done
	wait $qpid || :
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
	case $t in
	remove-*) after="dimm=no" ;;
	add-*) after="dimm=yes" ;;
	esac
	vm_expect "$name" "^HOP-TEST loaded: rc=0" "^HOP-TEST memory after: $after" \
		"^hop: watch: reloaded after memory" \
		"Kernel command line: console=ttyS0 panic=-1 HOP_MARKER=hotplug-$t\$" \
		"^HOP-STAGE2 ok" "!Kernel panic" "!kexec -e returned"
done
