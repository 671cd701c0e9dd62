/* open_concat: one file opened as is, several joined into a memfd with
 * 4-byte padding between parts; a missing part is named */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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
