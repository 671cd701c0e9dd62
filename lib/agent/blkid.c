/* Superblocks and partition tables, read the way blkid(8) does, for the
 * three file systems a boot partition uses and for GPT and MBR:
 *   ext2/3/4: superblock at 1024, magic 0xEF53 at +0x38, UUID at +0x68,
 *             volume name at +0x78 (16 bytes);
 *   vfat:     boot sector signature 0x55AA at 510; FAT32 serial at 0x43,
 *             label at 0x47; FAT12/16 serial at 0x27, label at 0x2B;
 *             UUID printed as "XXXX-XXXX";
 *   iso9660:  primary volume descriptor at 0x8000 ("\1CD001"), volume id
 *             at +0x28 (32 bytes), UUID from the creation date at +0x32D;
 *   GPT:      header at LBA 1 ("EFI PART"), entries at its LBA (+0x48),
 *             count (+0x50), size (+0x54); unique GUID at +16, UTF-16LE
 *             name at +56 (72 bytes);
 *   MBR:      disk signature at 0x1B8, PARTUUID "%08x-%02x".
 * Pure: no I/O. */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "blkid.h"
#include "plan.h"

/* copies a space/NUL padded label, trimming the padding */
static void label_copy(char *out, size_t outsz, const uint8_t *p, size_t n)
{
	size_t i, end = 0;

	for (i = 0; i < n && i < outsz - 1 && p[i]; i++) {
		out[i] = (char)(p[i] >= 0x20 && p[i] < 0x7f ? p[i] : '_');
		if (p[i] != ' ') {
			end = i + 1;
		}
	}
	out[end] = '\0';
}

/* RFC 4122 text of 16 bytes as stored (big-endian fields, ext4) */
static void uuid_be(char *out, const uint8_t *u)
{
	snprintf(out, 40, "%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
		"%02x%02x%02x%02x%02x%02x", u[0], u[1], u[2], u[3], u[4], u[5],
		u[6], u[7], u[8], u[9], u[10], u[11], u[12], u[13], u[14],
		u[15]);
}

/* a GUID as GPT stores it: the first three fields little-endian */
static void guid_le(char *out, const uint8_t *g)
{
	snprintf(out, 40, "%08x-%04x-%04x-%02x%02x-%02x%02x%02x%02x%02x%02x",
		le32(g), le16(g + 4), le16(g + 6), g[8], g[9], g[10], g[11],
		g[12], g[13], g[14], g[15]);
}

static int probe_ext(const uint8_t *b, size_t len, struct fs_id *id)
{
	const uint8_t *sb = b + 1024;
	uint32_t compat, incompat;

	if (len < 1024 + 0x100 || le16(sb + 0x38) != 0xEF53) {
		return -ENOENT;
	}
	compat = le32(sb + 0x5c);
	incompat = le32(sb + 0x60);
	/* extents or 64bit or flex_bg: ext4; a journal: ext3 */
	id->type = incompat & (0x40 | 0x80 | 0x200) ? "ext4" :
		compat & 0x4 ? "ext3" : "ext2";
	uuid_be(id->uuid, sb + 0x68);
	label_copy(id->label, sizeof(id->label), sb + 0x78, 16);
	return 0;
}

static int probe_vfat(const uint8_t *b, size_t len, struct fs_id *id)
{
	size_t serial, label;

	if (len < 512 || b[510] != 0x55 || b[511] != 0xAA) {
		return -ENOENT;
	}
	if (!memcmp(b + 0x52, "FAT32   ", 8)) {
		serial = 0x43;
		label = 0x47;
	} else if (!memcmp(b + 0x36, "FAT1", 4)) {
		serial = 0x27;
		label = 0x2B;
	} else {
		return -ENOENT;
	}
	id->type = "vfat";
	snprintf(id->uuid, sizeof(id->uuid), "%04X-%04X",
		le16(b + serial + 2), le16(b + serial));
	label_copy(id->label, sizeof(id->label), b + label, 11);
	if (!strcmp(id->label, "NO NAME")) {
		id->label[0] = '\0';
	}
	return 0;
}

static int probe_iso(const uint8_t *b, size_t len, struct fs_id *id)
{
	const uint8_t *pvd = b + 0x8000, *d;

	if (len < 0x8000 + 0x340 || pvd[0] != 1 || memcmp(pvd + 1, "CD001",
		5)) {
		return -ENOENT;
	}
	id->type = "iso9660";
	label_copy(id->label, sizeof(id->label), pvd + 0x28, 32);
	d = pvd + 0x32d;	/* "YYYYMMDDHHMMSSCC": blkid's UUID form */
	snprintf(id->uuid, sizeof(id->uuid), "%.4s-%.2s-%.2s-%.2s-%.2s-%.2s-"
		"%.2s", d, d + 4, d + 6, d + 8, d + 10, d + 12, d + 14);
	return 0;
}

int fs_probe(const uint8_t *buf, size_t len, struct fs_id *id)
{
	memset(id, 0, sizeof(*id));
	if (probe_ext(buf, len, id) == 0 || probe_iso(buf, len, id) == 0 ||
		probe_vfat(buf, len, id) == 0) {
		return 0;
	}
	memset(id, 0, sizeof(*id));
	return -ENOENT;
}

int part_probe(const uint8_t *b, size_t len, unsigned partno,
	struct part_id *id)
{
	uint64_t lba;
	uint32_t count, size;
	const uint8_t *e;
	size_t i;

	memset(id, 0, sizeof(*id));
	if (len < 1024 || b[510] != 0x55 || b[511] != 0xAA || partno == 0) {
		return -ENOENT;
	}
	if (!memcmp(b + 512, "EFI PART", 8)) {
		lba = le64(b + 512 + 0x48);
		count = le32(b + 512 + 0x50);
		size = le32(b + 512 + 0x54);
		if (size < 128 || partno > count || lba > len / 512 ||
			lba * 512 + (uint64_t)partno * size > len) {
			return -ENOENT;
		}
		e = b + lba * 512 + (uint64_t)(partno - 1) * size;
		for (i = 0; i < 16 && !e[i]; i++) {
		}
		if (i == 16) {
			return -ENOENT;	/* unused entry */
		}
		guid_le(id->partuuid, e + 16);
		for (i = 0; i < 36 && le16(e + 56 + 2 * i); i++) {
			uint16_t c = le16(e + 56 + 2 * i);

			id->partlabel[i] = (char)(c < 0x80 ? c : '_');
		}
		id->partlabel[i] = '\0';
		return 0;
	}
	/* MBR: primary partitions 1-4 (logical ones are not probed) */
	if (partno > 4 || !b[0x1be + 16 * (partno - 1) + 4]) {
		return -ENOENT;
	}
	snprintf(id->partuuid, sizeof(id->partuuid), "%08x-%02x",
		le32(b + 0x1b8), partno);
	return 0;
}
