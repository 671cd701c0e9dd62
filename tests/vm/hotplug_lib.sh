# Shared by tests/vm/hotplug.sh and tests/compare/hotplug-kexec-tools.sh:
# sourced after tests/vm/lib.sh (ARCH=x86_64). The memory-hotplug scenario
# of docs/kernel-abi.md §7: -m 1G,slots=2,maxmem=3G, a 1 GiB pc-dimm onlined
# movable, the DIMM unplugged (device_del) or plugged (device_add) through
# the QEMU monitor once stage 1 (tests/vm/hotplug-init) has loaded the next
# kernel and says "HOP-TEST ready".

# hp_missing: why the scenario cannot run here, or nothing
hp_missing() {
	why=$(vm_missing)
	if [ -z "$why" ] && ! command -v python3 >/dev/null; then
		why="python3 (for the QEMU monitor) not installed"
	fi
	echo "$why"
}

# hp_monitor SOCKET COMMAND...: lines to the QEMU monitor
hp_monitor() {
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

# hp_run NAME CHANGE-SYS TOOL CPIO [TIMEOUT]: one boot of the scenario;
# CHANGE-SYS is remove-c, remove-s, add-c or add-s (the DIMM change and
# kexec's -c/-s), TOOL hop or kexec-tools (hotplug-init runs it). The
# serial log goes to $V/NAME.log (CRs stripped); HP_SECONDS is the time
# taken and HP_RC QEMU's exit status (124: killed at TIMEOUT).
hp_run() {
	name=$1 mode=$2 tool=$3 cpio=$4 limit=${5:-$VM_TIMEOUT}
	log=$V/$name.log
	sock=$V/$name.mon
	rm -f "$sock" "$log"
	case $mode in
	remove-*) dimm="-object memory-backend-ram,id=m1,size=1G -device pc-dimm,id=d1,memdev=m1" ;;
	*) dimm= ;;
	esac
	set -- $QEMU -machine pc -cpu qemu64 -m 1G,slots=2,maxmem=3G $dimm -smp 1 \
		-nographic -no-reboot -monitor "unix:$sock,server,nowait" \
		-serial "file:$log" -kernel "$KERNEL" -initrd "$cpio" \
		-append "console=ttyS0 panic=-1 memhp_default_state=online_movable rdinit=/hotplug-init hoptest=$mode hoptool=$tool"
	QEMU_CMD="$*"
	t0=$(date +%s)
	timeout "$limit" "$@" </dev/null >"$V/$name.qemu" 2>&1 &
	qpid=$!
	i=0
	while [ $i -lt "$limit" ] && kill -0 $qpid 2>/dev/null; do
		if grep -q '^HOP-TEST ready' "$log" 2>/dev/null; then
			case $mode in
			remove-*) hp_monitor "$sock" "device_del d1" ;;
			add-*) hp_monitor "$sock" "object_add memory-backend-ram,id=m1,size=1G" \
				"device_add pc-dimm,id=d1,memdev=m1" ;;
			esac
			break
		fi
		sleep 1
		i=$((i + 1))
	done
	HP_RC=0
	wait $qpid || HP_RC=$?
	HP_SECONDS=$(($(date +%s) - t0))
	echo "$HP_SECONDS" >"$V/$name.time"
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
}
