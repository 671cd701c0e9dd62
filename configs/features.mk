# The build configurations, one line each (make CONFIG=NAME; README,
# "Build configurations"). A feature's sources are left out of the
# others, and -DHOP_FEAT_<FEATURE>=1 tells the code what is in: a key of
# a feature left out is a "not built into this hop" error.
#   KEXEC      the kexec applet (kexec-tools' options)
#   WATCH      the watch applet: reloads on memory hotplug
#   BOOTCFG    boot configurations (hop.config, hop.entry): finding,
#              reading, trying entries, the bootcfg applet and hop init
#              --list; with one parser or more of
#   EXTLINUX BLS GRUB KEXECBOOT ESXI (ESXi's boot.cfg: its entry is a
#              multiboot kernel, which only an x86_64 MULTIBOOT build
#              loads; elsewhere it parses and its load fails)
#   MENU       hop.menu=1
#   KDUMP      panic kernels through kexec_load (the ELF core header)
#   ELF        ELF kernels (x86_64)
#   MULTIBOOT  multiboot v1 and v2 kernels and modules (x86_64; with ELF)
#   NET        network boot: sources by URL (http, tftp), hop.net (DHCP
#              or static), hop.config=URL and pxe (lib/net/'s pure
#              parsers stay: what is not called is not linked)
#   IPXE       iPXE scripts as boot configurations (hop.config=URL of
#              one, or a DHCP boot file NAME.ipxe)
#   TLS        https:// sources, verified against hop.ca (BearSSL; with
#              NET)
#   SIG        minisign and signify signatures checked (lib/trust/sig.c:
#              Ed25519 and BLAKE2b from libsodium, the library minisign
#              itself uses)
#   MEASURE    TPM 2.0: PCR_Extend and the TCG event log (lib/trust/)
#              and the eventlog applet; BearSSL's SHA-1/256/384/512
#              (TLS_LIB, on every link line: no TLS needed)
#   UKI        Unified Kernel Images: a PE file (systemd-stub's) whose
#              sections carry the kernel, initrd, command line, tree
#              and os-release, profiles included (lib/plan/uki.c), booted
#              as a kernel (lib/load/unpack.c) and, with BLS, found as
#              Type #2 entries in /EFI/Linux
#   FIT        u-boot FIT images (lib/plan/fit.c: the images, the
#              configuration for this machine's compatible strings, the
#              hashes, with libfdt, BearSSL's and hop's own digests),
#              booted as a kernel (lib/load/unpack.c)
#   GZIP       gzip'd kernels (libdeflate): Image.gz and zboot, arm64's
#              own formats, so there in every arm64 configuration; a
#              gzip'd vmlinux or zImage elsewhere (lib/plan/inflate.c stays:
#              what is not called is not linked)
GZIP_$(ARCH) := $(if $(filter arm64,$(ARCH)),GZIP)
FEATURES_minimal := KEXEC $(GZIP_$(ARCH))
FEATURES_default := KEXEC WATCH BOOTCFG EXTLINUX BLS GRUB KDUMP NET \
	TLS IPXE SIG MEASURE UKI FIT $(GZIP_$(ARCH))
FEATURES_full := $(filter-out GZIP,$(FEATURES_default)) KEXECBOOT ESXI \
	MENU ELF MULTIBOOT GZIP
ALL_FEATURES := $(FEATURES_full)

SRC_KEXEC := applet/kexec.c
SRC_WATCH := applet/watch.c lib/load/uevent.c
SRC_BOOTCFG := lib/agent/bootsel.c lib/bootcfg/bootcfg.c applet/bootcfg.c \
	lib/agent/bootlist.c lib/base/json.c
SRC_EXTLINUX := lib/bootcfg/bootcfg_extlinux.c
SRC_BLS := lib/bootcfg/bootcfg_bls.c
SRC_GRUB := lib/bootcfg/bootcfg_grub.c
SRC_KEXECBOOT := lib/bootcfg/bootcfg_kexecboot.c
SRC_ESXI := lib/bootcfg/bootcfg_esxi.c
SRC_MENU := lib/agent/menu.c
SRC_KDUMP := lib/plan/elfcore.c
SRC_ELF := arch/x86_64/elf.c
SRC_MULTIBOOT := arch/x86_64/multiboot.c
SRC_NET := lib/agent/netboot.c lib/net/fetch.c lib/net/link.c
SRC_TLS := lib/net/tls.c
SRC_IPXE := lib/bootcfg/bootcfg_ipxe.c
SRC_SIG := lib/trust/sig.c lib/trust/sodium_shim.c
SRC_UKI := lib/plan/uki.c
SRC_FIT := lib/plan/fit.c
SRC_MEASURE := lib/trust/tpm.c lib/trust/eventlog.c lib/trust/tpmdev.c \
	applet/eventlog.c
