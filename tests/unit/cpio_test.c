/* the newc writer: header fields, padding, trailer, same bytes twice */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "hop.h"
#include "test.h"

struct mem {
	char buf[4096];
	size_t len;
	int fail_after;
};

static int mem_write(void *ctx, const void *buf, size_t len)
{
	struct mem *m = ctx;

	if (m->fail_after-- == 0 || m->len + len > sizeof(m->buf)) {
		return -EIO;
	}
	memcpy(m->buf + m->len, buf, len);
	m->len += len;
	return 0;
}

static unsigned field(const char *hdr, int i)
{
	char f[9];

	memcpy(f, hdr + 6 + 8 * i, 8);
	f[8] = '\0';
	return (unsigned)strtoul(f, NULL, 16);
}

static void build(struct mem *m)
{
	struct cpio c = { .write = mem_write, .ctx = m, .mtime = 1234 };

	memset(m, 0, sizeof(*m));
	m->fail_after = -1;
	cpio_entry(&c, "/bin", S_IFDIR | 0755, 0, 0, NULL, 0);
	cpio_entry(&c, "/bin/x", S_IFREG | 0644, 0, 0, "hello", 5);
	cpio_entry(&c, "dev/console", S_IFCHR | 0600, 5, 1, NULL, 0);
	cpio_trailer(&c);
}

void test_cpio(void)
{
	struct mem a, b;
	const char *h;

	build(&a);
	build(&b);
	CHECK(a.len == b.len && !memcmp(a.buf, b.buf, a.len),
		"cpio twice = different bytes; want the same");
	CHECK_INT("cpio length % 512", a.len % 512, 0);
	h = a.buf;
	CHECK(!memcmp(h, "070701", 6), "entry 0 magic = %.6s; want 070701", h);
	CHECK_STR("entry 0 name", h + 110, "bin");
	CHECK_INT("entry 0 ino", field(h, 0), 1);
	CHECK_INT("entry 0 mode", field(h, 1), S_IFDIR | 0755);
	CHECK_INT("entry 0 nlink", field(h, 4), 2);
	CHECK_INT("entry 0 mtime", field(h, 5), 1234);
	CHECK_INT("entry 0 namesize", field(h, 11), 4);
	/* 110 + 4 = 114 -> padded to 116, no data */
	h = a.buf + 116;
	CHECK_STR("entry 1 name", h + 110, "bin/x");
	CHECK_INT("entry 1 filesize", field(h, 6), 5);
	CHECK_INT("entry 1 uid", field(h, 2), 0);
	/* name 6 bytes: 116+110+6 = 232 (aligned); data 5 -> 237 -> 240 */
	CHECK(!memcmp(a.buf + 232, "hello\0\0\0", 8),
		"entry 1 data = \"%.5s\" + padding; want \"hello\" + 3 NULs",
		a.buf + 232);
	h = a.buf + 240;
	CHECK_STR("entry 2 name", h + 110, "dev/console");
	CHECK_INT("entry 2 rdevmajor", field(h, 9), 5);
	CHECK_INT("entry 2 rdevminor", field(h, 10), 1);
	h = a.buf + 240 + 124;
	CHECK_STR("trailer name", h + 110, "TRAILER!!!");

	{
		struct cpio c = { .write = mem_write, .ctx = &a };

		memset(&a, 0, sizeof(a));
		a.fail_after = 1;
		CHECK_INT("cpio_entry(write fails)", cpio_entry(&c, "x",
			S_IFREG | 0644, 0, 0, "d", 1), -EIO);
	}
}
