#!/bin/sh
# container.sh: hop kexec on Unified Kernel Images and FIT images (issue
# 22), on this host (tests/check.sh, "build"; no VM: every case is
# decided before a syscall, loads are --plan only). The images are made
# now (tests/container_lib.sh) around Debian's kernels: x86_64's binary
# runs here, arm64's and arm's under qemu-user with a --sysroot holding
# the /proc/iomem and the tree (QEMU virt's, -M virt,dumpdtb) of the VM
# tests' machine. What the VM tests would spend a boot on each:
#   uki/x86_64/profile_default  the UKI planned (its .linux, a bzImage);
#                            of two .profile sections, the first
#   uki/x86_64/profile       --entry=ID of the second .profile: that one
#   uki/x86_64/profile_index --entry=1: the same
#   uki/x86_64/no_profile    --entry= naming no profile: one line, exit 1
#   uki/x86_64/other_arch    arm64's UKI: one line, exit 1, no plan
#   uki/arm64/plan           the arm64 UKI planned (its .dtb)
#   uki/arm64/other_arch     x86_64's UKI: one line, exit 1, no plan
#   fit/ARCH/compatible      the FIT planned (mkimage -E on arm64, inline
#                            data on arm): of two configurations not the
#                            default but the one for linux,dummy-virt,
#                            its hashes checked
#   fit/ARCH/no_conf         --entry= naming no configuration: one line
#   fit/arm64/bad_data       a byte of the kernel's external data flipped:
#                            its hash refuses it in one line, exit 1
#   fit/arm/bad_hash         the kernel's stored sha256 zeroed: one line
# Prints PASS/FAIL lines; CI=true turns a missing tool into a FAIL, as
# everywhere (without it: SKIP).
set -u
cd "$(dirname "$0")/.." || exit 1
. tests/container_lib.sh
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
m=$$
pass() { echo "PASS container/$1"; }
fail() { echo "FAIL container/$1: $2"; }
skip() {	# skip WHY: every test, SKIP (CI: FAIL)
	for t in uki/x86_64 uki/arm64 fit/arm64 fit/arm; do
		if [ "${CI:-}" = true ]; then
			fail "$t" "$1 (CI=true: tests may not skip)"
		else
			echo "SKIP container/$t: $1"
		fi
	done
	exit 0
}

why=$(ct_missing x86_64 arm64 arm)
[ -z "$why" ] || skip "$why"
for q in qemu-aarch64 qemu-arm qemu-system-aarch64 qemu-system-arm; do
	command -v $q >/dev/null 2>&1 || skip "$q not installed (make deps)"
done
# Debian's kernels: any version tests/debian.sh unpacked before will do
# (asking apt which one is current takes seconds per arch), else the
# current one, fetched
for a in x86_64 arm64 arm; do
	[ -x "build/$a/hop" ] || skip "no build/$a/hop (make ARCH=$a)"
	ls "${HOP_CACHE:-$HOME/.cache/hop}/$a/root/boot/"vmlinuz-* 2>/dev/null |
		sort -V | tail -n1 >"$tmp/k-$a"
	if [ ! -s "$tmp/k-$a" ]; then
		tests/debian.sh kernel $a >"$tmp/k-$a" 2>"$tmp/err-$a" &
	fi
done
wait
for a in x86_64 arm64 arm; do
	k=$(cat "$tmp/k-$a")
	[ -f "$k" ] || skip "no Debian kernel for $a: $(tail -n1 "$tmp/err-$a" 2>/dev/null)"
	eval "k_$a=\$k"
done

# run NAME ARCH WANT-RC PATTERN ARGS...: hop kexec -l --plan ARGS (under
# qemu-user and the arch's sysroot for arm64 and arm); exit code WANT-RC
# and a line matching PATTERN; a load (WANT-RC 0) plans segments, a
# refusal (WANT-RC 1) says one hop: error: line and plans nothing
run() {
	name=$1 arch=$2 want=$3 pat=$4
	shift 4
	case $arch in
	x86_64) set -- build/x86_64/hop kexec -l --plan "$@" ;;
	arm64) set -- qemu-aarch64 build/arm64/hop kexec -l --plan --sysroot="$tmp/sr-arm64" "$@" ;;
	arm) set -- qemu-arm build/arm/hop kexec -l --plan --sysroot="$tmp/sr-arm" "$@" ;;
	esac
	out=$("$@" 2>&1)
	rc=$?
	if [ -n "${CT_VERBOSE:-}" ]; then	# what hop said, but the segments
		echo "$out" | grep -v '^hop: plan: 0x' | sed "s|^|  $name: |"
	fi
	errs=$(echo "$out" | grep -c '^hop: error:')
	if [ "$rc" != "$want" ]; then
		fail "$name" "exit $rc, not $want: $(echo "$out" | grep -v '^hop: plan: 0x' | head -n3)"
	elif ! echo "$out" | grep -Eq -- "$pat"; then
		fail "$name" "no line matching '$pat' in: $(echo "$out" | head -n3)"
	elif [ "$want" = 0 ] && ! echo "$out" | grep -q '^hop: plan: 0x'; then
		fail "$name" "no segment planned: $(echo "$out" | head -n3)"
	elif [ "$want" = 1 ] && [ "$errs" != 1 ]; then
		fail "$name" "$errs hop: error: lines, not one: $(echo "$out" | head -n4)"
	elif [ "$want" = 1 ] && echo "$out" | grep -q '^hop: plan:'; then
		fail "$name" "refused, yet planned: $(echo "$out" | grep '^hop: plan:' | head -n1)"
	else
		pass "$name"
	fi
}

# the sysroots: QEMU virt's RAM (1 GiB at 0x40000000, as the VM tests
# run it) and tree; its root compatible is linux,dummy-virt
for a in arm64 arm; do
	s=$tmp/sr-$a
	mkdir -p "$s/proc/device-tree" "$s/sys/firmware"
	case $a in
	arm64) q="qemu-system-aarch64 -cpu cortex-a57" ;;
	arm) q="qemu-system-arm -cpu cortex-a15" ;;
	esac
	$q -machine "virt,dumpdtb=$s/sys/firmware/fdt" -m 1024 -smp 1 \
		-nographic </dev/null >"$tmp/dumpdtb.log" 2>&1 ||
		skip "$q dumpdtb: $(tail -n1 "$tmp/dumpdtb.log")"
	printf '40000000-7fffffff : System RAM\n' >"$s/proc/iomem"
	printf 'linux,dummy-virt\0' >"$s/proc/device-tree/compatible"
done

# ---- UKIs: Debian's kernels, a small initrd, a command line ----
u=$tmp/uki
mkdir -p "$u"
printf 'NAME="Debian GNU/Linux"\nID=debian\nVERSION_ID="12"\n' >"$u/osrel"
printf 'console=ttyS0 HOP_UKI=base-%s\n' $m >"$u/cmdline"
printf 'ID=plain\nTITLE=Plain\n' >"$u/profile-plain"
printf 'console=ttyS0 HOP_UKI=plain-%s\n' $m >"$u/cmdline-plain"
printf 'ID=esp\nTITLE=From the ESP\n' >"$u/profile-esp"
printf 'console=ttyS0 HOP_UKI=esp-%s\n' $m >"$u/cmdline-esp"
head -c 4096 /dev/urandom >"$u/initrd"
mk_uki x86_64 "$u/one.efi" .osrel="$u/osrel" .cmdline="$u/cmdline" \
	.linux="$k_x86_64" .initrd="$u/initrd" \
	.profile="$u/profile-plain" .cmdline="$u/cmdline-plain" \
	.profile="$u/profile-esp" .cmdline="$u/cmdline-esp" ||
	skip "objcopy could not make the x86_64 UKI"
mk_uki arm64 "$u/two.efi" .osrel="$u/osrel" .cmdline="$u/cmdline" \
	.dtb="$tmp/sr-arm64/sys/firmware/fdt" .linux="$k_arm64" \
	.initrd="$u/initrd" ||
	skip "aarch64-linux-gnu-objcopy could not make the arm64 UKI"

run uki/x86_64/profile_default x86_64 0 'one\.efi: .*profile 0 \(ID=plain\)' "$u/one.efi"
run uki/x86_64/profile x86_64 0 'one\.efi: .*profile 1 \(ID=esp\)' --entry=esp "$u/one.efi"
run uki/x86_64/profile_index x86_64 0 'one\.efi: .*profile 1 \(ID=esp\)' --entry=1 "$u/one.efi"

# agent NAME PATTERN NOT-PATTERN KEYS: the agent (hop init, not PID 1)
# with hop.dryrun=1 and KEYS as its command line: a line matching PATTERN
# and none NOT-PATTERN ("" for none), nothing loaded (x86_64 only: the
# agent reads the host's /proc)
agent() {
	name=$1 pat=$2 not=$3
	shift 3
	out=$(build/x86_64/hop init --cmdline "hop.dryrun=1 $*" 2>&1)
	if ! echo "$out" | grep -Eq -- "$pat"; then
		fail "$name" "no line matching '$pat' in: $(echo "$out" | grep -v '^hop: plan: 0x' | head -n6)"
	elif [ -n "$not" ] && echo "$out" | grep -Eq -- "$not"; then
		fail "$name" "a line matching '$not': $(echo "$out" | grep -E -- "$not" | head -n1)"
	elif ! echo "$out" | grep -q '^hop: dryrun: nothing loaded'; then
		fail "$name" "not a dry run: $(echo "$out" | tail -n2)"
	else
		pass "$name"
	fi
}
agent uki/x86_64/agent_append \
	"^hop: cmdline: the image's \.cmdline and hop\.append: \"console=ttyS0 HOP_UKI=plain-$m X=1\"" \
	"" hop.kernel="$u/one.efi" hop.append=X=1
agent uki/x86_64/agent_entry "^hop: cmdline: the image's \.cmdline: \"console=ttyS0 HOP_UKI=esp-$m\"" \
	"" hop.kernel="$u/one.efi" hop.entry=esp
agent uki/x86_64/agent_cmdline '^hop: plan: cmdline "only X=1"' "the image's \.cmdline" \
	hop.kernel="$u/one.efi" hop.cmdline=only hop.append=X=1
agent uki/x86_64/agent_reuse "^hop: cmdline: the image's \.cmdline: \"console=ttyS0 HOP_UKI=plain-$m\"" \
	"" hop.kernel="$u/one.efi" hop.reuse=1
run uki/x86_64/no_profile x86_64 1 '^hop: error: .*nosuch' --entry=nosuch "$u/one.efi"
run uki/x86_64/other_arch x86_64 1 '^hop: error: [^ ]*two\.efi: .*(arm64|aarch64|AArch64|aa64|0xaa64)' "$u/two.efi"
run uki/arm64/plan arm64 0 '^hop: plan: 0x.* dtb ' "$u/two.efi"
run uki/arm64/other_arch arm64 1 '^hop: error: [^ ]*one\.efi: .*(x86|x64|amd64|0x8664)' "$u/one.efi"

# ---- FITs: two configurations, the compatible one not the default ----
for a in arm64 arm; do
	f=$tmp/fit-$a
	mkdir -p "$f"
	mk_dtbs "$tmp/sr-$a/sys/firmware/fdt" "$f" "fit-$a"
	eval "k=\$k_$a"
	if [ $a = arm64 ]; then
		gzip -n -1 <"$k" >"$f/kernel"	# arm64's Image, gzip'd as u-boot has it
		comp=gzip opts=-E
	else
		cp "$k" "$f/kernel"	# arm's zImage inflates itself
		comp=none opts=
	fi
	# shellcheck disable=SC2086
	mk_fit "$f/fit.itb" $a "$f/kernel" $comp "$f/virt.dtb" "$f/acme.dtb" \
		"$u/initrd" $opts || skip "mkimage could not make the $a FIT"
	# planned, and not the default: the configuration whose tree is
	# the machine's
	run fit/$a/compatible $a 0 'fit\.itb: FIT image, configuration conf-virt: .*hashes verified' "$f/fit.itb"
	run fit/$a/no_conf $a 1 '^hop: error: .*conf-nosuch' --entry=conf-nosuch "$f/fit.itb"
done
cp "$tmp/fit-arm64/fit.itb" "$tmp/fit-arm64/bad.itb"
fit_ext_flip "$tmp/fit-arm64/bad.itb" kernel-1
run fit/arm64/bad_data arm64 1 '^hop: error: .*kernel-1.*(hash|sha256|crc32)' "$tmp/fit-arm64/bad.itb"
cp "$tmp/fit-arm/fit.itb" "$tmp/fit-arm/bad.itb"
fdtput -t bx "$tmp/fit-arm/bad.itb" /images/kernel-1/hash-1 value \
	$(head -c 32 /dev/zero | od -An -v -tx1)
run fit/arm/bad_hash arm 1 '^hop: error: .*kernel-1.*(hash|sha256)' "$tmp/fit-arm/bad.itb"
