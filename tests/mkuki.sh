#!/bin/sh
# mkuki.sh OUTDIR: real Unified Kernel Images made from Debian's
# systemd-stub (systemd-boot-efi and systemd-boot-efi:arm64, bookworm:
# systemd 252, which has no ukify and no multi-profile UKIs) with objcopy,
# the way systemd-stub(7) of systemd 252 shows it: each section added
# with --add-section and placed with --change-section-vma past the stub's
# own sections. The kernel, initrd and tree are fake: small files of known
# bytes, nobody boots them; what matters is the PE around them.
#
# Writes OUTDIR/x64.efi, OUTDIR/aa64.efi, the section inputs, and
# OUTDIR/uki_fixtures.h: for each image its first bytes (the headers and
# the section table, all lib/plan/uki.c reads), the file's length and
# each section's span as objdump sees it (File off, and the length of the
# file objcopy was given). tests/unit/uki_fixtures.h is that file,
# committed:
#
#	tests/mkuki.sh build/uki && cp build/uki/uki_fixtures.h tests/unit/
set -eu
out=${1:?usage: tests/mkuki.sh OUTDIR}
efi=/usr/lib/systemd/boot/efi
mkdir -p "$out"
for s in linuxx64.efi.stub linuxaa64.efi.stub; do
	[ -r "$efi/$s" ] || {
		echo "mkuki.sh: no $efi/$s (apt-get install systemd-boot-efi" \
			"systemd-boot-efi:arm64)" >&2
		exit 1
	}
done

# the inputs: text as a UKI holds it, fake binaries of fixed sizes (a
# length that is no multiple of FileAlignment shows min(VirtualSize,
# SizeOfRawData) at work)
cat >"$out/osrel" <<'EOF'
# made by tests/mkuki.sh
NAME="Debian GNU/Linux"
PRETTY_NAME='Debian GNU/Linux 12 (bookworm)'
ID=debian
VERSION_ID="12"
EOF
printf 'console=ttyS0 quiet hop.test=1\n' >"$out/cmdline"
printf '6.1.0-hop-test\n' >"$out/uname"
# MZ, then bytes that are no PE: the stub's payload is not parsed here
{ printf 'MZ'; head -c 5001 /dev/zero | tr '\0' 'k'; } >"$out/linux"
head -c 3001 /dev/zero | tr '\0' 'i' >"$out/initrd"
{ printf '\320\015\376\355'; head -c 700 /dev/zero; } >"$out/dtb"

# mk STUB OBJCOPY OUT: the image, sections in systemd-stub(7)'s order and
# at its addresses (.dtb and .uname between .cmdline and .linux)
mk() {
	"$2" \
		--add-section .osrel="$out/osrel" --change-section-vma .osrel=0x20000 \
		--add-section .cmdline="$out/cmdline" --change-section-vma .cmdline=0x30000 \
		--add-section .dtb="$out/dtb" --change-section-vma .dtb=0x40000 \
		--add-section .uname="$out/uname" --change-section-vma .uname=0x50000 \
		--add-section .linux="$out/linux" --change-section-vma .linux=0x2000000 \
		--add-section .initrd="$out/initrd" --change-section-vma .initrd=0x3000000 \
		"$efi/$1" "$out/$3"
}
u16() { od -An -tu2 -j "$2" -N2 "$1" | tr -d ' '; }
u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }
# objcopy stamps the COFF header's TimeDateStamp with the time of day
# (the stubs carry 0): back to 0, so that the fixtures are the same
# bytes each time
mk linuxx64.efi.stub objcopy x64.efi
mk linuxaa64.efi.stub aarch64-linux-gnu-objcopy aa64.efi
for f in x64.efi aa64.efi; do
	printf '\000\000\000\000' | dd of="$out/$f" bs=1 \
		seek=$(($(u32 "$out/$f" 60) + 8)) conv=notrunc status=none
done

# the bytes up to the end of the section table: e_lfanew (0x3c) + 24
# (signature, COFF header) + SizeOfOptionalHeader + 40 per section
headlen() {
	pe=$(u32 "$1" 60)
	echo $((pe + 24 + $(u16 "$1" $((pe + 20))) + 40 * $(u16 "$1" $((pe + 6)))))
}

# fixture NAME FILE OBJDUMP: the C arrays of one image
fixture() {
	n=$(headlen "$2")
	echo "/* ${2##*/}: $(wc -c <"$2") bytes; the first $n */"
	echo "static const uint8_t uki_$1_head[] = {"
	head -c "$n" "$2" | od -An -v -w12 -tx1 | sed -e 's/ \([0-9a-f][0-9a-f]\)/0x\1, /g' \
		-e 's/, $/,/' -e 's/^/\t/'
	echo "};"
	echo "#define UKI_$(echo "$1" | tr a-z A-Z)_LEN $(wc -c <"$2")"
	echo "static const struct uki_fixture_sect uki_$1_sects[] = {"
	for s in linux initrd cmdline dtb uname osrel; do
		off=$("$3" -h "$2" | awk -v s=".$s" '$2 == s { print $6 }')
		echo "	{ UKI_$(echo "$s" | tr a-z A-Z), 0x$off, $(wc -c <"$out/$s") },"
	done
	echo "};"
}
{
	echo "/* Made by tests/mkuki.sh from Debian bookworm's systemd-boot-efi"
	echo " * $(dpkg-query -W -f '${Version}' systemd-boot-efi:amd64 2>/dev/null ||
		echo '?') stubs (amd64, arm64) with binutils' objcopy; do not"
	echo " * edit. */"
	echo "struct uki_fixture_sect {"
	echo "	int sect;"
	echo "	uint64_t off, len;"
	echo "};"
	fixture x64 "$out/x64.efi" objdump
	fixture aa64 "$out/aa64.efi" aarch64-linux-gnu-objdump
} >"$out/uki_fixtures.h"
echo "$out/x64.efi $out/aa64.efi $out/uki_fixtures.h"
