/* the iPXE script parser (bootcfg_ipxe_vars, bootcfg_ipxe) and hop.entry's
 * choice among its entries.
 *
 * The input is NUL-separated parts: the first is the hop.entry value, the
 * second the script, each other one "name=value" of the caller's
 * variables (at most MAX_VARS). The budget: bits 3-4 of the first byte
 * pick none (each parse its own default), a small one for each parse, a
 * small one or a default one shared by both parses (as the agent shares
 * one), so inputs reach every refusal. Whatever the input, the bytes the
 * parser holds at once stay within PEAK, counted by ASan's allocation
 * hooks, and every string of every entry is printable; a text the
 * parser's test (bootcfg_ipxe_is_script, the agent's too) says is no
 * script is refused. */
#include <errno.h>
#include <stdio.h>

#include "bootcfg.h"
#include "bootsel.h"
#include "budget.h"
#include "fuzz.h"

#define MAX_VARS 16

/* what one parse may hold at once with a default budget: the text and
 * its copy, the parser's line buffers, its variables (64 of at most 256
 * bytes of name and 1 KiB), and what the budget's expansion pays for
 * (4 MiB: entries, menu items, each item's copy of the variables) */
#define PEAK (16u << 20)

/* the parser's promise: what it stores holds no control character */
static void printable(const char *s)
{
	if (!s) {
		return;
	}
	for (; *s; s++) {
		if (((unsigned char)*s < 0x20 && *s != '\t') || *s == 0x7f) {
			abort();
		}
	}
}

static void check_entry(const struct boot_entry *e)
{
	size_t i;

	if (!e->kernel || !e->label || !e->cmdline ||
		e->ninitrd > HOP_MAX_INITRD || e->nmodule || e->multiboot) {
		abort();
	}
	printable(e->kernel);
	printable(e->label);
	printable(e->title);
	printable(e->cmdline);
	for (i = 0; i < e->ninitrd; i++) {
		printable(e->initrd[i]);
		sink += strlen(e->initrd[i]);
	}
	sink += strlen(e->kernel) + strlen(e->label) + strlen(e->cmdline) +
		(e->title ? strlen(e->title) : 0);
}

/* what the parser promises on success and on refusal */
static void check(int r, const struct boot_config *c, const char *want,
	const char *num, const char *script)
{
	size_t i;
	int is = bootcfg_ipxe_is_script(script);

	/* one test, the parser's and the agent's; no script is refused
	 * (or the budget was out before it was read) */
	if (is != bootsel_is_ipxe(script) ||
		(!is && r != -EINVAL && r != -E2BIG)) {
		abort();
	}
	if (peak > PEAK) {
		abort();	/* held more than any budget allows */
	}
	/* a refusal over a limit names it */
	if (r == -E2BIG && !strstr(c->why, "more than") &&
		!strstr(c->why, "longer than")) {
		abort();
	}
	if (r < 0) {
		if (c->n || c->e || !c->why[0]) {
			abort();	/* refused: no entries, and a reason */
		}
		return;
	}
	if (r || !c->n || c->def >= (int)c->n || c->def < -1 ||
		(c->timeout_ds != BOOTCFG_NO_TIMEOUT && c->timeout_ds < 1)) {
		abort();
	}
	for (i = 0; i < c->n; i++) {
		check_entry(&c->e[i]);
	}
	check_choice(c, want, num);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = fuzz_string(data, size), *p, *end = s + size, num[24];
	const char *want = s, *script = "", *vars[MAX_VARS + 1];
	struct boot_config c;
	struct bootcfg_budget own, shared;
	int mode = size ? (data[0] >> 3) & 3 : 0;
	size_t nv = 0;

	budget_hooks();
	if (mode == 3) {
		bootcfg_budget_default(&shared);
	} else {
		shared = small;
	}
	fuzz_quiet();
	p = s + strlen(s) + 1;
	if (p < end) {
		script = p;
		p += strlen(p) + 1;
	}
	for (; p < end && nv < MAX_VARS; p += strlen(p) + 1) {
		vars[nv++] = p;
	}
	vars[nv] = NULL;
	/* hop.entry=N too: an index from the input (its first byte) */
	snprintf(num, sizeof(num), "%u", size ? data[0] % 8u : 0u);

	use(&c, mode, &own, &shared);
	check(bootcfg_ipxe_vars(script, "http://10.0.2.2/boot.ipxe", vars, &c),
		&c, want, num, script);
	done(&c, mode, &own, &shared);
	use(&c, mode, &own, &shared);
	check(bootcfg_ipxe(script, NULL, &c), &c, want, num, script);
	done(&c, mode, &own, &shared);
	free(s);
	return 0;
}
