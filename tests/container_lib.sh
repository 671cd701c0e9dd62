# Sourced by tests/container.sh (host) and tests/vm/container.sh (QEMU):
# real Unified Kernel Images and FIT images made now from real kernels
# (issue 22). UKIs: Debian's systemd-stub (systemd-boot-efi, bookworm:
# systemd 252) with binutils' objcopy, as tests/mkuki.sh makes its
# fixtures, but with any sections in any order (profiles: a .profile
# section starts one). FITs: u-boot-tools' mkimage -f on an image tree
# source with one kernel, two trees, one ramdisk and two configurations.

CT_EFI=${CT_EFI:-/usr/lib/systemd/boot/efi}	# (a test of the tests may point it elsewhere)

# ct_missing ARCH...: prints the first tool or stub these builders lack
# for ARCH's images (x86_64 or arm64 UKIs, any arch's FIT), or nothing
ct_missing() {
	for a in "$@"; do
		case $a in
		x86_64) set -- objcopy "$CT_EFI/linuxx64.efi.stub" ;;
		arm64) set -- aarch64-linux-gnu-objcopy "$CT_EFI/linuxaa64.efi.stub" ;;
		*) set -- ;;
		esac
		for t in "$@" mkimage fdtput fdtget; do
			case $t in
			/*) [ -r "$t" ] || { echo "no $t (make deps: systemd-boot-efi, systemd-boot-efi:arm64)"; return; } ;;
			*) command -v "$t" >/dev/null 2>&1 ||
				{ echo "$t not installed (make deps)"; return; } ;;
			esac
		done
	done
}

ct_abs() { case $1 in /*) echo "$1" ;; *) echo "$PWD/$1" ;; esac; }
ct_u16() { od -An -tu2 -j "$2" -N2 "$1" | tr -d ' '; }
ct_u32() { od -An -tu4 -j "$2" -N4 "$1" | tr -d ' '; }

# mk_uki ARCH OUT NAME=FILE...: a UKI for ARCH (x86_64, arm64): the
# stub, then each NAME=FILE as a section, in the order given (a name may
# come again: each .profile starts a profile, whose sections follow it).
# objcopy gets a placeholder name per section (its options name sections,
# and one name twice would be ambiguous), each placed at the next 64 KiB
# past the one before, from 0x20000 (past the stub's own); the real names
# are then written into the section table.
mk_uki() {
	arch=$1 out=$2
	shift 2
	case $arch in
	x86_64) stub=$CT_EFI/linuxx64.efi.stub oc=objcopy ;;
	arm64) stub=$CT_EFI/linuxaa64.efi.stub oc=aarch64-linux-gnu-objcopy ;;
	*) echo "mk_uki: no UKI for $arch" >&2; return 1 ;;
	esac
	vma=$((0x20000)) i=0 args=
	for s in "$@"; do
		f=${s#*=}
		ph=$(printf '.hop%02d' "$i")
		args="$args --add-section $ph=$f --change-section-vma $ph=$(printf 0x%x "$vma")"
		vma=$(( (vma + $(wc -c <"$f") + 0xffff) / 0x10000 * 0x10000 ))
		i=$((i + 1))
	done
	# shellcheck disable=SC2086 # the options, split
	"$oc" $args "$stub" "$out" || return 1
	pe=$(ct_u32 "$out" 60)
	tab=$((pe + 24 + $(ct_u16 "$out" $((pe + 20)))))
	n=$(ct_u16 "$stub" $(($(ct_u32 "$stub" 60) + 6)))	# the stub's own
	for s in "$@"; do
		name=${s%%=*}
		{ printf '%s' "$name"; head -c $((8 - ${#name})) /dev/zero; } |
			dd of="$out" bs=1 seek=$((tab + 40 * n)) conv=notrunc \
				status=none
		n=$((n + 1))
	done
}

# mk_fit OUT ARCH KERNEL COMPRESSION VIRT_DTB ACME_DTB RAMDISK [MKIMAGE
# OPTION...]: a FIT whose default configuration, conf-acme (listed
# first), boots KERNEL with ACME_DTB, and conf-virt the same kernel with
# VIRT_DTB; both with RAMDISK. Every image has sha256 and crc32 hash
# nodes. The trees' root "compatible" is what tells the two apart.
mk_fit() {
	out=$1 arch=$2 comp=$4
	# dtc resolves /incbin/ against the source's folder: absolute paths
	kernel=$(ct_abs "$3") virt=$(ct_abs "$5") acme=$(ct_abs "$6") rd=$(ct_abs "$7")
	shift 7
	case $arch in
	arm64) addr=0x40080000 ;;
	*) addr=0x40008000 ;;
	esac
	h='hash-1 { algo = "sha256"; }; hash-2 { algo = "crc32"; };'
	cat >"$out.its" <<EOF
/dts-v1/;
/ {
	description = "hop test FIT ($arch)";
	#address-cells = <1>;
	images {
		kernel-1 {
			description = "Debian's kernel";
			data = /incbin/("$kernel");
			type = "kernel";
			arch = "$arch";
			os = "linux";
			compression = "$comp";
			load = <$addr>;
			entry = <$addr>;
			$h
		};
		fdt-acme {
			description = "another board's tree";
			data = /incbin/("$acme");
			type = "flat_dt";
			arch = "$arch";
			compression = "none";
			$h
		};
		fdt-virt {
			description = "QEMU virt's tree";
			data = /incbin/("$virt");
			type = "flat_dt";
			arch = "$arch";
			compression = "none";
			$h
		};
		ramdisk-1 {
			description = "the next stage";
			data = /incbin/("$rd");
			type = "ramdisk";
			arch = "$arch";
			os = "linux";
			compression = "none";
			$h
		};
	};
	configurations {
		default = "conf-acme";
		conf-acme {
			description = "acme board";
			kernel = "kernel-1";
			fdt = "fdt-acme";
			ramdisk = "ramdisk-1";
		};
		conf-virt {
			description = "QEMU virt";
			kernel = "kernel-1";
			fdt = "fdt-virt";
			ramdisk = "ramdisk-1";
		};
	};
};
EOF
	mkimage -q "$@" -f "$out.its" "$out" >"$out.log" 2>&1 || {
		echo "mk_fit: mkimage: $(head -n2 "$out.log")" >&2
		return 1
	}
}

# mk_dtbs DTB OUTDIR MARK: OUTDIR/virt.dtb, DTB with "hop-test" = "MARK-virt"
# in its root, and OUTDIR/acme.dtb, the same with "MARK-acme" and the
# root compatible of another board: either boots QEMU's machine, and the
# next kernel's /proc/device-tree/hop-test says which it got
mk_dtbs() {
	cp "$1" "$2/virt.dtb"
	fdtput -t s "$2/virt.dtb" / hop-test "$3-virt"
	cp "$1" "$2/acme.dtb"
	fdtput -t s "$2/acme.dtb" / compatible "acme,board" "acme,soc"
	fdtput -t s "$2/acme.dtb" / hop-test "$3-acme"
}

# fit_ext_flip FIT IMAGE: one byte of IMAGE's external data (mkimage -E:
# data-offset from the end of the tree, rounded up to 4 bytes) flipped,
# 100 bytes in
fit_ext_flip() {
	tot=$(od -An -tu4 --endian=big -j 4 -N 4 "$1" | tr -d ' ')
	off=$(fdtget -t u "$1" "/images/$2" data-offset)
	pos=$(( (tot + 3) / 4 * 4 + off + 100 ))
	b=$(od -An -tu1 -j "$pos" -N1 "$1" | tr -d ' ')
	printf "\\$(printf %03o $((b ^ 0xff)))" |
		dd of="$1" bs=1 seek="$pos" conv=notrunc status=none
}
