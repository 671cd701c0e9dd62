#!/bin/sh
# VM tests of signatures and measured boot (README, "Signatures and
# measured boot"). Keys and signatures are made now with Debian's minisign
# and signify-openbsd. One boot configuration in the initramfs tries, in
# order, entries whose extra initrd has a bad signature, none, a
# signature by a key hop.pubkey does not hold and another file's
# signature: each is refused in one line, and the last entry, signed
# with minisign's prehashed and legacy forms and signify's, boots.
#
# On x86_64 the same runs with a TPM (swtpm as QEMU's tpm-tis) and
# hop.measure: stage 2 prints the PCR of every bank and the event log it
# received, and tests/vm/eventlog_check.py recomputes both from the files
# here (and tpm2_eventlog must read the log); a changed initrd gives
# another PCR. Both syscalls on x86_64. Debian's arm64 kernel has no
# driver for QEMU's arm64 TPM (CONFIG_TCG_TIS is not set), so arm64 and
# arm test the signatures; that hop.measure without a TPM refuses is
# tests/trust.sh's (no VM needed).
. tests/vm/lib.sh

case $ARCH in
x86_64) tests="sig_load sig_file measure_changed" ;;
*) tests="sig" ;;
esac
vm_start $tests
for tool in minisign signify-openbsd swtpm tpm2_eventlog; do
	if ! command -v "$tool" >/dev/null 2>&1; then
		vm_missing_all "$tool not installed (make deps)" $tests
		exit 0
	fi
done
vm_prepare
m=$$
T=$V/trust
rm -rf "$T"
mkdir -p "$T/keys"
boot=$V/stage1/boot

# the owner's keys (minisign, signify) and a stranger's
minisign -G -W -f -p "$T/keys/own.pub" -s "$T/keys/own.key" >/dev/null
minisign -G -W -f -p "$T/keys/other.pub" -s "$T/keys/other.key" >/dev/null
signify-openbsd -G -n -p "$T/keys/bsd.pub" -s "$T/keys/bsd.sec" >/dev/null
mkdir -p "$V/stage1/etc/hop"
cp "$T/keys/own.pub" "$V/stage1/etc/hop/own.pub"
cp "$T/keys/bsd.pub" "$V/stage1/etc/hop/bsd.pub"

# one small initrd per entry, each its own bytes
for n in good legacy bad none unknown other; do
	printf 'file /hop-extra %s 0644\n' "$T/$n.txt" >"$T/$n.list"
	echo "HOP-EXTRA-$n" >"$T/$n.txt"
	build/host/mkcpio "$T/$n.list" >"$boot/$n.cpio"
done
# hop itself for stage 2, whose hop eventlog checks the log it received
# against the TPM, as a next system would
printf 'dir /bin 0755\nfile /bin/hop %s 0755\n' "$B/hop" >"$T/tools.list"
build/host/mkcpio "$T/tools.list" >"$boot/tools.cpio"
# the kernel again, for stage 2's own measured hop kexec -l
printf 'dir /chain 0755\nfile /chain/vmlinuz %s 0644\n' "$KERNEL" >"$T/chain.list"
build/host/mkcpio "$T/chain.list" >"$boot/chain.cpio"
rm -f "$boot"/*.minisig "$boot"/*.sig
sign() {	# sign FILE [minisign options]: FILE.minisig by the owner's key
	f=$1
	shift
	minisign -S -s "$T/keys/own.key" -m "$f" "$@" >/dev/null </dev/null
}
sign "$boot/vmlinuz"
signify-openbsd -S -s "$T/keys/bsd.sec" -m "$boot/stage2.cpio.gz" \
	-x "$boot/stage2.cpio.gz.sig"
sign "$boot/good.cpio"
sign "$boot/legacy.cpio" -l
sign "$boot/tools.cpio"
sign "$boot/bad.cpio"
# a bad signature: one bit of the signature itself flipped
python3 - "$boot/bad.cpio.minisig" <<'PY'
import base64, sys
lines = open(sys.argv[1]).read().split("\n")
sig = bytearray(base64.b64decode(lines[1]))
sig[20] ^= 1	# after "ED" and the key id
lines[1] = base64.b64encode(bytes(sig)).decode()
open(sys.argv[1], "w").write("\n".join(lines))
PY
minisign -S -s "$T/keys/other.key" -m "$boot/unknown.cpio" >/dev/null </dev/null
sign "$boot/good.cpio" -x "$boot/other.cpio.minisig"
if [ -n "$DTB" ]; then
	sign "$boot/virt.dtb"
fi

entry() {	# entry LABEL INITRD...: an extlinux entry
	label=$1
	shift
	list=/boot/stage2.cpio.gz
	for i in "$@"; do
		list="$list,/boot/$i"
	done
	printf 'label %s\n  kernel /boot/vmlinuz\n  initrd %s\n' "$label" "$list"
	printf '  append console=%s panic=-1 HOP_MARKER=%s-%s hop_test_pcr=9\n' \
		"$CONSOLE" "$label" "$m"
}
{
	echo "default bad"
	entry bad bad.cpio
	entry none none.cpio
	entry unknown unknown.cpio
	entry other other.cpio
	entry good good.cpio legacy.cpio tools.cpio
} >"$boot/trust.conf"
{
	echo "default changed"
	entry changed legacy.cpio good.cpio tools.cpio chain.cpio
} >"$boot/changed.conf"
initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" "$T/stage1.cpio.gz" \
	"$V/stage1"

# the refusals every signed boot must show, in the entries' order
r_bad="^hop: error: /boot/bad.cpio: initrd: /boot/bad.cpio.minisig \(key [0-9A-F]{16}\): the signature does not match the file \(a bad signature, or another file.s\) \(EBADMSG\)\$"
r_none="^hop: error: /boot/none.cpio: initrd: no signature \(/boot/none.cpio.minisig or /boot/none.cpio.sig\) and hop.sig=required\$"
r_unknown="^hop: error: /boot/unknown.cpio: initrd: /boot/unknown.cpio.minisig: signed by key [0-9A-F]{16}, which hop.pubkey does not hold \(ENOKEY\)\$"
r_other="^hop: error: /boot/other.cpio: initrd: /boot/other.cpio.minisig \(key [0-9A-F]{16}\): the signature does not match the file \(a bad signature, or another file.s\) \(EBADMSG\)\$"
r_signed="^hop: kernel /boot/vmlinuz: signed by key [0-9A-F]{16}\$"
r_bsd="^hop: initrd /boot/stage2.cpio.gz: signed by key [0-9A-F]{16}\$"
r_replayed="^hop: eventlog: pcr 9 sha256: matches the TPM"
r_leaked="!HOP-STAGE2 cmdline: .*HOP_MARKER=(bad|none|unknown|other)-"
keys="hop.pubkey=/etc/hop/own.pub,/etc/hop/bsd.pub hop.sig=required"
dtb=
[ -n "$DTB" ] && dtb="hop.dtb=/boot/virt.dtb"

# swtpm for one boot: a fresh TPM (four banks, no setup) for QEMU's
# tpm-tis; QEMU_ARGS grows by its device
tpm_start() {
	rm -rf "$T/tpm"
	mkdir -p "$T/tpm"
	swtpm socket --tpm2 --tpmstate dir="$T/tpm" \
		--ctrl type=unixio,path="$T/tpm/sock" --terminate \
		--log file="$T/tpm/log" &
	tpm_pid=$!
	i=0
	while [ ! -S "$T/tpm/sock" ] && [ "$i" -lt 50 ]; do
		sleep 0.1
		i=$((i + 1))
	done
	QEMU_ARGS_SAVED=$QEMU_ARGS
	QEMU_ARGS="$QEMU_ARGS -chardev socket,id=chrtpm,path=$T/tpm/sock -tpmdev emulator,id=tpm0,chardev=chrtpm -device tpm-tis,tpmdev=tpm0"
}
tpm_stop() {
	QEMU_ARGS=$QEMU_ARGS_SAVED
	kill "$tpm_pid" 2>/dev/null || true
	wait "$tpm_pid" 2>/dev/null || true
}

# measure_check NAME INITRD...: stage 2's PCRs and log against the files
measure_check() {
	name=$1
	shift
	files="kernel /boot/vmlinuz $boot/vmlinuz initrd /boot/stage2.cpio.gz $boot/stage2.cpio.gz"
	for i in "$@"; do
		files="$files initrd /boot/$i $boot/$i"
	done
	python3 tests/vm/eventlog_check.py "$V/$name.log" 9 "$T/$name.bin" \
		$files >"$T/$name.check" 2>&1 &&
		tpm2_eventlog "$T/$name.bin" >"$T/$name.tpm2" 2>&1 &&
		python3 tests/vm/eventlog_check.py --tpm2 "$T/$name.tpm2" \
			"$V/$name.log" 9 >>"$T/$name.check" 2>&1 &&
		echo "HOP-CHECK $name: OK" >>"$V/$name.log" ||
		{ echo "HOP-CHECK $name: FAILED" >>"$V/$name.log"; cat "$T/$name.check" >>"$V/$name.log"; }
}

case $ARCH in
x86_64)
	# kexec_load: the refusals, then the good entry, measured
	tpm_start
	vm_boot sig_load "no_timer_check hop.config=/boot/trust.conf $keys hop.measure=9 hop.syscall=load hop.onfail=poweroff" "$T/stage1.cpio.gz"
	tpm_stop
	measure_check sig_load good.cpio legacy.cpio tools.cpio
	vm_expect sig_load "$r_bad" "$r_none" "$r_unknown" "$r_other" \
		"$r_signed" "$r_bsd" \
		"^hop: measured into PCR 9 \(4 banks\): /run/hop/measurements\$" \
		"^hop: loaded via kexec_load" "^HOP-STAGE2 extra: HOP-EXTRA-legacy" \
		"^HOP-STAGE2 cmdline: .*HOP_MARKER=good-$m" "^HOP-CHECK sig_load: OK" "$r_replayed" \
		"^HOP-STAGE2 ok" "!Kernel panic" "$r_leaked"

	# kexec_file_load: the same refusals (the kernel's own checks stay),
	# the good entry measured too
	tpm_start
	vm_boot sig_file "no_timer_check hop.config=/boot/trust.conf $keys hop.measure=9 hop.syscall=file hop.onfail=poweroff" "$T/stage1.cpio.gz"
	tpm_stop
	measure_check sig_file good.cpio legacy.cpio tools.cpio
	vm_expect sig_file "$r_bad" "$r_none" "$r_unknown" "$r_other" \
		"$r_signed" "$r_bsd" "^hop: loaded via kexec_file_load" \
		"^HOP-STAGE2 extra: HOP-EXTRA-legacy" "^HOP-CHECK sig_file: OK" "$r_replayed" \
		"^HOP-STAGE2 ok" "!Kernel panic" "$r_leaked"

	# another initrd order, another PCR: the log still replays to it.
	# Stage 2 then loads a kernel with hop kexec --measure on the PCR
	# stage 1 left: the log it inherited is continued, and hop eventlog
	# finds it replaying to the PCR again
	tpm_start
	vm_boot measure_changed "no_timer_check hop.config=/boot/changed.conf hop.measure=9 hop.onfail=poweroff" "$T/stage1.cpio.gz"
	tpm_stop
	measure_check measure_changed legacy.cpio good.cpio tools.cpio chain.cpio
	a=$(sed -n 's/^HOP-STAGE2 pcr-sha256: //p' "$V/sig_file.log")
	b=$(sed -n 's/^HOP-STAGE2 pcr-sha256: //p' "$V/measure_changed.log")
	[ -n "$a" ] && [ -n "$b" ] && [ "$a" != "$b" ] &&
		echo "HOP-CHECK differs: $a $b" >>"$V/measure_changed.log"
	vm_expect measure_changed "^HOP-CHECK measure_changed: OK" "$r_replayed" \
		"^hop: hop.measure: PCR 9 continues /run/hop/measurements \(7 events before this boot's\)\$" \
		"^HOP-STAGE2 chained-load: exit 0" "^HOP-STAGE2 chained-verify: exit 0" \
		"^HOP-CHECK differs: " "^HOP-STAGE2 extra: HOP-EXTRA-good" \
		"^HOP-STAGE2 eventlog-verify: exit 0" "^HOP-STAGE2 ok" "!Kernel panic" "!hop: error"
	;;
*)
	vm_boot sig "hop.config=/boot/trust.conf $keys $dtb hop.onfail=poweroff" "$T/stage1.cpio.gz"
	vm_expect sig "$r_bad" "$r_none" "$r_unknown" "$r_other" \
		"$r_signed" "$r_bsd" \
		"^hop: dtb /boot/virt.dtb: signed by key [0-9A-F]{16}\$" \
		"^hop: loaded via kexec_load" "^HOP-STAGE2 extra: HOP-EXTRA-legacy" \
		"^HOP-STAGE2 cmdline: .*HOP_MARKER=good-$m" \
		"^HOP-STAGE2 ok" "!Kernel panic" "$r_leaked"

	;;
esac
