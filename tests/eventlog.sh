#!/bin/sh
# eventlog.sh HOP MKEVLOG: the TCG event log hop writes
# (lib/trust/eventlog.c, through build/host/mkevlog) read by tpm2-tools'
# tpm2_eventlog without a warning or an error, its replayed PCRs equal to
# what hop eventlog replays; hop eventlog against PCR files laid out as
# the kernel's /sys/class/tpm/tpm0/pcr-<alg>/<N> (a match, a mismatch,
# none); a hostile description escaped; a truncated log refused
# (tests/check.sh, "build"). Prints PASS/FAIL lines.
set -u
hop=${1:-build/x86_64/hop}
mk=${2:-build/host/mkevlog}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT

pass() { echo "PASS eventlog/$1"; }
fail() { echo "FAIL eventlog/$1: $2"; }

log=$tmp/measurements
esc=$(printf 'cmdline \033[31mred')
if ! "$mk" "$log" sha1,sha256,sha384,sha512 \
	9 13 "kernel /boot/vmlinuz-6.1" \
	9 13 "initrd /boot/initrd.img-6.1" \
	8 5 "$esc" \
	4 5 "hop.measure"; then
	fail write "mkevlog failed"
	exit 0
fi

# tpm2-tools reads it, and says nothing on stderr (it warns about an
# EV_IPL string with a control byte: the escape test's event is EV_ACTION)
if tpm2_eventlog "$log" >"$tmp/yaml" 2>"$tmp/err" && [ ! -s "$tmp/err" ]; then
	pass tpm2_eventlog
else
	fail tpm2_eventlog "$(head -n3 "$tmp/err")"
fi
# its replay ("pcrs:", "  sha256:", "    9  : 0x...") against hop's
# ("pcr 9 sha256 0x... (2 events)")
awk '/^pcrs:/ { p = 1; next } p && /^  [a-z0-9]+:/ { alg = $1; sub(":", "", alg); next }
	p && /^    [0-9]/ { print $1, alg, $3 }' "$tmp/yaml" | sort >"$tmp/theirs"
if "$hop" eventlog --no-tpm "$log" >"$tmp/out" 2>"$tmp/err"; then
	pass no-tpm
else
	fail no-tpm "exit $?: $(cat "$tmp/err")"
fi
awk '$1 == "pcr" { print $2, $3, $4 }' "$tmp/out" | sort >"$tmp/ours"
if [ "$(wc -l <"$tmp/ours")" -eq 12 ] && cmp -s "$tmp/ours" "$tmp/theirs"; then
	pass replay-matches-tpm2-tools
else
	fail replay-matches-tpm2-tools "$(diff "$tmp/theirs" "$tmp/ours" | head -n4)"
fi
if grep -q ' 8 EV_ACTION  *sha256:[0-9a-f]\{64\} cmdline \\x1b\[31mred$' "$tmp/out"; then
	pass escaped
else
	fail escaped "$(grep ' 8 ' "$tmp/out")"
fi

# the kernel's PCR files: upper-case hex and a newline; one bank only
# is no match (a log checked against one weak bank must not pass)
tpm=$tmp/tpm0
for alg in sha1 sha256 sha384 sha512; do
	mkdir -p "$tpm/pcr-$alg"
done
v=$(awk '$1 == 9 && $2 == "sha256" { print toupper(substr($3, 3)) }' "$tmp/theirs")
echo "$v" >"$tpm/pcr-sha256/9"
"$hop" eventlog --pcr=9 --tpm-dir="$tpm" "$log" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 1 ] && grep -q "^hop: error: $log: 3 of the log's PCR values not compared (above): not a match$" "$tmp/err"; then
	pass tpm-one-bank
else
	fail tpm-one-bank "exit $rc: $(cat "$tmp/err")"
fi
for alg in sha1 sha384 sha512; do
	awk -v a="$alg" '$1 == 9 && $2 == a { print toupper(substr($3, 3)) }' \
		"$tmp/theirs" >"$tpm/pcr-$alg/9"
done
if "$hop" eventlog --pcr=9 --tpm-dir="$tpm" "$log" >/dev/null 2>"$tmp/err" &&
	[ "$(grep -c 'matches the TPM$' "$tmp/err")" = 4 ] &&
	[ "$(wc -l <"$tmp/err")" = 4 ]; then
	pass tpm-matches
else
	fail tpm-matches "$(cat "$tmp/err")"
fi
echo 0000000000000000000000000000000000000000 >"$tpm/pcr-sha1/9"
"$hop" eventlog --pcr=9 --tpm-dir="$tpm" "$log" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 1 ] && grep -q "^hop: error: $log: pcr 9 sha1: the log replays to [0-9a-f]\{40\}, the TPM holds 0\{40\}$" "$tmp/err"; then
	pass tpm-differs
else
	fail tpm-differs "exit $rc: $(cat "$tmp/err")"
fi
"$hop" eventlog --tpm-dir="$tmp/none" "$log" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 1 ] && grep -q "no PCR compared" "$tmp/err"; then
	pass no-tpm-found
else
	fail no-tpm-found "exit $rc: $(cat "$tmp/err")"
fi

# hostile: the log cut inside its last event
head -c $(($(wc -c <"$log") - 3)) "$log" >"$tmp/cut"
"$hop" eventlog --no-tpm "$tmp/cut" >/dev/null 2>"$tmp/err"
rc=$?
if [ $rc = 1 ] && grep -q "^hop: error: $tmp/cut: event 4 (byte [0-9]*): its 11 bytes of data go past the end of the log$" "$tmp/err"; then
	pass truncated
else
	fail truncated "exit $rc: $(cat "$tmp/err")"
fi
