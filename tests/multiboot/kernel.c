/* A tiny freestanding multiboot test kernel (tests/vm/multiboot.sh): it
 * checks what hop's multiboot loader (arch/x86_64/multiboot.c) hands
 * over, prints markers on the serial port (COM1, 0x3f8) and powers QEMU
 * off. Built by the Makefile with the host's gcc -m32 and ld, never
 * committed as a binary:
 *   HOP-MB magic: v1|v2          eax held the boot magic
 *   HOP-MB loader: NAME          boot loader name
 *   HOP-MB cmdline: STR          the command line
 *   HOP-MB mmap: N entries, M MiB RAM
 *   HOP-MB modules: N
 *   HOP-MB module string: STR    each module's string, then
 *   HOP-MB module: OK N bytes    its bytes are the stream of
 *                                tests/multiboot/mkmod.c for the seed= and
 *                                size= of its string (a string without
 *                                size=: "unchecked N bytes")
 *   HOP-MB modules checked: N    how many modules passed those checks
 *                                (page aligned, after the one before,
 *                                size and bytes as their string says)
 *   HOP-MB done
 * Entered as a plain ELF32 kernel (eax 0, esi = boot_params):
 *   HOP-MB linux32: HdrS, version 0x20f, cmdline: STR
 * A check that fails prints "HOP-MB FAIL: why". */
#include <stdint.h>

struct mod {
	uint32_t start, end, string;
};

static inline void outb(uint16_t port, uint8_t v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline void outw(uint16_t port, uint16_t v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

static inline uint8_t inb(uint16_t port)
{
	uint8_t v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static void putc_serial(char c)
{
	int n = 100000;

	/* wait for the transmitter holding register (LSR bit 5) */
	while (!(inb(0x3f8 + 5) & 0x20) && n--) {
	}
	outb(0x3f8, (uint8_t)c);
}

static void puts_serial(const char *s)
{
	while (*s) {
		if (*s == '\n') {
			putc_serial('\r');
		}
		putc_serial(*s++);
	}
}

static void put_dec(uint32_t v)
{
	char b[12];
	int i = 11;

	b[i] = '\0';
	do {
		b[--i] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	puts_serial(b + i);
}

static void put_hex(uint32_t v)
{
	int i;

	puts_serial("0x");
	for (i = 28; i >= 0; i -= 4) {
		putc_serial("0123456789abcdef"[(v >> i) & 0xf]);
	}
}

static void fail(const char *why)
{
	puts_serial("HOP-MB FAIL: ");
	puts_serial(why);
	puts_serial("\n");
}

/* the number after the word "key=" in s, or 0 */
static uint32_t arg(const char *s, const char *key)
{
	const char *p, *k;
	uint32_t v = 0;

	for (p = s; *p; p++) {
		if (p != s && p[-1] != ' ') {
			continue;
		}
		for (k = key; *k && p[k - key] == *k; k++) {
		}
		if (!*k) {
			for (p += k - key; *p >= '0' && *p <= '9'; p++) {
				v = v * 10 + (uint32_t)(*p - '0');
			}
			return v;
		}
	}
	return 0;
}

/* the modules checked so far and where the last one ended; set at the
 * start of v1() and v2(), not left to a bss the loader may not clear */
static uint32_t checked, prev_end;

/* the same stream as mkmod.c */
static void check_module(const struct mod *m)
{
	const char *str = (const char *)m->string;
	uint32_t size = arg(str, "size="), x = arg(str, "seed="), i;
	const uint8_t *p = (const uint8_t *)m->start;

	puts_serial("HOP-MB module string: ");
	puts_serial(str);
	puts_serial("\n");
	if (m->start & 0xfff) {
		fail("module not page aligned");
		return;
	}
	/* hop (as GRUB) places the modules in their order */
	if (m->start < prev_end || m->end < m->start) {
		fail("module overlaps the one before it");
		return;
	}
	prev_end = m->end;
	if (!size) {
		puts_serial("HOP-MB module: unchecked ");
		put_dec(m->end - m->start);
		puts_serial(" bytes\n");
		return;
	}
	if (m->end - m->start != size) {
		puts_serial("HOP-MB FAIL: module is ");
		put_dec(m->end - m->start);
		puts_serial(" bytes, its string says ");
		put_dec(size);
		puts_serial("\n");
		return;
	}
	for (i = 0; i < size; i++) {
		x = x * 1103515245u + 12345u;
		if (p[i] != (uint8_t)(x >> 16)) {
			puts_serial("HOP-MB FAIL: module byte ");
			put_dec(i);
			puts_serial(" differs\n");
			return;
		}
	}
	checked++;
	puts_serial("HOP-MB module: OK ");
	put_dec(size);
	puts_serial(" bytes at ");
	put_hex(m->start);
	puts_serial("\n");
}

static void mmap_entry(uint64_t len, uint32_t type, uint32_t *n,
	uint64_t *ram)
{
	(*n)++;
	if (type == 1) {
		*ram += len;
	}
}

static void report_checked(void)
{
	puts_serial("HOP-MB modules checked: ");
	put_dec(checked);
	puts_serial("\n");
}

static void report_mods(uint32_t n)
{
	puts_serial("HOP-MB modules: ");
	put_dec(n);
	puts_serial("\n");
}

static void report_mmap(uint32_t n, uint64_t ram)
{
	puts_serial("HOP-MB mmap: ");
	put_dec(n);
	puts_serial(" entries, ");
	put_dec((uint32_t)(ram >> 20));
	puts_serial(" MiB RAM\n");
}

static void v1(const uint8_t *mbi)
{
	uint32_t flags = *(const uint32_t *)mbi, n = 0, off;
	uint32_t mlen = *(const uint32_t *)(mbi + 44);
	const uint8_t *map = (const uint8_t *)*(const uint32_t *)(mbi + 48);
	uint64_t ram = 0;

	checked = 0;
	prev_end = 0;
	puts_serial("HOP-MB magic: v1\n");
	if (flags & (1 << 9)) {
		puts_serial("HOP-MB loader: ");
		puts_serial((const char *)*(const uint32_t *)(mbi + 64));
		puts_serial("\n");
	}
	if (flags & (1 << 2)) {
		puts_serial("HOP-MB cmdline: ");
		puts_serial((const char *)*(const uint32_t *)(mbi + 16));
		puts_serial("\n");
	}
	if (flags & (1 << 6)) {
		for (off = 0; off < mlen; off += *(const uint32_t *)(map +
			off) + 4) {
			mmap_entry(*(const uint64_t *)(map + off + 12),
				*(const uint32_t *)(map + off + 20), &n, &ram);
		}
		report_mmap(n, ram);
	}
	if (flags & (1 << 3)) {
		report_mods(*(const uint32_t *)(mbi + 20));
	}
	if ((flags & (1 << 3)) && *(const uint32_t *)(mbi + 20)) {
		/* v1 module entries are 16 bytes: start, end, string and a
		 * reserved word */
		const uint8_t *m = (const uint8_t *)*(const uint32_t *)
			(mbi + 24);
		uint32_t i;

		for (i = 0; i < *(const uint32_t *)(mbi + 20); i++) {
			check_module((const struct mod *)(m + 16 * i));
		}
		report_checked();
	} else {
		fail("no module");
	}
}

static void v2(const uint8_t *mbi)
{
	uint32_t total = *(const uint32_t *)mbi, off, n = 0, mods = 0;
	uint64_t ram = 0;

	checked = 0;
	prev_end = 0;
	puts_serial("HOP-MB magic: v2\n");
	for (off = 8; off + 8 <= total;) {
		const uint8_t *t = mbi + off;
		uint32_t type = *(const uint32_t *)t;
		uint32_t size = *(const uint32_t *)(t + 4), i, esz;
		struct mod m;

		if (type == 0) {
			break;
		}
		switch (type) {
		case 1:
			puts_serial("HOP-MB cmdline: ");
			puts_serial((const char *)(t + 8));
			puts_serial("\n");
			break;
		case 2:
			puts_serial("HOP-MB loader: ");
			puts_serial((const char *)(t + 8));
			puts_serial("\n");
			break;
		case 3:
			m.start = *(const uint32_t *)(t + 8);
			m.end = *(const uint32_t *)(t + 12);
			m.string = (uint32_t)(t + 16);
			mods++;
			check_module(&m);
			break;
		case 6:
			esz = *(const uint32_t *)(t + 8);
			for (i = 16; esz && i + esz <= size; i += esz) {
				mmap_entry(*(const uint64_t *)(t + i + 8),
					*(const uint32_t *)(t + i + 16), &n,
					&ram);
			}
			report_mmap(n, ram);
			break;
		}
		off += (size + 7) & ~7u;
	}
	report_mods(mods);
	report_checked();
	if (!mods) {
		fail("no module");
	}
}

/* boot.rst's 32-bit protocol: the zero page hop built from scratch */
static void linux32(const uint8_t *bp)
{
	if (!bp || bp[0x202] != 'H' || bp[0x203] != 'd' || bp[0x204] != 'r' ||
		bp[0x205] != 'S') {
		fail("esi is no boot_params (no HdrS at 0x202)");
		return;
	}
	puts_serial("HOP-MB linux32: HdrS, version ");
	put_hex(*(const uint16_t *)(bp + 0x206));
	puts_serial(", cmdline: ");
	puts_serial((const char *)*(const uint32_t *)(bp + 0x228));
	puts_serial("\n");
}

void kmain(uint32_t magic, uint32_t info, uint32_t bp);

void kmain(uint32_t magic, uint32_t info, uint32_t bp)
{
	if (magic == 0 && info == 0) {
		linux32((const uint8_t *)bp);
	} else if (magic == 0x2badb002) {
		v1((const uint8_t *)info);
	} else if (magic == 0x36d76289) {
		v2((const uint8_t *)info);
	} else {
		puts_serial("HOP-MB FAIL: eax is ");
		put_hex(magic);
		puts_serial(", not a multiboot magic\n");
	}
	puts_serial("HOP-MB done\n");
	/* ACPI power off of QEMU's pc machine (PIIX4 PM1a_CNT at 0x604 as
	 * SeaBIOS sets it up: SLP_TYP 0 | SLP_EN), else the Bochs/old QEMU
	 * port; then halt (the test's timeout ends QEMU) */
	outw(0x604, 0x2000);
	outw(0xb004, 0x2000);
}
