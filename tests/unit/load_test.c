/* load_image's use of the policy, with a fake syscall layer standing in
 * for lib/load/kexec.c: which syscall ran, with which flags, and which lines
 * were logged for each errno. */
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "hop.h"
#include "load.h"
#include "plan.h"
#include "test.h"

int fake_err, fake_calls, fake_initrd_fd;
int load_err, load_calls;
unsigned long load_entry, load_nr, load_flags;
static struct kexec_segment load_segs[16];
unsigned long fake_flags;
char fake_cmdline[256];

int sys_kexec_file_load(int kernel_fd, int initrd_fd, const char *cmdline,
	unsigned long flags)
{
	(void)kernel_fd;
	fake_calls++;
	fake_initrd_fd = initrd_fd;
	fake_flags = flags;
	snprintf(fake_cmdline, sizeof(fake_cmdline), "%s", cmdline);
	return fake_err;
}

int sys_kexec_load(unsigned long entry, unsigned long nr,
	const struct kexec_segment *segs, unsigned long flags)
{
	load_calls++;
	load_entry = entry;
	load_nr = nr;
	load_flags = flags;
	if (nr) {
		memcpy(load_segs, segs, nr * sizeof(*segs));
	}
	return load_err;
}

/* a fake image format for the load flow: "FAKE" magic, the kernel and
 * initrd placed bottom-up, entry at the kernel */
static int fake_probe(const uint8_t *img, size_t len)
{
	return len >= 4 && !memcmp(img, "FAKE", 4) ? 0 : -ENOEXEC;
}

/* the last ELF core header a plan got, as the planners see it */
static uint8_t fake_core[8192];
static size_t fake_core_len;

static int fake_plan(const struct boot_req *req, const struct memmap *mm,
	struct plan *p)
{
	uint64_t k;
	int err;

	err = plan_place(p, mm, &(struct place_req){ .buf = req->kernel,
		.bufsz = req->kernel_len, .memsz = 0x200000, .align = 0x200000,
		.what = "kernel" }, &k);
	if (!err && req->initrd) {
		err = plan_place(p, mm, &(struct place_req){
			.buf = req->initrd, .bufsz = req->initrd_len,
			.what = "initrd" }, NULL);
	}
	fake_core_len = 0;
	if (!err && req->elfcorehdr) {
		fake_core_len = req->elfcorehdr_len < sizeof(fake_core) ?
			req->elfcorehdr_len : sizeof(fake_core);
		memcpy(fake_core, req->elfcorehdr, fake_core_len);
		err = plan_place(p, mm, &(struct place_req){
			.buf = req->elfcorehdr, .bufsz = req->elfcorehdr_len,
			.top_down = 1, .what = "elfcorehdr" }, NULL);
	}
	p->entry = k;
	p->flags = KEXEC_ARCH_X86_64_FLAG;
	return err;
}

static const struct image_format fmt_fake = { "fake", fake_probe,
	fake_plan, NULL, 0, 0 };

/* "FAKM": a fake multiboot kernel, to see the modules' pack as load.c
 * hands it over (lib/load/load.c read_modules); module i's byte j is
 * (i * 7 + j) & 0xff */
static size_t fakm_n, fakm_good;
static size_t fakm_pack_len;

static int fakm_probe(const uint8_t *img, size_t len)
{
	return len >= 4 && !memcmp(img, "FAKM", 4) ? 0 : -ENOEXEC;
}

static int fakm_plan(const struct boot_req *req, const struct memmap *mm,
	struct plan *p)
{
	uint64_t off[PLAN_MAX_MODULES], total = 0;
	size_t i, j;

	fakm_n = req->nmodules;
	fakm_good = 0;
	fakm_pack_len = req->modpack_len;
	if (plan_pack_layout(req->modules, req->nmodules, 1ull << 32, off,
		&total) < 0 || total != req->modpack_len) {
		return plan_fail(p, -EINVAL, "fakm: the pack is not the layout");
	}
	for (i = 0; i < req->nmodules; i++) {
		const struct boot_module *m = &req->modules[i];

		for (j = 0; j < m->len && m->data == req->modpack + off[i] &&
			m->data[j] == (uint8_t)(i * 7 + j); j++) {
		}
		fakm_good += j == m->len;
	}
	return fake_plan(req, mm, p);
}

static const struct image_format fmt_fakm = { "fakm", fakm_probe,
	fakm_plan, NULL, 1, 0 };
const struct image_format *const arch_formats[] = { &fmt_fake, &fmt_fakm,
	NULL };
const char arch_format_names[] = "fake";
const int arch_file_takes_dtb = 0;
const int arch_uses_dtb = 1;
const int arch_elf_machine = 62;	/* EM_X86_64 */
const int arch_pe_machine = 0x8664;
const char arch_fit_arch[] = "x86_64";

int sys_reboot(int how)
{
	(void)how;
	return -EPERM;
}

/* fake_busy: how many jumps get EBUSY before EPERM (kexec_jump) */
int fake_busy;
int sys_reboot_kexec(void)
{
	if (fake_busy > 0) {
		fake_busy--;
		return -EBUSY;
	}
	return -EPERM;
}

/* kexec_jump waits out hop watch's reload (EBUSY), not other errors */
static void test_jump(void)
{
	const char *log;
	int err;

	fake_busy = 2;
	capture_start();
	err = kexec_jump();
	log = capture_end();
	CHECK_INT("kexec_jump(busy twice)", err, -EPERM);
	CHECK_INT("kexec_jump(busy twice) left", fake_busy, 0);
	CHECK_STR("kexec_jump(busy twice) log", log, "hop: exec: an image is "
		"being loaded (hop watch reloading?): waiting for it\n");
	fake_busy = KEXEC_JUMP_TRIES + 5;
	kexec_jump_wait_us = 0;
	capture_start();
	err = kexec_jump();
	capture_end();
	CHECK_INT("kexec_jump(busy for ever)", err, -EBUSY);
	CHECK_INT("kexec_jump(busy for ever) tries", fake_busy, 4);
	kexec_jump_wait_us = 50000;
	fake_busy = 0;
}

static const struct {
	int err;
	enum syscall_mode mode;
	int ret;
	const char *log;
} cases[] = {
	{ 0, SYSCALL_AUTO, 0, "hop: loaded via kexec_file_load\n" },
	{ -ENOSYS, SYSCALL_AUTO, -ENOEXEC,
		"hop: fallback: kexec_file_load: ENOSYS\n"
		"hop: kexec_file_load: ENOSYS: the running kernel has no "
		"kexec_file_load; trying kexec_load\n"
		"hop: error: K: kexec_load: not an image format hop can load "
		"on this arch (fake)\n" },
	{ -EKEYREJECTED, SYSCALL_AUTO, -EKEYREJECTED,
		"hop: error: K: kexec_file_load: EKEYREJECTED: the image's "
		"signature was rejected; not falling back to kexec_load\n" },
	{ -EPERM, SYSCALL_AUTO, -EPERM,
		"hop: error: K: kexec_file_load: EPERM: not permitted "
		"(lockdown, kexec_load_disabled or no CAP_SYS_BOOT); not "
		"falling back to kexec_load\n" },
	{ -EINVAL, SYSCALL_FILE, -EINVAL,
		"hop: error: K: kexec_file_load: EINVAL: the kernel's file "
		"loader does not take this image or request (hop.syscall=file: "
		"no fallback)\n" },
	{ -EBUSY, SYSCALL_AUTO, -EBUSY,
		"hop: error: K: kexec_file_load: EBUSY: kexec_file_load failed "
		"for a reason kexec_load cannot fix\n" },
};

/* replaces the kernel path in a log with "K" */
static const char *norm(const char *log, const char *k)
{
	static char out[2048];
	const char *p;
	size_t n = 0, kl = strlen(k);

	for (p = log; *p && n < sizeof(out) - 2; ) {
		if (!strncmp(p, k, kl)) {
			out[n++] = 'K';
			p += kl;
		} else {
			out[n++] = *p++;
		}
	}
	out[n] = '\0';
	return out;
}

static void write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");

	fwrite(data, 1, len, f);
	fclose(f);
}

/* kexec_load through the fake format, with a sysroot fixture */
static void test_load_segments(void)
{
	char root[] = "/tmp/hop-root-XXXXXX", path[128], kernel[128];
	const char *initrds[1];
	struct load_req req;
	const char *log;
	int ret;

	mkdtemp(root);
	snprintf(path, sizeof(path), "%s/proc", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/proc/iomem", root);
	write_file(path, "00100000-3fffffff : System RAM\n", 31);
	snprintf(kernel, sizeof(kernel), "%s/kernel", root);
	write_file(kernel, "FAKEkernel", 10);
	snprintf(path, sizeof(path), "%s/initrd", root);
	write_file(path, "initrd", 6);
	initrds[0] = path;

	memset(&req, 0, sizeof(req));
	req.kernel = kernel;
	req.initrd = initrds;
	req.ninitrd = 1;
	req.cmdline = "x";
	req.sysroot = root;
	req.syscall = SYSCALL_AUTO;
	fake_err = -ENOSYS;
	load_err = 0;
	load_calls = 0;
	capture_start();
	ret = load_image(&req);
	log = capture_end();
	CHECK_INT("load_image(ENOSYS, fake)", ret, 0);
	CHECK(strstr(log, "hop: fallback: kexec_file_load: ENOSYS\n") &&
		strstr(log, "hop: loaded via kexec_load\n"),
		"load_image(ENOSYS, fake) logs\n%s; want the fallback and "
		"kexec_load lines", log);
	CHECK_INT("kexec_load calls", load_calls, 1);
	CHECK_INT("kexec_load nr", load_nr, 2);
	CHECK_INT("kexec_load entry", load_entry, 0x200000);
	CHECK_INT("kexec_load flags", load_flags, KEXEC_ARCH_X86_64_FLAG);
	CHECK_INT("segment 0 mem", (uintptr_t)load_segs[0].mem, 0x200000);
	CHECK_INT("segment 0 bufsz", load_segs[0].bufsz, 10);
	CHECK_INT("segment 0 memsz", load_segs[0].memsz, 0x200000);
	CHECK_INT("segment 1 mem", (uintptr_t)load_segs[1].mem, 0x100000);

	/* --plan: the table, no syscall */
	req.plan_only = 1;
	load_calls = 0;
	capture_start();
	ret = load_image(&req);
	log = capture_end();
	CHECK_INT("load_image(plan_only)", ret, 0);
	CHECK_INT("kexec_load calls with plan_only", load_calls, 0);
	CHECK(strstr(log, "hop: plan: 0x000200000-0x0003fffff    2097152 "
		"kernel (10 bytes)\n") != NULL,
		"load_image(plan_only) logs\n%s; want the kernel row", log);

	/* kexec_load refused */
	req.plan_only = 0;
	req.syscall = SYSCALL_LOAD;
	load_err = -EPERM;
	capture_start();
	ret = load_image(&req);
	log = capture_end();
	CHECK_INT("load_image(kexec_load EPERM)", ret, -EPERM);
	CHECK(strstr(log, "kexec_load: EPERM (not permitted: lockdown, "
		"kexec_load_disabled or no CAP_SYS_BOOT)\n") != NULL,
		"load_image(kexec_load EPERM) logs\n%s", log);

	/* --mem-max too low: no room */
	req.mem_max = 0x300000;
	load_err = 0;
	capture_start();
	ret = load_image(&req);
	log = capture_end();
	CHECK_INT("load_image(mem_max 3M)", ret, -EADDRNOTAVAIL);
	CHECK(strstr(log, "no room for the kernel: 2097152 bytes aligned to "
		"0x200000 in usable RAM\n") != NULL,
		"load_image(mem_max 3M) logs\n%s", log);

	/* every memory block movable: the plan says what it excluded, warns
	 * and uses removable memory as the last resort */
	{
		char d[400];
		int b;

		snprintf(d, sizeof(d), "mkdir -p %s/sys/devices/system/memory && "
			"printf 8000000 > %s/sys/devices/system/memory/"
			"block_size_bytes", root, root);
		CHECK_INT("fixture", system(d), 0);
		for (b = 0; b < 8; b++) {
			snprintf(d, sizeof(d), "mkdir -p %s/sys/devices/system/"
				"memory/memory%d && echo Movable > %s/sys/"
				"devices/system/memory/memory%d/valid_zones",
				root, b, root, b);
			CHECK_INT("fixture", system(d), 0);
		}
	}
	req.mem_max = 0;
	req.plan_only = 1;
	capture_start();
	ret = load_image(&req);
	log = capture_end();
	CHECK_INT("load_image(all movable)", ret, 0);
	CHECK(strstr(log, "hop: warning: memory hotplug: no room for the "
		"kernel: 2097152 bytes aligned to 0x200000 in usable RAM; "
		"placing in removable memory") != NULL &&
		strstr(log, "hop: plan: excluded 0x000000000-0x03fffffff: "
		"movable zone (can be unplugged)\n") != NULL,
		"load_image(all movable) logs\n%s", log);
	req.plan_only = 0;
	snprintf(path, sizeof(path), "rm -rf %s/sys", root);
	CHECK_INT("cleanup", system(path), 0);
	snprintf(path, sizeof(path), "%s/initrd", root);

	/* no /proc/iomem */
	req.mem_max = 0;
	req.sysroot = "/nonexistent";
	capture_start();
	ret = load_image(&req);
	log = capture_end();
	CHECK_INT("load_image(no iomem)", ret, -ENOENT);
	CHECK_STR("load_image(no iomem) log", log, "hop: error: /proc/iomem: "
		"no usable memory map: ENOENT\n");
	unlink(kernel);
	unlink(path);
	snprintf(path, sizeof(path), "%s/proc/iomem", root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/proc", root);
	rmdir(path);
	rmdir(root);
}

/* fmt_bzimage.check: the preflight that refuses a truncated kernel
 * kexec_file_load would take (found by tests/vm/badinput.sh) */
/* multiboot modules: read into one pack, each at its page aligned place;
 * more than hop may hold refused before the pack is made */
static void test_load_modules(void)
{
	char root[] = "/tmp/hop-mods-XXXXXX", path[128], kernel[128];
	static char mpath[3][128], mstr[3][400];
	static const size_t len[3] = { 1, 4096, 5000 };
	struct module_src mods[3];
	struct load_req req;
	char buf[5000];
	const char *log;
	size_t i, j;
	int ret, fd;

	mkdtemp(root);
	snprintf(path, sizeof(path), "%s/proc", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/proc/iomem", root);
	write_file(path, "00100000-3fffffff : System RAM\n", 31);
	snprintf(kernel, sizeof(kernel), "%s/kernel", root);
	write_file(kernel, "FAKMkernel", 10);
	for (i = 0; i < 3; i++) {
		for (j = 0; j < len[i]; j++) {
			buf[j] = (char)(i * 7 + j);
		}
		snprintf(mpath[i], sizeof(mpath[i]), "%s/m%zu", root, i);
		snprintf(mstr[i], sizeof(mstr[i]), "%s arg=%zu", mpath[i], i);
		write_file(mpath[i], buf, len[i]);
		mods[i].path = mpath[i];
		mods[i].cmdline = mstr[i];
	}
	memset(&req, 0, sizeof(req));
	req.kernel = kernel;
	req.cmdline = "";
	req.sysroot = root;
	req.syscall = SYSCALL_LOAD;
	req.modules = mods;
	req.nmodules = 3;
	req.plan_only = 1;
	fakm_n = fakm_good = 0;
	capture_start();
	ret = load_image(&req);
	log = capture_end();
	CHECK(ret == 0 && fakm_n == 3 && fakm_good == 3 && fakm_pack_len ==
		0x4000, "3 modules: %d, %zu of %zu in place, pack %zu; log %s",
		ret, fakm_good, fakm_n, fakm_pack_len, log);

	/* 2 x 3 GiB (sparse: no disk): more than 4 GiB, refused before the
	 * pack is mapped or a byte read */
	for (i = 0; i < 2; i++) {
		fd = open(mpath[i], O_WRONLY | O_TRUNC);
		CHECK(fd >= 0 && ftruncate(fd, 3ll << 30) == 0, "sparse %zu", i);
		if (fd >= 0) {
			close(fd);
		}
	}
	fakm_n = 99;
	capture_start();
	ret = load_image(&req);
	log = capture_end();
	CHECK(ret == -ENOMEM && fakm_n == 99 && strstr(log, "hop: error: "
		"module: 3 modules need more than ") && strstr(log, "what hop "
		"may hold (half the free memory, below 4 GiB)"), "6 GiB of "
		"modules: %d, log %s", ret, log);
	/* one of 5 GiB: more than a module may be, named */
	fd = open(mpath[1], O_WRONLY | O_TRUNC);
	CHECK(fd >= 0 && ftruncate(fd, 5ll << 30) == 0, "sparse 5 GiB");
	if (fd >= 0) {
		close(fd);
	}
	capture_start();
	ret = load_image(&req);
	log = capture_end();
	CHECK(ret == -EFBIG && fakm_n == 99 && strstr(log, "/m1: module: "
		"EFBIG"), "5 GiB module: %d, log %s", ret, log);
	/* an empty module: named */
	write_file(mpath[0], "", 0);
	capture_start();
	ret = load_image(&req);
	log = capture_end();
	CHECK(ret == -ENODATA && fakm_n == 99 && strstr(log, "module: ENODATA "
		"(the file is empty)"), "empty module: %d, log %s", ret, log);
	for (i = 0; i < 3; i++) {
		unlink(mpath[i]);
	}
	unlink(kernel);
	snprintf(path, sizeof(path), "%s/proc/iomem", root);
	unlink(path);
	snprintf(path, sizeof(path), "%s/proc", root);
	rmdir(path);
	rmdir(root);
}

static void test_preflight(void)
{
	static uint8_t b[4096];
	char why[256];

	b[0x1f1] = 1;
	put_le16(b + 0x1fe, 0xAA55);
	b[0x200] = 0xeb;
	b[0x201] = 0x66;
	memcpy(b + 0x202, "HdrS", 4);
	put_le16(b + 0x206, 0x20f);
	b[0x211] = 1;
	put_le32(b + 0x230, 0x200000);
	b[0x234] = 1;
	put_le16(b + 0x236, 3);
	put_le32(b + 0x238, 2047);
	put_le32(b + 0x260, 0x100000);
	put_le32(b + 0x1f4, 3072 / 16);
	CHECK_INT("fmt_bzimage.check(whole)", fmt_bzimage.check(b, sizeof(b),
		why, sizeof(why)), 0);
	put_le32(b + 0x1f4, 3072 / 16 + 1);
	CHECK_INT("fmt_bzimage.check(truncated)", fmt_bzimage.check(b,
		sizeof(b), why, sizeof(why)), -ENOEXEC);
	CHECK_STR("fmt_bzimage.check(truncated) why", why, "bzImage: "
		"truncated: syssize at 0x1f4 says the kernel is 3088 bytes after "
		"the 1024-byte setup, the file has 3072");
}

/* ROOT/rel with data, directories made */

/* the program header i of fake_core: type, paddr (= offset), vaddr, size */
static const char *core_ph(size_t i)
{
	static char out[128];
	Elf64_Phdr ph;

	if (sizeof(Elf64_Ehdr) + (i + 1) * sizeof(ph) > fake_core_len) {
		return "none";
	}
	memcpy(&ph, fake_core + sizeof(Elf64_Ehdr) + i * sizeof(ph),
		sizeof(ph));
	snprintf(out, sizeof(out), "%u %llx%s %llx %llx", ph.p_type,
		(unsigned long long)ph.p_paddr,
		ph.p_offset == ph.p_paddr ? "" : "(offset differs)",
		(unsigned long long)ph.p_vaddr,
		(unsigned long long)ph.p_memsz);
	return out;
}

/* kexec -p through kexec_load: the ELF core header from a sysroot (CPU
 * notes, vmcoreinfo, /proc/kcore, /proc/iomem), placed in the
 * reservation; without the sysfs files, warnings and a header of RAM */
static void test_load_crash(void)
{
	static const char iomem[] = "00001000-0009fbff : System RAM\n"
		"00100000-3fffffff : System RAM\n"
		"  01000000-01ffffff : Kernel code\n"
		"  10000000-1fffffff : Crash kernel\n";
	char root[] = "/tmp/hop-crash-XXXXXX", kernel[128], cmd[128];
	uint8_t kcore[64 + 3 * sizeof(Elf64_Phdr)];
	Elf64_Ehdr eh = { .e_type = ET_CORE, .e_phoff = sizeof(eh),
		.e_phentsize = sizeof(Elf64_Phdr), .e_phnum = 3 };
	Elf64_Phdr ph[3] = {
		{ .p_type = PT_NOTE },
		{ .p_type = PT_LOAD, .p_vaddr = 0xffffffff81000000,
			.p_paddr = 0x1000000, .p_memsz = 0x1800000 },
		{ .p_type = PT_LOAD, .p_vaddr = 0xffff888000100000,
			.p_paddr = 0x100000, .p_memsz = 0x3ff00000 },
	};
	struct load_req req;
	const char *log;
	int ret;

	mkdtemp(root);
	fixture_put(root, "/proc/iomem", iomem, sizeof(iomem) - 1);
	fixture_put(root, "/sys/kernel/kexec_crash_size", "268435456\n", 10);
	fixture_put(root, "/sys/devices/system/cpu/possible", "0-2\n", 4);
	/* cpu1 is possible, not present: no directory */
	fixture_put(root, "/sys/devices/system/cpu/cpu0/crash_notes",
		"3fa1c000\n", 9);
	fixture_put(root, "/sys/devices/system/cpu/cpu0/crash_notes_size",
		"336\n", 4);
	fixture_put(root, "/sys/devices/system/cpu/cpu2/crash_notes",
		"3fa5c000\n", 9);
	fixture_put(root, "/sys/devices/system/cpu/cpu2/crash_notes_size",
		"336\n", 4);
	fixture_put(root, "/sys/kernel/vmcoreinfo", "0x000000003f9bb000 1024\n",
		24);
	memcpy(eh.e_ident, ELFMAG, SELFMAG);
	eh.e_ident[EI_CLASS] = ELFCLASS64;
	memcpy(kcore, &eh, sizeof(eh));
	memcpy(kcore + sizeof(eh), ph, sizeof(ph));
	fixture_put(root, "/proc/kcore", (const char *)kcore, sizeof(kcore));
	snprintf(kernel, sizeof(kernel), "%s/kernel", root);
	write_file(kernel, "FAKEkernel", 10);

	memset(&req, 0, sizeof(req));
	req.kernel = kernel;
	req.cmdline = "x";
	req.sysroot = root;
	req.syscall = SYSCALL_LOAD;
	req.crash = 1;
	load_err = 0;
	load_calls = 0;
	capture_start();
	ret = load_image(&req);
	log = capture_end();
	CHECK_INT("load_image(crash)", ret, 0);
	CHECK_STR("load_image(crash) log", log,
		"hop: loaded via kexec_load\n");
	CHECK_INT("kexec_load(crash) nr", load_nr, 2);
	CHECK_INT("kexec_load(crash) flags", load_flags,
		KEXEC_ARCH_X86_64_FLAG | 1);
	CHECK_INT("kexec_load(crash) kernel in the reservation",
		(uintptr_t)load_segs[0].mem, 0x10000000);
	CHECK_INT("kexec_load(crash) elfcorehdr at its top",
		(uintptr_t)load_segs[1].mem, 0x1ffff000);
	CHECK_INT("kexec_load(crash) elfcorehdr bufsz", load_segs[1].bufsz,
		4096);
	CHECK_INT("elfcorehdr e_machine", le16(fake_core + 18), 62);
	CHECK_INT("elfcorehdr e_phnum", le16(fake_core + 56), 6);
	CHECK_STR("elfcorehdr phdr[0] (cpu0)", core_ph(0), "4 3fa1c000 0 150");
	CHECK_STR("elfcorehdr phdr[1] (cpu2)", core_ph(1), "4 3fa5c000 0 150");
	CHECK_STR("elfcorehdr phdr[2] (vmcoreinfo)", core_ph(2),
		"4 3f9bb000 0 1024");
	CHECK_STR("elfcorehdr phdr[3] (kernel text)", core_ph(3),
		"1 1000000 ffffffff81000000 1800000");
	/* the low 1 MiB and the reservation are not dumped */
	CHECK_STR("elfcorehdr phdr[4] (RAM)", core_ph(4),
		"1 100000 ffff888000100000 ff00000");
	CHECK_STR("elfcorehdr phdr[5] (RAM)", core_ph(5),
		"1 20000000 ffff888020000000 20000000");

	/* the plan names the segment */
	req.plan_only = 1;
	capture_start();
	ret = load_image(&req);
	log = capture_end();
	CHECK(ret == 0 && strstr(log, "hop: plan: 0x01ffff000-0x01fffffff"
		"       4096 elfcorehdr (4096 bytes)\n"), "load_image(crash, "
		"plan) = %d, logs\n%s; want the elfcorehdr row", ret, log);
	req.plan_only = 0;

	/* no crash notes, no vmcoreinfo, no kcore: said, and loaded with a
	 * header of RAM alone */
	snprintf(cmd, sizeof(cmd), "rm -rf %s/sys/devices %s/sys/kernel/"
		"vmcoreinfo %s/proc/kcore", root, root, root);
	CHECK_INT("fixture rm", system(cmd), 0);
	capture_start();
	ret = load_image(&req);
	log = capture_end();
	CHECK_INT("load_image(crash, no sysfs)", ret, 0);
	CHECK_STR("load_image(crash, no sysfs) log", log,
		"hop: warning: kexec -p: no CPU crash notes (/sys/devices/"
		"system/cpu/cpuN/crash_notes): the dump has no registers\n"
		"hop: warning: kexec -p: no /sys/kernel/vmcoreinfo: makedumpfile "
		"and crash cannot read the dump\n"
		"hop: loaded via kexec_load\n");
	CHECK_INT("elfcorehdr e_phnum (RAM only)", le16(fake_core + 56), 2);
	CHECK_STR("elfcorehdr phdr[0] (RAM, no kcore)", core_ph(0),
		"1 100000 0 ff00000");

	/* no reservation: refused before any header is built */
	fixture_put(root, "/proc/iomem", iomem, 62);
	fake_core_len = 0;
	capture_start();
	ret = load_image(&req);
	log = capture_end();
	CHECK_INT("load_image(crash, no reservation)", ret, -EADDRNOTAVAIL);
	CHECK_STR("load_image(crash, no reservation) log", log,
		"hop: error: kexec -p: no crashkernel= reservation (no \"Crash "
		"kernel\" in /proc/iomem): boot with crashkernel=SIZE\n");
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	CHECK_INT("cleanup", system(cmd), 0);
}

/* what a refusal says of the image's signature: a PE32+ header at 0x40
 * (as Linux's EFI stub writes it) with or without a certificate table */
static void test_pe_signature(void)
{
	uint8_t h[512];

	memset(h, 0, sizeof(h));
	CHECK_INT("pe_signature(no MZ/PE)", pe_signature(h, sizeof(h)), -1);
	h[0] = 'M';
	h[1] = 'Z';
	h[0x3c] = 0x40;
	memcpy(h + 0x40, "PE\0\0", 4);
	h[0x40 + 24] = 0x0b;
	h[0x40 + 25] = 0x02;
	CHECK_INT("pe_signature(PE32+, unsigned)", pe_signature(h, sizeof(h)),
		0);
	/* certificate table: offset, size at optional header + 112 + 32 */
	h[0x40 + 24 + 112 + 32 + 4] = 0xc0;
	h[0x40 + 24 + 112 + 32 + 5] = 0x05;
	CHECK_INT("pe_signature(PE32+, signed)", pe_signature(h, sizeof(h)), 1);
	CHECK_INT("pe_signature(cut short)", pe_signature(h, 0x40 + 24 + 112),
		-1);
	h[0x3c] = 0xff;
	h[0x3d] = 0xff;
	CHECK_INT("pe_signature(PE offset past the end)", pe_signature(h,
		sizeof(h)), -1);
}

void test_load(void)
{
	test_pe_signature();
	test_preflight();
	test_load_modules();
	test_jump();
	char k[] = "/tmp/hop-kernel-XXXXXX", i1[] = "/tmp/hop-initrd-XXXXXX";
	const char *initrds[2];
	struct load_req req;
	const char *log;
	size_t c;
	int fd, ret;

	fd = mkstemp(k);
	write(fd, "kernel", 6);
	close(fd);
	fd = mkstemp(i1);
	write(fd, "initrd", 6);
	close(fd);
	initrds[0] = i1;
	initrds[1] = i1;

	for (c = 0; c < sizeof(cases) / sizeof(cases[0]); c++) {
		memset(&req, 0, sizeof(req));
		req.kernel = k;
		req.cmdline = "console=ttyS0";
		req.syscall = cases[c].mode;
		fake_err = cases[c].err;
		capture_start();
		ret = load_image(&req);
		log = norm(capture_end(), k);
		CHECK(ret == cases[c].ret, "load_image(errno %s) = %d; want %d",
			errname(cases[c].err), ret, cases[c].ret);
		CHECK(!strcmp(log, cases[c].log),
			"load_image(errno %s) logs\n%s; want\n%s",
			errname(cases[c].err), log, cases[c].log);
	}

	/* no initrd: NO_INITRAMFS and fd -1; two initrds: one memfd fd */
	memset(&req, 0, sizeof(req));
	req.kernel = k;
	req.cmdline = "a b";
	fake_err = 0;
	capture_start();
	load_image(&req);
	capture_end();
	CHECK_INT("flags without initrd", fake_flags,
		HOP_KEXEC_FILE_NO_INITRAMFS);
	CHECK_INT("initrd fd without initrd", fake_initrd_fd, -1);
	CHECK_STR("cmdline passed", fake_cmdline, "a b");
	req.initrd = initrds;
	req.ninitrd = 2;
	req.crash = 1;
	capture_start();
	load_image(&req);
	capture_end();
	CHECK_INT("flags with initrds, crash", fake_flags,
		HOP_KEXEC_FILE_ON_CRASH);
	CHECK(fake_initrd_fd >= 0, "initrd fd with initrds = %d; want >= 0",
		fake_initrd_fd);

	/* a missing kernel: one error line, no syscall */
	req.kernel = "/nonexistent/vmlinuz";
	fake_calls = 0;
	capture_start();
	ret = load_image(&req);
	log = capture_end();
	CHECK_INT("load_image(missing kernel)", ret, -ENOENT);
	CHECK_INT("syscalls for a missing kernel", fake_calls, 0);
	CHECK_STR("load_image(missing kernel) log", log, "hop: error: "
		"/nonexistent/vmlinuz: open: ENOENT (No such file or "
		"directory)\n");
	unlink(k);
	unlink(i1);
	test_load_segments();
	test_load_crash();
}
