#!/bin/sh
# make bench: hop, Debian's kexec-tools and a raw floor (tests/bench/raw.c)
# side by side, per arch, under QEMU (TCG). Not part of make check.
# For each arch of BENCH_ARCHS (default: x86_64 arm64 arm):
#  - one initramfs with the three loaders (kexec-tools with the shared
#    libraries its NEEDED entries resolve to, in Debian's packages and
#    libc6 of that arch), tests/bench/bench-init as /init;
#  - one boot (benchmode=load) per guest size of BENCH_MEMS (MiB) measures
#    load times (BENCH_REPS runs of each loader and of the floors,
#    alternating) and peak memory for initrds of BENCH_SIZES MiB in each
#    scenario of BENCH_SCENARIOS (bench-init: bundle, tmpfs, churn),
#    through kexec_load, and kexec_file_load where the kernel has it;
#  - BENCH_E2E_REPS short boots per tool (benchmode=e2e): load and kexec
#    -e; the host clock timestamps the serial lines (tests/bench/serial.py)
#    from the loader's start to the next kernel's first line;
#  - binary sizes, of each build configuration (make CONFIG=...).
# tests/bench/report.py then writes build/bench/results.md and
# build/bench/results.png. One QEMU at a time (the bench shares the host).
set -eu
archs=${BENCH_ARCHS:-x86_64 arm64 arm}
reps=${BENCH_REPS:-3}
sizes=${BENCH_SIZES:-16,64,256}
scens=${BENCH_SCENARIOS:-bundle,tmpfs,churn}
mems=${BENCH_MEMS:-2048 8192}
# kexec_file_load's sizes (x86_64 only), a subset of BENCH_SIZES
fsizes=${BENCH_FILE_SIZES:-$sizes}
e2e_reps=${BENCH_E2E_REPS:-2}
e2e_mib=${BENCH_E2E_MIB:-64}
load_timeout=${BENCH_TIMEOUT:-1200}
out=build/bench

for t in python3 gnuplot readelf; do
	command -v $t >/dev/null 2>&1 || {
		echo "hop: error: bench: $t not found (make deps installs it: gnuplot-nox, python3, binutils)" >&2
		exit 1
	}
done
mkdir -p $out

# libs FILE...: every shared library FILE needs, recursively, as paths
# under the unpacked packages ($search); the interpreter comes apart
libs() {
	todo="$*" seen=" "
	while [ -n "$todo" ]; do
		set -- $todo
		f=$1
		shift
		todo="$*"
		for n in $(readelf -d "$f" | sed -n 's/.*(NEEDED).*\[\(.*\)\]/\1/p'); do
			case $seen in *" $n "*) continue ;; esac
			seen="$seen$n "
			p=
			for d in $search; do
				if [ -e "$d/$n" ]; then
					p=$d/$n
					break
				fi
			done
			if [ -z "$p" ]; then
				echo "hop: error: bench: $n (needed by ${f##*/}) not in the unpacked packages" >&2
				exit 1
			fi
			echo "$p"
			todo="$todo $p"
		done
	done
}

bench_arch() {
	ARCH=$1
	. tests/vm/lib.sh
	D=$out/$ARCH
	why=$(vm_missing)
	if [ -n "$why" ]; then
		echo "hop: error: bench: $ARCH: $why" >&2
		exit 1
	fi
	# vm_missing found them in a subshell: cached now, no network
	KERNEL=$(tests/debian.sh kernel "$ARCH")
	BUSYBOX=$(tests/debian.sh busybox "$ARCH")
	rm -rf "$D"
	mkdir -p "$D/root/boot" "$D/root/opt/bench" "$D/root/opt/kexec-tools"
	case $ARCH in
	x86_64) tri=x86_64-linux-gnu sys=c,s ktopts= ;;
	arm64) tri=aarch64-linux-gnu sys=c ktopts= ;;
	# kexec-tools 2.0.25's default placement on arm puts the initrd in
	# the decompressor's way and the next kernel hangs
	# (docs/kernel-abi.md §7); --image-size is the workaround its
	# users need
	arm) tri=arm-linux-gnueabihf sys=c ktopts=--image-size=0x4000000 ;;
	esac
	# Debian's arm64 kernel has no kexec_file_load
	# (docs/kernel-abi.md §7), arm none at all: kexec_load only there
	# the bench VM needs room for a 256 MiB initrd in tmpfs, its copy in
	# the kernel and kexec-tools' copy in its heap: 2 GiB at least
	set -- $mems
	mem=$1
	base_args=$QEMU_ARGS

	# kexec-tools and its libraries: Debian's packages; libc6 of the
	# same arch unpacked apart (debian.sh kexec-tools leaves it out), and
	# zlib1g, whose name its lib* filter misses (arm64 and arm link it)
	KT=$(tests/debian.sh kexec-tools "$ARCH")
	kt_root=${KT%/sbin/kexec}
	tests/debian.sh sysroot "$ARCH" "$D/libc6" libc6 zlib1g
	search="$kt_root/lib/$tri $kt_root/usr/lib/$tri $D/libc6/lib/$tri $D/libc6/usr/lib/$tri"
	cp "$KT" "$D/root/opt/kexec-tools/kexec"
	mkdir -p "$D/root/lib/$tri"
	: >"$D/kt-files"
	echo "$KT" >>"$D/kt-files"
	libs "$KT" >"$D/libs.txt"
	for l in $(cat "$D/libs.txt"); do
		cp -L "$l" "$D/root/lib/$tri/"
		echo "$l" >>"$D/kt-files"
	done
	interp=$(readelf -l "$KT" | sed -n 's/.*program interpreter: \(.*\)\]/\1/p')
	ld=$(for d in $search; do [ -e "$d/${interp##*/}" ] && echo "$d/${interp##*/}"; done | head -n1)
	if [ -z "$ld" ]; then
		echo "hop: error: bench: $ARCH: $interp not in libc6" >&2
		exit 1
	fi
	mkdir -p "$D/root${interp%/*}"
	cp -L "$ld" "$D/root$interp"
	grep -qxF "$ld" "$D/kt-files" || echo "$ld" >>"$D/kt-files"
	ktver=$(dpkg-deb -f "$kt_root"/../kexec-tools_*.deb Version 2>/dev/null || echo "?")

	# sizes: hop as built (static, stripped); kexec-tools as shipped and
	# with every library it loads (the files copied above, links followed)
	{
		echo "arch=$ARCH"
		echo "hop=$(wc -c <"$B/hop")"
		# the other build configurations (make CONFIG=...; full is $B)
		for c in minimal default; do
			[ -f "build/$ARCH-$c/hop" ] &&
				echo "hop_$c=$(wc -c <"build/$ARCH-$c/hop")"
		done
		echo "kexec_tools=$(wc -c <"$KT")"
		echo "kexec_tools_libs=$(xargs -n1 sh -c 'wc -c <"$(readlink -f "$0")"' <"$D/kt-files" | awk '{s += $1} END {print s}')"
		echo "kexec_tools_nfiles=$(wc -l <"$D/kt-files")"
		echo "kexec_tools_version=$ktver"
		echo "kernel=$(basename "$KERNEL")"
		echo "mem_mib=$mems"
		echo "hop_version=$(git describe --always --dirty 2>/dev/null || echo ?)"
	} >"$D/info.txt"

	cp "$B/bench/bench-run" "$B/bench/bench-raw" "$D/root/opt/bench/"
	cp tests/bench/bench-init "$D/root/bench-init"
	cp "$KERNEL" "$D/root/boot/vmlinuz"
	# the bundle scenario's initrds, in the initramfs as a LinuxBoot
	# payload carries them (zeros: the cpio compresses them to nothing)
	case ,$scens, in
	*,bundle,*)
		for z in $(echo "$sizes" | tr , ' '); do
			dd if=/dev/zero of="$D/root/boot/initrd-$z" bs=1048576 \
				count="$z" 2>/dev/null
		done
		;;
	esac
	initramfs/build.sh build/host/mkcpio none "$BUSYBOX" \
		"$D/root/boot/stage2.cpio.gz" tests/vm/stage2
	initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" \
		"$D/bench.cpio.gz" "$D/root"

	boot() {	# boot NAME TIMEOUT APPEND: one QEMU run, timestamped log
		echo "bench: $ARCH: $1"
		tests/bench/serial.py "$D/$1.log" "$2" $QEMU $QEMU_ARGS -nographic \
			-no-reboot -kernel "$KERNEL" -initrd "$D/bench.cpio.gz" \
			-append "console=$CONSOLE panic=-1 rdinit=/bench-init $3" &&
			rc=0 || rc=$?
		echo "$rc" >"$D/$1.rc"
		if [ "$rc" = 124 ]; then
			echo "bench: $ARCH: $1: timed out after $2 s" >&2
		fi
	}
	for m in $mems; do
		QEMU_ARGS=$(echo "$base_args" | sed "s/-m 1024/-m $m/")
		boot "load-$m" "$load_timeout" "benchmode=load benchreps=$reps benchsizes=$sizes benchfsizes=$fsizes benchsys=$sys benchscen=$scens benchktopts=$ktopts"
		grep -E 'BENCH-(ERR|SKIP|OUT)' "$D/load-$m.log" | head -n 20 >&2 || true
	done
	# the reboots in the first guest size
	QEMU_ARGS=$(echo "$base_args" | sed "s/-m 1024/-m $mem/")
	r=1
	while [ "$r" -le "$e2e_reps" ]; do
		for t in hop kexec-tools; do
			boot "e2e-$t-$r" "${BENCH_E2E_TIMEOUT:-180}" \
				"benchmode=e2e benchtool=$t benche2e=$e2e_mib benchktopts=$ktopts"
		done
		r=$((r + 1))
	done
}

for a in $archs; do
	(bench_arch "$a")
done
tests/bench/report.py $out "$archs" "$e2e_mib"
