/* A small table-driven test harness: failures print
 * "fn(args) = got; want X" and main prints "N passed, N failed". */
#ifndef TEST_H
#define TEST_H

#include <stdio.h>
#include <string.h>

extern int t_pass, t_fail;

#define CHECK(cond, ...) do { \
	if (cond) { \
		t_pass++; \
	} else { \
		t_fail++; \
		printf("FAIL %s:%d: ", __FILE__, __LINE__); \
		printf(__VA_ARGS__); \
		putchar('\n'); \
	} \
} while (0)

#define CHECK_STR(call, got, want) do { \
	const char *got_ = (got); \
	CHECK(got_ && !strcmp(got_, (want)), "%s = \"%s\"; want \"%s\"", \
		call, got_ ? got_ : "(null)", (want)); \
} while (0)
#define CHECK_INT(call, got, want) CHECK((long long)(got) == \
	(long long)(want), "%s = %lld; want %lld", call, (long long)(got), \
	(long long)(want))

/* the fake syscall layer (load_test.c): what the last calls got */
extern int fake_err, fake_calls, fake_initrd_fd;	/* kexec_file_load */
extern unsigned long fake_flags;
extern char fake_cmdline[256];
extern int load_err, load_calls;			/* kexec_load */
extern unsigned long load_entry, load_nr, load_flags;

/* captures hop: log lines of one call into a buffer */
void capture_start(void);
const char *capture_end(void);

void test_cmdline(void);
void test_config(void);
void test_policy(void);
void test_cpio(void);
void test_file(void);
void test_file_rooted(void);
void test_log(void);
void test_fmt(void);
void test_grubenv(void);
void test_bls(void);
void test_bls2(void);
void test_grubscript(void);
void test_boot(void);
void test_load(void);
void test_memmap(void);
void test_zimage(void);
void test_kexec(void);
void test_dtb(void);
void test_inflate(void);
void test_arm64(void);
void test_bzimage(void);
void test_hotplug(void);
void test_watch(void);
void test_blkid(void);
void test_source(void);
void test_sha256(void);
void test_bootcfg(void);
void test_syslinux(void);
void test_ipxe(void);
void test_bootsel(void);
void test_bootlist(void);
void test_menu(void);
void test_elfcore(void);
void test_onfail(void);
void test_x86_elf(void);
void test_multiboot(void);
void test_busy(void);
void test_url(void);
void test_dhcp(void);
void test_pxe(void);
void test_netspec(void);
void test_dhcp6(void);
void test_tftp(void);
void test_http(void);
void test_sig(void);
void test_tpm(void);
void test_uki(void);
void test_fit(void);
void test_container(void);

/* x86_elf_test.c, shared with multiboot_test.c: an x86 memory map (RAM
 * 0x1000-0x9fbff, 1 MiB-1 GiB, 4-5 GiB, with a firmware map) and ELF
 * headers for synthetic kernels */
#include <stdint.h>
struct memmap;
struct plan;
struct segment;
/* tests/unit/fixtures.c: head, then unit n times, then tail (malloc'd;
 * NULL without memory): the huge inputs */
char *test_repeat(const char *head, const char *unit, size_t n,
	const char *tail);
/* tests/unit/fixtures.c: the nth segment of p named what (from 0), NULL
 * when none; root + rel written with data, its folders made */
const struct segment *plan_seg(const struct plan *p, const char *what,
	int n);
void fixture_put(const char *root, const char *rel, const void *data,
	size_t len);
/* tests/unit/fixtures.c: an in-memory file system for struct bootcfg_io
 * (ctx: an array of files ended by a NULL path). A file whose text is
 * NULL cannot be read (-ELOOP: a link out of the file system, as the
 * agent's io refuses it); memfs_reads counts the reads. */
struct memfs_file {
	const char *path, *text;
};
extern int memfs_reads;
int memfs_read(void *ctx, const char *path, char **text);
int memfs_list(void *ctx, const char *dir, char ***names, size_t *n);
/* tests/unit/fixtures.c: a parsed entry's string field i.field against
 * want (NULL: the field must be NULL) */
void check_entry_str(const char *what, size_t i, const char *field,
	const char *got, const char *want);
void x86_test_mm(struct memmap *mm);
void x86_test_ehdr(uint8_t *b, int elf64, unsigned machine, uint64_t entry,
	unsigned phnum);
void x86_test_phdr(uint8_t *b, int elf64, unsigned i, uint32_t type,
	uint64_t off, uint64_t vaddr, uint64_t paddr, uint64_t filesz,
	uint64_t memsz);

#endif
