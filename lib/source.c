/* Files on block devices for the agent. Devices are found by scanning
 * /sys/class/block (coldplug: what the kernel already knows) and scanning
 * again every 100 ms until hop.timeout, which also sees devices that
 * appear later (a USB disk, a slow controller) without a uevent listener.
 * Identifiers come from lib/blkid.c, not from busybox's blkid: the agent
 * must not depend on what else the initramfs holds. */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "blkid.h"
#include "hop.h"
#include "source.h"

#define MNT_BASE "/run/hop/mnt"

int source_split(const char *src, char *dev, size_t devsz, const char **path)
{
	const char *sep;
	size_t n;

	if (src[0] == '/' && strncmp(src, "/dev/", 5)) {
		*path = src;
		return 0;	/* a file in the initramfs */
	}
	sep = strstr(src, ":/");
	if (!sep || sep == src) {
		return -EINVAL;
	}
	n = (size_t)(sep - src);
	if (n >= devsz) {
		return -EINVAL;
	}
	memcpy(dev, src, n);
	dev[n] = '\0';
	if (strncmp(dev, "/dev/", 5) && strncmp(dev, "LABEL=", 6) &&
		strncmp(dev, "UUID=", 5) && strncmp(dev, "PARTUUID=", 9) &&
		strncmp(dev, "PARTLABEL=", 10)) {
		return -EINVAL;
	}
	*path = sep + 1;
	return 1;
}

int source_matches(const char *spec, const struct fs_id *fs,
	const struct part_id *part)
{
	if (!strncmp(spec, "LABEL=", 6)) {
		return fs && fs->type && !strcmp(fs->label, spec + 6);
	}
	if (!strncmp(spec, "UUID=", 5)) {
		return fs && fs->type && !strcasecmp(fs->uuid, spec + 5);
	}
	if (!strncmp(spec, "PARTUUID=", 9)) {
		return part && part->partuuid[0] &&
			!strcasecmp(part->partuuid, spec + 9);
	}
	if (!strncmp(spec, "PARTLABEL=", 10)) {
		return part && part->partlabel[0] &&
			!strcmp(part->partlabel, spec + 10);
	}
	return 0;
}

static int read_start(const char *dev, uint8_t *buf, size_t *len)
{
	ssize_t n;
	int fd;

	fd = open(dev, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	n = pread(fd, buf, BLKID_PROBE_BYTES, 0);
	close(fd);
	if (n < 0) {
		return -errno;
	}
	*len = (size_t)n;
	return 0;
}

/* the partition number of /sys/class/block/NAME and its disk's name */
static int partition_of(const char *name, char *disk, size_t disksz)
{
	char path[PATH_MAX], link[PATH_MAX], num[16], *slash;
	int partno, fd;
	ssize_t n;

	/* read + strtol, not fscanf: scanf links musl's float scanner,
	 * 10 KB of a binary that should stay small */
	snprintf(path, sizeof(path), "/sys/class/block/%s/partition", name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return 0;
	}
	n = read(fd, num, sizeof(num) - 1);
	close(fd);
	num[n > 0 ? n : 0] = '\0';
	partno = (int)strtol(num, NULL, 10);
	if (partno <= 0) {
		return 0;
	}
	snprintf(path, sizeof(path), "/sys/class/block/%s", name);
	n = readlink(path, link, sizeof(link) - 1);
	if (n <= 0) {
		return 0;
	}
	link[n] = '\0';
	slash = strrchr(link, '/');	/* .../block/vda/vda1 */
	if (!slash) {
		return 0;
	}
	*slash = '\0';
	slash = strrchr(link, '/');
	snprintf(disk, disksz, "%.63s", slash ? slash + 1 : link);
	return partno;
}

/* one scan of the block devices; 0 with dev set when one matches */
static int scan(const char *spec, char *dev, size_t devsz)
{
	uint8_t *buf, *disk_buf;
	struct dirent *d;
	DIR *dp;
	int found = -ENOENT;

	dp = opendir("/sys/class/block");
	if (!dp) {
		return -errno;
	}
	buf = malloc(2 * BLKID_PROBE_BYTES);
	if (!buf) {
		closedir(dp);
		return -ENOMEM;
	}
	disk_buf = buf + BLKID_PROBE_BYTES;
	while (found < 0 && (d = readdir(dp))) {
		char node[300], disk[64], dnode[300];
		struct part_id part, *pp = NULL;
		struct fs_id fs;
		size_t len;
		int partno;

		if (d->d_name[0] == '.' || !strncmp(d->d_name, "ram", 3)) {
			continue;
		}
		snprintf(node, sizeof(node), "/dev/%s", d->d_name);
		if (read_start(node, buf, &len) < 0) {
			continue;
		}
		fs_probe(buf, len, &fs);
		partno = partition_of(d->d_name, disk, sizeof(disk));
		if (partno > 0) {
			snprintf(dnode, sizeof(dnode), "/dev/%s", disk);
			if (read_start(dnode, disk_buf, &len) == 0 &&
				part_probe(disk_buf, len, (unsigned)partno,
				&part) == 0) {
				pp = &part;
			}
		}
		if (source_matches(spec, &fs, pp)) {
			snprintf(dev, devsz, "%s", node);
			found = 0;
		}
	}
	closedir(dp);
	free(buf);
	return found;
}

static long long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

/* the device node for spec, waiting up to timeout_s */
static int find_device(const char *key, const char *spec, int timeout_s,
	char *dev, size_t devsz)
{
	long long end = now_ms() + timeout_s * 1000LL;
	struct stat st;
	int told = 0;

	for (;;) {
		if (!strncmp(spec, "/dev/", 5)) {
			if (stat(spec, &st) == 0 && S_ISBLK(st.st_mode)) {
				snprintf(dev, devsz, "%s", spec);
				return 0;
			}
		} else if (scan(spec, dev, devsz) == 0) {
			return 0;
		}
		if (now_ms() >= end) {
			hop_error(key, "%s: no such block device after %d s "
				"(hop.timeout)", spec, timeout_s);
			return -ENODEV;
		}
		if (!told) {
			hop_log("waiting up to %d s for %s", timeout_s, spec);
			told = 1;
		}
		usleep(100 * 1000);
	}
}

/* mounts dev read-only, trying the probed type first, then every block
 * file system the kernel offers (/proc/filesystems) */
static int mount_ro(const char *key, const char *dev, const char *dir)
{
	char line[128], tried[512] = "";
	uint8_t *buf = malloc(BLKID_PROBE_BYTES);
	struct fs_id fs;
	size_t len;
	FILE *f;
	int done;

	mkdir("/run", 0755);
	mkdir("/run/hop", 0755);
	mkdir(MNT_BASE, 0755);
	mkdir(dir, 0755);
	done = buf && read_start(dev, buf, &len) == 0 &&
		fs_probe(buf, len, &fs) == 0 &&
		mount(dev, dir, fs.type, MS_RDONLY, NULL) == 0;
	free(buf);
	if (done) {
		return 0;
	}
	f = fopen("/proc/filesystems", "r");
	while (f && fgets(line, sizeof(line), f)) {
		char *t = line + strspn(line, " \t");

		if (!strncmp(line, "nodev", 5)) {
			continue;
		}
		t[strcspn(t, " \t\n")] = '\0';
		if (mount(dev, dir, t, MS_RDONLY, NULL) == 0) {
			fclose(f);
			return 0;
		}
		if (strlen(tried) + strlen(t) + 2 < sizeof(tried)) {
			strcat(tried, tried[0] ? " " : "");
			strcat(tried, t);
		}
	}
	if (f) {
		fclose(f);
	}
	hop_error(key, "%s: cannot mount read-only: no file system the kernel "
		"knows fits (tried: %s; a module missing? see hop.modules)",
		dev, tried[0] ? tried : "none");
	rmdir(dir);
	return -EINVAL;
}

/* the mount directory of dev, mounting it first if needed */
static int mount_dev(const char *key, const char *dev, struct mounts *m,
	const char **dir)
{
	int i, err;

	for (i = 0; i < m->n; i++) {
		if (!strcmp(m->dev[i], dev)) {
			*dir = m->dir[i];
			return 0;
		}
	}
	if (m->n == SOURCE_MAX_MOUNTS) {
		hop_error(key, "more than %d devices", SOURCE_MAX_MOUNTS);
		return -E2BIG;
	}
	snprintf(m->dev[m->n], sizeof(m->dev[0]), "%.63s", dev);
	snprintf(m->dir[m->n], sizeof(m->dir[0]), MNT_BASE "/%.60s",
		strrchr(dev, '/') + 1);
	err = mount_ro(key, dev, m->dir[m->n]);
	if (err < 0) {
		return err;
	}
	*dir = m->dir[m->n++];
	hop_debug("mounted %s on %s", dev, *dir);
	return 0;
}

int source_resolve(const char *key, const char *src, int timeout_s,
	struct mounts *m, char **out)
{
	char spec[128], dev[300];
	const char *path, *dir = NULL;
	int err;

	err = source_split(src, spec, sizeof(spec), &path);
	if (err < 0) {
		hop_error(key, "'%s': not /path or DEV:/path (DEV: /dev/NAME, "
			"LABEL=, UUID=, PARTUUID=, PARTLABEL=)", src);
		return err;
	}
	if (err == 0) {
		*out = strdup(src);
		return *out ? 0 : -ENOMEM;
	}
	err = find_device(key, spec, timeout_s, dev, sizeof(dev));
	if (err == 0) {
		err = mount_dev(key, dev, m, &dir);
	}
	if (err < 0) {
		return err;
	}
	if (asprintf(out, "%s%s", dir, path) < 0) {
		return -ENOMEM;
	}
	return 0;
}

int source_mount_known(struct mounts *m)
{
	struct dirent **names;
	uint8_t *buf;
	int i, k, n;

	/* in name order (vda before vda1 before vda10): the first
	 * configuration found is the default one, the same on every boot */
	n = scandir("/sys/class/block", &names, NULL, versionsort);
	buf = malloc(BLKID_PROBE_BYTES);
	for (k = 0; k < n && buf; k++) {
		const char *name = names[k]->d_name;
		char node[300];
		const char *dir;
		struct fs_id fs;
		size_t len;

		if (name[0] == '.' || !strncmp(name, "ram", 3)) {
			continue;
		}
		snprintf(node, sizeof(node), "/dev/%s", name);
		for (i = 0; i < m->nfailed; i++) {
			if (!strcmp(m->failed[i], node)) {
				break;
			}
		}
		if (i < m->nfailed || read_start(node, buf, &len) < 0 ||
			fs_probe(buf, len, &fs) < 0) {
			continue;
		}
		if (m->n == SOURCE_MAX_MOUNTS) {
			break;	/* full: the first ones are searched */
		}
		if (mount_dev("hop.config", node, m, &dir) < 0 &&
			m->nfailed < SOURCE_MAX_MOUNTS) {
			snprintf(m->failed[m->nfailed++], sizeof(m->failed[0]),
				"%.63s", node);
		}
	}
	for (k = 0; k < n; k++) {
		free(names[k]);
	}
	if (n >= 0) {
		free(names);
	}
	free(buf);
	return m->n;
}

void source_unmount_all(struct mounts *m)
{
	while (m->n > 0) {
		m->n--;
		if (umount2(m->dir[m->n], MNT_DETACH) < 0) {
			hop_warn(m->dir[m->n], "umount: %s", errname(errno));
		}
		rmdir(m->dir[m->n]);
	}
}
