#!/bin/sh
# debian_root.sh ARCH — a minimal Debian bookworm root with systemd (no
# kexec-tools), packed as a gzip'd newc cpio, for tests/vm/systemd.sh.
# Built once with debootstrap from the Debian archive and cached outside
# git: $HOP_CACHE/ARCH/debian-root-KEY.cpio.gz, KEY a hash of this recipe
# (so editing this file rebuilds it). Prints the path. Needs root (or
# passwordless sudo) for debootstrap; the cpio itself is made by
# build/host/mkcpio (owners root, no device nodes: systemd mounts /dev).
set -eu
arch=$1
here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
case $arch in
x86_64) deb=amd64 ;;
*) echo "hop: error: debian_root.sh: ARCH=$arch: only x86_64 for now" >&2; exit 1 ;;
esac
SUITE=bookworm
MIRROR=${HOP_DEBIAN_MIRROR:-http://deb.debian.org/debian}
INCLUDE=systemd-sysv
cache=${HOP_CACHE:-$HOME/.cache/hop}/$arch
key=$(sha256sum "$here/debian_root.sh" | cut -c1-12)
out=$cache/debian-root-$SUITE-$key.cpio.gz
if [ -s "$out" ]; then
	echo "$out"
	exit 0
fi
mkdir -p "$cache"
mkcpio=$top/build/host/mkcpio
[ -x "$mkcpio" ] || { echo "hop: error: $mkcpio: not built (make build/host/mkcpio)" >&2; exit 1; }
PATH=$PATH:/usr/sbin:/sbin
command -v debootstrap >/dev/null 2>&1 ||
	{ echo "hop: error: debootstrap not installed (tests/deps.sh debootstrap)" >&2; exit 1; }
sudo=
if [ "$(id -u)" != 0 ]; then
	sudo -n true 2>/dev/null ||
		{ echo "hop: error: debootstrap needs root or passwordless sudo" >&2; exit 1; }
	sudo="sudo -n"
fi
root=$cache/debian-root-$SUITE-$key.d
log=$cache/debian-root-$SUITE-$key.log
$sudo rm -rf "$root"
start=$(date +%s)
echo "hop: debootstrap $SUITE ($deb, minbase + $INCLUDE) into $root, log $log" >&2
for try in 1 2; do	# one retry: a mirror may be mid-sync
	if $sudo debootstrap --arch="$deb" --variant=minbase \
		--include="$INCLUDE" "$SUITE" "$root" "$MIRROR" >"$log" 2>&1; then
		break
	fi
	if [ "$try" = 2 ]; then
		echo "hop: error: debootstrap failed; last lines of $log:" >&2
		tail -n 15 "$log" >&2
		$sudo rm -rf "$root"
		exit 1
	fi
	$sudo rm -rf "$root"
	sleep 5
done
# slim it down (it is unpacked into RAM on every boot) and make the first
# boot quiet: a fixed machine-id (no systemd-firstboot), no device nodes
$sudo sh -eu -c '
r=$1
rm -rf "$r"/usr/share/doc/* "$r"/usr/share/man/* "$r"/usr/share/info/* \
	"$r"/usr/share/locale/* "$r"/var/cache/apt/*.bin \
	"$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/* \
	"$r"/var/log/* "$r"/dev/*
echo 5ad1b0f1e0c84f1f8d4d0b4a9f3e2c11 >"$r"/etc/machine-id
echo hop-systemd >"$r"/etc/hostname
: >"$r"/etc/fstab
# a kexec test needs no timers, no getty on tty1 (no VGA here)
rm -f "$r"/etc/systemd/system/timers.target.wants/* \
	"$r"/etc/systemd/system/getty.target.wants/getty@tty1.service
find "$r" ! -type d ! -type f ! -type l -exec rm -f {} +
' sh "$root"
echo "nod /dev/console 0600 c 5 1" >"$out.list"
echo "tree / $root" >>"$out.list"
$sudo sh -c '"$1" "$2" | gzip -1 >"$3"' sh "$mkcpio" "$out.list" "$out.tmp"
if [ -n "$sudo" ]; then
	$sudo chown "$(id -u):$(id -g)" "$out.tmp"
fi
mv "$out.tmp" "$out"
rm -f "$out.list"
$sudo rm -rf "$root"
echo "hop: debian root: $(du -k "$out" | cut -f1) KiB, built in $(($(date +%s) - start)) s" >&2
echo "$out"
