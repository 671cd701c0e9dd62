/* Opening the files to load. Several initrds become one memfd: the kernel
 * takes one initrd fd, and its initramfs unpacker reads concatenated
 * archives (compressed or not) and skips zero padding between them.
 *
 * Every file is opened with O_NONBLOCK and checked to be a regular file
 * before a byte is read: a FIFO or a tty would block open() or read()
 * for ever, a character device never ends. A file named by a disk is
 * opened inside that disk's file system only (file_open_at): README,
 * "Threat model". */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysinfo.h>
#include <unistd.h>

#include "hop.h"

int file_write_all(int fd, const void *buf, size_t len)
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
		if (n == 0) {
			return -EIO;	/* never loop on a file that takes none */
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

	fd = file_open(path);
	if (fd < 0) {
		return fd;
	}
	if (fstat(fd, &st) < 0) {
		err = -errno;
	} else if (st.st_size > 0) {
		map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd,
			0);
		if (map == MAP_FAILED) {
			err = -errno;
		} else {
			err = file_write_all(out, map, (size_t)st.st_size);
			munmap(map, (size_t)st.st_size);
			*total += st.st_size;
		}
	}
	close(fd);
	if (!err && (*total & 3)) {
		err = file_write_all(out, zeros, (size_t)(4 - (*total & 3)));
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
		return file_open(paths[0]);
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

int file_sealed_copy(const char *path, const char *name,
	void (*each)(void *arg, const void *buf, size_t n), void *arg)
{
	uint64_t left, avail;
	struct stat st;
	ssize_t n = 0;
	char *buf;
	int in, fd, err;

	in = file_open(path);
	if (in < 0) {
		return in;
	}
	/* the copy lives in RAM: never more than the file's size, and
	 * never more than hop can hold (an 8 GiB sparse file) */
	err = fstat(in, &st) < 0 ? -errno :
		file_fits_memory((uint64_t)st.st_size, &avail) < 0 ? -EFBIG : 0;
	fd = err ? -1 : memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING);
	buf = fd < 0 ? NULL : malloc(1 << 16);
	if (!err && !buf) {
		err = fd < 0 ? -errno : -ENOMEM;
	}
	left = (uint64_t)st.st_size;
	while (!err && left && (n = read(in, buf, left < (1 << 16) ?
		(size_t)left : 1 << 16)) > 0) {
		left -= (uint64_t)n;
		if (each) {
			each(arg, buf, (size_t)n);
		}
		err = file_write_all(fd, buf, (size_t)n);
	}
	if (!err && n < 0) {
		err = -errno;
	}
	close(in);
	free(buf);
	/* the bytes copied can no longer change */
	if (!err && fcntl(fd, F_ADD_SEALS, FILE_SEALS | F_SEAL_SEAL) < 0) {
		err = -errno;
	}
	if (err) {
		if (fd >= 0) {
			close(fd);
		}
		return err;
	}
	return fd;
}

char *file_fd_path(int fd)
{
	char *p;

	return asprintf(&p, "/proc/self/fd/%d", fd) < 0 ? NULL : p;
}

int file_is_sealed(int fd)
{
	int seals = fcntl(fd, F_GET_SEALS);

	return seals >= 0 && (seals & FILE_SEALS) == FILE_SEALS;
}

/* ---- files from disks: one root each, regular files only ---- */

/* openat2(2)'s struct open_how and RESOLVE_* (include/uapi/linux/openat2.h),
 * declared here: musl's headers have neither. The syscall has number 437
 * on every arch hop builds for (the generic table). */
struct hop_open_how {
	uint64_t flags;
	uint64_t mode;
	uint64_t resolve;
};
#define HOP_RESOLVE_NO_XDEV		0x01
#define HOP_RESOLVE_NO_MAGICLINKS	0x02
#define HOP_RESOLVE_IN_ROOT		0x10
#ifndef SYS_openat2
#define SYS_openat2 437
#endif

/* set once openat2 answered ENOSYS (Linux < 5.6); tests set it to take
 * the fallback */
int file_no_openat2;

int path_confined(const char *path)
{
	const char *p = path;
	long depth = 0;
	size_t n;

	for (;;) {
		p += strspn(p, "/");
		if (!*p) {
			return 0;
		}
		n = strcspn(p, "/");
		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (--depth < 0) {
				return -EXDEV;
			}
		} else if (!(n == 1 && p[0] == '.')) {
			depth++;
		}
		p += n;
	}
}

/* Without openat2: every component opened on its own with O_NOFOLLOW and
 * on the root's device, ".." refused: a symlink anywhere is refused
 * (ELOOP) rather than followed out of the file system. */
static int open_walk(int root, const char *path, int flags)
{
	struct stat rst, st;
	char comp[NAME_MAX + 1];
	int cur = root, next;
	size_t n;

	if (fstat(root, &rst) < 0) {
		return -errno;
	}
	for (;;) {
		path += strspn(path, "/");
		n = strcspn(path, "/");
		if (n > NAME_MAX) {
			next = -ENAMETOOLONG;
			break;
		}
		memcpy(comp, n ? path : ".", n ? n : 1);
		comp[n ? n : 1] = '\0';
		path += n;
		path += strspn(path, "/");
		if (!strcmp(comp, "..")) {
			next = -EXDEV;
			break;
		}
		next = openat(cur, comp, (*path ? O_PATH | O_DIRECTORY :
			flags) | O_NOFOLLOW | O_CLOEXEC);
		if (next < 0) {
			/* ELOOP (the last component) or ENOTDIR (a folder)
			 * when it is a symlink: say which */
			next = -errno;
			if (fstatat(cur, comp, &st, AT_SYMLINK_NOFOLLOW) == 0 &&
				S_ISLNK(st.st_mode)) {
				next = -ELOOP;
			}
			break;
		}
		if (fstat(next, &st) < 0 || st.st_dev != rst.st_dev) {
			close(next);
			next = -EXDEV;
			break;
		}
		if (cur != root) {
			close(cur);
		}
		cur = next;
		if (!*path) {
			return cur;
		}
	}
	if (cur != root) {
		close(cur);
	}
	return next;
}

int file_open_at(int root, const char *path, int flags)
{
	struct hop_open_how how;
	int fd, err;

	err = path_confined(path);
	if (err < 0) {
		return err;
	}
	/* openat2 refuses O_PATH with any flag but these (open ignores
	 * them) */
	flags |= O_CLOEXEC | (flags & O_PATH ? 0 : O_NOCTTY);
	if (!file_no_openat2) {
		memset(&how, 0, sizeof(how));
		how.flags = (uint64_t)flags;
		how.resolve = HOP_RESOLVE_IN_ROOT | HOP_RESOLVE_NO_MAGICLINKS |
			HOP_RESOLVE_NO_XDEV;
		path += strspn(path, "/");
		/* EAGAIN: the kernel could not rule out that a ".." raced
		 * out of the root (openat2(2)); the mount is read-only, so
		 * a retry settles it */
		for (int i = 0; i < 3; i++) {
			fd = (int)syscall(SYS_openat2, root, *path ? path : ".",
				&how, sizeof(how));
			if (fd >= 0 || errno != EAGAIN) {
				break;
			}
		}
		if (fd >= 0 || errno != ENOSYS) {
			return fd >= 0 ? fd : -errno;
		}
		file_no_openat2 = 1;
	}
	return open_walk(root, path, flags);
}

/* fd is a regular file (else closed): fd, or -EISDIR, -EINVAL */
static int only_regular(int fd)
{
	struct stat st;
	int err;

	if (fd < 0) {
		return fd;
	}
	if (fstat(fd, &st) < 0) {
		err = -errno;
	} else if (S_ISREG(st.st_mode)) {
		/* O_NONBLOCK only kept a FIFO or tty from blocking open() */
		fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
		return fd;
	} else {
		err = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
	}
	close(fd);
	return err;
}

int file_open_in(int root, const char *path)
{
	return only_regular(file_open_at(root, path, O_RDONLY | O_NONBLOCK));
}

int file_open(const char *path)
{
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC);

	return only_regular(fd < 0 ? -errno : fd);
}

const char *file_strerror(int err)
{
	switch (err) {
	case -EINVAL:
		return "not a regular file";
	case -EXDEV:
		return "outside its file system";
	case -ELOOP:
		/* without openat2 every symlink is refused; with it, ELOOP
		 * is a loop (or 40 links deep) */
		return file_no_openat2 ? "a symlink (refused: this kernel has "
			"no openat2)" : strerror(ELOOP);
	default:
		return strerror(-err);
	}
}

int file_fits_memory(uint64_t size, uint64_t *avail)
{
	struct sysinfo si;
	uint64_t free_b;

	if (sysinfo(&si) < 0) {
		return -errno;
	}
	free_b = ((uint64_t)si.freeram + si.bufferram) * si.mem_unit;
	*avail = free_b / 2;
	return size <= *avail ? 0 : -ENOMEM;
}

int file_read_small(const char *path, char *buf, size_t sz)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0) {
		return -errno;
	}
	n = read(fd, buf, sz - 1);
	close(fd);
	if (n < 0) {
		return -errno;
	}
	buf[n] = '\0';
	return (int)n;
}
