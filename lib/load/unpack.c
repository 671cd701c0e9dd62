/* Unified Kernel Images and FIT images taken apart for the load (unpack.h;
 * README, "Unified Kernel Images and FIT images"). The image is made final
 * first (a sealed memfd, unless a pin, a signature check or a download
 * made it so already), so that the bytes planned, checked, measured and
 * loaded are one set of bytes; each part is then copied out of it into a
 * sealed memfd of its own, the form both syscalls take. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "container.h"
#include "hop.h"
#include "inflate.h"
#include "plan.h"
#include "sysmem.h"
#include "unpack.h"

#if HOP_FEAT_UKI || HOP_FEAT_FIT

/* the running machine's compatible strings (its tree's root), most
 * specific first: what picks a FIT configuration */
#define COMPAT_MAX 16
#define COMPAT_BYTES 4096

static const char *const part_names[UNPACK_NPARTS] = {
	[UNPACK_KERNEL] = "hop-kernel",
	[UNPACK_INITRD] = "hop-initrd",
	[UNPACK_DTB] = "hop-dtb",
};

void unpack_init(struct unpacked *u)
{
	size_t i;

	memset(u, 0, sizeof(*u));
	u->whole = -1;
	for (i = 0; i < UNPACK_NPARTS; i++) {
		u->fd[i] = -1;
	}
}

void unpack_close(struct unpacked *u)
{
	size_t i;

	if (u->whole >= 0) {
		close(u->whole);
	}
	free(u->whole_path);
	for (i = 0; i < UNPACK_NPARTS; i++) {
		if (u->fd[i] >= 0) {
			close(u->fd[i]);
		}
		free(u->path[i]);
	}
	unpack_init(u);
}

/* the running tree's root compatible list split into v; how many */
static size_t machine_compat(const char *sysroot, uint8_t **buf,
	const char **v)
{
	static const char *const where[] = { "/proc/device-tree/compatible",
		"/sys/firmware/devicetree/base/compatible" };
	size_t len = 0, n = 0, i, at;

	*buf = NULL;
	for (i = 0; i < 2 && !*buf; i++) {
		if (sysmem_file(sysroot, where[i], buf, &len, COMPAT_BYTES) < 0) {
			*buf = NULL;
		}
	}
	/* NUL-separated; read_whole ends the buffer with a NUL of its own */
	for (at = 0; *buf && at < len && n < COMPAT_MAX; ) {
		const char *s = (const char *)*buf + at;
		size_t l = strnlen(s, len - at);

		if (l) {
			v[n++] = s;
		}
		at += l + 1;
	}
	return n;
}

static int fd_path(int fd, char **path)
{
	*path = file_fd_path(fd);
	return *path ? 0 : -ENOMEM;
}

/* the bytes at req->kernel, final: an fd on them (the one given, when
 * already sealed) */
static int make_final(struct unpacked *u, const char *what,
	struct load_req *req)
{
	int f = file_open(req->kernel), err;

	if (f < 0) {
		hop_error(what, "%s (%s)", file_strerror(f), errname(f));
		return f;
	}
	if (file_is_sealed(f)) {
		u->whole = f;
		return 0;
	}
	close(f);
	f = file_sealed_copy(req->kernel, "hop-image", NULL, NULL);
	if (f < 0) {
		hop_error(what, "a copy to unpack: %s (%s)", f == -EFBIG ?
			"larger than half of the free memory" :
			file_strerror(f), errname(f));
		return f;
	}
	u->whole = f;
	err = fd_path(f, &u->whole_path);
	if (err == 0) {
		req->kernel = u->whole_path;
	}
	return err;
}

static const struct container_arch *this_arch(void)
{
	static struct container_arch a;

	a.pe_machine = (uint16_t)arch_pe_machine;
	a.fit_arch = arch_fit_arch;
	a.uses_dtb = arch_uses_dtb;
	return &a;
}

/* one line: what the image is, what boots of it */
static void say(const struct unpacked *u, const char *what)
{
	const struct container_plan *p = &u->plan;
	int fit = p->kind == CONTAINER_FIT;
	char initrd[48] = "", dtb[48] = "", hashes[32] = "";

	if (p->initrd.len) {
		snprintf(initrd, sizeof(initrd), ", %s %llu bytes", fit ?
			"ramdisk" : ".initrd", (unsigned long long)p->initrd.len);
	}
	if (p->dtb.len) {
		snprintf(dtb, sizeof(dtb), ", %s %llu bytes", fit ? "fdt" :
			".dtb", (unsigned long long)p->dtb.len);
	}
	if (fit && p->hashes) {
		snprintf(hashes, sizeof(hashes), ", %u hashes verified",
			p->hashes);
	}
	hop_log("%s: %s, %s: %s %llu bytes%s%s%s%s%s", what,
		container_kind_name(p->kind), p->name, fit ? "kernel" : ".linux",
		(unsigned long long)p->kernel.len, p->kernel_gzip ?
		" (gzip)" : "", initrd, dtb, p->has_cmdline ? ", .cmdline" :
		"", hashes);
	if (fit && !p->hashes) {
		hop_warn(what, "%s: its images have no hash nodes: nothing "
			"verified", p->name);
	}
	if (p->fit_signed) {
		hop_warn(what, "%s is signed: hop does not check FIT "
			"signatures (hop.pubkey checks a minisign or signify "
			"signature of the whole file)", p->name);
	}
}

int unpack_open(struct unpacked *u, const char *what, struct load_req *req,
	const char *want)
{
	uint8_t head[CONTAINER_PROBE_LEN], *compat_buf = NULL;
	const char *compat[COMPAT_MAX];
	char why[512];
	struct stat st;
	void *map;
	ssize_t n;
	size_t ncompat = 0;
	int f, err;

	unpack_init(u);
	f = file_open(req->kernel);
	if (f < 0) {
		return 0;	/* the load says why, as for any kernel */
	}
	n = pread(f, head, sizeof(head), 0);
	close(f);
	if (n <= 0 || container_probe(head, (size_t)n) == CONTAINER_NONE) {
		return 0;
	}
	err = make_final(u, what, req);
	if (err == 0 && fstat(u->whole, &st) < 0) {
		err = -errno;
	}
	if (err) {
		unpack_close(u);
		return err;
	}
	/* page aligned, as libfdt wants a FIT (fit.h) */
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, u->whole,
		0);
	if (map == MAP_FAILED) {
		err = -errno;
		hop_error(what, "mmap: %s", errname(err));
		unpack_close(u);
		return err;
	}
	if (arch_uses_dtb) {
		ncompat = machine_compat(req->sysroot, &compat_buf, compat);
	}
	err = container_plan(map, (size_t)st.st_size, want, compat, ncompat,
		this_arch(), &u->plan, why, sizeof(why));
	munmap(map, (size_t)st.st_size);
	free(compat_buf);
	if (err) {
		hop_error(what, "%s: %s", container_kind_name(u->plan.kind),
			why);
		unpack_close(u);
		return err;
	}
	say(u, what);
	return 1;
}

/* bytes [p, p + n) into a sealed memfd: 0, fd and path set */
static int part_file(const char *name, const uint8_t *p, size_t n, int *fd,
	char **path)
{
	int f = memfd_create(name, MFD_CLOEXEC | MFD_ALLOW_SEALING), err;

	if (f < 0) {
		return -errno;
	}
	err = file_write_all(f, p, n);
	if (!err && fcntl(f, F_ADD_SEALS, FILE_SEALS | F_SEAL_SEAL) < 0) {
		err = -errno;
	}
	err = err ? err : fd_path(f, path);
	if (err) {
		close(f);
		return err;
	}
	*fd = f;
	return 0;
}

/* the kernel's bytes as the loader takes them: inflated when the FIT
 * says gzip */
static int kernel_part(struct unpacked *u, const char *what,
	const uint8_t *p, size_t n)
{
	if (!u->plan.kernel_gzip) {
		return part_file(part_names[UNPACK_KERNEL], p, n,
			&u->fd[UNPACK_KERNEL], &u->path[UNPACK_KERNEL]);
	}
#if HOP_FEAT_GZIP
	{
		uint8_t *out;
		size_t len;
		char why[256];
		uint64_t avail;
		int err;

		/* no more than RAM holds (load.c sets the same limit for a
		 * gzip'd kernel it inflates) */
		inflate_limit = file_fits_memory(0, &avail) == 0 &&
			avail < INFLATE_MAX ? (size_t)avail : INFLATE_MAX;
		err = inflate_gzip(p, n, 0, &out, &len, why, sizeof(why));

		if (err) {
			hop_error(what, "%s, kernel: %s", u->plan.name, why);
			return err;
		}
		err = part_file(part_names[UNPACK_KERNEL], out, len,
			&u->fd[UNPACK_KERNEL], &u->path[UNPACK_KERNEL]);
		free(out);
		return err;
	}
#else
	hop_error(what, "%s: a gzip'd kernel: this hop is built without "
		"GZIP (CONFIG=full has it)", u->plan.name);
	return -ENOTSUP;
#endif
}

int unpack_apply(struct unpacked *u, const char *what, struct load_req *req)
{
	const struct container_plan *p = &u->plan;
	struct stat st;
	uint64_t avail;
	uint8_t *map;
	size_t i, n = 0;
	int err;

	if (p->kind == CONTAINER_NONE) {
		return 0;
	}
	if (fstat(u->whole, &st) < 0) {
		return -errno;
	}
	/* the parts are copies (a hostile image's may overlap, each the
	 * whole file): they must fit beside it, as the image had to */
	if (file_fits_memory(p->kernel.len + p->initrd.len + (req->dtb ? 0 :
		p->dtb.len), &avail) < 0) {
		hop_error(what, "%s: its parts (%llu bytes) are larger than "
			"half of the free memory (%llu bytes)", p->name,
			(unsigned long long)(p->kernel.len + p->initrd.len +
			p->dtb.len), (unsigned long long)avail);
		return -EFBIG;
	}
	map = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_SHARED, u->whole,
		0);
	if (map == MAP_FAILED) {
		err = -errno;
		hop_error(what, "mmap: %s", errname(err));
		return err;
	}
	/* a sealed memfd cannot shrink: the planned spans are still in it */
	err = kernel_part(u, what, map + p->kernel.off, (size_t)p->kernel.len);
	if (!err && p->initrd.len) {
		err = part_file(part_names[UNPACK_INITRD], map + p->initrd.off,
			(size_t)p->initrd.len, &u->fd[UNPACK_INITRD],
			&u->path[UNPACK_INITRD]);
	}
	if (!err && p->dtb.len && !req->dtb) {
		err = part_file(part_names[UNPACK_DTB], map + p->dtb.off,
			(size_t)p->dtb.len, &u->fd[UNPACK_DTB],
			&u->path[UNPACK_DTB]);
	}
	munmap(map, (size_t)st.st_size);
	if (err) {
		hop_error(what, "%s: its parts: %s", p->name, errname(err));
		return err;
	}
	if (p->initrd.len && req->ninitrd + 1 > sizeof(u->initrd) /
		sizeof(u->initrd[0])) {
		hop_error(what, "more than %d initrds with the image's",
			HOP_MAX_INITRD);
		return -E2BIG;
	}
	if (p->initrd.len) {
		u->initrd[n++] = u->path[UNPACK_INITRD];
	}
	for (i = 0; i < req->ninitrd; i++) {
		u->initrd[n++] = req->initrd[i];
	}
	req->kernel = u->path[UNPACK_KERNEL];
	req->initrd = u->initrd;
	req->ninitrd = n;
	if (u->path[UNPACK_DTB]) {
		req->dtb = u->path[UNPACK_DTB];
	}
	return 0;
}
#endif
