/* u-boot's Flattened Image Tree (FIT, an .itb made by mkimage -f): its
 * images, configurations and hashes read from the file's bytes (u-boot
 * doc/usage/fit/source_file_format.rst). Pure: bytes in, a struct fit
 * out, or -errno with a sentence in why; nothing is copied out of the
 * file, every string and span points into it. */
#ifndef HOP_FIT_H
#define HOP_FIT_H

#include <stddef.h>
#include <stdint.h>

/* more of either is refused: a kernel FIT holds a handful, a FIT for a
 * family of boards a few dozen trees and as many configurations */
#define FIT_MAX_IMAGES 64
#define FIT_MAX_CONFS 64

/* an image's "type": "kernel" and "kernel_noload" are KERNEL, "flat_dt"
 * is FDT, "ramdisk" is RAMDISK; any other (firmware, script, ...) OTHER */
enum fit_type { FIT_KERNEL, FIT_FDT, FIT_RAMDISK, FIT_OTHER };

struct fit_image {
	const char *name;	/* its node's name under /images */
	enum fit_type type;
	const char *comp;	/* "compression" as written ("none", "gzip",
				 * "lzma", ...); NULL when absent */
	const char *arch, *os;	/* as written; NULL when absent */
	/* where its bytes are in the file, always inside it: the "data"
	 * property's value, or external data (mkimage -E): "data-position"
	 * (from the file's start, mkimage -p) or "data-offset" (from the
	 * end of the tree rounded up to 4 bytes), with "data-size" */
	uint64_t data_off, data_len;
	uint64_t load, entry;	/* 1 or 2 cells */
	int has_load, has_entry;
	int node;		/* its node in the tree (fit_verify's hashes) */
};

struct fit_conf {
	const char *name;	/* its node's name under /configurations */
	const char *desc;	/* "description", NULL when absent */
	/* the images it names (the first string of each property: "fdt"
	 * may go on with overlays), indexes into img[], -1 when absent;
	 * each of its type (a kernel is KERNEL, ...) or fit_parse refuses */
	int kernel, fdt, ramdisk;
	const char *compatible;	/* its own "compatible" (first string), NULL */
	int signed_;		/* has a signature node (not checked here) */
	int node;		/* its node in the tree */
};

struct fit {
	const uint8_t *buf;	/* the whole file, 8-byte aligned */
	size_t len;
	size_t nimages, nconfs;
	struct fit_image img[FIT_MAX_IMAGES];
	struct fit_conf conf[FIT_MAX_CONFS];
	int def;		/* /configurations "default": an index, -1 */
};

/* 1 when buf is a flattened device tree (magic d00dfeed) with /images and
 * /configurations, else 0. buf may be unaligned (its tree is copied then) */
int fit_probe(const uint8_t *buf, size_t len);

/* buf (len bytes: the whole file, external data included) read into *f,
 * which keeps pointers into buf: buf must stay, unchanged, while f is
 * used. buf must be 8-byte aligned, the caller's job (libfdt loads 32-
 * and 64-bit words: an unaligned tree dies with SIGBUS on arm); an
 * unaligned one is refused. The tree is checked whole (fdt_check_full)
 * before anything is read, every string property must end inside its
 * value, every image's data span inside len. 0; -ENOEXEC not a FIT (no
 * FDT magic, or a tree without /images and /configurations); -EINVAL a
 * FIT that is cut short, corrupt or inconsistent; why says which. */
int fit_parse(const uint8_t *buf, size_t len, struct fit *f, char *why,
	size_t whysz);

/* the configuration to boot, its index. want (hop.entry: a
 * configuration's name) when not NULL nor "": that one, -ENOENT when
 * there is none. Else the best match of the running machine's compatible
 * strings compat[0..ncompat) (most specific first, as a tree's root
 * "compatible") against each configuration's own "compatible" list, or
 * without one its fdt image's root "compatible" (an uncompressed tree):
 * the configuration matching the smallest i wins, the earlier one on a
 * tie; with no match, the default, -ENOENT when there is none. The chosen
 * configuration may name no kernel (the caller checks). -ENOMEM too. */
int fit_choose(const struct fit *f, const char *want,
	const char *const *compat, size_t ncompat, char *why, size_t whysz);

/* every hash node ("hash", "hash-1", ...) of the images configuration
 * conf boots (kernel, fdt, ramdisk), checked over the image's bytes as
 * stored: sha256, sha1, sha384, sha512, crc32; *verified (when not NULL)
 * gets how many were checked, 0 when no image has a hash node. 0;
 * -EBADMSG a value does not match (why names the image, the node, the
 * algorithm, expected and got); -ENOTSUP md5 or an unknown algorithm;
 * -EINVAL a hash node without "algo" or "value", conf out of range. */
int fit_verify(const struct fit *f, int conf, unsigned *verified, char *why,
	size_t whysz);

#endif
