/* open_concat: one file opened as is, several joined into a memfd with
 * 4-byte padding between parts; a missing part is named */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hop.h"
#include "test.h"

static void put(const char *path, const char *data)
{
	FILE *f = fopen(path, "w");

	fputs(data, f);
	fclose(f);
}

void test_file(void)
{
	char dir[] = "/tmp/hop-test-XXXXXX", a[64], b[64], c[64], buf[64];
	const char *paths[3], *failed;
	ssize_t n;
	int fd;

	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp failed");
		return;
	}
	snprintf(a, sizeof(a), "%s/a", dir);
	snprintf(b, sizeof(b), "%s/b", dir);
	snprintf(c, sizeof(c), "%s/missing", dir);
	put(a, "12345");
	put(b, "abcd");
	paths[0] = a;
	paths[1] = b;
	paths[2] = c;

	fd = open_concat(paths, 1, &failed);
	CHECK(fd >= 0, "open_concat(a) = %d; want an fd", fd);
	n = read(fd, buf, sizeof(buf));
	CHECK_INT("read(open_concat(a))", n, 5);
	close(fd);

	fd = open_concat(paths, 2, &failed);
	CHECK(fd >= 0, "open_concat(a, b) = %d; want an fd", fd);
	n = pread(fd, buf, sizeof(buf), 0);
	CHECK_INT("read(open_concat(a, b))", n, 12);
	CHECK(n == 12 && !memcmp(buf, "12345\0\0\0abcd", 12),
		"open_concat(a, b) = \"%.*s\"; want \"12345\\0\\0\\0abcd\"",
		(int)n, buf);
	close(fd);

	fd = open_concat(paths, 3, &failed);
	CHECK_INT("open_concat(a, b, missing)", fd, -ENOENT);
	CHECK_STR("open_concat(a, b, missing) failed", failed, c);
	fd = open_concat(paths + 2, 1, &failed);
	CHECK_INT("open_concat(missing)", fd, -ENOENT);
	CHECK_INT("open_concat(none)", open_concat(paths, 0, &failed), -ENOENT);
	unlink(a);
	unlink(b);
	rmdir(dir);
}

/* a file system root for file_open_in: root/boot/k (regular), root/abs
 * -> /boot/k (an absolute symlink: the root's own /boot/k), root/up ->
 * ../../../../../etc/hostname (climbs: stays at the root), root/fifo,
 * root/dir; outside it, dir/secret */
static void make_root(const char *dir, char *root, size_t sz)
{
	char p[256];

	snprintf(root, sz, "%s/root", dir);
	mkdir(root, 0755);
	snprintf(p, sizeof(p), "%s/boot", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/dir", root);
	mkdir(p, 0755);
	snprintf(p, sizeof(p), "%s/boot/k", root);
	put(p, "kernel");
	snprintf(p, sizeof(p), "%s/secret", dir);
	put(p, "outside");
	snprintf(p, sizeof(p), "%s/abs", root);
	symlink("/boot/k", p);
	snprintf(p, sizeof(p), "%s/up", root);
	symlink("../secret", p);
	snprintf(p, sizeof(p), "%s/fifo", root);
	mkfifo(p, 0600);
	snprintf(p, sizeof(p), "%s/loop", root);
	symlink("loop", p);
}

/* what file_open_in(root, path) gives: the file's first bytes, or the
 * error */
static const char *open_in(int root, const char *path, char *buf, size_t sz)
{
	int fd = file_open_in(root, path);
	ssize_t n;

	if (fd < 0) {
		snprintf(buf, sz, "%s", errname(fd));
		return buf;
	}
	n = read(fd, buf, sz - 1);
	buf[n > 0 ? n : 0] = '\0';
	close(fd);
	return buf;
}

void test_file_rooted(void)
{
	char dir[] = "/tmp/hop-root-XXXXXX", root[64], buf[160];
	int r, pass;

	CHECK_INT("path_confined(/boot/k)", path_confined("/boot/k"), 0);
	CHECK_INT("path_confined(/a/../b)", path_confined("/a/../b"), 0);
	CHECK_INT("path_confined(extlinux/../k)",
		path_confined("/extlinux/../k"), 0);
	CHECK_INT("path_confined(/..)", path_confined("/.."), -EXDEV);
	CHECK_INT("path_confined(/a/../../b)", path_confined("/a/../../b"),
		-EXDEV);
	CHECK_INT("path_confined(./../b)", path_confined("./../b"), -EXDEV);
	CHECK_INT("path_confined(//a//..//..)", path_confined("//a//..//.."),
		-EXDEV);
	CHECK_INT("path_confined(a/..b)", path_confined("a/..b"), 0);
	CHECK_INT("path_confined()", path_confined(""), 0);

	if (!mkdtemp(dir)) {
		CHECK(0, "mkdtemp failed");
		return;
	}
	make_root(dir, root, sizeof(root));
	r = open(root, O_PATH | O_DIRECTORY);
	/* with openat2, then as on a kernel without it */
	for (pass = 0; pass < 2; pass++) {
		file_no_openat2 = pass;
		CHECK_STR("file_open_in(/boot/k)", open_in(r, "/boot/k", buf,
			sizeof(buf)), "kernel");
		/* qemu-user (the cross-built tests) has no openat2: the
		 * first call found out, and both passes are the fallback */
		pass = pass || file_no_openat2;
		CHECK_STR("file_open_in(boot//k)", open_in(r, "boot//k", buf,
			sizeof(buf)), "kernel");
		CHECK_STR("file_open_in(/dir/../boot/k)", open_in(r,
			"/dir/../boot/k", buf, sizeof(buf)), pass ? "EXDEV" :
			"kernel");
		CHECK_STR("file_open_in(/../secret)", open_in(r, "/../secret",
			buf, sizeof(buf)), "EXDEV");
		CHECK_STR("file_open_in(/boot/../../secret)", open_in(r,
			"/boot/../../secret", buf, sizeof(buf)), "EXDEV");
		/* an absolute symlink is the file system's own /boot/k */
		CHECK_STR("file_open_in(abs symlink)", open_in(r, "/abs", buf,
			sizeof(buf)), pass ? "ELOOP" : "kernel");
		/* ../secret from the root is the root itself: not found */
		CHECK_STR("file_open_in(climbing symlink)", open_in(r, "/up",
			buf, sizeof(buf)), pass ? "ELOOP" : "ENOENT");
		CHECK_STR("file_open_in(fifo)", open_in(r, "/fifo", buf,
			sizeof(buf)), "EINVAL");
		CHECK_STR("file_open_in(dir)", open_in(r, "/dir", buf,
			sizeof(buf)), "EISDIR");
		CHECK_STR("file_open_in(/)", open_in(r, "/", buf, sizeof(buf)),
			"EISDIR");
		CHECK_STR("file_open_in(missing)", open_in(r, "/boot/nope", buf,
			sizeof(buf)), "ENOENT");
		CHECK_STR("file_open_in(symlink loop)", open_in(r, "/loop", buf,
			sizeof(buf)), "ELOOP");
		CHECK_STR("file_strerror(ELOOP)", file_strerror(-ELOOP), pass ?
			"a symlink (refused: this kernel has no openat2)" :
			strerror(ELOOP));
	}
	file_no_openat2 = 0;
	close(r);
	/* outside a root: regular files only, a FIFO does not block */
	snprintf(buf, sizeof(buf), "%s/fifo", root);
	CHECK_INT("file_open(fifo)", file_open(buf), -EINVAL);
	CHECK_INT("file_open(/dev/null)", file_open("/dev/null"), -EINVAL);
	CHECK_INT("file_open(/tmp)", file_open("/tmp"), -EISDIR);
	CHECK_STR("file_strerror(EINVAL)", file_strerror(-EINVAL),
		"not a regular file");
	CHECK_STR("file_strerror(EXDEV)", file_strerror(-EXDEV),
		"outside its file system");
	snprintf(buf, sizeof(buf), "rm -rf %s", dir);
	CHECK_INT("rm -rf", system(buf), 0);
}
