/* Opening the files to load. Several initrds become one memfd: the kernel
 * takes one initrd fd, and its initramfs unpacker reads concatenated
 * archives (compressed or not) and skips zero padding between them. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hop.h"

static int write_all(int fd, const void *buf, size_t len)
{
	const char *p = buf;
	ssize_t n;

	while (len) {
		n = write(fd, p, len);
		if (n < 0) {
			if (errno == EINTR) {
				continue;
			}
			return -errno;
		}
		p += n;
		len -= (size_t)n;
	}
	return 0;
}

/* appends the whole of path to out; mmap so the data is copied once */
static int append_file(int out, const char *path, off_t *total)
{
	static const char zeros[4];
	struct stat st;
	void *map;
	int fd, err = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	if (fstat(fd, &st) < 0) {
		err = -errno;
	} else if (!S_ISREG(st.st_mode)) {
		err = -EINVAL;
	} else if (st.st_size > 0) {
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
			0);
		if (map == MAP_FAILED) {
			err = -errno;
		} else {
			err = write_all(out, map, (size_t)st.st_size);
			munmap(map, (size_t)st.st_size);
			*total += st.st_size;
		}
	}
	close(fd);
	if (!err && (*total & 3)) {
		err = write_all(out, zeros, (size_t)(4 - (*total & 3)));
		*total = (*total + 3) & ~(off_t)3;
	}
	return err;
}

int open_concat(const char *const *paths, size_t n, const char **failed)
{
	off_t total = 0;
	size_t i;
	int fd, err;

	*failed = n ? paths[0] : "";
	if (n == 0) {
		return -ENOENT;
	}
	if (n == 1) {
		fd = open(paths[0], O_RDONLY | O_CLOEXEC);
		return fd < 0 ? -errno : fd;
	}
	fd = memfd_create("hop-initrd", MFD_CLOEXEC);
	if (fd < 0) {
		*failed = "memfd_create";
		return -errno;
	}
	for (i = 0; i < n; i++) {
		err = append_file(fd, paths[i], &total);
		if (err < 0) {
			*failed = paths[i];
			close(fd);
			return err;
		}
	}
	return fd;
}
