/* iPXE scripts (lib/bootcfg/bootcfg_ipxe.c): the scripts netboot users
 * write (kernel/initrd/boot, chain, imgargs, a netboot.xyz-style menu),
 * variables from set and from the caller's table, and the refusals:
 * no #!ipxe, goto loops, too many initrds, the budget, control
 * characters, and hostile or huge scripts, which stay bounded. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg.h"
#include "bootsel.h"
#include "test.h"

#define N(a) (sizeof(a) / sizeof((a)[0]))

/* what one entry holds (NULL: the field is NULL) */
struct want {
	const char *label, *title, *kernel, *cmdline, *initrd0;
	size_t ninitrd;
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
		check_entry_str(what, i, "title", e->title, w[i].title);
		check_entry_str(what, i, "kernel", e->kernel, w[i].kernel);
		check_entry_str(what, i, "cmdline", e->cmdline, w[i].cmdline);
		check_entry_str(what, i, "initrd[0]", e->ninitrd ?
			e->initrd[0] : NULL, w[i].initrd0);
		CHECK(e->ninitrd == w[i].ninitrd, "%s e[%zu].ninitrd = %zu; "
			"want %zu", what, i, e->ninitrd, w[i].ninitrd);
	}
}

static void check_refused(const char *what, int r,
	const struct boot_config *c, int err, const char *why)
{
	CHECK(r == err, "%s = %d; want %d (why: %s)", what, r, err, c->why);
	CHECK(!strcmp(c->why, why), "%s why = \"%s\"; want \"%s\"", what,
		c->why, why);
	CHECK(c->n == 0 && c->e == NULL, "%s n = %zu; want 0", what, c->n);
}


/* ---- the simplest script: what a DHCP server's boot.ipxe says ---- */
static const char minimal[] =
	"#!ipxe\n"
	"dhcp\n"
	"kernel http://10.0.2.2/vmlinuz console=ttyS0 initrd=initrd.img\n"
	"initrd http://10.0.2.2/initrd.img\n"
	"boot\n";

static const struct want minimal_want[] = {
	{ "ipxe", NULL, "http://10.0.2.2/vmlinuz",
		"console=ttyS0 initrd=initrd.img", "http://10.0.2.2/initrd.img",
		1 },
};

/* the same with CRLF lines, a byte order mark, blanks after #!ipxe */
static const char minimal_crlf[] =
	"\xef\xbb\xbf#!ipxe  \r\n"
	"dhcp\r\n"
	"goto go\r\n"
	"kernel /never\r\n"
	":go\r\n"
	"kernel http://10.0.2.2/vmlinuz console=ttyS0 initrd=initrd.img \r\n"
	"initrd http://10.0.2.2/initrd.img\r\n"
	"boot\r\n";

static void ipxe_minimal(void)
{
	struct boot_config c;
	int r;

	bootcfg_init(&c);
	r = bootcfg_ipxe(minimal, NULL, &c);
	CHECK_INT("ipxe(minimal)", r, 0);
	check_entries("ipxe(minimal)", &c, minimal_want, N(minimal_want));
	CHECK_INT("ipxe(minimal) def", c.def, 0);
	CHECK_INT("ipxe(minimal) timeout", c.timeout_ds, BOOTCFG_NO_TIMEOUT);
	CHECK_INT("ipxe(minimal) nnotes", c.nnotes, 0);
	bootcfg_free(&c);

	r = bootcfg_ipxe(minimal_crlf, NULL, &c);
	CHECK_INT("ipxe(crlf)", r, 0);
	check_entries("ipxe(crlf)", &c, minimal_want, N(minimal_want));
	CHECK_INT("ipxe(crlf) nnotes", c.nnotes, 0);
	bootcfg_free(&c);

	/* iPXE's older signature; relative paths as written; a kernel
	 * without arguments boots with an empty command line */
	r = bootcfg_ipxe("#!gpxe\nkernel vmlinuz\nmodule initrd.img\n"
		"module --name b b.img\nboot\n", "/tftp/boot.ipxe", &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].kernel, "vmlinuz") &&
		!strcmp(c.e[0].cmdline, "") && c.e[0].ninitrd == 2 &&
		!strcmp(c.e[0].initrd[1], "b.img"), "ipxe(gpxe, relative) = %d "
		"(why: %s)", r, c.why);
	bootcfg_free(&c);

	/* tabs split words; an indented label is a label */
	r = bootcfg_ipxe("#!ipxe\n\tgoto a\n  :a\nkernel\t/k\t\targ\nboot\n",
		NULL, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].cmdline, "arg"),
		"ipxe(tabs) = %d, cmdline %s (why: %s)", r, c.n ?
		c.e[0].cmdline : "-", c.why);
	bootcfg_free(&c);
}

/* ---- lines: what follows a label, blanks and CRs at the end, ": x" ---- */
static void ipxe_lines(void)
{
	struct boot_config c;
	int r;

	bootcfg_init(&c);
	/* the rest of a label's line is never run, fallen into or jumped
	 * to (iPXE ignores it) */
	r = bootcfg_ipxe("#!ipxe\n:start kernel /evil\nboot\n", NULL, &c);
	check_refused("ipxe(label line, fallen into)", r, &c, -ENOENT,
		"script.ipxe: no boot entry");
	CHECK_STR("ipxe(label line, fallen into) note", c.note, "script.ipxe:3: "
		"boot without a kernel");
	bootcfg_free(&c);
	r = bootcfg_ipxe("#!ipxe\ngoto a\n:a kernel /evil || boot\n"
		"kernel /k\nboot\n", NULL, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].kernel, "/k"),
		"ipxe(label line, jumped to) = %d, kernel %s (why: %s)", r,
		c.n ? c.e[0].kernel : "-", c.why);
	bootcfg_free(&c);

	/* CRLF and blanks at the ends of lines: a note names the line as
	 * written */
	r = bootcfg_ipxe("#!ipxe  \r\ndhcp \t\r\n\r\n  \r\nfrobnicate\r\n"
		"kernel /k a \r\r\nboot\t\r\n", NULL, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].cmdline, "a"),
		"ipxe(crlf, note) = %d (why: %s)", r, c.why);
	CHECK_STR("ipxe(crlf, note) note", c.note, "script.ipxe:5: "
		"'frobnicate' not understood, skipped");
	bootcfg_free(&c);
	r = bootcfg_ipxe("#!ipxe\r\nkernel /k\r\ninitrd\r\nboot\r\n", NULL,
		&c);
	CHECK_STR("ipxe(crlf, initrd) note", c.note, "script.ipxe:3: initrd "
		"without a URI, skipped");
	bootcfg_free(&c);
	/* a loop of CRLF lines: lines 1 to 4, then 3 and 4 again: run
	 * 10001 is line 3, as with LF */
	r = bootcfg_ipxe("#!ipxe \r\n:loop \r\necho again\t\r\n"
		"goto loop \r\n", NULL, &c);
	check_refused("ipxe(crlf goto loop)", r, &c, -ELOOP, "script.ipxe:3: "
		"more than 10000 lines run (a goto loop?)");
	bootcfg_free(&c);

	/* ": x" names no label (and is not run); a bare goto goes nowhere */
	r = bootcfg_ipxe("#!ipxe\n: x\n:\nkernel /k\nboot\n", NULL, &c);
	CHECK(r == 0 && c.n == 1, "ipxe(': x') = %d (why: %s)", r, c.why);
	bootcfg_free(&c);
	r = bootcfg_ipxe("#!ipxe\ngoto\n: x\nkernel /k\nboot\n", NULL, &c);
	check_refused("ipxe(bare goto)", r, &c, -EINVAL, "script.ipxe:2: goto "
		"without a label");
	bootcfg_free(&c);
	r = bootcfg_ipxe("#!ipxe\ngoto ${nowhere}\n: x\nkernel /k\nboot\n",
		NULL, &c);
	check_refused("ipxe(goto ${unset})", r, &c, -EINVAL, "script.ipxe:2: "
		"goto without a label");
	bootcfg_free(&c);
}

/* ---- the test of a script, the parser's and the agent's ---- */
static void ipxe_is_script(void)
{
	static const struct {
		const char *text;
		int want;
	} cases[] = {
		{ "#!ipxe", 1 }, { "#!ipxe\n", 1 }, { "#!ipxe\r\n", 1 },
		{ "#!gpxe\tx\n", 1 }, { "#!ipxe  \n", 1 },
		{ "\xef\xbb\xbf#!ipxe\n", 1 }, { "#!ipxefoo\n", 0 },
		{ "#!gpxex", 0 }, { "#!IPXE\n", 0 }, { " #!ipxe\n", 0 },
		{ "\xef\xbb#!ipxe\n", 0 }, { "#!ipx", 0 }, { "", 0 },
	};
	size_t i;

	for (i = 0; i < N(cases); i++) {
		CHECK(bootcfg_ipxe_is_script(cases[i].text) == cases[i].want,
			"bootcfg_ipxe_is_script(case %zu) = %d; want %d", i,
			bootcfg_ipxe_is_script(cases[i].text), cases[i].want);
		CHECK(bootsel_is_ipxe(cases[i].text) == cases[i].want,
			"bootsel_is_ipxe(case %zu) = %d; want %d", i,
			bootsel_is_ipxe(cases[i].text), cases[i].want);
	}
}

/* ---- chain: kernel and boot in one; what is fetched before stays ---- */
static const char chain[] =
	"#!ipxe\n"
	"initrd --name extra http://10.0.2.2/extra.cpio\n"
	"chain --autofree --replace http://10.0.2.2/boot/vmlinuz?build=1 "
	"root=/dev/nfs ip=dhcp || goto failed\n"
	":failed\n"
	"echo Boot failed\n"
	"shell\n";

static const struct want chain_want[] = {
	{ "ipxe", NULL, "http://10.0.2.2/boot/vmlinuz?build=1",
		"root=/dev/nfs ip=dhcp", "http://10.0.2.2/extra.cpio", 1 },
};

static void ipxe_chain(void)
{
	struct boot_config c;
	int r;

	bootcfg_init(&c);
	r = bootcfg_ipxe(chain, "/srv/tftp/boot.ipxe", &c);
	CHECK_INT("ipxe(chain)", r, 0);
	check_entries("ipxe(chain)", &c, chain_want, N(chain_want));
	/* chain succeeds and boots: "|| goto failed" is not run */
	CHECK_INT("ipxe(chain) nnotes", c.nnotes, 0);
	bootcfg_free(&c);

	/* boot URI is chain; boot NAME ARGS boots the kernel with ARGS */
	r = bootcfg_ipxe("#!ipxe\nboot http://h/vmlinuz a b\n", NULL, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].kernel, "http://h/vmlinuz")
		&& !strcmp(c.e[0].cmdline, "a b"), "ipxe(boot URI) = %d (why: "
		"%s)", r, c.why);
	bootcfg_free(&c);
	r = bootcfg_ipxe("#!ipxe\nkernel --name=linux http://h/k old\n"
		"boot linux quiet splash\n", NULL, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].kernel, "http://h/k") &&
		!strcmp(c.e[0].cmdline, "quiet splash"), "ipxe(boot NAME ARGS) "
		"= %d (why: %s)", r, c.why);
	bootcfg_free(&c);

	/* a chain without a URI boots nothing, not the kernel before it */
	r = bootcfg_ipxe("#!ipxe\nkernel /k\nchain --autofree\nexit\n", NULL,
		&c);
	check_refused("ipxe(chain without URI)", r, &c, -ENOENT,
		"script.ipxe: no boot entry");
	CHECK_STR("ipxe(chain without URI) note", c.note, "script.ipxe:3: "
		"chain without a URI, skipped");
	bootcfg_free(&c);

	/* a kernel never booted is no entry */
	r = bootcfg_ipxe("#!ipxe\nkernel /k\ninitrd /i\n", NULL, &c);
	check_refused("ipxe(no boot)", r, &c, -ENOENT,
		"script.ipxe: no boot entry");
	CHECK_STR("ipxe(no boot) note", c.note, "script.ipxe: kernel /k loaded "
		"but never booted (no boot)");
	bootcfg_free(&c);

	/* exit stops: what comes after it is not run */
	r = bootcfg_ipxe("#!ipxe\nkernel /k\nexit 1\nboot\n", NULL, &c);
	check_refused("ipxe(exit)", r, &c, -ENOENT,
		"script.ipxe: no boot entry");
	bootcfg_free(&c);
	r = bootcfg_ipxe("#!ipxe\nkernel /k\nboot\nkernel /other\nboot\n",
		NULL, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].kernel, "/k"),
		"ipxe(boot ends the run) = %d, n %zu", r, c.n);
	bootcfg_free(&c);

	/* imgfree forgets what was fetched: all, or one by name */
	r = bootcfg_ipxe("#!ipxe\nkernel /a\ninitrd /i\nimgfree\nkernel /b\n"
		"initrd /x/one.img\ninitrd /two.img\nimgfree one.img\nboot\n",
		NULL, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].kernel, "/b") &&
		c.e[0].ninitrd == 1 && !strcmp(c.e[0].initrd[0], "/two.img"),
		"ipxe(imgfree) = %d (why: %s)", r, c.why);
	bootcfg_free(&c);

	/* a boot that boots ends the line: "|| goto x && exit" not run */
	r = bootcfg_ipxe("#!ipxe\nkernel /k\nboot || goto x && exit\n", NULL,
		&c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].kernel, "/k") &&
		c.nnotes == 0, "ipxe(boot || goto) = %d, nnotes %d (why: %s)",
		r, c.nnotes, c.why);
	bootcfg_free(&c);
}

/* the one entry's command line of script, or "-" (why noted) */
static void check_cmdline(const char *what, const char *script,
	const char *const *vars, const char *want)
{
	struct boot_config c;
	int r;

	bootcfg_init(&c);
	r = bootcfg_ipxe_vars(script, NULL, vars, &c);
	CHECK(r == 0 && c.n == 1, "%s = %d, n %zu (why: %s)", what, r, c.n,
		c.why);
	if (c.n == 1) {
		CHECK(!strcmp(c.e[0].cmdline, want), "%s cmdline = \"%s\"; "
			"want \"%s\"", what, c.e[0].cmdline, want);
	}
	bootcfg_free(&c);
}

/* ---- chains: "a && b", "a || b" on the status of the last command
 * run (ipxe.org/scripting), as netboot.xyz and distributions' menus
 * use them ---- */
static void ipxe_chains(void)
{
	static const char *const efi[] = { "platform=efi",
		"buildarch=arm64", "arch=x86_64", NULL };
	static const char *const bios[] = { "platform=pcbios",
		"buildarch=x86_64", "arch=arm64", "menu-default=debian", NULL };
	static const char defaults[] =
		"#!ipxe\n"
		"isset ${menu-default} || set menu-default ubuntu\n"
		"iseq ${platform} efi && set bootfile ipxe.efi || "
		"set bootfile undionly.kpxe\n"
		"kernel /k ${menu-default} ${bootfile}\nboot\n";
	static const char arch[] =
		"#!ipxe\n"
		"iseq ${buildarch} arm64 && goto arm64_boot ||\n"
		"chain /x86_64/vmlinuz\n"
		":arm64_boot\n"
		"chain /arm64/Image\n";
	static const char items[] =
		"#!ipxe\n"
		"menu\n"
		"item debian Debian\n"
		"iseq ${arch} x86_64 && item ubuntu Ubuntu ||\n"
		"choose --default ubuntu os && goto ${os}\n"
		":debian\nchain /debian\n"
		":ubuntu\nchain /ubuntu\n";
	static const char failed[] =
		"#!ipxe\n"
		"set url http://h/vmlinuz\n"
		"kernel ${url} || goto failed\n"
		"boot\n"
		":failed\n"
		"chain /rescue\n";
	struct boot_config c;
	int r;

	bootcfg_init(&c);
	/* a default set only when the table has none; efi or not */
	check_cmdline("ipxe(isset ||, iseq && ||: efi)", defaults, efi,
		"ubuntu ipxe.efi");
	check_cmdline("ipxe(isset ||, iseq && ||: bios)", defaults, bios,
		"debian undionly.kpxe");
	check_cmdline("ipxe(isset ||, iseq && ||: nothing set)", defaults,
		NULL, "ubuntu undionly.kpxe");

	/* "&& goto L ||": jumps on success, a trailing || ignores failure */
	r = bootcfg_ipxe_vars(arch, NULL, efi, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].kernel, "/arm64/Image"),
		"ipxe(&& goto ||: arm64) = %d (why: %s)", r, c.why);
	bootcfg_free(&c);
	r = bootcfg_ipxe_vars(arch, NULL, bios, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].kernel, "/x86_64/vmlinuz"),
		"ipxe(&& goto ||: x86_64) = %d (why: %s)", r, c.why);
	CHECK_INT("ipxe(&& goto ||: x86_64) nnotes", c.nnotes, 0);
	bootcfg_free(&c);

	/* an item on a line whose test fails is no item */
	r = bootcfg_ipxe_vars(items, NULL, efi, &c);
	CHECK(r == 0 && c.n == 2 && c.def == 1 &&
		!strcmp(c.e[1].kernel, "/ubuntu"), "ipxe(&& item ||: x86_64) = "
		"%d, n %zu, def %d (why: %s)", r, c.n, c.def, c.why);
	bootcfg_free(&c);
	r = bootcfg_ipxe_vars(items, NULL, bios, &c);
	CHECK(r == 0 && c.n == 1 && c.def == 0 &&
		!strcmp(c.e[0].kernel, "/debian"), "ipxe(&& item ||: arm64) = "
		"%d, n %zu, def %d (why: %s)", r, c.n, c.def, c.why);
	bootcfg_free(&c);

	/* kernel succeeds: no goto; a kernel without a URI fails: goto */
	r = bootcfg_ipxe(failed, NULL, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].kernel, "http://h/vmlinuz"),
		"ipxe(kernel || goto) = %d (why: %s)", r, c.why);
	bootcfg_free(&c);
	r = bootcfg_ipxe("#!ipxe\nkernel ${url} || goto failed\nboot\n"
		":failed\nchain /rescue\n", NULL, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].kernel, "/rescue"),
		"ipxe(kernel of nothing || goto) = %d (why: %s)", r, c.why);
	bootcfg_free(&c);

	/* false then ||: the && part is skipped, the status stays false */
	check_cmdline("ipxe(false && ||)", "#!ipxe\n"
		"iseq a b && set x 1 || set x 2\nkernel /k x=${x}\nboot\n",
		NULL, "x=2");
	check_cmdline("ipxe(true && ||)", "#!ipxe\n"
		"iseq a a && set x 1 || set x 2\nkernel /k x=${x}\nboot\n",
		NULL, "x=1");
	check_cmdline("ipxe(isset of nothing ||)", "#!ipxe\nset e\n"
		"isset ${unset} || set d fallback\n"
		"isset ${e} && set e full ||\n"
		"kernel /k d=${d} e=${e}\nboot\n", NULL, "d=fallback e=");

	/* && ... && ... ||: the first failure skips to the || */
	check_cmdline("ipxe(nested chains)", "#!ipxe\n"
		"iseq a a && iseq b b && set x both || set x none\n"
		"iseq a a && iseq b c && set y both || set y none\n"
		"iseq a c && iseq b b && set z both || set z none\n"
		"iseq a a && set w 1 && iseq b c && set w 2 ||\n"
		"iseq a c && set v 1 && set v 2 || set v 3 && set u 4 ||\n"
		"kernel /k ${x} ${y} ${z} ${w} ${v} ${u}\nboot\n", NULL,
		"both none none 1 3 4");

	/* goto in a chain jumps: the rest of its line is not run */
	check_cmdline("ipxe(goto in a chain)", "#!ipxe\n"
		"set x 1 && goto there && set x 2 || set x 3\n"
		"set x 4\n:there\nkernel /k x=${x}\nboot\n", NULL, "x=1");

	/* a command hop does not know fails, noted once */
	r = bootcfg_ipxe("#!ipxe\nfrobnicate || set x y\n"
		"frobnicate && set z 1 ||\nkernel /k ${x} z=${z}\nboot\n",
		NULL, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].cmdline, "y z="),
		"ipxe(unknown || set) = %d, cmdline %s (why: %s)", r, c.n ?
		c.e[0].cmdline : "-", c.why);
	CHECK_INT("ipxe(unknown || set) nnotes", c.nnotes, 2);
	CHECK_STR("ipxe(unknown || set) note", c.note, "script.ipxe:2: "
		"'frobnicate' not understood, skipped");
	bootcfg_free(&c);

	/* no key is pressed: prompt fails, its goto is not taken */
	r = bootcfg_ipxe("#!ipxe\nprompt --key 0x02 --timeout 2000 Press "
		"Ctrl-B for the iPXE command line... && goto shell ||\n"
		"chain /k\n:shell\nshell\n", NULL, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].kernel, "/k") &&
		c.nnotes == 0, "ipxe(prompt && goto ||) = %d, nnotes %d (why: "
		"%s)", r, c.nnotes, c.why);
	bootcfg_free(&c);

	/* a test of the wrong number of words fails, a note once; an
	 * empty command (a leading ||) succeeds; the status of the last
	 * command run, not of the line before */
	r = bootcfg_ipxe("#!ipxe\niseq a || set x 1\niseq a b c || set y 1\n"
		"isset || set z 1\n|| set w 1\niseq a b\n&& set v 1\n"
		"kernel /k ${x}${y}${z} w=${w} v=${v}\nboot\n", NULL, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].cmdline, "111 w= v=1"),
		"ipxe(test usage) = %d, cmdline %s (why: %s)", r, c.n ?
		c.e[0].cmdline : "-", c.why);
	/* iseq's note once, isset's, ${w}'s */
	CHECK_INT("ipxe(test usage) nnotes", c.nnotes, 3);
	CHECK_STR("ipxe(test usage) note", c.note, "script.ipxe:2: iseq takes "
		"2 words, not 1: it fails");
	bootcfg_free(&c);

	/* choose in a chain still follows each item */
	r = bootcfg_ipxe("#!ipxe\nmenu\nitem a A\nitem b B\n"
		"choose --default b t && goto ${t} || goto gone\n"
		":a\nchain /a\n:b\nchain /b\n", NULL, &c);
	CHECK(r == 0 && c.n == 2 && c.def == 1, "ipxe(choose && goto) = %d, "
		"n %zu, def %d (why: %s)", r, c.n, c.def, c.why);
	bootcfg_free(&c);
}

/* the seed tests/fuzz/corpus/ipxe/netboot-menu (hop.entry, the script,
 * the caller's variables, NUL separated): its "isset ${menu-default} ||
 * set menu-default ubuntu" makes ubuntu the default */
static void ipxe_netboot_seed(void)
{
	static char text[16384];
	const char *vars[32], *script, *p, *end;
	struct boot_config c;
	FILE *f = fopen("tests/fuzz/corpus/ipxe/netboot-menu", "rb");
	size_t n = f ? fread(text, 1, sizeof(text) - 1, f) : 0, nv = 0;
	int r;

	if (f) {
		fclose(f);
	}
	CHECK(n > 0 && n < sizeof(text) - 1, "ipxe(netboot seed) read %zu "
		"bytes", n);
	end = text + n;
	script = text + strlen(text) + 1;
	for (p = script + strlen(script) + 1; p < end && nv + 1 < N(vars);
		p += strlen(p) + 1) {
		vars[nv++] = p;
	}
	vars[nv] = NULL;
	if (script >= end) {
		return;
	}
	bootcfg_init(&c);
	r = bootcfg_ipxe_vars(script, "netboot-menu", vars, &c);
	CHECK(r == 0 && c.n == 4, "ipxe(netboot seed) = %d, n %zu (why: %s)",
		r, c.n, c.why);
	CHECK(c.def >= 0 && (size_t)c.def < c.n &&
		!strcmp(c.e[c.def].label, "ubuntu"), "ipxe(netboot seed) "
		"default %d (%s); want ubuntu", c.def, c.def >= 0 &&
		(size_t)c.def < c.n ? c.e[c.def].label : "-");
	CHECK_INT("ipxe(netboot seed) timeout", c.timeout_ds, 100);
	CHECK_INT("ipxe(netboot seed) hop.entry", bootcfg_choose(&c, text),
		c.def);
	bootcfg_free(&c);
}

/* ---- imgargs: the kernel's name is its URI's last segment, or --name */
static void ipxe_imgargs(void)
{
	struct boot_config c;
	int r;

	bootcfg_init(&c);
	r = bootcfg_ipxe("#!ipxe\n"
		"kernel tftp://10.0.2.2/images/vmlinuz-6.1.0?x=1 old\n"
		"imgargs vmlinuz-6.1.0 root=/dev/nfs   nfsroot=10.0.2.2:/srv\n"
		"boot\n", NULL, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].cmdline,
		"root=/dev/nfs nfsroot=10.0.2.2:/srv"), "ipxe(imgargs by URI "
		"name) = %d, cmdline %s (why: %s)", r, c.n ? c.e[0].cmdline :
		"-", c.why);
	CHECK_INT("ipxe(imgargs by URI name) nnotes", c.nnotes, 0);
	bootcfg_free(&c);

	r = bootcfg_ipxe("#!ipxe\n"
		"kernel -n linux http://h/k.efi old args\n"
		"imgargs k.efi ignored\n"
		"imgargs linux new args initrd=initrd.magic\n"
		"initrd --name initrd.magic http://h/initrd\n"
		"imgargs initrd.magic x\n"
		"boot\n", NULL, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].cmdline,
		"new args initrd=initrd.magic"), "ipxe(imgargs by --name) = "
		"%d, cmdline %s (why: %s)", r, c.n ? c.e[0].cmdline : "-",
		c.why);
	CHECK_INT("ipxe(imgargs by --name) nnotes", c.nnotes, 2);
	CHECK_STR("ipxe(imgargs by --name) note", c.note, "script.ipxe:3: "
		"imgargs: 'k.efi' is no image loaded, skipped");
	bootcfg_free(&c);

	/* imgargs without arguments clears the command line */
	r = bootcfg_ipxe("#!ipxe\nkernel /boot/k a b\nimgargs k\nboot\n", NULL,
		&c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].cmdline, ""),
		"ipxe(imgargs, no args) = %d (why: %s)", r, c.why);
	bootcfg_free(&c);
}

/* ---- a netboot.xyz-style menu: gaps, keys, a default and a timeout,
 * items that boot, chain, drop to a shell or go back to the menu ---- */
static const char menu[] =
	"#!ipxe\n"
	"set base-url http://boot.example.com/images\n"
	":start\n"
	"menu Boot menu for ${hostname}\n"
	"item --gap -- ---- Linux ----\n"
	"item debian Debian 12 (${buildarch})\n"
	"item --key u ubuntu Ubuntu 22.04 live\n"
	"item --gap -- ---- Tools ----\n"
	"item memtest Memtest86+\n"
	"item shell iPXE shell\n"
	"item back Start over\n"
	"choose --default ubuntu --timeout 5000 target && goto ${target}\n"
	"\n"
	":debian\n"
	"kernel ${base-url}/debian/linux priority=critical\n"
	"initrd ${base-url}/debian/initrd.gz\n"
	"boot || goto start\n"
	"\n"
	":ubuntu\n"
	"kernel ${base-url}/ubuntu/vmlinuz\n"
	"initrd ${base-url}/ubuntu/initrd\n"
	"imgargs vmlinuz boot=casper url=${base-url}/ubuntu.iso ip=dhcp "
	"from=${target}\n"
	"boot\n"
	"\n"
	":memtest\n"
	"chain ${base-url}/memtest.efi\n"
	"\n"
	":shell\n"
	"shell\n"
	"\n"
	":back\n"
	"goto start\n";

#define IMG "http://boot.example.com/images"
static const struct want menu_want[] = {
	{ "debian", "Debian 12 (x86_64)", IMG "/debian/linux",
		"priority=critical", IMG "/debian/initrd.gz", 1 },
	{ "ubuntu", "Ubuntu 22.04 live", IMG "/ubuntu/vmlinuz",
		"boot=casper url=" IMG "/ubuntu.iso ip=dhcp from=ubuntu",
		IMG "/ubuntu/initrd", 1 },
	{ "memtest", "Memtest86+", IMG "/memtest.efi", "", NULL, 0 },
};

/* a menu inside an item: its items are the entries, its default the
 * top item's */
static const char nested[] =
	"#!ipxe\n"
	"initrd /common.img\n"
	":top\n"
	"menu Top\n"
	"item local Boot the disk\n"
	"item linux Linux installers\n"
	"choose --default linux sel\n"
	"goto ${sel}\n"
	":local\n"
	"sanboot --no-describe --drive 0x80\n"
	":linux\n"
	"menu Linux\n"
	"item deb Debian\n"
	"item --default fed Fedora\n"
	"item up Back\n"
	"choose os || goto top\n"
	"goto ${os}\n"
	":deb\n"
	"chain /deb/linux\n"
	":fed\n"
	"kernel /fed/vmlinuz inst.repo=${sel}/${os}\n"
	"boot\n"
	":up\n"
	"goto top\n";

static const struct want nested_want[] = {
	{ "deb", "Debian", "/deb/linux", "", "/common.img", 1 },
	{ "fed", "Fedora", "/fed/vmlinuz", "inst.repo=linux/fed",
		"/common.img", 1 },
};

static void ipxe_menu(void)
{
	static const char *const vars[] = { "hostname=node1",
		"buildarch=x86_64", "bogus", NULL };
	struct boot_config c;
	int r;

	bootcfg_init(&c);
	r = bootcfg_ipxe_vars(menu, "menu.ipxe", vars, &c);
	CHECK_INT("ipxe(menu)", r, 0);
	check_entries("ipxe(menu)", &c, menu_want, N(menu_want));
	CHECK_INT("ipxe(menu) def", c.def, 1);
	CHECK_INT("ipxe(menu) timeout", c.timeout_ds, 50);
	CHECK_INT("ipxe(menu) choose ubuntu", bootcfg_choose(&c, "ubuntu"), 1);
	/* shell and back boot nothing */
	CHECK_INT("ipxe(menu) nnotes", c.nnotes, 2);
	CHECK_STR("ipxe(menu) note", c.note, "menu.ipxe:12: item 'shell' boots "
		"no kernel, skipped");
	bootcfg_free(&c);

	r = bootcfg_ipxe(nested, NULL, &c);
	CHECK_INT("ipxe(nested menu)", r, 0);
	check_entries("ipxe(nested menu)", &c, nested_want, N(nested_want));
	CHECK_INT("ipxe(nested menu) def", c.def, 1);
	CHECK_STR("ipxe(nested menu) note", c.note, "script.ipxe:10: sanboot "
		"boots a disk, not Linux");
	bootcfg_free(&c);

	/* without --default: item --default, else the first item; a default
	 * that boots nothing leaves the choice to hop (def -1) */
	r = bootcfg_ipxe("#!ipxe\nmenu\nitem a A\nitem b B\nchoose x\n"
		":a\nchain /a\n:b\nchain /b\n", NULL, &c);
	CHECK(r == 0 && c.n == 2 && c.def == 0 && !c.e[1].title[1],
		"ipxe(first item default) = %d, def %d (why: %s)", r, c.def,
		c.why);
	bootcfg_free(&c);
	r = bootcfg_ipxe("#!ipxe\nmenu\nitem x Exit\nitem a A\nchoose -t 0 "
		"--default=x v\n:a\nchain /a\n:x\nexit\n", NULL, &c);
	CHECK(r == 0 && c.n == 1 && c.def == -1 &&
		c.timeout_ds == BOOTCFG_NO_TIMEOUT, "ipxe(default boots "
		"nothing) = %d, def %d", r, c.def);
	CHECK_INT("ipxe(default boots nothing) nnotes", c.nnotes, 2);
	bootcfg_free(&c);

	/* an item without its label is skipped, not refused */
	r = bootcfg_ipxe("#!ipxe\nitem gone Gone\nitem a\nchoose x\n"
		":a\nchain /a\n", NULL, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].label, "a") &&
		c.e[0].title == NULL, "ipxe(item without label) = %d (why: %s)",
		r, c.why);
	CHECK_STR("ipxe(item without label) note", c.note, "script.ipxe:4: "
		"item 'gone' has no label ':gone', skipped");
	bootcfg_free(&c);

	/* a menu without items, a choose without a variable */
	r = bootcfg_ipxe("#!ipxe\nmenu\nchoose x\n", NULL, &c);
	check_refused("ipxe(no items)", r, &c, -ENOENT,
		"script.ipxe: no boot entry");
	CHECK_STR("ipxe(no items) note", c.note, "script.ipxe:3: choose "
		"without items, skipped");
	bootcfg_free(&c);
}

/* ---- variables ---- */
static void ipxe_vars(void)
{
	static const char *const vars[] = {
		"next-server=10.0.2.2", "buildarch=x86_64",
		"net0/ip=10.0.2.15", "gateway=10.0.2.2", "hostname=vm1",
		"net0.dhcp/mac=52:54:00:12:34:56", "ip=10.9.9.9", NULL,
	};
	static const char *const scoped[] = { "net0/ip=10.0.2.15", NULL };
	struct boot_config c;
	int r;

	bootcfg_init(&c);
	r = bootcfg_ipxe_vars("#!ipxe\n"
		"set server ${next-server}\n"
		"set path:string /boot/${buildarch}\n"
		"set cmd console=ttyS0   ip=${ip}::${gateway}:255.255.255.0:"
		"${hostname}::none\n"
		"kernel tftp://${server}${path}/vmlinuz ${cmd} "
		"BOOTIF=01-${mac:hexhyp} ${net0/ip}\n"
		"boot\n", NULL, vars, &c);
	CHECK_INT("ipxe(vars)", r, 0);
	if (c.n == 1) {
		CHECK_STR("ipxe(vars) kernel", c.e[0].kernel,
			"tftp://10.0.2.2/boot/x86_64/vmlinuz");
		/* an exact name first, then a scoped one */
		CHECK_STR("ipxe(vars) cmdline", c.e[0].cmdline,
			"console=ttyS0 ip=10.9.9.9::10.0.2.2:255.255.255.0:"
			"vm1::none BOOTIF=01-52:54:00:12:34:56 10.0.2.15");
	}
	CHECK_INT("ipxe(vars) nnotes", c.nnotes, 0);
	bootcfg_free(&c);

	/* set shadows the table; "${a${b}}" the innermost first; an
	 * unscoped name finds a scoped one; a value is not expanded again */
	r = bootcfg_ipxe_vars("#!ipxe\nset ip 1.2.3.4\nset b x\nset ax hello\n"
		"set d $\nset e ${d}{b}\nkernel /${a${b}} ${ip} ${e}\nboot\n",
		NULL, scoped, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].kernel, "/hello") &&
		!strcmp(c.e[0].cmdline, "1.2.3.4 ${b}"), "ipxe(set over table) "
		"= %d, cmdline %s (why: %s)", r, c.n ? c.e[0].cmdline : "-",
		c.why);
	bootcfg_free(&c);
	r = bootcfg_ipxe_vars("#!ipxe\nkernel /k ${ip}\nboot\n", NULL, scoped,
		&c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].cmdline, "10.0.2.15"),
		"ipxe(scoped) = %d (why: %s)", r, c.why);
	bootcfg_free(&c);

	/* unknown: "" and a note, once per name; clear and an empty set
	 * unset */
	r = bootcfg_ipxe("#!ipxe\nset a 1\nclear a\nset b 2\nset b\n"
		"kernel /k a=${a} b=${b} a=${a} c=${c:int}\nboot\n", NULL, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].cmdline, "a= b= a= c="),
		"ipxe(unknown vars) = %d (why: %s)", r, c.why);
	CHECK_INT("ipxe(unknown vars) nnotes", c.nnotes, 3);
	CHECK_STR("ipxe(unknown vars) note", c.note, "script.ipxe:6: ${a} is "
		"not set, expands to nothing");
	bootcfg_free(&c);

	r = bootcfg_ipxe("#!ipxe\nkernel /k ${a\nboot\n", NULL, &c);
	check_refused("ipxe(${ without })", r, &c, -EINVAL,
		"script.ipxe:2: '${' without '}'");
	bootcfg_free(&c);
}

/* ---- names: 256 bytes at most; the caller's table checked once ---- */
static void ipxe_names(void)
{
	static const char *const bad_table[] = { "esc=\x1b[2J", "ok=1",
		NULL };
	struct boot_config c;
	int r;

	bootcfg_init(&c);
	/* 256 bytes: set; 257: a note, the set fails, the script goes on
	 * (a reference to 257 bytes is to nothing) */
	{
		char a[257], b[258], t[2048];

		memset(a, 'n', 256);
		a[256] = '\0';
		memset(b, 'n', 257);
		b[257] = '\0';
		snprintf(t, sizeof(t), "#!ipxe\nset %s v\nset %s w || set f "
			"failed\nkernel /k ${f} ${%s} ${%s}\nboot\n", a, b, a,
			b);
		r = bootcfg_ipxe(t, NULL, &c);
		CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].cmdline,
			"failed v "), "ipxe(long names) = %d, cmdline %s "
			"(why: %s)", r, c.n ? c.e[0].cmdline : "-", c.why);
		CHECK_STR("ipxe(long names) note", c.note, "script.ipxe:3: a "
			"variable name longer than 256 bytes, not set");
		CHECK_INT("ipxe(long names) nnotes", c.nnotes, 2);
	}
	bootcfg_free(&c);

	/* a bad value never named is never refused */
	r = bootcfg_ipxe_vars("#!ipxe\nkernel /k ${ok}\nboot\n", NULL,
		bad_table, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].cmdline, "1"),
		"ipxe(bad value not named) = %d (why: %s)", r, c.why);
	bootcfg_free(&c);
}

/* ---- items: an empty label, or one longer than a value, is skipped ---- */
static void ipxe_items(void)
{
	struct boot_config c;
	char *t;
	int r;

	bootcfg_init(&c);
	r = bootcfg_ipxe("#!ipxe\nmenu\nitem ${none} Empty\nitem a A\n"
		"choose t\n:\nkernel /empty ${t}\nboot\n:a\nkernel /a ${t}\n"
		"boot\n", NULL, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].label, "a") &&
		!strcmp(c.e[0].cmdline, "a"), "ipxe(empty item label) = %d, "
		"n %zu (why: %s)", r, c.n, c.why);
	CHECK_INT("ipxe(empty item label) nnotes", c.nnotes, 2);
	bootcfg_free(&c);

	/* 1025 bytes: skipped, where before the choose's variable refused
	 * the script */
	t = test_repeat("#!ipxe\nmenu\nitem ", "l", 1025, " Long\nitem a A\n"
		"choose t\n:a\nkernel /a ${t}\nboot\n");
	r = t ? bootcfg_ipxe(t, NULL, &c) : -ENOMEM;
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].cmdline, "a"),
		"ipxe(long item label) = %d (why: %s)", r, c.why);
	CHECK_STR("ipxe(long item label) note", c.note, "script.ipxe:3: an "
		"item whose label is longer than a value, skipped");
	bootcfg_free(&c);
	free(t);
}

/* ---- refusals ---- */
static void ipxe_refused(void)
{
	static const char *const not_ipxe[] = {
		"", "kernel /k\nboot\n", "#!ipxex\nkernel /k\nboot\n",
		" #!ipxe\nkernel /k\nboot\n", "#!IPXE\nkernel /k\nboot\n",
		"\xef\xbb#!ipxe\n",
	};
	static const char *const bad_table[] = { "esc=\x1b[2J", NULL };
	struct boot_config c;
	char *t;
	size_t i;
	int r;

	bootcfg_init(&c);
	for (i = 0; i < N(not_ipxe); i++) {
		r = bootcfg_ipxe(not_ipxe[i], NULL, &c);
		check_refused("ipxe(not a script)", r, &c, -EINVAL,
			"script.ipxe: not an iPXE script (no #!ipxe line)");
		bootcfg_free(&c);
	}

	/* lines 1 to 4, then 3 and 4 again and again: run 10001 is line 3 */
	r = bootcfg_ipxe("#!ipxe\n:loop\necho again\ngoto loop\n", NULL, &c);
	check_refused("ipxe(goto loop)", r, &c, -ELOOP, "script.ipxe:3: more "
		"than 10000 lines run (a goto loop?)");
	bootcfg_free(&c);
	/* a loop through a menu's items: each run counts */
	r = bootcfg_ipxe("#!ipxe\n:m\nmenu\nitem a\nchoose x\n:a\ngoto b\n"
		":b\ngoto a\n", NULL, &c);
	CHECK_INT("ipxe(loop in an item)", r, -ELOOP);
	bootcfg_free(&c);
	r = bootcfg_ipxe("#!ipxe\ngoto nowhere\n:somewhere\n", NULL, &c);
	check_refused("ipxe(unknown label)", r, &c, -EINVAL, "script.ipxe:2: "
		"goto 'nowhere': no label ':nowhere'");
	bootcfg_free(&c);

	t = test_repeat("#!ipxe\nkernel /k\n", "initrd /i\n", HOP_MAX_INITRD + 1,
		"boot\n");
	r = t ? bootcfg_ipxe(t, NULL, &c) : -ENOMEM;
	check_refused("ipxe(17 initrds)", r, &c, -E2BIG, "script.ipxe:19: "
		"more than 16 initrds");
	bootcfg_free(&c);
	free(t);
	t = test_repeat("#!ipxe\nkernel /k\n", "initrd /i\n", HOP_MAX_INITRD,
		"boot\n");
	r = t ? bootcfg_ipxe(t, NULL, &c) : -ENOMEM;
	CHECK(r == 0 && c.n == 1 && c.e[0].ninitrd == HOP_MAX_INITRD,
		"ipxe(16 initrds) = %d (why: %s)", r, c.why);
	bootcfg_free(&c);
	free(t);

	/* control characters, in the text or from a value; a tab is fine */
	r = bootcfg_ipxe("#!ipxe\nkernel /k a\x01z\nboot\n", NULL, &c);
	check_refused("ipxe(control character)", r, &c, -EINVAL,
		"script.ipxe:2: a control character");
	bootcfg_free(&c);
	r = bootcfg_ipxe("#!ipxe\nkernel /k\ra\nboot\n", NULL, &c);
	check_refused("ipxe(CR inside a line)", r, &c, -EINVAL,
		"script.ipxe:2: a control character");
	bootcfg_free(&c);
	r = bootcfg_ipxe("#!ipxe\nkernel /k \x7f\nboot\n", NULL, &c);
	check_refused("ipxe(DEL)", r, &c, -EINVAL,
		"script.ipxe:2: a control character");
	bootcfg_free(&c);
	r = bootcfg_ipxe_vars("#!ipxe\nkernel /k ${esc}\nboot\n", NULL,
		bad_table, &c);
	check_refused("ipxe(control character from a value)", r, &c, -EINVAL,
		"script.ipxe:2: a control character");
	bootcfg_free(&c);
	/* refused where it is named, before a note could quote it */
	r = bootcfg_ipxe_vars("#!ipxe\nkernel /k ${a${esc}}\nboot\n", NULL,
		bad_table, &c);
	check_refused("ipxe(control character in a name)", r, &c, -EINVAL,
		"script.ipxe:2: a control character");
	CHECK_INT("ipxe(control character in a name) nnotes", c.nnotes, 0);
	bootcfg_free(&c);

	/* boot with nothing loaded boots nothing */
	r = bootcfg_ipxe("#!ipxe\nboot\n", NULL, &c);
	check_refused("ipxe(boot, no kernel)", r, &c, -ENOENT,
		"script.ipxe: no boot entry");
	CHECK_STR("ipxe(boot, no kernel) note", c.note, "script.ipxe:2: boot "
		"without a kernel");
	bootcfg_free(&c);

	/* what hop does not know: a note per word, the line skipped */
	r = bootcfg_ipxe("#!ipxe\nfrobnicate x\nfrobnicate y\nntp pool.org\n"
		"kernel --bogus /k\nboot\n", NULL, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].kernel, "/k"),
		"ipxe(unknown commands) = %d (why: %s)", r, c.why);
	CHECK_INT("ipxe(unknown commands) nnotes", c.nnotes, 2);
	CHECK_STR("ipxe(unknown commands) note", c.note, "script.ipxe:2: "
		"'frobnicate' not understood, skipped");
	bootcfg_free(&c);
}

/* ---- the boot's budget ---- */
static void ipxe_budget(void)
{
	static const char *const vars[] = { "hostname=node1",
		"buildarch=x86_64", NULL };
	struct bootcfg_budget b;
	struct boot_config c;
	int r;

	/* a script costs its text, one file, its entries, what expansion
	 * made and what the entries copy */
	bootcfg_budget_default(&b);
	bootcfg_init(&c);
	c.budget = &b;
	r = bootcfg_ipxe_vars(menu, "menu.ipxe", vars, &c);
	CHECK_INT("ipxe(menu, budget)", r, 0);
	CHECK_INT("ipxe(menu, budget) entries left", b.entries, 1024 - 3);
	CHECK_INT("ipxe(menu, budget) files left", b.files, 255);
	CHECK_INT("ipxe(menu, budget) read left", b.read, (4 << 20) -
		strlen(menu));
	CHECK(b.expand < (4 << 20) && b.expand > (4 << 20) - 4096,
		"ipxe(menu, budget) spent %zu bytes of expansion; want 1..4096",
		(size_t)(4 << 20) - b.expand);
	CHECK(c.budget == &b, "ipxe kept budget %p; want %p",
		(void *)c.budget, (void *)&b);
	bootcfg_free(&c);

	/* two entries left: the third item's is refused, where it is made */
	bootcfg_budget_default(&b);
	b.entries = 2;
	c.budget = &b;
	r = bootcfg_ipxe_vars(menu, "menu.ipxe", vars, &c);
	check_refused("ipxe(entries budget)", r, &c, -E2BIG, "menu.ipxe:26: "
		"more than 1024 entries in this boot (hop's budget)");
	bootcfg_free(&c);

	/* the text alone is over what is left */
	bootcfg_budget_default(&b);
	b.read = 10;
	c.budget = &b;
	r = bootcfg_ipxe(minimal, NULL, &c);
	check_refused("ipxe(read budget)", r, &c, -E2BIG, "script.ipxe: more "
		"than 4194304 bytes of configuration text in this boot (hop's "
		"budget)");
	CHECK_INT("ipxe(read budget) read left", b.read, 10);
	bootcfg_free(&c);

	/* expansion: a 1000-byte value named 100 times over many lines */
	bootcfg_budget_default(&b);
	b.expand = 50000;
	c.budget = &b;
	{
		char *t = test_repeat("#!ipxe\nset a ", "0123456789", 100, "\n");
		char *u = t ? test_repeat(t, "echo ${a}${a}${a}${a}\n", 100,
			"kernel /k\nboot\n") : NULL;

		r = u ? bootcfg_ipxe(u, NULL, &c) : -ENOMEM;
		check_refused("ipxe(expand budget)", r, &c, -E2BIG,
			"script.ipxe:15: more than 4194304 bytes of variable "
			"expansion in this boot (hop's budget)");
		free(t);
		free(u);
	}
	bootcfg_free(&c);

	/* a reference to nothing pays for its "${...}" */
	bootcfg_budget_default(&b);
	b.expand = 100;
	c.budget = &b;
	{
		char *t = test_repeat("#!ipxe\nkernel /k ", "${x}", 30,
			"\nboot\n");

		r = t ? bootcfg_ipxe(t, NULL, &c) : -ENOMEM;
		check_refused("ipxe(expand budget, unknown)", r, &c, -E2BIG,
			"script.ipxe:2: more than 4194304 bytes of variable "
			"expansion in this boot (hop's budget)");
		free(t);
	}
	bootcfg_free(&c);
}

/* the hostile script of 64 variables of the longest names and a goto
 * loop of lines of references to nothing: every reference pays for its
 * text, so the loop ends with the expansion budget (a small one here, to
 * be quick), never with the 10000 lines' bound, and each reference
 * costs a look at 64 lengths, not a strlen of 64 names */
static void ipxe_hostile(void)
{
	struct bootcfg_budget b;
	struct boot_config c;
	char name[257], *t;
	size_t n = 0, cap = 64 * 300 + 8192;
	int r, i;

	memset(name, 'n', 256);
	name[256] = '\0';
	t = malloc(cap);
	if (!t) {
		CHECK(0, "ipxe(hostile): no memory");
		return;
	}
	n += (size_t)snprintf(t + n, cap - n, "#!ipxe\n");
	for (i = 0; i < 64; i++) {
		name[0] = (char)('a' + i / 26);
		name[1] = (char)('a' + i % 26);
		n += (size_t)snprintf(t + n, cap - n, "set %s x\n", name);
	}
	/* a longer name: a note, no refusal */
	n += (size_t)snprintf(t + n, cap - n, "set %sn x\n:loop\necho ", name);
	for (i = 0; i < 600; i++) {
		n += (size_t)snprintf(t + n, cap - n, "%s", i & 1 ? "${}" :
			"${unknown}");
	}
	snprintf(t + n, cap - n, "\ngoto loop\n");
	bootcfg_budget_default(&b);
	b.expand = 256 << 10;
	bootcfg_init(&c);
	c.budget = &b;
	r = bootcfg_ipxe(t, NULL, &c);
	check_refused("ipxe(hostile)", r, &c, -E2BIG, "script.ipxe:68: more "
		"than 4194304 bytes of variable expansion in this boot (hop's "
		"budget)");
	CHECK_STR("ipxe(hostile) note", c.note, "script.ipxe:66: a variable "
		"name longer than 256 bytes, not set");
	bootcfg_free(&c);
	free(t);
}

/* ---- hostile and huge: 1 MiB of set lines, doubling values, long
 * lines, many labels and variables stay bounded ---- */
static void ipxe_huge(void)
{
	struct boot_config c;
	char *t;
	int r, i;

	bootcfg_init(&c);
	/* 1 MiB of one set: the lines run are bounded */
	t = test_repeat("#!ipxe\n", "set a b\n", (1 << 20) / 8, "kernel /k\nboot\n");
	r = t ? bootcfg_ipxe(t, NULL, &c) : -ENOMEM;
	check_refused("ipxe(1 MiB of set)", r, &c, -ELOOP, "script.ipxe:10001: "
		"more than 10000 lines run (a goto loop?)");
	bootcfg_free(&c);
	free(t);

	/* 1 MiB of distinct variables: 64 of them */
	{
		size_t cap = (1 << 20) + 64, n;

		t = malloc(cap);
		n = t ? (size_t)snprintf(t, cap, "#!ipxe\n") : 0;
		for (i = 0; t && n + 32 < cap; i++) {
			n += (size_t)snprintf(t + n, cap - n, "set v%d x\n", i);
		}
	}
	r = t ? bootcfg_ipxe(t, NULL, &c) : -ENOMEM;
	check_refused("ipxe(1 MiB of variables)", r, &c, -E2BIG,
		"script.ipxe:66: more than 64 variables set");
	bootcfg_free(&c);
	free(t);

	/* a value doubled from itself: 8 bytes, then 16 ... 1024, then
	 * refused, each line of 1 MiB of them */
	t = test_repeat("#!ipxe\nset a xxxxxxxx\n", "set a ${a}${a}\n",
		(1 << 20) / 15, "");
	r = t ? bootcfg_ipxe(t, NULL, &c) : -ENOMEM;
	check_refused("ipxe(doubling)", r, &c, -E2BIG,
		"script.ipxe:10: a value longer than 1024 bytes");
	bootcfg_free(&c);
	free(t);

	/* a line of five 1000-byte values, and a line too long as written */
	t = test_repeat("#!ipxe\nset a ", "0123456789", 100, "\n"
		"kernel /k ${a}${a}${a}${a}${a}\nboot\n");
	r = t ? bootcfg_ipxe(t, NULL, &c) : -ENOMEM;
	check_refused("ipxe(long expansion)", r, &c, -E2BIG,
		"script.ipxe:3: a command longer than 4096 bytes");
	bootcfg_free(&c);
	free(t);
	t = test_repeat("#!ipxe\nkernel /k ", "a ", 4096, "\nboot\n");
	r = t ? bootcfg_ipxe(t, NULL, &c) : -ENOMEM;
	check_refused("ipxe(long line)", r, &c, -E2BIG,
		"script.ipxe:2: a command longer than 4096 bytes");
	bootcfg_free(&c);
	free(t);
	/* a long comment is no command */
	t = test_repeat("#!ipxe\n# ", "comment ", 100000, "\nkernel /k\nboot\n");
	r = t ? bootcfg_ipxe(t, NULL, &c) : -ENOMEM;
	CHECK(r == 0 && c.n == 1, "ipxe(long comment) = %d (why: %s)", r,
		c.why);
	bootcfg_free(&c);
	free(t);

	/* labels: a thousand and one */
	t = test_repeat("#!ipxe\n", ":l\n", 1025, "");
	r = t ? bootcfg_ipxe(t, NULL, &c) : -ENOMEM;
	check_refused("ipxe(1025 labels)", r, &c, -E2BIG,
		"script.ipxe:1026: more than 1024 labels");
	bootcfg_free(&c);
	free(t);

	/* 100000 items: 256 in a menu */
	t = test_repeat("#!ipxe\nmenu\n", "item a A\n", 100000, "choose x\n");
	r = t ? bootcfg_ipxe(t, NULL, &c) : -ENOMEM;
	check_refused("ipxe(100000 items)", r, &c, -E2BIG,
		"script.ipxe:259: more than 256 items in a menu");
	bootcfg_free(&c);
	free(t);

	/* a menu whose every item reaches a menu of its own: 8 deep, then
	 * the run stops; each level's entries count once */
	r = bootcfg_ipxe("#!ipxe\ninitrd /i\n:m\nmenu\nitem a A\nitem b B\n"
		"choose x\n:a\ngoto m2\n:b\nchain /b\n:m2\nmenu\nitem a A2\n"
		"item b B2\nchoose y\n", NULL, &c);
	CHECK(r == 0 && c.n == 2 && !strcmp(c.e[0].title, "B2") &&
		!strcmp(c.e[1].title, "B"), "ipxe(menu in an item) = %d, n %zu "
		"(why: %s)", r, c.n, c.why);
	bootcfg_free(&c);
}

void test_ipxe(void)
{
	ipxe_minimal();
	ipxe_lines();
	ipxe_is_script();
	ipxe_chain();
	ipxe_chains();
	ipxe_netboot_seed();
	ipxe_imgargs();
	ipxe_menu();
	ipxe_vars();
	ipxe_names();
	ipxe_items();
	ipxe_refused();
	ipxe_budget();
	ipxe_hostile();
	ipxe_huge();
}
