/* newc cpio writer (linux Documentation/driver-api/early-userspace/
 * buffer-format.rst): 110-byte ASCII header, name and data each padded to
 * 4 bytes. The caller chooses mtime and inode numbers so that the same
 * inputs give the same bytes; owners are always root. */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "hop.h"

static int put(struct cpio *c, const void *buf, size_t len)
{
	int err = c->write(c->ctx, buf, len);

	if (err < 0) {
		return err;
	}
	c->off += len;
	return 0;
}

static int pad4(struct cpio *c)
{
	static const char zeros[4];
	size_t n = (size_t)((4 - (c->off & 3)) & 3);

	return n ? put(c, zeros, n) : 0;
}

int cpio_entry(struct cpio *c, const char *name, uint32_t mode,
	uint32_t rmajor, uint32_t rminor, const void *data, size_t len)
{
	char hdr[111];
	size_t namesize;
	int err;

	while (*name == '/') {
		name++;	/* archive names are relative, like gen_init_cpio */
	}
	if (!*name) {
		name = ".";
	}
	namesize = strlen(name) + 1;
	if (len > 0xffffffffu) {
		return -EFBIG;
	}
	snprintf(hdr, sizeof(hdr), "070701%08X%08X%08X%08X%08X%08X%08X"
		"%08X%08X%08X%08X%08X%08X", ++c->ino, mode, 0u, 0u,
		S_ISDIR(mode) ? 2u : 1u, c->mtime, (uint32_t)len, 0u, 0u,
		rmajor, rminor, (uint32_t)namesize, 0u);
	err = put(c, hdr, 110);
	if (!err) {
		err = put(c, name, namesize);
	}
	if (!err) {
		err = pad4(c);
	}
	if (!err && len) {
		err = put(c, data, len);
	}
	if (!err) {
		err = pad4(c);
	}
	return err;
}

int cpio_trailer(struct cpio *c)
{
	int err = cpio_entry(c, "TRAILER!!!", 0, 0, 0, NULL, 0);
	static const char zeros[512];
	size_t n = (size_t)((512 - (c->off & 511)) & 511);

	/* pad to a 512-byte block like cpio(1) does */
	if (!err && n) {
		err = put(c, zeros, n);
	}
	return err;
}
