/* syslinux/isolinux configurations as the ISOs' generators write them
 * (CentOS/RHEL anaconda, debian-cd, Qubes, XenServer, ESXi's isolinux.cfg),
 * what syslinux boots and hop does not (COM32 modules, boot sectors,
 * localboot), multiboot through mboot.c32, linux.c32, the default's
 * rules, includes that are missing; and ESXi's boot.cfg. Hostile and huge
 * inputs for each construct. Fixtures are written here, from what the
 * generators produce; files come from an in-memory table. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg.h"
#include "test.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* what one entry holds: label, kernel, cmdline, initrd[0], ninitrd,
 * multiboot, nmodule, module[0], module_cmdline[0] (NULL: NULL) */
struct want {
	const char *label, *kernel, *cmdline, *initrd0;
	size_t ninitrd;
	int multiboot;
	size_t nmodule;
	const char *mod0, *modcmd0;
};

static void check_entries(const char *what, const struct boot_config *c,
	const struct want *w, size_t n)
{
	size_t i;

	CHECK(c->n == n, "%s n = %zu; want %zu (why: %s; note: %s)", what,
		c->n, n, c->why, c->note);
	for (i = 0; i < n && i < c->n; i++) {
		const struct boot_entry *e = &c->e[i];

		check_entry_str(what, i, "label", e->label, w[i].label);
		check_entry_str(what, i, "kernel", e->kernel, w[i].kernel);
		check_entry_str(what, i, "cmdline", e->cmdline, w[i].cmdline);
		check_entry_str(what, i, "initrd[0]", e->ninitrd ? e->initrd[0] :
			NULL, w[i].initrd0);
		CHECK(e->ninitrd == w[i].ninitrd, "%s e[%zu].ninitrd = %zu; "
			"want %zu", what, i, e->ninitrd, w[i].ninitrd);
		CHECK(e->multiboot == w[i].multiboot, "%s e[%zu].multiboot = "
			"%d; want %d", what, i, e->multiboot, w[i].multiboot);
		CHECK(e->nmodule == w[i].nmodule, "%s e[%zu].nmodule = %zu; "
			"want %zu", what, i, e->nmodule, w[i].nmodule);
		check_entry_str(what, i, "module[0]", e->nmodule ? e->module[0] :
			NULL, w[i].mod0);
		check_entry_str(what, i, "module_cmdline[0]", e->nmodule ?
			e->module_cmdline[0] : NULL, w[i].modcmd0);
	}
}

static void check_refused(const char *what, int r, const struct boot_config *c,
	int err, const char *why)
{
	CHECK(r == err, "%s = %d; want %d (why: %s)", what, r, err, c->why);
	CHECK(!strcmp(c->why, why), "%s why = \"%s\"; want \"%s\"", what,
		c->why, why);
	CHECK(c->n == 0 && c->e == NULL, "%s n = %zu; want 0", what, c->n);
}

/* ---- CentOS 7's isolinux.cfg, as anaconda's lorax templates write it:
 * "default vesamenu.c32", the second label the MENU DEFAULT, a
 * Troubleshooting submenu with text help blocks, memtest, localboot and
 * a "menu exit" label. Today's bug: entry 0 (Install) booted, where
 * syslinux boots "check". ---- */
static const char centos7[] =
	"default vesamenu.c32\n"
	"timeout 600\n"
	"\n"
	"display boot.msg\n"
	"\n"
	"# Clear the screen when exiting the menu.\n"
	"menu clear\n"
	"menu background splash.png\n"
	"menu title CentOS 7\n"
	"menu vshift 8\n"
	"menu rows 18\n"
	"menu margin 8\n"
	"menu helpmsgrow 15\n"
	"menu tabmsgrow 13\n"
	"menu color border * #00000000 #00000000 none\n"
	"menu tabmsg Press Tab for full configuration options on menu items.\n"
	"menu separator # insert an empty line\n"
	"menu separator # insert an empty line\n"
	"\n"
	"label linux\n"
	"  menu label ^Install CentOS 7\n"
	"  kernel vmlinuz\n"
	"  append initrd=initrd.img "
	"inst.stage2=hd:LABEL=CentOS\\x207\\x20x86_64"
	" quiet\n"
	"\n"
	"label check\n"
	"  menu label Test this ^media & install CentOS 7\n"
	"  menu default\n"
	"  kernel vmlinuz\n"
	"  append initrd=initrd.img "
	"inst.stage2=hd:LABEL=CentOS\\x207\\x20x86_64"
	" rd.live.check quiet\n"
	"\n"
	"menu separator # insert an empty line\n"
	"\n"
	"# utilities submenu\n"
	"menu begin ^Troubleshooting\n"
	"  menu title Troubleshooting\n"
	"\n"
	"label vesa\n"
	"  menu indent count 5\n"
	"  menu label Install CentOS 7 in ^basic graphics mode\n"
	"  text help\n"
	"\tTry this option out if you're having trouble installing\n"
	"\tCentOS 7.\n"
	"  endtext\n"
	"  kernel vmlinuz\n"
	"  append initrd=initrd.img "
	"inst.stage2=hd:LABEL=CentOS\\x207\\x20x86_64"
	" xdriver=vesa nomodeset quiet\n"
	"\n"
	"label rescue\n"
	"  menu indent count 5\n"
	"  menu label ^Rescue a CentOS system\n"
	"  kernel vmlinuz\n"
	"  append initrd=initrd.img "
	"inst.stage2=hd:LABEL=CentOS\\x207\\x20x86_64"
	" rescue quiet\n"
	"\n"
	"label memtest\n"
	"  menu label Run a ^memory test\n"
	"  kernel memtest\n"
	"\n"
	"menu separator # insert an empty line\n"
	"\n"
	"label local\n"
	"  menu label Boot from ^local drive\n"
	"  localboot 0xffff\n"
	"\n"
	"menu separator # insert an empty line\n"
	"\n"
	"label returntomain\n"
	"  menu label Return to ^main menu\n"
	"  menu exit\n"
	"\n"
	"menu end\n";

#define C7 "inst.stage2=hd:LABEL=CentOS\\x207\\x20x86_64"
static const struct want centos7_want[] = {
	{ "linux", "/isolinux/vmlinuz", "initrd=initrd.img " C7 " quiet",
		"/isolinux/initrd.img", 1, 0, 0, NULL, NULL },
	{ "check", "/isolinux/vmlinuz", "initrd=initrd.img " C7
		" rd.live.check quiet", "/isolinux/initrd.img", 1, 0, 0, NULL,
		NULL },
	{ "vesa", "/isolinux/vmlinuz", "initrd=initrd.img " C7
		" xdriver=vesa nomodeset quiet", "/isolinux/initrd.img", 1, 0,
		0, NULL, NULL },
	{ "rescue", "/isolinux/vmlinuz", "initrd=initrd.img " C7
		" rescue quiet", "/isolinux/initrd.img", 1, 0, 0, NULL, NULL },
	{ "memtest", "/isolinux/memtest", NULL, NULL, 0, 0, 0, NULL, NULL },
};

/* ---- debian-cd's isolinux tree: isolinux.cfg includes menu.cfg, then
 * "default vesamenu.c32" replaces gtk.cfg's "default installgui"; the
 * Advanced submenu includes more files; "config prompt.cfg" is a label
 * action, not Linux; spkgtk.cfg is left out of this copy (a missing
 * include, which syslinux skips) ---- */
static const struct memfs_file debian_fs[] = {
	{ "/isolinux/isolinux.cfg",
		"# D-I config version 2.0\n"
		"# search path for the c32 support libraries\n"
		"path \n"
		"include menu.cfg\n"
		"default vesamenu.c32\n"
		"prompt 0\n"
		"timeout 0\n" },
	{ "/isolinux/menu.cfg",
		"menu hshift 4\n"
		"menu width 70\n"
		"\n"
		"menu title Debian GNU/Linux installer menu (BIOS mode)\n"
		"include stdmenu.cfg\n"
		"include gtk.cfg\n"
		"include txt.cfg\n"
		"menu begin advanced\n"
		"    menu label ^Advanced options\n"
		"\tmenu title Advanced options\n"
		"\tinclude stdmenu.cfg\n"
		"\tlabel mainmenu\n"
		"\t\tmenu label ^Back..\n"
		"\t\tmenu exit\n"
		"\tinclude adgtk.cfg\n"
		"\tinclude adtxt.cfg\n"
		"menu end\n"
		"include spkgtk.cfg\n"
		"label help\n"
		"\tmenu label ^Help\n"
		"\ttext help\n"
		"   Display help screens; type 'menu' at boot prompt to return "
		"to this menu\n"
		"\tendtext\n"
		"\tconfig prompt.cfg\n" },
	{ "/isolinux/stdmenu.cfg",
		"menu background splash.png\n"
		"menu color title\t* #FFFFFFFF *\n"
		"menu color border\t* #00000000 #00000000 none\n"
		"menu vshift 12\n"
		"menu rows 10\n"
		"menu tabmsg Press ENTER to boot or TAB to edit a menu "
		"entry\n" },
	{ "/isolinux/gtk.cfg",
		"default installgui\n"
		"label installgui\n"
		"\tmenu label ^Graphical install\n"
		"\tmenu default\n"
		"\tkernel /install.amd/vmlinuz\n"
		"\tappend vga=788 initrd=/install.amd/gtk/initrd.gz --- "
		"quiet \n" },
	{ "/isolinux/txt.cfg",
		"label install\n"
		"\tmenu label ^Install\n"
		"\tkernel /install.amd/vmlinuz\n"
		"\tappend vga=788 initrd=/install.amd/initrd.gz --- quiet \n" },
	{ "/isolinux/adgtk.cfg",
		"label expertgui\n"
		"\tmenu label Graphical expert install\n"
		"\tkernel /install.amd/vmlinuz\n"
		"\tappend priority=low vga=788 "
		"initrd=/install.amd/gtk/initrd.gz --- \n" },
	{ "/isolinux/adtxt.cfg",
		"label expert\n"
		"\tmenu label E^xpert install\n"
		"\tkernel /install.amd/vmlinuz\n"
		"\tappend priority=low vga=788 initrd=/install.amd/initrd.gz "
		"--- \n"
		"label rescue\n"
		"\tmenu label ^Rescue mode\n"
		"\tkernel /install.amd/vmlinuz\n"
		"\tappend vga=788 initrd=/install.amd/initrd.gz "
		"rescue/enable=true --- quiet \n" },
	{ NULL, NULL },
};

static const struct want debian_want[] = {
	{ "installgui", "/install.amd/vmlinuz", "vga=788 "
		"initrd=/install.amd/gtk/initrd.gz --- quiet",
		"/install.amd/gtk/initrd.gz", 1, 0, 0, NULL, NULL },
	{ "install", "/install.amd/vmlinuz", "vga=788 "
		"initrd=/install.amd/initrd.gz --- quiet",
		"/install.amd/initrd.gz", 1, 0, 0, NULL, NULL },
	{ "expertgui", "/install.amd/vmlinuz", "priority=low vga=788 "
		"initrd=/install.amd/gtk/initrd.gz ---",
		"/install.amd/gtk/initrd.gz", 1, 0, 0, NULL, NULL },
	{ "expert", "/install.amd/vmlinuz", "priority=low vga=788 "
		"initrd=/install.amd/initrd.gz ---", "/install.amd/initrd.gz",
		1, 0, 0, NULL, NULL },
	{ "rescue", "/install.amd/vmlinuz", "vga=788 "
		"initrd=/install.amd/initrd.gz rescue/enable=true --- quiet",
		"/install.amd/initrd.gz", 1, 0, 0, NULL, NULL },
};

/* ---- Qubes R4.1's isolinux.cfg: Xen through syslinux's mboot.c32, paths
 * relative to the isolinux folder ---- */
static const char qubes[] =
	"default vesamenu.c32\n"
	"timeout 600\n"
	"\n"
	"menu autoboot Starting Qubes R4.1.2 in # second{,s}. Press any key "
	"to interrupt.\n"
	"menu title Qubes R4.1.2\n"
	"\n"
	"label linux\n"
	"  menu label ^Install Qubes R4.1.2\n"
	"  kernel mboot.c32\n"
	"  append xen.gz console=none --- vmlinuz "
	"inst.stage2=hd:LABEL=Qubes-R4.1.2-x86_64 i915.alpha_support=1 --- "
	"initrd.img\n"
	"\n"
	"label check\n"
	"  menu label Test this ^media & install Qubes R4.1.2\n"
	"  menu default\n"
	"  kernel mboot.c32\n"
	"  append xen.gz console=none --- vmlinuz "
	"inst.stage2=hd:LABEL=Qubes-R4.1.2-x86_64 rd.live.check --- "
	"initrd.img\n"
	"\n"
	"label local\n"
	"  menu label Boot from ^local drive\n"
	"  localboot 0xffff\n";

static const struct want qubes_want[] = {
	{ "linux", "/isolinux/xen.gz", "console=none", NULL, 0, 1, 2,
		"/isolinux/vmlinuz", "vmlinuz "
		"inst.stage2=hd:LABEL=Qubes-R4.1.2-x86_64 "
		"i915.alpha_support=1" },
	{ "check", "/isolinux/xen.gz", "console=none", NULL, 0, 1, 2,
		"/isolinux/vmlinuz", "vmlinuz "
		"inst.stage2=hd:LABEL=Qubes-R4.1.2-x86_64 rd.live.check" },
};

/* ---- XenServer's /boot/isolinux/isolinux.cfg: upper case, absolute
 * paths, a global "DEFAULT menu.c32", memtest as a COM32 module ---- */
static const char xenserver[] =
	"SERIAL 0 115200\n"
	"DEFAULT menu.c32\n"
	"MENU TITLE XenServer 7.1\n"
	"TIMEOUT 50\n"
	"\n"
	"LABEL install\n"
	"    MENU LABEL ^install\n"
	"    KERNEL mboot.c32\n"
	"    APPEND /boot/xen.gz dom0_max_vcpus=1-16 dom0_mem=max:8192M "
	"com1=115200,8n1 console=com1,vga --- /boot/vmlinuz xencons=hvc "
	"console=hvc0 console=tty0 --- /install.img\n"
	"\n"
	"LABEL no-serial\n"
	"    MENU LABEL install (^no serial)\n"
	"    KERNEL mboot.c32\n"
	"    APPEND /boot/xen.gz dom0_max_vcpus=1-16 dom0_mem=max:8192M "
	"console=vga --- /boot/vmlinuz console=tty0 quiet vga=785 splash "
	"--- /install.img\n"
	"\n"
	"LABEL memtest\n"
	"    MENU LABEL ^memtest\n"
	"    KERNEL memtest.c32\n"
	"\n"
	"LABEL hdt\n"
	"    MENU LABEL ^hardware\n"
	"    COM32 hdt.c32\n";

static const struct want xenserver_want[] = {
	{ "install", "/boot/xen.gz", "dom0_max_vcpus=1-16 dom0_mem=max:8192M "
		"com1=115200,8n1 console=com1,vga", NULL, 0, 1, 2,
		"/boot/vmlinuz", "/boot/vmlinuz xencons=hvc console=hvc0 "
		"console=tty0" },
	{ "no-serial", "/boot/xen.gz", "dom0_max_vcpus=1-16 "
		"dom0_mem=max:8192M console=vga", NULL, 0, 1, 2,
		"/boot/vmlinuz", "/boot/vmlinuz console=tty0 quiet vga=785 "
		"splash" },
};

/* ---- ESXi's isolinux.cfg: its own mboot.c32 reads boot.cfg ---- */
static const char esxi_isolinux[] =
	"DEFAULT menu.c32\n"
	"MENU TITLE ESXi-7.0U3 Boot Menu\n"
	"NOHALT 1\n"
	"PROMPT 0\n"
	"TIMEOUT 80\n"
	"LABEL install\n"
	"  KERNEL mboot.c32\n"
	"  APPEND -c boot.cfg\n"
	"  MENU LABEL ESXi-7.0U3 ^Installer\n"
	"LABEL hddboot\n"
	"  LOCALBOOT 0x80\n"
	"  MENU LABEL ^Boot from local disk\n";

/* ---- the other kernel types, linux.c32, the LINUX keyword ---- */
static const char modules_cfg[] =
	"UI menu.c32\n"
	"LABEL live\n"
	"  COM32 linux.c32\n"
	"  APPEND /casper/vmlinuz initrd=/casper/initrd boot=casper quiet\n"
	"LABEL live2\n"
	"  APPEND boot=casper\n"
	"  KERNEL /boot/syslinux/LINUX.C32\n"
	"LABEL memtest\n"
	"  KERNEL /boot/memtest86+.bin\n"
	"LABEL memtest-linux\n"
	"  LINUX /boot/memtest86+.bin\n"
	"LABEL pxe\n"
	"  KERNEL gpxe.0\n"
	"LABEL dos\n"
	"  KERNEL freedos.bss\n"
	"LABEL grub4dos\n"
	"  KERNEL grub.exe\n"
	"LABEL chain\n"
	"  COM32 chain.c32\n"
	"  APPEND hd0 0\n"
	"LABEL other\n"
	"  CONFIG /boot/other.cfg\n"
	"LABEL floppy\n"
	"  FDIMAGE dos.img\n"
	"LABEL comboot\n"
	"  KERNEL menu.cbt\n"
	"LABEL reboot\n"
	"  COM32 reboot.c32\n"
	"LABEL empty\n"
	"  KERNEL linux.c32\n";

static const struct want modules_want[] = {
	{ "live", "/casper/vmlinuz", "initrd=/casper/initrd boot=casper quiet",
		"/casper/initrd", 1, 0, 0, NULL, NULL },
	{ "live2", "/boot/syslinux/boot=casper", "", NULL, 0, 0, 0, NULL,
		NULL },
	{ "memtest-linux", "/boot/memtest86+.bin", NULL, NULL, 0, 0, 0, NULL,
		NULL },
	/* not an extension syslinux types: a Linux kernel to it too */
	{ "grub4dos", "/boot/syslinux/grub.exe", NULL, NULL, 0, 0, 0, NULL,
		NULL },
};

static void test_isos(void)
{
	struct bootcfg_io io = { memfs_read, NULL, NULL, NULL, NULL };
	struct boot_config c;
	int r;

	bootcfg_init(&c);
	r = bootcfg_extlinux(centos7, "/isolinux/isolinux.cfg", NULL, &c);
	CHECK_INT("centos7", r, 0);
	check_entries("centos7", &c, centos7_want, N(centos7_want));
	/* MENU DEFAULT, as syslinux's menu: DEFAULT names its module */
	CHECK_INT("centos7 def", c.def, 1);
	CHECK_INT("centos7 choose", bootcfg_choose(&c, NULL), 1);
	CHECK_INT("centos7 timeout_ds", c.timeout_ds, 600);
	/* localboot, and returntomain without a kernel */
	CHECK_INT("centos7 nnotes", c.nnotes, 2);
	CHECK_STR("centos7 note", c.note, "isolinux.cfg:61: 'local': localboot "
		"0xffff boots the local disk, not Linux: skipped");
	bootcfg_free(&c);

	io.ctx = (void *)debian_fs;
	r = bootcfg_extlinux(debian_fs[0].text, debian_fs[0].path, &io, &c);
	CHECK_INT("debian", r, 0);
	check_entries("debian", &c, debian_want, N(debian_want));
	CHECK_INT("debian def", c.def, 0);
	/* the missing spkgtk.cfg, help's config, mainmenu's menu exit */
	CHECK_INT("debian nnotes", c.nnotes, 3);
	CHECK_STR("debian note", c.note, "menu.cfg:18: include spkgtk.cfg: "
		"not found, skipped");
	bootcfg_free(&c);

	r = bootcfg_extlinux(qubes, "/isolinux/isolinux.cfg", NULL, &c);
	CHECK_INT("qubes", r, 0);
	check_entries("qubes", &c, qubes_want, N(qubes_want));
	CHECK_INT("qubes def", c.def, 1);
	if (c.n == 2 && c.e[1].nmodule == 2) {
		CHECK_STR("qubes module[1]", c.e[1].module[1],
			"/isolinux/initrd.img");
		CHECK_STR("qubes module_cmdline[1]", c.e[1].module_cmdline[1],
			"initrd.img");
	}
	bootcfg_free(&c);

	r = bootcfg_extlinux(xenserver, "/boot/isolinux/isolinux.cfg", NULL,
		&c);
	CHECK_INT("xenserver", r, 0);
	check_entries("xenserver", &c, xenserver_want, N(xenserver_want));
	/* DEFAULT menu.c32 is the menu, no label: no note for it */
	CHECK_INT("xenserver def", c.def, -1);
	CHECK_INT("xenserver nnotes", c.nnotes, 2);
	CHECK_STR("xenserver note", c.note, "isolinux.cfg:18: 'memtest': "
		"KERNEL memtest.c32 boots a COM32 module, not Linux: skipped");
	if (c.n == 2 && c.e[0].nmodule == 2) {
		CHECK_STR("xenserver module[1]", c.e[0].module[1],
			"/install.img");
	}
	bootcfg_free(&c);

	r = bootcfg_extlinux(esxi_isolinux, "/isolinux.cfg", NULL, &c);
	check_refused("esxi isolinux", r, &c, -ENOENT, "isolinux.cfg: no "
		"Linux entry (2 not Linux, 0 without a kernel)");
	CHECK_STR("esxi isolinux note", c.note, "isolinux.cfg:11: 'hddboot': "
		"LOCALBOOT 0x80 boots the local disk, not Linux: skipped");
	bootcfg_free(&c);

	r = bootcfg_extlinux(modules_cfg, "/boot/syslinux/syslinux.cfg", NULL,
		&c);
	CHECK_INT("modules", r, 0);
	check_entries("modules", &c, modules_want, N(modules_want));
	/* memtest, pxe, dos, chain, other, floppy, comboot, reboot, then
	 * empty (linux.c32 without a path) */
	CHECK_INT("modules nnotes", c.nnotes, 9);
	CHECK_STR("modules note", c.note, "syslinux.cfg:9: 'memtest': KERNEL "
		"/boot/memtest86+.bin boots a boot sector, not Linux: skipped");
	bootcfg_free(&c);
}

/* ---- the default: ONTIMEOUT, then DEFAULT naming a label, then the top
 * menu's last MENU DEFAULT, then the first entry ---- */
static const struct {
	const char *name, *text;
	int def;
} defaults[] = {
	{ "menu default, default module",
		"default vesamenu.c32\nlabel a\nkernel /a\n"
		"label b\nmenu default\nkernel /b\n", 1 },
	{ "default label over menu default (before)",
		"default c\nlabel a\nkernel /a\nlabel b\nmenu default\n"
		"kernel /b\nlabel c\nkernel /c\n", 2 },
	{ "default label over menu default (after)",
		"label a\nkernel /a\nlabel b\nmenu default\nkernel /b\n"
		"label c\nkernel /c\ndefault c\n", 2 },
	{ "the last menu default",
		"label a\nmenu default\nkernel /a\nlabel b\nmenu default\n"
		"kernel /b\nlabel c\nkernel /c\n", 1 },
	{ "ontimeout first",
		"default a\nontimeout c\nlabel a\nkernel /a\nlabel b\n"
		"menu default\nkernel /b\nlabel c\nkernel /c\n", 2 },
	{ "ontimeout naming no label",
		"ontimeout nope\nlabel a\nkernel /a\nlabel b\nmenu default\n"
		"kernel /b\n", 1 },
	{ "a submenu's menu default is its own",
		"label a\nkernel /a\nmenu begin sub\nlabel b\nmenu default\n"
		"kernel /b\nmenu end\nlabel c\nkernel /c\n", -1 },
	{ "the top's after a submenu",
		"menu begin sub\nlabel b\nmenu default\nkernel /b\nmenu end\n"
		"label c\nmenu default\nkernel /c\n", 1 },
	{ "menu end without a begin",
		"menu end\nmenu end\nlabel a\nkernel /a\nlabel b\n"
		"menu default\nkernel /b\n", 1 },
	{ "default naming a dropped label",
		"default h\nlabel a\nkernel /a\nlabel h\nkernel hdt.c32\n"
		"label b\nmenu default\nkernel /b\n", 1 },
	{ "menu default on a dropped label",
		"label a\nkernel /a\nlabel h\nmenu default\nkernel hdt.c32\n",
		-1 },
	{ "lines after menu separator belong to no label",
		"label a\nkernel /a\nmenu separator\nmenu default\n", -1 },
};

static const struct memfs_file tagged_fs[] = {
	/* MENU INCLUDE FILE TAG: the file is a submenu; its MENU END does
	 * not end the submenu's count early, nor run it below zero */
	{ "/sub.cfg", "label s\nmenu default\nkernel /s\nmenu end\nmenu end\n"
		"label t\nmenu default\nkernel /t\n" },
	{ NULL, NULL },
};

static void test_defaults(void)
{
	struct bootcfg_io io = { memfs_read, NULL, (void *)tagged_fs, NULL,
		NULL };
	struct boot_config c;
	char what[96];
	size_t i;
	int r;

	bootcfg_init(&c);
	for (i = 0; i < N(defaults); i++) {
		snprintf(what, sizeof(what), "default(%s)", defaults[i].name);
		r = bootcfg_extlinux(defaults[i].text, "/syslinux.cfg", NULL,
			&c);
		CHECK_INT(what, r, 0);
		CHECK_INT(what, c.def, defaults[i].def);
		bootcfg_free(&c);
	}
	/* the DEFAULT note only for a name that is no module */
	r = bootcfg_extlinux("default vesamenu.c32\nlabel a\nkernel /a\n",
		"/syslinux.cfg", NULL, &c);
	CHECK_INT("default module nnotes", c.nnotes, 0);
	bootcfg_free(&c);
	r = bootcfg_extlinux("default nope\nlabel a\nkernel /a\n",
		"/syslinux.cfg", NULL, &c);
	CHECK_STR("default nope note", c.note, "syslinux.cfg: default 'nope' "
		"names no label");
	bootcfg_free(&c);

	r = bootcfg_extlinux("menu include sub.cfg Sub menu\nlabel top\n"
		"menu default\nkernel /top\nlabel u\nkernel /u\n",
		"/syslinux.cfg", &io, &c);
	CHECK_INT("tagged include", r, 0);
	CHECK_INT("tagged include n", c.n, 4);
	CHECK_INT("tagged include def", c.def, 2);
	bootcfg_free(&c);
	/* INCLUDE ignores what follows the file: no submenu */
	r = bootcfg_extlinux("label top\nmenu default\nkernel /top\n"
		"include sub.cfg Sub menu\n", "/syslinux.cfg", &io, &c);
	CHECK_INT("include with words def", c.def, 2);
	bootcfg_free(&c);
	/* untagged: the file's MENU DEFAULT lines are the top's, but its
	 * MENU END lines are read too (and stop at zero) */
	r = bootcfg_extlinux("include sub.cfg\nlabel u\nkernel /u\n",
		"/syslinux.cfg", &io, &c);
	CHECK_INT("untagged include def", c.def, 1);
	bootcfg_free(&c);
}

/* ---- includes: a missing one is skipped; the first word is the file;
 * a thousand missing ones stop at the budget's files ---- */
static void test_includes(void)
{
	static const struct memfs_file fs[] = {
		{ "/boot/syslinux/a.cfg", "label a\nkernel /a\n" },
		{ NULL, NULL },
	};
	struct bootcfg_io io = { memfs_read, NULL, (void *)fs, NULL, NULL };
	struct boot_config c;
	char *text;
	size_t i, n = 0;
	int r;

	bootcfg_init(&c);
	r = bootcfg_extlinux("include nope.cfg\ninclude a.cfg extra words\n"
		"menu include /nope/b.cfg\n", "/boot/syslinux/syslinux.cfg",
		&io, &c);
	CHECK_INT("missing include", r, 0);
	CHECK_INT("missing include n", c.n, 1);
	CHECK_INT("missing include nnotes", c.nnotes, 2);
	CHECK_STR("missing include note", c.note, "syslinux.cfg:1: include "
		"nope.cfg: not found, skipped");
	bootcfg_free(&c);

	/* 300 missing includes: each file opened is paid for */
	text = malloc(300 * 20 + 32);
	CHECK(text != NULL, "malloc");
	if (!text) {
		return;
	}
	for (i = 0; i < 300; i++) {
		n += (size_t)sprintf(text + n, "include nope%zu.cfg\n", i);
	}
	strcpy(text + n, "label a\nkernel /a\n");
	r = bootcfg_extlinux(text, "/syslinux.cfg", &io, &c);
	check_refused("300 missing includes", r, &c, -E2BIG, "syslinux.cfg:"
		"256: more than 256 configuration files in this boot (hop's "
		"budget)");
	bootcfg_free(&c);
	free(text);

	/* a missing include with no reader is still "no file access" */
	r = bootcfg_extlinux("include nope.cfg\nlabel a\nkernel /a\n",
		"/syslinux.cfg", NULL, &c);
	check_refused("include without io", r, &c, -ENOSYS, "syslinux.cfg:1: "
		"include nope.cfg: no file access");
	bootcfg_free(&c);
}

/* ---- hostile and huge: mboot.c32 with more modules than hop loads,
 * 100k-long words, a 100k "---" list, 100k menu begins ---- */
static void test_hostile(void)
{
	struct boot_config c;
	char *t;
	int r;

	bootcfg_init(&c);
	/* HOP_MAX_MODULES (256) modules load; 257 are refused, not cut */
	t = test_repeat("label x\nkernel mboot.c32\nappend xen.gz", " --- m",
		HOP_MAX_MODULES, "\n");
	r = t ? bootcfg_extlinux(t, "/syslinux.cfg", NULL, &c) : -ENOMEM;
	CHECK_INT("mboot 256 modules", r, 0);
	CHECK_INT("mboot 256 modules n", c.n == 1 ? c.e[0].nmodule : 0,
		HOP_MAX_MODULES);
	CHECK_STR("mboot module 256", c.n == 1 ? c.e[0].module_cmdline[
		HOP_MAX_MODULES - 1] : NULL, "m");
	bootcfg_free(&c);
	free(t);
	t = test_repeat("label x\nkernel mboot.c32\nappend xen.gz", " --- m",
		HOP_MAX_MODULES + 1, "\n");
	r = t ? bootcfg_extlinux(t, "/syslinux.cfg", NULL, &c) : -ENOMEM;
	check_refused("mboot 257 modules", r, &c, -E2BIG, "syslinux.cfg: 'x': "
		"more than 256 modules");
	bootcfg_free(&c);
	free(t);
	/* a label dropped (localboot), one kept and moved down over it,
	 * then a refusal: each entry freed once (ASan: a double free before
	 * the move cleared the old slot) */
	t = test_repeat("label a\nlocalboot 0\nlabel b\nkernel /k\nlabel x\n"
		"kernel mboot.c32\nappend xen.gz", " --- m", HOP_MAX_MODULES + 44,
		"\n");
	r = t ? bootcfg_extlinux(t, "/syslinux.cfg", NULL, &c) : -ENOMEM;
	check_refused("dropped, moved, refused", r, &c, -E2BIG,
		"syslinux.cfg: 'x': more than 256 modules");
	bootcfg_free(&c);
	free(t);
	/* 100k modules on one line: refused at 257, nothing kept */
	t = test_repeat("label x\nkernel mboot.c32\nappend xen.gz", " --- m",
		100000, "\n");
	r = t ? bootcfg_extlinux(t, "/syslinux.cfg", NULL, &c) : -ENOMEM;
	check_refused("mboot 100k modules", r, &c, -E2BIG, "syslinux.cfg: "
		"'x': more than 256 modules");
	bootcfg_free(&c);
	free(t);
	/* 100k separators with nothing between: no module, fast */
	t = test_repeat("label x\nkernel mboot.c32\nappend xen.gz a=1", " ---",
		100000, "\n");
	r = t ? bootcfg_extlinux(t, "/syslinux.cfg", NULL, &c) : -ENOMEM;
	CHECK_INT("mboot 100k empty parts", r, 0);
	if (c.n == 1) {
		CHECK_INT("mboot 100k empty parts nmodule", c.e[0].nmodule, 0);
		CHECK_STR("mboot 100k empty parts cmdline", c.e[0].cmdline,
			"a=1");
	}
	bootcfg_free(&c);
	free(t);
	/* 100k modules: refused at the 15th */
	t = test_repeat("label x\nkernel mboot.c32\nappend xen.gz", " --- m a",
		100000, "\n");
	r = t ? bootcfg_extlinux(t, "/syslinux.cfg", NULL, &c) : -ENOMEM;
	CHECK_INT("mboot 100k modules", r, -E2BIG);
	bootcfg_free(&c);
	free(t);
	/* a 100k-long kernel word and module word */
	t = test_repeat("label x\nkernel mboot.c32\nappend ", "x", 100000,
		" --- yy\n");
	r = t ? bootcfg_extlinux(t, "/syslinux.cfg", NULL, &c) : -ENOMEM;
	CHECK_INT("mboot 100k word", r, 0);
	if (c.n == 1) {
		CHECK_INT("mboot 100k word kernel", strlen(c.e[0].kernel),
			100001);
		CHECK_STR("mboot 100k word cmdline", c.e[0].cmdline, "");
	}
	bootcfg_free(&c);
	free(t);
	/* "---" glued to a word is a word, as mboot.c32's argv sees it */
	r = bootcfg_extlinux("label x\nkernel mboot.c32\nappend xen.gz ---a "
		"b---\n", "/syslinux.cfg", NULL, &c);
	CHECK_INT("mboot glued", r, 0);
	if (c.n == 1) {
		CHECK_STR("mboot glued cmdline", c.e[0].cmdline, "---a b---");
		CHECK_INT("mboot glued nmodule", c.e[0].nmodule, 0);
	}
	bootcfg_free(&c);
	/* mboot.c32 without an append, with "-" (none), with an initrd */
	r = bootcfg_extlinux("label x\nkernel mboot.c32\nlabel y\n"
		"kernel mboot.c32\nappend -\nlabel z\nkernel mboot.c32\n"
		"initrd /i\nappend /xen --- /k\n", "/syslinux.cfg", NULL, &c);
	CHECK_INT("mboot empty", r, 0);
	CHECK_INT("mboot empty n", c.n, 1);
	if (c.n == 1) {
		CHECK_INT("mboot initrd dropped", c.e[0].ninitrd, 0);
		CHECK_STR("mboot z module", c.e[0].module[0], "/k");
	}
	CHECK_INT("mboot empty nnotes", c.nnotes, 3);
	bootcfg_free(&c);
	/* the type is the first word's: mboot.c32 with its arguments on
	 * the KERNEL line and no append is no kernel (dropped), and
	 * "hdt.c32 extra" is still a COM32 module */
	r = bootcfg_extlinux("label e\nkernel mboot.c32 -c boot.cfg\n"
		"label h\nkernel hdt.c32 verbose\nlabel a\nkernel /a\n",
		"/syslinux.cfg", NULL, &c);
	CHECK_INT("kernel line args", r, 0);
	CHECK_INT("kernel line args n", c.n, 1);
	CHECK_INT("kernel line args nnotes", c.nnotes, 2);
	bootcfg_free(&c);
	/* a global append serves mboot labels too */
	r = bootcfg_extlinux("append /xen x=1 --- /k k=1\nlabel x\n"
		"kernel mboot.c32\n", "/syslinux.cfg", NULL, &c);
	CHECK_INT("mboot global append", r, 0);
	if (c.n == 1) {
		CHECK_STR("mboot global kernel", c.e[0].kernel, "/xen");
		CHECK_STR("mboot global modcmd", c.e[0].module_cmdline[0],
			"/k k=1");
	}
	bootcfg_free(&c);
	/* 100k menu begins, then 100k more ends than begins */
	t = test_repeat("", "menu begin x\n", 100000, "label a\nmenu default\n"
		"kernel /a\nlabel b\nkernel /b\n");
	r = t ? bootcfg_extlinux(t, "/syslinux.cfg", NULL, &c) : -ENOMEM;
	CHECK_INT("100k menu begin", r, 0);
	CHECK_INT("100k menu begin def", c.def, -1);
	bootcfg_free(&c);
	free(t);
	t = test_repeat("", "menu end\n", 100000, "label a\nkernel /a\nlabel b\n"
		"menu default\nkernel /b\n");
	r = t ? bootcfg_extlinux(t, "/syslinux.cfg", NULL, &c) : -ENOMEM;
	CHECK_INT("100k menu end def", c.def, 1);
	bootcfg_free(&c);
	free(t);
	/* a 100k-long DEFAULT and a 100k-long .c32 kernel name */
	t = test_repeat("default ", "d", 100000, ".c32\nlabel a\nkernel /a\n");
	r = t ? bootcfg_extlinux(t, "/syslinux.cfg", NULL, &c) : -ENOMEM;
	CHECK_INT("100k default", r, 0);
	CHECK_INT("100k default nnotes", c.nnotes, 0);
	bootcfg_free(&c);
	free(t);
	t = test_repeat("label a\nkernel ", "k", 100000, ".c32\nlabel b\n"
		"kernel /b\n");
	r = t ? bootcfg_extlinux(t, "/syslinux.cfg", NULL, &c) : -ENOMEM;
	CHECK_INT("100k module name", r, 0);
	CHECK_INT("100k module name n", c.n, 1);
	bootcfg_free(&c);
	free(t);
	/* F-key help lines are display only; "f13", "fx" are unknown */
	r = bootcfg_extlinux("F1 f1.txt\nf10 f10.txt\nf13 x\nfx y\n"
		"label a\nkernel /a\n", "/syslinux.cfg", NULL, &c);
	CHECK_INT("fkeys nnotes", c.nnotes, 2);
	CHECK_STR("fkeys note", c.note, "syslinux.cfg:3: unknown keyword "
		"'f13', ignored");
	bootcfg_free(&c);
}

/* ---- ESXi's boot.cfg ---- */

/* ESXi 7.0U3's installer ISO lists over a hundred modules; 81 here, in
 * the ISO's order */
#define ESXI_MODS "/jumpstrt.gz --- /useropts.gz --- /features.gz --- " \
	"/k.b00 --- /uc_intel.b00 --- /uc_amd.b00 --- /uc_hygon.b00 --- " \
	"/procfs.b00 --- /vmx.v00 --- /vim.v00 --- /tpm.v00 --- /sb.v00 --- " \
	"/s.v00 --- /atlantic.v00 --- /bcm_mpi3.v00 --- /bnxtnet.v00 --- " \
	"/bnxtroce.v00 --- /brcmfcoe.v00 --- /elxiscsi.v00 --- " \
	"/elxnet.v00 --- /i40en.v00 --- /i40iwn.v00 --- /iavmd.v00 --- " \
	"/icen.v00 --- /igbn.v00 --- /ionic_en.v00 --- /irdman.v00 --- " \
	"/iser.v00 --- /ixgben.v00 --- /lpfc.v00 --- /lpnic.v00 --- " \
	"/lsi_mr3.v00 --- /lsi_msgp.v00 --- /lsi_msgp.v01 --- " \
	"/lsi_msgp.v02 --- /mtip32xx.v00 --- /ne1000.v00 --- /nenic.v00 --- " \
	"/nfnic.v00 --- /nhpsa.v00 --- /nmlx4_co.v00 --- /nmlx4_en.v00 --- " \
	"/nmlx4_rd.v00 --- /nmlx5_co.v00 --- /nmlx5_rd.v00 --- " \
	"/ntg3.v00 --- /nvme_pci.v00 --- /nvmerdma.v00 --- /nvmetcp.v00 --- " \
	"/nvmxnet3.v00 --- /nvmxnet3.v01 --- /pvscsi.v00 --- /qcnic.v00 --- " \
	"/qedentv.v00 --- /qedrntv.v00 --- /qfle3.v00 --- /qfle3f.v00 --- " \
	"/qfle3i.v00 --- /qflge.v00 --- /rste.v00 --- /sfvmk.v00 --- " \
	"/smartpqi.v00 --- /vmkata.v00 --- /vmkfcoe.v00 --- /vmkusb.v00 " \
	"--- /vmw_ahci.v00 --- /bmcal.v00 --- /crx.v00 --- /elx_esx_.v00 " \
	"--- /btldr.v00 --- /esx_dvfi.v00 --- /esx_ui.v00 --- " \
	"/esxupdt.v00 --- /tpmesxup.v00 --- /weaselin.v00 --- " \
	"/loadesx.v00 --- /lsuv2_hp.v00 --- /imgdb.tgz --- /basemisc.tgz " \
	"--- /resvibs.tgz --- /imgpayld.tgz"

static const char esxi_iso[] =
	"bootstate=0\n"
	"title=Loading ESXi installer\n"
	"timeout=5\n"
	"prefix=\n"
	"kernel=/b.b00\n"
	"kernelopt=runweasel cdromBoot\n"
	"modules=" ESXI_MODS "\n"
	"build=7.0.3-0.0.18644231\n"
	"updated=0\n";

/* an installed bootbank's boot.cfg (ESXi 6.7), its module list cut to
 * what hop loads; relative paths, prefix= empty */
static const char esxi_bank[] =
	"bootstate=0\n"
	"title=Loading VMware ESXi\n"
	"timeout=5\n"
	"prefix=\n"
	"kernel=b.b00\n"
	"kernelopt=installerDiskDumpSlotSize=2560 no-auto-partition\n"
	"modules=jumpstrt.gz --- useropts.gz --- features.gz --- k.b00 --- "
	"chardevs.b00 --- user.b00 --- procfs.b00 --- uc_intel.b00 --- "
	"uc_amd.b00 --- vmx.v00 --- vim.v00 --- sb.v00 --- s.v00 --- "
	"imgdb.tgz\n"
	"build=6.7.0-1.28.10302608\n"
	"updated=1\n";

static void test_esxi(void)
{
	struct boot_config c;
	char why[160];
	char *t;
	int r;

	bootcfg_init(&c);
	/* the installer ISO's 81 modules: one multiboot entry, in order */
	r = bootcfg_esxi(esxi_iso, "/boot.cfg", &c);
	CHECK_INT("esxi iso", r, 0);
	CHECK_INT("esxi iso n", c.n, 1);
	if (c.n == 1) {
		const struct boot_entry *e = &c.e[0];

		CHECK_INT("esxi iso nmodule", e->nmodule, 81);
		CHECK_STR("esxi iso kernel", e->kernel, "/b.b00");
		CHECK_STR("esxi iso cmdline", e->cmdline, "runweasel cdromBoot");
		CHECK_INT("esxi iso multiboot", e->multiboot, 1);
		CHECK_STR("esxi iso module 1", e->nmodule == 81 ? e->module[0] :
			NULL, "/jumpstrt.gz");
		CHECK_STR("esxi iso module 41", e->nmodule == 81 ?
			e->module[40] : NULL, "/nmlx4_co.v00");
		CHECK_STR("esxi iso module 81", e->nmodule == 81 ?
			e->module[80] : NULL, "/imgpayld.tgz");
		CHECK_STR("esxi iso module 81 string", e->nmodule == 81 ?
			e->module_cmdline[80] : NULL, "/imgpayld.tgz");
	}
	bootcfg_free(&c);
	/* 256 load, 257 are refused by count, before anything is copied */
	t = test_repeat("kernel=/k\nmodules=m", " --- m", HOP_MAX_MODULES - 1,
		"\n");
	r = t ? bootcfg_esxi(t, "/boot.cfg", &c) : -ENOMEM;
	CHECK_INT("esxi 256 modules", r, 0);
	CHECK_INT("esxi 256 modules n", c.n ? c.e[0].nmodule : 0,
		HOP_MAX_MODULES);
	bootcfg_free(&c);
	free(t);
	t = test_repeat("kernel=/k\nmodules=m", " --- m", HOP_MAX_MODULES, "\n");
	r = t ? bootcfg_esxi(t, "/boot.cfg", &c) : -ENOMEM;
	check_refused("esxi 257 modules", r, &c, -E2BIG, "boot.cfg:2: 257 "
		"modules, more than 256 (hop's multiboot loader)");
	bootcfg_free(&c);
	free(t);

	r = bootcfg_esxi(esxi_bank, "/boot.cfg", &c);
	CHECK_INT("esxi bank", r, 0);
	CHECK_INT("esxi bank n", c.n, 1);
	if (c.n == 1) {
		const struct boot_entry *e = &c.e[0];

		CHECK_STR("esxi bank kernel", e->kernel, "/b.b00");
		CHECK_STR("esxi bank cmdline", e->cmdline,
			"installerDiskDumpSlotSize=2560 no-auto-partition");
		CHECK_STR("esxi bank title", e->title, "Loading VMware ESXi");
		CHECK(e->label == NULL, "esxi bank label = %s", e->label);
		CHECK_INT("esxi bank multiboot", e->multiboot, 1);
		CHECK_INT("esxi bank nmodule", e->nmodule, 14);
		CHECK_STR("esxi bank module[0]", e->module[0], "/jumpstrt.gz");
		CHECK_STR("esxi bank module_cmdline[0]", e->module_cmdline[0],
			"jumpstrt.gz");
		CHECK_STR("esxi bank module[13]", e->module[13], "/imgdb.tgz");
	}
	CHECK_INT("esxi bank timeout", c.timeout_ds, 50);
	CHECK_INT("esxi bank def", c.def, 0);
	CHECK_INT("esxi bank nnotes", c.nnotes, 0);
	bootcfg_free(&c);

	/* no prefix: the configuration's folder (the ISO's /efi/boot);
	 * an absolute path stays; a module's arguments are kept */
	r = bootcfg_esxi("kernel=b.b00\nmodules=/k.b00 --- useropts.gz "
		"autoPartition=TRUE ---   \n", "/efi/boot/boot.cfg", &c);
	CHECK_INT("esxi no prefix", r, 0);
	if (c.n == 1 && c.e[0].nmodule == 2) {
		CHECK_STR("esxi no prefix kernel", c.e[0].kernel,
			"/efi/boot/b.b00");
		CHECK(c.e[0].cmdline == NULL, "esxi no prefix cmdline");
		CHECK_STR("esxi no prefix title", c.e[0].title, "VMware ESXi");
		CHECK_STR("esxi no prefix module[0]", c.e[0].module[0],
			"/k.b00");
		CHECK_STR("esxi no prefix module[1]", c.e[0].module[1],
			"/efi/boot/useropts.gz");
		CHECK_STR("esxi no prefix module_cmdline[1]",
			c.e[0].module_cmdline[1],
			"useropts.gz autoPartition=TRUE");
	} else {
		CHECK(0, "esxi no prefix n = %zu (%s)", c.n, c.why);
	}
	bootcfg_free(&c);

	/* prefix=DIR (relative or not, slashes or not); the last key wins;
	 * blanks around '='; comments; unknown keys and lines noted */
	r = bootcfg_esxi("# comment\nprefix = esxi//\nkernel=/x\n"
		"kernel = b.b00\nmodules=a.gz\nfrobnicate=1\njunk\n"
		"timeout=soon\n", "/boot.cfg", &c);
	CHECK_INT("esxi prefix", r, 0);
	if (c.n == 1 && c.e[0].nmodule == 1) {
		CHECK_STR("esxi prefix kernel", c.e[0].kernel, "/esxi/b.b00");
		CHECK_STR("esxi prefix module", c.e[0].module[0],
			"/esxi/a.gz");
	}
	CHECK_INT("esxi prefix nnotes", c.nnotes, 3);
	CHECK_STR("esxi prefix note", c.note, "boot.cfg:6: unknown key "
		"'frobnicate', ignored");
	CHECK_INT("esxi prefix timeout", c.timeout_ds, BOOTCFG_NO_TIMEOUT);
	bootcfg_free(&c);

	/* bootstate 1 (upgrading) boots; 2, 3, junk, skip=1, a network
	 * prefix, no kernel do not */
	r = bootcfg_esxi("bootstate=1\nkernel=/k\n", "/boot.cfg", &c);
	CHECK_INT("esxi upgrading", r, 0);
	bootcfg_free(&c);
	r = bootcfg_esxi("bootstate=2\nkernel=/k\n", "/boot.cfg", &c);
	check_refused("esxi dirty", r, &c, -ENOENT, "boot.cfg: bootstate=2 "
		"(an upgrade never confirmed): ESXi does not boot this bank");
	bootcfg_free(&c);
	r = bootcfg_esxi("bootstate=x\nkernel=/k\n", "/boot.cfg", &c);
	check_refused("esxi junk state", r, &c, -ENOENT, "boot.cfg: "
		"bootstate=3 (invalid): ESXi does not boot this bank");
	bootcfg_free(&c);
	r = bootcfg_esxi("bootstate=3\nbootstate=\nkernel=/k\n", "/boot.cfg",
		&c);
	CHECK_INT("esxi empty state (the last)", r, 0);
	bootcfg_free(&c);
	r = bootcfg_esxi("skip=1\nkernel=/k\n", "/boot.cfg", &c);
	check_refused("esxi skip", r, &c, -ENOENT, "boot.cfg: skip=1: ESXi's "
		"loader does not boot it");
	bootcfg_free(&c);
	r = bootcfg_esxi("prefix=http://10.0.0.1/esxi\nkernel=b.b00\n",
		"/boot.cfg", &c);
	check_refused("esxi network", r, &c, -EPROTONOSUPPORT, "boot.cfg: "
		"prefix=http://10.0.0.1/esxi: a network location (hop boots "
		"from disks)");
	bootcfg_free(&c);
	r = bootcfg_esxi("modules=a --- b\nkernel=\n", "/boot.cfg", &c);
	check_refused("esxi no kernel", r, &c, -ENOENT, "boot.cfg: no kernel=");
	bootcfg_free(&c);
	r = bootcfg_esxi("", NULL, &c);
	check_refused("esxi empty", r, &c, -ENOENT, "boot.cfg: no kernel=");
	bootcfg_free(&c);

	/* huge: 100k items refused from the count, before any copy; 100k
	 * separators alone are no module; a 100k-long kernelopt */
	t = test_repeat("kernel=/k\nmodules=", "m --- ", 100000, "\n");
	r = t ? bootcfg_esxi(t, "/boot.cfg", &c) : -ENOMEM;
	snprintf(why, sizeof(why), "boot.cfg:2: 100000 modules, more than %d "
		"(hop's multiboot loader)", HOP_MAX_MODULES);
	check_refused("esxi 100k modules", r, &c, -E2BIG, why);
	bootcfg_free(&c);
	free(t);
	t = test_repeat("kernel=/k\nmodules=", "---", 100000, "\n");
	r = t ? bootcfg_esxi(t, "/boot.cfg", &c) : -ENOMEM;
	CHECK_INT("esxi 100k separators", r, 0);
	CHECK_INT("esxi 100k separators nmodule", c.n ? c.e[0].nmodule : 99,
		0);
	bootcfg_free(&c);
	free(t);
	t = test_repeat("kernel=/k\nkernelopt=", "o", 100000, "\n");
	r = t ? bootcfg_esxi(t, "/boot.cfg", &c) : -ENOMEM;
	CHECK_INT("esxi 100k kernelopt", r, 0);
	CHECK_INT("esxi 100k kernelopt len", c.n ? strlen(c.e[0].cmdline) : 0,
		100000);
	bootcfg_free(&c);
	free(t);

	/* the budget pays for the text and the entry */
	{
		struct bootcfg_budget b;

		bootcfg_budget_default(&b);
		b.entries = 0;
		c.budget = &b;
		r = bootcfg_esxi("kernel=/k\n", "/boot.cfg", &c);
		check_refused("esxi no entries left", r, &c, -E2BIG,
			"boot.cfg: more than 1024 entries in this boot "
			"(hop's budget)");
		bootcfg_free(&c);
		bootcfg_budget_default(&b);
		b.read = 5;
		c.budget = &b;
		r = bootcfg_esxi("kernel=/k\n", "/boot.cfg", &c);
		CHECK_INT("esxi read budget", r, -E2BIG);
		bootcfg_free(&c);
	}
}

void test_syslinux(void)
{
	test_isos();
	test_defaults();
	test_includes();
	test_hostile();
	test_esxi();
}
