#!/bin/sh
# make bench (and make bench-net alone): download throughput through
# QEMU's user network, hop against busybox's wget and tftp on the same
# file from the same servers (tests/vm/httpd.py over guestfwd for HTTP,
# QEMU's own TFTP server), per arch of BENCH_ARCHS. The guest runs
# tests/bench/net-init; build/bench/net.md gets the table. TCG on a
# shared host: the numbers compare the tools, not the network.
set -eu
archs=${BENCH_ARCHS:-x86_64 arm64 arm}
reps=${BENCH_NET_REPS:-3}
mib=${BENCH_NET_MIB:-32}
out=build/bench
mkdir -p $out
PY=$(command -v python3)
: >"$out/net.txt"
for ARCH in $archs; do
	(
	. tests/vm/lib.sh
	why=$(vm_missing)
	if [ -n "$why" ]; then
		echo "hop: error: bench-net: $ARCH: $why" >&2
		exit 1
	fi
	KERNEL=$(tests/debian.sh kernel "$ARCH")
	BUSYBOX=$(tests/debian.sh busybox "$ARCH")
	D=$out/net-$ARCH
	rm -rf "$D" && mkdir -p "$D/www" "$D/root"
	head -c $((mib * 1048576)) /dev/urandom >"$D/www/big"
	cp tests/bench/net-init "$D/root/bench-net-init"
	case $ARCH in
	x86_64) mods="virtio_pci virtio_net" nic=virtio-net-pci ;;
	*) mods="virtio_mmio virtio_net" nic=virtio-net-device ;;
	esac
	k=$KERNEL
	MODULES="$mods" KMOD_ROOT=${k%/boot/*} KMOD_REL=${k##*/vmlinuz-} \
		initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" \
		"$D/net.cpio.gz" "$D/root"
	echo "bench-net: $ARCH: $mib MiB, $reps rounds"
	timeout 1200 $QEMU $QEMU_ARGS -nographic -no-reboot -kernel "$KERNEL" \
		-initrd "$D/net.cpio.gz" \
		-netdev "user,id=n0,tftp=$PWD/$D/www,guestfwd=tcp:10.0.2.100:80-cmd:$PY $PWD/tests/vm/httpd.py files $PWD/$D/www" \
		-device "$nic,netdev=n0" \
		-append "console=$CONSOLE panic=-1 no_timer_check rdinit=/bench-net-init benchreps=$reps benchmods=$(echo $mods | tr ' ' ,)" \
		</dev/null >"$D/net.log" 2>&1 || :
	tr -d '\r' <"$D/net.log" | sed -n "s/^HOP-BENCH-NET /$ARCH /p" >>"$out/net.txt"
	grep -q HOP-BENCH-NET-DONE "$D/net.log" || {
		echo "hop: error: bench-net: $ARCH: the guest did not finish ($D/net.log)" >&2
		exit 1
	}
	rm -f "$D/www/big"
	)
done
# the table: median time and rate per arch, tool, protocol
python3 - "$out/net.txt" "$mib" >"$out/net.md" <<'PY'
import statistics, sys
rows = {}
for line in open(sys.argv[1]):
    arch, tool, proto, size, ms = line.split()
    if int(size) > 0 and int(ms) > 0:
        rows.setdefault((arch, proto, tool), []).append((int(size), int(ms)))
print("| arch | protocol | tool | median time (ms) | KiB/s | runs |")
print("|---|---|---|---|---|---|")
for (arch, proto, tool), v in sorted(rows.items()):
    ms = statistics.median(m for _, m in v)
    size = v[0][0]
    print(f"| {arch} | {proto} | {tool} | {ms:.0f} | {size / 1024 / (ms / 1000):.0f} | {len(v)} |")
PY
cat "$out/net.md"
