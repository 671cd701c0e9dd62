#!/bin/sh
# make compare: the memory-hotplug scenario of tests/vm/hotplug.sh run with
# hop and with Debian's kexec-tools (its package, with its shared
# libraries, in the same initramfs), side by side. Not a pass/fail gate:
# it records what happens in build/compare/hotplug.md. Scenarios: the
# DIMM unplugged (remove) or plugged (add) after the load, with
# kexec_load (-c) and kexec_file_load (-s). A hang costs COMPARE_TIMEOUT
# seconds (default 90; a run that reaches the next kernel takes 10-20 s);
# a reset at kexec -e ends QEMU at once (-no-reboot).
ARCH=x86_64
. tests/vm/lib.sh
. tests/vm/hotplug_lib.sh

limit=${COMPARE_TIMEOUT:-90}
out=build/compare/hotplug.md
scenarios=${COMPARE_SCENARIOS:-remove-c remove-s add-c add-s}
why=$(hp_missing)
if [ -n "$why" ]; then
	echo "hop: error: compare: $why" >&2
	exit 1
fi
KERNEL=$(tests/debian.sh kernel "$ARCH")
BUSYBOX=$(tests/debian.sh busybox "$ARCH")
KT=$(tests/debian.sh kexec-tools "$ARCH")
kt_root=${KT%/sbin/kexec}
ktver=$(dpkg-deb -f "$kt_root"/../kexec-tools_*.deb Version 2>/dev/null || echo "?")

# one initramfs with both tools: hop as /bin/kexec, kexec-tools as
# /opt/kexec-tools/kexec with the libraries ldd finds for it (the
# package's, then the host's glibc: the same Debian release)
vm_prepare
cp tests/vm/hotplug-init "$V/stage1/hotplug-init"
mkdir -p "$V/stage1/opt/kexec-tools" "$V/stage1/lib/x86_64-linux-gnu" \
	"$V/stage1/lib64"
cp "$KT" "$V/stage1/opt/kexec-tools/kexec"
LD_LIBRARY_PATH=$kt_root/lib/x86_64-linux-gnu:$kt_root/usr/lib/x86_64-linux-gnu \
	ldd "$KT" | while read -r a b c _; do
	case $a in
	/lib64/*) cp -L "$a" "$V/stage1/lib64/" ;;
	*.so*) [ "$b" = "=>" ] && cp -L "$c" "$V/stage1/lib/x86_64-linux-gnu/$a" ;;
	esac
done
initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" "$V/compare.cpio.gz" \
	"$V/stage1"

# in_dimm LOG TOOL: how many of the first load's segments lie in the DIMM
# (0x100000000-0x13fffffff), of how many; "-" when the kernel placed them
in_dimm() {
	if [ "$2" = kexec-tools ]; then
		sed -n 's/^HOP-TEST segment: mem 0x\([0-9a-f]*\).*/\1/p' "$1"
	else
		sed -n '/^HOP-TEST ready/q; s/^hop: plan: 0x\([0-9a-f]*\)-.*/\1/p' "$1"
	fi | {
		n=0 d=0
		while read -r a; do
			n=$((n + 1))
			[ $((0x$a >= 0x100000000 && 0x$a < 0x140000000)) = 1 ] && d=$((d + 1))
		done
		if [ "$n" = 0 ]; then echo "-"; else echo "$d of $n"; fi
	}
}

# outcome LOG: what the boot came to
outcome() {
	if ! grep -q '^HOP-TEST loaded: rc=0' "$1"; then
		echo "load failed: $(grep -m1 -E '^(hop: error|Cannot|kexec_)' "$1")"
	elif grep -q '^HOP-STAGE2 ok' "$1"; then
		echo "next kernel booted"
	elif grep -q 'Kernel panic' "$1"; then
		echo "kernel panic"
	elif grep -q '^HOP-TEST kexec -e returned' "$1"; then
		echo "kexec -e failed"
	elif grep -q '^HOP-TEST exec' "$1" && [ "$HP_RC" = 124 ]; then
		echo "**hang** after kexec -e (killed at ${limit} s)"
	elif grep -q 'Starting new kernel' "$1" &&
		[ "$(grep -c 'Linux version' "$1")" -lt 2 ]; then
		# -no-reboot: a reset (triple fault) ends QEMU
		echo "**no next kernel**: the machine reset at kexec -e"
	else
		echo "no result (QEMU exit $HP_RC)"
	fi
}

mkdir -p build/compare
{
	echo "# Memory hotplug: hop vs kexec-tools"
	echo
	echo "Kernel: $(basename "$KERNEL"); kexec-tools $ktver (Debian); hop $(git describe --always --dirty 2>/dev/null || echo ?)."
	echo "QEMU -m 1G,slots=2,maxmem=3G, a 1 GiB pc-dimm online_movable at 0x100000000;"
	echo "the DIMM is removed (device_del) or added (device_add) after the load, then kexec -e."
	echo "QEMU runs with -no-reboot: a reset (triple fault) at kexec -e ends it; a hang is killed at ${limit} s."
	echo "\"In DIMM\": the first load's kexec_load segments at 0x100000000-0x13fffffff (\"-\": kexec_file_load, the kernel places them)."
	echo
	echo "| scenario | tool | in DIMM | reload on the event | outcome | seconds |"
	echo "|---|---|---|---|---|---|"
} >"$out"
for s in $scenarios; do
	for tool in hop kexec-tools; do
		name=compare-$s-$tool
		hp_run "$name" "$s" "$tool" "$V/compare.cpio.gz" "$limit"
		log=$V/$name.log
		if [ "$tool" = hop ]; then
			reload=$(grep -q '^hop: watch: reloaded after memory' "$log" &&
				echo "hop watch reloaded" || echo "none")
		else
			reload="none (no watcher)"
		fi
		line="| $s | $tool | $(in_dimm "$log" "$tool") | $reload | $(outcome "$log") | $HP_SECONDS |"
		echo "$line" >>"$out"
		echo "compare: $line (log: $log)"
	done
done
echo
cat "$out"
