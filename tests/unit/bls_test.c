/* BLS entries as Fedora, RHEL and kernel-install write them: grub
 * variables from the grubenv ($kernelopts, $tuned_params, $tuned_initrd),
 * systemd-boot's entry ids (with ".conf", any case) and its titles made
 * unique. The fixtures are written here the way each generator writes its
 * files; bootcfg_test.c has the rest of the BLS tests. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg.h"
#include "test.h"

/* the files: tests/unit/fixtures.c's in-memory file system (text NULL:
 * a file that cannot be read, ELOOP) */

/* a grubenv as grub2-editenv writes it: the signature, the variables,
 * '#' up to 1024 bytes (grub-core/lib/envblk.c) */
static char *grubenv(const char *vars)
{
	size_t n = strlen("# GRUB Environment Block\n") + strlen(vars);
	char *s = malloc(n > 1024 ? n + 1 : 1025);

	if (!s) {
		abort();
	}
	strcat(strcpy(s, "# GRUB Environment Block\n"), vars);
	for (; n < 1024; n++) {
		s[n] = '#';
	}
	s[n] = '\0';
	return s;
}

/* ---- RHEL 8: options $kernelopts ---- */

#define RHEL_MID "5e3c7e1ab9f04d7a8c3b2f1e0d9c8b7a"
#define RHEL_OPTS "root=/dev/mapper/rhel-root ro crashkernel=auto " \
	"resume=/dev/mapper/rhel-swap rd.lvm.lv=rhel/root rd.lvm.lv=rhel/swap " \
	"rhgb quiet"
#define TUNED_PARAMS "skew_tick=1 isolcpus=managed_irq,domain,2-3 " \
	"intel_pstate=disable nosoftlockup tsc=reliable"

/* what RHEL 8.5's kernel-install (20-grub.install) and grubby write into
 * /boot/loader/entries; the grubenv as grub2-mkconfig leaves it (the
 * kernelopts line ends in a blank there), then tuned's realtime profile */
#define RHEL_KERNEL RHEL_MID "-4.18.0-348.el8.x86_64.conf"
#define RHEL_RESCUE RHEL_MID "-0-rescue.conf"
static const char rhel_kernel[] =
	"title Red Hat Enterprise Linux (4.18.0-348.el8.x86_64) 8.5 (Ootpa)\n"
	"version 4.18.0-348.el8.x86_64\n"
	"linux /vmlinuz-4.18.0-348.el8.x86_64\n"
	"initrd /initramfs-4.18.0-348.el8.x86_64.img $tuned_initrd\n"
	"options $kernelopts $tuned_params\n"
	"id rhel-20211014093823-4.18.0-348.el8.x86_64\n"
	"grub_users $grub_users\n"
	"grub_arg --unrestricted\n"
	"grub_class kernel\n";
static const char rhel_rescue[] =
	"title Red Hat Enterprise Linux (0-rescue-" RHEL_MID ") 8.5 (Ootpa)\n"
	"version 0-rescue-" RHEL_MID "\n"
	"linux /vmlinuz-0-rescue-" RHEL_MID "\n"
	"initrd /initramfs-0-rescue-" RHEL_MID ".img\n"
	"options $kernelopts\n"
	"id rhel-20211014093722-0-rescue-" RHEL_MID "\n"
	"grub_users $grub_users\n"
	"grub_arg --unrestricted\n"
	"grub_class kernel\n";
#define RHEL_ENV "saved_entry=" RHEL_MID "-4.18.0-348.el8.x86_64\n" \
	"kernelopts=" RHEL_OPTS " \n" \
	"boot_success=0\nboot_indeterminate=0\n"
#define TUNED_ENV "tuned_params=" TUNED_PARAMS "\n" \
	"tuned_initrd=/tuned-initrd.img\n"

/* one layout: where the entries are, where the grubenv is (NULL: none;
 * its text NULL: unreadable) */
struct layout {
	const char *what, *root, *env_path, *env;
	const char *cmdline, *rescue_cmdline, *tuned_initrd, *note;
	unsigned nnotes;
	size_t files;	/* files the parse read: the grubenv once */
};

static void check_layout(const struct layout *l)
{
	char kpath[160], rpath[160], *env = l->env ? grubenv(l->env) : NULL;
	struct memfs_file fs[] = {
		{ kpath, rhel_kernel }, { rpath, rhel_rescue },
		{ l->env_path, env }, { NULL, NULL },
	};
	struct bootcfg_io io = { memfs_read, memfs_list, fs, NULL, NULL };
	struct bootcfg_budget b;
	struct boot_config c;
	char what[96];
	int r;

	if (!l->env_path) {
		fs[2].path = NULL;
	}
	snprintf(kpath, sizeof(kpath), "%s/loader/entries/" RHEL_KERNEL,
		l->root);
	snprintf(rpath, sizeof(rpath), "%s/loader/entries/" RHEL_RESCUE,
		l->root);
	bootcfg_init(&c);
	bootcfg_budget_default(&b);
	c.budget = &b;
	r = bootcfg_bls(l->root, &io, &c);
	snprintf(what, sizeof(what), "bootcfg_bls(rhel8, %s)", l->what);
	CHECK(r == 0 && c.n == 2, "%s = %d, n %zu; want 0, 2 (why: %s)", what,
		r, c.n, c.why);
	if (r == 0 && c.n == 2) {
		CHECK_STR(what, c.e[0].label, RHEL_MID "-4.18.0-348.el8.x86_64");
		CHECK_STR(what, c.e[0].cmdline, l->cmdline);
		CHECK_STR(what, c.e[1].cmdline, l->rescue_cmdline);
		CHECK_INT(what, c.e[0].ninitrd, l->tuned_initrd ? 2 : 1);
		CHECK_STR(what, c.e[0].initrd[0],
			"/initramfs-4.18.0-348.el8.x86_64.img");
		if (l->tuned_initrd && c.e[0].ninitrd == 2) {
			CHECK_STR(what, c.e[0].initrd[1], l->tuned_initrd);
		}
		/* distinct titles stay as written */
		CHECK_STR(what, c.e[0].title, "Red Hat Enterprise Linux "
			"(4.18.0-348.el8.x86_64) 8.5 (Ootpa)");
		CHECK(!c.e[0].title_raw, "%s title_raw = %s; want NULL", what,
			c.e[0].title_raw);
	}
	CHECK_INT(what, c.nnotes, l->nnotes);
	if (l->note) {
		CHECK_STR(what, c.note, l->note);
	}
	/* loader.conf, two entries, the grubenv files tried (once) */
	CHECK(256 - b.files == l->files, "%s files read %zu; want %zu", what,
		256 - b.files, l->files);
	bootcfg_free(&c);
	free(env);
}

static void test_bls_kernelopts(void)
{
	static const struct layout layouts[] = {
		/* /boot on the root file system: /boot/grub2/grubenv */
		{ "/boot", "/boot", "/boot/grub2/grubenv", RHEL_ENV,
			RHEL_OPTS, RHEL_OPTS, NULL, RHEL_KERNEL ":4: $tuned_initrd "
			"$tuned_params not set (not in grub2/grubenv): empty, as "
			"in grub", 1, 4 },
		/* a /boot partition of its own: /grub2/grubenv */
		{ "boot partition", "", "/grub2/grubenv", RHEL_ENV TUNED_ENV,
			RHEL_OPTS "  " TUNED_PARAMS, RHEL_OPTS,
			"/tuned-initrd.img", NULL, 0, 4 },
		/* grub's own name */
		{ "grub/grubenv", "", "/grub/grubenv", RHEL_ENV TUNED_ENV,
			RHEL_OPTS "  " TUNED_PARAMS, RHEL_OPTS,
			"/tuned-initrd.img", NULL, 0, 5 },
		/* none: what grub does (empty), and a note that says why */
		{ "no grubenv", "/boot", NULL, NULL, "", "", NULL,
			RHEL_KERNEL ":4: $tuned_initrd $kernelopts $tuned_params "
			"not set (grub2/grubenv, grub/grubenv: none on this file "
			"system): empty, as in grub", 2, 5 },
		/* RHEL 8 on UEFI: /boot/grub2/grubenv links to the EFI
		 * partition */
		{ "grubenv out of reach", "/boot", "/boot/grub2/grubenv", NULL,
			"", "", NULL, RHEL_KERNEL ":4: $tuned_initrd $kernelopts "
			"$tuned_params not set (grub2/grubenv: ELOOP): empty, as "
			"in grub", 2, 5 },
		/* a grubenv without kernelopts (grub2-mkconfig never ran) */
		{ "kernelopts unset", "", "/grub2/grubenv", TUNED_ENV,
			TUNED_PARAMS, "", "/tuned-initrd.img", RHEL_KERNEL ":5: "
			"$kernelopts not set (not in grub2/grubenv): empty, as in "
			"grub", 2, 4 },
	};
	static const char bad_env[] = "kernelopts=root=/dev/sda1\n";
	struct memfs_file fs[] = {
		{ "/loader/entries/" RHEL_KERNEL, rhel_kernel },
		{ "/grub2/grubenv", bad_env },
		{ "/grub/grubenv", NULL }, { NULL, NULL },
	};
	struct bootcfg_io io = { memfs_read, memfs_list, fs, NULL, NULL };
	struct boot_config c;
	size_t i;
	int r;

	for (i = 0; i < sizeof(layouts) / sizeof(layouts[0]); i++) {
		check_layout(&layouts[i]);
	}

	/* no signature: grub's load_env refuses it, and so does hop, not
	 * looking further */
	bootcfg_init(&c);
	r = bootcfg_bls("", &io, &c);
	CHECK_INT("bootcfg_bls(grubenv without signature)", r, 0);
	CHECK_STR("bootcfg_bls(grubenv without signature) note", c.note,
		RHEL_KERNEL ":4: $tuned_initrd $kernelopts $tuned_params not "
		"set (grub2/grubenv: not a grub environment block): empty, as "
		"in grub");
	bootcfg_free(&c);
}

/* ---- what expands, and how ---- */

static void test_bls_expand(void)
{
	static const char entry[] =
		"title T $a\n"
		"linux /vmlinuz-$kver\n"
		"devicetree ${dtbdir}/board.dtb\n"
		"options p=${a}q $a$b $ x$ ${b ${} $self $e end\n"
		"initrd ${kver}.img\n";
	char *env = grubenv("a=A\nb=B C\nself=$self!\ne=\nkver=6.1\n"
		"dtbdir=/dtbs\n");
	struct memfs_file fs[] = {
		{ "/loader/entries/x.conf", entry }, { "/grub2/grubenv", env },
		{ NULL, NULL },
	};
	static const struct memfs_file gone_fs[] = {
		{ "/loader/entries/x.conf", "linux $kernel\noptions ro\n" },
		{ NULL, NULL },
	};
	struct bootcfg_io io = { memfs_read, memfs_list, fs, NULL, NULL };
	struct boot_config c;
	int r;

	bootcfg_init(&c);
	r = bootcfg_bls("", &io, &c);
	CHECK(r == 0 && c.n == 1, "bootcfg_bls(expand) = %d; want 0 (%s)", r,
		c.why);
	if (r == 0 && c.n == 1) {
		/* a '$' without a name, "${b" without '}' stay; a value is
		 * not expanded again; "$e" is set, empty */
		CHECK_STR("bootcfg_bls(expand) cmdline", c.e[0].cmdline,
			"p=Aq AB C $ x$ ${b ${} $self!  end");
		CHECK_STR("bootcfg_bls(expand) kernel", c.e[0].kernel,
			"/vmlinuz-6.1");
		CHECK_STR("bootcfg_bls(expand) dtb", c.e[0].dtb,
			"/dtbs/board.dtb");
		CHECK_STR("bootcfg_bls(expand) initrd", c.e[0].initrd[0],
			"6.1.img");
		/* grub shows titles as written */
		CHECK_STR("bootcfg_bls(expand) title", c.e[0].title, "T $a");
	}
	CHECK_INT("bootcfg_bls(expand) nnotes", c.nnotes, 0);
	bootcfg_free(&c);

	/* a linux that expands to nothing: no kernel, dropped */
	io.ctx = (void *)gone_fs;
	r = bootcfg_bls("", &io, &c);
	CHECK(r == -ENOENT && !strcmp(c.why, "loader/entries: no entry with "
		"a kernel (1 without)"), "bootcfg_bls(linux $kernel) = %d (%s)",
		r, c.why);
	bootcfg_free(&c);
	free(env);
}

/* ---- hostile grubenvs and entries ---- */

static char *repeat(const char *head, const char *unit, size_t n,
	const char *tail)
{
	size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail), i;
	char *s = malloc(hl + ul * n + tl + 1), *p;

	if (!s) {
		abort();
	}
	p = s + hl;
	memcpy(s, head, hl);
	for (i = 0; i < n; i++, p += ul) {
		memcpy(p, unit, ul);
	}
	memcpy(p, tail, tl + 1);
	return s;
}

static void test_bls_expand_hostile(void)
{
	struct memfs_file fs[] = {
		{ "/loader/entries/a.conf", NULL }, { "/grub2/grubenv", NULL },
		{ NULL, NULL },
	};
	struct bootcfg_io io = { memfs_read, memfs_list, fs, NULL, NULL };
	struct boot_config c;
	char *big, *env, *entry;
	int r;

	/* a 1 MiB value named five times: 5 MiB, over the expansion budget,
	 * refused before it is copied */
	big = repeat("# GRUB Environment Block\nk=", "x", 1 << 20, "\n");
	fs[1].text = big;
	entry = repeat("linux /k\noptions", " $k", 5, "\n");
	fs[0].text = entry;
	bootcfg_init(&c);
	r = bootcfg_bls("", &io, &c);
	CHECK(r == -E2BIG && !strcmp(c.why, "a.conf:2: more than 4194304 bytes "
		"of variable expansion in this boot (hop's budget)"),
		"bootcfg_bls(5 x 1 MiB) = %d (%s)", r, c.why);
	bootcfg_free(&c);
	free(entry);

	/* three fit */
	entry = repeat("linux /k\noptions", " ${k}", 3, "\n");
	fs[0].text = entry;
	r = bootcfg_bls("", &io, &c);
	CHECK(r == 0 && c.n == 1 && strlen(c.e[0].cmdline) == 3 * (1 << 20) +
		2, "bootcfg_bls(3 x 1 MiB) = %d (%s)", r, c.why);
	bootcfg_free(&c);
	free(entry);
	free(big);

	/* 100,000 references to an unset variable: nothing, one note; and
	 * 100,000 names: the note holds what fits */
	env = grubenv("kernelopts=ro\n");
	fs[1].text = env;
	entry = repeat("linux /k\noptions ", "$u", 100000, "\n");
	fs[0].text = entry;
	r = bootcfg_bls("", &io, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].cmdline, ""),
		"bootcfg_bls(100000 x $u) = %d (%s)", r, c.why);
	CHECK_INT("bootcfg_bls(100000 x $u) nnotes", c.nnotes, 1);
	CHECK_STR("bootcfg_bls(100000 x $u) note", c.note, "a.conf:2: $u not "
		"set (not in grub2/grubenv): empty, as in grub");
	bootcfg_free(&c);
	free(entry);

	entry = repeat("linux /k\noptions ", "$u_$x ", 50000, "\n");
	fs[0].text = entry;
	r = bootcfg_bls("", &io, &c);
	CHECK(r == 0 && c.n == 1, "bootcfg_bls(50000 x \"$u_$x \") = %d (%s)",
		r, c.why);
	CHECK_STR("bootcfg_bls(50000 x \"$u_$x \") note", c.note, "a.conf:2: "
		"$u_ $x not set (not in grub2/grubenv): empty, as in grub");
	bootcfg_free(&c);
	free(entry);

	/* one name 100,000 bytes long: cut in the note */
	entry = repeat("linux /k\noptions $", "n", 100000, " ro\n");
	fs[0].text = entry;
	r = bootcfg_bls("", &io, &c);
	CHECK(r == 0 && c.n == 1 && !strcmp(c.e[0].cmdline, "ro"),
		"bootcfg_bls(100000-byte name) = %d (%s)", r, c.why);
	CHECK(strstr(c.note, "$nnnnnnnn") && strstr(c.note, " ... not set") &&
		strlen(c.note) < sizeof(c.note) - 1, "bootcfg_bls(100000-byte "
		"name) note = \"%s\"", c.note);
	bootcfg_free(&c);
	free(entry);
	free(env);
}

/* 200 entries naming $kernelopts read the grubenv once */
static int many_list(void *ctx, const char *dir, char ***names, size_t *n)
{
	size_t i;

	(void)ctx;
	(void)dir;
	*names = calloc(200, sizeof(**names));
	if (!*names) {
		return -ENOMEM;
	}
	for (i = 0; i < 200; i++) {
		if (asprintf(&(*names)[i], "e%zu.conf", i) < 0) {
			abort();
		}
	}
	*n = 200;
	return 0;
}

static int many_read(void *ctx, const char *path, char **text)
{
	(void)ctx;
	if (strstr(path, "loader.conf")) {
		return -ENOENT;
	}
	/* the same title and version everywhere: every title collides */
	*text = strdup(strstr(path, "grubenv") ?
		"# GRUB Environment Block\nkernelopts=root=/dev/vda2\n" :
		"title Same\nversion 1\nlinux /k\noptions $kernelopts\n");
	return *text ? 0 : -ENOMEM;
}

static void test_bls_many(void)
{
	struct bootcfg_io io = { many_read, many_list, NULL, NULL, NULL };
	struct bootcfg_budget b;
	struct boot_config c;
	size_t i, j, dups = 0;
	int r;

	bootcfg_init(&c);
	bootcfg_budget_default(&b);
	c.budget = &b;
	r = bootcfg_bls("", &io, &c);
	CHECK(r == 0 && c.n == 200, "bootcfg_bls(200 x $kernelopts) = %d, n "
		"%zu (%s)", r, c.n, c.why);
	CHECK_INT("bootcfg_bls(200 x $kernelopts) files", 256 - b.files, 202);
	CHECK_INT("bootcfg_bls(200 x $kernelopts) expand",
		(4u << 20) - b.expand, 200 * strlen("root=/dev/vda2"));
	for (i = 0; i < c.n; i++) {
		for (j = i + 1; j < c.n; j++) {
			dups += !strcmp(c.e[i].title, c.e[j].title);
		}
	}
	CHECK_INT("bootcfg_bls(200 same titles) alike", dups, 0);
	if (c.n == 200) {
		/* sorted by file name, decreasing: e199 first */
		CHECK_STR("bootcfg_bls(200 same titles) e[0]", c.e[0].title,
			"Same (1) (e199.conf)");
		CHECK_STR("bootcfg_bls(200 x $kernelopts) cmdline",
			c.e[199].cmdline, "root=/dev/vda2");
		CHECK_INT("bootcfg_choose(200, \"Same\")", bootcfg_choose(&c,
			"Same"), 0);
	}
	bootcfg_free(&c);
}

/* ---- entry ids ---- */

static void test_bls_ids(void)
{
	static const struct memfs_file fs[] = {
		{ "/loader/entries/Fedora-6.5.conf", "linux /a\n" },
		{ "/loader/entries/e+2-1.conf", "linux /e\n" },
		{ "/loader/entries/arch-lts.conf", "linux /l\n" },
		{ "/loader/loader.conf", "default ARCH-LTS.CONF\n" },
		{ NULL, NULL },
	};
	static const struct {
		const char *want;
		int idx;
	} cases[] = {
		/* grub's id, systemd-boot's (the file name), in any case */
		{ "Fedora-6.5", 2 }, { "Fedora-6.5.conf", 2 },
		{ "fedora-6.5.CONF", 2 }, { "FEDORA-6.5", 2 },
		/* boot counting is not part of the id */
		{ "e", 0 }, { "e.conf", 0 }, { "E.Conf", 0 },
		{ "e+2-1", -ENOENT }, { "Fedora-6", -ENOENT },
		{ ".conf", -ENOENT }, { "arch-lts.conf.conf", -ENOENT },
	};
	struct bootcfg_io io = { memfs_read, memfs_list, (void *)fs, NULL,
		NULL };
	struct boot_config c;
	char what[96];
	size_t i;
	int r;

	bootcfg_init(&c);
	r = bootcfg_bls("", &io, &c);
	CHECK(r == 0 && c.n == 3, "bootcfg_bls(ids) = %d (%s)", r, c.why);
	/* e, arch-lts, Fedora-6.5 (UAPI order, decreasing: 'F' < 'a'), and
	 * the default matched as systemd-boot matches it, ignoring case */
	CHECK_INT("bootcfg_bls(default ARCH-LTS.CONF) def", c.def, 1);
	for (i = 0; r == 0 && i < sizeof(cases) / sizeof(cases[0]); i++) {
		snprintf(what, sizeof(what), "bootcfg_choose(ids, \"%s\")",
			cases[i].want);
		CHECK_INT(what, bootcfg_choose(&c, cases[i].want),
			cases[i].idx);
	}
	bootcfg_free(&c);

	/* other formats keep matching labels exactly */
	r = bootcfg_extlinux("label Linux\nkernel /k\n", "/extlinux.conf", NULL,
		&c);
	CHECK_INT("bootcfg_extlinux(Linux)", r, 0);
	CHECK_INT("bootcfg_choose(extlinux, \"linux\")", bootcfg_choose(&c,
		"linux"), -ENOENT);
	CHECK_INT("bootcfg_choose(extlinux, \"Linux.conf\")",
		bootcfg_choose(&c, "Linux.conf"), -ENOENT);
	CHECK_INT("bootcfg_choose(extlinux, \"Linux\")", bootcfg_choose(&c,
		"Linux"), 0);
	bootcfg_free(&c);
}

/* ---- titles ---- */

#define DEB_MID "3c1f0a2b4d5e6f708192a3b4c5d6e7f8"
#define DEB_MID2 "9d8e7f6a5b4c3d2e1f0a9b8c7d6e5f4a"
#define DEB_TITLE "Debian GNU/Linux 12 (bookworm)"

/* Debian 12 with systemd-boot: what kernel-install's 90-loaderentry.install
 * (systemd 252) writes on the EFI partition, one entry per kernel, all
 * with the OS's PRETTY_NAME as title; a second Debian on the same
 * partition (its own machine-id) */
#define DEB_ENTRY(mid, ver) \
	"# Boot Loader Specification type#1 entry\n" \
	"# File created by /usr/lib/kernel/install.d/90-loaderentry.install " \
	"(systemd 252.22-1~deb12u1)\n" \
	"title      " DEB_TITLE "\n" \
	"version    " ver "\n" \
	"machine-id " mid "\n" \
	"sort-key   debian\n" \
	"options    root=UUID=0b6c52f4-0c39-4d6e-9a5c-7f1e2d3c4b5a ro quiet\n" \
	"linux      /" mid "/" ver "/linux\n" \
	"initrd     /" mid "/" ver "/initrd.img-" ver "\n"

static const struct memfs_file debian_fs[] = {
	{ "/loader/entries/" DEB_MID "-6.1.0-17-amd64.conf",
		DEB_ENTRY(DEB_MID, "6.1.0-17-amd64") },
	{ "/loader/entries/" DEB_MID "-6.1.0-18-amd64.conf",
		DEB_ENTRY(DEB_MID, "6.1.0-18-amd64") },
	{ "/loader/entries/" DEB_MID2 "-6.1.0-18-amd64.conf",
		DEB_ENTRY(DEB_MID2, "6.1.0-18-amd64") },
	{ "/loader/loader.conf", "timeout 3\n#console-mode keep\n" },
	{ NULL, NULL },
};

static const struct memfs_file copies_fs[] = {
	/* a copy of an entry: same title, version, machine-id */
	{ "/loader/entries/x.conf", "title T\nversion 1\nmachine-id "
		"0123456789abcdef0123456789abcdef\nlinux /k\n" },
	{ "/loader/entries/y.conf", "title T\nversion 1\nmachine-id "
		"0123456789abcdef0123456789abcdef\nlinux /k\n" },
	/* no title: its id is shown, and two ids can be alike (the same
	 * version too: two rounds, and still no title as written) */
	{ "/loader/entries/n.conf", "version 1\nlinux /k\n" },
	{ "/loader/entries/n+1.conf", "version 1\nlinux /k\n" },
	/* no kernel: dropped, does not count */
	{ "/loader/entries/z.conf", "title U\nversion 1\nefi /a.efi\n" },
	{ "/loader/entries/u.conf", "title U\nversion 1\nlinux /k\n" },
	{ NULL, NULL },
};

static void test_bls_titles(void)
{
	static const char *const want[] = {
		/* sort-key, machine-id, then version decreasing */
		DEB_TITLE " (6.1.0-18-amd64) (3c1f0a2b)",
		DEB_TITLE " (6.1.0-17-amd64)",
		DEB_TITLE " (6.1.0-18-amd64) (9d8e7f6a)",
	};
	static const char *const copies[] = {
		"T (1) (01234567) (y.conf)", "T (1) (01234567) (x.conf)",
		"U", "n (1) (n+1.conf)", "n (1) (n.conf)",
	};
	struct bootcfg_io io = { memfs_read, memfs_list, (void *)debian_fs,
		NULL, NULL };
	struct boot_config c;
	size_t i;
	int r;

	bootcfg_init(&c);
	r = bootcfg_bls("", &io, &c);
	CHECK(r == 0 && c.n == 3, "bootcfg_bls(debian) = %d, n %zu (%s)", r,
		c.n, c.why);
	for (i = 0; r == 0 && i < c.n && i < 3; i++) {
		CHECK_STR("bootcfg_bls(debian) title", c.e[i].title, want[i]);
		CHECK_STR("bootcfg_bls(debian) title_raw", c.e[i].title_raw,
			DEB_TITLE);
	}
	if (r == 0 && c.n == 3) {
		CHECK_STR("bootcfg_bls(debian) kernel", c.e[1].kernel,
			"/" DEB_MID "/6.1.0-17-amd64/linux");
		CHECK_INT("bootcfg_bls(debian) timeout", c.timeout_ds, 30);
		CHECK_INT("bootcfg_bls(debian) nnotes", c.nnotes, 0);
	}
	/* the title as written: the first (newest) entry that has it; the
	 * shown one, that entry */
	CHECK_INT("bootcfg_choose(debian, title)", bootcfg_choose(&c,
		DEB_TITLE), 0);
	CHECK_INT("bootcfg_choose(debian, shown title)", bootcfg_choose(&c,
		DEB_TITLE " (6.1.0-17-amd64)"), 1);
	CHECK_INT("bootcfg_choose(debian, id)", bootcfg_choose(&c,
		DEB_MID2 "-6.1.0-18-amd64.conf"), 2);
	bootcfg_free(&c);

	io.ctx = (void *)copies_fs;
	r = bootcfg_bls("", &io, &c);
	CHECK(r == 0 && c.n == 5, "bootcfg_bls(copies) = %d, n %zu (%s)", r,
		c.n, c.why);
	for (i = 0; r == 0 && i < c.n && i < 5; i++) {
		CHECK_STR("bootcfg_bls(copies) title", c.e[i].title, copies[i]);
	}
	if (r == 0 && c.n == 5) {
		CHECK(!c.e[2].title_raw && !c.e[3].title_raw &&
			!c.e[4].title_raw, "bootcfg_bls(copies) title_raw: U "
			"%s, n %s, %s; want NULL", c.e[2].title_raw,
			c.e[3].title_raw, c.e[4].title_raw);
		CHECK_STR("bootcfg_bls(copies) title_raw", c.e[0].title_raw, "T");
	}
	bootcfg_free(&c);
}


/* the grubenv's choice is the default without loader.conf's: Fedora's
 * grub reads these entries after "set default=${saved_entry}", with
 * next_entry (grub2-reboot) first */
static void test_bls_saved_entry(void)
{
	static const struct {
		const char *what, *env, *loader;
		int def;
		const char *note;
	} cases[] = {
		{ "saved_entry the rescue", "saved_entry=" RHEL_MID
			"-0-rescue\nkernelopts=ro\n", NULL, 1, "" },
		{ "saved_entry the kernel", RHEL_ENV, NULL, 0, "" },
		{ "next_entry before saved_entry", "saved_entry=" RHEL_MID
			"-4.18.0-348.el8.x86_64\nnext_entry=" RHEL_MID
			"-0-rescue\nkernelopts=ro\n", NULL, 1, "" },
		{ "saved_entry a title", "saved_entry=Red Hat Enterprise "
			"Linux (0-rescue-" RHEL_MID ") 8.5 (Ootpa)\n"
			"kernelopts=ro\n", NULL, 1, "" },
		{ "saved_entry gone", "saved_entry=fedora-5.0.0\n"
			"kernelopts=ro\n", NULL, -1,
			"grub2/grubenv: saved entry 'fedora-5.0.0' matches no "
			"entry" },
		{ "loader.conf first", "saved_entry=" RHEL_MID "-0-rescue\n"
			"kernelopts=ro\n", "default *4.18*\n", 0, "" },
	};
	size_t i;

	for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char env_vars[512], *env = NULL;
		struct memfs_file fs[] = {
			{ "/loader/entries/" RHEL_KERNEL, rhel_kernel },
			{ "/loader/entries/" RHEL_RESCUE, rhel_rescue },
			{ "/grub2/grubenv", env },
			{ cases[i].loader ? "/loader/loader.conf" : NULL,
				cases[i].loader },
			{ NULL, NULL },
		};
		struct bootcfg_io io = { memfs_read, memfs_list, fs, NULL,
			NULL };
		struct boot_config c;
		int r;

		/* tuned's variables set: the only note is the default's */
		snprintf(env_vars, sizeof(env_vars), "%s" TUNED_ENV,
			cases[i].env);
		env = grubenv(env_vars);
		fs[2].text = env;
		bootcfg_init(&c);
		r = bootcfg_bls("", &io, &c);
		CHECK(r == 0 && c.def == cases[i].def && c.n == 2,
			"bootcfg_bls(%s) = %d, def %d; want 0, def %d (why: %s)",
			cases[i].what, r, c.def, cases[i].def, c.why);
		if (*cases[i].note || c.nnotes) {
			CHECK_STR(cases[i].what, c.note, cases[i].note);
		}
		bootcfg_free(&c);
		free(env);
	}
}

void test_bls(void)
{
	test_bls_saved_entry();
	test_bls_kernelopts();
	test_bls_expand();
	test_bls_expand_hostile();
	test_bls_many();
	test_bls_ids();
	test_bls_titles();
}
