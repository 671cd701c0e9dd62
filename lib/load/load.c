/* Loading an image per the syscall policy: kexec_file_load first, then
 * kexec_load only where policy_decide() allows (README, "Syscall policy").
 * Shared by the agent and the kexec applet. Nothing is left half loaded:
 * every fd, mapping and buffer is released on every path, and a failed load
 * leaves the kernel's previous image (if any) as it was. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfcore.h"
#include "hop.h"
#include "inflate.h"
#include "plan.h"
#include "request.h"
#include "sysmem.h"


struct mapped {
	const uint8_t *data;
	size_t len;
};

static int map_fd(int fd, struct mapped *m)
{
	struct stat st;
	void *p;

	if (fstat(fd, &st) < 0) {
		return -errno;
	}
	if (!S_ISREG(st.st_mode)) {
		return -EINVAL;
	}
	if (st.st_size == 0) {
		return -ENODATA;
	}
	p = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	if (p == MAP_FAILED) {
		return -errno;
	}
	m->data = p;
	m->len = (size_t)st.st_size;
	return 0;
}

static void unmap(struct mapped *m)
{
	if (m->data) {
		munmap((void *)m->data, m->len);
	}
	m->data = NULL;
}

static const char *why_errno(int err)
{
	return err == -ENODATA ? "the file is empty" : file_strerror(err);
}

static const char *lockdown_mode(const struct load_req *req);

static void print_plan(const struct load_req *req, const char *fmt,
	const struct plan *p, const struct memmap *mm)
{
	size_t i;

	for (i = 0; i < mm->nremovable; i++) {
		hop_log("plan: excluded 0x%09llx-0x%09llx: %s",
			(unsigned long long)mm->removable[i].start,
			(unsigned long long)(mm->removable[i].end - 1),
			mm->removable_why[i]);
	}
	hop_log("plan: %s %s, entry 0x%llx, %zu segments", fmt, req->kernel,
		(unsigned long long)p->entry, p->nseg);
	for (i = 0; i < p->nseg; i++) {
		const struct segment *s = &p->seg[i];

		hop_log("plan: 0x%09llx-0x%09llx %10llu %s (%zu bytes)",
			(unsigned long long)s->mem,
			(unsigned long long)(s->mem + s->memsz - 1),
			(unsigned long long)s->memsz, s->what, s->bufsz);
	}
	for (i = 0; i < p->nkept; i++) {
		hop_log("plan: 0x%09llx-0x%09llx kept clear: the %s's room",
			(unsigned long long)p->kept[i].start,
			(unsigned long long)(p->kept[i].end - 1),
			p->kept_what[i]);
	}
	for (i = 0; i < mm->nbusy; i++) {
		hop_debug("plan: 0x%09llx-0x%09llx busy: bytes 0x%llx- of "
			"source %u", (unsigned long long)mm->busy[i].start,
			(unsigned long long)(mm->busy[i].end - 1),
			(unsigned long long)mm->busy[i].off, mm->busy[i].src);
	}
}

/* a panic kernel's ELF core header (lib/plan/elfcore.c): the crashed
 * kernel's CPU notes, vmcoreinfo, its image's mapping (/proc/kcore) and
 * its RAM outside the reservation; mm as read, before memmap_crash_only.
 * 0 or -errno, having logged why. */
static int core_header(const struct load_req *req, const struct memmap *mm,
	uint8_t **out, size_t *len)
{
#if HOP_FEAT_KDUMP
	struct mem_range ram[MEMMAP_MAX], *notes = NULL;
	struct elfcore c;
	uint8_t *kcore;
	size_t klen, i;
	int n, err;

	memset(&c, 0, sizeof(c));
	c.machine = (uint16_t)arch_elf_machine;
	/* x86: the low 1 MiB stays reserved and the crash kernel runs there
	 * (arch/x86/kernel/crash.c elf_header_exclude_ranges) */
	n = memmap_dump_ranges(mm, c.machine == ELFCORE_EM_X86_64 ? 1u << 20 :
		0, ram, MEMMAP_MAX);
	if (n < 0) {
		hop_error("kexec -p", "ELF core header: RAM ranges: %s",
			errname(n));
		return n;
	}
	c.ram = ram;
	c.nram = (size_t)n;
	/* ELF32 on arm unless RAM lies above 4 GiB (LPAE) */
	c.elf64 = c.machine != ELFCORE_EM_ARM;
	for (i = 0; i < c.nram; i++) {
		c.elf64 |= ram[i].end > 0x100000000ull;
	}
	n = sysmem_crash_notes(req->sysroot, &notes);
	if (n <= 0) {
		hop_warn("kexec -p", "no CPU crash notes (/sys/devices/system/"
			"cpu/cpuN/crash_notes): the dump has no registers");
	}
	c.notes = notes;
	c.nnotes = n > 0 ? (size_t)n : 0;
	if (sysmem_vmcoreinfo(req->sysroot, &c.vmcoreinfo) < 0) {
		hop_warn("kexec -p", "no /sys/kernel/vmcoreinfo: makedumpfile "
			"and crash cannot read the dump");
	}
	/* virtual addresses are for gdb and crash: without /proc/kcore
	 * (lockdown, no CONFIG_PROC_KCORE) they stay 0 */
	if (sysmem_kcore(req->sysroot, &kcore, &klen) == 0) {
		elfcore_parse_kcore(kcore, klen, &c.ram_voff, &c.text,
			&c.text_vaddr);
		free(kcore);
	}
	err = elfcore_build(&c, out, len);
	free(notes);
	if (err < 0) {
		hop_error("kexec -p", "ELF core header: %s", errname(err));
		return err;
	}
	hop_debug("elfcorehdr: %zu CPU notes, vmcoreinfo %s, kernel text %s, "
		"%zu RAM ranges, %zu bytes", c.nnotes,
		c.vmcoreinfo.end ? "yes" : "no", c.text.end ? "yes" : "no",
		c.nram, *len);
	return 0;
#else
	(void)mm;
	(void)out;
	(void)len;
	(void)req;
	hop_error("kexec -p", "panic kernels are not built into this hop "
		"(make CONFIG=default builds them)");
	return -ENOPKG;
#endif
}

/* the request's facts from the system, for the planner; 0 or -errno,
 * having logged why */
static int gather(const struct load_req *req, struct boot_req *br,
	struct memmap *mm, struct x86_efi *efi, uint8_t **dtb, uint8_t **bp,
	uint8_t **core)
{
	uint8_t *sysfdt = NULL;
	const char *what;
	size_t len, syslen = 0;
	int err;

	err = sysmem_memmap(req->sysroot, mm, &what);
	if (err < 0) {
		hop_error(what, "no usable memory map: %s%s", errname(err),
			err == -EPERM ? " (addresses hidden: not root)" : "");
		return err;
	}
	/* without /sys/firmware/memmap, the next kernel's e820 is the usable
	 * RAM: taken before --mem-min/--mem-max clip what hop may use */
	if (!mm->ne820) {
		for (size_t i = 0; i < mm->nram; i++) {
			memmap_add_firmware(mm, mm->ram[i].start,
				mm->ram[i].end - 1, "System RAM");
		}
	}
	if (sysmem_fdt(req->sysroot, &sysfdt, &syslen, DTB_MAX) < 0) {
		sysfdt = NULL;
	}
	if (req->dtb) {
		err = read_whole(req->dtb, dtb, &len, DTB_MAX);
		if (err < 0) {
			hop_error(req->dtb, "device tree: %s (%s)", errname(err),
				err == -EFBIG ? "larger than 2 MiB" :
				strerror(-err));
			free(sysfdt);
			return err;
		}
		br->dtb = *dtb;
		br->dtb_len = len;
	} else if (sysfdt) {
		*dtb = sysfdt;	/* the running system's tree, to edit */
		br->dtb = sysfdt;
		br->dtb_len = syslen;
	}
	if (sysmem_file(req->sysroot, "/sys/kernel/boot_params/data", bp,
		&len, 4096) == 0) {
		br->boot_params = *bp;
		br->boot_params_len = len;
		/* x86 under UEFI: what the EFI stub gave this kernel, for
		 * the next (firmware tables, runtime services, ACPI) */
		err = sysmem_efi(req->sysroot, *bp, len, efi);
		if (err < 0) {
			hop_warn("/sys/firmware/efi", "%s: the next kernel gets "
				"no EFI runtime services", errname(err));
		} else if (err > 0) {
			br->efi = efi;
			hop_debug("EFI: system table 0x%llx, %zu runtime "
				"regions, ACPI RSDP 0x%llx",
				(unsigned long long)efi->systab, efi->nmap,
				(unsigned long long)efi->acpi_rsdp);
		}
	}
	/* removable memory: noted here (boot map = x86 boot_params or the
	 * boot tree), avoided by load_segments() */
	if (!req->crash) {
		err = sysmem_removable(req->sysroot, mm, br->boot_params,
			br->boot_params_len, sysfdt, syslen);
		if (err < 0) {
			hop_warn("memory hotplug", "cannot tell removable memory: "
				"%s", errname(err));
		}
	}
	if (sysfdt != *dtb) {
		free(sysfdt);
	}
	if (req->crash && !mm->ncrash) {
		hop_error("kexec -p", "no crashkernel= reservation (no \"Crash "
			"kernel\" in /proc/iomem): boot with crashkernel=SIZE");
		return -EADDRNOTAVAIL;
	}
	if (req->crash) {
		err = core_header(req, mm, core, &len);
		if (err < 0) {
			return err;
		}
		br->elfcorehdr = *core;
		br->elfcorehdr_len = len;
		memmap_crash_only(mm);
	}
	memmap_clip(mm, req->mem_min, req->mem_max);
	br->crash = req->crash;
	br->cmdline = req->cmdline ? req->cmdline : "";
	br->mem_min = req->mem_min;
	br->mem_max = req->mem_max;
	br->page_size = (uint64_t)sysconf(_SC_PAGESIZE);
	sysmem_seed(br->seed, sizeof(br->seed));
	return 0;
}

static const struct image_format *probe(const struct mapped *k)
{
	size_t i;

	for (i = 0; arch_formats[i]; i++) {
		if (arch_formats[i]->probe(k->data, k->len) == 0) {
			return arch_formats[i];
		}
	}
	return NULL;
}

/* a gzip'd kernel that no format takes as it is (Xen ships xen-*.gz, a
 * vmlinux may be gzip'd): inflated and probed again, as GRUB and
 * kexec-tools decompress kernels; *out owns the bytes, k then points at
 * them. NULL when still nothing fits; *logged when it said why. */
static const struct image_format *probe_gunzip(const struct load_req *req,
	struct mapped *k, uint8_t **out, int *logged)
{
	const struct image_format *fmt;
	char why[256];
	size_t len;
	int err;

	if (!inflate_is_gzip(k->data, k->len)) {
		return NULL;
	}
#if !HOP_FEAT_GZIP
	(void)fmt;
	(void)out;
	(void)len;
	(void)err;
	(void)why;
	hop_error(req->kernel, "kexec_load: gzip'd kernels: not built into "
		"this hop (make CONFIG=full builds it)");
	*logged = 1;
	return NULL;
#else
	err = inflate_gzip(k->data, k->len, 0, out, &len, why, sizeof(why));
	if (err < 0) {
		hop_error(req->kernel, "gzip: %s", why);
		*logged = 1;
		return NULL;
	}
	k->data = *out;
	k->len = len;
	fmt = probe(k);
	if (fmt) {
		hop_debug("%s: gzip'd %s, %zu bytes inflated", req->kernel,
			fmt->name, len);
	} else {
		hop_error(req->kernel, "kexec_load: gzip'd, and the %zu bytes "
			"inflated are not an image format hop can load on this "
			"arch (%s)", len, arch_format_names);
		*logged = 1;
	}
	return fmt;
#endif
}

static int do_kexec_load(const struct load_req *req, const struct plan *p)
{
	struct kexec_segment segs[PLAN_MAX_SEGMENTS];
	size_t i;
	int err;

	for (i = 0; i < p->nseg; i++) {
		segs[i].buf = p->seg[i].buf;
		segs[i].bufsz = p->seg[i].bufsz;
		segs[i].mem = (const void *)(uintptr_t)p->seg[i].mem;
		segs[i].memsz = (size_t)p->seg[i].memsz;
	}
	err = sys_kexec_load((unsigned long)p->entry, p->nseg, segs,
		p->flags | (req->crash ? 1ul : 0));
	if (err == -EPERM && lockdown_mode(req)) {
		hop_error(req->kernel, "kexec_load: EPERM (kernel lockdown: %s "
			"refuses kexec_load; a signed image loads through "
			"kexec_file_load)", lockdown_mode(req));
	} else if (err == -EACCES) {
		/* IMA's appraisal (Secure Boot's arch policy among them)
		 * answers before lockdown: kexec_load has no file to
		 * appraise */
		hop_error(req->kernel, "kexec_load: EACCES (refused by IMA or "
			"a security module%s%s: kexec_load's segments come with "
			"no file or signature to appraise; a signed image loads "
			"through kexec_file_load)", lockdown_mode(req) ?
			", kernel lockdown: " : "", lockdown_mode(req) ?
			lockdown_mode(req) : "");
	} else if (err < 0) {
		hop_error(req->kernel, "kexec_load: %s (%s)", errname(err),
			err == -EPERM ? "not permitted: lockdown, "
			"kexec_load_disabled or no CAP_SYS_BOOT" :
			err == -EBUSY ? "another kexec is in progress" :
			strerror(-err));
	}
	return err;
}

/* plans away from removable memory; only when that cannot fit, uses it
 * anyway and says so (an image in unplugged memory hangs the exec) */
static int plan_avoiding(const struct image_format *fmt,
	const struct boot_req *br, struct memmap *mm, struct plan *p)
{
	struct memmap *safe;
	int err;

	if (!mm->nremovable) {
		return fmt->plan(br, mm, p);
	}
	safe = malloc(sizeof(*safe));
	if (!safe) {
		return plan_fail(p, -ENOMEM, "out of memory");
	}
	*safe = *mm;
	err = memmap_avoid_removable(safe);
	if (err == 0) {
		err = fmt->plan(br, safe, p);
	}
	free(safe);
	if (err != -EADDRNOTAVAIL) {
		return err;
	}
	hop_warn("memory hotplug", "%s; placing in removable memory: unplug "
		"it before the exec and the machine hangs (hop watch reloads)",
		p->why);
	plan_free(p);
	plan_init(p);
	return fmt->plan(br, mm, p);
}

/* modules are for a multiboot kernel: with another format they would be
 * dropped without a word */
static int modules_fit(const struct load_req *req,
	const struct image_format *fmt)
{
	if (req->nmodules && !fmt->takes_modules) {
		hop_error(req->modules[0].path, "module: a %s kernel takes no "
			"modules (only multiboot kernels do)", fmt->name);
		return -EINVAL;
	}
	return 0;
}

/* the multiboot modules, read into one anonymous mapping (the pack,
 * plan_pack_layout's layout) that the planner makes one kexec_load
 * segment: each file is read straight into its page aligned place, never
 * held twice in hop's memory. Peak: the pack, then the kernel's copy of
 * it during kexec_load (as with any segment). The sizes are summed and
 * weighed against half of the free memory (file_fits_memory) and 4 GiB
 * (mod_start is 32 bits) before anything is allocated. 0 or -errno
 * having logged why */
static int read_modules(const struct load_req *req, struct mapped *pack,
	struct boot_module *bm)
{
	/* below 4 GiB, and a size_t on 32-bit hosts too */
	uint64_t off[HOP_MAX_MODULES], total, avail = 0,
		limit = (1ull << 32) - PLAN_PAGE;
	struct stat st;
	size_t i, got;
	ssize_t n;
	uint8_t *buf;
	int fd, err = 0;

	if (!req->nmodules) {
		return 0;
	}
	for (i = 0; i < req->nmodules; i++) {
		fd = file_open(req->modules[i].path);
		err = fd < 0 ? fd : fstat(fd, &st) < 0 ? -errno : 0;
		if (fd >= 0) {
			close(fd);
		}
		if (err == 0 && (st.st_size == 0 || (uint64_t)st.st_size >
			limit)) {
			err = st.st_size ? -EFBIG : -ENODATA;
		}
		if (err < 0) {
			hop_error(req->modules[i].path, "module: %s (%s)",
				errname(err), why_errno(err));
			return err;
		}
		bm[i].data = NULL;
		bm[i].len = (size_t)st.st_size;
		bm[i].cmdline = req->modules[i].cmdline;
	}
	if (file_fits_memory(0, &avail) == 0 && avail < limit) {
		limit = avail;
	}
	if (plan_pack_layout(bm, req->nmodules, limit, off, &total) < 0) {
		hop_error("module", "%zu modules need more than %llu bytes, "
			"what hop may hold (half the free memory, below 4 GiB)",
			req->nmodules, (unsigned long long)limit);
		return -ENOMEM;
	}
	buf = mmap(NULL, (size_t)total, PROT_READ | PROT_WRITE, MAP_PRIVATE |
		MAP_ANONYMOUS, -1, 0);
	if (buf == MAP_FAILED) {
		err = -errno;
		hop_error("module", "%llu bytes for %zu modules: %s",
			(unsigned long long)total, req->nmodules, errname(err));
		return err;
	}
	pack->data = buf;
	pack->len = (size_t)total;
	for (i = 0; i < req->nmodules; i++) {
		fd = file_open(req->modules[i].path);
		err = fd < 0 ? fd : 0;
		for (got = 0; err == 0 && got < bm[i].len; ) {
			n = pread(fd, buf + off[i] + got, bm[i].len - got,
				(off_t)got);
			if (n < 0 && errno == EINTR) {
				continue;
			}
			/* 0: shorter than its size a moment ago */
			err = n < 0 ? -errno : n == 0 ? -EIO : 0;
			got += n > 0 ? (size_t)n : 0;
		}
		if (fd >= 0) {
			close(fd);
		}
		if (err < 0) {
			hop_error(req->modules[i].path, "module: %s (%s)",
				errname(err), err == -EIO ? "the file shrank "
				"while hop read it" : why_errno(err));
			return err;
		}
		bm[i].data = buf + off[i];
	}
	return 0;
}

/* kexec_load: hop plans every segment itself (arch/<arch>/) */
static int load_segments(const struct load_req *req)
{
	struct mapped k = { 0 }, kz, initrd = { 0 }, pack = { 0 };
	uint8_t *gunzipped = NULL;
	struct boot_module bm[HOP_MAX_MODULES];
	int logged = 0;
	const struct image_format *fmt;
	uint8_t *dtb = NULL, *bp = NULL, *core = NULL;
	struct boot_req br;
	struct x86_efi *efi;
	struct memmap *mm;
	struct plan p;
	const char *failed;
	int fd, err;

	memset(&br, 0, sizeof(br));
	plan_init(&p);
	if (req->nmodules > HOP_MAX_MODULES) {
		hop_error("module", "%zu modules, at most %d", req->nmodules,
			HOP_MAX_MODULES);
		return -E2BIG;
	}
	mm = calloc(1, sizeof(*mm));
	efi = calloc(1, sizeof(*efi));
	if (!mm || !efi) {
		free(mm);
		free(efi);
		hop_error("kexec_load", "out of memory");
		return -ENOMEM;
	}
	fd = file_open(req->kernel);
	err = fd < 0 ? fd : map_fd(fd, &k);
	if (fd >= 0) {
		close(fd);
	}
	if (err < 0) {
		hop_error(req->kernel, "open: %s (%s)", errname(err),
			why_errno(err));
		goto out;
	}
	fmt = probe(&k);
	if (!fmt) {
		kz = k;
		fmt = probe_gunzip(req, &kz, &gunzipped, &logged);
	}
	if (!fmt) {
		err = -ENOEXEC;
		if (!logged) {
			hop_error(req->kernel, "kexec_load: not an image format "
				"hop can load on this arch (%s)",
				arch_format_names);
		}
		goto out;
	}
	err = modules_fit(req, fmt);
	if (err == 0) {
		err = read_modules(req, &pack, bm);
	}
	if (err < 0) {
		goto out;
	}
	br.kernel_name = req->kernel_name ? req->kernel_name :
		req->kernel;
	br.modules = bm;
	br.nmodules = req->nmodules;
	br.modpack = pack.data;
	br.modpack_len = pack.len;
	if (req->ninitrd) {
		fd = open_concat(req->initrd, req->ninitrd, &failed);
		err = fd < 0 ? fd : map_fd(fd, &initrd);
		if (fd >= 0) {
			close(fd);
		}
		if (err < 0) {
			hop_error(failed, "initrd: %s (%s)", errname(err),
				why_errno(err));
			goto out;
		}
		br.initrd = initrd.data;
		br.initrd_len = initrd.len;
	}
	br.kernel = gunzipped ? kz.data : k.data;
	br.kernel_len = gunzipped ? kz.len : k.len;
	err = gather(req, &br, mm, efi, &dtb, &bp, &core);
	if (err < 0) {
		goto out;
	}
	/* where the files' pages are, to place each over its own
	 * (docs/placement.md); a panic kernel's reservation is never
	 * handed out by the allocator: nothing to gain there */
	if (!req->crash && fmt->over_busy) {
		if (!gunzipped) {
			sysmem_busy(mm, k.data, k.len);
		}
		sysmem_busy(mm, initrd.data, initrd.len);
	}
	err = plan_avoiding(fmt, &br, mm, &p);
	if (err < 0) {
		hop_error(req->kernel, "%s", p.why);
		goto out;
	}
	if (req->plan_only || log_debug_on()) {
		print_plan(req, fmt->name, &p, mm);
	}
	if (req->plan_only) {
		goto out;
	}
	err = do_kexec_load(req, &p);
	if (err == 0) {
		hop_log("loaded via kexec_load");
	}
out:
	plan_free(&p);
	unmap(&k);
	free(gunzipped);
	unmap(&initrd);
	unmap(&pack);
	free(dtb);
	free(bp);
	free(core);
	free(efi);
	free(mm);
	return err;
}

/* a damaged image of a format hop knows is refused before any syscall:
 * kexec_file_load takes a truncated bzImage, which dies at the jump */
static int preflight(const struct load_req *req, int kfd)
{
	struct mapped k = { 0 };
	char why[256];
	size_t i;
	int err = 0;

	if (map_fd(kfd, &k) < 0) {
		return 0;	/* the syscall will say what is wrong */
	}
	for (i = 0; arch_formats[i]; i++) {
		if (arch_formats[i]->probe(k.data, k.len) == 0) {
			err = modules_fit(req, arch_formats[i]);
			if (err == 0 && arch_formats[i]->check && (err =
				arch_formats[i]->check(k.data, k.len, why,
				sizeof(why))) < 0) {
				hop_error(req->kernel, "%s", why);
			}
			break;
		}
	}
	unmap(&k);
	return err;
}

/* returns 0 or -errno; *called tells whether the syscall itself answered */
int pe_signature(const uint8_t *h, size_t n)
{
	size_t pe, dd;

	if (n < 0x40) {
		return -1;
	}
	pe = (size_t)h[0x3c] | (size_t)h[0x3d] << 8 | (size_t)h[0x3e] << 16 |
		(size_t)h[0x3f] << 24;
	if (pe > n - 26 || memcmp(h + pe, "PE\0\0", 4)) {
		return -1;
	}
	/* the optional header's data directories: 96 bytes in for PE32,
	 * 112 for PE32+; the fifth is the certificate table */
	dd = pe + 24 + (h[pe + 24] == 0x0b && h[pe + 25] == 0x02 ? 112 : 96) +
		4 * 8;
	if (dd + 8 > n) {
		return -1;
	}
	return (h[dd + 4] | h[dd + 5] << 8 | h[dd + 6] << 16 |
		h[dd + 7] << 24) != 0;
}

/* what the image says of its signature, for a refusal's line: signed
 * (by a key the kernel does not trust) or not signed at all */
static char sig_note[64];

static void note_signature(int fd, int err)
{
	uint8_t h[4096];
	ssize_t n = pread(fd, h, sizeof(h), 0);
	int s = n > 0 ? pe_signature(h, (size_t)n) : -1;

	/* ENODATA says "not signed" already */
	snprintf(sig_note, sizeof(sig_note), "%s", s < 0 || err == -ENODATA ?
		"" : s ? "; the image is signed, by no key this kernel trusts" :
		"; the image carries no signature");
}

static int load_file(const struct load_req *req, int *called)
{
	const char *failed;
	unsigned long flags = 0;
	int kfd, ifd = -1, err;

	kfd = file_open(req->kernel);
	if (kfd < 0) {
		hop_error(req->kernel, "open: %s (%s)", errname(kfd),
			why_errno(kfd));
		return kfd;
	}
	err = preflight(req, kfd);
	if (err < 0) {
		close(kfd);
		return err;
	}
	if (req->ninitrd) {
		ifd = open_concat(req->initrd, req->ninitrd, &failed);
		if (ifd < 0) {
			hop_error(failed, "initrd: %s (%s)", errname(ifd),
				strerror(-ifd));
			close(kfd);
			return ifd;
		}
	} else {
		flags |= HOP_KEXEC_FILE_NO_INITRAMFS;
	}
	if (req->crash) {
		flags |= HOP_KEXEC_FILE_ON_CRASH;
	}
	hop_debug("kexec_file_load(%s, %s, \"%s\", 0x%lx)", req->kernel,
		req->ninitrd ? "initrd" : "-1", req->cmdline, flags);
	err = sys_kexec_file_load(kfd, ifd, req->cmdline, flags);
	if (err < 0) {
		note_signature(kfd, err);
	}
	if (ifd >= 0) {
		close(ifd);
	}
	close(kfd);
	*called = 1;
	return err;
}

static int load_any(const struct load_req *req);

/* a loaded image is recorded for hop watch; failing to record is worth a
 * warning, not a failed load */
int load_image(const struct load_req *req)
{
	uint64_t avail;
	int err;

	/* a gzip'd kernel inflates in hop's memory: never more than half
	 * of what is free (a bomb fails with EFBIG; PID 1 would not survive
	 * the OOM killer) */
#if HOP_FEAT_GZIP
	inflate_limit = file_fits_memory(0, &avail) == 0 && avail < INFLATE_MAX ?
		(size_t)avail : INFLATE_MAX;
#else
	(void)avail;
#endif
	err = load_any(req);

	/* a file held by this process (a download, a pinned or checked
	 * copy: /proc/self/fd/N) is gone when it exits: hop watch could
	 * not reload it, and must not reload an older request instead */
	if (err == 0 && !req->plan_only && req->rundir &&
		!request_replayable(req)) {
		hop_debug("not recorded for hop watch: loaded from this "
			"process's memory");
		request_forget(req->rundir, req->crash);
	} else if (err == 0 && !req->plan_only && req->rundir) {
		int rerr = request_save(req->rundir, req);

		if (rerr < 0) {
			hop_warn(req->rundir, "cannot record the request for hop "
				"watch: %s", errname(rerr));
		}
	}
	return err;
}

/* the kernel's lockdown mode, when it explains a refusal: under
 * integrity or confidentiality lockdown kexec_load is refused outright and
 * kexec_file_load wants an image signed by a key the kernel trusts
 * (docs/kernel-abi.md §6) */
/* the kernel's lockdown mode when it is on ("integrity",
 * "confidentiality"), else NULL: it explains a refusal */
static const char *lockdown_mode(const struct load_req *req)
{
	static char mode[32];
	uint8_t *buf;
	size_t len;
	char *open, *close;

	if (sysmem_file(req->sysroot, "/sys/kernel/security/lockdown", &buf,
		&len, 256) < 0) {
		return NULL;
	}
	/* "none [integrity] confidentiality" */
	open = strchr((char *)buf, '[');
	close = open ? strchr(open, ']') : NULL;
	mode[0] = '\0';
	if (close && strncmp(open, "[none]", 6)) {
		*close = '\0';
		snprintf(mode, sizeof(mode), "%s", open + 1);
	}
	free(buf);
	return mode[0] ? mode : NULL;
}

static const char *lockdown_note(const struct load_req *req)
{
	static char note[160];
	const char *mode = lockdown_mode(req);

	note[0] = '\0';
	if (mode) {
		snprintf(note, sizeof(note), " (kernel lockdown: %s; only an "
			"image signed with a trusted key loads%s)", mode,
			sig_note);
	}
	return note;
}

/* a panic kernel needs crashkernel=; say so instead of EADDRNOTAVAIL */
static int crash_reserved(const struct load_req *req)
{
	uint8_t *buf;
	size_t len;
	int size;

	if (sysmem_file(req->sysroot, "/sys/kernel/kexec_crash_size", &buf,
		&len, 64) < 0) {
		return 1;	/* unknown: let the kernel decide */
	}
	size = atoi((char *)buf);
	free(buf);
	if (size > 0) {
		return 1;
	}
	hop_error(req->kernel, "no memory reserved for a panic kernel "
		"(/sys/kernel/kexec_crash_size is 0): boot with "
		"crashkernel=SIZE, e.g. crashkernel=256M");
	return 0;
}

static int load_any(const struct load_req *req)
{
	const char *why;
	enum decision d;
	int err, called = 0;

#if !HOP_FEAT_KDUMP
	if (req->crash) {
		return core_header(req, NULL, NULL, NULL);	/* says why */
	}
#endif
	if (req->crash && !crash_reserved(req)) {
		return -EADDRNOTAVAIL;
	}
	if (req->plan_only || req->syscall == SYSCALL_LOAD) {
		return load_segments(req);
	}
	if (req->dtb && !arch_file_takes_dtb) {
		/* the file loader always passes the running kernel's tree */
		if (req->syscall == SYSCALL_FILE) {
			hop_error(req->dtb, "kexec_file_load cannot pass a device "
				"tree (hop.syscall=file)");
			return -EINVAL;
		}
		hop_log("kexec_file_load cannot pass a device tree: using "
			"kexec_load");
		return load_segments(req);
	}
	err = load_file(req, &called);
	if (err == 0) {
		hop_log("loaded via kexec_file_load");
		return 0;
	}
	if (!called) {
		return err;	/* a file could not be opened: reported */
	}
	d = policy_decide(-err, &why);
	if (req->syscall == SYSCALL_AUTO && d == DECIDE_FALLBACK) {
		hop_log("fallback: kexec_file_load: %s", errname(err));
		hop_log("kexec_file_load: %s: %s; trying kexec_load",
			errname(err), why);
		return load_segments(req);
	}
	hop_error(req->kernel, "kexec_file_load: %s: %s%s%s", errname(err),
		why, d == DECIDE_REFUSE ? lockdown_note(req) : "",
		d == DECIDE_REFUSE ? "; not falling back to kexec_load" :
		d == DECIDE_FALLBACK ? " (hop.syscall=file: no fallback)" : "");
	return err;
}

int load_unload(const struct load_req *req)
{
	unsigned long flags = HOP_KEXEC_FILE_UNLOAD |
		(req->crash ? HOP_KEXEC_FILE_ON_CRASH : 0);
	int err;

	/* either syscall unloads what either loaded (kernel/kexec.c,
	 * kernel/kexec_file.c: both replace the image slot) */
	err = sys_kexec_file_load(-1, -1, "", flags);
	if (err < 0) {
		err = sys_kexec_load(0, 0, NULL, req->crash ? 1 : 0);
	}
	if (err < 0) {
		hop_error("kexec", "unloading: %s", errname(err));
	} else {
		hop_log("unloaded");
		if (req->rundir) {
			request_forget(req->rundir, req->crash);
		}
	}
	return err;
}

unsigned kexec_jump_wait_us = 50000;

int kexec_jump(void)
{
	int err, i;

	for (i = 0;; i++) {
		err = sys_reboot_kexec();
		if (err != -EBUSY || i == KEXEC_JUMP_TRIES) {
			return err;
		}
		if (i == 0) {
			hop_log("exec: an image is being loaded (hop watch "
				"reloading?): waiting for it");
		}
		usleep(kexec_jump_wait_us);
	}
}
