/* The agent's boot configurations (README, "Boot configurations":
 * hop.config, hop.entry): where they are, reading them with the parsers of
 * lib/bootcfg/, and an entry's files as sources (lib/agent/bootsel.c).
 *
 * A configuration lives on a file system whose root the agent sees at
 * fsroot: "" for the initramfs, "/run/hop/mnt/vda1" for a mounted device.
 * Paths inside a configuration are relative to that file system. */
#ifndef HOP_BOOTSEL_H
#define HOP_BOOTSEL_H

#include <stddef.h>

#include "bootcfg.h"
#include "url.h"

enum bootcfg_kind {
	BOOTCFG_EXTLINUX, BOOTCFG_BLS, BOOTCFG_GRUB, BOOTCFG_KEXECBOOT,
	BOOTCFG_ESXI, BOOTCFG_IPXE
};

/* one configuration found */
struct found_config {
	char fsroot[96];	/* where its file system is seen, "" or a mount */
	char dev[64];		/* its device as the user named it, "" for the
				 * initramfs */
	char shown[200];	/* for the log: "/dev/vda1:/boot/grub/grub.cfg" */
	/* fetched from a server: what its relative paths resolve against
	 * (its own URL, or pxelinux's prefix); "" on a file system */
	char url[URL_MAX + 1];
	enum bootcfg_kind kind;
	struct boot_config c;
	/* bootsel_find: the known place it was found at, from 1 (the next
	 * search of the same file system starts after it); 0: named */
	size_t place;
};

const char *bootcfg_kind_name(enum bootcfg_kind k);
/* the file names hop.config=auto looks for, for a message:
 * "extlinux.conf, syslinux.cfg, isolinux.cfg, loader/entries, grub.cfg,
 * loopback.cfg, boot.cfg" */
const char *bootsel_looked_for(void);

/* the format of the configuration at path (relative to its file system):
 * a directory is BLS (ROOT or ROOT/loader/entries), "grub.cfg" and
 * "loopback.cfg" grub, "boot.cfg" kexecboot (bootsel_read makes it ESXi
 * when its text is: bootsel_is_esxi), "*.ipxe" an iPXE script, anything
 * else extlinux/syslinux/isolinux. *bls_root gets the directory holding loader/ for BLS (pure). */
enum bootcfg_kind bootsel_kind(const char *path, int is_dir,
	char *bls_root, size_t rootsz);

/* 1 when a boot.cfg's text is ESXi's, not kexecboot's: a "modules=" and
 * a "kernel=" line, keys in lower case as ESXi writes them (kexecboot has
 * no modules key, and Yocto writes its keys in capitals) (pure) */
int bootsel_is_esxi(const char *text);

/* reads and parses the configuration at path on the file system seen at
 * fsroot, into fc (fsroot, shown = dev ":" path when dev is not NULL),
 * spending from budget, the boot's (NULL: a default one for this read);
 * 0, or -errno with fc->c.why set */
int bootsel_read(const char *fsroot, const char *dev, const char *path,
	struct bootcfg_budget *budget, struct found_config *fc);

/* 1 when text is an iPXE script: "#!ipxe" (or gPXE's "#!gpxe") first */
int bootsel_is_ipxe(const char *text);

/* a configuration's text fetched from url (netboot.c), parsed as its
 * text or name says (an iPXE script, grub.cfg, boot.cfg, else
 * extlinux/pxelinux) with relative paths against base (pxelinux's prefix
 * folder; NULL: url itself, as petitboot has it); vars: iPXE's settings
 * ("mac=52:54:00:12:34:56", NULL-terminated; NULL: none); includes are
 * not fetched. 0, or -errno with fc->c.why set */
int bootsel_parse_url(const char *text, const char *url, const char *base,
	const char *const *vars, struct bootcfg_budget *budget,
	struct found_config *fc);

/* a configuration file is text a person wrote: 1 MiB is plenty, and
 * bounds what a hostile disk or server can make the agent allocate */
#define BOOTSEL_TEXT_MAX (1u << 20)

/* the first configuration of the known places (extlinux, syslinux,
 * isolinux, BLS, grub, kexecboot or ESXi; bootsel.c lists them) on the
 * file system at fsroot that parses with at least one entry: 0, or
 * -ENOENT (nothing there; a file that is there but refused is logged as a
 * warning, and the next place is tried) */
int bootsel_find(const char *fsroot, const char *dev,
	struct bootcfg_budget *budget, struct found_config *fc);
/* bootsel_find from the known place after place (fc->place of a
 * configuration found before; 0: from the first): hop bootcfg shows the
 * configurations the agent does not read */
int bootsel_find_after(const char *fsroot, const char *dev, size_t place,
	struct bootcfg_budget *budget, struct found_config *fc);

/* an entry's file (kernel, initrd, dtb path) as a source for
 * source_resolve: "LABEL=x:/path" or "UUID=x:/path" when the entry found
 * its root by grub's search, else "DEV:/path" on the configuration's own
 * device (opened inside its file system only), or "/path" for a
 * configuration of the initramfs; for a configuration from a server, a
 * URL on that server (or one it names). malloc'd; NULL when out of
 * memory, or (said) when a server's path makes no URL */
char *bootsel_source(const struct found_config *fc,
	const struct boot_entry *e, const char *path);

/* does the flattened tree fdt (len bytes, 8-byte aligned) list compat in
 * its root's compatible? (pure; 0 for a tree libfdt refuses) */
int bootsel_fdt_compatible(const void *fdt, size_t len, const char *compat);

/* names read from one folder (BLS entries, an fdtdir): a real one has
 * tens; the parsers' budget refuses a folder with more */
#define BOOTSEL_LIST_MAX 4096
/* the .dtb bytes one fdtdir search reads: Debian's arm64 kernel ships
 * about 1000 trees, 40 MiB in all */
#define FDTDIR_READ_MAX (64u << 20)

/* extlinux fdtdir: the .dtb file under fsroot + dir (or one folder down,
 * as kernel packages install them: DIR/VENDOR/BOARD.dtb) whose root
 * compatible lists compat (the running machine's most specific one):
 * malloc'd fsroot-relative path in *out. 0, -ENOENT, -ENOMEM, -E2BIG
 * (none found in what one search may read: FDTDIR_READ_MAX bytes,
 * BOOTSEL_LIST_MAX names a folder) */
int bootsel_fdtdir(const char *fsroot, const char *dir, const char *compat,
	char **out);

/* one entry of one of the configurations found */
struct candidate {
	size_t cfg, entry;
};

/* where hop.entry=want points: a number N is the Nth entry (from 0) of
 * all the configurations' entries in the order found (as hop.menu lists
 * them); a name the first entry with that label, else that title
 * (bootcfg_choose); want NULL or "": the first configuration's default. 0, or -ENOENT (then *cfg, *entry are
 * the first configuration's default) */
int bootsel_want(const struct found_config *fc, size_t n, const char *want,
	size_t *cfg, size_t *entry);

/* every entry of the n configurations in the order the agent tries them:
 * (cfg, entry) first, then the entries after it and before it in that
 * configuration, then each other configuration in order, from its
 * default. A malloc'd array in *out; the count, or -ENOMEM */
int bootsel_candidates(const struct found_config *fc, size_t n, size_t cfg,
	size_t entry, struct candidate **out);

#endif
