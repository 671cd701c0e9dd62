/* BLS Type #2 entries (lib/bootcfg/bootcfg_bls.c): the input is one
 * byte that chooses the layout, then a file that ROOT/EFI/Linux holds
 * under several names (a boot counter, a name with escapes, upper case),
 * read through read_at as the agent reads a UKI: its head, then the
 * .osrel and .profile sections its own table points at. Every parse
 * that succeeds gives entries whose kernel is one of those files, whose
 * sub is a profile's number, and which hop.entry finds by their labels
 * and by systemd-boot's ids; a refusal says why; the bytes held stay
 * within the budget (budget.h). */
#include <errno.h>
#include <stdio.h>

#include "bootcfg.h"
#include "budget.h"
#include "fuzz.h"
#include "uki.h"

/* what one parse may hold: the file's UKI_HEAD_MAX head and two texts,
 * and what a default budget lets the Type #1 side hold */
#define PEAK (40u << 20)

static const char *const names[] = {
	"a.efi", "b+0-1.efi", "C.EFI", "d\x1b[2J\\.efi", "auto-e.efi",
	"f+3.efi", "g.efi.efi", "h@x.efi",
};

struct in {
	const uint8_t *data;
	size_t len, nfiles;
	int type1;
};

static int in_name(const struct in *in, const char *path)
{
	size_t i;

	for (i = 0; i < in->nfiles; i++) {
		if (!strncmp(path, "/EFI/Linux/", 11) &&
			!strcmp(path + 11, names[i])) {
			return 1;
		}
	}
	return 0;
}

static int f_read(void *ctx, const char *path, char **text)
{
	const struct in *in = ctx;

	*text = NULL;
	if (in->type1 && !strcmp(path, "/loader/entries/t.conf")) {
		*text = strdup("title T\nsort-key t\nlinux /vmlinuz\n");
		return *text ? 0 : -ENOMEM;
	}
	if (in->type1 && !strcmp(path, "/loader/loader.conf")) {
		*text = strdup("default *@1\n");
		return *text ? 0 : -ENOMEM;
	}
	return -ENOENT;
}

static int f_list(void *ctx, const char *dir, char ***out, size_t *n)
{
	const struct in *in = ctx;
	size_t i;

	*out = NULL;
	*n = 0;
	if (in->type1 && !strcmp(dir, "/loader/entries")) {
		*out = calloc(1, sizeof(**out));
		(*out)[0] = strdup("t.conf");
		*n = 1;
		return 0;
	}
	if (strcmp(dir, "/EFI/Linux") || !in->nfiles) {
		return -ENOENT;
	}
	*out = calloc(in->nfiles, sizeof(**out));
	for (i = 0; i < in->nfiles; i++) {
		(*out)[i] = strdup(names[i]);
	}
	*n = in->nfiles;
	return 0;
}

static long f_read_at(void *ctx, const char *path, uint64_t off, void *buf,
	size_t len, uint64_t *size)
{
	const struct in *in = ctx;

	if (!in_name(in, path)) {
		return -ENOENT;
	}
	*size = in->len;
	if (off >= in->len) {
		return 0;
	}
	len = len < in->len - off ? len : in->len - (size_t)off;
	memcpy(buf, in->data + off, len);
	return (long)len;
}

static void f_say(void *ctx, int warn, const char *what, const char *msg)
{
	(void)ctx;
	(void)warn;
	if (!in_name(ctx, what) || !*msg) {
		abort();	/* names a file it read, and says why */
	}
}

static void check(int r, const struct boot_config *c)
{
	size_t i;

	if (peak > PEAK) {
		abort();
	}
	if (r < 0) {
		if (c->n || c->e || !c->why[0]) {
			abort();
		}
		return;
	}
	if (!c->n || c->def >= (int)c->n || c->def < -1) {
		abort();
	}
	for (i = 0; i < c->n; i++) {
		const struct boot_entry *e = &c->e[i];
		char id[600];

		if (!e->kernel || !e->label || !e->title) {
			abort();
		}
		if (!strcmp(e->kernel, "/vmlinuz")) {
			continue;	/* the Type #1 entry */
		}
		if (strncmp(e->kernel, "/EFI/Linux/", 11) || e->cmdline ||
			e->ninitrd || e->label_fold != 2) {
			abort();
		}
		if (e->sub && (bootcfg_number(e->sub) < 1 ||
			bootcfg_number(e->sub) >= UKI_MAX_PROFILES)) {
			abort();
		}
		/* found by its label, and by systemd-boot's id: the file
		 * name (one without a boot counter: hop's ids drop it) */
		if (bootcfg_choose(c, e->label) < 0) {
			abort();
		}
		snprintf(id, sizeof(id), "%s", e->kernel + 11);
		if (!e->sub && !strchr(id, '+') &&
			bootcfg_choose(c, id) < 0) {
			abort();
		}
		sink += strlen(e->title);
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bootcfg_io io = { f_read, f_list, NULL, f_read_at, f_say };
	struct bootcfg_budget own, shared;
	struct boot_config c;
	struct in in;
	int r, mode;

	fuzz_quiet();
	if (size < 1) {
		return 0;
	}
	/* bits 0-2: how many names hold the file; 3-4: the budget (none,
	 * a small one, a small or a default one shared: budget.h's use);
	 * 5: a Type #1 entry beside them; 6: no say callback */
	in.data = data + 1;
	in.len = size - 1;
	in.nfiles = 1 + (data[0] & 7);
	in.type1 = data[0] >> 5 & 1;
	io.ctx = &in;
	if (data[0] & 0x40) {
		io.say = NULL;
	}
	mode = data[0] >> 3 & 3;
	if (mode == 2) {
		shared = small;
	} else {
		bootcfg_budget_default(&shared);
	}
	use(&c, mode, &own, &shared);
	r = bootcfg_bls("/", &io, &c);
	check(r, &c);
	done(&c, mode, &own, &shared);
	return 0;
}
