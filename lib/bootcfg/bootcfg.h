/* Boot configurations (hop.config, hop.entry): pure parsers of
 * extlinux.conf, BLS Type #1 entries, a grub.cfg subset, kexecboot's
 * boot.cfg and ESXi's boot.cfg into one list of entries. No file I/O: the
 * text comes from the caller, and the files a configuration names
 * (extlinux includes, BLS entries) through callbacks, so tests use
 * in-memory fixtures.
 *
 * BLS Type #2 entries (Unified Kernel Images in ROOT/EFI/Linux) are read
 * through io->read_at, in parts: the PE head and the .osrel and .profile
 * sections, never the whole file.
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
#include <stdint.h>

#include "hop.h"

struct boot_entry {
	char *label;		/* what hop.entry=LABEL matches: extlinux label,
				 * BLS entry id, grub --id (else its title),
				 * kexecboot LABEL */
	char *title;		/* menu label / title, NULL when none */
	char *title_raw;	/* BLS: the title as written, when title had the
				 * version (or more) added to tell it from
				 * another entry's; NULL otherwise */
	/* BLS: hop.entry also matches label ignoring case and with the
	 * file name's suffix after it, systemd-boot's entry id: 1 ".conf"
	 * (Type #1: "ID.conf"), 2 ".efi" (Type #2: "ID.efi", a profile's
	 * "ID.efi@PROFILE") */
	int label_fold;
	char *kernel;
	char *initrd[HOP_MAX_INITRD];
	size_t ninitrd;
	char *cmdline;		/* NULL: none given */
	char *dtb;
	char *fdtdir;		/* extlinux fdtdir: the caller picks the file */
	/* what to boot inside a kernel that is a container (lib/load/
	 * container.c): a Unified Kernel Image's profile (its index, or its
	 * .profile ID=), a FIT image's configuration; NULL: the default */
	char *sub;
	char *search_label;	/* grub search --label --set=root LABEL */
	char *search_uuid;	/* grub search --fs-uuid --set=root UUID */
	/* grub "multiboot"/"multiboot2 PATH ARGS" (kernel and cmdline as
	 * for linux): 1 or 2; 0 for a Linux entry */
	int multiboot;
	/* grub "module"/"module2 PATH ARGS": the file and its string,
	 * "PATH ARGS" with PATH as written (bootcfg_grub.c says why);
	 * allocated as they come (bootcfg_module_slot), at most
	 * HOP_MAX_MODULES, so a Linux entry carries no module arrays */
	char **module;
	char **module_cmdline;
	size_t nmodule;
	size_t module_cap;	/* slots allocated in both arrays */
};

#define BOOTCFG_NO_TIMEOUT (-1)

/* What all the configurations of one boot may cost together (a hostile
 * disk cannot spend more): lib/bootcfg/bootcfg.c lists the values and why. Each
 * field is what is left; a parser refuses (-E2BIG, "FILE:LINE: more than
 * N ... in this boot (hop's budget)") what would need more, before it
 * allocates where it can, so one budget bounds the memory and time of
 * every parse it serves. */
struct bootcfg_budget {
	size_t read;		/* bytes of configuration text: the text a
				 * parser is given, and what io->read gives */
	size_t expand;		/* bytes produced by variable expansion
				 * (grub), and by extlinux's append before
				 * the first label copied into each label */
	size_t entries;		/* entries created (grub: submenus too) */
	size_t files;		/* the text given, and files read through
				 * io->read (includes, BLS entries,
				 * loader.conf) */
	size_t listed;		/* names returned by io->list */
};

/* the per-boot limits, lib/bootcfg/bootcfg.c's one table */
void bootcfg_budget_default(struct bootcfg_budget *b);

struct boot_config {
	struct boot_entry *e;
	size_t n;
	int def;		/* index of the default entry, -1: none */
	int timeout_ds;		/* deciseconds, BOOTCFG_NO_TIMEOUT when not
				 * given (or grub's -1, wait for ever) */
	char why[256];		/* on failure: why, with file and line */
	char note[256];		/* first thing ignored or dropped, "" if none */
	unsigned nnotes;	/* how many such things */
	/* what the parse spends from: the caller sets it after
	 * bootcfg_init, to the one budget every configuration of the boot
	 * shares, so what is left carries from one to the next. NULL: each
	 * parse spends from a default budget of its own. */
	struct bootcfg_budget *budget;
	/* bootcfg_init's mark: budget was set by it (or after it), not
	 * stack garbage of a caller that leaves the init to the parser */
	unsigned long ready;
};

/* The caller's file access. read: the whole file at path, NUL ended, in
 * *text (malloc'd, the parser frees it); list: the names (not paths) in
 * directory dir, in *names (the array and each name malloc'd, the parser
 * frees them). Both return 0 or -errno.
 *
 * The parser can weigh a result against the budget only once it has it:
 * the callbacks bound what one call may cost. read: the caller's limit
 * per file (the agent's 1 MiB), or better what is left of budget->read
 * plus one byte, returning -E2BIG when the file is longer than that; list: it should stop reading the directory after
 * budget->listed + 1 names (or return -E2BIG), which the parser refuses
 * either way, so a folder of 100,000 names is never held whole. */
struct bootcfg_io {
	int (*read)(void *ctx, const char *path, char **text);
	int (*list)(void *ctx, const char *dir, char ***names, size_t *n);
	void *ctx;
	/* BLS Type #2's binary files, read in parts: up to len bytes of
	 * the file at path from byte off into buf, its size in *size; the
	 * count read (less than len only at the file's end), or -errno.
	 * NULL: no Unified Kernel Image is looked at. */
	long (*read_at)(void *ctx, const char *path, uint64_t off, void *buf,
		size_t len, uint64_t *size);
	/* what the parse tells the log as it goes, about what (a file):
	 * warn 1 a warning (a broken UKI skipped), 0 a debug line (a file
	 * that is no UKI). NULL: a warning becomes a note. */
	void (*say)(void *ctx, int warn, const char *what, const char *msg);
};

/* BLS Type #2 (bootcfg_bls.c), what one Unified Kernel Image may cost
 * (its bytes count against the boot's budget too, each file one of its
 * files): */
/* .efi files of one EFI/Linux folder looked at, in name order (more: a
 * note): an ESP holds a few kernels, and each costs reads */
#define BLS_UKI_MAX 64
/* the first read of a UKI, the PE headers and section table: systemd-
 * stub's end below 1 KiB; a table past it is read again up to
 * UKI_HEAD_MAX (uki.h) */
#define BLS_UKI_HEAD 4096
/* bytes of one .osrel or .profile section read (more: the first ones,
 * with a note): an os-release is a few hundred bytes */
#define BLS_UKI_TEXT_MAX 4096
/* bytes of one os-release value kept (PRETTY_NAME, VERSION, a
 * profile's TITLE...); longer: ignored, with a note */
#define BLS_UKI_VALUE_MAX 256

/* extlinux.conf / syslinux.cfg as u-boot's distro boot reads it. path is
 * the file's absolute path on its file system ("/boot/extlinux/
 * extlinux.conf"): relative kernel, initrd, fdt, fdtdir and include paths
 * are relative to its directory. io->read serves include; io may be NULL
 * when there is none. */
int bootcfg_extlinux(const char *text, const char *path,
	const struct bootcfg_io *io, struct boot_config *out);

/* Boot Loader Specification Type #1: ROOT/loader/entries/ *.conf and
 * ROOT/loader/loader.conf (optional) through io, and Type #2: the
 * Unified Kernel Images ROOT/EFI/Linux/ *.efi (when io->read_at is set),
 * one menu sorted together. root is where the partition is seen, "" or
 * "/" for the caller's root. */
int bootcfg_bls(const char *root, const struct bootcfg_io *io,
	struct boot_config *out);

/* grub.cfg, the subset grub-mkconfig and distributions write (see
 * bootcfg_grub.c). name is the file's absolute path on its file system
 * ("/boot/grub/grub.cfg": $prefix is its folder), and names it in
 * messages (NULL: "grub.cfg"). io->read serves source, configfile,
 * load_env and file tests, io->list [ -d ]; io may be NULL when there is
 * none (each of those then fails, as a missing file does). */
int bootcfg_grub(const char *text, const char *name,
	const struct bootcfg_io *io, struct boot_config *out);

/* kexecboot's boot.cfg (NULL name: "boot.cfg") */
int bootcfg_kexecboot(const char *text, const char *name,
	struct boot_config *out);

/* grub's environment block (grubenv.c): the variables of one file, in
 * the order written. A real block is 1024 bytes, so GRUBENV_MAX
 * variables are more than any holds; more is -E2BIG. */
#define GRUBENV_MAX 64
struct grubenv {
	char *name[GRUBENV_MAX];
	char *value[GRUBENV_MAX];
	size_t n;
};
/* text[0..len): 0, or -EINVAL without grub's signature line, -E2BIG
 * over GRUBENV_MAX, -ENOMEM (env emptied then) */
int grubenv_parse(const char *text, size_t len, struct grubenv *env);
/* the value of name, NULL when unset */
const char *grubenv_get(const struct grubenv *env, const char *name);
void grubenv_free(struct grubenv *env);

/* ESXi's boot.cfg (bootcfg_esxi.c): one multiboot entry, its kernel and
 * modules relative to prefix= or to path's directory (NULL path: "/",
 * named "boot.cfg") */
int bootcfg_esxi(const char *text, const char *path, struct boot_config *out);

/* an iPXE script (bootcfg_ipxe.c): "#!ipxe", kernel/initrd/chain/boot,
 * imgargs, set, goto and menus (each item an entry). name is its path
 * or URL, for messages (NULL: "script.ipxe"); URIs stay as written (the
 * caller resolves relative ones against the script's URL). vars: iPXE's
 * predefined settings the caller knows ("ip=10.0.2.15",
 * "net0/mac=52:54:00:12:34:56", "next-server=...", "platform=efi", ...),
 * NULL ended; NULL: none. bootcfg_ipxe passes none. */
int bootcfg_ipxe_vars(const char *text, const char *name,
	const char *const *vars, struct boot_config *out);
int bootcfg_ipxe(const char *text, const char *name, struct boot_config *out);
/* 1 when text is an iPXE script, as iPXE tells one: "#!ipxe" or "#!gpxe"
 * then a blank or the line's end, after an optional UTF-8 byte order
 * mark; else 0 (pure) */
int bootcfg_ipxe_is_script(const char *text);

/* the index hop.entry=want picks: NULL or "" the default (else 0); digits
 * the Nth entry of c (0-based, in c's order); else the first entry whose
 * label equals want, then (label_fold entries) whose label equals want
 * without its ".conf" (".efi": before the end or a profile's '@')
 * ignoring case, then whose title, then whose title_raw
 * equals want. -ENOENT when none. */
int bootcfg_choose(const struct boot_config *c, const char *want);

/* frees c's entries and leaves it as bootcfg_init does (budget NULL:
 * set it again before the next parse of the boot) */
void bootcfg_free(struct boot_config *c);

/* the UAPI Version Format Specification's comparison (systemd's
 * strverscmp_improved): <0, 0, >0; NULL and "" sort lowest */
int bootcfg_vercmp(const char *a, const char *b);

/* 1 when s matches the glob pat (loader.conf's default: '*', '?',
 * '[...]', '\\'; bytes, no locale), else 0 (pure) */
int bootcfg_glob(const char *pat, const char *s);

/* empties c, its budget NULL: every boot_config goes through it (or
 * bootcfg_free) before a parser gets it, which keeps c->budget */
void bootcfg_init(struct boot_config *c);

/* ---- shared by the parsers (lib/bootcfg/bootcfg.c), not for callers ---- */
/* a parser's start: out emptied but its budget kept; with none, own (the
 * parser's, filled with the defaults) serves this parse alone. bootcfg_end
 * gives the caller back what it set. */
void bootcfg_begin(struct boot_config *c, struct bootcfg_budget *own);
void bootcfg_end(struct boot_config *c, const struct bootcfg_budget *own);
enum bootcfg_cost {
	BOOTCFG_READ, BOOTCFG_EXPAND, BOOTCFG_ENTRIES, BOOTCFG_FILES,
	BOOTCFG_LISTED,
};
/* takes n from what is left of k; when less is left, refuses: -E2BIG,
 * why "FILE:LINE: more than LIMIT WHAT in this boot (hop's budget)" (line
 * 0: no line; what NULL: k's own words, e.g. "bytes of variable
 * expansion"). Nothing is taken then. */
int bootcfg_spend(struct boot_config *c, enum bootcfg_cost k, size_t n,
	const char *file, unsigned line, const char *what);
/* one more entry, paid for from the budget's entries: 0 with *e zeroed,
 * or a refusal (-E2BIG over the budget, -ENOMEM) with why at FILE:LINE */
int bootcfg_new_entry(struct boot_config *c, const char *file, unsigned line,
	struct boot_entry **e);
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
/* room for module e->nmodule (both arrays, the new slots NULL): 0,
 * -E2BIG when e holds HOP_MAX_MODULES already, -ENOMEM. The arrays grow
 * by doubling, so a hostile list costs what it holds, never more than
 * HOP_MAX_MODULES slots */
int bootcfg_module_slot(struct boot_entry *e);
/* the next line of a writable text, in place: the line end ("\n", "\r\n")
 * cut, leading and trailing blanks skipped; NULL at the end */
char *bootcfg_line(char **p, unsigned *lineno);
/* drops the entries without a kernel (a note each, def kept pointing at
 * the same entry or -1), refuses when none is left */
int bootcfg_finish(struct boot_config *c, const char *name);
/* "123" -> 123; -1 for anything else (sign, junk, overflow) */
long bootcfg_number(const char *s);

#endif
