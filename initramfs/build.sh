#!/bin/sh
# build.sh MKCPIO HOP BUSYBOX OUT [EXTRA_DIR]
# Writes OUT (a gzip'd newc initramfs): Debian's static busybox with its
# applet links, hop as /bin/hop, /init -> /bin/hop (the agent), /dev/console
# (so the kernel can open the console before /dev is mounted), and the
# contents of EXTRA_DIR copied to the root. Same inputs, same bytes.
# HOP=none leaves hop out: EXTRA_DIR then brings its own /init.
set -eu
mkcpio=$1 hop=$2 busybox=$3 out=$4 extra=${5:-}
list=$out.list
# busybox --list-full names its applets with their directories; the applet
# set is the same on every arch of one Debian release, so the host's
# static busybox answers for the target's
if [ -x "$busybox" ] && "$busybox" true 2>/dev/null; then
	lister=$busybox
else
	lister=/bin/busybox
fi
{
	echo "dir /bin 0755"
	echo "dir /sbin 0755"
	echo "dir /usr 0755"
	echo "dir /usr/bin 0755"
	echo "dir /usr/sbin 0755"
	echo "dir /dev 0755"
	echo "dir /proc 0755"
	echo "dir /sys 0755"
	echo "dir /run 0755"
	echo "dir /tmp 1777"
	echo "dir /root 0700"
	echo "nod /dev/console 0600 c 5 1"
	echo "file /bin/busybox $busybox 0755"
	if [ "$hop" != none ]; then
		echo "file /bin/hop $hop 0755"
		echo "slink /init /bin/hop"
		echo "slink /bin/kexec hop"
	fi
	"$lister" --list-full | LC_ALL=C sort | while read -r p; do
		case $p in
		bin/busybox|sbin/init|linuxrc|bin/hop) ;;
		*) echo "slink /$p /bin/busybox" ;;
		esac
	done
	if [ -n "$extra" ]; then
		echo "tree / $(cd "$extra" && pwd)"
	fi
} >"$list"
"$mkcpio" "$list" | gzip -n -9 >"$out.tmp"
mv "$out.tmp" "$out"
