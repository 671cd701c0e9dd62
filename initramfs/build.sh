#!/bin/sh
# build.sh MKCPIO HOP BUSYBOX OUT [EXTRA_DIR]
# Writes OUT (a gzip'd newc initramfs): Debian's static busybox with its
# applet links, hop as /bin/hop, /init -> /bin/hop (the agent), /dev/console
# (so the kernel can open the console before /dev is mounted), and the
# contents of EXTRA_DIR copied to the root. Same inputs, same bytes.
# HOP=none leaves hop out: EXTRA_DIR then brings its own /init.
# MODULES="virtio_pci virtio_blk" with KMOD_ROOT (an unpacked kernel
# package) and KMOD_REL (its release) copies those modules and their
# dependencies to /lib/modules/KMOD_REL with a modules.dep for them
# (hop.modules loads them; Debian's kernels have their disk drivers as
# modules). The package ships no modules.dep: depmod makes one there.
set -eu
PATH=$PATH:/usr/sbin:/sbin
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
	if [ -n "${MODULES:-}" ]; then
		mdir=$KMOD_ROOT/lib/modules/$KMOD_REL
		if [ ! -s "$mdir/modules.dep" ]; then
			depmod -b "$KMOD_ROOT" "$KMOD_REL"
		fi
		# the requested modules' lines and, transitively, their deps'
		awk -v want="$MODULES" '
			function name(p) { sub(/.*\//, "", p); sub(/\.ko.*/, "", p);
				gsub(/-/, "_", p); return p }
			{ k = $1; sub(/:$/, "", k); line[name(k)] = $0; path[name(k)] = k }
			END {
				n = split(want, q, /[ ,]+/)
				for (i = 1; i <= n; i++) if (q[i] != "") todo[name(q[i])] = 1
				do {
					more = 0
					for (m in todo) if (!(m in done)) {
						done[m] = 1; more = 1
						if (!(m in line)) { print "missing " m > "/dev/stderr"; exit 1 }
						c = split(line[m], w, / +/)
						for (j = 2; j <= c; j++) todo[name(w[j])] = 1
					}
				} while (more)
				for (m in done) print line[m]
			}' "$mdir/modules.dep" | LC_ALL=C sort >"$out.modules.dep"
		echo "dir /lib 0755"
		echo "dir /lib/modules 0755"
		echo "dir /lib/modules/$KMOD_REL 0755"
		echo "file /lib/modules/$KMOD_REL/modules.dep $out.modules.dep 0644"
		cut -d: -f1 "$out.modules.dep" | while read -r ko; do
			d=${ko%/*} p=/lib/modules/$KMOD_REL
			for part in $(echo "$d" | tr / ' '); do
				p=$p/$part
				echo "dir $p 0755"
			done
			echo "file /lib/modules/$KMOD_REL/$ko $mdir/$ko 0644"
		done
	fi
	if [ -n "$extra" ]; then
		echo "tree / $(cd "$extra" && pwd)"
	fi
} >"$list"
"$mkcpio" "$list" | gzip -n -9 >"$out.tmp"
mv "$out.tmp" "$out"
