#!/bin/sh
# vm/ARCH/systemd: a real systemd client. A minimal Debian bookworm root
# (debootstrap minbase + systemd-sysv, no kexec-tools; built once and
# cached by tests/vm/debian_root.sh) boots as the initramfs with systemd as
# PID 1; hop is /sbin/kexec. A oneshot service runs "kexec -l" and then
# "systemctl kexec"; systemd's shutdown path runs "kexec -e" and the next
# kernel shows the marker and stage 2 reports.
ARCH=x86_64
. tests/vm/lib.sh
. tests/vm/kexec_lib.sh

why=$(vm_missing)
if [ -z "$why" ] && ! PATH=$PATH:/usr/sbin:/sbin command -v debootstrap >/dev/null 2>&1; then
	why="debootstrap not installed"
fi
if [ -z "$why" ] && [ "$(id -u)" != 0 ] && ! sudo -n true 2>/dev/null; then
	why="debootstrap needs root or passwordless sudo"
fi
if [ -n "$why" ]; then
	vm_missing_all "$why" systemd
	exit 0
fi
KERNEL=$(tests/debian.sh kernel "$ARCH")
BUSYBOX=$(tests/debian.sh busybox "$ARCH")
t0=$(date +%s)
if ! root=$(tests/vm/debian_root.sh "$ARCH" 2>"$V/debian_root.err"); then
	echo "FAIL vm/$ARCH/systemd: building the Debian root failed:"
	sed 's/^/  | /' "$V/debian_root.err"
	exit 0
fi
rootsecs=$(($(date +%s) - t0))
m=$$

# the per-run layer, unpacked over the cached root: hop as /sbin/kexec
# (merged /usr: /sbin is usr/sbin), the kernels, the enabled service; no
# gettys: the root has no udev, so a serial getty would wait 90 s for its
# device before multi-user.target
d=$V/systemd.layer
rm -rf "$d"
mkdir -p "$d"
initramfs/build.sh build/host/mkcpio none "$BUSYBOX" "$d/stage2.cpio.gz" \
	tests/vm/stage2
sed -e "s/@CONSOLE@/$CONSOLE/" -e "s/@MARK@/$m/" \
	tests/vm/kexec/hop-kexec.service >"$d/hop-kexec.service"
cat >"$d/list" <<EOL
dir /usr/sbin 0755
file /usr/sbin/kexec $B/hop 0755
dir /boot 0755
file /boot/vmlinuz $KERNEL 0644
file /boot/stage2.cpio.gz $d/stage2.cpio.gz 0644
dir /etc/systemd/system/multi-user.target.wants 0755
file /etc/systemd/system/hop-kexec.service $d/hop-kexec.service 0644
slink /etc/systemd/system/multi-user.target.wants/hop-kexec.service /etc/systemd/system/hop-kexec.service
slink /etc/systemd/system/serial-getty@.service /dev/null
slink /etc/systemd/system/getty@.service /dev/null
slink /etc/systemd/system/getty-static.service /dev/null
EOL
build/host/mkcpio "$d/list" | gzip -1 >"$d/layer.cpio.gz"
# the kernel unpacks concatenated archives in order
cat "$root" "$d/layer.cpio.gz" >"$V/systemd.cpio.gz"

VM_TIMEOUT=${VM_TIMEOUT_SYSTEMD:-300}
kx_boot systemd "$V/systemd.cpio.gz" "rdinit=/sbin/init" -m 2048
vm_expect systemd \
	"systemd\[1\]: systemd 2[0-9][0-9]" \
	"kexec\[[0-9]+\]: hop: loaded via kexec_file_load" \
	"HOP-TEST status rc=0" \
	"Starting .*systemd-kexec.service.* - Reboot via kexec" \
	"^Rebooting with kexec\.\$" \
	"Successfully forked off '\(sd-kexec\)'" \
	"kexec_core: Starting new kernel" \
	"Kernel command line: console=$CONSOLE panic=-1 HOP_MARKER=systemd-$m\$" \
	"^HOP-STAGE2 cmdline: console=$CONSOLE panic=-1 HOP_MARKER=systemd-$m\$" \
	"^HOP-STAGE2 ok" \
	"!Failed to execute '/sbin/kexec'" "!Kernel panic" "!hop: error"
echo "  (vm/$ARCH/systemd: root ${rootsecs}s, boot ${KX_SECONDS}s)" >&2
