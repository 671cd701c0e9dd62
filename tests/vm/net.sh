#!/bin/sh
# Network boot (issue 20) inside QEMU's user-mode network, where nothing
# leaves the machine: its DHCP server gives 10.0.2.15, its TFTP server
# serves $N/tftp as 10.0.2.2, and guestfwd hands each connection to
# 10.0.2.10x:80 to tests/vm/httpd.py on this host (one process per
# connection), each address a server of another kind: files, chunked,
# stalling, sending more than it announced, redirecting forever. Stage 1
# is hop with the virtio network driver only; the next kernel and its
# initramfs come over the wire.
ARCH=${ARCH:-x86_64}
. tests/vm/lib.sh

# every arch boots by each way there is (http with pins, tftp, pxelinux
# over DHCP and DHCPv6, iPXE, https); the refusals (hostile servers, a
# pin or a CA that does not match) and the pinned key on x86_64 only: the
# same code on every arch, and CI's time is bounded (the stalling server
# alone costs 33 s of retries)
tests="net-http_pins net-tftp net-pxe net-pxe6 net-ipxe net-https"
if [ "$ARCH" = x86_64 ]; then
	tests="$tests net-config_fallback net-pin_mismatch net-https_pinned net-https_wrong_ca"
fi
vm_start $tests
PY=$(command -v python3 || :)
if [ -z "$PY" ]; then
	vm_missing_all "python3 not installed (tests/vm/httpd.py)" $tests
	exit 0
fi
case $ARCH in
x86_64) mods="virtio_pci virtio_net" NIC=virtio-net-pci ;;
*) mods="virtio_mmio virtio_net" NIC=virtio-net-device ;;
esac
vm_prepare
N=$V/net
m=$$
con="console=$CONSOLE panic=-1"
rm -rf "$N" && mkdir -p "$N/www" "$N/tftp/boot/pxelinux.cfg" "$N/s1"
for d in "$N/www" "$N/tftp" "$N/tftp/boot"; do
	cp "$KERNEL" "$d/vmlinuz"
	cp "$V/stage1/boot/stage2.cpio.gz" "$d/stage2.cpio.gz"
done
# signatures next to the files, fetched from where the files are (the
# owner's keys in stage 1's /etc/hop): the kernel by minisign, the
# initrd by signify (its .minisig answered 404 or TFTP's not found)
mkdir -p "$N/keys" "$N/s1/etc/hop"
minisign -G -W -f -p "$N/keys/own.pub" -s "$N/keys/own.key" >/dev/null
signify-openbsd -G -n -p "$N/keys/bsd.pub" -s "$N/keys/bsd.sec"
cp "$N/keys/own.pub" "$N/keys/bsd.pub" "$N/s1/etc/hop/"
for d in "$N/www" "$N/tftp"; do
	minisign -S -s "$N/keys/own.key" -m "$d/vmlinuz" </dev/null >/dev/null
	signify-openbsd -S -s "$N/keys/bsd.sec" -m "$d/stage2.cpio.gz" \
		-x "$d/stage2.cpio.gz.sig"
done
KEYS="hop.pubkey=/etc/hop/own.pub,/etc/hop/bsd.pub"
KSHA=$(sha256sum "$KERNEL" | cut -d' ' -f1)
ISHA=$(sha256sum "$V/stage1/boot/stage2.cpio.gz" | cut -d' ' -f1)
# pxelinux: the boot file in boot/, so configurations are looked for in
# boot/pxelinux.cfg/ and relative paths are boot/'s. 01-MAC (QEMU's
# default MAC) must win over default
echo "not a real pxelinux.0" >"$N/tftp/boot/pxelinux.0"
cat >"$N/tftp/boot/pxelinux.cfg/default" <<EOF
default wrong
label wrong
	kernel vmlinuz
	initrd stage2.cpio.gz
	append $con HOP_MARKER=pxe-default
EOF
cat >"$N/tftp/boot/pxelinux.cfg/01-52-54-00-12-34-56" <<EOF
default mine
label mine
	kernel vmlinuz
	initrd stage2.cpio.gz
	append $con HOP_MARKER=pxe-mac-$m
EOF
# an iPXE script as netboot.xyz-style menus write them: a menu whose
# default item sets the kernel's arguments with imgargs and iPXE's own
# settings (${mac}, ${buildarch}), paths relative to the script
cat >"$N/www/boot.ipxe" <<EOF
#!ipxe
dhcp
set base http://10.0.2.100
menu hop test
item --key w wrong Not this one
item mine This one
choose --default mine --timeout 3000 target && goto \${target}
:wrong
kernel \${base}/vmlinuz $con HOP_MARKER=ipxe-wrong
initrd stage2.cpio.gz
boot
:mine
kernel --name linux \${base}/vmlinuz
initrd stage2.cpio.gz
imgargs linux $con HOP_MARKER=ipxe-$m-\${mac}-\${buildarch}
boot || shell
EOF
# hostile servers first, each one error line and the next entry; the
# last entry fetches through a redirect from the chunked server
cat >"$N/www/hostile.conf" <<EOF
default stall
label stall
	kernel http://10.0.2.102/vmlinuz
	initrd stage2.cpio.gz
	append $con HOP_MARKER=stall
label overlong
	kernel http://10.0.2.103/vmlinuz
	initrd stage2.cpio.gz
	append $con HOP_MARKER=overlong
label loop
	kernel http://10.0.2.104/loop/0
	initrd stage2.cpio.gz
	append $con HOP_MARKER=loop
label missing
	kernel vmlinuz-missing
	initrd stage2.cpio.gz
	append $con HOP_MARKER=missing
label good
	kernel http://10.0.2.101/redirect/vmlinuz
	initrd stage2.cpio.gz
	append $con HOP_MARKER=fallback-$m
EOF
# HTTPS: a CA, a certificate for boot.hop.test signed by it, and another
# CA; the guest finds boot.hop.test in its /etc/hosts (10.0.2.105, where
# httpd.py answers with TLS) and trusts what its /etc/hop holds
T=$N/tls
mkdir -p "$T"
for ca in ca wrong-ca; do
	openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
		-days 3650 -subj "/CN=hop test $ca" -keyout "$T/$ca.key" \
		-out "$T/$ca.pem" -addext basicConstraints=critical,CA:TRUE \
		-addext keyUsage=critical,keyCertSign 2>/dev/null
done
printf 'subjectAltName=DNS:boot.hop.test\nbasicConstraints=CA:FALSE\nkeyUsage=digitalSignature\nextendedKeyUsage=serverAuth\n' >"$T/server.ext"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes \
	-subj /CN=boot.hop.test -keyout "$T/server.key" -out "$T/server.csr" 2>/dev/null
openssl x509 -req -in "$T/server.csr" -CA "$T/ca.pem" -CAkey "$T/ca.key" \
	-CAcreateserial -days 3650 -extfile "$T/server.ext" -out "$T/server.pem" 2>/dev/null
cp "$T/ca.pem" "$T/wrong-ca.pem" "$T/server.pem" "$N/s1/etc/hop/"
printf '10.0.2.105 boot.hop.test\n' >"$N/s1/etc/hosts"
k=$KERNEL
MODULES="$mods" KMOD_ROOT=${k%/boot/*} KMOD_REL=${k##*/vmlinuz-} \
	initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" \
	"$N/stage1.cpio.gz" "$N/s1"

fwd() {	# fwd LAST-OCTET MODE: a guestfwd to httpd.py
	printf ',guestfwd=tcp:10.0.2.%s:80-cmd:%s %s/tests/vm/httpd.py %s %s' \
		"$1" "$PY" "$PWD" "$2" "$PWD/$N/www"
}
NETDEV="user,id=n0,tftp=$PWD/$N/tftp,bootfile=boot/pxelinux.0$(fwd 100 files)$(fwd 101 chunked)$(fwd 102 stall)$(fwd 103 overlong)$(fwd 104 loop),guestfwd=tcp:10.0.2.105:443-cmd:$PY $PWD/tests/vm/httpd.py files $PWD/$N/www --tls $PWD/$T/server.pem $PWD/$T/server.key"

net_boot() {	# net_boot NAME APPEND
	name=$1
	log=$V/$name.log
	set -- $QEMU $QEMU_ARGS -nographic -no-reboot -kernel "$KERNEL" \
		-initrd "$N/stage1.cpio.gz" -netdev "$NETDEV" \
		-device "$NIC,netdev=n0" \
		-append "$con no_timer_check hop.modules=$(echo $mods | tr ' ' ,) hop.onfail=poweroff $2"
	QEMU_CMD="$*"
	start=$(date +%s)
	timeout "$VM_TIMEOUT" "$@" </dev/null >"$log" 2>&1 || :
	echo $(( $(date +%s) - start )) >"$V/$name.time"
	tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
}

# 1: kernel and initrd by http://, both pinned: hashed as received; and
# signed, the signatures fetched from the same server
net_boot net-http_pins "hop.kernel=http://10.0.2.100/vmlinuz hop.initrd=http://10.0.2.100/stage2.cpio.gz hop.kernel.sha256=$KSHA hop.initrd.sha256=$ISHA $KEYS hop.debug=1 hop.append=HOP_MARKER=http-$m"
vm_expect net-http_pins \
	"^hop: net: eth0: 10\.0\.2\.15/24 via 10\.0\.2\.2 \(DHCP server 10\.0\.2\.2\)" \
	"^hop: net: http://10\.0\.2\.100/vmlinuz: [0-9]+ bytes in" \
	"^hop: debug: http://10\.0\.2\.100/vmlinuz verified \(hop\.kernel\.sha256\)" \
	"^hop: debug: http://10\.0\.2\.100/stage2\.cpio\.gz verified \(hop\.initrd\.sha256\)" \
	"^hop: kernel http://10\.0\.2\.100/vmlinuz: signed by key [0-9A-F]{16}\$" \
	"^hop: initrd http://10\.0\.2\.100/stage2\.cpio\.gz: signed by key [0-9A-F]{16}\$" \
	"^hop: loaded via kexec_(file_)?load" \
	"^HOP-STAGE2 cmdline: .*HOP_MARKER=http-$m" "^HOP-STAGE2 ok" \
	"!hop: error" "!Kernel panic"

# 2: tftp:// from QEMU's own TFTP server (blksize and tsize negotiated),
# signed, the signatures by TFTP too
net_boot net-tftp "hop.kernel=tftp://10.0.2.2/vmlinuz hop.initrd=tftp://10.0.2.2/stage2.cpio.gz $KEYS hop.append=HOP_MARKER=tftp-$m"
vm_expect net-tftp "^hop: net: tftp://10\.0\.2\.2/vmlinuz: [0-9]+ bytes in" \
	"^hop: kernel tftp://10\.0\.2\.2/vmlinuz: signed by key [0-9A-F]{16}\$" \
	"^hop: initrd tftp://10\.0\.2\.2/stage2\.cpio\.gz: signed by key [0-9A-F]{16}\$" \
	"^hop: loaded via kexec_(file_)?load" \
	"^HOP-STAGE2 cmdline: .*HOP_MARKER=tftp-$m" "^HOP-STAGE2 ok" \
	"!hop: error" "!Kernel panic"

# 3: pxelinux discovery: DHCP's boot file boot/pxelinux.0 from 10.0.2.2,
# boot/pxelinux.cfg/01-52-54-00-12-34-56 before default, paths relative
# to boot/
net_boot net-pxe "hop.config=pxe"
vm_expect net-pxe \
	"^hop: net: pxe: boot file tftp://10\.0\.2\.2/boot/pxelinux\.0, configurations under tftp://10\.0\.2\.2/boot/" \
	"^hop: config: tftp://10\.0\.2\.2/boot/pxelinux\.cfg/01-52-54-00-12-34-56 \(extlinux\): 1 entries" \
	"^hop: net: fetching tftp://10\.0\.2\.2/boot/vmlinuz" \
	"^HOP-STAGE2 cmdline: $con HOP_MARKER=pxe-mac-$m\$" "^HOP-STAGE2 ok" \
	"!hop: error" "!Kernel panic"

# 3b: the same over IPv6: an address from QEMU's router advertisements
# (SLAAC), the boot file URL from its DHCPv6 server (option 59), TFTP
# to [fec0::2] (libslirp writes it out in full); pxelinux has no IPv4
# names to try there
net_boot net-pxe6 "hop.net=dhcp6 hop.config=pxe"
vm_expect net-pxe6 \
	"^hop: net: eth0: fec0:.* \(SLAAC\), boot file URL tftp://\[fec0:[0:]*2\]/boot/pxelinux\.0 \(DHCPv6\)" \
	"^hop: config: tftp://\[fec0:[0:]*2\]/boot/pxelinux\.cfg/01-52-54-00-12-34-56 \(extlinux\): 1 entries" \
	"^hop: net: tftp://\[fec0:[0:]*2\]/boot/vmlinuz: [0-9]+ bytes in" \
	"^HOP-STAGE2 cmdline: $con HOP_MARKER=pxe-mac-$m\$" "^HOP-STAGE2 ok" \
	"!hop: error" "!Kernel panic"

# 3c: an iPXE script by http://
net_boot net-ipxe "hop.config=http://10.0.2.100/boot.ipxe"
case $ARCH in x86_64) barch=x86_64 ;; arm64) barch=arm64 ;; *) barch=arm32 ;; esac
vm_expect net-ipxe \
	"^hop: config: http://10\.0\.2\.100/boot\.ipxe \(iPXE\): 2 entries, default \"mine\"" \
	"^hop: net: fetching http://10\.0\.2\.100/stage2\.cpio\.gz" \
	"^HOP-STAGE2 cmdline: $con HOP_MARKER=ipxe-$m-52:54:00:12:34:56-$barch\$" \
	"^HOP-STAGE2 ok" "!hop: error" "!Kernel panic"

# 4: a configuration by http://, its entries failing one by one against
# hostile servers (one error line each, then the next entry), the last
# through a redirect to a chunked body
if [ "$ARCH" = x86_64 ]; then
	net_boot net-config_fallback "hop.config=http://10.0.2.100/hostile.conf"
	vm_expect net-config_fallback \
		"^hop: error: entry \"stall\" kernel: http://10\.0\.2\.102/vmlinuz: 10\.0\.2\.102:80: stalled: no byte for 10 s before the response head ended \(ETIMEDOUT\)" \
		"^hop: error: entry \"overlong\" kernel: http://10\.0\.2\.103/vmlinuz: 10\.0\.2\.103:80: sent more than (it announced \([0-9]+ bytes\) \(EFBIG\)|the [0-9]+ bytes it announced \(EPROTO\))\$" \
		"^hop: error: entry \"loop\" kernel: http://10\.0\.2\.104/loop/0: 10\.0\.2\.104:80: more than 5 redirects \(the last to http://10\.0\.2\.104/loop/6\) \(ELOOP\)" \
		"^hop: error: entry \"missing\" kernel: http://10\.0\.2\.100/vmlinuz-missing: 10\.0\.2\.100:80: HTTP 404 Not Found \(ENOENT\)" \
		"^hop: net: http://10\.0\.2\.101/redirect/vmlinuz: redirected to http://10\.0\.2\.101/vmlinuz" \
		"^HOP-STAGE2 cmdline: $con HOP_MARKER=fallback-$m\$" "^HOP-STAGE2 ok" \
		"!Kernel panic"
fi

# 5: a pin the received bytes do not match: one line, hop.onfail
if [ "$ARCH" = x86_64 ]; then
	net_boot net-pin_mismatch "hop.kernel=http://10.0.2.100/vmlinuz hop.kernel.sha256=$ISHA"
	vm_expect net-pin_mismatch \
		"^hop: error: http://10\.0\.2\.100/vmlinuz: SHA-256 mismatch: the bytes received have $KSHA, hop\.kernel\.sha256 wants $ISHA" \
		"^hop: onfail: poweroff" "!hop: loaded" "!Kernel panic"
fi

# 6: HTTPS verified against the CA in the initramfs, pinned as well
net_boot net-https "hop.kernel=https://boot.hop.test/vmlinuz hop.initrd=https://boot.hop.test/stage2.cpio.gz hop.ca=/etc/hop/ca.pem hop.kernel.sha256=$KSHA hop.append=HOP_MARKER=https-$m"
vm_expect net-https "^hop: net: https://boot\.hop\.test/vmlinuz: [0-9]+ bytes in" \
	"^hop: loaded via kexec_(file_)?load" \
	"^HOP-STAGE2 cmdline: .*HOP_MARKER=https-$m" "^HOP-STAGE2 ok" \
	"!hop: error" "!Kernel panic"

# 7: HTTPS with the server's key pinned (its certificate as hop.ca=key:)
if [ "$ARCH" = x86_64 ]; then
	net_boot net-https_pinned "hop.kernel=https://boot.hop.test/vmlinuz hop.initrd=https://boot.hop.test/stage2.cpio.gz hop.ca=key:/etc/hop/server.pem hop.append=HOP_MARKER=pinned-$m"
	vm_expect net-https_pinned "^hop: loaded via kexec_(file_)?load" \
		"^HOP-STAGE2 cmdline: .*HOP_MARKER=pinned-$m" "^HOP-STAGE2 ok" \
		"!hop: error" "!Kernel panic"
fi

# 8: a CA that did not sign the server's certificate: refused, one line
if [ "$ARCH" = x86_64 ]; then
	net_boot net-https_wrong_ca "hop.kernel=https://boot.hop.test/vmlinuz hop.ca=/etc/hop/wrong-ca.pem"
	vm_expect net-https_wrong_ca \
		"^hop: error: hop\.kernel: https://boot\.hop\.test/vmlinuz: boot\.hop\.test:443: TLS: its certificate chain does not lead to a CA of hop\.ca \(BearSSL error 62\) sending the request \(EPROTO\)" \
		"^hop: onfail: poweroff" "!hop: loaded" "!Kernel panic"
fi
