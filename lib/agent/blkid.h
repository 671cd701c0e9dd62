/* Identifying block devices for DEV:/path sources (README, "Devices"):
 * file-system labels and UUIDs, partition UUIDs and labels. Pure parsers
 * over the first bytes of a device (lib/agent/blkid.c); lib/agent/source.c reads. */
#ifndef HOP_BLKID_H
#define HOP_BLKID_H

#include <stddef.h>
#include <stdint.h>

#define BLKID_PROBE_BYTES (64u << 10)	/* what the parsers look at */

struct fs_id {
	const char *type;	/* "ext4", "vfat", "iso9660"; NULL unknown */
	char label[64];
	char uuid[40];
};

struct part_id {
	char partuuid[40];	/* GPT unique GUID, or MBR "sssssssss-pp" */
	char partlabel[80];	/* GPT name (UTF-16 folded to ASCII) */
};

/* 0 when buf (the start of a partition or disk) holds ext2/3/4, vfat or
 * iso9660; -ENOENT otherwise */
int fs_probe(const uint8_t *buf, size_t len, struct fs_id *id);
/* the identifiers of partition number partno (1-based) of the disk whose
 * first bytes are buf; -ENOENT when the disk has no such partition */
int part_probe(const uint8_t *buf, size_t len, unsigned partno,
	struct part_id *id);

#endif
