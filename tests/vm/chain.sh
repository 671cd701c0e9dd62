#!/bin/sh
# Reboot chains (issue 7): one QEMU run, ten consecutive kexecs, each done
# by hop in the stage the previous one started (tests/vm/chain-init).
ARCH=${ARCH:-x86_64}
. tests/vm/lib.sh
STAGES=${HOP_CHAIN_STAGES:-10}
vm_start chain
rm -rf "$V/chain" && mkdir -p "$V/chain/boot"
cp "$KERNEL" "$V/chain/boot/vmlinuz"
cp tests/vm/chain-init "$V/chain/chain-init"
initramfs/build.sh build/host/mkcpio "$B/hop" "$BUSYBOX" "$V/chain.cpio.gz" \
	"$V/chain"
name=chain
log=$V/$name.log
set -- $QEMU $QEMU_ARGS -nographic -no-reboot -kernel "$KERNEL" \
	-initrd "$V/chain.cpio.gz" \
	-append "console=$CONSOLE panic=-1 rdinit=/chain-init hop_chain=0 hop_chain_last=$STAGES"
QEMU_CMD="$*"
start=$(date +%s)
timeout $((VM_TIMEOUT * 3)) "$@" </dev/null >"$log" 2>&1 || :
tr -d '\r' <"$log" >"$log.tmp" && mv "$log.tmp" "$log"
took=$(( $(date +%s) - start ))
pats=""
i=0
while [ $i -le "$STAGES" ]; do
	pats="$pats ^HOP-CHAIN.stage.$i\$"
	i=$((i + 1))
done
vm_expect chain $pats "^HOP-CHAIN done after $STAGES kexecs" "!failed at stage" \
	"!Kernel panic"
echo "  ($STAGES kexecs in one QEMU run: ${took} s)"
