/* What kexec_load planning needs from the running system, read under a
 * sysroot ("" for the real one; hop kexec --sysroot=DIR for tests):
 * the memory maps, x86 boot_params, the boot device tree, a random seed.
 * The parsing itself is pure (lib/plan/memmap.c); this file only reads. */
#define _GNU_SOURCE
#include <dirent.h>
#include <elf.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/random.h>
#include <sys/stat.h>
#include <unistd.h>

#include "elfcore.h"
#include "hop.h"
#include "plan.h"
#include "sysmem.h"

int read_whole(const char *path, uint8_t **out, size_t *len, size_t max)
{
	int fd = file_open(path), err;

	if (fd < 0) {
		return fd;
	}
	err = read_whole_fd(fd, out, len, max);
	close(fd);
	return err;
}

int read_whole_fd(int fd, uint8_t **out, size_t *len, size_t max)
{
	size_t cap = 65536, n = 0;
	uint8_t *buf = NULL, *nb;
	struct stat st;
	ssize_t r;
	int err = 0;

	/* a file that tells its size (a regular file, a sysfs binary file
	 * such as /sys/firmware/fdt) gets one buffer of that size: growing
	 * from 64 KiB copies, and leaves freed pages resident in hop's peak
	 * memory (make bench) */
	if (fstat(fd, &st) == 0 && st.st_size > 0 &&
		(uint64_t)st.st_size <= max) {
		cap = (size_t)st.st_size + 1;	/* + 1: EOF without a regrow */
	}
	/* /proc and /sys files report size 0: read until EOF */
	for (;;) {
		if (!buf || n == cap) {
			if (buf) {
				cap *= 2;
			}
			if (cap > max + 1) {
				cap = max + 1;
			}
			nb = realloc(buf, cap + 1);
			if (!nb) {
				err = -ENOMEM;
				break;
			}
			buf = nb;
		}
		r = read(fd, buf + n, cap - n);
		if (r < 0) {
			if (errno == EINTR) {
				continue;
			}
			err = -errno;
			break;
		}
		if (r == 0) {
			break;
		}
		n += (size_t)r;
		if (n > max) {
			err = -EFBIG;
			break;
		}
	}
	if (err) {
		free(buf);
		return err;
	}
	buf[n] = '\0';	/* text files can be used as strings */
	*out = buf;
	*len = n;
	return 0;
}

static void under(char *out, size_t outsz, const char *root, const char *p)
{
	snprintf(out, outsz, "%s%s", root ? root : "", p);
}

static int read_u64_file(const char *path, uint64_t *v)
{
	uint8_t *buf;
	size_t len;
	char *end;
	int err;

	err = read_whole(path, &buf, &len, 64);
	if (err < 0) {
		return err;
	}
	*v = strtoull((char *)buf, &end, 0);
	err = end == (char *)buf ? -EINVAL : 0;
	free(buf);
	return err;
}

/* /sys/firmware/memmap/N/{start,end,type} (docs/kernel-abi.md §5.2); the
 * texts are parsed by memmap_parse_firmware. An unreadable or malformed
 * entry is skipped: the map is optional. */
static int read_firmware_memmap(const char *root, struct memmap *mm)
{
	static const char *const names[] = { "start", "end", "type" };
	char dir[PATH_MAX], path[PATH_MAX + 300];
	struct dirent *d;
	DIR *dp;
	int err = 0;

	under(dir, sizeof(dir), root, "/sys/firmware/memmap");
	dp = opendir(dir);
	if (!dp) {
		return -errno;
	}
	while (err != -E2BIG && (d = readdir(dp))) {
		uint8_t *text[3] = { NULL, NULL, NULL };
		size_t i, len;

		if (d->d_name[0] == '.') {
			continue;
		}
		for (i = 0; i < 3; i++) {
			snprintf(path, sizeof(path), "%s/%s/%s", dir, d->d_name,
				names[i]);
			if (read_whole(path, &text[i], &len, 256) < 0) {
				break;
			}
		}
		if (i == 3) {
			err = memmap_parse_firmware((char *)text[0],
				(char *)text[1], (char *)text[2], mm);
		}
		for (i = 0; i < 3; i++) {
			free(text[i]);
		}
	}
	closedir(dp);
	return err == -E2BIG ? err : 0;
}

int sysmem_memmap(const char *root, struct memmap *mm, const char **what)
{
	char path[PATH_MAX];
	uint8_t *text;
	size_t len;
	int err;

	memset(mm, 0, sizeof(*mm));
	under(path, sizeof(path), root, "/proc/iomem");
	*what = "/proc/iomem";
	err = read_whole(path, &text, &len, 1 << 20);
	if (err < 0) {
		return err;
	}
	err = memmap_parse_iomem((char *)text, mm);
	free(text);
	if (err < 0) {
		return err;
	}
	if (!mm->nram) {
		return -ENOMEM;
	}
	/* the firmware map is optional (x86 e820 only) */
	read_firmware_memmap(root, mm);
	return 0;
}

int sysmem_file(const char *root, const char *p, uint8_t **out,
	size_t *len, size_t max)
{
	char path[PATH_MAX];

	under(path, sizeof(path), root, p);
	return read_whole(path, out, len, max);
}

/* count bytes at off, short only at the end of the file */
static ssize_t pread_full(int fd, uint8_t *buf, size_t count, off_t off)
{
	size_t n = 0;
	ssize_t r;

	while (n < count) {
		r = pread(fd, buf + n, count - n, off + (off_t)n);
		if (r < 0 && errno == EINTR) {
			continue;
		}
		if (r < 0) {
			return -errno;
		}
		if (r == 0) {
			break;
		}
		n += (size_t)r;
	}
	return (ssize_t)n;
}

int sysmem_fdt(const char *root, uint8_t **out, size_t *len, size_t max)
{
	char path[PATH_MAX];
	uint8_t hdr[40], *buf;
	uint32_t used;
	ssize_t n;
	int fd;

	under(path, sizeof(path), root, "/sys/firmware/fdt");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	n = pread_full(fd, hdr, sizeof(hdr), 0);
	used = n == (ssize_t)sizeof(hdr) && hdr[0] == 0xd0 && hdr[1] == 0x0d &&
		hdr[2] == 0xfe && hdr[3] == 0xed ? dtb_used_size(hdr) : 0;
	if (used < sizeof(hdr)) {
		/* not a tree hop can measure: whole, for the checks to name */
		close(fd);
		return read_whole(path, out, len, max);
	}
	if (used > max) {
		close(fd);
		return -EFBIG;
	}
	buf = malloc(used + 1);
	if (!buf) {
		close(fd);
		return -ENOMEM;
	}
	n = pread_full(fd, buf, used, 0);
	close(fd);
	if (n < 0) {
		free(buf);
		return (int)n;
	}
	if ((size_t)n >= sizeof(hdr)) {
		/* the tree now ends where its blocks do (big-endian) */
		buf[4] = (uint8_t)(n >> 24);
		buf[5] = (uint8_t)(n >> 16);
		buf[6] = (uint8_t)(n >> 8);
		buf[7] = (uint8_t)n;
	}
	buf[n] = '\0';
	*out = buf;
	*len = (size_t)n;
	return 0;
}

void sysmem_seed(uint8_t *seed, size_t len)
{
	size_t n = 0;
	ssize_t r;
	int fd;

	/* early boot may not have a seeded pool: never block the boot for a
	 * KASLR seed; fall back to urandom, then to nothing */
	while (n < len) {
		r = getrandom(seed + n, len - n, GRND_NONBLOCK);
		if (r <= 0) {
			break;
		}
		n += (size_t)r;
	}
	if (n < len) {
		fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);
		if (fd >= 0) {
			r = read(fd, seed + n, len - n);
			n += r > 0 ? (size_t)r : 0;
			close(fd);
		}
	}
	if (n < len) {
		memset(seed + n, 0, len - n);
	}
}

/* movable memory blocks (docs/kernel-abi.md §5.3): online blocks whose zone
 * is Movable can be offlined and unplugged at any time */
static int note_movable(const char *root, struct memmap *mm)
{
	char dir[PATH_MAX], path[PATH_MAX + 300];
	uint64_t bs, idx;
	struct dirent *d;
	uint8_t *zones;
	size_t len;
	DIR *dp;
	int err = 0;

	under(dir, sizeof(dir), root, "/sys/devices/system/memory");
	snprintf(path, sizeof(path), "%s/block_size_bytes", dir);
	if (read_whole(path, &zones, &len, 64) < 0) {
		return 0;	/* no memory hotplug in this kernel */
	}
	bs = strtoull((char *)zones, NULL, 16);	/* hex without 0x */
	free(zones);
	dp = opendir(dir);
	if (!bs || !dp) {
		if (dp) {
			closedir(dp);
		}
		return 0;
	}
	while (!err && (d = readdir(dp))) {
		if (strncmp(d->d_name, "memory", 6) ||
			d->d_name[6] < '0' || d->d_name[6] > '9') {
			continue;
		}
		idx = strtoull(d->d_name + 6, NULL, 10);
		snprintf(path, sizeof(path), "%s/%s/valid_zones", dir,
			d->d_name);
		if (read_whole(path, &zones, &len, 256) < 0) {
			continue;
		}
		if (strstr((char *)zones, "Movable")) {
			err = memmap_note_removable(mm, idx * bs, (idx + 1) * bs,
				"movable zone (can be unplugged)");
		}
		free(zones);
	}
	closedir(dp);
	return err;
}

/* the boot map's RAM past the zero page's 128 entries: the
 * SETUP_E820_EXT setup_data the EFI stub (or a loader like hop) passed,
 * /sys/kernel/boot_params/setup_data/N/{type,data} (arch/x86/kernel/
 * ksysfs.c); the count appended to out, 0 when there is none */
static int boot_e820_ext(const char *root, struct mem_range *out,
	size_t max)
{
	char dir[PATH_MAX], path[PATH_MAX + 300];
	struct dirent *d;
	uint64_t type;
	uint8_t *data;
	size_t len;
	int n = 0;
	DIR *dp;

	under(dir, sizeof(dir), root, "/sys/kernel/boot_params/setup_data");
	dp = opendir(dir);
	if (!dp) {
		return 0;
	}
	while ((d = readdir(dp))) {
		snprintf(path, sizeof(path), "%s/%s/type", dir, d->d_name);
		if (d->d_name[0] == '.' || read_u64_file(path, &type) < 0 ||
			type != 1) {	/* SETUP_E820_EXT */
			continue;
		}
		snprintf(path, sizeof(path), "%s/%s/data", dir, d->d_name);
		if (read_whole(path, &data, &len, MEMMAP_MAX * 20) == 0) {
			n += e820_ext_ram(data, len, out + n, max - (size_t)n);
			free(data);
		}
	}
	closedir(dp);
	return n;
}

int sysmem_removable(const char *root, struct memmap *mm,
	const uint8_t *bp, size_t bplen, const uint8_t *dtb, size_t dtblen)
{
	struct mem_range boot[MEMMAP_MAX];
	int n = -1, err;

	err = note_movable(root, mm);
	if (err < 0) {
		return err;
	}
	/* the boot-time map: x86 e820 as the boot loader gave it, else the
	 * device tree's memory nodes; EFI-booted trees have none */
	if (bp) {
		n = boot_params_ram(bp, bplen, boot, MEMMAP_MAX);
	}
	if (n >= 0) {
		n += boot_e820_ext(root, boot + n, MEMMAP_MAX - (size_t)n);
	}
	if (n <= 0 && dtb) {
		n = dtb_memory_ranges(dtb, dtblen, boot, MEMMAP_MAX);
	}
	if (n > 0) {
		err = memmap_note_hotadded(mm, boot, (size_t)n);
	}
	return err;
}

/* the crash_notes of one CPU; -ENOENT when it has none (not present) */
static int cpu_note(const char *root, unsigned cpu, struct mem_range *r)
{
	char path[PATH_MAX];
	uint8_t *buf;
	size_t len;
	uint64_t addr, size;
	char *end;
	int err;

	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/cpu%u/"
		"crash_notes", root ? root : "", cpu);
	err = read_whole(path, &buf, &len, 64);
	if (err < 0) {
		return err;
	}
	/* drivers/base/cpu.c: "%llx\n", no 0x */
	addr = strtoull((char *)buf, &end, 16);
	err = end == (char *)buf ? -EINVAL : 0;
	free(buf);
	if (err < 0) {
		return err;
	}
	/* "%zu\n", since linux 4.3 */
	snprintf(path, sizeof(path), "%s/sys/devices/system/cpu/cpu%u/"
		"crash_notes_size", root ? root : "", cpu);
	if ((err = read_u64_file(path, &size)) < 0) {
		return err;
	}
	r->start = addr;
	r->end = addr + size;
	return 0;
}

int sysmem_crash_notes(const char *root, struct mem_range **out)
{
	struct mem_range *v = NULL, *nv;
	uint8_t *buf;
	const char *s;
	size_t len, n = 0, cap = 0;
	unsigned a, b, cpu;
	int err, r;

	*out = NULL;
	err = sysmem_file(root, "/sys/devices/system/cpu/possible", &buf,
		&len, 4096);
	if (err < 0) {
		return err;
	}
	s = (const char *)buf;
	while (!err && (r = elfcore_cpulist_next(&s, &a, &b)) != 0) {
		if (r < 0) {
			err = r;
			break;
		}
		for (cpu = a; cpu <= b; cpu++) {
			if (n == cap) {
				cap = cap ? 2 * cap : 16;
				nv = realloc(v, cap * sizeof(*v));
				if (!nv) {
					err = -ENOMEM;
					break;
				}
				v = nv;
			}
			if (cpu_note(root, cpu, &v[n]) == 0) {
				n++;
			}
		}
	}
	free(buf);
	if (err < 0) {
		free(v);
		return err;
	}
	*out = v;
	return (int)n;
}

int sysmem_vmcoreinfo(const char *root, struct mem_range *r)
{
	uint8_t *buf;
	size_t len;
	int err;

	err = sysmem_file(root, "/sys/kernel/vmcoreinfo", &buf, &len, 256);
	if (err < 0) {
		return err;
	}
	err = elfcore_parse_vmcoreinfo((char *)buf, r);
	free(buf);
	return err;
}

/* exactly len bytes at off, or -EIO */
static int pread_all(int fd, uint8_t *buf, size_t len, off_t off)
{
	ssize_t r;
	size_t n = 0;

	while (n < len) {
		r = pread(fd, buf + n, len - n, off + (off_t)n);
		if (r < 0 && errno == EINTR) {
			continue;
		}
		if (r <= 0) {
			return r < 0 ? -errno : -EIO;
		}
		n += (size_t)r;
	}
	return 0;
}

/* only the headers: the file is the size of the address space */
int sysmem_kcore(const char *root, uint8_t **out, size_t *len)
{
	char path[PATH_MAX];
	uint8_t *buf;
	uint64_t phoff;
	size_t need = 0, phent, phnum;
	int fd, err, elf64;

	under(path, sizeof(path), root, "/proc/kcore");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return -errno;
	}
	buf = malloc(64);
	err = buf ? pread_all(fd, buf, 64, 0) : -ENOMEM;
	if (err == 0) {
		err = elfcore_ehdr(buf, 64, &elf64, &phoff, &phent, &phnum);
	}
	if (err == 0) {
		need = (size_t)phoff + phent * phnum;
		if (phoff > (1u << 20) || need > (2u << 20)) {
			err = -EFBIG;
		}
	}
	if (err == 0) {
		uint8_t *nb = realloc(buf, need < 64 ? 64 : need);

		err = nb ? pread_all(fd, nb, need, 0) : -ENOMEM;
		buf = nb ? nb : buf;
	}
	close(fd);
	if (err < 0) {
		free(buf);
		return err;
	}
	*out = buf;
	*len = need;
	return 0;
}

/* "ACPI20=0x7fb7e014\nACPI=0x...\nSMBIOS=0x...\n" (drivers/firmware/efi/
 * efi.c systab_show): the value of key, 0 when it is not there */
uint64_t efi_systab_value(const char *text, const char *key)
{
	size_t k = strlen(key);
	const char *p = text;

	while (p && *p) {
		if (!strncmp(p, key, k) && p[k] == '=') {
			return strtoull(p + k + 1, NULL, 0);
		}
		p = strchr(p, '\n');
		p = p ? p + 1 : NULL;
	}
	return 0;
}

static void put64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++) {
		p[i] = (uint8_t)(v >> (8 * i));
	}
}

/* efi_info in boot_params (arch/x86/include/uapi/asm/bootparam.h): at
 * 0x1c0, eight u32: loader signature, systab, memdesc size and version,
 * memmap, memmap size, systab_hi, memmap_hi; secure_boot at 0x1ec */
enum { BP_EFI_INFO = 0x1c0, BP_SECURE_BOOT = 0x1ec };

static uint32_t bp32(const uint8_t *bp, size_t off)
{
	return (uint32_t)bp[off] | (uint32_t)bp[off + 1] << 8 |
		(uint32_t)bp[off + 2] << 16 | (uint32_t)bp[off + 3] << 24;
}

/* /sys/firmware/efi/runtime-map/N/{type,phys_addr,virt_addr,num_pages,
 * attribute} (drivers/firmware/efi/runtime-map.c), N from 0, as
 * efi_memory_desc_t */
static int read_runtime_map(const char *root, struct x86_efi *efi)
{
	static const char *const names[] = { "type", "phys_addr", "virt_addr",
		"num_pages", "attribute" };
	static const size_t off[] = { 0, 8, 16, 24, 32 };
	char path[PATH_MAX];
	uint64_t v;
	size_t n, i;
	int err;

	for (n = 0;; n++) {
		under(path, sizeof(path), root, "/sys/firmware/efi/runtime-map/");
		snprintf(path + strlen(path), sizeof(path) - strlen(path),
			"%zu/type", n);
		if (access(path, F_OK) < 0) {
			break;
		}
		if (n == EFI_RUNTIME_MAX) {
			return -E2BIG;
		}
		for (i = 0; i < 5; i++) {
			char *slash;

			slash = strrchr(path, '/');
			snprintf(slash + 1, sizeof(path) - (size_t)(slash + 1 -
				path), "%s", names[i]);
			err = read_u64_file(path, &v);
			if (err < 0) {
				return err;
			}
			if (i == 0) {
				memset(efi->map + n * EFI_MEMDESC_SIZE, 0,
					EFI_MEMDESC_SIZE);
				v &= 0xffffffffu;
			}
			put64(efi->map + n * EFI_MEMDESC_SIZE + off[i], v);
		}
	}
	efi->nmap = n;
	return 0;
}

/* a copy of the ACPI RSDP for multiboot2's ACPI tags, from /dev/mem
 * (ACPI tables are not RAM: STRICT_DEVMEM lets root read them; lockdown
 * does not, and then there is no copy): "RSD PTR ", 20 bytes for
 * revision 0, else its length field's (36) */
static void read_rsdp(const char *root, struct x86_efi *efi)
{
	char path[PATH_MAX];
	uint8_t r[36];
	int fd;

	under(path, sizeof(path), root, "/dev/mem");
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		return;
	}
	if (pread_full(fd, r, sizeof(r), (off_t)efi->acpi_rsdp) ==
		(ssize_t)sizeof(r) && !memcmp(r, "RSD PTR ", 8)) {
		efi->rsdp_len = r[15] < 2 ? 20 : bp32(r, 20);
		if (efi->rsdp_len == 20 || efi->rsdp_len == sizeof(r)) {
			memcpy(efi->rsdp, r, efi->rsdp_len);
		} else {
			efi->rsdp_len = 0;
		}
	}
	close(fd);
}

int sysmem_efi(const char *root, const uint8_t *bp, size_t bplen,
	struct x86_efi *efi)
{
	static const char *const names[] = { "fw_vendor", "runtime",
		"config_table" };
	uint64_t *const vals[] = { &efi->fw_vendor, &efi->runtime,
		&efi->tables };
	char path[PATH_MAX];
	uint8_t *systab;
	size_t len, i;
	int err;

	memset(efi, 0, sizeof(*efi));
	/* the EFI stub wrote efi_info; a BIOS boot leaves it 0. Without
	 * runtime services (noefi, efi=noruntime) there is no runtime map
	 * and the kernel's own kexec passes nothing either */
	if (!bp || bplen < 0x1000 || !bp32(bp, BP_EFI_INFO + 20)) {
		return 0;
	}
	under(path, sizeof(path), root, "/sys/firmware/efi/runtime-map");
	if (access(path, F_OK) < 0) {
		return 0;
	}
	efi->loader_signature = bp32(bp, BP_EFI_INFO);
	efi->systab = bp32(bp, BP_EFI_INFO + 4) |
		(uint64_t)bp32(bp, BP_EFI_INFO + 24) << 32;
	efi->memdesc_version = bp32(bp, BP_EFI_INFO + 12);
	efi->secure_boot = bp[BP_SECURE_BOOT];
	for (i = 0; i < 3; i++) {
		char rel[64];

		snprintf(rel, sizeof(rel), "/sys/firmware/efi/%s", names[i]);
		under(path, sizeof(path), root, rel);
		err = read_u64_file(path, vals[i]);
		if (err < 0) {
			return err;
		}
	}
	under(path, sizeof(path), root, "/sys/firmware/efi/systab");
	err = read_whole(path, &systab, &len, 4096);
	if (err < 0) {
		return err;
	}
	efi->acpi_rsdp = efi_systab_value((char *)systab, "ACPI20");
	if (!efi->acpi_rsdp) {
		efi->acpi_rsdp = efi_systab_value((char *)systab, "ACPI");
	}
	efi->smbios = efi_systab_value((char *)systab, "SMBIOS");
	free(systab);
	err = read_runtime_map(root, efi);
	if (err == 0 && efi->acpi_rsdp) {
		read_rsdp(root, efi);
	}
	return err < 0 ? err : 1;
}

#ifndef MADV_POPULATE_READ
#define MADV_POPULATE_READ 22	/* linux 5.14 */
#endif
#define PM_PRESENT (1ull << 63)
#define PM_PFN ((1ull << 55) - 1)

/* Where buf's pages are (docs/placement.md): maps them in
 * (MADV_POPULATE_READ, linux 5.14, as the kernel's copy would fault them
 * in anyway; not by touching them, which a file truncated meanwhile
 * would answer with SIGBUS),
 * then reads their frame numbers from /proc/self/pagemap, 512 at a time,
 * into runs of consecutive frames. Without CAP_SYS_ADMIN the kernel
 * shows frame 0 and nothing is noted; any failure leaves mm as it was:
 * the planners then place as they would without it. */
void sysmem_busy(struct memmap *mm, const uint8_t *buf, size_t len)
{
	uint64_t e[512], pg = (uint64_t)sysconf(_SC_PAGESIZE), first, run = 0,
		rpfn = 0, roff = 0, n, i, k;
	int fd, src;

	if (!len || pg == 0 || (pg & (pg - 1)) || ((uintptr_t)buf & (pg - 1))) {
		return;
	}
	if (madvise((void *)buf, len, MADV_POPULATE_READ) < 0) {
		hop_debug("pagemap: MADV_POPULATE_READ: %s", errname(-errno));
		return;
	}
	fd = open("/proc/self/pagemap", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		hop_debug("pagemap: %s", errname(-errno));
		return;
	}
	src = memmap_add_src(mm, buf, len);
	first = (uintptr_t)buf / pg;
	n = (len + pg - 1) / pg;
	for (i = 0; src >= 0 && i < n; i += k) {
		ssize_t got;

		k = n - i < 512 ? n - i : 512;
		got = pread(fd, e, k * 8, (off_t)((first + i) * 8));
		if (got != (ssize_t)(k * 8)) {
			break;
		}
		for (uint64_t j = 0; j < k; j++) {
			uint64_t pfn = e[j] & PM_PRESENT ? e[j] & PM_PFN : 0;

			if (run && pfn == rpfn + run) {
				run++;
				continue;
			}
			if (run) {
				memmap_add_busy(mm, (unsigned)src, roff,
					rpfn * pg, (rpfn + run) * pg);
			}
			run = pfn ? 1 : 0;
			rpfn = pfn;
			roff = (i + j) * pg;
		}
	}
	if (run && src >= 0) {
		memmap_add_busy(mm, (unsigned)src, roff, rpfn * pg,
			(rpfn + run) * pg);
	}
	close(fd);
}
