#!/bin/sh
# debian_install.sh ARCH — a Debian bookworm install as a disk would hold
# it, for tests/vm/realgen.sh: Debian's cloud kernel and its
# initramfs-tools initrd, systemd, and the boot configuration generators
# (grub-mkconfig from grub2-common with grub-pc-bin, u-boot-menu's
# u-boot-update, systemd's kernel-install and systemd-boot's bootctl),
# none of them run yet: the test runs them on the disk it makes.
# Built once with debootstrap + apt-get in a chroot and cached outside
# git as a tarball: $HOP_CACHE/ARCH/debian-install-bookworm-KEY.tar.zst,
# KEY a hash of this recipe (editing this file rebuilds it). Prints the
# path. Needs root (or passwordless sudo): debootstrap, chroot, mounts.
set -eu
arch=$1
here=$(cd "$(dirname "$0")" && pwd)
case $arch in
x86_64) deb=amd64 ;;
*) echo "hop: error: debian_install.sh: ARCH=$arch: only x86_64 (grub-pc is x86)" >&2; exit 1 ;;
esac
SUITE=bookworm
MIRROR=${HOP_DEBIAN_MIRROR:-http://deb.debian.org/debian}
# grub-pc-bin + grub2-common, not grub-pc: grub-pc's postinst installs
# grub to a disk it asks debconf for; the test needs grub-mkconfig only.
# udev: initramfs-tools builds the initrd's udev, which finds root by UUID
PACKAGES="linux-image-cloud-amd64 initramfs-tools udev grub-pc-bin
grub2-common u-boot-menu systemd-boot e2fsprogs"
cache=${HOP_CACHE:-$HOME/.cache/hop}/$arch
key=$(sha256sum "$here/debian_install.sh" | cut -c1-12)
out=$cache/debian-install-$SUITE-$key.tar.zst
if [ -s "$out" ]; then
	echo "$out"
	exit 0
fi
mkdir -p "$cache"
PATH=$PATH:/usr/sbin:/sbin
for tool in debootstrap zstd; do
	command -v $tool >/dev/null 2>&1 ||
		{ echo "hop: error: $tool not installed (make deps)" >&2; exit 1; }
done
sudo=
if [ "$(id -u)" != 0 ]; then
	sudo -n true 2>/dev/null ||
		{ echo "hop: error: debootstrap needs root or passwordless sudo" >&2; exit 1; }
	sudo="sudo -n"
fi
root=$cache/debian-install-$SUITE-$key.d
log=$cache/debian-install-$SUITE-$key.log
$sudo rm -rf --one-file-system "$root"
start=$(date +%s)
echo "hop: debootstrap $SUITE ($deb) + $(echo $PACKAGES) into $root, log $log" >&2
: >"$log"
for try in 1 2; do	# one retry: a mirror may be mid-sync
	if $sudo debootstrap --arch="$deb" --variant=minbase \
		--include=systemd-sysv "$SUITE" "$root" "$MIRROR" >>"$log" 2>&1; then
		break
	fi
	if [ "$try" = 2 ]; then
		echo "hop: error: debootstrap failed; last lines of $log:" >&2
		tail -n 15 "$log" >&2
		$sudo rm -rf --one-file-system "$root"
		exit 1
	fi
	$sudo rm -rf --one-file-system "$root"
	sleep 5
done
# the rest with apt in the chroot (its resolver, the packages' own
# maintainer scripts: the kernel's postinst builds the initrd); /proc,
# /sys and /dev for those scripts, no services started
if ! $sudo sh -eu -c '
r=$1 mirror=$2 suite=$3
shift 3
cleanup() {
	for m in dev/pts dev sys proc; do
		umount "$r/$m" 2>/dev/null || :
	done
}
trap cleanup EXIT
mount -t proc proc "$r/proc"
mount -t sysfs sys "$r/sys"
mount --bind /dev "$r/dev"
mount --bind /dev/pts "$r/dev/pts"
printf "#!/bin/sh\nexit 101\n" >"$r/usr/sbin/policy-rc.d"
chmod 755 "$r/usr/sbin/policy-rc.d"
echo "deb $mirror $suite main" >"$r/etc/apt/sources.list"
# a fixed machine-id: kernel-install names its entries after it, and
# the first boot runs no systemd-firstboot
echo 5ad1b0f1e0c84f1f8d4d0b4a9f3e2c12 >"$r/etc/machine-id"
echo hop-realgen >"$r/etc/hostname"
: >"$r/etc/fstab"
for try in 1 2; do
	if chroot "$r" env DEBIAN_FRONTEND=noninteractive LC_ALL=C \
		sh -c "apt-get update -q && apt-get install -y -q --no-install-recommends $*"; then
		break
	fi
	[ "$try" = 1 ] || exit 1
	sleep 5
done
rm -f "$r/usr/sbin/policy-rc.d"
' sh "$root" "$MIRROR" "$SUITE" $PACKAGES >>"$log" 2>&1; then
	echo "hop: error: apt-get install in the chroot failed; last lines of $log:" >&2
	tail -n 15 "$log" >&2
	$sudo rm -rf --one-file-system "$root"
	exit 1
fi
# what the test's boots need from the install: a unit that reports once
# multi-user.target is reached (ordered after it, so the target itself
# must be done) and powers off; no timers, no VGA getty
$sudo sh -eu -c '
r=$1
mkdir -p "$r/usr/local/sbin"
cat >"$r/usr/local/sbin/hop-realgen-report" <<"EOF"
#!/bin/sh
# the test reads this line on the serial console (console=ttyS0)
echo "HOP-REALGEN multi-user $(uname -r) $(cat /proc/cmdline)" >/dev/ttyS0
systemctl --no-block poweroff
EOF
chmod 755 "$r/usr/local/sbin/hop-realgen-report"
cat >"$r/etc/systemd/system/hop-realgen.service" <<"EOF"
[Unit]
Description=hop realgen: report multi-user.target reached, power off
DefaultDependencies=no
After=multi-user.target

[Service]
Type=oneshot
ExecStart=/usr/local/sbin/hop-realgen-report

[Install]
WantedBy=multi-user.target
EOF
ln -sf /etc/systemd/system/hop-realgen.service \
	"$r/etc/systemd/system/multi-user.target.wants/hop-realgen.service"
# what grub-pc'"'"'s postinst would install (through ucf): the test edits
# it as a user would before running grub-mkconfig
cp "$r/usr/share/grub/default/grub" "$r/etc/default/grub"
# u-boot-menu'"'"'s kernel hook wrote one when the kernel was installed:
# each test starts with no configuration but the one it generates
rm -rf "$r/boot/extlinux"
rm -f "$r"/etc/systemd/system/timers.target.wants/* \
	"$r"/etc/systemd/system/getty.target.wants/getty@tty1.service
rm -rf "$r"/usr/share/doc/* "$r"/usr/share/man/* "$r"/usr/share/info/* \
	"$r"/usr/share/locale/* "$r"/var/cache/apt/*.bin \
	"$r"/var/cache/apt/archives/*.deb "$r"/var/lib/apt/lists/* \
	"$r"/var/log/*.log
' sh "$root"
$sudo sh -c 'tar --numeric-owner --xattrs -C "$1" -cf - . | zstd -q -T0 -3 >"$2"' \
	sh "$root" "$out.tmp"
if [ -n "$sudo" ]; then
	$sudo chown "$(id -u):$(id -g)" "$out.tmp"
fi
# an older recipe's tarball is never used again
rm -f "$cache"/debian-install-$SUITE-*.tar.zst
mv "$out.tmp" "$out"
$sudo rm -rf --one-file-system "$root"
echo "hop: debian install: $(du -k "$out" | cut -f1) KiB, built in $(($(date +%s) - start)) s" >&2
echo "$out"
