#!/bin/sh
# make check: unit tests, build checks and the VM tests of every arch
# (make check builds the binaries first); every test prints PASS/FAIL/SKIP
# and the last line is "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
archs="x86_64 arm64 arm"
out=$(mktemp)
trap 'rm -f "$out" "$out.unit"' EXIT

# the host's unit tests run with ASan + UBSan, the other arches' (static,
# no sanitizers) under qemu-user: make unit knows which is which
unit_pass=0 unit_fail=0
for arch in $archs; do
	echo "== unit tests ($arch)"
	make -s --no-print-directory unit ARCH=$arch 2>&1 | tee "$out.unit"
	p=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out.unit")
	f=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out.unit")
	if [ -z "$p" ]; then
		p=0 f=1	# crashed (or not built) before its closing line
	fi
	unit_pass=$((unit_pass + p)) unit_fail=$((unit_fail + f))
done

echo "== build"
for arch in $archs; do
	bin=build/$arch/hop
	if [ -f "$bin" ] && ! readelf -lW "$bin" | grep -q INTERP &&
		! readelf -SW "$bin" | grep -q '\.symtab'; then
		echo "PASS build/$arch/static: $(wc -c <"$bin") bytes, static, stripped"
	else
		echo "FAIL build/$arch/static: $bin missing, dynamic or not stripped"
	fi
	# the same inputs give the same initramfs bytes
	d=build/check-$arch
	rm -rf "$d" && mkdir -p "$d/extra/etc"
	echo hello >"$d/extra/etc/motd"
	bb=$(tests/debian.sh busybox "$arch" 2>/dev/null || echo /bin/busybox)
	initramfs/build.sh build/host/mkcpio "$bin" "$bb" "$d/a.cpio.gz" "$d/extra"
	touch "$d/extra/etc/motd" "$bin"
	initramfs/build.sh build/host/mkcpio "$bin" "$bb" "$d/b.cpio.gz" "$d/extra"
	if cmp -s "$d/a.cpio.gz" "$d/b.cpio.gz" &&
		zcat "$d/a.cpio.gz" | grep -aq "etc/motd"; then
		echo "PASS initramfs/$arch/reproducible"
	else
		echo "FAIL initramfs/$arch/reproducible: two builds differ or lack etc/motd"
	fi
done | tee "$out"
# a feature left out is one line, not a crash or a wrong load: the
# minimal x86_64 build (no GZIP) meets a gzip'd kernel on this host
{
	gz=$(mktemp) && head -c 65536 /dev/zero | gzip >"$gz"
	msg=$(build/x86_64-minimal/hop kexec -l "$gz" --plan 2>&1)
	want="hop: error: $gz: kexec_load: gzip'd kernels: not built into this hop (make CONFIG=full builds it)"
	if [ "$msg" = "$want" ]; then
		echo "PASS build/x86_64-minimal/gzip-not-built-in"
	else
		echo "FAIL build/x86_64-minimal/gzip-not-built-in: got '$msg'"
	fi
	rm -f "$gz"
} | tee -a "$out"
# hop bootcfg on this host: --root on a folder (as an unprivileged user),
# --json through python3's parser, symlinks out of the folder, hop init
# --list agreeing
sh tests/bootcfg.sh build/x86_64/hop | tee -a "$out"
# the TCG event log hop writes, read by tpm2-tools' tpm2_eventlog and
# replayed by hop eventlog alike; hop eventlog against PCR files
sh tests/eventlog.sh build/x86_64/hop build/host/mkevlog | tee -a "$out"
# hop kexec's signatures (minisign, signify) and hop.measure's refusals
sh tests/trust.sh build/x86_64/hop | tee -a "$out"
# UKIs and FITs made now around Debian's kernels, planned by each arch's
# hop (arm64's and arm's under qemu-user): the refusals the VM tests
# spend no boot on (a corrupted hash, another arch's UKI, no such
# profile or configuration)
sh tests/container.sh | tee -a "$out"

echo "== fuzz smoke run (libFuzzer, ${FUZZ_SMOKE:-5} s per target)"
make -s fuzz FUZZ_SECONDS="${FUZZ_SMOKE:-5}" 2>&1 | grep -E '^(PASS|FAIL|  )' | tee -a "$out"

echo "== VM tests (QEMU, TCG)"
for arch in $archs; do
	sh tests/vm/$arch.sh
	ARCH=$arch sh tests/vm/firmware.sh
	ARCH=$arch sh tests/vm/configs.sh
	ARCH=$arch sh tests/vm/kdump.sh
	ARCH=$arch sh tests/vm/net.sh
	ARCH=$arch sh tests/vm/trust.sh
	ARCH=$arch sh tests/vm/container.sh
	case $arch in
	x86_64|arm64) ARCH=$arch sh tests/vm/kexec_seq.sh ;;
	esac
	case $arch in
	x86_64|arm)
		ARCH=$arch sh tests/vm/disk.sh
		ARCH=$arch sh tests/vm/chain.sh
		;;
	esac
	if [ "$arch" = x86_64 ]; then
		sh tests/vm/crash.sh
		sh tests/vm/systemd.sh
		sh tests/vm/realgen.sh
		sh tests/vm/hotplug.sh
		sh tests/vm/badinput.sh
		sh tests/vm/hostile.sh
		sh tests/vm/multiboot.sh
	fi
done | tee -a "$out"

pass=$((unit_pass + $(grep -c '^PASS' "$out")))
fail=$((unit_fail + $(grep -c '^FAIL' "$out")))
skip=$(grep -c '^SKIP' "$out")
if [ "$skip" -gt 0 ]; then
	echo "$skip skipped (CI=true turns a skip into a failure)"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
