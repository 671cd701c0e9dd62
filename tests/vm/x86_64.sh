#!/bin/sh
# VM tests on x86_64: Debian's cloud kernel kexecs into itself with hop.
# Prints one PASS/FAIL/SKIP line per test.
ARCH=x86_64
. tests/vm/lib.sh

tests="file_load two_initrds no_initrd missing_kernel load sha256 sha256_mismatch lockdown onfail_shell"
vm_start $tests
vm_prepare
m=$$

# 1: kexec_file_load into the same kernel; the marker reaches the next
# command line and hop.* keys do not (hop.reuse=1 strips them)
vm_boot file_load "hop.kernel=/boot/vmlinuz hop.initrd=/boot/stage2.cpio.gz hop.append=\"HOP_MARKER=one-$m hop_x=1\" hop.onfail=poweroff"
vm_expect file_load "^hop: loaded via kexec_file_load" "^hop: exec$" \
	"Kernel command line: console=$CONSOLE panic=-1 HOP_MARKER=one-$m hop_x=1\$" \
	"^HOP-STAGE2 cmdline: console=$CONSOLE panic=-1 HOP_MARKER=one-$m hop_x=1\$" \
	"^HOP-STAGE2 ok" "!Kernel panic" "!hop: error"

# 2: two initrds, concatenated in a memfd: both arrive
vm_boot two_initrds "hop.kernel=/boot/vmlinuz hop.initrd=/boot/stage2.cpio.gz,/boot/extra.cpio hop.append=HOP_MARKER=two-$m hop.onfail=poweroff"
vm_expect two_initrds "^hop: loaded via kexec_file_load" \
	"^HOP-STAGE2 cmdline: .*HOP_MARKER=two-$m" \
	"^HOP-STAGE2 extra: HOP-EXTRA-OK" "^HOP-STAGE2 ok" "!Kernel panic"

# 3: no initrd: KEXEC_FILE_NO_INITRAMFS; the next kernel starts (and, with
# no root to mount, panics and reboots: -no-reboot ends QEMU)
vm_boot no_initrd "hop.kernel=/boot/vmlinuz hop.cmdline=\"console=$CONSOLE panic=-1 HOP_MARKER=three-$m\" hop.onfail=poweroff"
vm_expect no_initrd "^hop: loaded via kexec_file_load" \
	"Kernel command line: console=$CONSOLE panic=-1 HOP_MARKER=three-$m\$" \
	"!hop: error"

# 4: a missing kernel: one error line, the onfail action, no panic
vm_boot missing_kernel "hop.kernel=/boot/missing hop.onfail=poweroff"
vm_expect missing_kernel \
	"^hop: error: /boot/missing: open: ENOENT \(No such file or directory\)" \
	"^hop: onfail: poweroff" "reboot: Power down" "!Kernel panic" \
	"!hop: exec"

# 5: kexec_load (the bzImage planner) with a 16 MiB initrd: every byte
# arrives (stage 2 checks its sha256)
vm_boot load "hop.kernel=/boot/vmlinuz hop.initrd=/boot/stage2.cpio.gz,/boot/big.cpio hop.syscall=load hop.append=HOP_MARKER=load-$m hop.onfail=poweroff" big
vm_expect load "^hop: loaded via kexec_load" "^hop: exec$" \
	"Kernel command line: .*HOP_MARKER=load-$m" "^HOP-STAGE2 big: OK" \
	"^HOP-STAGE2 ok" "!Kernel panic" "!hop: error"

# 6, 7: SHA-256 pins over the bytes that are loaded (sealed memfd copies)
ksum=$(sha256sum "$V/stage1/boot/vmlinuz" | cut -d' ' -f1)
isum=$(sha256sum "$V/stage1/boot/stage2.cpio.gz" | cut -d' ' -f1)
vm_boot sha256 "hop.kernel=/boot/vmlinuz hop.kernel.sha256=$ksum hop.initrd=/boot/stage2.cpio.gz hop.initrd.sha256=$isum hop.append=HOP_MARKER=sha-$m hop.onfail=poweroff"
vm_expect sha256 "^hop: loaded via kexec_file_load" \
	"^HOP-STAGE2 cmdline: .*HOP_MARKER=sha-$m" "^HOP-STAGE2 ok" "!hop: error"
bad=0000000000000000000000000000000000000000000000000000000000000000
vm_boot sha256_mismatch "hop.kernel=/boot/vmlinuz hop.kernel.sha256=$bad hop.onfail=poweroff"
vm_expect sha256_mismatch \
	"^hop: error: /boot/vmlinuz: SHA-256 mismatch: the file has $ksum, hop.kernel.sha256 wants $bad" \
	"^hop: onfail: poweroff" "!hop: exec" "!Kernel panic"

# 8: lockdown=integrity: kexec_file_load refuses (no trusted key for
# Debian's signature without UEFI, docs/kernel-abi.md §7); hop says why,
# does not try kexec_load (refused by the same policy), takes the onfail
# action
vm_boot lockdown "lockdown=integrity hop.kernel=/boot/vmlinuz hop.onfail=poweroff"
vm_expect lockdown \
	"^hop: error: /boot/vmlinuz: kexec_file_load: EPERM: .*kernel lockdown: integrity.*not falling back to kexec_load" \
	"^hop: onfail: poweroff" "!hop: fallback" "!hop: exec" "!Kernel panic"

# 9: hop.onfail=shell, someone at the console: ctrl-c reaches the shell's
# command (its own session, the console as controlling tty), an orphan is
# reaped by PID 1, an exited shell is replaced, and busybox's poweroff
# (SIGUSR2 to PID 1, no -f) is obeyed. The markers are computed in the
# guest, so the echoed input never matches them.
onfail_shell_drive() {
	vm_wait onfail_shell "^hop: onfail: starting /bin/sh" 60 || return 0
	sleep 2
	printf 't=$(date +%%s)\n'
	printf 'sleep 30\n'
	sleep 2
	printf '\003'
	sleep 1
	printf 'echo HOP-CTRLC-after-$(( $(date +%%s) - t ))s\n'
	vm_wait onfail_shell "^HOP-CTRLC-after" 40
	printf "sh -c 'sleep 1 &'; sleep 3; echo HOP-ZOMBIES-\$(grep -l "
	printf "'^State:.*Z' /proc/[0-9]*/status | wc -l)\n"
	vm_wait onfail_shell "^HOP-ZOMBIES-" 20
	printf 'exit\n'
	vm_wait onfail_shell "^hop: onfail: shell exited" 10
	sleep 3
	printf 'poweroff\n'
	vm_wait onfail_shell "Power down" 30
}
vm_boot_tty onfail_shell "hop.kernel=/boot/missing hop.onfail=shell" \
	onfail_shell_drive
vm_expect onfail_shell "^hop: onfail: shell$" \
	"^hop: onfail: starting /bin/sh on the console" \
	"^HOP-CTRLC-after-[0-9]s" "^HOP-ZOMBIES-0" \
	"^hop: onfail: shell exited \(status 0\), starting another" \
	"^hop: SIGUSR2: poweroff" "reboot: Power down" "!Kernel panic" \
	"!no controlling tty" "!can.t access tty"
