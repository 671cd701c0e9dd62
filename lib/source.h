/* File sources of the agent (spec/interface.md §3): "/path" in the
 * initramfs, or "DEV:/path" on a block device named /dev/NAME, LABEL=,
 * UUID=, PARTUUID= or PARTLABEL=; devices mounted read-only under
 * /run/hop/mnt and unmounted before the jump (lib/source.c). */
#ifndef HOP_SOURCE_H
#define HOP_SOURCE_H

#include <stddef.h>

#define SOURCE_MAX_MOUNTS 8

struct mounts {
	char dev[SOURCE_MAX_MOUNTS][64];	/* "/dev/vda1" */
	char dir[SOURCE_MAX_MOUNTS][80];	/* "/run/hop/mnt/vda1" */
	int n;
	/* devices source_mount_known could not mount: tried once, so that
	 * waiting for a configuration does not log the same error again */
	char failed[SOURCE_MAX_MOUNTS][64];
	int nfailed;
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
/* src as a local path (malloc'd into *out), waiting up to timeout_s
 * seconds for its device and mounting it; logs why on failure */
int source_resolve(const char *key, const char *src, int timeout_s,
	struct mounts *m, char **out);
/* mounts every block device holding a file system hop knows (ext2/3/4,
 * vfat, iso9660), for hop.config=auto, leaving out those that failed
 * before; returns how many are mounted now */
int source_mount_known(struct mounts *m);
void source_unmount_all(struct mounts *m);

#endif
