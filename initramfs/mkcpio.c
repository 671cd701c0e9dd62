/* mkcpio: writes a newc initramfs to stdout from a gen_init_cpio-style
 * list, without root privileges and with reproducible bytes: owners are
 * root, every mtime is SOURCE_DATE_EPOCH (default 0), inode numbers count
 * up, and directory trees are walked in sorted order.
 *
 *   dir   /path MODE
 *   file  /path SOURCE MODE
 *   slink /path TARGET
 *   nod   /path MODE c|b MAJOR MINOR
 *   tree  /path SOURCEDIR      copy SOURCEDIR's contents under /path
 *
 * A path listed twice keeps its first entry (a tree may add /boot that the
 * list already made). */
#define _GNU_SOURCE
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hop.h"

static char **seen;
static size_t nseen;

static int out_write(void *ctx, const void *buf, size_t len)
{
	(void)ctx;
	return fwrite(buf, 1, len, stdout) == len ? 0 : -EIO;
}

static int already(const char *name)
{
	size_t i;

	for (i = 0; i < nseen; i++) {
		if (!strcmp(seen[i], name)) {
			return 1;
		}
	}
	seen = realloc(seen, (nseen + 1) * sizeof(*seen));
	seen[nseen++] = strdup(name);
	return 0;
}

static void die(const char *what, const char *why)
{
	fprintf(stderr, "mkcpio: error: %s: %s\n", what, why);
	exit(1);
}

static void add(struct cpio *c, const char *name, unsigned mode,
	unsigned maj, unsigned min, const void *data, size_t len)
{
	if (already(name)) {
		return;
	}
	if (cpio_entry(c, name, mode, maj, min, data, len) < 0) {
		die(name, "write failed");
	}
}

static void add_file(struct cpio *c, const char *name, const char *src,
	unsigned mode)
{
	struct stat st;
	void *map = NULL;
	int fd;

	fd = open(src, O_RDONLY);
	if (fd < 0 || fstat(fd, &st) < 0) {
		die(src, strerror(errno));
	}
	if (st.st_size) {
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE,
			fd, 0);
		if (map == MAP_FAILED) {
			die(src, strerror(errno));
		}
	}
	add(c, name, S_IFREG | mode, 0, 0, map, (size_t)st.st_size);
	if (map) {
		munmap(map, (size_t)st.st_size);
	}
	close(fd);
}

static void add_tree(struct cpio *c, const char *dst, const char *src)
{
	char s[PATH_MAX], d[PATH_MAX], target[PATH_MAX];
	struct dirent **ents;
	struct stat st;
	ssize_t n;
	int i, count;

	count = scandir(src, &ents, NULL, alphasort);
	if (count < 0) {
		die(src, strerror(errno));
	}
	for (i = 0; i < count; i++) {
		const char *e = ents[i]->d_name;

		if (!strcmp(e, ".") || !strcmp(e, "..")) {
			free(ents[i]);
			continue;
		}
		snprintf(s, sizeof(s), "%s/%s", src, e);
		snprintf(d, sizeof(d), "%s/%s", strcmp(dst, "/") ? dst : "", e);
		if (lstat(s, &st) < 0) {
			die(s, strerror(errno));
		}
		if (S_ISDIR(st.st_mode)) {
			add(c, d, S_IFDIR | (st.st_mode & 07777), 0, 0, NULL, 0);
			add_tree(c, d, s);
		} else if (S_ISLNK(st.st_mode)) {
			n = readlink(s, target, sizeof(target) - 1);
			if (n < 0) {
				die(s, strerror(errno));
			}
			add(c, d, S_IFLNK | 0777, 0, 0, target, (size_t)n);
		} else if (S_ISREG(st.st_mode)) {
			add_file(c, d, s, st.st_mode & 07777);
		} else {
			die(s, "not a file, directory or symlink");
		}
		free(ents[i]);
	}
	free(ents);
}

int main(int argc, char **argv)
{
	char line[2 * PATH_MAX], a[PATH_MAX], b[PATH_MAX], t;
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	struct cpio c = { .write = out_write };
	unsigned mode, maj, min;
	FILE *list;
	int lineno = 0;

	if (argc != 2) {
		fputs("usage: mkcpio LIST > out.cpio\n", stderr);
		return 2;
	}
	c.mtime = epoch ? (uint32_t)strtoul(epoch, NULL, 10) : 0;
	list = fopen(argv[1], "r");
	if (!list) {
		die(argv[1], strerror(errno));
	}
	while (fgets(line, sizeof(line), list)) {
		lineno++;
		if (line[0] == '#' || line[strspn(line, " \t\n")] == '\0') {
			continue;
		}
		if (sscanf(line, "dir %4095s %o", a, &mode) == 2) {
			add(&c, a, S_IFDIR | mode, 0, 0, NULL, 0);
		} else if (sscanf(line, "file %4095s %4095s %o", a, b,
			&mode) == 3) {
			add_file(&c, a, b, mode);
		} else if (sscanf(line, "slink %4095s %4095s", a, b) == 2) {
			add(&c, a, S_IFLNK | 0777, 0, 0, b, strlen(b));
		} else if (sscanf(line, "nod %4095s %o %c %u %u", a, &mode, &t,
			&maj, &min) == 5 && (t == 'c' || t == 'b')) {
			add(&c, a, (t == 'c' ? S_IFCHR : S_IFBLK) | mode, maj,
				min, NULL, 0);
		} else if (sscanf(line, "tree %4095s %4095s", a, b) == 2) {
			add_tree(&c, a, b);
		} else {
			snprintf(b, sizeof(b), "%s:%d", argv[1], lineno);
			die(b, "cannot parse this line");
		}
	}
	fclose(list);
	if (cpio_trailer(&c) < 0 || fflush(stdout) != 0) {
		die("stdout", "write failed");
	}
	return 0;
}
