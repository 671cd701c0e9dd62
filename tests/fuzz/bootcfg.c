/* the boot-configuration parsers (extlinux with include, BLS entries with
 * loader.conf, grub.cfg, kexecboot's and ESXi's boot.cfg) and hop.entry's
 * choice.
 *
 * The input is NUL-separated parts: the first is the hop.entry value; each
 * other is a file, "PATH\nTEXT". The first file is the configuration that
 * grub, kexecboot, ESXi and extlinux read (extlinux under its PATH, so relative
 * includes resolve next to it); every file is served to the parsers' read
 * and list callbacks, so include chains and ROOT/loader/entries (BLS)
 * are whatever the input makes them; BLS's root is what the first file's
 * path has before "/loader/". A file whose text starts with byte 1 fails
 * to read (EIO).
 *
 * The budget: bits 3-4 of the first byte pick none (each parse its own
 * default), a small one for each parse, a small one or a default one
 * shared by all the parses of the input (what the agent does), so inputs
 * reach every refusal. Whatever the input, the bytes the parsers hold at
 * once stay within what the budget allows (PEAK below), counted by
 * ASan's allocation hooks; libFuzzer's -malloc_limit_mb (run.sh) stops
 * any single allocation past it too. */
#include <errno.h>
#include <stdio.h>

#include "bootcfg.h"
#include "budget.h"
#include "fuzz.h"

#define MAX_FILES 16

/* what one parse may hold at once with a default budget: the text read
 * (4 MiB), what expansion made (4 MiB) in a word, in variables and in
 * entries (a command line escaped doubles it), the input's copies */
#define PEAK (40u << 20)

struct fs {
	const char *path[MAX_FILES], *text[MAX_FILES];
	size_t n;
};

static int fs_read(void *ctx, const char *path, char **text)
{
	const struct fs *fs = ctx;
	size_t i;

	for (i = 0; i < fs->n; i++) {
		if (!strcmp(fs->path[i], path)) {
			/* a file starting with \x01 cannot be read: the
			 * parsers' error paths (loader.conf, includes) */
			if (fs->text[i][0] == 1) {
				*text = NULL;
				return -EIO;
			}
			*text = strdup(fs->text[i]);
			return *text ? 0 : -ENOMEM;
		}
	}
	return -ENOENT;
}

static int fs_list(void *ctx, const char *dir, char ***names, size_t *n)
{
	const struct fs *fs = ctx;
	size_t dl = strlen(dir), i;

	*names = NULL;
	*n = 0;
	for (i = 0; i < fs->n; i++) {
		const char *rest = fs->path[i] + dl + 1;
		char **p;

		if (strncmp(fs->path[i], dir, dl) || fs->path[i][dl] != '/' ||
			strchr(rest, '/')) {
			continue;
		}
		p = realloc(*names, (*n + 1) * sizeof(*p));
		if (!p) {
			abort();
		}
		*names = p;
		p[(*n)++] = strdup(rest);
	}
	return *n ? 0 : -ENOENT;
}

/* what every parser promises on success; a broken promise is a crash */
static void check(int r, const struct boot_config *c, const char *want,
	const char *num)
{
	size_t i;

	if (peak > PEAK) {
		abort();	/* held more than any budget allows */
	}
	/* a refusal names its limit; the budget's keeps it whole even after
	 * a file name too long for why (others may be cut) */
	if (r == -E2BIG && !strstr(c->why, "more than") &&
		!strstr(c->why, "longer than") &&
		strlen(c->why) + 1 < sizeof(c->why)) {
		abort();
	}
	if (r < 0) {
		if (c->n || c->e || !c->why[0]) {
			abort();	/* refused: no entries, and a reason */
		}
		return;
	}
	if (!c->n || c->def >= (int)c->n || c->def < -1) {
		abort();
	}
	for (i = 0; i < c->n; i++) {
		const struct boot_entry *e = &c->e[i];

		if (!e->kernel || e->ninitrd > HOP_MAX_INITRD ||
			e->nmodule > HOP_MAX_MODULES) {
			abort();
		}
		for (size_t m = 0; m < e->nmodule; m++) {
			sink += strlen(e->module[m]) +
				strlen(e->module_cmdline[m]);
		}
		/* every string is read the way the agent will read it */
		sink += strlen(e->kernel) + (e->label ? strlen(e->label) : 0) +
			(e->cmdline ? strlen(e->cmdline) : 0) +
			(e->title ? strlen(e->title) : 0) +
			(e->title_raw ? strlen(e->title_raw) : 0);
	}
	check_choice(c, want, num);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), *p, *end = s + size, num[24],
		root[64] = "";
	const char *want, *main_path = "/boot/extlinux/extlinux.conf",
		*main_text = "";
	struct bootcfg_io io;
	struct boot_config c;
	struct bootcfg_budget own, shared;
	struct fs fs;
	int mode = size ? (data[0] >> 3) & 3 : 0;

	budget_hooks();
	if (mode == 3) {
		bootcfg_budget_default(&shared);
	} else {
		shared = small;
	}
	fuzz_quiet();
	memset(&fs, 0, sizeof(fs));
	want = s;
	for (p = s + strlen(s) + 1; p < end && fs.n < MAX_FILES;
		p += strlen(p) + 1) {
		char *nl = strchr(p, '\n');

		if (!nl) {
			continue;
		}
		*nl = '\0';
		fs.path[fs.n] = p;
		fs.text[fs.n] = nl + 1;
		p = nl + 1;
		fs.n++;
	}
	if (fs.n) {
		main_text = fs.text[0];
		if (fs.path[0][0] == '/') {
			main_path = fs.path[0];
		}
	}
	/* BLS: the root is what the first file names before /loader/
	 * ("/boot/loader/entries/x.conf": "/boot") */
	if (fs.n && (p = strstr(fs.path[0], "/loader/")) &&
		(size_t)(p - fs.path[0]) < sizeof(root)) {
		memcpy(root, fs.path[0], (size_t)(p - fs.path[0]));
		root[p - fs.path[0]] = '\0';
	}
	io.read = fs_read;
	io.list = fs_list;
	io.ctx = &fs;
	io.read_at = NULL;	/* Type #2: tests/fuzz/bls2.c */
	io.say = NULL;

	/* hop.entry=N too: an index from the input (its first byte) */
	snprintf(num, sizeof(num), "%u", size ? data[0] % 8u : 0u);

	use(&c, mode, &own, &shared);
	check(bootcfg_extlinux(main_text, main_path, &io, &c), &c, want, num);
	done(&c, mode, &own, &shared);
	use(&c, mode, &own, &shared);
	check(bootcfg_extlinux(main_text, main_path, NULL, &c), &c, want,
		num);
	done(&c, mode, &own, &shared);
	use(&c, mode, &own, &shared);
	check(bootcfg_bls(root, &io, &c), &c, want, num);
	done(&c, mode, &own, &shared);
	use(&c, mode, &own, &shared);
	check(bootcfg_grub(main_text, main_path, &io, &c), &c, want, num);
	done(&c, mode, &own, &shared);
	use(&c, mode, &own, &shared);
	check(bootcfg_kexecboot(main_text, fs.n ? fs.path[0] : NULL, &c), &c,
		want, num);
	done(&c, mode, &own, &shared);
	use(&c, mode, &own, &shared);
	check(bootcfg_esxi(main_text, fs.n ? fs.path[0] : NULL, &c), &c, want,
		num);
	done(&c, mode, &own, &shared);
	bootcfg_vercmp(want, main_text);
	free(s);
	return 0;
}
