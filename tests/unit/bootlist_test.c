/* lib/base/json.c and lib/agent/bootlist.c: JSON strings of arbitrary
 * bytes from a disk (hostile and huge ones), the text buffer's limit, and
 * hop bootcfg's text and JSON for configurations built in memory; the
 * places after the first that hop bootcfg shows apart
 * (bootsel_find_after). */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootlist.h"
#include "hop.h"
#include "test.h"

static void test_json_strings(void)
{
	static const struct {
		const char *in;
		size_t n;
		const char *want;
	} t[] = {
		{ "", 0, "\"\"" },
		{ "debian", 6, "\"debian\"" },
		{ "a\"b\\c", 5, "\"a\\\"b\\\\c\"" },
		{ "\n\t\r\b\f", 5, "\"\\n\\t\\r\\b\\f\"" },
		/* an escape sequence that would clear the screen */
		{ "x\x1b[2Jy", 6, "\"x\\u001b[2Jy\"" },
		{ "\x01\x1f\x7f", 3, "\"\\u0001\\u001f\\u007f\"" },
		/* a NUL inside the bytes given is a byte like another */
		{ "a\0b", 3, "\"a\\u0000b\"" },
		/* valid UTF-8 as it is */
		{ "D\xc3\xa9""bian \xe2\x82\xac \xf0\x9f\x90\xa7", 16,
			"\"D\xc3\xa9""bian \xe2\x82\xac \xf0\x9f\x90\xa7\"" },
		/* C1 controls, validly encoded: their code points (a
		 * terminal may take U+009B for CSI) */
		{ "\xc2\x9b""2J\xc2\x85", 6, "\"\\u009b2J\\u0085\"" },
		{ "\xc2\xa0", 2, "\"\xc2\xa0\"" },	/* U+00A0 is text */
		/* not UTF-8: each byte's value */
		{ "\xff", 1, "\"\\u00ff\"" },
		{ "\xe9t\xe9", 3, "\"\\u00e9t\\u00e9\"" },	/* Latin-1 */
		{ "\xc3", 1, "\"\\u00c3\"" },			/* cut short */
		{ "\xe2\x82", 2, "\"\\u00e2\\u0082\"" },
		{ "\xc0\xaf", 2, "\"\\u00c0\\u00af\"" },	/* overlong '/' */
		{ "\xed\xa0\x80", 3, "\"\\u00ed\\u00a0\\u0080\"" }, /* surrogate */
		{ "\xf4\x90\x80\x80", 4,
			"\"\\u00f4\\u0090\\u0080\\u0080\"" },	/* > U+10FFFF */
		{ "\x80", 1, "\"\\u0080\"" },	/* a lone continuation byte */
	};
	struct outbuf b;
	char name[64];
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
		memset(&b, 0, sizeof(b));
		outbuf_json(&b, t[i].in, t[i].n);
		snprintf(name, sizeof(name), "outbuf_json(case %zu)", i);
		CHECK_STR(name, b.s, t[i].want);
		CHECK_INT(name, b.len, strlen(t[i].want));
		outbuf_free(&b);
	}
	memset(&b, 0, sizeof(b));
	outbuf_json_str(&b, NULL);
	outbuf_add(&b, ",", 1);
	outbuf_json_str(&b, "q\"");
	CHECK_STR("outbuf_json_str(NULL), (q\")", b.s, "null,\"q\\\"\"");
	outbuf_free(&b);
}

/* 100,000-byte words: every byte escaped, nothing cut, nothing past the
 * buffer (ASan) */
static void test_json_huge(void)
{
	size_t n = 100000, i, bad = 0;
	char *in = malloc(2 * n);
	struct outbuf b = { 0 };

	memset(in, 0x1b, n);
	outbuf_json(&b, in, n);
	CHECK_INT("outbuf_json(100k ESC) length", b.len, 6 * n + 2);
	for (i = 0; b.s && i < n; i++) {
		bad += memcmp(b.s + 1 + 6 * i, "\\u001b", 6) != 0;
	}
	CHECK(b.s && !bad && !b.oom, "outbuf_json(100k ESC): %zu bad", bad);
	outbuf_free(&b);
	for (i = 0; i < n; i++) {
		in[2 * i] = (char)0xc3;
		in[2 * i + 1] = (char)0xa9;
	}
	outbuf_json(&b, in, 2 * n);
	CHECK(b.s && b.len == 2 * n + 2 && !memcmp(b.s + 1, in, 2 * n),
		"outbuf_json(100k e-acute) passes as it is (len %zu)", b.len);
	outbuf_free(&b);
	free(in);

	/* past OUTBUF_MAX: refused whole, before any allocation, and what
	 * came before stays */
	n = OUTBUF_MAX / 6 + 1;
	in = malloc(n);
	memset(in, 'x', n);
	outbuf_add(&b, "[", 1);
	outbuf_json(&b, in, n);
	CHECK(b.oom && b.len == 1 && !strcmp(b.s, "["),
		"outbuf_json(%zu bytes) = oom %d len %zu; want oom, \"[\"", n,
		b.oom, b.len);
	outbuf_add(&b, "]", 1);
	CHECK_STR("outbuf_add after oom", b.s, "[");
	outbuf_free(&b);
	free(in);
}

static void test_outbuf(void)
{
	struct outbuf b = { 0 };
	size_t i;
	int ok = 1;

	for (i = 0; i < 1000; i++) {
		outbuf_printf(&b, "%zu,", i);
	}
	for (i = 0; i < 1000; i++) {
		char want[16];
		int n = snprintf(want, sizeof(want), "%zu,", i);

		ok = ok && b.s && !strncmp(b.s + (i < 10 ? 2 * i : i < 100 ?
			20 + 3 * (i - 10) : 290 + 4 * (i - 100)), want, n);
	}
	CHECK(ok && b.len == 3890 && strlen(b.s) == b.len,
		"outbuf_printf x1000: len %zu", b.len);
	outbuf_free(&b);
	/* the text's escape: log_escape's */
	outbuf_escaped(&b, "a\x1b[2J\nb\\c\xc3\xa9\xff");
	CHECK_STR("outbuf_escaped(hostile)", b.s,
		"a\\x1b[2J\\x0ab\\\\c\xc3\xa9\\xff");
	outbuf_free(&b);
}

/* ---- hop bootcfg's output ---- */

static struct boot_entry grub_e[] = {
	{ .label = "gnulinux-simple", .title = "Debian GNU/Linux",
		.kernel = "/vmlinuz-6.1", .initrd = { "/initrd.img-6.1" },
		.ninitrd = 1, .cmdline = "root=UUID=ab ro quiet",
		.search_uuid = "ab-cd" },
	/* a hostile title: screen clear, a newline and a line of its own */
	{ .label = "evil", .title = "x\x1b[2J\nhop: error: fake\"",
		.kernel = "/k\xff", .cmdline = NULL },
	{ .label = "xen", .title = "Xen", .kernel = "/xen.gz",
		.cmdline = "dom0_mem=1G", .multiboot = 2,
		.module = (char *[]){ "/vmlinuz", "/initrd" },
		.module_cmdline = (char *[]){ "/vmlinuz root=/dev/sda1",
			"/initrd" },
		.nmodule = 2 },
};

static struct boot_entry ext_e[] = {
	{ .label = "one", .kernel = "/boot/Image", .cmdline = "",
		.fdtdir = "/boot/dtbs" },
	{ .label = "two", .title = "Two", .kernel = "/boot/Image2",
		.dtb = "/boot/b.dtb", .cmdline = "console=ttyS0" },
};

static void make_configs(struct found_config *fc)
{
	memset(fc, 0, 3 * sizeof(*fc));
	snprintf(fc[0].shown, sizeof(fc[0].shown),
		"/dev/vda1:/boot/grub/grub.cfg");
	fc[0].kind = BOOTCFG_GRUB;
	fc[0].c.e = grub_e;
	fc[0].c.n = 3;
	fc[0].c.def = 2;
	fc[0].c.nnotes = 2;
	snprintf(fc[0].c.note, sizeof(fc[0].c.note),
		"grub.cfg:9: 'fwsetup' entry dropped\x1b[0m");
	snprintf(fc[1].shown, sizeof(fc[1].shown),
		"/dev/vdb:/extlinux/extlinux.conf");
	fc[1].kind = BOOTCFG_EXTLINUX;
	fc[1].c.e = ext_e;
	fc[1].c.n = 2;
	fc[1].c.def = -1;
	/* one the agent does not read */
	snprintf(fc[2].shown, sizeof(fc[2].shown),
		"/dev/vdb:/boot/grub/grub.cfg");
	fc[2].kind = BOOTCFG_GRUB;
	fc[2].c.e = ext_e + 1;
	fc[2].c.n = 1;
	fc[2].c.def = 0;
}

static const char want_text[] =
	"/dev/vda1:/boot/grub/grub.cfg (grub.cfg): 3 entries\n"
	"  default: entry 'xen' (the configuration's default)\n"
	"  note: grub.cfg:9: 'fwsetup' entry dropped\\x1b[0m (and 1 more)\n"
	"  [0]  Debian GNU/Linux\n"
	"      id        gnulinux-simple\n"
	"      kernel    /vmlinuz-6.1\n"
	"      initrd    /initrd.img-6.1\n"
	"      cmdline   \"root=UUID=ab ro quiet\"\n"
	"      search    UUID=ab-cd\n"
	"  [1]  x\\x1b[2J\\x0ahop: error: fake\"\n"
	"      id        evil\n"
	"      kernel    /k\\xff\n"
	"      cmdline   (none)\n"
	"  [2]* Xen\n"
	"      id        xen\n"
	"      kernel    /xen.gz\n"
	"      cmdline   \"dom0_mem=1G\"\n"
	"      multiboot 2\n"
	"      module    /vmlinuz \"/vmlinuz root=/dev/sda1\"\n"
	"      module    /initrd \"/initrd\"\n"
	"/dev/vdb:/extlinux/extlinux.conf (extlinux): 2 entries\n"
	"  default: entry 'one' (the first entry: the configuration names no "
	"default)\n"
	"  [3]* (no title)\n"
	"      id        one\n"
	"      kernel    /boot/Image\n"
	"      cmdline   \"\"\n"
	"      fdtdir    /boot/dtbs\n"
	"  [4]  Two\n"
	"      id        two\n"
	"      kernel    /boot/Image2\n"
	"      cmdline   \"console=ttyS0\"\n"
	"      dtb       /boot/b.dtb\n"
	"hop boots: [4] 'two' of /dev/vdb:/extlinux/extlinux.conf "
	"(hop.entry=two), then the next while one fails\n"
	"\n"
	"not read by the agent (it reads the first configuration of a file "
	"system):\n"
	"/dev/vdb:/boot/grub/grub.cfg (grub.cfg): 1 entry\n"
	"  default: entry 'two' (the configuration's default)\n"
	"  [-]* Two\n"
	"      id        two\n"
	"      kernel    /boot/Image2\n"
	"      cmdline   \"console=ttyS0\"\n"
	"      dtb       /boot/b.dtb\n";

static const char want_json[] =
	"[\n"
	"  {\n"
	"    \"config\": \"/dev/vdb:/extlinux/extlinux.conf\",\n"
	"    \"kind\": \"extlinux\",\n"
	"    \"read\": true,\n"
	"    \"default\": null,\n"
	"    \"notes\": 0,\n"
	"    \"note\": null,\n"
	"    \"entries\": [\n"
	"      {\n"
	"        \"index\": 0,\n"
	"        \"boot\": true,\n"
	"        \"title\": null,\n"
	"        \"id\": \"one\",\n"
	"        \"kernel\": \"/boot/Image\",\n"
	"        \"initrd\": [],\n"
	"        \"cmdline\": \"\",\n"
	"        \"dtb\": null,\n"
	"        \"fdtdir\": \"/boot/dtbs\",\n"
	"        \"sub\": null,\n"
	"        \"search\": null,\n"
	"        \"multiboot\": 0,\n"
	"        \"modules\": []\n"
	"      },\n"
	"      {\n"
	"        \"index\": 1,\n"
	"        \"boot\": false,\n"
	"        \"title\": \"Two\",\n"
	"        \"id\": \"two\",\n"
	"        \"kernel\": \"/boot/Image2\",\n"
	"        \"initrd\": [],\n"
	"        \"cmdline\": \"console=ttyS0\",\n"
	"        \"dtb\": \"/boot/b.dtb\",\n"
	"        \"fdtdir\": null,\n"
	"        \"sub\": null,\n"
	"        \"search\": null,\n"
	"        \"multiboot\": 0,\n"
	"        \"modules\": []\n"
	"      }\n"
	"    ]\n"
	"  }\n"
	"]\n";

static void test_text(void)
{
	struct found_config fc[3];
	struct bootlist l;
	struct outbuf b = { 0 };

	make_configs(fc);
	memset(&l, 0, sizeof(l));
	l.fc = fc;
	l.n = 2;
	l.pick_cfg = 1;
	l.pick_entry = 1;
	l.pick_why = "hop.entry=two";
	l.other = fc + 2;
	l.nother = 1;
	bootlist_text(&b, &l);
	CHECK_STR("bootlist_text(grub + extlinux, other)", b.s, want_text);
	/* no byte a terminal acts on: only '\n' below 0x20 */
	CHECK(b.s && !strpbrk(b.s, "\x1b\r\t\x7f"), "bootlist_text: raw "
		"control byte");
	outbuf_free(&b);

	/* the first configuration's default, said so */
	l.pick_cfg = 0;
	l.pick_entry = 2;
	l.pick_why = NULL;
	l.nother = 0;
	bootlist_text(&b, &l);
	CHECK(b.s && strstr(b.s, "hop boots: [2] 'xen' of /dev/vda1:/boot/grub/"
		"grub.cfg (the first configuration's default), then the next "
		"while one fails\n") && !strstr(b.s, "not read"),
		"bootlist_text(default pick) = \"%s\"", b.s);
	outbuf_free(&b);
}

static void test_json(void)
{
	struct found_config fc[3];
	struct bootlist l;
	struct outbuf b = { 0 };
	const char *p;
	size_t i;

	make_configs(fc);
	memset(&l, 0, sizeof(l));
	l.fc = fc + 1;
	l.n = 1;
	bootlist_json(&b, &l);
	CHECK_STR("bootlist_json(extlinux)", b.s, want_json);
	outbuf_free(&b);

	/* the hostile grub configuration, another after it: the strings
	 * escaped, the numbering across configurations */
	l.fc = fc;
	l.n = 2;
	l.pick_cfg = 0;
	l.pick_entry = 2;
	l.other = fc + 2;
	l.nother = 1;
	bootlist_json(&b, &l);
	CHECK(b.s && strstr(b.s, "\"title\": \"x\\u001b[2J\\nhop: error: "
		"fake\\\"\""), "bootlist_json: hostile title");
	CHECK(b.s && strstr(b.s, "\"kernel\": \"/k\\u00ff\""),
		"bootlist_json: a byte that is not UTF-8");
	CHECK(b.s && strstr(b.s, "\"search\": \"UUID=ab-cd\""),
		"bootlist_json: search");
	CHECK(b.s && strstr(b.s, "\"modules\": [{\"path\": \"/vmlinuz\", "
		"\"cmdline\": \"/vmlinuz root=/dev/sda1\"}, {\"path\": "
		"\"/initrd\", \"cmdline\": \"/initrd\"}]"),
		"bootlist_json: modules");
	CHECK(b.s && strstr(b.s, "\"note\": \"grub.cfg:9: 'fwsetup' entry "
		"dropped\\u001b[0m\""), "bootlist_json: note");
	CHECK(b.s && strstr(b.s, "\"index\": 4,\n        \"boot\": false,\n"
		"        \"title\": \"Two\""), "bootlist_json: index 4");
	CHECK(b.s && strstr(b.s, "\"read\": false,\n    \"default\": 0") &&
		strstr(b.s, "\"index\": null"), "bootlist_json: not read");
	/* one "boot": true, on entry 2 of the first */
	for (i = 0, p = b.s; p && (p = strstr(p, "\"boot\": true")); p++) {
		i++;
	}
	CHECK_INT("bootlist_json: entries with boot true", i, 1);
	CHECK(b.s && strstr(b.s, "\"index\": 2,\n        \"boot\": true"),
		"bootlist_json: boot on entry 2");
	for (i = 0; b.s && i < b.len; i++) {
		unsigned char c = (unsigned char)b.s[i];

		if ((c < 0x20 && c != '\n') || c == 0x7f) {
			break;
		}
	}
	CHECK(b.s && i == b.len, "bootlist_json: raw byte 0x%02x at %zu",
		b.s ? (unsigned char)b.s[i] : 0, i);
	outbuf_free(&b);

	/* nothing found: an empty array */
	memset(&l, 0, sizeof(l));
	bootlist_json(&b, &l);
	CHECK_STR("bootlist_json(none)", b.s, "[]\n");
	outbuf_free(&b);
}

/* every known place of one file system, one after another: what hop
 * bootcfg lists as not read by the agent */
static void test_find_after(void)
{
	char root[] = "/tmp/hop-bootlist-XXXXXX", cmd[64];
	struct found_config fc;
	size_t place;
	int err;

	CHECK(mkdtemp(root) != NULL, "mkdtemp");
	fixture_put(root, "/extlinux/extlinux.conf",
		"label a\n kernel /a\n", 19);
	fixture_put(root, "/loader/entries/b.conf", "linux /b\n", 9);
	fixture_put(root, "/boot/grub/grub.cfg",
		"menuentry c {\n linux /c\n}\n", 26);
	/* a broken one between them is skipped, as the agent skips it */
	fixture_put(root, "/grub/grub.cfg", "set x=1\n", 8);
	err = bootsel_find_after(root, "/dev/x", 0, NULL, &fc);
	CHECK(err == 0 && !strcmp(fc.shown, "/dev/x:/extlinux/extlinux.conf")
		&& fc.place > 0, "find_after(0) = %d %s", err, fc.shown);
	place = fc.place;
	bootcfg_free(&fc.c);
	capture_start();
	err = bootsel_find_after(root, "/dev/x", place, NULL, &fc);
	CHECK(err == 0 && !strcmp(fc.shown, "/dev/x:/loader/entries") &&
		fc.kind == BOOTCFG_BLS && fc.place > place,
		"find_after(extlinux) = %d %s", err, fc.shown);
	place = fc.place;
	bootcfg_free(&fc.c);
	err = bootsel_find_after(root, "/dev/x", place, NULL, &fc);
	CHECK(err == 0 && !strcmp(fc.shown, "/dev/x:/boot/grub/grub.cfg") &&
		fc.c.n == 1, "find_after(BLS) = %d %s", err, fc.shown);
	place = fc.place;
	bootcfg_free(&fc.c);
	err = bootsel_find_after(root, "/dev/x", place, NULL, &fc);
	CHECK_INT("find_after(grub)", err, -ENOENT);
	CHECK(strstr(capture_end(), "/dev/x:/grub/grub.cfg: skipped") != NULL,
		"find_after: the broken one is said");
	/* bootsel_find is the first of them */
	err = bootsel_find(root, NULL, NULL, &fc);
	CHECK(err == 0 && !strcmp(fc.shown, "/extlinux/extlinux.conf"),
		"bootsel_find = %d %s", err, fc.shown);
	bootcfg_free(&fc.c);
	snprintf(cmd, sizeof(cmd), "rm -rf %s", root);
	CHECK_INT("cleanup", system(cmd), 0);
}

void test_bootlist(void)
{
	test_json_strings();
	test_json_huge();
	test_outbuf();
	test_text();
	test_json();
	test_find_after();
}
