/* What the boot-configuration fuzz targets share (bootcfg.c, ipxe.c):
 * the bytes a parse holds at once, counted by ASan's allocation hooks,
 * the budget each parse spends from, which must never grow, and the
 * checks of hop.entry's choice. */
#ifndef HOP_FUZZ_BUDGET_H
#define HOP_FUZZ_BUDGET_H

#include <stdlib.h>
#include <sanitizer/allocator_interface.h>

#include "bootcfg.h"

static volatile size_t sink;

/* bytes live, and the most since the last reset */
static size_t live, peak;
static int counting;

static void on_malloc(const volatile void *p, size_t n)
{
	(void)p;
	if (counting) {
		live += n;
		peak = live > peak ? live : peak;
	}
}

static void on_free(const volatile void *p)
{
	size_t n;

	if (!counting || !p) {
		return;
	}
	n = __sanitizer_get_allocated_size((const void *)p);
	live = n < live ? live - n : 0;
}

/* small enough that a 64 KiB input reaches each of them */
static const struct bootcfg_budget small = {
	.read = 4096, .expand = 8192, .entries = 8, .files = 4, .listed = 8,
};

/* the budget the next parse spends from: mode 0 none, 1 a fresh small
 * one, 2 shared (set up once per input by the caller) */
static void use(struct boot_config *c, int mode, struct bootcfg_budget *own,
	struct bootcfg_budget *shared)
{
	bootcfg_init(c);
	if (mode == 1) {
		*own = small;
		c->budget = own;
	} else if (mode >= 2) {
		c->budget = shared;
	}
	live = peak = 0;
	counting = 1;
}

/* the caller's budget is the caller's again, and never grew */
static void done(struct boot_config *c, int mode,
	const struct bootcfg_budget *own, const struct bootcfg_budget *shared)
{
	const struct bootcfg_budget *b = mode == 1 ? own : shared,
		*start = mode == 3 ? NULL : &small;
	struct bootcfg_budget def;

	counting = 0;
	if (mode == 0 ? c->budget != NULL : c->budget != b) {
		abort();
	}
	if (mode == 3) {
		bootcfg_budget_default(&def);
		start = &def;
	}
	if (mode && (b->read > start->read || b->expand > start->expand ||
		b->entries > start->entries || b->files > start->files ||
		b->listed > start->listed)) {
		abort();
	}
	bootcfg_free(c);
}

/* hop.entry's choice among a parsed configuration's entries: by the
 * input's value, by an index, and the default always in range */
static void check_choice(const struct boot_config *c, const char *want,
	const char *num)
{
	int k;

	k = bootcfg_choose(c, want);
	if (k != -ENOENT && (k < 0 || (size_t)k >= c->n)) {
		abort();
	}
	k = bootcfg_choose(c, num);
	if (k != -ENOENT && (k < 0 || (size_t)k >= c->n)) {
		abort();
	}
	k = bootcfg_choose(c, NULL);
	if (k < 0 || (size_t)k >= c->n) {
		abort();
	}
}

static void budget_hooks(void)
{
	static int hooked;

	if (!hooked) {
		__sanitizer_install_malloc_and_free_hooks(on_malloc, on_free);
		hooked = 1;
	}
}

#endif
