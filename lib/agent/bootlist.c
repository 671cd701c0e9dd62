/* hop bootcfg's output (README, "hop bootcfg"): the configurations the
 * agent found and their entries, numbered as hop.entry=N counts them, the
 * default of each and why, and the entry the agent boots first. Every
 * string from a disk is escaped: log_escape's rules in the text (a title
 * holding ESC or a newline is shown as \x1b, \x0a), outbuf_json's in JSON. */
#include <string.h>

#include "bootlist.h"
#include "hop.h"

/* what the agent's log calls an entry (lib/agent/boot.c entry_name) */
static const char *name_of(const struct boot_entry *e)
{
	return e->label ? e->label : e->title ? e->title : e->kernel;
}

static void field(struct outbuf *b, const char *key, const char *val)
{
	if (val) {
		outbuf_printf(b, "      %-9s ", key);
		outbuf_escaped(b, val);
		outbuf_add(b, "\n", 1);
	}
}

/* index: hop.entry's number, -1 for a configuration the agent does not
 * read */
static void entry_text(struct outbuf *b, const struct boot_entry *e,
	long index, int def)
{
	size_t i;

	if (index >= 0) {
		outbuf_printf(b, "  [%ld]%s ", index, def ? "*" : " ");
	} else {
		outbuf_printf(b, "  [-]%s ", def ? "*" : " ");
	}
	outbuf_escaped(b, e->title ? e->title : "(no title)");
	outbuf_add(b, "\n", 1);
	field(b, "id", e->label);
	field(b, "kernel", e->kernel);
	/* what to boot inside it: a UKI's profile */
	field(b, "sub", e->sub);
	for (i = 0; i < e->ninitrd; i++) {
		field(b, "initrd", e->initrd[i]);
	}
	/* quoted, as the agent's plan line has it: "" is not (none), which
	 * reuses this command line (hop.reuse) */
	if (e->cmdline) {
		outbuf_printf(b, "      %-9s \"", "cmdline");
		outbuf_escaped(b, e->cmdline);
		outbuf_add(b, "\"\n", 2);
	} else {
		field(b, "cmdline", "(none)");
	}
	field(b, "dtb", e->dtb);
	field(b, "fdtdir", e->fdtdir);
	if (e->search_label || e->search_uuid) {
		/* the paths are on that file system, not the configuration's */
		outbuf_printf(b, "      %-9s %s", "search", e->search_label ?
			"LABEL=" : "UUID=");
		outbuf_escaped(b, e->search_label ? e->search_label :
			e->search_uuid);
		outbuf_add(b, "\n", 1);
	}
	if (e->multiboot) {
		outbuf_printf(b, "      %-9s %d\n", "multiboot", e->multiboot);
	}
	for (i = 0; i < e->nmodule; i++) {
		outbuf_printf(b, "      %-9s ", "module");
		outbuf_escaped(b, e->module[i]);
		outbuf_add(b, " \"", 2);
		outbuf_escaped(b, e->module_cmdline[i]);
		outbuf_add(b, "\"\n", 2);
	}
}

/* one configuration and its entries; *index: hop.entry's number of its
 * first entry, advanced past its last (NULL: not read by the agent) */
static void config_text(struct outbuf *b, const struct found_config *fc,
	size_t *index)
{
	const struct boot_config *c = &fc->c;
	int def = bootcfg_choose(c, NULL);
	size_t i;

	outbuf_escaped(b, fc->shown);
	outbuf_printf(b, " (%s): %zu entr%s\n", bootcfg_kind_name(fc->kind),
		c->n, c->n == 1 ? "y" : "ies");
	if (def >= 0) {
		outbuf_add(b, "  default: entry '", 18);
		outbuf_escaped(b, name_of(&c->e[def]));
		outbuf_printf(b, "' (%s)\n", c->def >= 0 ? "the configuration's "
			"default" : "the first entry: the configuration names "
			"no default");
	}
	if (c->nnotes) {
		outbuf_add(b, "  note: ", 8);
		outbuf_escaped(b, c->note);
		if (c->nnotes > 1) {
			outbuf_printf(b, " (and %u more)", c->nnotes - 1);
		}
		outbuf_add(b, "\n", 1);
	}
	for (i = 0; i < c->n; i++) {
		entry_text(b, &c->e[i], index ? (long)(*index + i) : -1,
			(int)i == def);
	}
	if (index) {
		*index += c->n;
	}
}

void bootlist_text(struct outbuf *b, const struct bootlist *l)
{
	size_t i, index = 0, pick = 0;

	for (i = 0; i < l->n; i++) {
		if (i == l->pick_cfg) {
			pick = index + l->pick_entry;
		}
		config_text(b, &l->fc[i], &index);
	}
	if (l->pick_cfg < l->n && l->pick_entry < l->fc[l->pick_cfg].c.n) {
		const struct found_config *f = &l->fc[l->pick_cfg];

		outbuf_printf(b, "hop boots: [%zu] '", pick);
		outbuf_escaped(b, name_of(&f->c.e[l->pick_entry]));
		outbuf_add(b, "' of ", 5);
		outbuf_escaped(b, f->shown);
		outbuf_add(b, " (", 2);
		outbuf_escaped(b, l->pick_why ? l->pick_why :
			"the first configuration's default");
		outbuf_printf(b, "), then the next while one fails\n");
	}
	if (l->nother) {
		outbuf_printf(b, "\nnot read by the agent (it reads the first "
			"configuration of a file system):\n");
	}
	for (i = 0; i < l->nother; i++) {
		config_text(b, &l->other[i], NULL);
	}
}

/* ---- JSON ---- */

static void key(struct outbuf *b, const char *indent, const char *k)
{
	outbuf_printf(b, ",\n%s\"%s\": ", indent, k);
}

static void entry_json(struct outbuf *b, const struct boot_entry *e,
	long index, int boot)
{
	const char *in = "        ";
	size_t i;

	outbuf_add(b, "      {\n", 8);
	if (index >= 0) {
		outbuf_printf(b, "%s\"index\": %ld", in, index);
	} else {
		outbuf_printf(b, "%s\"index\": null", in);
	}
	key(b, in, "boot");
	outbuf_printf(b, "%s", boot ? "true" : "false");
	key(b, in, "title");
	outbuf_json_str(b, e->title);
	key(b, in, "id");
	outbuf_json_str(b, e->label);
	key(b, in, "kernel");
	outbuf_json_str(b, e->kernel);
	key(b, in, "initrd");
	outbuf_add(b, "[", 1);
	for (i = 0; i < e->ninitrd; i++) {
		outbuf_add(b, ", ", i ? 2 : 0);
		outbuf_json_str(b, e->initrd[i]);
	}
	outbuf_add(b, "]", 1);
	key(b, in, "cmdline");
	outbuf_json_str(b, e->cmdline);
	key(b, in, "dtb");
	outbuf_json_str(b, e->dtb);
	key(b, in, "fdtdir");
	outbuf_json_str(b, e->fdtdir);
	key(b, in, "sub");
	outbuf_json_str(b, e->sub);
	key(b, in, "search");
	if (e->search_label || e->search_uuid) {
		/* the same words as the source it becomes: "LABEL=x" */
		struct outbuf s = { 0 };

		outbuf_printf(&s, "%s%s", e->search_label ? "LABEL=" : "UUID=",
			e->search_label ? e->search_label : e->search_uuid);
		if (s.oom) {
			b->oom = 1;
		} else {
			outbuf_json(b, s.s, s.len);
		}
		outbuf_free(&s);
	} else {
		outbuf_add(b, "null", 4);
	}
	key(b, in, "multiboot");
	outbuf_printf(b, "%d", e->multiboot);
	key(b, in, "modules");
	outbuf_add(b, "[", 1);
	for (i = 0; i < e->nmodule; i++) {
		outbuf_add(b, ", ", i ? 2 : 0);
		outbuf_add(b, "{\"path\": ", 9);
		outbuf_json_str(b, e->module[i]);
		outbuf_add(b, ", \"cmdline\": ", 13);
		outbuf_json_str(b, e->module_cmdline[i]);
		outbuf_add(b, "}", 1);
	}
	outbuf_add(b, "]\n      }", 9);
}

/* boot: the index within c of the entry the agent boots first, -1 when
 * none of c */
static void config_json(struct outbuf *b, const struct found_config *fc,
	size_t *index, long boot)
{
	const struct boot_config *c = &fc->c;
	const char *in = "    ";
	size_t i;

	outbuf_add(b, "  {\n    \"config\": ", 18);
	outbuf_json_str(b, fc->shown);
	key(b, in, "kind");
	outbuf_json_str(b, bootcfg_kind_name(fc->kind));
	key(b, in, "read");
	outbuf_printf(b, "%s", index ? "true" : "false");
	key(b, in, "default");
	if (c->def >= 0 && (size_t)c->def < c->n) {
		outbuf_printf(b, "%d", c->def);
	} else {
		outbuf_add(b, "null", 4);
	}
	key(b, in, "notes");
	outbuf_printf(b, "%u", c->nnotes);
	key(b, in, "note");
	outbuf_json_str(b, c->nnotes ? c->note : NULL);
	key(b, in, "entries");
	outbuf_add(b, "[\n", 2);
	for (i = 0; i < c->n; i++) {
		outbuf_add(b, ",\n", i ? 2 : 0);
		entry_json(b, &c->e[i], index ? (long)(*index + i) : -1,
			(long)i == boot);
	}
	outbuf_add(b, "\n    ]\n  }", 10);
	if (index) {
		*index += c->n;
	}
}

void bootlist_json(struct outbuf *b, const struct bootlist *l)
{
	size_t i, index = 0;

	outbuf_add(b, "[", 1);
	for (i = 0; i < l->n + l->nother; i++) {
		outbuf_add(b, i ? ",\n" : "\n", i ? 2 : 1);
		if (i < l->n) {
			config_json(b, &l->fc[i], &index, i == l->pick_cfg ?
				(long)l->pick_entry : -1);
		} else {
			config_json(b, &l->other[i - l->n], NULL, -1);
		}
	}
	outbuf_add(b, l->n + l->nother ? "\n]\n" : "]\n",
		l->n + l->nother ? 3 : 2);
}
