#!/bin/sh
# trust.sh HOP: hop kexec's signature checks and hop.measure's refusal on
# this host (tests/check.sh, "build"; no VM: every case here is decided
# before a syscall, and loads are --plan only). Keys and signatures are
# made now with Debian's minisign and signify-openbsd. Prints PASS/FAIL.
set -u
hop=${1:-build/x86_64/hop}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
pass() { echo "PASS trust/$1"; }
fail() { echo "FAIL trust/$1: $2"; }
for tool in minisign signify-openbsd; do
	command -v "$tool" >/dev/null 2>&1 || {
		fail tools "$tool not installed (make deps)"
		exit 0
	}
done
kernel=$(tests/debian.sh kernel x86_64 2>/dev/null) || {
	fail kernel "no Debian kernel (tests/debian.sh kernel x86_64)"
	exit 0
}
cp "$kernel" "$tmp/vmlinuz"
head -c 4096 /dev/urandom >"$tmp/initrd"
cp "$tmp/initrd" "$tmp/other"
echo 1 >>"$tmp/other"
minisign -G -W -f -p "$tmp/own.pub" -s "$tmp/own.key" >/dev/null
minisign -G -W -f -p "$tmp/stranger.pub" -s "$tmp/stranger.key" >/dev/null
signify-openbsd -G -n -p "$tmp/bsd.pub" -s "$tmp/bsd.sec"
minisign -S -s "$tmp/own.key" -m "$tmp/vmlinuz" </dev/null >/dev/null
signify-openbsd -S -s "$tmp/bsd.sec" -m "$tmp/initrd" -x "$tmp/initrd.sig"
keys="--pubkey=$tmp/own.pub,$tmp/bsd.pub"

# case NAME WANT-RC PATTERN ARGS...: hop kexec's exit code and a line
case_() {
	name=$1 want=$2 pat=$3
	shift 3
	out=$("$hop" kexec -l --plan "$@" 2>&1)
	rc=$?
	if [ "$rc" != "$want" ]; then
		fail "$name" "exit $rc, not $want: $(echo "$out" | grep 'hop: error' | head -n1)"
	elif ! echo "$out" | grep -Eq -- "$pat"; then
		fail "$name" "no line matching '$pat' in: $(echo "$out" | head -n3)"
	else
		pass "$name"
	fi
}

case_ good 0 "^hop: initrd $tmp/initrd: signed by key [0-9A-F]{16}\$" \
	$keys --initrd="$tmp/initrd" "$tmp/vmlinuz"
case_ optional_unsigned 0 "^hop: initrd $tmp/other: not signed \(hop.sig=optional\)\$" \
	$keys --sig=optional --initrd="$tmp/other" "$tmp/vmlinuz"
case_ missing 1 "^hop: error: $tmp/other: initrd: no signature \($tmp/other.minisig or $tmp/other.sig\) and hop.sig=required\$" \
	$keys --initrd="$tmp/other" "$tmp/vmlinuz"
cp "$tmp/initrd.sig" "$tmp/other.sig"
case_ another_file 1 "^hop: error: $tmp/other: initrd: $tmp/other.sig \(key [0-9A-F]{16}\): the signature does not match the file \(a bad signature, or another file.s\) \(EBADMSG\)\$" \
	$keys --initrd="$tmp/other" "$tmp/vmlinuz"
rm -f "$tmp/other.sig"
minisign -S -s "$tmp/stranger.key" -m "$tmp/other" </dev/null >/dev/null
case_ unknown_key 1 "^hop: error: $tmp/other: initrd: $tmp/other.minisig: signed by key [0-9A-F]{16}, which hop.pubkey does not hold \(ENOKEY\)\$" \
	$keys --initrd="$tmp/other" "$tmp/vmlinuz"
case_ no_keys 1 "^hop: error: hop.sig: no hop.pubkey to check signatures against: refusing to boot\$" \
	--sig=required "$tmp/vmlinuz"
case_ bad_mode 1 "^hop: error: hop.sig: 'maybe': neither required nor optional: refusing to boot\$" \
	$keys --sig=maybe "$tmp/vmlinuz"
case_ twice 2 "^hop: error: --pubkey=$tmp/own.pub: given twice" \
	$keys "--pubkey=$tmp/own.pub" "$tmp/vmlinuz"
printf 'untrusted comment: x\nnot base64!\n' >"$tmp/broken.pub"
case_ broken_key 1 "^hop: error: hop.pubkey: $tmp/broken.pub: .*refusing to boot\$" \
	--pubkey="$tmp/broken.pub" "$tmp/vmlinuz"
if [ ! -e /dev/tpmrm0 ] && [ ! -e /dev/tpm0 ]; then
	case_ no_tpm 1 "^hop: error: hop.measure: no TPM \(/dev/tpmrm0, /dev/tpm0\): .*refusing to boot unmeasured\$" \
		--measure=9 "$tmp/vmlinuz"
fi
case_ bad_pcr 1 "^hop: error: hop.measure: '16': not a PCR hop extends \(0 to 15\): refusing to boot\$" \
	--measure=16 "$tmp/vmlinuz"
case_ panic_measured 1 "^hop: error: --measure: not with -p \(a panic kernel runs only if this one crashes\)\$" \
	-p --measure=9 "$tmp/vmlinuz"
