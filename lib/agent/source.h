/* File sources of the agent (README, "Keys"): "/path" in the initramfs,
 * or "DEV:/path" on a block device named /dev/NAME, LABEL=, UUID=,
 * PARTUUID= or PARTLABEL=; devices mounted read-only, nodev, nosuid,
 * noexec under /run/hop/mnt and unmounted before the jump; a file on a
 * device never resolves outside its file system (lib/agent/source.c). */
#ifndef HOP_SOURCE_H
#define HOP_SOURCE_H

#include <stddef.h>

/* The agent's caps, each logged when reached (README, "Threat model") */
#define SOURCE_MAX_MOUNTS 16	/* file systems mounted at once */
#define SOURCE_MAX_DEVICES 256	/* block devices looked at in one boot */
#define SOURCE_MAX_NAMES 64	/* LABEL=, UUID=... remembered in one boot */

struct mounts {
	char dev[SOURCE_MAX_MOUNTS][64];	/* "/dev/vda1" */
	char dir[SOURCE_MAX_MOUNTS][80];	/* "/run/hop/mnt/vda1" */
	int n;
	/* devices source_next_device looked at (mounted and searched, or
	 * refused): once per boot, so that waiting for a configuration does
	 * not log the same error again */
	char seen[SOURCE_MAX_DEVICES][32];
	int nseen;
	/* device names found or waited for in vain: one wait per name per
	 * boot (dev "" for a name that never appeared) */
	struct {
		char spec[128];
		char dev[64];
	} name[SOURCE_MAX_NAMES];
	int nname;
	unsigned told;	/* the caps already logged (bits) */
	long long wait_end;	/* CLOCK_MONOTONIC ms: hop.timeout's end, from
				 * the boot's first wait for a device */
};

/* splits "DEV:/path": 1 with dev and path set, 0 for a plain path,
 * -EINVAL for anything else (pure) */
int source_split(const char *src, char *dev, size_t devsz, const char **path);
/* does the device spec (LABEL=x, UUID=x, PARTUUID=x, PARTLABEL=x) match
 * the identifiers read from a device? (pure; UUIDs compare case-blind) */
struct fs_id;
struct part_id;
int source_matches(const char *spec, const struct fs_id *fs,
	const struct part_id *part);
/* src opened for reading: a "/path" of the initramfs as it is, a
 * "DEV:/path" inside DEV's file system only (file_open_in), waiting up to
 * timeout_s seconds for DEV and mounting it, or a URL fetched into a
 * sealed memfd (netboot.c). *out (malloc'd) is the path to open: src, or
 * /proc/self/fd/N for the file held open in *fd (-1 for none; the caller
 * closes it). sha (when not NULL): the SHA-256 of a URL's bytes as
 * received, "" for a file. Regular files only. Logs why on failure, as
 * "what: src: WHY" */
int source_resolve(const char *what, const char *src, int timeout_s,
	struct mounts *m, char **out, int *fd, char sha[65]);
/* the small file src + ext next to src (a signature: its device, its
 * folder, its server), at most max bytes, in *text (malloc'd) and *len:
 * 0, -ENOENT when there is none (nothing logged), else -errno logged */
int source_read_sibling(const char *what, const char *src, const char *ext,
	int timeout_s, struct mounts *m, size_t max, char **text,
	size_t *len);
/* the mount directory of DEV:/path's device (found, waited for, mounted)
 * in *dir, the path in *path; a plain /path: *dir "" (the initramfs).
 * Logs why on failure */
int source_locate(const char *what, const char *src, int timeout_s,
	struct mounts *m, const char **dir, const char **path);
/* the next block device holding a file system hop knows (ext2/3/4, vfat,
 * iso9660) that this boot has not looked at, in name order (vda before
 * vda1 before vda10 before vdb), mounted: 1 with *dir and *dev set, 0 when
 * none is left for now */
int source_next_device(struct mounts *m, const char **dir, const char **dev);
/* unmounts dir (one of m's) and frees its slot */
void source_unmount(struct mounts *m, const char *dir);
void source_unmount_all(struct mounts *m);

#endif
