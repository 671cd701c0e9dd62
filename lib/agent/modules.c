/* hop.modules: kernel modules the initramfs carries, loaded with their
 * dependencies before devices are scanned (Debian's kernels have their
 * disk drivers as modules). modules.dep lines are
 * "kernel/drivers/block/virtio_blk.ko: kernel/drivers/virtio/virtio.ko ..."
 * with the dependencies in an order where the last must load first.
 * finit_module directly: no modprobe needed in the image. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/syscall.h>
#include <sys/utsname.h>
#include <unistd.h>

#include "hop.h"
#include "modules.h"
#include "sysmem.h"

#define MODULE_INIT_COMPRESSED_FILE 4	/* linux 5.17+ */

/* "kernel/fs/fat/vfat.ko.xz" -> "vfat"; '-' and '_' are one */
void module_name(const char *path, char *out, size_t outsz)
{
	const char *b = strrchr(path, '/');
	size_t i;

	b = b ? b + 1 : path;
	for (i = 0; b[i] && b[i] != '.' && i + 1 < outsz; i++) {
		out[i] = b[i] == '-' ? '_' : b[i];
	}
	out[i] = '\0';
}

/* the modules.dep line for name: its path and dependencies, split in
 * place; returns the count of words (path first) or -ENOENT */
int modules_dep_find(char *dep, const char *name, char **words, int max)
{
	char want[64], got[64], *line, *save = NULL;

	module_name(name, want, sizeof(want));
	for (line = strtok_r(dep, "\n", &save); line;
		line = strtok_r(NULL, "\n", &save)) {
		char *colon = strchr(line, ':'), *w, *wsave = NULL;
		int n = 0;

		if (!colon) {
			continue;
		}
		*colon = '\0';
		module_name(line, got, sizeof(got));
		if (strcmp(got, want)) {
			*colon = ':';
			continue;
		}
		words[n++] = line;
		for (w = strtok_r(colon + 1, " \t", &wsave); w && n < max;
			w = strtok_r(NULL, " \t", &wsave)) {
			words[n++] = w;
		}
		return n;
	}
	return -ENOENT;
}

static int insmod(const char *dir, const char *rel)
{
	char path[4096];
	int fd, err = 0;
	size_t n = strlen(rel);
	unsigned flags = 0;

	snprintf(path, sizeof(path), "%s/%s", dir, rel);
	if (n > 3 && strcmp(rel + n - 3, ".ko")) {
		flags = MODULE_INIT_COMPRESSED_FILE;	/* .ko.xz, .ko.zst */
	}
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	if (syscall(SYS_finit_module, fd, "", flags) < 0 && errno != EEXIST) {
		err = -errno;
	}
	close(fd);
	return err;
}

int modules_load(const char *list)
{
	char dir[300], names[1024], *name, *save = NULL, *words[64];
	struct utsname u;
	uint8_t *dep;
	size_t len;
	int n, i, err, bad = 0;

	uname(&u);
	snprintf(dir, sizeof(dir), "/lib/modules/%s", u.release);
	snprintf(names, sizeof(names), "%s", list);
	for (name = strtok_r(names, ",", &save); name;
		name = strtok_r(NULL, ",", &save)) {
		err = sysmem_file(dir, "/modules.dep", &dep, &len, 8 << 20);
		if (err < 0) {
			hop_error("hop.modules", "%s/modules.dep: %s (the image "
				"has no modules for kernel %s)", dir,
				errname(err), u.release);
			return err;
		}
		n = modules_dep_find((char *)dep, name, words, 64);
		if (n < 0) {
			hop_error("hop.modules", "%s: not in %s/modules.dep",
				name, dir);
			bad++;
		}
		/* dependencies last to first, then the module */
		for (i = n - 1; i >= 0; i--) {
			err = insmod(dir, words[i]);
			if (err < 0) {
				hop_error("hop.modules", "%s: finit_module: %s (%s)",
					words[i], errname(err), strerror(-err));
				bad++;
				break;
			}
		}
		if (n > 0 && i < 0) {
			hop_debug("module %s loaded", name);
		}
		free(dep);
	}
	return bad ? -EINVAL : 0;
}
