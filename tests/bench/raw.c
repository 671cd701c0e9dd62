/* bench-raw: the floors of make bench: the least a loader can do to put a
 * kernel and an initrd in the kernel's hands, and the least any copy of
 * the same bytes costs. Static, no library but libc.
 *
 * bench-raw file KERNEL INITRD CMDLINE
 *	opens both files and calls kexec_file_load: the kernel reads them
 *	itself; nothing is read in user space.
 *
 * bench-raw copy KERNEL INITRD
 *	the physical floor: writes both files' bytes into a new file in /tmp
 *	(tmpfs) and removes it, that is, allocates a page for each page of
 *	them and copies it, as kexec_load must; nothing else. The sources
 *	are mapped, as hop's are.
 *
 * bench-raw churn MIB
 *	page-cache churn before a scenario: MIB MiB kept in /tmp/churn-keep,
 *	written in 64 KiB pieces alternately with as much in
 *	/tmp/churn-gone, which is then removed; the free memory left is
 *	full of 64 KiB holes, which the page allocator hands out first, so
 *	the next file's pages are scattered.
 *
 * bench-raw load PLAN KERNEL INITRD
 *	calls kexec_load with the segments hop planned: PLAN is the output of
 *	"hop kexec -c --plan" for the same files (made before the timed runs,
 *	not timed). The kernel and initrd segments point into private
 *	read-only mappings of the files, as hop's do, so the only cost left
 *	is the kernel's copy of the pages; every other segment (boot_params,
 *	trampoline, device tree: a few KiB) is a zeroed buffer of the planned
 *	size. The image is never executed (bench.sh unloads it), so their
 *	contents do not matter; their sizes and addresses are the plan's.
 *	x86_64's kernel segment is the bzImage after its setup sectors, that
 *	is the file's last bufsz bytes; arm64's Image and arm's zImage start
 *	at the file's first byte. A kernel segment larger than the file (an
 *	inflated Image.gz) is a zeroed buffer too.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#if defined(__x86_64__)
#define KEXEC_ARCH (62ul << 16)
#define KERNEL_AT_END 1
#elif defined(__aarch64__)
#define KEXEC_ARCH (183ul << 16)
#define KERNEL_AT_END 0
#elif defined(__arm__)
#define KEXEC_ARCH (40ul << 16)
#define KERNEL_AT_END 0
#else
#error "bench-raw: x86_64, aarch64 or arm"
#endif

struct seg {
	const void *buf;
	size_t bufsz;
	const void *mem;
	size_t memsz;
};

static void die(const char *what, const char *why)
{
	fprintf(stderr, "bench-raw: %s: %s\n", what, why);
	exit(1);
}

static const uint8_t *map_file(const char *path, size_t *len)
{
	struct stat st;
	void *p;
	int fd;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0 || fstat(fd, &st) < 0) {
		die(path, strerror(errno));
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		die(path, strerror(errno));
	}
	close(fd);
	*len = (size_t)st.st_size;
	return p;
}

static int raw_file(char **argv)
{
	int kfd, ifd;

	kfd = open(argv[0], O_RDONLY | O_CLOEXEC);
	ifd = open(argv[1], O_RDONLY | O_CLOEXEC);
	if (kfd < 0 || ifd < 0) {
		die(kfd < 0 ? argv[0] : argv[1], strerror(errno));
	}
#ifdef SYS_kexec_file_load
	if (syscall(SYS_kexec_file_load, kfd, ifd, strlen(argv[2]) + 1,
		argv[2], 0ul) < 0) {
		die("kexec_file_load", strerror(errno));
	}
	return 0;
#else
	die("kexec_file_load", "no such syscall on this arch");
	return 1;
#endif
}

static int raw_load(char **argv)
{
	struct seg segs[16];
	unsigned long long a, b, memsz, entry = 0;
	const uint8_t *k, *ird;
	size_t klen, ilen, bufsz, n = 0;
	char line[512], what[64];
	FILE *f;

	f = fopen(argv[0], "r");
	if (!f) {
		die(argv[0], strerror(errno));
	}
	k = map_file(argv[1], &klen);
	ird = map_file(argv[2], &ilen);
	/* hop: plan: bzImage K, entry 0x..., N segments
	 * hop: plan: 0xSTART-0xEND MEMSZ WHAT (BUFSZ bytes) */
	while (fgets(line, sizeof(line), f)) {
		char *p = strstr(line, "plan: ");

		if (!p) {
			continue;
		}
		p += 6;
		if (strstr(p, ", entry 0x")) {
			entry = strtoull(strstr(p, ", entry ") + 8, NULL, 16);
			continue;
		}
		if (sscanf(p, "0x%llx-0x%llx %llu %63s (%zu bytes)", &a, &b,
			&memsz, what, &bufsz) != 5) {
			continue;
		}
		if (n == 16) {
			die(argv[0], "more than 16 segments");
		}
		segs[n].bufsz = bufsz;
		segs[n].mem = (const void *)(uintptr_t)a;
		segs[n].memsz = (size_t)memsz;
		if (strcmp(what, "initrd") == 0 && bufsz <= ilen) {
			segs[n].buf = ird;
		} else if (strcmp(what, "kernel") == 0 && bufsz <= klen) {
			segs[n].buf = KERNEL_AT_END ? k + klen - bufsz : k;
		} else if (!(segs[n].buf = calloc(1, bufsz ? bufsz : 1))) {
			die(what, "out of memory");
		}
		n++;
	}
	fclose(f);
	if (n == 0 || entry == 0) {
		die(argv[0], "no plan: no \"hop: plan:\" segment lines");
	}
	if (syscall(SYS_kexec_load, (unsigned long)entry, n, segs,
		KEXEC_ARCH) < 0) {
		die("kexec_load", strerror(errno));
	}
	return 0;
}

static int raw_copy(char **argv)
{
	static const char out[] = "/tmp/bench-raw-copy";
	const uint8_t *src[2];
	size_t len[2], off;
	ssize_t n;
	int fd, i;

	src[0] = map_file(argv[0], &len[0]);
	src[1] = map_file(argv[1], &len[1]);
	fd = open(out, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	if (fd < 0) {
		die(out, strerror(errno));
	}
	for (i = 0; i < 2; i++) {
		for (off = 0; off < len[i]; off += (size_t)n) {
			n = write(fd, src[i] + off, len[i] - off);
			if (n <= 0) {
				die(out, n < 0 ? strerror(errno) : "short write");
			}
		}
	}
	close(fd);
	unlink(out);
	return 0;
}

static int raw_churn(char **argv)
{
	static const char *name[2] = { "/tmp/churn-keep", "/tmp/churn-gone" };
	static uint8_t piece[65536];
	long i, n = strtol(argv[0], NULL, 10) * 16;
	int fd[2], k;

	for (k = 0; k < 2; k++) {
		fd[k] = open(name[k], O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC,
			0600);
		if (fd[k] < 0) {
			die(name[k], strerror(errno));
		}
	}
	memset(piece, 0x5a, sizeof(piece));
	for (i = 0; i < n; i++) {
		for (k = 0; k < 2; k++) {
			if (write(fd[k], piece, sizeof(piece)) !=
				(ssize_t)sizeof(piece)) {
				die(name[k], "short write");
			}
		}
	}
	close(fd[0]);
	close(fd[1]);
	unlink(name[1]);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 5 && strcmp(argv[1], "file") == 0) {
		return raw_file(argv + 2);
	}
	if (argc == 5 && strcmp(argv[1], "load") == 0) {
		return raw_load(argv + 2);
	}
	if (argc == 4 && strcmp(argv[1], "copy") == 0) {
		return raw_copy(argv + 2);
	}
	if (argc == 3 && strcmp(argv[1], "churn") == 0) {
		return raw_churn(argv + 2);
	}
	fprintf(stderr, "usage: bench-raw file KERNEL INITRD CMDLINE | "
		"load PLAN KERNEL INITRD | copy KERNEL INITRD | churn MIB\n");
	return 2;
}
