#!/bin/sh
# make check: host unit tests, build checks and the VM tests; every test
# prints PASS/FAIL/SKIP and the last line is "N passed, N failed".
set -u
cd "$(dirname "$0")/.."
out=$(mktemp)
trap 'rm -f "$out"' EXIT

echo "== unit tests (host, ASan + UBSan)"
build/host/unit | tee "$out.unit"
unit_pass=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\1/p' "$out.unit")
unit_fail=$(sed -n 's/^\([0-9]*\) passed, \([0-9]*\) failed$/\2/p' "$out.unit")
rm -f "$out.unit"
if [ -z "$unit_pass" ]; then
	unit_pass=0 unit_fail=1	# crashed before its closing line
fi

echo "== build"
for arch in x86_64; do
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

echo "== VM tests (QEMU, TCG)"
for arch in x86_64; do
	sh tests/vm/$arch.sh
done | tee -a "$out"

pass=$((unit_pass + $(grep -c '^PASS' "$out")))
fail=$((unit_fail + $(grep -c '^FAIL' "$out")))
skip=$(grep -c '^SKIP' "$out")
if [ "$skip" -gt 0 ]; then
	echo "$skip skipped (CI=true turns a skip into a failure)"
fi
echo "$pass passed, $fail failed"
[ "$fail" -eq 0 ]
