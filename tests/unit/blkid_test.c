/* file-system and partition identifiers (lib/agent/blkid.c) from synthetic
 * sectors laid out as mkfs.ext4, mkfs.vfat, genisoimage and sfdisk write
 * them (the values were checked against blkid -p on real images) */
#include <errno.h>
#include <string.h>

#include "blkid.h"
#include "plan.h"
#include "test.h"

static uint8_t buf[BLKID_PROBE_BYTES];

static void test_fs(void)
{
	static const uint8_t uuid[16] = { 0x01, 0x23, 0xab, 0xcd, 0, 0, 0x40,
		0, 0x80, 0, 0, 0, 0, 0, 0xbe, 0xef };
	struct fs_id id;

	memset(buf, 0, sizeof(buf));
	CHECK_INT("fs_probe(zeros)", fs_probe(buf, sizeof(buf), &id), -ENOENT);

	put_le16(buf + 1024 + 0x38, 0xEF53);
	put_le32(buf + 1024 + 0x60, 0x2c2);	/* extents, flex_bg */
	memcpy(buf + 1024 + 0x68, uuid, 16);
	memcpy(buf + 1024 + 0x78, "boot", 4);
	CHECK_INT("fs_probe(ext4)", fs_probe(buf, sizeof(buf), &id), 0);
	CHECK_STR("ext4 type", id.type, "ext4");
	CHECK_STR("ext4 label", id.label, "boot");
	CHECK_STR("ext4 uuid", id.uuid, "0123abcd-0000-4000-8000-00000000beef");
	put_le32(buf + 1024 + 0x60, 0);
	put_le32(buf + 1024 + 0x5c, 4);
	fs_probe(buf, sizeof(buf), &id);
	CHECK_STR("ext3 type (journal, no extents)", id.type, "ext3");
	CHECK_INT("fs_probe(ext, truncated)", fs_probe(buf, 1100, &id),
		-ENOENT);

	memset(buf, 0, sizeof(buf));
	buf[510] = 0x55;
	buf[511] = 0xAA;
	memcpy(buf + 0x36, "FAT12   ", 8);
	put_le32(buf + 0x27, 0x8599D9AC);
	memcpy(buf + 0x2B, "HOPVFAT    ", 11);
	CHECK_INT("fs_probe(vfat12)", fs_probe(buf, sizeof(buf), &id), 0);
	CHECK_STR("vfat label", id.label, "HOPVFAT");
	CHECK_STR("vfat uuid", id.uuid, "8599-D9AC");
	memset(buf + 0x36, 0, 8);
	memcpy(buf + 0x52, "FAT32   ", 8);
	put_le32(buf + 0x43, 0x1234ABCD);
	memcpy(buf + 0x47, "NO NAME    ", 11);
	CHECK_INT("fs_probe(vfat32)", fs_probe(buf, sizeof(buf), &id), 0);
	CHECK_STR("vfat32 uuid", id.uuid, "1234-ABCD");
	CHECK_STR("vfat32 'NO NAME' is no label", id.label, "");

	memset(buf, 0, sizeof(buf));
	buf[0x8000] = 1;
	memcpy(buf + 0x8001, "CD001", 5);
	memset(buf + 0x8028, ' ', 32);
	memcpy(buf + 0x8028, "HOPISO", 6);
	memcpy(buf + 0x832d, "2026112507035300", 16);
	CHECK_INT("fs_probe(iso9660)", fs_probe(buf, sizeof(buf), &id), 0);
	CHECK_STR("iso label", id.label, "HOPISO");
	CHECK_STR("iso uuid", id.uuid, "2026-11-25-07-03-53-00");
}

static void test_part(void)
{
	static const uint8_t guid[16] = { 0x8e, 0x2f, 0x6d, 0xf1, 0xbf, 0xa2,
		0x40, 0xf2, 0x85, 0xdb, 0xed, 0x25, 0x2f, 0x79, 0x85, 0x6c };
	struct part_id id;
	const char *name = "hopboot";
	int i;

	memset(buf, 0, sizeof(buf));
	buf[510] = 0x55;
	buf[511] = 0xAA;
	put_le32(buf + 0x1b8, 0x12345678);
	buf[0x1be + 4] = 0x83;
	CHECK_INT("part_probe(mbr, 1)", part_probe(buf, sizeof(buf), 1, &id),
		0);
	CHECK_STR("mbr partuuid", id.partuuid, "12345678-01");
	CHECK_INT("part_probe(mbr, 2: empty)", part_probe(buf, sizeof(buf), 2,
		&id), -ENOENT);
	CHECK_INT("part_probe(mbr, 5)", part_probe(buf, sizeof(buf), 5, &id),
		-ENOENT);

	buf[0x1be + 4] = 0xee;	/* protective MBR */
	memcpy(buf + 512, "EFI PART", 8);
	put_le64(buf + 512 + 0x48, 2);
	put_le32(buf + 512 + 0x50, 128);
	put_le32(buf + 512 + 0x54, 128);
	buf[1024] = 0xaf;	/* a type GUID: the entry is used */
	memcpy(buf + 1024 + 16, guid, 16);
	for (i = 0; name[i]; i++) {
		put_le16(buf + 1024 + 56 + 2 * i, (uint16_t)name[i]);
	}
	CHECK_INT("part_probe(gpt, 1)", part_probe(buf, sizeof(buf), 1, &id),
		0);
	CHECK_STR("gpt partuuid", id.partuuid,
		"f16d2f8e-a2bf-f240-85db-ed252f79856c");
	CHECK_STR("gpt partlabel", id.partlabel, "hopboot");
	CHECK_INT("part_probe(gpt, 2: unused)", part_probe(buf, sizeof(buf), 2,
		&id), -ENOENT);
	CHECK_INT("part_probe(gpt, 200)", part_probe(buf, sizeof(buf), 200,
		&id), -ENOENT);
	put_le64(buf + 512 + 0x48, 1u << 30);	/* entries beyond the read */
	CHECK_INT("part_probe(gpt, bad lba)", part_probe(buf, sizeof(buf), 1,
		&id), -ENOENT);
}

void test_blkid(void)
{
	test_fs();
	test_part();
}

/* the pure parts of lib/agent/source.c and lib/agent/modules.c */
#include "modules.h"
#include "source.h"

void test_source(void)
{
	char dev[64], dep[512], *w[8], name[32];
	const char *path;
	struct fs_id fs;
	struct part_id part;

	CHECK_INT("source_split(/boot/k)", source_split("/boot/k", dev,
		sizeof(dev), &path), 0);
	CHECK_INT("source_split(LABEL=boot:/vmlinuz)", source_split(
		"LABEL=boot:/vmlinuz", dev, sizeof(dev), &path), 1);
	CHECK_STR("dev", dev, "LABEL=boot");
	CHECK_STR("path", path, "/vmlinuz");
	CHECK_INT("source_split(/dev/vda1:/k)", source_split("/dev/vda1:/k",
		dev, sizeof(dev), &path), 1);
	CHECK_STR("dev /dev/vda1", dev, "/dev/vda1");
	CHECK_INT("source_split(FOO=x:/k)", source_split("FOO=x:/k", dev,
		sizeof(dev), &path), -EINVAL);
	CHECK_INT("source_split(LABEL=x)", source_split("LABEL=x", dev,
		sizeof(dev), &path), -EINVAL);
	CHECK_INT("source_split(relative)", source_split("boot/k", dev,
		sizeof(dev), &path), -EINVAL);

	memset(&fs, 0, sizeof(fs));
	memset(&part, 0, sizeof(part));
	fs.type = "ext4";
	strcpy(fs.label, "boot");
	strcpy(fs.uuid, "0123abcd-0000-4000-8000-00000000beef");
	strcpy(part.partuuid, "12345678-01");
	strcpy(part.partlabel, "hopboot");
	CHECK(source_matches("LABEL=boot", &fs, &part),
		"source_matches(LABEL=boot) = 0; want 1");
	CHECK(!source_matches("LABEL=Boot", &fs, &part),
		"source_matches(LABEL=Boot) = 1; want 0 (labels are exact)");
	CHECK(source_matches("UUID=0123ABCD-0000-4000-8000-00000000BEEF", &fs,
		&part), "source_matches(UUID upper case) = 0; want 1");
	CHECK(source_matches("PARTUUID=12345678-01", &fs, &part),
		"source_matches(PARTUUID) = 0; want 1");
	CHECK(source_matches("PARTLABEL=hopboot", &fs, NULL) == 0,
		"source_matches(PARTLABEL, no partition) = 1; want 0");
	CHECK(source_matches("PARTLABEL=hopboot", &fs, &part),
		"source_matches(PARTLABEL) = 0; want 1");

	module_name("kernel/drivers/virtio/virtio-pci.ko.xz", name,
		sizeof(name));
	CHECK_STR("module_name(virtio-pci.ko.xz)", name, "virtio_pci");
	strcpy(dep, "kernel/drivers/virtio/virtio.ko:\n"
		"kernel/drivers/block/virtio_blk.ko: kernel/drivers/virtio/"
		"virtio_ring.ko kernel/drivers/virtio/virtio.ko\n");
	CHECK_INT("modules_dep_find(virtio_blk)", modules_dep_find(dep,
		"virtio-blk", w, 8), 3);
	CHECK_STR("modules_dep_find(virtio_blk)[2]", w[2],
		"kernel/drivers/virtio/virtio.ko");
	strcpy(dep, "kernel/a.ko:\n");
	CHECK_INT("modules_dep_find(missing)", modules_dep_find(dep, "b", w, 8),
		-ENOENT);
}
