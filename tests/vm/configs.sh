#!/bin/sh
# The build configurations other than full (configs/features.mk): each
# boots the next kernel from the keys (hop.kernel, hop.initrd), and the
# minimal one refuses what it does not have in one line.
ARCH=${ARCH:-x86_64}
. tests/vm/lib.sh
tests="config-minimal config-default"
vm_start $tests
m=$$
for c in minimal default; do
	HOP_CONFIG=$c
	. tests/vm/lib.sh
	if [ ! -x "$B/hop" ]; then
		echo "FAIL vm/$ARCH/config-$c: no $B/hop (make ARCH=$ARCH CONFIG=$c)"
		continue
	fi
	vm_prepare
	# the minimal build refuses a boot configuration and boots nothing
	# then: its own boot shows the refusal, a second boot the kernel
	if [ "$c" = minimal ]; then
		vm_boot config-minimal-refuse "hop.config=auto hop.onfail=poweroff"
		vm_expect config-minimal-refuse \
			"^hop: error: hop.config: not built into this hop \(make CONFIG=full builds it\)" \
			"^hop: onfail: poweroff" "!hop: exec" "!Kernel panic"
	fi
	vm_boot "config-$c" "hop.kernel=/boot/vmlinuz hop.initrd=/boot/stage2.cpio.gz hop.append=HOP_MARKER=cfg-$c-$m hop.onfail=poweroff"
	vm_expect "config-$c" "^hop: loaded via kexec_(file_)?load" \
		"^HOP-STAGE2 cmdline: .*HOP_MARKER=cfg-$c-$m" "^HOP-STAGE2 ok" \
		"!hop: error" "!Kernel panic"
	echo "INFO size/$ARCH/$c: $(wc -c <"$B/hop") bytes (static, stripped)"
done
