/* Kernels that carry the rest of a boot inside them (issue 22; README,
 * "Unified Kernel Images and FIT images"): a Unified Kernel Image (a PE
 * file of systemd-stub's with .linux, .initrd, .cmdline, .dtb sections,
 * lib/plan/uki.c) or a u-boot FIT image (a device tree of images and
 * configurations, lib/plan/fit.c). Pure: the whole file's bytes in, which
 * spans of it are the kernel, the initrd and the tree, and the command
 * line it brings, out; lib/load/unpack.c makes files of them. */
#ifndef HOP_CONTAINER_H
#define HOP_CONTAINER_H

#include <stddef.h>
#include <stdint.h>

enum container_kind { CONTAINER_NONE, CONTAINER_UKI, CONTAINER_FIT };

/* bytes of the file container_probe needs to tell (a UKI's section table
 * may lie further in: container_plan takes the whole file) */
#define CONTAINER_PROBE_LEN 4096
/* a UKI's .cmdline, decoded: the kernel's own command-line limit on
 * x86_64 and arm64 (COMMAND_LINE_SIZE, 2048) with room to spare */
#define CONTAINER_CMDLINE_MAX 4096
/* a profile's or configuration's name and title, for the log */
#define CONTAINER_NAME_MAX 128

/* a part of the file; len 0: absent */
struct container_part {
	uint64_t off, len;
};

struct container_plan {
	enum container_kind kind;
	struct container_part kernel, initrd, dtb;
	int kernel_gzip;	/* FIT "compression" gzip: inflate it */
	int has_cmdline;	/* a UKI's .cmdline: cmdline holds it */
	char cmdline[CONTAINER_CMDLINE_MAX];
	/* the profile ("0", or "2 (ID=debug)") or configuration chosen */
	char name[CONTAINER_NAME_MAX];
	unsigned hashes;	/* FIT hash nodes verified */
	int fit_signed;		/* the configuration has a signature node */
};

/* what the running arch's images say they are for */
struct container_arch {
	uint16_t pe_machine;	/* a UKI's PE Machine */
	const char *fit_arch;	/* a FIT image's "arch" (mkimage -A) */
	int uses_dtb;		/* a .dtb or fdt is passed on */
};

/* which container the file's first len bytes start (len up to
 * CONTAINER_PROBE_LEN is enough): a PE file with a .linux section, a
 * flattened device tree (which container_plan refuses unless it is a
 * FIT); CONTAINER_NONE for any other kernel or a container this build
 * does not read */
enum container_kind container_probe(const uint8_t *head, size_t len);

/* the parts of buf (the whole file, len bytes, 8-byte aligned) to boot.
 * want: hop.entry (a UKI's profile by index or by its .profile ID=, a
 * FIT's configuration by name), NULL or "" for the default (a UKI's first
 * profile; the FIT configuration matching compat[0..ncompat), the running
 * machine's compatible strings, else its default). Checks the image is
 * for this arch and verifies a FIT's hashes over the bytes as stored.
 * 0, or -errno with why: -ENOEXEC not a container, -EINVAL broken,
 * -ENOENT no such profile or configuration, -EBADMSG a hash mismatch,
 * -ENOTSUP a compression or hash hop does not do, -EXDEV another arch's */
int container_plan(const uint8_t *buf, size_t len, const char *want,
	const char *const *compat, size_t ncompat,
	const struct container_arch *arch, struct container_plan *p,
	char *why, size_t whysz);

const char *container_kind_name(enum container_kind k);

#endif
