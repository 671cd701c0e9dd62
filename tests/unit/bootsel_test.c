/* lib/agent/bootsel.c: which format a path is, reading configurations from a
 * file system tree (temporary directories stand in for mounted devices),
 * the known places and their order, an entry's files as sources, fdtdir,
 * and the order entries are tried in. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include "bootsel.h"
#include "test.h"

static char root[64];

#define PUT(rel, text) fixture_put(root, rel, text, strlen(text))

static void fresh(void)
{
	char cmd[128];

	if (root[0]) {
		snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
		CHECK_INT("cleanup", system(cmd), 0);
	}
	snprintf(root, sizeof(root), "/tmp/hop-bootsel-XXXXXX");
	CHECK(mkdtemp(root) != NULL, "mkdtemp");
}

static void test_kind(void)
{
	static const struct {
		const char *path;
		int dir;
		enum bootcfg_kind kind;
		const char *bls;
	} t[] = {
		{ "/extlinux/extlinux.conf", 0, BOOTCFG_EXTLINUX, NULL },
		{ "/boot/syslinux/syslinux.cfg", 0, BOOTCFG_EXTLINUX, NULL },
		{ "/pxelinux.cfg/default", 0, BOOTCFG_EXTLINUX, NULL },
		{ "/boot/grub/grub.cfg", 0, BOOTCFG_GRUB, NULL },
		{ "/boot/grub/loopback.cfg", 0, BOOTCFG_GRUB, NULL },
		{ "/EFI/fedora/grub.cfg", 0, BOOTCFG_GRUB, NULL },
		{ "/isolinux/isolinux.cfg", 0, BOOTCFG_EXTLINUX, NULL },
		{ "/efi/boot/boot.cfg", 0, BOOTCFG_KEXECBOOT, NULL },
		{ "/boot.cfg", 0, BOOTCFG_KEXECBOOT, NULL },
		{ "/boot/loader/entries", 1, BOOTCFG_BLS, "/boot" },
		{ "/boot/loader/entries/", 1, BOOTCFG_BLS, "/boot" },
		{ "/loader/entries", 1, BOOTCFG_BLS, "/" },
		{ "/", 1, BOOTCFG_BLS, "/" },
		{ "/efi", 1, BOOTCFG_BLS, "/efi" },
		{ "/efi/loader/loader.conf", 0, BOOTCFG_BLS, "/efi" },
		{ "/loader/loader.conf", 0, BOOTCFG_BLS, "/" },
		{ "/EFI/Linux", 1, BOOTCFG_BLS, "/" },
		{ "/boot/efi/linux/", 1, BOOTCFG_BLS, "/boot" },
		{ "/boot/EFI/Linux", 1, BOOTCFG_BLS, "/boot" },
	};
	char bls[64], name[96];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		snprintf(name, sizeof(name), "bootsel_kind(%s)", t[i].path);
		bls[0] = '\0';
		CHECK_INT(name, bootsel_kind(t[i].path, t[i].dir, bls,
			sizeof(bls)), t[i].kind);
		if (t[i].bls) {
			CHECK_STR(name, bls, t[i].bls);
		}
	}
}

static void test_read(void)
{
	struct found_config fc;
	int err;

	fresh();
	/* extlinux with an include relative to the configuration's folder;
	 * CRLF line ends, as a file edited on Windows has them */
	PUT("/boot/extlinux/extlinux.conf", "default two\r\ntimeout 30\r\n"
		"include more.conf\r\n"
		"label one\r\n  kernel /vmlinuz-1\r\n  append root=/dev/sda1\r\n");
	PUT("/boot/extlinux/more.conf", "label two\n  linux ../vmlinuz-2\n"
		"  initrd ../initrd-2,../extra.cpio\n  fdtdir ../dtbs\n"
		"  append quiet\n");
	err = bootsel_read(root, "/dev/vda1", "/boot/extlinux/extlinux.conf",
		NULL, &fc);
	CHECK_INT("bootsel_read(extlinux)", err, 0);
	if (!err) {
		CHECK_INT("extlinux kind", fc.kind, BOOTCFG_EXTLINUX);
		CHECK_STR("extlinux shown", fc.shown,
			"/dev/vda1:/boot/extlinux/extlinux.conf");
		CHECK_STR("extlinux fsroot", fc.fsroot, root);
		CHECK_INT("extlinux entries", fc.c.n, 2);
		/* the included label comes where the include is */
		CHECK_INT("extlinux default", fc.c.def, 0);
		CHECK_STR("extlinux include kernel", fc.c.e[0].kernel,
			"/boot/extlinux/../vmlinuz-2");	/* as u-boot joins them */
		CHECK_INT("extlinux initrds", fc.c.e[0].ninitrd, 2);
		CHECK_STR("extlinux fdtdir", fc.c.e[0].fdtdir,
			"/boot/extlinux/../dtbs");
		bootcfg_free(&fc.c);
	}

	/* BLS under /boot of a root file system, named by its folder */
	PUT("/boot/loader/entries/a-6.1.conf", "title Debian 6.1\n"
		"version 6.1\nlinux /vmlinuz-6.1\noptions root=LABEL=r\n");
	PUT("/boot/loader/entries/a-6.10.conf", "title Debian 6.10\n"
		"version 6.10\nlinux /vmlinuz-6.10\ninitrd /initrd-6.10\n");
	err = bootsel_read(root, NULL, "/boot/loader/entries", NULL, &fc);
	CHECK_INT("bootsel_read(BLS)", err, 0);
	if (!err) {
		CHECK_INT("BLS kind", fc.kind, BOOTCFG_BLS);
		CHECK_STR("BLS shown", fc.shown, "/boot/loader/entries");
		CHECK_INT("BLS entries", fc.c.n, 2);
		/* the newest version sorts first */
		CHECK_STR("BLS first", fc.c.e[0].label, "a-6.10");
		bootcfg_free(&fc.c);
	}

	PUT("/grub/grub.cfg", "set default=1\nmenuentry 'A' {\n linux /a\n}\n"
		"menuentry 'B' {\n search --no-floppy --label --set=root r2\n"
		" linux /b root=x\n initrd /b.img\n}\n");
	err = bootsel_read(root, "LABEL=boot", "/grub/grub.cfg", NULL, &fc);
	CHECK_INT("bootsel_read(grub)", err, 0);
	if (!err) {
		CHECK_INT("grub kind", fc.kind, BOOTCFG_GRUB);
		CHECK_INT("grub default", fc.c.def, 1);
		CHECK_STR("grub search", fc.c.e[1].search_label, "r2");
		bootcfg_free(&fc.c);
	}

	PUT("/boot.cfg", "LABEL=Debian\nKERNEL=/vmlinuz\nAPPEND=quiet\n");
	err = bootsel_read(root, NULL, "/boot.cfg", NULL, &fc);
	CHECK_INT("bootsel_read(kexecboot)", err, 0);
	if (!err) {
		CHECK_INT("kexecboot kind", fc.kind, BOOTCFG_KEXECBOOT);
		bootcfg_free(&fc.c);
	}

	/* the boot's budget is shared: a read never takes more than what
	 * is left (+ 1 byte, to know it is over), and says so */
	{
		struct bootcfg_budget b;
		char big[2048];

		bootcfg_budget_default(&b);
		b.read = 10;
		err = bootsel_read(root, NULL, "/boot.cfg", &b, &fc);
		CHECK_INT("bootsel_read(budget spent)", err, -E2BIG);
		CHECK_STR("bootsel_read(budget spent) why", fc.c.why,
			"larger than the 10 bytes of configuration text left in "
			"this boot (hop's budget)");
		/* an include past what is left: the parser's sentence */
		memset(big, '#', sizeof(big) - 1);
		big[sizeof(big) - 2] = '\n';
		fixture_put(root, "/big.inc", big, sizeof(big) - 1);
		fixture_put(root, "/fan.conf", "include big.inc\nlabel x\n kernel /k\n", 35);
		b.read = 1000;
		err = bootsel_read(root, NULL, "/fan.conf", &b, &fc);
		CHECK_INT("bootsel_read(include past the budget)", err, -E2BIG);
		CHECK(strstr(fc.c.why, "fan.conf:1: more than 4194304 bytes of "
			"configuration text in this boot (hop's budget)") != NULL,
			"bootsel_read(include past the budget) why = %s", fc.c.why);
		bootcfg_budget_default(&b);
		err = bootsel_read(root, NULL, "/boot.cfg", &b, &fc);
		CHECK_INT("bootsel_read(budget)", err, 0);
		CHECK(b.read < 4u << 20 && b.files == 255 && b.entries < 1024,
			"bootsel_read(budget) left read %zu files %zu entries "
			"%zu; want each spent", b.read, b.files, b.entries);
		bootcfg_free(&fc.c);
	}

	/* refusals: a missing file, a binary file, a file with no entry */
	err = bootsel_read(root, NULL, "/nosuch/extlinux.conf", NULL, &fc);
	CHECK_INT("bootsel_read(missing)", err, -ENOENT);
	CHECK_STR("bootsel_read(missing) why", fc.c.why,
		"No such file or directory (ENOENT)");
	fixture_put(root, "/bin.conf", "label x\0kernel /k\n", 18);
	err = bootsel_read(root, NULL, "/bin.conf", NULL, &fc);
	CHECK_INT("bootsel_read(NUL bytes)", err, -EILSEQ);
	CHECK_STR("bootsel_read(NUL bytes) why", fc.c.why,
		"not a text file: it holds NUL bytes (EILSEQ)");
	PUT("/empty.conf", "# nothing\n");
	err = bootsel_read(root, NULL, "/empty.conf", NULL, &fc);
	CHECK_INT("bootsel_read(no entry)", err, -ENOENT);
	bootcfg_free(&fc.c);
}

static void test_find(void)
{
	struct found_config fc;
	const char *log;
	int err;

	fresh();
	err = bootsel_find(root, "/dev/vdb", NULL, &fc);
	CHECK_INT("bootsel_find(empty fs)", err, -ENOENT);

	/* grub alone is found; an extlinux.conf that parses is preferred;
	 * one that is refused is skipped with a warning */
	PUT("/boot/grub/grub.cfg", "menuentry 'G' {\n linux /g\n}\n");
	err = bootsel_find(root, "/dev/vdb", NULL, &fc);
	CHECK_INT("bootsel_find(grub)", err, 0);
	if (!err) {
		CHECK_STR("bootsel_find(grub) shown", fc.shown,
			"/dev/vdb:/boot/grub/grub.cfg");
		bootcfg_free(&fc.c);
	}
	PUT("/extlinux/extlinux.conf", "label x\n kernel /x\n");
	err = bootsel_find(root, "/dev/vdb", NULL, &fc);
	CHECK_INT("bootsel_find(extlinux first)", err, 0);
	if (!err) {
		CHECK_INT("bootsel_find(extlinux first) kind", fc.kind,
			BOOTCFG_EXTLINUX);
		bootcfg_free(&fc.c);
	}
	PUT("/extlinux/extlinux.conf", "menu title nothing to boot\n");
	capture_start();
	err = bootsel_find(root, "/dev/vdb", NULL, &fc);
	log = capture_end();
	CHECK_INT("bootsel_find(broken extlinux)", err, 0);
	if (!err) {
		CHECK_INT("bootsel_find(broken extlinux) kind", fc.kind,
			BOOTCFG_GRUB);
		bootcfg_free(&fc.c);
	}
	CHECK(strstr(log, "hop: warning: /dev/vdb:/extlinux/extlinux.conf: "
		"skipped: ") == log, "bootsel_find(broken extlinux) log = %s",
		log);
}

/* the places an ISO, an ESP and an ESXi disk keep theirs, and boot.cfg
 * told apart by its text */
static void test_find_more(void)
{
	struct found_config fc;
	const char *log;
	int err;

	fresh();
	/* an ESP: Fedora's stub grub.cfg (a configfile, no entry) is
	 * skipped with a warning, the next vendor in name order is read;
	 * BOOT is not a vendor */
	PUT("/EFI/BOOT/grub.cfg", "menuentry 'B' {\n linux /b\n}\n");
	PUT("/EFI/fedora/grub.cfg", "search --no-floppy --fs-uuid --set=dev "
		"5f2e\nset prefix=($dev)/grub2\nexport $prefix\n"
		"configfile $prefix/grub.cfg\n");
	PUT("/EFI/ubuntu/grub.cfg", "menuentry 'Ubuntu' {\n linux /vmlinuz\n"
		"}\n");
	capture_start();
	err = bootsel_find(root, "/dev/vda1", NULL, &fc);
	log = capture_end();
	CHECK_INT("bootsel_find(ESP)", err, 0);
	if (!err) {
		CHECK_STR("bootsel_find(ESP) shown", fc.shown,
			"/dev/vda1:/EFI/ubuntu/grub.cfg");
		CHECK_INT("bootsel_find(ESP) kind", fc.kind, BOOTCFG_GRUB);
		bootcfg_free(&fc.c);
	}
	CHECK(strstr(log, "hop: warning: /dev/vda1:/EFI/fedora/grub.cfg: "
		"skipped: ") == log, "bootsel_find(ESP) log = %s", log);
	/* without a vendor's: /EFI/BOOT, by its lower-case name as vfat and
	 * iso9660 answer it (here: ext4 holds /efi as written) */
	fresh();
	PUT("/efi/boot/grub.cfg", "menuentry 'B' {\n linux /b\n}\n");
	PUT("/efi/nixos/other.cfg", "");
	err = bootsel_find(root, NULL, NULL, &fc);
	CHECK_INT("bootsel_find(efi/boot)", err, 0);
	if (!err) {
		CHECK_STR("bootsel_find(efi/boot) shown", fc.shown,
			"/efi/boot/grub.cfg");
		bootcfg_free(&fc.c);
	}
	/* isolinux before grub on a hybrid ISO; loopback.cfg read as grub
	 * when it is all there is */
	fresh();
	PUT("/boot/grub/loopback.cfg", "menuentry 'Try' {\n"
		" linux /casper/vmlinuz iso-scan/filename=${iso_path}\n}\n");
	err = bootsel_find(root, NULL, NULL, &fc);
	CHECK_INT("bootsel_find(loopback)", err, 0);
	if (!err) {
		CHECK_INT("bootsel_find(loopback) kind", fc.kind, BOOTCFG_GRUB);
		bootcfg_free(&fc.c);
	}
	PUT("/isolinux/isolinux.cfg", "default vesamenu.c32\nlabel live\n"
		"  kernel /casper/vmlinuz\nlabel check\n  menu default\n"
		"  kernel /casper/vmlinuz\n");
	err = bootsel_find(root, NULL, NULL, &fc);
	CHECK_INT("bootsel_find(isolinux)", err, 0);
	if (!err) {
		CHECK_STR("bootsel_find(isolinux) shown", fc.shown,
			"/isolinux/isolinux.cfg");
		CHECK_INT("bootsel_find(isolinux) def", fc.c.def, 1);
		bootcfg_free(&fc.c);
	}

	/* boot.cfg: ESXi's by its lower-case kernel= and modules=, else
	 * kexecboot's; an ESXi ISO's /efi/boot/boot.cfg */
	CHECK_INT("bootsel_is_esxi(esxi)", bootsel_is_esxi("bootstate=0\n"
		"kernel=/b.b00\nkernelopt=runweasel\nmodules=/a --- /b\n"), 1);
	CHECK_INT("bootsel_is_esxi(blanks)", bootsel_is_esxi("  kernel = b\r\n"
		"\tmodules =a\r\n"), 1);
	CHECK_INT("bootsel_is_esxi(kexecboot)", bootsel_is_esxi("LABEL=x\n"
		"KERNEL=/boot/zImage\nAPPEND=quiet\n"), 0);
	CHECK_INT("bootsel_is_esxi(no modules)", bootsel_is_esxi("kernel=/b\n"
		"kernelopt=x\n"), 0);
	CHECK_INT("bootsel_is_esxi(modules in a value)", bootsel_is_esxi(
		"kernel=/b\nAPPEND=modules=x\n"), 0);
	CHECK_INT("bootsel_is_esxi(empty)", bootsel_is_esxi(""), 0);
	fresh();
	PUT("/efi/boot/boot.cfg", "bootstate=0\ntitle=Loading ESXi installer\n"
		"timeout=5\nprefix=\nkernel=/b.b00\nkernelopt=runweasel\n"
		"modules=/jumpstrt.gz --- /useropts.gz --- /k.b00\n");
	err = bootsel_find(root, "/dev/sr0", NULL, &fc);
	CHECK_INT("bootsel_find(ESXi)", err, 0);
	if (!err) {
		CHECK_INT("bootsel_find(ESXi) kind", fc.kind, BOOTCFG_ESXI);
		CHECK_STR("bootsel_find(ESXi) name",
			bootcfg_kind_name(fc.kind), "ESXi");
		CHECK_INT("bootsel_find(ESXi) modules", fc.c.n ?
			fc.c.e[0].nmodule : 0, 3);
		bootcfg_free(&fc.c);
	}
	PUT("/boot.cfg", "LABEL=yocto\nKERNEL=/boot/zImage\n");
	err = bootsel_find(root, "/dev/sr0", NULL, &fc);
	CHECK_INT("bootsel_find(kexecboot first)", err, 0);
	if (!err) {
		CHECK_INT("bootsel_find(kexecboot) kind", fc.kind,
			BOOTCFG_KEXECBOOT);
		bootcfg_free(&fc.c);
	}
}

/* /EFI of a hostile disk: more names than the budget lists, a grub.cfg
 * that is a folder, a vendor name too long for a path */
static void test_find_hostile(void)
{
	struct bootcfg_budget b;
	struct found_config fc;
	char rel[64], name[300];
	const char *log;
	int i, err;

	fresh();
	for (i = 0; i < 40; i++) {
		snprintf(rel, sizeof(rel), "/EFI/v%02d/x", i);
		PUT(rel, "");
	}
	PUT("/EFI/v39/grub.cfg", "menuentry 'V' {\n linux /v\n}\n");
	bootcfg_budget_default(&b);
	b.listed = 10;
	capture_start();
	err = bootsel_find(root, NULL, &b, &fc);
	log = capture_end();
	CHECK_INT("bootsel_find(40 vendors, 10 names left)", err, -ENOENT);
	CHECK(strstr(log, "hop: warning: /EFI: more than the 10 names left "
		"to list in this boot (hop's budget): its folders not "
		"searched") == log, "bootsel_find(40 vendors) log = %s", log);
	CHECK_INT("bootsel_find(40 vendors) listed", b.listed, 10);
	bootcfg_budget_default(&b);
	err = bootsel_find(root, NULL, &b, &fc);
	CHECK_INT("bootsel_find(40 vendors)", err, 0);
	CHECK_INT("bootsel_find(40 vendors) listed", b.listed, 4096 - 40);
	if (!err) {
		bootcfg_free(&fc.c);
	}
	fresh();
	memset(name, 'n', 250);
	name[250] = '\0';
	snprintf(rel, sizeof(rel), "/EFI/a/grub.cfg/x");
	PUT(rel, "");
	snprintf(name + 250, sizeof(name) - 250, "/x");
	{
		char deep[320];

		snprintf(deep, sizeof(deep), "/EFI/%s", name);
		PUT(deep, "");
	}
	err = bootsel_find(root, NULL, NULL, &fc);
	CHECK_INT("bootsel_find(grub.cfg a folder)", err, -ENOENT);
}

static void test_looked_for(void)
{
	CHECK_STR("bootsel_looked_for", bootsel_looked_for(),
		"extlinux.conf, syslinux.cfg, isolinux.cfg, loader/entries, "
		"EFI/Linux, grub.cfg, loopback.cfg, boot.cfg");
	CHECK_STR("bootcfg_kind_name(BLS)", bootcfg_kind_name(BOOTCFG_BLS),
		"BLS");
}

static void test_entry_source(void)
{
	struct found_config fc;
	struct boot_entry e;
	char *s;

	memset(&fc, 0, sizeof(fc));
	memset(&e, 0, sizeof(e));
	snprintf(fc.fsroot, sizeof(fc.fsroot), "/run/hop/mnt/vda1");
	snprintf(fc.dev, sizeof(fc.dev), "/dev/vda1");
	/* the device, not its mount: opened inside its file system */
	s = bootsel_source(&fc, &e, "/boot/vmlinuz");
	CHECK_STR("bootsel_source(device)", s, "/dev/vda1:/boot/vmlinuz");
	free(s);
	s = bootsel_source(&fc, &e, "vmlinuz");
	CHECK_STR("bootsel_source(relative)", s, "/dev/vda1:/vmlinuz");
	free(s);
	snprintf(fc.dev, sizeof(fc.dev), "LABEL=boot");
	s = bootsel_source(&fc, &e, "/../../init");
	CHECK_STR("bootsel_source(label, ..)", s, "LABEL=boot:/../../init");
	free(s);
	fc.fsroot[0] = '\0';
	fc.dev[0] = '\0';
	s = bootsel_source(&fc, &e, "/k");
	CHECK_STR("bootsel_source(initramfs)", s, "/k");
	free(s);
	e.search_uuid = "1234-ABCD";
	s = bootsel_source(&fc, &e, "/k");
	CHECK_STR("bootsel_source(uuid)", s, "UUID=1234-ABCD:/k");
	free(s);
	e.search_label = "root";
	s = bootsel_source(&fc, &e, "/k");
	CHECK_STR("bootsel_source(label)", s, "LABEL=root:/k");
	free(s);
}

/* a configuration from a server: its paths are on that server, never
 * this machine's (a device, the initramfs), whatever they say */
static void test_url_config(void)
{
	static const char *const vars[] = { "mac=52:54:00:12:34:56", NULL };
	struct bootcfg_budget budget;
	struct found_config fc;
	struct boot_entry e;
	char *s;

	bootcfg_budget_default(&budget);
	CHECK_INT("parse_url(pxelinux)", bootsel_parse_url("default a\n"
		"label a\n kernel vmlinuz\n initrd ../i.img\n", "tftp://10.0.2.2/"
		"boot/pxelinux.cfg/01-52-54-00-12-34-56", "tftp://10.0.2.2/boot/",
		NULL, &budget, &fc), 0);
	CHECK_INT("kind", fc.kind, BOOTCFG_EXTLINUX);
	CHECK_STR("shown", fc.shown, "tftp://10.0.2.2/boot/pxelinux.cfg/"
		"01-52-54-00-12-34-56");
	/* pxelinux's rule: relative to the prefix, not to pxelinux.cfg/ */
	s = bootsel_source(&fc, &fc.c.e[0], fc.c.e[0].kernel);
	CHECK_STR("pxe kernel", s, "tftp://10.0.2.2/boot/vmlinuz");
	free(s);
	s = bootsel_source(&fc, &fc.c.e[0], fc.c.e[0].initrd[0]);
	CHECK_STR("pxe initrd", s, "tftp://10.0.2.2/i.img");
	free(s);
	bootcfg_free(&fc.c);

	/* petitboot's rule, and an iPXE script told by its first line */
	CHECK_INT("parse_url(ipxe)", bootsel_parse_url("#!ipxe\nkernel k "
		"m=${mac}\ninitrd /abs.img\nboot\n", "http://h:8080/a/b/menu",
		NULL, vars, &budget, &fc), 0);
	CHECK_INT("ipxe kind", fc.kind, BOOTCFG_IPXE);
	CHECK_STR("ipxe cmdline", fc.c.e[0].cmdline, "m=52:54:00:12:34:56");
	s = bootsel_source(&fc, &fc.c.e[0], fc.c.e[0].kernel);
	CHECK_STR("ipxe kernel", s, "http://h:8080/a/b/k");
	free(s);
	s = bootsel_source(&fc, &fc.c.e[0], fc.c.e[0].initrd[0]);
	CHECK_STR("ipxe initrd", s, "http://h:8080/abs.img");
	free(s);
	/* what would be a device or the initramfs on a disk stays on the
	 * server; what makes no URL is nothing at all */
	memset(&e, 0, sizeof(e));
	s = bootsel_source(&fc, &e, "LABEL=boot:/vmlinuz");
	CHECK(s && !strncmp(s, "http://h:8080/", 14), "LABEL= from a server: "
		"%s", s ? s : "(null)");
	free(s);
	s = bootsel_source(&fc, &e, "/init");
	CHECK_STR("initramfs path from a server", s, "http://h:8080/init");
	free(s);
	e.search_label = "boot";	/* grub's search: not on a server */
	s = bootsel_source(&fc, &e, "/vmlinuz");
	CHECK_STR("search from a server", s, "http://h:8080/vmlinuz");
	free(s);
	capture_start();
	CHECK(bootsel_source(&fc, &e, "/k\x80") == NULL,
		"a non-ASCII path made a source");
	CHECK(bootsel_source(&fc, &e, "file:///etc/passwd") == NULL,
		"file: made a source");
	CHECK(strstr(capture_end(), "hop: error: http://h:8080/a/b/menu: "
		"'file:///etc/passwd': not an http://, https:// or tftp:// URL"),
		"the refusal is not said");
	bootcfg_free(&fc.c);
}

/* a tree whose root compatible is the list given (NUL-separated) */
static void put_dtb(const char *rel, const char *compat, int len)
{
	static char buf[1024] __attribute__((aligned(8)));

	fdt_create_empty_tree(buf, sizeof(buf));
	fdt_setprop(buf, 0, "compatible", compat, len);
	fixture_put(root, rel, buf, fdt_totalsize(buf));
}

static void test_fdtdir(void)
{
	static const char board[] = "pine64,rockpro64-v2.1\0pine64,rockpro64"
		"\0rockchip,rk3399";
	static char tree[1024] __attribute__((aligned(8)));
	char *out = NULL;
	int err;

	fdt_create_empty_tree(tree, sizeof(tree));
	fdt_setprop(tree, 0, "compatible", board, sizeof(board));
	CHECK_INT("bootsel_fdt_compatible(first)", bootsel_fdt_compatible(tree,
		sizeof(tree), "pine64,rockpro64-v2.1"), 1);
	CHECK_INT("bootsel_fdt_compatible(last)", bootsel_fdt_compatible(tree,
		sizeof(tree), "rockchip,rk3399"), 1);
	CHECK_INT("bootsel_fdt_compatible(other)", bootsel_fdt_compatible(tree,
		sizeof(tree), "rockchip"), 0);
	CHECK_INT("bootsel_fdt_compatible(short)", bootsel_fdt_compatible(tree,
		16, "rockchip,rk3399"), 0);
	CHECK_INT("bootsel_fdt_compatible(not a tree)",
		bootsel_fdt_compatible("hello, world, and more bytes than a "
		"header", 40, "x"), 0);

	fresh();
	/* as Debian installs them: /usr/lib/linux-image-VER/VENDOR/BOARD.dtb;
	 * the file name says nothing of the compatible */
	put_dtb("/dtbs/allwinner/sun50i-a64-pine64.dtb",
		"pine64,pine64\0allwinner,sun50i-a64", 35);
	put_dtb("/dtbs/rockchip/rk3399-rockpro64.dtb", board, sizeof(board));
	put_dtb("/dtbs/rockchip/rk3399-rockpro64-v2.dtb", "x,y", 4);
	PUT("/dtbs/rockchip/README.dtb", "not a tree at all");
	err = bootsel_fdtdir(root, "/dtbs/", "pine64,rockpro64-v2.1", &out);
	CHECK_INT("bootsel_fdtdir(vendor folder)", err, 0);
	CHECK_STR("bootsel_fdtdir(vendor folder) file", out,
		"/dtbs/rockchip/rk3399-rockpro64.dtb");
	free(out);
	put_dtb("/dtbs/virt.dtb", "linux,dummy-virt", 17);
	err = bootsel_fdtdir(root, "dtbs", "linux,dummy-virt", &out);
	CHECK_INT("bootsel_fdtdir(top)", err, 0);
	CHECK_STR("bootsel_fdtdir(top) file", out, "/dtbs/virt.dtb");
	free(out);
	CHECK_INT("bootsel_fdtdir(none)", bootsel_fdtdir(root, "/dtbs",
		"ti,am335x-bone", &out), -ENOENT);
	CHECK_INT("bootsel_fdtdir(no folder)", bootsel_fdtdir(root, "/nosuch",
		"x,y", &out), -ENOENT);
	/* a folder of more names than hop reads: searched no further, and
	 * told (E2BIG), even though the tree is there (its name sorts last) */
	{
		char name[128];
		int i;

		put_dtb("/many/z.dtb", "linux,dummy-virt", 17);
		for (i = 0; i < BOOTSEL_LIST_MAX; i++) {
			snprintf(name, sizeof(name), "%s/many/n%05d", root, i);
			close(open(name, O_WRONLY | O_CREAT, 0644));
		}
		CHECK_INT("bootsel_fdtdir(too many names)", bootsel_fdtdir(root,
			"/many", "linux,dummy-virt", &out), -E2BIG);
		/* the names of the whole search count, not each folder's:
		 * three folders of 2000, the tree in the third */
		for (i = 0; i < 6000; i++) {
			snprintf(name, sizeof(name), "%s/wide/%c/n%05d", root,
				'a' + i / 2000, i);
			if (i % 2000 == 0) {
				char d[128];

				snprintf(d, sizeof(d), "%s/wide/%c", root,
					'a' + i / 2000);
				fixture_put(d, "/.keep", "", 0);
			}
			close(open(name, O_WRONLY | O_CREAT, 0644));
		}
		put_dtb("/wide/c/z.dtb", "linux,dummy-virt", 17);
		CHECK_INT("bootsel_fdtdir(too many names in all)",
			bootsel_fdtdir(root, "/wide", "linux,dummy-virt", &out),
			-E2BIG);
	}
}

static void test_candidates(void)
{
	struct found_config fc[2];
	struct boot_entry e1[3], e2[2];
	struct candidate *o;
	char got[64];
	size_t ci, ei;
	int n, i;

	memset(fc, 0, sizeof(fc));
	memset(e1, 0, sizeof(e1));
	memset(e2, 0, sizeof(e2));
	e1[0].label = "a";
	e1[1].label = "b";
	e1[2].label = "c";
	e1[2].title = "Rescue";
	e2[0].label = "x";
	e2[1].label = "y";
	fc[0].c.e = e1;
	fc[0].c.n = 3;
	fc[0].c.def = 1;
	fc[1].c.e = e2;
	fc[1].c.n = 2;
	fc[1].c.def = 1;

	CHECK_INT("bootsel_want(default)", bootsel_want(fc, 2, NULL, &ci, &ei),
		0);
	CHECK(ci == 0 && ei == 1, "bootsel_want(default) = %zu,%zu", ci, ei);
	CHECK_INT("bootsel_want(y)", bootsel_want(fc, 2, "y", &ci, &ei), 0);
	CHECK(ci == 1 && ei == 1, "bootsel_want(y) = %zu,%zu", ci, ei);
	CHECK_INT("bootsel_want(title)", bootsel_want(fc, 2, "Rescue", &ci,
		&ei), 0);
	CHECK(ci == 0 && ei == 2, "bootsel_want(title) = %zu,%zu", ci, ei);
	CHECK_INT("bootsel_want(number)", bootsel_want(fc, 2, "0", &ci, &ei),
		0);
	CHECK(ci == 0 && ei == 0, "bootsel_want(0) = %zu,%zu", ci, ei);
	/* numbers run on into the second configuration, as hop.menu shows */
	CHECK_INT("bootsel_want(3)", bootsel_want(fc, 2, "3", &ci, &ei), 0);
	CHECK(ci == 1 && ei == 0, "bootsel_want(3) = %zu,%zu", ci, ei);
	CHECK_INT("bootsel_want(5)", bootsel_want(fc, 2, "5", &ci, &ei),
		-ENOENT);
	CHECK_INT("bootsel_want(none)", bootsel_want(fc, 2, "zz", &ci, &ei),
		-ENOENT);
	CHECK(ci == 0 && ei == 1, "bootsel_want(none) = %zu,%zu", ci, ei);

	/* from b: c, then a, then the other configuration from its default */
	n = bootsel_candidates(fc, 2, 0, 1, &o);
	got[0] = '\0';
	for (i = 0; i < n; i++) {
		strcat(got, fc[o[i].cfg].c.e[o[i].entry].label);
	}
	CHECK_STR("bootsel_candidates(b)", got, "bcayx");
	free(o);
	n = bootsel_candidates(fc, 2, 1, 0, &o);
	got[0] = '\0';
	for (i = 0; i < n; i++) {
		strcat(got, fc[o[i].cfg].c.e[o[i].entry].label);
	}
	CHECK_STR("bootsel_candidates(x)", got, "xybca");
	free(o);
}

void test_bootsel(void)
{
	test_kind();
	test_read();
	test_find();
	test_entry_source();
	test_url_config();
	test_looked_for();
	test_find_more();
	test_find_hostile();
	test_fdtdir();
	test_candidates();
	if (root[0]) {
		char cmd[128];

		snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
		CHECK_INT("cleanup", system(cmd), 0);
	}
}
