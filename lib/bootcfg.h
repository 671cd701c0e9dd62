/* Boot configurations (hop.config, hop.entry): pure parsers of
 * extlinux.conf, BLS Type #1 entries, a grub.cfg subset and kexecboot's
 * boot.cfg into one list of entries. No file I/O: the text comes from the
 * caller, and the files a configuration names (extlinux includes, BLS
 * entries) through callbacks, so tests use in-memory fixtures.
 *
 * Paths stay as written, relative to the root of the file system the
 * configuration came from (the caller resolves them), except extlinux paths
 * relative to the configuration file, which are made absolute the way u-boot
 * does it (bootcfg_extlinux). Every parser returns 0, or -errno with a
 * precise sentence in why ("extlinux.conf:12: include loop: a.conf ->
 * b.conf -> a.conf"); it never prints. Entries without a kernel (grub's
 * chainloader or fwsetup entries, syslinux's localboot, BLS efi entries)
 * are dropped with a note; a configuration with no entry left is refused
 * (-ENOENT). */
#ifndef BOOTCFG_H
#define BOOTCFG_H

#include <stddef.h>

#include "hop.h"

struct boot_entry {
	char *label;		/* what hop.entry=LABEL matches: extlinux label,
				 * BLS entry id, grub --id (else its title),
				 * kexecboot LABEL */
	char *title;		/* menu label / title, NULL when none */
	char *kernel;
	char *initrd[HOP_MAX_INITRD];
	size_t ninitrd;
	char *cmdline;		/* NULL: none given */
	char *dtb;
	char *fdtdir;		/* extlinux fdtdir: the caller picks the file */
	char *search_label;	/* grub search --label --set=root LABEL */
	char *search_uuid;	/* grub search --fs-uuid --set=root UUID */
	/* grub "multiboot"/"multiboot2 PATH ARGS" (kernel and cmdline as
	 * for linux): 1 or 2; 0 for a Linux entry */
	int multiboot;
	/* grub "module"/"module2 PATH ARGS": the file and its string,
	 * "PATH ARGS" with PATH as written (bootcfg_grub.c says why) */
	char *module[HOP_MAX_MODULES];
	char *module_cmdline[HOP_MAX_MODULES];
	size_t nmodule;
};

#define BOOTCFG_NO_TIMEOUT (-1)

struct boot_config {
	struct boot_entry *e;
	size_t n;
	int def;		/* index of the default entry, -1: none */
	int timeout_ds;		/* deciseconds, BOOTCFG_NO_TIMEOUT when not
				 * given (or grub's -1, wait for ever) */
	char why[256];		/* on failure: why, with file and line */
	char note[256];		/* first thing ignored or dropped, "" if none */
	unsigned nnotes;	/* how many such things */
};

/* The caller's file access. read: the whole file at path, NUL ended, in
 * *text (malloc'd, the parser frees it); list: the names (not paths) in
 * directory dir, in *names (the array and each name malloc'd, the parser
 * frees them). Both return 0 or -errno. */
struct bootcfg_io {
	int (*read)(void *ctx, const char *path, char **text);
	int (*list)(void *ctx, const char *dir, char ***names, size_t *n);
	void *ctx;
};

/* extlinux.conf / syslinux.cfg as u-boot's distro boot reads it. path is
 * the file's absolute path on its file system ("/boot/extlinux/
 * extlinux.conf"): relative kernel, initrd, fdt, fdtdir and include paths
 * are relative to its directory. io->read serves include; io may be NULL
 * when there is none. */
int bootcfg_extlinux(const char *text, const char *path,
	const struct bootcfg_io *io, struct boot_config *out);

/* Boot Loader Specification Type #1: ROOT/loader/entries/ *.conf and
 * ROOT/loader/loader.conf (optional) through io. root is where the
 * partition is seen, "" or "/" for the caller's root. */
int bootcfg_bls(const char *root, const struct bootcfg_io *io,
	struct boot_config *out);

/* grub.cfg, the subset grub-mkconfig writes (see bootcfg_grub.c). name
 * names the file in messages (NULL: "grub.cfg"). */
int bootcfg_grub(const char *text, const char *name, struct boot_config *out);

/* kexecboot's boot.cfg (NULL name: "boot.cfg") */
int bootcfg_kexecboot(const char *text, const char *name,
	struct boot_config *out);

/* the index hop.entry=want picks: NULL or "" the default (else 0); digits
 * the Nth entry of c (0-based, in c's order); else the first entry whose
 * label, then whose title, equals want. -ENOENT when none. */
int bootcfg_choose(const struct boot_config *c, const char *want);

void bootcfg_free(struct boot_config *c);

/* the UAPI Version Format Specification's comparison (systemd's
 * strverscmp_improved): <0, 0, >0; NULL and "" sort lowest */
int bootcfg_vercmp(const char *a, const char *b);

/* 1 when s matches the glob pat (loader.conf's default: '*', '?',
 * '[...]', '\\'; bytes, no locale), else 0 (pure) */
int bootcfg_glob(const char *pat, const char *s);

/* ---- shared by the parsers (lib/bootcfg.c), not for callers ---- */
void bootcfg_init(struct boot_config *c);
struct boot_entry *bootcfg_new_entry(struct boot_config *c);
void bootcfg_entry_free(struct boot_entry *e);
/* frees every entry, writes why, returns err */
int bootcfg_refuse(struct boot_config *c, int err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void bootcfg_note(struct boot_config *c, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* *dst = a copy of s[0..n) (the old value freed); 0 or -ENOMEM */
int bootcfg_setn(char **dst, const char *s, size_t n);
int bootcfg_set(char **dst, const char *s);
/* *dst += " " s (or s when *dst is NULL or empty) */
int bootcfg_join(char **dst, const char *s);
/* 0, -E2BIG when e holds HOP_MAX_INITRD already, -ENOMEM */
int bootcfg_add_initrd(struct boot_entry *e, const char *s, size_t n);
/* the next line of a writable text, in place: the line end ("\n", "\r\n")
 * cut, leading and trailing blanks skipped; NULL at the end */
char *bootcfg_line(char **p, unsigned *lineno);
/* drops the entries without a kernel (a note each, def kept pointing at
 * the same entry or -1), refuses when none is left */
int bootcfg_finish(struct boot_config *c, const char *name);
/* "123" -> 123; -1 for anything else (sign, junk, overflow) */
long bootcfg_number(const char *s);

#endif
