/* grub.cfg: the subset grub-mkconfig writes, read the way grub's script
 * engine would run it, without running anything.
 *
 * Words: split on blanks, ';' and newlines end a command, '#' at the start
 * of a word comments to the end of the line. 'single quotes' keep every
 * byte; "double quotes" expand $variables and take a backslash before $,
 * ", \ and newline; outside quotes a backslash keeps the next byte and
 * backslash-newline joins lines. $name and ${name} expand to what "set
 * name=value" or "name=value" stored before (unset: empty, except grub's
 * feature_* flags, which are "y"); outside quotes the value splits on
 * blanks. "{" and "}" written alone delimit blocks.
 *
 * Commands: "if COND; then ... [elif COND; then ...] [else ...] fi" runs
 * the branch that grub would: COND is "[ ... ]" or "test ..." with -n, -z,
 * = (==), !=, -eq..-ge, !, or true/false; file tests and every other
 * command (loadfont, keystatus, ...) count as false. "function NAME {...}"
 * and while/until/for loops are skipped. "menuentry TITLE [--class C]...
 * [--users U] [--hotkey K] [--unrestricted] [--id ID] {...}" is an entry;
 * in it "linux"/"linuxefi"/"linux16 PATH ARGS..." (ARGS joined as grub's
 * grub_create_loader_cmdline joins them: an argument with a space in
 * double quotes, \ ' " escaped with a backslash), "initrd"/"initrdefi"/
 * "initrd16 PATH..." (the last command wins, like grub), "devicetree PATH",
 * "multiboot"/"multiboot2 PATH ARGS" (the kernel of a multiboot entry,
 * ARGS joined as for linux), "module"/"module2 [--nounzip] PATH ARGS"
 * (each a module, in order; its string is "PATH ARGS": GRUB 2 passes
 * ARGS alone and names itself "GRUB 2", hop names itself "hop" and, like
 * GRUB legacy and kexec-tools, starts each string with the file name;
 * Xen drops that first word for loaders other than GRUB 2, so Debian's
 * "placeholder" lands where it does under GRUB 2),
 * and "search [--no-floppy] --label|--fs-uuid|--file [--set[=root]]
 * [--hint...] NAME" (or search.fs_label/search.fs_uuid NAME [root]), which
 * sets search_label or search_uuid; a search outside the entries serves
 * every entry that has none, and "set root=" forgets it. A leading grub
 * device, "(hd0,gpt2)/vmlinuz", is dropped from paths with a note.
 * Variables set in an entry or a submenu stay in it, as they do in grub.
 *
 * Submenus are flattened: their entries follow in the list, in order, and
 * keep their own title and id. The default is the "default" variable at the
 * end: a number counts the top-level items (a submenu is one item, entries
 * without a linux command count too), "N>M" goes into submenu N, and a
 * name matches an item's id, then its title ("Advanced options>Debian ...
 * (recovery mode)" works too); empty ("${saved_entry}" with no grubenv)
 * means item 0. "timeout" is in seconds, -1 waits for ever.
 * Not followed: blscfg (read loader/entries as BLS), source, configfile.
 *
 * Costs: one pass over the text, nothing run twice (no loop, function or
 * source is followed), so the text bounds the work but for expansion,
 * where a few KB can ask for gigabytes ("set a=$a$a" twenty times, then
 * $a in a thousand entries). The boot's budget (bootcfg.h) pays for the
 * text, each expansion's bytes, each assignment's value, each copy of a
 * search outside the entries made for an entry, and each entry and
 * submenu; a word is at most MAX_WORD bytes, a command too (its words
 * counted with WORD_COST each, so a value of many short words splits into
 * a bounded number), variables hold MAX_VARS bytes and at most MAX_NVARS
 * live at once (a lookup reads them all). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg.h"

#define MAX_DEPTH 64		/* nested blocks and ifs */
#define MAX_WORD (1 << 20)	/* one expanded word */
#define MAX_VARS (4 << 20)	/* bytes held by variables */
#define MAX_NVARS 128		/* live variables; grub-mkconfig sets ~30 */
#define WORD_COST 32		/* a word's pointer, flag and malloc's
				 * overhead, as a command counts it */

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

struct grub {
	struct boot_config *c;
	const char *name;
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
};

static int run_list(struct grub *g, int active, struct gcmd *end);
static int dispatch(struct grub *g, struct gcmd *cmd, int active,
	struct gcmd *end);

static int oom(struct grub *g)
{
	return bootcfg_refuse(g->c, -ENOMEM, "%s:%u: out of memory", g->name,
		g->line);
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

static const char *lookup(struct grub *g, const char *name)
{
	size_t i;

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
	char name[128];

	*val = NULL;
	if (*s == '{') {
		e = strchr(s, '}');
		if (!e) {
			return bootcfg_refuse(g->c, -EINVAL, "%s:%u: '${' "
				"without '}'", g->name, g->line);
		}
		s++;
	} else if (name_char(*s, 1)) {
		for (e = s; name_char(*e, 0); e++) {
		}
	} else if (*s >= '0' && *s <= '9') {
		for (e = s; *e >= '0' && *e <= '9'; e++) {
		}
	} else if (*s && strchr("?#@*", *s)) {
		e = s + 1;
	} else {
		return 0;
	}
	snprintf(name, sizeof(name), "%.*s", (int)(e - s), s);
	*val = lookup(g, name);
	g->p = *e == '}' && s[-1] == '{' ? e + 1 : e;
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

/* one word at g->p (more than one when an expansion splits); a lone "{"
 * or "}" returns T_OPEN or T_CLOSE instead */
static int word(struct grub *g, struct gcmd *c)
{
	struct sbuf b = { 0 };
	int have = 0, plain = 1, r = 0;
	const char *v;

	while (r == 0 && *g->p && !strchr(" \t\r\n;", *g->p)) {
		if (*g->p == '\\') {
			plain = 0;
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
	if (r == 0 && have && plain && b.s && (!strcmp(b.s, "{") ||
		!strcmp(b.s, "}"))) {
		r = b.s[0] == '{' ? T_OPEN : T_CLOSE;
		free(b.s);
		return r;
	}
	if (r == 0 && have) {
		r = cmd_push(g, c, &b, plain);
	}
	free(b.s);
	return r < 0 ? r : T_CMD;
}

/* the next command, or a brace, or the end */
static int next(struct grub *g, struct gcmd *c)
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

/* ---- variables ---- */

static int set_var(struct grub *g, const char *name, size_t n,
	const char *val)
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
	if (val && bootcfg_spend(g->c, BOOTCFG_EXPAND, strlen(val), g->name,
		g->at, NULL) < 0) {
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

/* ---- conditions ---- */

static int test(char **a, size_t n)
{
	static const char *const num_ops[] = {
		"-eq", "-ne", "-lt", "-le", "-gt", "-ge",
	};
	size_t i;
	long x, y;

	if (n == 1) {
		return a[0][0] != '\0';
	}
	if (n >= 2 && !strcmp(a[0], "!")) {
		return !test(a + 1, n - 1);
	}
	if (n == 2) {
		/* -e -f -d -s: files hop cannot see */
		return (!strcmp(a[0], "-n") && a[1][0]) ||
			(!strcmp(a[0], "-z") && !a[1][0]);
	}
	if (n != 3) {
		return 0;
	}
	if (!strcmp(a[1], "=") || !strcmp(a[1], "==")) {
		return !strcmp(a[0], a[2]);
	}
	if (!strcmp(a[1], "!=")) {
		return strcmp(a[0], a[2]) != 0;
	}
	x = strtol(a[0], NULL, 10);
	y = strtol(a[2], NULL, 10);
	for (i = 0; i < sizeof(num_ops) / sizeof(num_ops[0]); i++) {
		if (!strcmp(a[1], num_ops[i])) {
			return (int[]){ x == y, x != y, x < y, x <= y, x > y,
				x >= y }[i];
		}
	}
	return 0;
}

static int eval(const struct gcmd *c, size_t from)
{
	char **w = c->w + from;
	size_t n = c->n - from;
	int neg = 0, r = 0;

	while (n && !strcmp(w[0], "!")) {
		neg = !neg;
		w++;
		n--;
	}
	if (n >= 2 && !strcmp(w[0], "[") && !strcmp(w[n - 1], "]")) {
		r = test(w + 1, n - 2);
	} else if (n && !strcmp(w[0], "test")) {
		r = test(w + 1, n - 1);
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
	int taken = 0, cur = active && eval(cmd, 1), r, seen_else = 0;

	r = expect(g, &rest, "then", "if", line);
	r = r ? r : body(g, &rest, cur, &end);
	while (r == R_ELIF || r == R_ELSE) {
		taken |= cur;
		cmd_free(&rest);
		if (seen_else) {
			break;
		}
		if (r == R_ELIF) {
			cur = active && !taken && eval(&end, 1);
			r = expect(g, &rest, "then", "elif", end.line);
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

	/* loops are not run: nothing grub-mkconfig writes needs one */
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

/* grub-core/lib/cmdline.c grub_create_loader_cmdline: what the kernel
 * gets from "linux PATH ARGS..." */
static int loader_cmdline(char **out, char **a, size_t n)
{
	size_t len = 1, i;
	char *p, *s;

	for (i = 0; i < n; i++) {
		len += 2 * strlen(a[i]) + 3;
	}
	p = malloc(len);
	if (!p) {
		return -ENOMEM;
	}
	free(*out);
	*out = p;
	for (i = 0; i < n; i++) {
		int space = strchr(a[i], ' ') != NULL;

		if (i) {
			*p++ = ' ';
		}
		if (space) {
			*p++ = '"';
		}
		for (s = a[i]; *s; s++) {
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

	while (i < c->n && !strncmp(c->w[i], "--", 2)) {
		i++;	/* --nounzip */
	}
	if (i >= c->n) {
		bootcfg_note(g->c, "%s:%u: %s without a path, ignored", g->name,
			c->line, c->w[0]);
		return 0;
	}
	if (e->nmodule == HOP_MAX_MODULES) {
		return bootcfg_refuse(g->c, -E2BIG, "%s:%u: more than %d "
			"modules", g->name, c->line, HOP_MAX_MODULES);
	}
	if (bootcfg_set(&e->module[e->nmodule], path(g, c->w[i], c->line)) <
		0) {
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
static int do_search(struct grub *g, struct gcmd *c, char **label,
	char **uuid)
{
	const char *name = NULL, *var = "", *w0 = c->w[0];
	char type = 'f';
	size_t i;

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
	if (!name || strcmp(var, "root")) {
		return 0;
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
	return 0;
}

static int simple(struct grub *g, struct gcmd *c)
{
	const char *w = c->w[0];
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
	if (g->entry >= 0) {
		return in_entry(g, c);
	}
	if (!strncmp(w, "search", 6)) {
		return do_search(g, c, &g->label, &g->uuid);
	}
	if (!strcmp(w, "blscfg") || !strcmp(w, "source") ||
		!strcmp(w, "configfile")) {
		bootcfg_note(g->c, "%s:%u: %s not followed%s", g->name, c->line,
			w, w[0] == 'b' ? " (read loader/entries as BLS)" : "");
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
	if (is_kw(cmd, "while") || is_kw(cmd, "until") || is_kw(cmd, "for")) {
		return do_loop(g, cmd);
	}
	if (is_kw(cmd, "function")) {
		int r = open_block(g, "function", cmd->line);

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

static int find_item(struct grub *g, int parent, const char *s, size_t n)
{
	char part[512];
	long num;
	size_t i;
	int pass;

	snprintf(part, sizeof(part), "%.*s", (int)n, s);
	num = bootcfg_number(part);
	for (pass = 0; pass < 3; pass++) {
		for (i = 0; i < g->nit; i++) {
			const struct item *it = &g->it[i];

			if (it->parent != parent) {
				continue;
			}
			if ((pass == 0 && num >= 0 && it->ord == num) ||
				(pass == 1 && it->id && !strcmp(it->id, part)) ||
				(pass == 2 && it->title &&
				!strcmp(it->title, part))) {
				return (int)i;
			}
		}
	}
	return -1;
}

static void set_default(struct grub *g)
{
	const char *d = lookup(g, "default"), *s;
	int parent = -1, item = -1;
	long t;

	for (s = *d ? d : "0"; ; s += strcspn(s, ">") + 1) {
		item = find_item(g, parent, s, strcspn(s, ">"));
		parent = item;
		if (item < 0 || !s[strcspn(s, ">")]) {
			break;
		}
	}
	if (item >= 0 && g->it[item].entry >= 0) {
		g->c->def = g->it[item].entry;
	} else if (g->nit) {
		bootcfg_note(g->c, "%s: default '%s' names no entry", g->name, d);
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

int bootcfg_grub(const char *text, const char *name, struct boot_config *out)
{
	struct grub g;
	struct gcmd end = { 0 };
	struct bootcfg_budget own;
	size_t i;
	int r;

	bootcfg_begin(out, &own);
	memset(&g, 0, sizeof(g));
	g.c = out;
	g.name = name ? name : "grub.cfg";
	g.p = text;
	g.line = 1;
	g.sub = g.entry = -1;
	r = bootcfg_spend(out, BOOTCFG_FILES, 1, g.name, 0, NULL);
	r = r ? r : bootcfg_spend(out, BOOTCFG_READ, strlen(text), g.name, 0,
		NULL);
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
	free(g.label);
	free(g.uuid);
	bootcfg_end(out, &own);
	return r;
}
