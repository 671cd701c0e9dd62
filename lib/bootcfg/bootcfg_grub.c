/* grub.cfg: the subset grub-mkconfig, distributions and image builders
 * write, read the way grub's script engine would run it, without running
 * any real command (README, "grub.cfg", says the same for users).
 *
 * Words (grub-core/script/yylex.l): split on blanks; ';' and newlines end
 * a command; '{' and '}' are tokens of their own even against a word
 * ("menuentry 'boot'{", "{linux ...", "... quiet}"); '#' at the start of
 * a word comments to the end of the line. 'single quotes' keep every
 * byte; "double quotes" expand $variables and take a backslash before $,
 * ", \ and newline; outside quotes a backslash keeps the next byte and
 * backslash-newline joins lines, except "\xHH" (two hex digits), which
 * stays whole as Red Hat's grub keeps it (its execute.c and lib/cmdline.c
 * carry that patch: CentOS and Fedora install media write
 * "LABEL=CentOS\x207\x20x86_64" for dracut to decode; upstream grub
 * would pass "CentOSx207x20x86_64"). $name, ${name} expand to what "set
 * name=value" or "name=value" stored before (unset: empty, except grub's
 * feature_* flags, which are "y"); outside quotes the value splits on
 * blanks, and a word that expands to nothing is no argument, while
 * "$unset" in quotes is an empty one. $1..., $#, $@ and $* are a
 * function's arguments. $prefix, $config_directory start as the folder
 * of the configuration ("/boot/grub": grub's has the device in front),
 * $config_file as its path.
 *
 * Commands: "if COND; then ... [elif COND; then ...] [else ...] fi" runs
 * the branch grub would: COND is "[ ... ]" or "test ..." as
 * grub-core/commands/test.c evaluates it (left to right, no precedence:
 * "-a" skips the next test when false so far, "-o" when true, "!" negates
 * the next, "( )" groups, -n -z = == != < > -eq...-ge, and the file tests
 * -e -f -d -s through io, a failed read meaning false; like grub, a file
 * test ends the expression), or true/false; any other command is false.
 * "function NAME { ... }" defines a function, and NAME ARGS... runs it
 * (grub's own commands come first); "for NAME in WORDS; do ...; done"
 * runs its body once for each word; while/until loops are skipped (not
 * run). "source FILE" and "configfile FILE" run FILE (read through io;
 * configfile adds FILE's menu to this one, where grub would show FILE's
 * menu in its place: the stubs that use it have no entry of their own).
 * "load_env [-f FILE] [VAR...]" reads a grubenv block (default
 * $prefix/grubenv; with VARs, only those), "save_env" is ignored with a
 * note: hop never writes to the disks it reads, so a next_entry (grub-
 * reboot) boots as the default every time until something else clears
 * it. "menuentry TITLE [--class C]... [--users U] [--hotkey K]
 * [--unrestricted] [--id ID] {...}" is an entry; in it "linux"/
 * "linuxefi"/"linux16 PATH ARGS..." (ARGS joined as grub's
 * grub_create_loader_cmdline joins them: an argument with a space in
 * double quotes, \ ' " escaped with a backslash but "\xHH" left whole,
 * as Red Hat's grub does; an empty argument ("$unset") is left out where
 * grub writes two blanks, which the kernel reads the same),
 * "initrd"/"initrdefi"/"initrd16 PATH..." (the last command wins, like
 * grub), "devicetree PATH", "multiboot"/"multiboot2 PATH ARGS" (the kernel
 * of a multiboot entry, ARGS joined as for linux),
 * "module"/"module2 [--nounzip] PATH ARGS" (each a module, in order; its
 * string is "PATH ARGS": GRUB 2 passes ARGS alone and names itself
 * "GRUB 2", hop names itself "hop" and, like GRUB legacy and kexec-tools,
 * starts each string with the file name; Xen drops that first word for
 * loaders other than GRUB 2, so Debian's "placeholder" lands where it
 * does under GRUB 2), and "search [--no-floppy] --label|--fs-uuid|--file
 * [--set[=VAR]] [--hint...] NAME" (or search.fs_label/search.fs_uuid/
 * search.file NAME [VAR]): for root, a label or UUID sets search_label or
 * search_uuid (a search outside the entries serves every entry that has
 * none, and "set root=" forgets it); a file makes root this file system
 * when it is here ([ -f ]), else root stays as it was, with a note (hop
 * looks at no other disk); another VAR gets NAME itself (grub would give
 * a device name, which hop drops from paths anyway). A leading grub
 * device, "(hd0,gpt2)/vmlinuz", "($root)/vmlinuz", is dropped from paths
 * with a note: paths are on the configuration's file system. Variables
 * set in an entry or a submenu stay in it, as they do in grub.
 *
 * Submenus are flattened: their entries follow in the list, in order, and
 * keep their own title and id. The default is the "default" variable at the
 * end, resolved as grub-core/normal/menu.c does: a value starting with a
 * digit is a number (C's base 0, the rest ignored) counting the items
 * of the menu (a submenu is one item, entries without a linux command
 * count too), else the first item whose title or id equals it up to a
 * '>' (">>" stands for a '>' of the name); "A>B" goes into submenu A and
 * resolves B there ("1>2", "Advanced options for Debian>Debian ...
 * (recovery mode)", ids too), and a submenu reached without a B, or with
 * a B naming nothing, boots its first item, as grub's auto-boot does.
 * Empty ("${saved_entry}" with no grubenv) means item 0; a name matching
 * no top-level item is a note (and no default). "timeout" is in seconds,
 * -1 waits for ever. Not followed: blscfg (read loader/entries as BLS).
 *
 * Costs: the boot's budget (bootcfg.h) pays for the text and every file
 * read (source, configfile, load_env, file tests), each expansion's
 * bytes, each assignment's value, each copy of a search outside the
 * entries made for an entry, and each entry and submenu; a word is at
 * most MAX_WORD bytes, a command too (its words counted with WORD_COST
 * each, so a value of many short words splits into a bounded number),
 * variables hold MAX_VARS bytes and at most MAX_NVARS live at once (a
 * lookup reads them all). Functions, loops and source run text again:
 * every byte lexed (and WORD_COST per token) counts against MAX_WORK per
 * parse, function calls nest at most MAX_CALLS deep, source/configfile
 * MAX_SOURCE deep, a file already being run is a loop (refused), and
 * blocks of every kind nest at most MAX_DEPTH deep. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg.h"

#define MAX_DEPTH 64		/* nested blocks, ifs, calls and sources */
#define MAX_WORD (1 << 20)	/* one expanded word */
#define MAX_VARS (4 << 20)	/* bytes held by variables */
#define MAX_NVARS 128		/* live variables; grub-mkconfig sets ~30 */
#define WORD_COST 32		/* a word's pointer, flag and malloc's
				 * overhead, as a command counts it */
#define MAX_WORK (8 << 20)	/* bytes lexed in one parse: twice the
				 * boot's text budget, for loops, functions
				 * and sourced files run again; a hostile
				 * loop nest reaches it in ~0.7 s of CPU
				 * under ASan */
#define MAX_CALLS 16		/* nested function calls; Ubuntu's are
				 * one deep */
#define MAX_SOURCE 8		/* nested source/configfile */
#define MAX_FUNCS 64		/* functions defined; grub-mkconfig ~5 */
#define MAX_PARENS 16		/* nested ( ) in a test */

enum { T_EOF, T_CMD, T_OPEN, T_CLOSE, T_ERR };
/* run_list's ends; errors are -errno */
enum { R_OK, R_EOF, R_CLOSE, R_FI, R_ELSE, R_ELIF, R_DONE };

struct sbuf {
	char *s;
	size_t n, cap;
};

struct gcmd {
	char **w;
	unsigned char *plain;	/* the word was written without quotes,
				 * escapes or $: it may be a keyword */
	size_t n, cap;
	size_t bytes;		/* its words' lengths and WORD_COSTs */
	unsigned line;
};

struct var {
	char *name, *val;	/* val NULL: unset */
};

struct item {
	int parent;		/* submenu item, -1: top level */
	int ord;		/* place among its parent's items */
	int entry;		/* index in c->e, -1: a submenu */
	int nchild;
	char *title, *id;
};

struct func {
	char *name;
	const char *body;	/* just after its '{', in a text that lives
				 * as long as the parse */
	const char *file;
	unsigned line;
};

struct grub {
	struct boot_config *c;
	const struct bootcfg_io *io;
	const char *name;	/* the file being run, for messages */
	const char *p;
	unsigned line;
	int pending;		/* a brace read right after a command */
	struct var *v;
	size_t nv, scope, vbytes;
	struct item *it;
	size_t nit;
	int ntop, sub, entry, depth;
	int err;		/* the error behind a T_ERR */
	unsigned at;		/* the line of the command being run */
	char *label, *uuid;	/* a search outside the entries */
	struct func *fn;
	size_t nfn;
	char **own;		/* texts and names read through io, freed
				 * at the end: function bodies point in */
	size_t nown;
	const char *src[MAX_SOURCE + 2];	/* files being run */
	int nsrc;
	char **args;		/* the running function's arguments */
	size_t nargs;
	int calls;
	size_t work;
	char num[24];		/* $# */
	char *star;		/* $@ and $* */
	int saved;		/* save_env noted */
};

static int run_list(struct grub *g, int active, struct gcmd *end);
static int dispatch(struct grub *g, struct gcmd *cmd, int active,
	struct gcmd *end);

static int oom(struct grub *g)
{
	return bootcfg_refuse(g->c, -ENOMEM, "%s:%u: out of memory", g->name,
		g->line);
}

/* keeps s (malloc'd) until the parse ends; on failure frees it */
static int keep(struct grub *g, char *s)
{
	char **o = realloc(g->own, (g->nown + 1) * sizeof(*o));

	if (!o) {
		free(s);
		return oom(g);
	}
	g->own = o;
	g->own[g->nown++] = s;
	return 0;
}

/* ---- words ---- */

static int sb_add(struct grub *g, struct sbuf *b, const char *s, size_t n)
{
	char *p;
	size_t cap;

	if (b->n + n > MAX_WORD) {
		return bootcfg_refuse(g->c, -E2BIG, "%s:%u: a word longer than "
			"%d bytes", g->name, g->line, MAX_WORD);
	}
	if (b->n + n + 1 > b->cap) {
		/* small: an expansion may split into many short words */
		cap = b->cap ? b->cap : 16;
		while (cap < b->n + n + 1) {
			cap *= 2;
		}
		p = realloc(b->s, cap);
		if (!p) {
			return oom(g);
		}
		b->s = p;
		b->cap = cap;
	}
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
	return 0;
}

static void cmd_free(struct gcmd *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->w[i]);
	}
	free(c->w);
	free(c->plain);
	memset(c, 0, sizeof(*c));
}

/* takes b's string (on failure the caller still owns it) */
static int cmd_push(struct grub *g, struct gcmd *c, struct sbuf *b, int plain)
{
	char **w;
	unsigned char *pl;

	if (!b->s && sb_add(g, b, "", 0) < 0) {
		return -ENOMEM;
	}
	c->bytes += b->n + WORD_COST;
	if (c->bytes > MAX_WORD) {
		return bootcfg_refuse(g->c, -E2BIG, "%s:%u: a command longer "
			"than %d bytes", g->name, g->line, MAX_WORD);
	}
	if (c->n == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 8;
		w = realloc(c->w, c->cap * sizeof(*w));
		if (w) {
			c->w = w;
		}
		pl = realloc(c->plain, c->cap);
		if (pl) {
			c->plain = pl;
		}
		if (!w || !pl) {
			return oom(g);
		}
	}
	c->w[c->n] = b->s;
	c->plain[c->n++] = (unsigned char)plain;
	memset(b, 0, sizeof(*b));
	return 0;
}

/* drops the first word */
static void cmd_shift(struct gcmd *c)
{
	if (!c->n) {
		return;
	}
	free(c->w[0]);
	memmove(c->w, c->w + 1, (c->n - 1) * sizeof(*c->w));
	memmove(c->plain, c->plain + 1, c->n - 1);
	c->n--;
}

static int is_kw(const struct gcmd *c, const char *kw)
{
	return c->n && c->plain[0] && !strcmp(c->w[0], kw);
}

static int name_char(char ch, int first)
{
	return ch == '_' || (ch >= 'a' && ch <= 'z') ||
		(ch >= 'A' && ch <= 'Z') || (!first && ch >= '0' && ch <= '9');
}

static int is_hex(char ch)
{
	return (ch >= '0' && ch <= '9') || (ch >= 'a' && ch <= 'f') ||
		(ch >= 'A' && ch <= 'F');
}

/* "\xHH": Red Hat's grub keeps it whole, in words and command lines */
static int hex_escape(const char *s)
{
	return s[0] == '\\' && s[1] == 'x' && is_hex(s[2]) && is_hex(s[3]);
}

static const char *lookup(struct grub *g, const char *name)
{
	size_t i, len = 0;

	if (name[0] >= '0' && name[0] <= '9') {
		/* $0 is grub's "no file name, for now": empty */
		i = (size_t)strtoul(name, NULL, 10);
		return i >= 1 && i <= g->nargs ? g->args[i - 1] : "";
	}
	if (!strcmp(name, "#")) {
		snprintf(g->num, sizeof(g->num), "%zu", g->nargs);
		return g->num;
	}
	if (!strcmp(name, "@") || !strcmp(name, "*")) {
		free(g->star);
		for (i = 0; i < g->nargs; i++) {
			len += strlen(g->args[i]) + 1;
		}
		g->star = malloc(len + 1);
		if (!g->star) {
			return "";
		}
		/* appended at a running end: strcat would walk the whole
		 * string once per argument, quadratic in a hostile $@ */
		for (i = 0, len = 0; i < g->nargs; i++) {
			size_t n = strlen(g->args[i]);

			if (i) {
				g->star[len++] = ' ';
			}
			memcpy(g->star + len, g->args[i], n);
			len += n;
		}
		g->star[len] = '\0';
		return g->star;
	}
	for (i = g->nv; i > 0; i--) {
		if (!strcmp(g->v[i - 1].name, name)) {
			return g->v[i - 1].val ? g->v[i - 1].val : "";
		}
	}
	/* grub sets its feature_* flags itself (normal/main.c features) */
	return strncmp(name, "feature_", 8) ? "" : "y";
}

/* at '$': the value in *val, or NULL when the '$' is a plain '$' */
static int expand(struct grub *g, const char **val)
{
	const char *s = g->p + 1, *e;
	int brace = *s == '{';
	char name[128];

	*val = NULL;
	s += brace;
	/* grub's VARIABLE: a name, digits or one of ?#@*, in braces or
	 * not */
	if (name_char(*s, 1)) {
		for (e = s; name_char(*e, 0) && e - s < 100; e++) {
		}
	} else if (*s >= '0' && *s <= '9') {
		for (e = s; *e >= '0' && *e <= '9' && e - s < 100; e++) {
		}
	} else if (*s && strchr("?#@*", *s)) {
		e = s + 1;
	} else if (brace) {
		e = s;
	} else {
		return 0;
	}
	if (brace && *e != '}') {
		return bootcfg_refuse(g->c, -EINVAL, "%s:%u: '${' without '}'",
			g->name, g->line);
	}
	snprintf(name, sizeof(name), "%.*s", (int)(e - s), s);
	*val = lookup(g, name);
	g->p = e + brace;
	/* paid before the caller copies it */
	return bootcfg_spend(g->c, BOOTCFG_EXPAND, strlen(*val), g->name,
		g->line, NULL);
}

/* a value expanded outside quotes: blanks split it into words */
static int split_value(struct grub *g, struct gcmd *c, struct sbuf *b,
	int *have, const char *v)
{
	int r = 0;

	for (; *v && r == 0; v++) {
		if (*v == ' ' || *v == '\t' || *v == '\n') {
			if (*have) {
				r = cmd_push(g, c, b, 0);
			}
			*have = 0;
		} else {
			r = sb_add(g, b, v, 1);
			*have = 1;
		}
	}
	return r;
}

static int single_quoted(struct grub *g, struct sbuf *b)
{
	const char *e = strchr(g->p + 1, '\''), *s;

	if (!e) {
		return bootcfg_refuse(g->c, -EINVAL, "%s:%u: ' without its "
			"closing '", g->name, g->line);
	}
	for (s = g->p + 1; s < e; s++) {
		g->line += *s == '\n';
	}
	if (sb_add(g, b, g->p + 1, (size_t)(e - g->p - 1)) < 0) {
		return -ENOMEM;
	}
	g->p = e + 1;
	return 0;
}

static int double_quoted(struct grub *g, struct sbuf *b)
{
	unsigned line = g->line;
	const char *v;
	int r = 0;

	for (g->p++; r == 0 && *g->p != '"'; ) {
		if (!*g->p) {
			return bootcfg_refuse(g->c, -EINVAL, "%s:%u: \" without "
				"its closing \"", g->name, line);
		}
		if (*g->p == '\\' && g->p[1] && strchr("$\"\\\n", g->p[1])) {
			g->line += g->p[1] == '\n';
			r = g->p[1] == '\n' ? 0 : sb_add(g, b, g->p + 1, 1);
			g->p += 2;
		} else if (*g->p == '$') {
			r = expand(g, &v);
			if (r == 0 && v) {
				r = sb_add(g, b, v, strlen(v));
			} else if (r == 0) {
				r = sb_add(g, b, g->p++, 1);
			}
		} else {
			g->line += *g->p == '\n';
			r = sb_add(g, b, g->p++, 1);
		}
	}
	g->p++;
	return r;
}

/* one word at g->p (more than one when an expansion splits); a "{" or
 * "}" outside quotes ends a word and is a token of its own: T_OPEN or
 * T_CLOSE when g->p is at one */
static int word(struct grub *g, struct gcmd *c)
{
	struct sbuf b = { 0 };
	int have = 0, plain = 1, r = 0;
	const char *v;

	if (*g->p == '{' || *g->p == '}') {
		return *g->p++ == '{' ? T_OPEN : T_CLOSE;
	}
	while (r == 0 && *g->p && !strchr(" \t\r\n;{}", *g->p)) {
		if (*g->p == '\\') {
			plain = 0;
			if (hex_escape(g->p)) {
				r = sb_add(g, &b, g->p, 4);
				have = 1;
				g->p += 4;
				continue;
			}
			if (g->p[1] == '\n') {
				g->line++;
			} else if (g->p[1]) {
				r = sb_add(g, &b, g->p + 1, 1);
				have = 1;
			}
			g->p += g->p[1] ? 2 : 1;
		} else if (*g->p == '\'' || *g->p == '"') {
			plain = 0;
			have = 1;
			r = *g->p == '\'' ? single_quoted(g, &b) :
				double_quoted(g, &b);
		} else if (*g->p == '$') {
			r = expand(g, &v);
			if (r == 0 && v) {
				plain = 0;
				r = split_value(g, c, &b, &have, v);
			} else if (r == 0) {
				have = 1;
				r = sb_add(g, &b, g->p++, 1);
			}
		} else {
			have = 1;
			r = sb_add(g, &b, g->p++, 1);
		}
	}
	if (r == 0 && have) {
		r = cmd_push(g, c, &b, plain);
	}
	free(b.s);
	return r < 0 ? r : T_CMD;
}

/* the next command, or a brace, or the end */
static int next_token(struct grub *g, struct gcmd *c)
{
	int t;

	cmd_free(c);
	if (g->pending) {
		t = g->pending;
		g->pending = 0;
		return t;
	}
	for (;;) {
		g->p += strspn(g->p, " \t\r");
		if (!*g->p) {
			return c->n ? T_CMD : T_EOF;
		}
		if (*g->p == '\n' || *g->p == ';') {
			g->line += *g->p++ == '\n';
			if (c->n) {
				return T_CMD;
			}
			continue;
		}
		if (*g->p == '#') {
			g->p += strcspn(g->p, "\n");
			continue;
		}
		if (!c->n) {
			c->line = g->line;
		}
		t = word(g, c);
		if (t < 0) {
			g->err = t;
			return T_ERR;
		}
		if (t != T_CMD) {
			if (!c->n) {
				return t;
			}
			g->pending = t;
			return T_CMD;
		}
	}
}

/* next_token, paid for: text run again (loops, functions, source) is
 * lexed again, and MAX_WORK bounds all of it */
static int next(struct grub *g, struct gcmd *c)
{
	const char *from = g->p;
	int t = next_token(g, c);

	g->work += (size_t)(g->p - from) + WORD_COST;
	if (t != T_ERR && g->work > MAX_WORK) {
		g->err = bootcfg_refuse(g->c, -E2BIG, "%s:%u: more than %d "
			"bytes of script run (loops, functions and source run "
			"text again; hop's bound)", g->name, g->line, MAX_WORK);
		return T_ERR;
	}
	return t;
}
/* ---- variables ---- */

/* name[0..n) = val (NULL: unset); pay: from the budget's expansion,
 * as every value the script makes (hop's own $prefix is not) */
static int put_var(struct grub *g, const char *name, size_t n,
	const char *val, int pay)
{
	struct var *v;
	size_t i;

	/* "set root=" forgets what a search found */
	if (n == 4 && !strncmp(name, "root", 4)) {
		struct boot_entry *e = g->entry >= 0 ? &g->c->e[g->entry] : NULL;

		free(e ? e->search_label : g->label);
		free(e ? e->search_uuid : g->uuid);
		*(e ? &e->search_label : &g->label) = NULL;
		*(e ? &e->search_uuid : &g->uuid) = NULL;
	}
	g->vbytes += n + (val ? strlen(val) : 0);
	if (g->vbytes > MAX_VARS) {
		return bootcfg_refuse(g->c, -E2BIG, "%s:%u: variables hold more "
			"than %d bytes", g->name, g->at, MAX_VARS);
	}
	if (pay && val && bootcfg_spend(g->c, BOOTCFG_EXPAND, strlen(val),
		g->name, g->at, NULL) < 0) {
		return -E2BIG;
	}
	/* a variable of an outer scope is shadowed, not changed */
	for (i = g->nv; i > g->scope; i--) {
		v = &g->v[i - 1];
		if (strlen(v->name) == n && !strncmp(v->name, name, n)) {
			free(v->val);
			v->val = NULL;
			return val && bootcfg_set(&v->val, val) < 0 ? oom(g) : 0;
		}
	}
	if (g->nv >= MAX_NVARS) {
		return bootcfg_refuse(g->c, -E2BIG, "%s:%u: more than %d "
			"variables set", g->name, g->at, MAX_NVARS);
	}
	v = realloc(g->v, (g->nv + 1) * sizeof(*g->v));
	if (!v) {
		return oom(g);
	}
	g->v = v;
	v = &g->v[g->nv];
	memset(v, 0, sizeof(*v));
	if (bootcfg_setn(&v->name, name, n) < 0 ||
		(val && bootcfg_set(&v->val, val) < 0)) {
		free(v->name);
		return oom(g);
	}
	g->nv++;
	return 0;
}

static int set_var(struct grub *g, const char *name, size_t n,
	const char *val)
{
	return put_var(g, name, n, val, 1);
}

static void drop_vars(struct grub *g, size_t to)
{
	for (; g->nv > to; g->nv--) {
		free(g->v[g->nv - 1].name);
		free(g->v[g->nv - 1].val);
	}
}

/* "name=value": 1 when w is an assignment */
static int assignment(struct grub *g, const char *w, int *r)
{
	const char *eq = strchr(w, '=');
	const char *s;

	if (!eq || eq == w || !name_char(*w, 1)) {
		return 0;
	}
	for (s = w; s < eq; s++) {
		if (!name_char(*s, 0)) {
			return 0;
		}
	}
	*r = set_var(g, w, (size_t)(eq - w), eq + 1);
	return 1;
}


/* ---- files ---- */

/* "(hd0,gpt2)/vmlinuz" -> "/vmlinuz": paths are on the configuration's
 * file system */
static const char *path(struct grub *g, const char *s, unsigned line)
{
	const char *e;

	if (s[0] != '(' || !(e = strchr(s, ')'))) {
		return s;
	}
	bootcfg_note(g->c, "%s:%u: device %.*s dropped from %s", g->name, line,
		(int)(e - s + 1), s, s);
	return e + 1;
}

/* what io is given: an absolute path, else NULL (grub has no relative
 * paths either) */
static const char *fs_path(struct grub *g, const char *s, unsigned line)
{
	s = path(g, s, line);
	return s[0] == '/' ? s : NULL;
}

/* arg's text through io: 0 with *text (the caller frees it), 1 when it
 * cannot be read (a note says why: grub prints an error and goes on),
 * or a refusal */
static int read_file(struct grub *g, const char *cmd, const char *arg,
	unsigned line, char **text)
{
	const char *p = fs_path(g, arg, line);
	int r;

	*text = NULL;
	if (!p || !g->io || !g->io->read) {
		bootcfg_note(g->c, "%s:%u: %s %s: %s, skipped", g->name, line,
			cmd, arg, p ? "no file access" : "not a path");
		return 1;
	}
	r = bootcfg_spend(g->c, BOOTCFG_FILES, 1, g->name, line, NULL);
	if (r < 0) {
		return r;
	}
	r = g->io->read(g->io->ctx, p, text);
	if (r == -E2BIG) {
		/* the callback stopped at what the budget has left */
		return bootcfg_spend(g->c, BOOTCFG_READ, g->c->budget->read + 1,
			g->name, line, NULL);
	}
	if (r == 0 && *text) {
		r = bootcfg_spend(g->c, BOOTCFG_READ, strlen(*text), g->name,
			line, NULL);
		if (r < 0) {
			free(*text);
			*text = NULL;
		}
		return r;
	}
	free(*text);
	*text = NULL;
	bootcfg_note(g->c, "%s:%u: %s %s: %s, skipped", g->name, line, cmd, p,
		errname(r < 0 ? -r : EIO));
	return 1;
}

/* grub's -e -f -d -s on this file system: 1, 0 (a failed read or
 * listing is false, as grub's is), or a refusal. Each look is paid:
 * a file as the budget's files and read, a listing as its names. */
static int file_test(struct grub *g, char op, const char *arg)
{
	const char *p = fs_path(g, arg, g->at);
	char *text = NULL, **names = NULL;
	size_t n = 0, i;
	int r;

	if (!p || !g->io) {
		return 0;
	}
	if (op != 'd' && g->io->read) {
		r = bootcfg_spend(g->c, BOOTCFG_FILES, 1, g->name, g->at, NULL);
		if (r < 0) {
			return r;
		}
		r = g->io->read(g->io->ctx, p, &text);
		if (r == 0 && text) {
			n = strlen(text);
			free(text);
			r = bootcfg_spend(g->c, BOOTCFG_READ, n, g->name, g->at,
				NULL);
			return r < 0 ? r : op != 's' || n > 0;
		}
		free(text);
		/* longer than the callback reads, or not text: there, and
		 * not empty */
		if (r == -E2BIG || r == -EFBIG || r == -EILSEQ) {
			return 1;
		}
	}
	if (op != 'd' && op != 'e') {
		return 0;
	}
	if (!g->io->list) {
		return 0;
	}
	r = g->io->list(g->io->ctx, p, &names, &n);
	for (i = 0; i < n && names; i++) {
		free(names[i]);
	}
	free(names);
	if (r < 0) {
		return 0;
	}
	r = bootcfg_spend(g->c, BOOTCFG_LISTED, n, g->name, g->at, NULL);
	return r < 0 ? r : 1;
}

/* ---- conditions ---- */

struct tparse {
	struct grub *g;
	char **a;
	size_t n, i;
	int err;
};

/* grub-core/commands/test.c test_parse, step for step: left to right,
 * "-a"/"-o" decide whether the next test counts, "!" negates the next
 * one, and a file test ends the expression (grub returns there) */
static int test_parse(struct tparse *t, int depth)
{
	static const char *const ops[] = {
		"=", "==", "!=", "<", "<=", ">", ">=",
		"-eq", "-ne", "-lt", "-le", "-gt", "-ge",
	};
	int ret = 0, discard = 0, invert = 0, v;
	char **a = t->a;
	size_t k, i;

#define UPDATE(x) do { \
		if (!discard) { \
			ret = invert ? !(x) : !!(x); \
		} \
		invert = discard = 0; \
	} while (0)
	while (t->i < t->n) {
		i = t->i;
		if (i + 2 < t->n) {
			int sc = strcmp(a[i], a[i + 2]);
			long x = strtol(a[i], NULL, 0), y = strtol(a[i + 2],
				NULL, 0);

			for (k = 0; k < sizeof(ops) / sizeof(ops[0]) &&
				strcmp(a[i + 1], ops[k]); k++) {
			}
			v = k < sizeof(ops) / sizeof(ops[0]) ? (int[]){
				!sc, !sc, sc != 0, sc < 0, sc <= 0, sc > 0,
				sc >= 0, x == y, x != y, x < y, x <= y, x > y,
				x >= y }[k] :
				/* -nt, -ot: hop sees no times */
				!strncmp(a[i + 1], "-nt", 3) ||
				!strncmp(a[i + 1], "-ot", 3) ? 0 : -1;
			if (v >= 0) {
				UPDATE(v);
				t->i += 3;
				continue;
			}
		}
		if (i + 1 < t->n && a[i][0] == '-' && a[i][1] &&
			strchr("defs", a[i][1]) && !a[i][2]) {
			v = file_test(t->g, a[i][1], a[i + 1]);
			if (v < 0) {
				t->err = v;
				return 0;
			}
			UPDATE(v);
			t->i += 2;
			return ret;
		}
		if (i + 1 < t->n && (!strcmp(a[i], "-n") ||
			!strcmp(a[i], "-z"))) {
			UPDATE((a[i + 1][0] != '\0') == (a[i][1] == 'n'));
			t->i += 2;
			continue;
		}
		t->i++;
		if (!strcmp(a[i], ")")) {
			return ret;
		}
		if (!strcmp(a[i], "(")) {
			if (depth >= MAX_PARENS) {
				t->err = bootcfg_refuse(t->g->c, -ELOOP,
					"%s:%u: a test nested deeper than %d "
					"'('", t->g->name, t->g->at,
					MAX_PARENS);
				return 0;
			}
			v = test_parse(t, depth + 1);
			if (t->err) {
				return 0;
			}
			UPDATE(v);
		} else if (!strcmp(a[i], "!")) {
			invert = !invert;
		} else if (!strcmp(a[i], "-a")) {
			discard = !ret;
		} else if (!strcmp(a[i], "-o")) {
			discard = ret;
		} else {
			UPDATE(a[i][0] != '\0');
		}
	}
#undef UPDATE
	return ret;
}

/* an if's or elif's condition: 1, 0 or a refusal */
static int eval(struct grub *g, const struct gcmd *c, size_t from)
{
	struct tparse t = { 0 };
	char **w = c->w + from;
	size_t n = c->n - from;
	int neg = 0, r = 0;

	g->at = c->line;
	while (n && !strcmp(w[0], "!")) {
		neg = !neg;
		w++;
		n--;
	}
	if (n && (!strcmp(w[0], "[") || !strcmp(w[0], "test"))) {
		t.g = g;
		t.a = w + 1;
		t.n = n - 1;
		/* grub's test drops a last "]", for "test" as for "[" */
		if (t.n && !strcmp(t.a[t.n - 1], "]")) {
			t.n--;
		}
		r = test_parse(&t, 0);
		if (t.err) {
			return t.err;
		}
	} else if (n) {
		r = !strcmp(w[0], "true");
	}
	return r ^ neg;
}
/* ---- control flow ---- */

static int unexpected(struct grub *g, int r, const struct gcmd *end,
	const char *where, unsigned line)
{
	if (r < 0) {
		return r;
	}
	if (r == R_EOF || r == R_CLOSE) {
		return bootcfg_refuse(g->c, -EINVAL, "%s:%u: %s without its "
			"end", g->name, line, where);
	}
	return bootcfg_refuse(g->c, -EINVAL, "%s:%u: '%s' out of place",
		g->name, end->line, end->n ? end->w[0] : "");
}

/* the words after a "then", "else" or "do" run first, then the list */
static int body(struct grub *g, struct gcmd *first, int active,
	struct gcmd *end)
{
	int r = 0;

	/* "then if ...; then if ..." nests without a list in between */
	if (++g->depth > MAX_DEPTH) {
		r = bootcfg_refuse(g->c, -ELOOP, "%s:%u: blocks nested deeper "
			"than %d", g->name, g->line, MAX_DEPTH);
	} else if (first->n) {
		r = dispatch(g, first, active, end);
	}
	r = r ? r : run_list(g, active, end);
	g->depth--;
	return r;
}

/* reads the command that must start with kw ("then", "do") into c */
static int expect(struct grub *g, struct gcmd *c, const char *kw,
	const char *what, unsigned line)
{
	int t = next(g, c);

	if (t == T_ERR) {
		return g->err;
	}
	if (t != T_CMD || !is_kw(c, kw)) {
		return bootcfg_refuse(g->c, -EINVAL, "%s:%u: %s without '%s'",
			g->name, line, what, kw);
	}
	cmd_shift(c);
	return 0;
}

static int do_if(struct grub *g, struct gcmd *cmd, int active)
{
	struct gcmd end = { 0 }, rest = { 0 };
	unsigned line = cmd->line;
	int taken = 0, cur = active ? eval(g, cmd, 1) : 0, r, seen_else = 0;

	r = cur < 0 ? cur : expect(g, &rest, "then", "if", line);
	r = r ? r : body(g, &rest, cur, &end);
	while (r == R_ELIF || r == R_ELSE) {
		taken |= cur;
		cmd_free(&rest);
		if (seen_else) {
			break;
		}
		if (r == R_ELIF) {
			cur = active && !taken ? eval(g, &end, 1) : 0;
			r = cur < 0 ? cur : expect(g, &rest, "then", "elif",
				end.line);
		} else {
			seen_else = 1;
			cur = active && !taken;
			rest = end;
			memset(&end, 0, sizeof(end));
			cmd_shift(&rest);
			r = 0;
		}
		r = r ? r : body(g, &rest, cur, &end);
	}
	r = r == R_FI ? 0 : unexpected(g, r, &end, "if", line);
	cmd_free(&end);
	cmd_free(&rest);
	return r;
}

static int do_loop(struct grub *g, struct gcmd *cmd)
{
	struct gcmd end = { 0 }, rest = { 0 };
	unsigned line = cmd->line;
	int r;

	/* while and until are not run: nothing the generators write
	 * needs one, and their conditions are commands hop does not run */
	r = expect(g, &rest, "do", cmd->w[0], line);
	r = r ? r : body(g, &rest, 0, &end);
	r = r == R_DONE ? 0 : unexpected(g, r, &end, "loop", line);
	cmd_free(&end);
	cmd_free(&rest);
	return r;
}

/* after "{": the commands up to the matching "}" */
static int block(struct grub *g, int active, const char *what, unsigned line)
{
	struct gcmd end = { 0 };
	int r = run_list(g, active, &end);

	r = r == R_CLOSE ? 0 : unexpected(g, r, &end, what, line);
	cmd_free(&end);
	return r;
}

static int open_block(struct grub *g, const char *what, unsigned line)
{
	struct gcmd c = { 0 };
	int t = next(g, &c);

	cmd_free(&c);
	if (t == T_ERR) {
		return g->err;
	}
	if (t != T_OPEN) {
		return bootcfg_refuse(g->c, -EINVAL, "%s:%u: %s without '{'",
			g->name, line, what);
	}
	return 0;
}


/* ---- loops, functions, other files ---- */

static int valid_name(const char *s)
{
	if (!name_char(*s, 1)) {
		return 0;
	}
	while (name_char(*s, 0)) {
		s++;
	}
	return *s == '\0';
}

/* "for NAME in WORDS; do LIST; done": LIST once for each word, NAME set
 * to it (grub-core/script/execute.c grub_script_execute_cmdfor). The
 * text after "do" is lexed again for each word, so "do" is found in the
 * text rather than read as a command. */
static int do_for(struct grub *g, struct gcmd *cmd, int active)
{
	struct gcmd end = { 0 }, none = { 0 };
	unsigned line = cmd->line, bline;
	const char *start;
	size_t i;
	int r;

	if (cmd->n < 3 || strcmp(cmd->w[2], "in") || !valid_name(cmd->w[1])) {
		return bootcfg_refuse(g->c, -EINVAL, "%s:%u: for without "
			"'NAME in'", g->name, line);
	}
	for (;;) {
		g->p += strspn(g->p, " \t\r");
		if (*g->p == '\n') {
			g->line++;
			g->p++;
		} else if (*g->p == '#') {
			g->p += strcspn(g->p, "\n");
		} else {
			break;
		}
	}
	if (g->pending || strncmp(g->p, "do", 2) ||
		!strchr(" \t\r\n;", g->p[2])) {
		return bootcfg_refuse(g->c, -EINVAL, "%s:%u: for without 'do'",
			g->name, line);
	}
	g->p += 2;
	start = g->p;
	bline = g->line;
	r = R_DONE;
	if (!active || cmd->n == 3) {
		r = body(g, &none, 0, &end);
	}
	for (i = 3; active && i < cmd->n && r == R_DONE; i++) {
		g->at = line;
		r = set_var(g, cmd->w[1], strlen(cmd->w[1]), cmd->w[i]);
		if (r == 0) {
			g->p = start;
			g->line = bline;
			r = body(g, &none, 1, &end);
		}
	}
	r = r == R_DONE ? 0 : unexpected(g, r, &end, "for", line);
	cmd_free(&end);
	return r;
}

static struct func *find_func(struct grub *g, const char *name)
{
	size_t i;

	for (i = 0; i < g->nfn; i++) {
		if (!strcmp(g->fn[i].name, name)) {
			return &g->fn[i];
		}
	}
	return NULL;
}

/* "function NAME {": the body starts at g->p; defining it again
 * replaces it, as in grub */
static int def_func(struct grub *g, const char *name, unsigned line)
{
	struct func *f = find_func(g, name);

	if (!f) {
		if (g->nfn >= MAX_FUNCS) {
			return bootcfg_refuse(g->c, -E2BIG, "%s:%u: more "
				"than %d functions", g->name, line, MAX_FUNCS);
		}
		f = realloc(g->fn, (g->nfn + 1) * sizeof(*f));
		if (!f) {
			return oom(g);
		}
		g->fn = f;
		f = &g->fn[g->nfn];
		memset(f, 0, sizeof(*f));
		if (bootcfg_set(&f->name, name) < 0) {
			return oom(g);
		}
		g->nfn++;
	}
	f->body = g->p;
	f->file = g->name;
	f->line = g->line;
	return 0;
}

/* NAME ARGS...: the function's body where it was written, with $1...
 * set to ARGS, then back here (the variables it sets stay set: grub's
 * functions have no scope of their own) */
static int call(struct grub *g, const struct func *f, struct gcmd *c)
{
	const char *p = g->p, *name = g->name;
	unsigned line = g->line, fline = f->line;
	int pending = g->pending, r;
	char **args = g->args;
	size_t nargs = g->nargs;

	if (g->calls >= MAX_CALLS) {
		return bootcfg_refuse(g->c, -ELOOP, "%s:%u: %s: functions "
			"called more than %d deep", g->name, c->line, c->w[0],
			MAX_CALLS);
	}
	g->calls++;
	g->p = f->body;
	g->name = f->file;
	g->line = fline;
	g->pending = 0;
	g->args = c->w + 1;
	g->nargs = c->n - 1;
	r = block(g, 1, "function", fline);
	g->calls--;
	g->p = p;
	g->name = name;
	g->line = line;
	g->pending = pending;
	g->args = args;
	g->nargs = nargs;
	return r;
}

/* "source FILE", "configfile FILE": FILE's commands, here */
static int do_source(struct grub *g, struct gcmd *c)
{
	struct gcmd end = { 0 };
	const char *p, *at = g->p, *name = g->name;
	unsigned line = g->line;
	int pending = g->pending, k, r;
	char *text, *copy, chain[160];

	if (c->n < 2) {
		bootcfg_note(g->c, "%s:%u: %s without a file, ignored",
			g->name, c->line, c->w[0]);
		return 0;
	}
	p = fs_path(g, c->w[1], c->line);
	for (k = 0; p && k < g->nsrc; k++) {
		if (!strcmp(g->src[k], p)) {
			for (chain[0] = '\0'; k < g->nsrc; k++) {
				snprintf(chain + strlen(chain), sizeof(chain) -
					strlen(chain), "%s -> ", g->src[k]);
			}
			return bootcfg_refuse(g->c, -ELOOP, "%s:%u: %s loop: "
				"%s%s", g->name, c->line, c->w[0], chain, p);
		}
	}
	if (p && g->nsrc > MAX_SOURCE) {
		return bootcfg_refuse(g->c, -ELOOP, "%s:%u: %s %s: more than "
			"%d nested source/configfile", g->name, c->line,
			c->w[0], p, MAX_SOURCE);
	}
	/* p: its device dropped (and noted) once */
	r = read_file(g, c->w[0], p ? p : c->w[1], c->line, &text);
	if (r) {
		return r < 0 ? r : 0;
	}
	r = keep(g, text);
	copy = r ? NULL : strdup(p);
	if (r || !copy) {
		return r ? r : oom(g);
	}
	r = keep(g, copy);
	if (r) {
		return r;
	}
	g->src[g->nsrc++] = copy;
	g->p = text;
	g->name = copy;
	g->line = 1;
	g->pending = 0;
	r = run_list(g, 1, &end);
	if (r == R_EOF) {
		r = 0;
	} else if (r == R_CLOSE) {
		r = bootcfg_refuse(g->c, -EINVAL, "%s:%u: '}' without '{'",
			copy, end.line);
	} else if (r > 0) {
		r = unexpected(g, r, &end, "", 0);
	}
	cmd_free(&end);
	g->nsrc--;
	g->p = at;
	g->name = name;
	g->line = line;
	g->pending = pending;
	return r;
}

/* "load_env [-f FILE] [--skip-sig] [VAR...]" (grub-core/commands/
 * loadenv.c): FILE's variables, only the VARs named when some are */
static int do_load_env(struct grub *g, struct gcmd *c)
{
	struct grubenv env;
	const char *file = NULL;
	char *text, def[512];
	size_t i, k, first;
	int r;

	for (i = 1; i < c->n; i++) {
		const char *a = c->w[i];

		if ((!strcmp(a, "-f") || !strcmp(a, "--file")) &&
			i + 1 < c->n) {
			file = c->w[++i];
		} else if (!strncmp(a, "--file=", 7)) {
			file = a + 7;
		} else if (strcmp(a, "-s") && strcmp(a, "--skip-sig")) {
			break;
		}
	}
	first = i;
	if (!file) {
		snprintf(def, sizeof(def), "%s/grubenv", lookup(g, "prefix"));
		file = def;
	}
	r = read_file(g, "load_env", file, c->line, &text);
	if (r) {
		return r < 0 ? r : 0;
	}
	r = grubenv_parse(text, strlen(text), &env);
	free(text);
	if (r == -ENOMEM) {
		return oom(g);
	}
	if (r < 0) {
		bootcfg_note(g->c, "%s:%u: load_env %s: %s, ignored", g->name,
			c->line, file, r == -EINVAL ? "not a grub environment "
			"block" : "more variables than a block holds");
		return 0;
	}
	for (k = 0, r = 0; k < env.n && r == 0; k++) {
		for (i = first; i < c->n && strcmp(c->w[i], env.name[k]); i++) {
		}
		if ((first < c->n && i == c->n) || !valid_name(env.name[k])) {
			continue;
		}
		r = set_var(g, env.name[k], strlen(env.name[k]), env.value[k]);
	}
	grubenv_free(&env);
	return r;
}
/* ---- menu entries ---- */

static int new_item(struct grub *g, int entry, const char *title,
	const char *id)
{
	struct item *it = realloc(g->it, (g->nit + 1) * sizeof(*g->it));

	if (!it) {
		return oom(g);
	}
	g->it = it;
	it = &g->it[g->nit];
	memset(it, 0, sizeof(*it));
	it->parent = g->sub;
	it->entry = entry;
	it->ord = g->sub < 0 ? g->ntop++ : g->it[g->sub].nchild++;
	g->nit++;
	if ((title && bootcfg_set(&it->title, title) < 0) ||
		(id && bootcfg_set(&it->id, id) < 0)) {
		return oom(g);
	}
	return (int)g->nit - 1;
}

/* menuentry/submenu arguments: the title and --id */
static void menu_args(const struct gcmd *c, const char **title,
	const char **id)
{
	static const char *const with_value[] = {
		"--class", "--users", "--hotkey", "--id", "--source",
	};
	size_t i, k, n;

	*title = *id = NULL;
	for (i = 1; i < c->n; i++) {
		const char *a = c->w[i], *eq = strchr(a, '='), *val;

		if (strncmp(a, "--", 2)) {
			*title = *title ? *title : a;
			continue;
		}
		n = eq ? (size_t)(eq - a) : strlen(a);
		for (k = 0; k < sizeof(with_value) / sizeof(with_value[0]);
			k++) {
			if (strlen(with_value[k]) == n &&
				!strncmp(a, with_value[k], n)) {
				break;
			}
		}
		if (k == sizeof(with_value) / sizeof(with_value[0])) {
			continue;	/* --unrestricted */
		}
		/* "--id ID" or "--id=ID" */
		val = eq ? eq + 1 : i + 1 < c->n ? c->w[++i] : NULL;
		if (val && !strncmp(a, "--id", n)) {
			*id = val;
		}
	}
}

static int do_entry(struct grub *g, const char *title, const char *id,
	unsigned line)
{
	struct boot_entry *e;
	int idx, r = bootcfg_new_entry(g->c, g->name, line, &e);

	/* a search outside the entries is copied into each: paid as
	 * an expansion, it could be a 1 MiB word */
	r = r ? r : bootcfg_spend(g->c, BOOTCFG_EXPAND, (g->label ?
		strlen(g->label) : 0) + (g->uuid ? strlen(g->uuid) : 0),
		g->name, line, NULL);
	if (r < 0) {
		return r;
	}
	idx = (int)(e - g->c->e);
	if (bootcfg_set(&e->label, id ? id : title ? title : "") < 0 ||
		(title && bootcfg_set(&e->title, title) < 0) ||
		(g->label && bootcfg_set(&e->search_label, g->label) < 0) ||
		(g->uuid && bootcfg_set(&e->search_uuid, g->uuid) < 0)) {
		return oom(g);
	}
	r = new_item(g, idx, title, id);
	if (r < 0) {
		return r;
	}
	g->entry = idx;
	r = block(g, 1, "menuentry", line);
	g->entry = -1;
	return r;
}

static int do_menu(struct grub *g, struct gcmd *cmd, int active)
{
	const char *title, *id;
	size_t scope = g->scope;
	int sub = is_kw(cmd, "submenu"), save = g->sub, r;
	unsigned line = cmd->line;

	r = open_block(g, cmd->w[0], line);
	if (r < 0) {
		return r;
	}
	if (!active || g->entry >= 0) {
		if (active) {
			bootcfg_note(g->c, "%s:%u: %s inside a menuentry, "
				"skipped", g->name, line, cmd->w[0]);
		}
		return block(g, 0, cmd->w[0], line);
	}
	menu_args(cmd, &title, &id);
	g->scope = g->nv;
	if (sub) {
		/* a submenu is an item of the menu as an entry is */
		r = bootcfg_spend(g->c, BOOTCFG_ENTRIES, 1, g->name, line,
			NULL);
		r = r ? r : new_item(g, -1, title, id);
		if (r >= 0) {
			g->sub = r;
			r = block(g, 1, "submenu", line);
		}
	} else {
		r = do_entry(g, title, id, line);
	}
	drop_vars(g, g->scope);
	g->scope = scope;
	g->sub = save;
	return r;
}

/* "(hd0,gpt2)/vmlinuz" -> "/vmlinuz" */
/* grub-core/lib/cmdline.c grub_create_loader_cmdline: what the kernel
 * gets from "linux PATH ARGS...", with Red Hat's "\xHH" left whole; an
 * empty argument is left out (grub writes a second blank for it, which
 * the kernel reads the same) */
static int loader_cmdline(char **out, char **a, size_t n)
{
	size_t len = 1, i;
	char *p, *s, *start;

	for (i = 0; i < n; i++) {
		len += 2 * strlen(a[i]) + 3;
	}
	p = malloc(len);
	if (!p) {
		return -ENOMEM;
	}
	free(*out);
	*out = start = p;
	for (i = 0; i < n; i++) {
		int space = strchr(a[i], ' ') != NULL;

		if (!a[i][0]) {
			continue;
		}
		if (p != start) {
			*p++ = ' ';
		}
		if (space) {
			*p++ = '"';
		}
		for (s = a[i]; *s; s++) {
			if (hex_escape(s)) {
				memcpy(p, s, 4);
				p += 4;
				s += 3;
				continue;
			}
			if (*s == '\\' || *s == '\'' || *s == '"') {
				*p++ = '\\';
			}
			*p++ = *s;
		}
		if (space) {
			*p++ = '"';
		}
	}
	*p = '\0';
	return 0;
}

static int do_linux(struct grub *g, struct boot_entry *e, struct gcmd *c)
{
	if (c->n < 2) {
		bootcfg_note(g->c, "%s:%u: %s without a path, ignored", g->name,
			c->line, c->w[0]);
		return 0;
	}
	if (bootcfg_set(&e->kernel, path(g, c->w[1], c->line)) < 0 ||
		loader_cmdline(&e->cmdline, c->w + 2, c->n - 2) < 0) {
		return oom(g);
	}
	return 0;
}

/* multiboot/multiboot2 PATH ARGS: the kernel, as linux */
static int do_multiboot(struct grub *g, struct boot_entry *e,
	struct gcmd *c)
{
	int err = do_linux(g, e, c);

	if (err == 0 && c->n >= 2) {
		e->multiboot = c->w[0][9] == '2' ? 2 : 1;
	}
	return err;
}

/* module/module2 [--nounzip] PATH ARGS: one more module */
static int do_module(struct grub *g, struct boot_entry *e, struct gcmd *c)
{
	size_t i = 1;
	int r;

	while (i < c->n && !strncmp(c->w[i], "--", 2)) {
		i++;	/* --nounzip */
	}
	if (i >= c->n) {
		bootcfg_note(g->c, "%s:%u: %s without a path, ignored", g->name,
			c->line, c->w[0]);
		return 0;
	}
	r = bootcfg_module_slot(e);
	if (r == -E2BIG) {
		return bootcfg_refuse(g->c, -E2BIG, "%s:%u: more than %d "
			"modules", g->name, c->line, HOP_MAX_MODULES);
	}
	if (r < 0 || bootcfg_set(&e->module[e->nmodule], path(g, c->w[i],
		c->line)) < 0) {
		return oom(g);
	}
	e->nmodule++;	/* freed with the entry from here on */
	return loader_cmdline(&e->module_cmdline[e->nmodule - 1], c->w + i,
		c->n - i) < 0 ? oom(g) : 0;
}

static int do_initrd(struct grub *g, struct boot_entry *e, struct gcmd *c)
{
	const char *s;
	size_t i;
	int r = 0;

	/* each initrd command replaces the previous one, as in grub */
	for (; e->ninitrd; e->ninitrd--) {
		free(e->initrd[e->ninitrd - 1]);
	}
	for (i = 1; i < c->n && r == 0; i++) {
		if (!strncmp(c->w[i], "--", 2)) {
			continue;	/* --nounzip, --newc:... */
		}
		s = path(g, c->w[i], c->line);
		r = bootcfg_add_initrd(e, s, strlen(s));
	}
	if (r == -E2BIG) {
		return bootcfg_refuse(g->c, r, "%s:%u: more than %d initrds",
			g->name, c->line, HOP_MAX_INITRD);
	}
	return r < 0 ? oom(g) : 0;
}

/* search: what it finds becomes root only with --set or --set=root */

/* search: what it finds becomes root with --set or --set=root (a label
 * or UUID the entry's source, a file this file system when it is here),
 * another variable with --set=VAR (NAME itself: grub's device name would
 * be dropped from paths anyway) */
static int do_search(struct grub *g, struct gcmd *c, char **label,
	char **uuid)
{
	const char *name = NULL, *var = "", *w0 = c->w[0];
	char type = 'f';
	size_t i;
	int r;

	if (!strncmp(w0, "search.", 7)) {
		type = !strcmp(w0, "search.fs_label") ? 'l' :
			!strcmp(w0, "search.fs_uuid") ? 'u' : 'f';
		name = c->n > 1 ? c->w[1] : NULL;
		var = c->n > 2 ? c->w[2] : "root";
	}
	for (i = 1; !strncmp(w0, "search", 7) && !w0[6] && i < c->n; i++) {
		const char *a = c->w[i];

		if (!strcmp(a, "--label") || !strcmp(a, "-l")) {
			type = 'l';
		} else if (!strcmp(a, "--fs-uuid") || !strcmp(a, "-u")) {
			type = 'u';
		} else if (!strcmp(a, "--file") || !strcmp(a, "-f")) {
			type = 'f';
		} else if (!strcmp(a, "--set") || !strcmp(a, "-s")) {
			var = "root";
		} else if (!strncmp(a, "--set=", 6)) {
			var = a + 6;
		} else if (a[0] != '-' && !name) {
			name = a;
		}
	}
	if (!name || !valid_name(var)) {
		return 0;	/* no --set: grub only prints what it found */
	}
	if (type == 'f') {
		r = file_test(g, 'e', name);
		if (r <= 0) {
			if (r == 0) {
				bootcfg_note(g->c, "%s:%u: search --file %s: "
					"not on this file system, %s unchanged "
					"(hop looks at no other)", g->name,
					c->line, name, var);
			}
			return r;
		}
	}
	if (strcmp(var, "root")) {
		return set_var(g, var, strlen(var), name);
	}
	free(*label);
	free(*uuid);
	*label = *uuid = NULL;
	if ((type == 'l' && bootcfg_set(label, name) < 0) ||
		(type == 'u' && bootcfg_set(uuid, name) < 0)) {
		return oom(g);
	}
	return 0;
}

/* a command of an entry: 0 done, 1 not one of them, or a refusal */
static int in_entry(struct grub *g, struct gcmd *c)
{
	struct boot_entry *e = &g->c->e[g->entry];
	const char *w = c->w[0];

	if (!strcmp(w, "linux") || !strcmp(w, "linuxefi") ||
		!strcmp(w, "linux16")) {
		return do_linux(g, e, c);
	}
	if (!strcmp(w, "initrd") || !strcmp(w, "initrdefi") ||
		!strcmp(w, "initrd16")) {
		return do_initrd(g, e, c);
	}
	if (!strcmp(w, "multiboot") || !strcmp(w, "multiboot2")) {
		return do_multiboot(g, e, c);
	}
	if (!strcmp(w, "module") || !strcmp(w, "module2")) {
		return do_module(g, e, c);
	}
	if (!strcmp(w, "devicetree")) {
		if (c->n < 2) {
			return 0;
		}
		return bootcfg_set(&e->dtb, path(g, c->w[1], c->line)) < 0 ?
			oom(g) : 0;
	}
	if (!strncmp(w, "search", 6)) {
		return do_search(g, c, &e->search_label, &e->search_uuid);
	}
	return 1;
}

static int simple(struct grub *g, struct gcmd *c)
{
	const char *w = c->w[0];
	struct func *f;
	size_t i;
	int r = 0;

	g->at = c->line;
	if (!strcmp(w, "set")) {
		for (i = 1; i < c->n && r == 0; i++) {
			assignment(g, c->w[i], &r);
		}
		return r;
	}
	if (!strcmp(w, "unset")) {
		for (i = 1; i < c->n && r == 0; i++) {
			r = set_var(g, c->w[i], strlen(c->w[i]), NULL);
		}
		return r;
	}
	if (assignment(g, w, &r)) {
		return r;
	}
	if (!strcmp(w, "source") || !strcmp(w, ".") ||
		!strcmp(w, "configfile")) {
		return do_source(g, c);
	}
	if (!strcmp(w, "load_env")) {
		return do_load_env(g, c);
	}
	if (!strcmp(w, "save_env")) {
		if (!g->saved) {
			bootcfg_note(g->c, "%s:%u: save_env %s ignored: hop "
				"never writes to the disks it reads", g->name,
				c->line, c->n > 1 ? c->w[1] : "");
		}
		g->saved = 1;
		return 0;
	}
	if (g->entry >= 0) {
		r = in_entry(g, c);
		if (r != 1) {
			return r;
		}
	} else if (!strncmp(w, "search", 6)) {
		return do_search(g, c, &g->label, &g->uuid);
	}
	/* grub's own commands come before functions: hop's above */
	f = find_func(g, w);
	if (f) {
		return call(g, f, c);
	}
	if (!strcmp(w, "blscfg")) {
		bootcfg_note(g->c, "%s:%u: blscfg not followed (read "
			"loader/entries as BLS)", g->name, c->line);
	}
	return 0;
}

static int dispatch(struct grub *g, struct gcmd *cmd, int active,
	struct gcmd *end)
{
	static const struct {
		const char *kw;
		int r;
	} ends[] = {
		{ "fi", R_FI }, { "else", R_ELSE }, { "elif", R_ELIF },
		{ "done", R_DONE },
	};
	size_t i;

	for (i = 0; i < sizeof(ends) / sizeof(ends[0]); i++) {
		if (is_kw(cmd, ends[i].kw)) {
			cmd_free(end);
			*end = *cmd;
			memset(cmd, 0, sizeof(*cmd));
			return ends[i].r;
		}
	}
	if (is_kw(cmd, "if")) {
		return do_if(g, cmd, active);
	}
	if (is_kw(cmd, "for")) {
		return do_for(g, cmd, active);
	}
	if (is_kw(cmd, "while") || is_kw(cmd, "until")) {
		return do_loop(g, cmd);
	}
	if (is_kw(cmd, "function")) {
		int r = open_block(g, "function", cmd->line);

		if (r == 0 && active && cmd->n >= 2) {
			r = def_func(g, cmd->w[1], cmd->line);
		}
		return r ? r : block(g, 0, "function", cmd->line);
	}
	if (is_kw(cmd, "menuentry") || is_kw(cmd, "submenu")) {
		return do_menu(g, cmd, active);
	}
	if (is_kw(cmd, "then") || is_kw(cmd, "do")) {
		return bootcfg_refuse(g->c, -EINVAL, "%s:%u: '%s' out of place",
			g->name, cmd->line, cmd->w[0]);
	}
	return active ? simple(g, cmd) : 0;
}

static int run_list(struct grub *g, int active, struct gcmd *end)
{
	struct gcmd cmd = { 0 };
	int r = 0, t;

	if (++g->depth > MAX_DEPTH) {
		g->depth--;
		return bootcfg_refuse(g->c, -ELOOP, "%s:%u: blocks nested deeper "
			"than %d", g->name, g->line, MAX_DEPTH);
	}
	while (r == 0) {
		t = next(g, &cmd);
		if (t == T_ERR) {
			r = g->err;
		} else if (t == T_EOF || t == T_CLOSE) {
			r = t == T_EOF ? R_EOF : R_CLOSE;
			end->line = g->line;
		} else if (t == T_OPEN) {
			r = block(g, active, "{", g->line);
		} else {
			r = dispatch(g, &cmd, active, end);
		}
	}
	cmd_free(&cmd);
	g->depth--;
	return r;
}

/* ---- the default ---- */

/* grub-core/normal/menu.c menuentry_eq: name equals s up to s's first
 * '>' that is not doubled (">>" stands for a '>' of the name) */
static int menu_eq(const char *name, const char *s)
{
	if (!name) {
		return 0;
	}
	for (;; name++, s++) {
		if (s[0] == '>' && s[1] != '>') {
			return !*name;
		}
		if (s[0] == '>') {
			s++;
		}
		if (*name != *s) {
			return 0;
		}
		if (!*name) {
			return 1;
		}
	}
}

/* what grub makes the default inside a submenu: what follows s's first
 * single '>', NULL (its first item) when nothing does */
static const char *menu_rest(const char *s)
{
	for (; *s; s++) {
		if (s[0] == '>' && s[1] == '>') {
			s++;
		} else if (s[0] == '>') {
			return s[1] ? s + 1 : NULL;
		}
	}
	return NULL;
}

/* the item at place ord among parent's, -1 when none */
static int child(const struct grub *g, int parent, unsigned long ord)
{
	size_t i;

	for (i = 0; i < g->nit; i++) {
		if (g->it[i].parent == parent &&
			(unsigned long)g->it[i].ord == ord) {
			return (int)i;
		}
	}
	return -1;
}

/* get_entry_number at each level: a number if it starts with a digit,
 * else the first item whose title or id matches */
static int find_item(const struct grub *g, int parent, const char *s)
{
	const char *q = s;
	size_t i;

	while (*q == ' ' || *q == '\t' || *q == '\n' || *q == '\r') {
		q++;
	}
	if (*q >= '0' && *q <= '9') {
		return child(g, parent, strtoul(q, NULL, 0));
	}
	for (i = 0; i < g->nit; i++) {
		if (g->it[i].parent == parent && (menu_eq(g->it[i].title, s) ||
			menu_eq(g->it[i].id, s))) {
			return (int)i;
		}
	}
	return -1;
}

static void set_default(struct grub *g)
{
	const char *d = lookup(g, "default"), *s = *d ? d : NULL;
	int parent = -1, item, top = 1;
	long t;

	/* each level goes one submenu down: items nest as deep as the
	 * blocks did */
	for (;;) {
		item = s ? find_item(g, parent, s) : -1;
		if (item < 0 && s && top) {
			if (g->nit) {
				bootcfg_note(g->c, "%s: default '%s' names no "
					"entry", g->name, d);
			}
			break;
		}
		if (item < 0) {
			/* grub's menu falls back to its first item */
			item = child(g, parent, 0);
		}
		if (item < 0) {
			break;
		}
		if (g->it[item].entry >= 0) {
			g->c->def = g->it[item].entry;
			break;
		}
		s = s ? menu_rest(s) : NULL;
		parent = item;
		top = 0;
	}
	d = lookup(g, "timeout");
	t = bootcfg_number(d);
	if (*d && strcmp(d, "-1") && (t < 0 || t > 100000)) {
		bootcfg_note(g->c, "%s: timeout '%s' is not a number of seconds, "
			"ignored", g->name, d);
	} else if (t >= 0 && t <= 100000) {
		g->c->timeout_ds = (int)t * 10;
	}
}

/* $prefix, $config_directory (the configuration's folder) and
 * $config_file: hop's own values, not paid for */
static int set_dirs(struct grub *g)
{
	const char *slash = strrchr(g->name, '/');
	char *dir = strndup(g->name, slash ? (size_t)(slash - g->name) : 0);
	int r;

	if (!dir) {
		return oom(g);
	}
	r = put_var(g, "prefix", 6, dir, 0);
	r = r ? r : put_var(g, "config_directory", 16, dir, 0);
	r = r ? r : put_var(g, "config_file", 11, g->name, 0);
	free(dir);
	return r;
}

int bootcfg_grub(const char *text, const char *name,
	const struct bootcfg_io *io, struct boot_config *out)
{
	struct grub g;
	struct gcmd end = { 0 };
	struct bootcfg_budget own;
	size_t i;
	int r;

	bootcfg_begin(out, &own);
	memset(&g, 0, sizeof(g));
	g.c = out;
	g.io = io;
	g.name = name ? name : "grub.cfg";
	g.p = text;
	g.line = 1;
	g.sub = g.entry = -1;
	g.src[g.nsrc++] = g.name;
	r = bootcfg_spend(out, BOOTCFG_FILES, 1, g.name, 0, NULL);
	r = r ? r : bootcfg_spend(out, BOOTCFG_READ, strlen(text), g.name, 0,
		NULL);
	r = r ? r : set_dirs(&g);
	r = r ? r : run_list(&g, 1, &end);
	if (r == R_EOF) {
		set_default(&g);
		r = bootcfg_finish(out, g.name);
	} else if (r == R_CLOSE) {
		r = bootcfg_refuse(out, -EINVAL, "%s:%u: '}' without '{'",
			g.name, end.line);
	} else if (r > 0) {
		r = unexpected(&g, r, &end, "", 0);
	}
	cmd_free(&end);
	drop_vars(&g, 0);
	free(g.v);
	for (i = 0; i < g.nit; i++) {
		free(g.it[i].title);
		free(g.it[i].id);
	}
	free(g.it);
	for (i = 0; i < g.nfn; i++) {
		free(g.fn[i].name);
	}
	free(g.fn);
	for (i = 0; i < g.nown; i++) {
		free(g.own[i]);
	}
	free(g.own);
	free(g.star);
	free(g.label);
	free(g.uuid);
	bootcfg_end(out, &own);
	return r;
}
