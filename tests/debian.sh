#!/bin/sh
# debian.sh kernel|busybox ARCH — fetch a Debian package for ARCH into the
# cache (HOP_CACHE, default ~/.cache/hop, never the git tree) and print the
# path of the file wanted: the current kernel behind the arch's meta package
# (resolved at run time, never pinned), or busybox-static's binary.
# debian.sh kexec-tools ARCH: Debian's kexec-tools (tests/compare) and the
# library packages it needs, unpacked; prints its kexec binary's path (the
# libraries are under the same root: lib/ and usr/lib/).
# debian.sh xen x86_64: the current Xen hypervisor behind xen-system-amd64
# (tests/vm/multiboot.sh boots it: a gzip'd multiboot2 kernel); prints
# its xen-*.gz.
# debian.sh secureboot x86_64: Debian's signed shim and grub (shimx64.efi,
# grubx64.efi), for tests/vm/secureboot.sh; prints their folder.
# debian.sh sysroot ARCH DIR PKG...: unpack ARCH's PKGs into DIR (the
# Makefile's cross sysroot: -dev packages of two foreign arches cannot be
# installed side by side).
set -eu
what=$1 arch=$2
here=$(cd "$(dirname "$0")" && pwd)
cache=${HOP_CACHE:-$HOME/.cache/hop}/$arch
case $arch in
x86_64) deb=amd64 meta=linux-image-cloud-amd64 flavour=cloud-amd64 ;;
arm64) deb=arm64 meta=linux-image-arm64 flavour=arm64 ;;
# armmp, not armmp-lpae: QEMU's cortex-a15 has LPAE, but the tests and the
# measured placement facts are for the plain flavour
arm) deb=armhf meta=linux-image-armmp flavour=armmp ;;
*) echo "hop: error: ARCH=$arch: not one of x86_64 arm64 arm" >&2; exit 1 ;;
esac
if [ "$what" = sysroot ]; then
	dir=$(mkdir -p "$3" && cd "$3" && pwd)
	shift 3
fi
mkdir -p "$cache"
cd "$cache"

updated=
update() {	# once per run: package lists may be missing or stale
	if [ -z "$updated" ]; then
		updated=1
		# with $deb: the arch may not be enabled in dpkg yet
		"$here/deps.sh" --update "$deb" >&2
	fi
}

download() {	# download PKG: PKG:$deb's .deb into $cache, once
	pkg=$1
	if [ ! -f "stamp-dl-$pkg" ]; then
		rm -f "${pkg}"_*.deb
		# as root apt-get warns that _apt cannot reach the cache: harmless
		apt-get download -q "$pkg:$deb" >/dev/null 2>&1 || {
			update
			apt-get download -q "$pkg:$deb" >&2
		} || {
			echo "hop: error: $pkg:$deb: apt-get download failed" >&2
			exit 1
		}
		touch "stamp-dl-$pkg"
	fi
}

fetch() {	# fetch PKG: download and unpack PKG:$deb into $cache/root
	pkg=$1
	if [ ! -f "stamp-$pkg" ]; then
		download "$pkg"
		dpkg-deb -x "${pkg}"_*.deb root
		touch "stamp-$pkg"
	fi
}

case $what in
kernel)
	depends() {	# the meta package may name several flavours
		apt-cache depends "$meta:$deb" 2>/dev/null |
			sed -n 's/^ *Depends: \(linux-image-[0-9][^: ]*\).*/\1/p' |
			grep -E -- "-$flavour(-unsigned)?\$" | head -n1
	}
	pkg=$(depends)
	if [ -z "$pkg" ]; then
		update
		pkg=$(depends)
	fi
	if [ -z "$pkg" ]; then
		echo "hop: error: $meta:$deb: no kernel package found in the package lists" >&2
		exit 1
	fi
	fetch "$pkg"
	ver=${pkg#linux-image-}
	ver=${ver%-unsigned}
	for f in root/boot/vmlinuz-"$ver" root/boot/vmlinuz-*; do
		if [ -f "$f" ]; then
			echo "$cache/$f"
			exit 0
		fi
	done
	echo "hop: error: $pkg: no vmlinuz in the package" >&2
	exit 1
	;;
busybox)
	fetch busybox-static
	echo "$cache/root/bin/busybox"
	;;
kexec-tools)
	fetch kexec-tools
	# Debian builds it with Xen support: libxenmisc and the libraries
	# behind it; the library packages among its recursive dependencies
	deps() {
		apt-cache depends --recurse --no-recommends --no-suggests \
			--no-conflicts --no-breaks --no-replaces --no-enhances \
			"kexec-tools:$deb" 2>/dev/null |
			sed -n 's/^\(lib[a-z0-9.+-]*\).*/\1/p' | sort -u
	}
	libs=$(deps)
	if [ -z "$libs" ]; then
		update
		libs=$(deps)
	fi
	for pkg in $libs; do
		case $pkg in
		libc6) ;;	# the host's: the compare script copies it with ld.so
		*) fetch "$pkg" ;;
		esac
	done
	echo "$cache/root/sbin/kexec"
	;;
xen)
	depends() {
		apt-cache depends "xen-system-$deb:$deb" 2>/dev/null |
			sed -n 's/^ *Depends: \(xen-hypervisor-[0-9][^: ]*\).*/\1/p' |
			head -n1
	}
	pkg=$(depends)
	if [ -z "$pkg" ]; then
		update
		pkg=$(depends)
	fi
	if [ -z "$pkg" ]; then
		echo "hop: error: xen-system-$deb: no hypervisor package found in the package lists" >&2
		exit 1
	fi
	fetch "$pkg"
	for f in root/boot/xen-*.gz; do
		if [ -f "$f" ]; then
			echo "$cache/$f"
			exit 0
		fi
	done
	echo "hop: error: $pkg: no xen-*.gz in the package" >&2
	exit 1
	;;
secureboot)
	# Debian's signed shim and grub, unpacked, never installed (their
	# scripts would install a boot loader on this machine); prints the
	# folder holding shimx64.efi.signed and grubx64.efi.signed
	fetch shim-signed
	fetch grub-efi-amd64-signed
	shim=$(ls root/usr/lib/shim/shimx64.efi.signed 2>/dev/null | head -n1)
	grub=$(ls root/usr/lib/grub/x86_64-efi-signed/grubx64.efi.signed \
		2>/dev/null | head -n1)
	if [ -z "$shim" ] || [ -z "$grub" ]; then
		echo "hop: error: shim-signed, grub-efi-amd64-signed: no shimx64.efi.signed or grubx64.efi.signed" >&2
		exit 1
	fi
	mkdir -p secureboot
	cp "$shim" secureboot/shimx64.efi
	cp "$grub" secureboot/grubx64.efi
	echo "$cache/secureboot"
	;;
sysroot)
	for pkg in "$@"; do
		download "$pkg"
		dpkg-deb -x "${pkg}"_*.deb "$dir"
	done
	;;
*)
	echo "usage: debian.sh kernel|busybox|kexec-tools|xen|secureboot ARCH | sysroot ARCH DIR PKG..." >&2
	exit 2
	;;
esac
