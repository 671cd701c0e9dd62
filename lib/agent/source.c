/* Files on block devices for the agent. Devices are found by scanning
 * /sys/class/block (coldplug: what the kernel already knows) and scanning
 * again every 100 ms until hop.timeout, which also sees devices that
 * appear later (a USB disk, a slow controller) without a uevent listener.
 * Identifiers come from lib/agent/blkid.c, not from busybox's blkid: the agent
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
#include "netboot.h"
#include "url.h"
#include "source.h"
#include "sysmem.h"

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
	int partno;
	ssize_t n;

	/* read + strtol, not fscanf: scanf links musl's float scanner,
	 * 10 KB of a binary that should stay small */
	snprintf(path, sizeof(path), "/sys/class/block/%s/partition", name);
	if (file_read_small(path, num, sizeof(num)) <= 0) {
		return 0;
	}
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

/* the names in /sys/class/block hop may look at, in name order (vda,
 * vda1, vda10, vdb): the same order on every boot, whatever order the
 * kernel made them in. The count, or -errno */
static int block_devices(struct dirent ***names)
{
	int i, k, n;

	n = scandir("/sys/class/block", names, NULL, versionsort);
	for (i = 0, k = 0; i < n; i++) {
		const char *d = (*names)[i]->d_name;

		if (d[0] == '.' || !strncmp(d, "ram", 3) ||
			strlen(d) >= sizeof(((struct mounts *)0)->seen[0])) {
			free((*names)[i]);
			continue;
		}
		(*names)[k++] = (*names)[i];
	}
	return n < 0 ? -errno : k;
}

static void free_names(struct dirent **names, int n)
{
	while (n > 0) {
		free(names[--n]);
	}
	free(names);
}

/* the caps of struct mounts, each logged once per boot */
enum { TOLD_MOUNTS = 1, TOLD_DEVICES = 2, TOLD_NAMES = 4 };

static int tell_once(struct mounts *m, unsigned bit)
{
	int first = !(m->told & bit);

	m->told |= bit;
	return first;
}

/* one scan of the block devices, in name order; 0 with dev set to the
 * first that matches. Two or more matching is a warning naming them all:
 * a stick can carry any label */
static int scan(const char *spec, char *dev, size_t devsz)
{
	char also[256] = "";
	struct dirent **names;
	uint8_t *buf, *disk_buf;
	int found = -ENOENT, k, n, more = 0;

	n = block_devices(&names);
	if (n < 0) {
		return n;
	}
	buf = malloc(2 * BLKID_PROBE_BYTES);
	if (!buf) {
		free_names(names, n);
		return -ENOMEM;
	}
	disk_buf = buf + BLKID_PROBE_BYTES;
	for (k = 0; k < n; k++) {
		const char *name = names[k]->d_name;
		char node[300], disk[64], dnode[300];
		struct part_id part, *pp = NULL;
		struct fs_id fs;
		size_t len;
		int partno;

		snprintf(node, sizeof(node), "/dev/%s", name);
		if (read_start(node, buf, &len) < 0) {
			continue;
		}
		fs_probe(buf, len, &fs);
		partno = partition_of(name, disk, sizeof(disk));
		if (partno > 0) {
			snprintf(dnode, sizeof(dnode), "/dev/%s", disk);
			if (read_start(dnode, disk_buf, &len) == 0 &&
				part_probe(disk_buf, len, (unsigned)partno,
				&part) == 0) {
				pp = &part;
			}
		}
		if (!source_matches(spec, &fs, pp)) {
			continue;
		}
		if (found < 0) {
			snprintf(dev, devsz, "%s", node);
			found = 0;
		} else if (strlen(also) + strlen(node) + 2 < sizeof(also)) {
			strcat(also, " ");
			strcat(also, node);
		} else {
			more++;
		}
	}
	if (also[0]) {
		hop_warn(spec, "on more than one device: %s%s%s; using %s, the "
			"first in name order", dev, also, more ? " ..." : "", dev);
	}
	free(buf);
	free_names(names, n);
	return found;
}

/* what this boot learnt of spec: the device, or "" when it was waited
 * for in vain; NULL when spec was not looked for yet */
static const char *known_name(const struct mounts *m, const char *spec)
{
	int i;

	for (i = 0; i < m->nname; i++) {
		if (!strcmp(m->name[i].spec, spec)) {
			return m->name[i].dev;
		}
	}
	return NULL;
}

static void remember_name(struct mounts *m, const char *spec, const char *dev)
{
	if (m->nname == SOURCE_MAX_NAMES) {
		if (tell_once(m, TOLD_NAMES)) {
			hop_warn(spec, "more than %d device names in one boot: "
				"this one is not remembered", SOURCE_MAX_NAMES);
		}
		return;
	}
	snprintf(m->name[m->nname].spec, sizeof(m->name[0].spec), "%s", spec);
	snprintf(m->name[m->nname++].dev, sizeof(m->name[0].dev), "%s", dev);
}

/* the device node for spec, waiting up to timeout_s, once per name per
 * boot: an entry after an entry naming the same missing disk fails at
 * once rather than waiting again */
static int find_device(const char *what, const char *spec, int timeout_s,
	struct mounts *m, char *dev, size_t devsz)
{
	const char *known = known_name(m, spec);
	struct stat st;
	int told = 0;

	if (known && known[0]) {
		snprintf(dev, devsz, "%s", known);
		return 0;
	}
	if (known) {
		hop_error(what, "%s: no such block device (waited for it "
			"already in this boot)", spec);
		return -ENODEV;
	}
	for (;;) {
		if (!strncmp(spec, "/dev/", 5)) {
			if (stat(spec, &st) == 0 && S_ISBLK(st.st_mode)) {
				snprintf(dev, devsz, "%s", spec);
				break;
			}
		} else if (scan(spec, dev, devsz) == 0) {
			hop_log("source: %s is %s", spec, dev);
			break;
		}
		/* hop.timeout bounds all the waiting for devices of one
		 * boot, from the first wait: entries naming ten missing
		 * disks wait once */
		if (!m->wait_end) {
			m->wait_end = mono_ms() + timeout_s * 1000LL;
		}
		if (mono_ms() >= m->wait_end) {
			hop_error(what, "%s: no such block device after %d s "
				"(hop.timeout, for all the devices of this boot)",
				spec, timeout_s);
			remember_name(m, spec, "");
			return -ENODEV;
		}
		if (!told) {
			hop_log("waiting up to %lld s for %s",
				(m->wait_end - mono_ms() + 999) / 1000, spec);
			told = 1;
		}
		usleep(100 * 1000);
	}
	remember_name(m, spec, dev);
	return 0;
}

/* what a file system from a disk may do: be read. No device nodes, no
 * set-uid files, nothing executed from it, nothing written */
#define MOUNT_FLAGS (MS_RDONLY | MS_NODEV | MS_NOSUID | MS_NOEXEC)

/* mounts dev read-only, trying the probed type first, then every block
 * file system the kernel offers (/proc/filesystems) */
static int mount_ro(const char *what, const char *dev, const char *dir)
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
		mount(dev, dir, fs.type, MOUNT_FLAGS, NULL) == 0;
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
		if (mount(dev, dir, t, MOUNT_FLAGS, NULL) == 0) {
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
	hop_error(what, "%s: cannot mount read-only: no file system the kernel "
		"knows fits (tried: %s; a module missing? see hop.modules)",
		dev, tried[0] ? tried : "none");
	rmdir(dir);
	return -EINVAL;
}

/* the mount directory of dev, mounting it first if needed */
static int mount_dev(const char *what, const char *dev, struct mounts *m,
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
		hop_error(what, "%s: not mounted: %d file systems are mounted "
			"already (hop's limit)", dev, SOURCE_MAX_MOUNTS);
		return -E2BIG;
	}
	snprintf(m->dev[m->n], sizeof(m->dev[0]), "%.63s", dev);
	snprintf(m->dir[m->n], sizeof(m->dir[0]), MNT_BASE "/%.60s",
		strrchr(dev, '/') + 1);
	err = mount_ro(what, dev, m->dir[m->n]);
	if (err < 0) {
		return err;
	}
	*dir = m->dir[m->n++];
	hop_debug("mounted %s on %s", dev, *dir);
	return 0;
}

int source_locate(const char *what, const char *src, int timeout_s,
	struct mounts *m, const char **dir, const char **path)
{
	char spec[128], dev[300];
	int err;

	err = source_split(src, spec, sizeof(spec), path);
	if (err < 0) {
		hop_error(what, "'%s': not /path or DEV:/path (DEV: /dev/NAME, "
			"LABEL=, UUID=, PARTUUID=, PARTLABEL=)", src);
		return err;
	}
	if (err == 0) {
		*dir = "";
		return 0;
	}
	err = find_device(what, spec, timeout_s, m, dev, sizeof(dev));
	return err < 0 ? err : mount_dev(what, dev, m, dir);
}

int source_resolve(const char *what, const char *src, int timeout_s,
	struct mounts *m, char **out, int *fd, char sha[65])
{
	const char *dir, *path;
	int err, root;

	*fd = -1;
	if (sha) {
		sha[0] = '\0';
	}
	if (url_is_url(src)) {
#if HOP_FEAT_NET
		return netboot_resolve(what, src, out, fd, sha);
#else
		hop_error(what, "%s: network sources are not built into this "
			"hop (make CONFIG=default builds them)", src);
		return -ENOPKG;
#endif
	}
	err = source_locate(what, src, timeout_s, m, &dir, &path);
	if (err < 0) {
		return err;
	}
	if (!dir[0]) {
		/* the initramfs: the owner's; no ".." above its root */
		err = path_confined(path);
	} else {
		root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		err = root < 0 ? -errno : file_open_in(root, path);
		if (root >= 0) {
			close(root);
		}
	}
	if (err < 0) {
		hop_error(what, "%s: %s (%s)", src, file_strerror(err),
			errname(err));
		return err;
	}
	*fd = dir[0] ? err : -1;
	if (*fd < 0) {
		*out = strdup(src);
	} else {
		*out = file_fd_path(*fd);
	}
	if (!*out && *fd >= 0) {
		close(*fd);
		*fd = -1;
	}
	return *out ? 0 : -ENOMEM;
}

int source_read_sibling(const char *what, const char *src, const char *ext,
	int timeout_s, struct mounts *m, size_t max, char **text,
	size_t *len)
{
	const char *dir, *path;
	char name[4200];
	uint8_t *buf;
	int fd, root, err;

	if ((size_t)snprintf(name, sizeof(name), "%s%s", src, ext) >=
		sizeof(name)) {
		hop_error(what, "%s%s: name too long", src, ext);
		return -ENAMETOOLONG;
	}
	if (url_is_url(name)) {
#if HOP_FEAT_NET
		return netboot_read(what, name, max, text, len);
#else
		return -ENOPKG;	/* src could not have been fetched */
#endif
	}
	err = source_locate(what, name, timeout_s, m, &dir, &path);
	if (err < 0) {
		return err;
	}
	if (!dir[0]) {
		err = path_confined(path);
		fd = err < 0 ? err : file_open(path);
	} else {
		root = open(dir, O_PATH | O_DIRECTORY | O_CLOEXEC);
		fd = root < 0 ? -errno : file_open_in(root, path);
		if (root >= 0) {
			close(root);
		}
	}
	if (fd == -ENOENT) {
		return fd;	/* none there: the caller's to say */
	}
	err = fd < 0 ? fd : read_whole_fd(fd, &buf, len, max);
	if (fd >= 0) {
		close(fd);
	}
	if (err < 0) {
		hop_error(what, "%s: %s (%s)", name, err == -EFBIG ?
			"larger than a signature" : file_strerror(err),
			errname(err));
		return err;
	}
	*text = (char *)buf;
	return 0;
}

static int seen(const struct mounts *m, const char *name)
{
	int i;

	for (i = 0; i < m->nseen; i++) {
		if (!strcmp(m->seen[i], name)) {
			return 1;
		}
	}
	return 0;
}

int source_next_device(struct mounts *m, const char **dir, const char **dev)
{
	struct dirent **names;
	uint8_t *buf;
	int k, n, found = 0;

	n = block_devices(&names);
	buf = n > 0 ? malloc(BLKID_PROBE_BYTES) : NULL;
	for (k = 0; k < n && buf && !found; k++) {
		const char *name = names[k]->d_name;
		char node[300];
		struct fs_id fs;
		size_t len;

		if (seen(m, name)) {
			continue;
		}
		if (m->nseen == SOURCE_MAX_DEVICES) {
			if (tell_once(m, TOLD_DEVICES)) {
				hop_warn("hop.config", "more than %d block "
					"devices: %s and those after it are not "
					"searched", SOURCE_MAX_DEVICES, name);
			}
			break;
		}
		snprintf(m->seen[m->nseen++], sizeof(m->seen[0]), "%.31s", name);
		snprintf(node, sizeof(node), "/dev/%s", name);
		if (read_start(node, buf, &len) < 0 ||
			fs_probe(buf, len, &fs) < 0) {
			continue;
		}
		if (m->n == SOURCE_MAX_MOUNTS) {
			if (tell_once(m, TOLD_MOUNTS)) {
				hop_warn("hop.config", "%d file systems mounted "
					"(hop's limit): %s is not searched",
					SOURCE_MAX_MOUNTS, node);
			}
			continue;
		}
		found = mount_dev("hop.config", node, m, dir) == 0;
		if (found) {
			*dev = m->dev[m->n - 1];
		}
	}
	if (n > 0) {
		free_names(names, n);
	}
	free(buf);
	return found;
}

void source_unmount(struct mounts *m, const char *dir)
{
	int i;

	for (i = 0; i < m->n && strcmp(m->dir[i], dir); i++) {
	}
	if (i == m->n) {
		return;
	}
	if (umount2(m->dir[i], MNT_DETACH) < 0) {
		hop_warn(m->dir[i], "umount: %s", errname(errno));
	}
	rmdir(m->dir[i]);
	m->n--;
	memmove(m->dev[i], m->dev[i + 1], (size_t)(m->n - i) * sizeof(m->dev[0]));
	memmove(m->dir[i], m->dir[i + 1], (size_t)(m->n - i) * sizeof(m->dir[0]));
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
