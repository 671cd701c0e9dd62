/* iPXE scripts, the cases network-boot users write (ipxe.org/scripting):
 * the first line is "#!ipxe" (iPXE's "#!gpxe" too), then one command a
 * line, words split on blanks, a line whose first word starts with '#'
 * a comment, ":LABEL" a goto target.
 *
 *   kernel [OPTS] URI [ARGS]   the kernel and its command line
 *                              (ipxe.org/cmd/kernel)
 *   initrd|module [OPTS] URI   one more initrd (ipxe.org/cmd/initrd)
 *   chain [OPTS] URI [ARGS]    kernel then boot (ipxe.org/cmd/chain)
 *   boot [OPTS] [NAME|URI [ARGS]]  boots what is loaded, or URI as
 *                              chain does (ipxe.org/cmd/boot)
 *   imgargs NAME [ARGS]        the kernel's command line, NAME its name
 *                              (ipxe.org/cmd/imgargs)
 *   imgfree [NAME]             forgets images (ipxe.org/cmd/imgfree)
 *   set NAME [VALUE], clear NAME    variables (ipxe.org/cmd/set)
 *   goto LABEL                 ipxe.org/cmd/goto
 *   menu, item, choose         a menu (ipxe.org/cmd/menu, /cmd/item,
 *                              /cmd/choose)
 *   exit, shell, reboot, poweroff, sanboot   end the run: nothing Linux
 *   isset VALUE, iseq A B      tests (ipxe.org/cmd/isset, /cmd/iseq)
 *   prompt                     fails: no key is pressed (see Chains)
 *   echo, dhcp, ifopen, ifconf, sleep, ...: nothing for hop (it has a
 *                              network already), and they succeed
 *
 * OPTS are --name/-n NAME (what imgargs and boot match; else the URI's
 * last path segment, as iPXE names images), --autofree/-a, --replace/-r
 * and --timeout/-t N, skipped. URIs stay as written: the caller resolves
 * a relative one against the script's own URL. ARGS are the words joined
 * by one space, as iPXE joins them; a kernel's "initrd=NAME" stays in
 * its command line. A command line iPXE would not set is "" (iPXE boots
 * with an empty one), never NULL.
 *
 * Variables (ipxe.org/settings): "${NAME}" and "${NAME:TYPE}" (TYPE
 * ignored) are replaced in each word of a command when it runs (the line
 * is split first, so a value holding blanks stays one word), the
 * innermost first ("${a${b}}"), from the script's set, then from the
 * caller's table ("ip=10.0.2.15", "net0/mac=..."); an unscoped name also
 * finds a scoped one ("${mac}" finds "net0/mac"), as iPXE searches every
 * settings block. Unlike iPXE, a value is never expanded again, so no
 * value can name itself into a loop. An unknown variable is "" (a note).
 *
 * Chains (ipxe.org/scripting, ipxe.org/cmd): each command succeeds or
 * fails; "a && b" runs b only when the last command run succeeded, "a
 * || b" only when it failed, left to right, so "iseq A B && set x 1 ||
 * set x 2" sets x to 2 when A is not B. A command not run leaves the
 * status as it was; an empty one (after a trailing "||") succeeds. A
 * goto takes the rest of its line with it, and so do boot, chain,
 * choose, exit and the like, which end the run. What fails: isset of an
 * empty value; iseq of two different words; isset or iseq given another
 * number of words (a note); kernel, initrd or chain without a URI or
 * with an empty one ("kernel ${url} || goto failed"); set without a
 * name; imgargs of no image loaded; a command hop does not know (a
 * note); and prompt, as an unattended boot presses no key ("prompt
 * --timeout 2000 Press a key && shell ||" times out as iPXE's would).
 * The rest succeeds; an option hop skips or does not know never fails a
 * command. iPXE ends a script at a line whose failure nothing handles;
 * hop goes on, as it cannot tell the script's failures from commands it
 * does not know (boot with nothing loaded still ends the run).
 *
 * What becomes an entry: running the script from the top, the first boot
 * (or chain) makes the entry "ipxe" of what is loaded then, and ends the
 * run. A choose instead follows each item of the menu before it, in
 * order: from the item's ":LABEL" (the idiom "choose target && goto
 * ${target}"), with the variables and images of the choose and the
 * choose's variable set to the label; the item's boot is its entry
 * (label: the item's label, title: its text). An item reaching a choose
 * again (a "back" item) or ending without a boot (exit, sanboot, the
 * end) is no entry (a note); an item reaching another menu's choose
 * stands for that menu's entries. The default is choose --default's
 * item, else item --default's, else the first; choose --timeout
 * (milliseconds) is the timeout.
 *
 * Bounds, besides the boot's budget (bootcfg.h), which pays for the
 * text, each entry and each byte expanded or copied into an entry, an
 * item or an item's run (a substitution pays at least for its "${...}",
 * so a loop of references to nothing runs out of budget): 10000 lines
 * run in all (goto loops), a line at most 4096 bytes as written and once
 * expanded, 64 variables of names of at most 256 bytes (a longer one is
 * not set: a note, the set fails) and values of at most 1024 bytes, 1024
 * labels, 256 items in a menu (an item whose label is empty or longer
 * than a value is skipped, a note), menus 8 deep, HOP_MAX_INITRD
 * initrds. Control characters (but tab) in a line run or in a value it
 * names are refused. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bootcfg.h"

#define MAX_LINE 4096		/* bytes of a line once expanded */
#define MAX_VARS 64		/* variables set by the script */
#define MAX_NAME 256		/* bytes of one variable's name */
#define MAX_VALUE 1024		/* bytes of one variable's value */
#define MAX_RUN 10000		/* lines run in one parse */
#define MAX_LABELS 1024
#define MAX_ITEMS 256		/* items of one menu */
#define MAX_DEPTH 8		/* menus followed from a menu's item */
#define MAX_NOTED 64		/* words noted once each */
#define MAX_WORDS (MAX_LINE / 2 + 1)

/* what a command did: succeeded, failed (the line goes on, the status
 * is what "&&" and "||" test), jumped (goto: the rest of its line is not
 * run), or ended the run */
enum { GO_ON, STOP, FAIL, JUMP };

struct image {
	char *uri;
	char *name;		/* --name, else the URI's last segment */
};

/* a variable: the script's (set), or the caller's ("name=value", name
 * and val pointing into its table) */
struct var {
	const char *name, *val;	/* name not NUL ended in the caller's */
	size_t len;		/* the name's bytes */
	size_t base;		/* where the name's last segment starts:
				 * after its last '/', 0 when it has none */
	size_t vlen;		/* the value's bytes */
	uint32_t hash, shash;	/* name_hash of the name, of its last
				 * segment: most names differing are
				 * told apart without a memcmp */
	int bad;		/* the value holds a control character */
};

/* what a run holds: iPXE's images and variables */
struct env {
	struct image kernel;	/* uri NULL: none */
	char *args;		/* the kernel's command line, NULL: none */
	struct image initrd[HOP_MAX_INITRD];
	size_t ninitrd;
	struct var v[MAX_VARS];	/* name and val allocated */
	size_t nvars;
};

struct item {
	char *label, *text;	/* text NULL: none */
	int def;		/* item --default */
};

struct label {
	const char *name;	/* in the text, not NUL ended */
	size_t len;		/* >= 1 */
	uint32_t hash;		/* name_hash of the name */
	char *next;		/* the line after it */
	unsigned line;
};

struct ipxe {
	struct boot_config *c;
	const char *name;
	struct var *tab;	/* the caller's "name=value", checked once */
	size_t ntab;
	char *text, *end;	/* the copy, each line NUL ended (its '\n'
				 * overwritten, nothing inside it) */
	struct label *labels;
	size_t nlabels, label_cap;
	struct env env;
	struct item *items;	/* the menu being made */
	size_t nitems;
	char *chooses[MAX_DEPTH];	/* the choose lines being followed */
	unsigned depth;
	char *p;		/* the next line to run */
	char *cur;		/* the line being run */
	unsigned line;		/* its number */
	unsigned run;		/* lines run so far */
	char *noted[MAX_NOTED];
	size_t noted_len[MAX_NOTED];	/* each one's word's bytes */
	size_t nnoted;
	char raw[MAX_LINE + 1];	/* the line's words as written */
	char *rw[MAX_WORDS];
	size_t nraw;
	char buf[MAX_LINE + 1];	/* the words run, expanded, NUL ended */
	size_t open[MAX_LINE / 2 + 1];	/* each open "${" in buf */
	char *w[MAX_WORDS];
	size_t nw;
};

static int run(struct ipxe *x, const struct item *it, int *made);

static int oom(struct ipxe *x)
{
	if (!x->line) {
		return bootcfg_refuse(x->c, -ENOMEM, "%s: out of memory",
			x->name);
	}
	return bootcfg_refuse(x->c, -ENOMEM, "%s:%u: out of memory", x->name,
		x->line);
}

/* 1 the first time kind and word come (then a note is due), else 0;
 * past MAX_NOTED words nothing more is noted */
static int first_time(struct ipxe *x, char kind, const char *word)
{
	size_t i, n;
	char *k;

	/* full: nothing more is noted, whether seen or not */
	if (x->nnoted == MAX_NOTED) {
		return 0;
	}
	n = strlen(word);
	for (i = 0; i < x->nnoted; i++) {
		if (x->noted_len[i] == n && x->noted[i][0] == kind &&
			!memcmp(x->noted[i] + 1, word, n)) {
			return 0;
		}
	}
	if (!(k = malloc(n + 2))) {
		return 0;
	}
	k[0] = kind;
	memcpy(k + 1, word, n + 1);
	x->noted_len[x->nnoted] = n;
	x->noted[x->nnoted++] = k;
	return 1;
}

/* ---- the script's images and variables ---- */

static void image_free(struct image *m)
{
	free(m->uri);
	free(m->name);
	m->uri = NULL;
	m->name = NULL;
}

static void var_free(struct var *v)
{
	free((void *)v->name);
	free((void *)v->val);
	memset(v, 0, sizeof(*v));
}

static void env_free(struct env *e)
{
	size_t i;

	image_free(&e->kernel);
	free(e->args);
	for (i = 0; i < e->ninitrd; i++) {
		image_free(&e->initrd[i]);
	}
	for (i = 0; i < e->nvars; i++) {
		var_free(&e->v[i]);
	}
	memset(e, 0, sizeof(*e));
}

static size_t len0(const char *s)
{
	return s ? strlen(s) : 0;
}

/* *dst = a copy of s (NULL stays NULL); 0 or -ENOMEM */
static int dup0(char **dst, const char *s)
{
	*dst = NULL;
	return s ? bootcfg_set(dst, s) : 0;
}

static size_t env_bytes(const struct env *e)
{
	size_t i, n = len0(e->kernel.uri) + len0(e->kernel.name) +
		len0(e->args);

	for (i = 0; i < e->ninitrd; i++) {
		n += len0(e->initrd[i].uri) + len0(e->initrd[i].name);
	}
	for (i = 0; i < e->nvars; i++) {
		n += e->v[i].len + e->v[i].vlen;
	}
	return n;
}

/* FNV-1a of s[0..n) */
static uint32_t name_hash(const char *s, size_t n)
{
	uint32_t h = 2166136261u;

	while (n--) {
		h = (h ^ (unsigned char)*s++) * 16777619u;
	}
	return h;
}

/* where the last segment of name (n bytes) starts: after its last '/',
 * 0 when it has none */
static size_t name_base(const char *name, size_t n)
{
	size_t b = n;

	while (b && name[b - 1] != '/') {
		b--;
	}
	return b;
}

/* v's name: name (n bytes, not copied), measured */
static void var_name(struct var *v, const char *name, size_t n)
{
	v->name = name;
	v->len = n;
	v->base = name_base(name, n);
	v->hash = name_hash(name, n);
	v->shash = name_hash(name + v->base, n - v->base);
}

/* v named a copy of name (n bytes) holding a copy of val (vl bytes); 0
 * or -ENOMEM (v empty then) */
static int var_fill(struct var *v, const char *name, size_t n,
	const char *val, size_t vl)
{
	char *nm = NULL, *vv = NULL;

	memset(v, 0, sizeof(*v));
	if (bootcfg_setn(&nm, name, n) < 0 || bootcfg_setn(&vv, val, vl) < 0) {
		free(nm);
		return -ENOMEM;
	}
	var_name(v, nm, n);
	v->val = vv;
	v->vlen = vl;
	return 0;
}

/* dst = a copy of src, paid for: each item's run starts from the
 * choose's images and variables */
static int env_copy(struct ipxe *x, struct env *dst, const struct env *src)
{
	size_t i;
	int r = bootcfg_spend(x->c, BOOTCFG_EXPAND, env_bytes(src), x->name,
		x->line, NULL);

	memset(dst, 0, sizeof(*dst));
	if (r < 0) {
		return r;
	}
	r = dup0(&dst->kernel.uri, src->kernel.uri) |
		dup0(&dst->kernel.name, src->kernel.name) |
		dup0(&dst->args, src->args);
	for (i = 0; i < src->ninitrd; i++, dst->ninitrd++) {
		r |= dup0(&dst->initrd[i].uri, src->initrd[i].uri) |
			dup0(&dst->initrd[i].name, src->initrd[i].name);
	}
	for (i = 0; i < src->nvars && !r; i++, dst->nvars++) {
		const struct var *v = &src->v[i];

		r = var_fill(&dst->v[i], v->name, v->len, v->val, v->vlen);
	}
	return r ? oom(x) : 0;
}

/* the script's variable named name (n bytes), -1: none */
static int var_index(const struct env *e, const char *name, size_t n)
{
	size_t i;

	for (i = 0; i < e->nvars; i++) {
		if (e->v[i].len == n && !memcmp(e->v[i].name, name, n)) {
			return (int)i;
		}
	}
	return -1;
}

static void var_unset(struct env *e, const char *name)
{
	int i = var_index(e, name, strlen(name));

	if (i < 0) {
		return;
	}
	var_free(&e->v[i]);
	e->nvars--;
	e->v[i] = e->v[e->nvars];
	memset(&e->v[e->nvars], 0, sizeof(e->v[0]));
}

/* set NAME VALUE (ipxe.org/cmd/set): "" unsets, as iPXE deletes a
 * setting stored empty; a name longer than MAX_NAME is not set (a note:
 * the set fails) */
static int var_set(struct ipxe *x, const char *name, const char *val)
{
	size_t n = strlen(name), vl = strlen(val);
	struct var nv;
	int i;

	if (n > MAX_NAME) {
		bootcfg_note(x->c, "%s:%u: a variable name longer than %d "
			"bytes, not set", x->name, x->line, MAX_NAME);
		return FAIL;
	}
	if (!vl) {
		var_unset(&x->env, name);
		return 0;
	}
	if (vl > MAX_VALUE) {
		return bootcfg_refuse(x->c, -E2BIG, "%s:%u: a value longer "
			"than %d bytes", x->name, x->line, MAX_VALUE);
	}
	i = var_index(&x->env, name, n);
	if (i < 0 && x->env.nvars == MAX_VARS) {
		return bootcfg_refuse(x->c, -E2BIG, "%s:%u: more than %d "
			"variables set", x->name, x->line, MAX_VARS);
	}
	if (var_fill(&nv, name, n, val, vl) < 0) {
		return oom(x);
	}
	if (i < 0) {
		i = (int)x->env.nvars++;
	} else {
		var_free(&x->env.v[i]);
	}
	x->env.v[i] = nv;
	return 0;
}

/* the caller's table, each "name=value" measured and its value checked
 * once (an entry without '=' is none) */
static int table_load(struct ipxe *x, const char *const *vars)
{
	const char *const *t;
	size_t n = 0;

	for (t = vars; t && *t; t++) {
		n++;
	}
	if (!n) {
		return 0;
	}
	x->tab = calloc(n, sizeof(*x->tab));
	if (!x->tab) {
		return oom(x);
	}
	for (t = vars; *t; t++) {
		const char *eq = strchr(*t, '='), *s;
		struct var *v = &x->tab[x->ntab];

		if (!eq) {
			continue;
		}
		var_name(v, *t, (size_t)(eq - *t));
		v->val = eq + 1;
		v->vlen = strlen(v->val);
		for (s = v->val; *s && !v->bad; s++) {
			v->bad = ((unsigned char)*s < 0x20 && *s != '\t') ||
				*s == 0x7f;
		}
		x->ntab++;
	}
	return 0;
}

/* the variable of vs[0..n) named name (nl bytes, name_hash h), NULL:
 * none; *scoped (when scoped is not NULL and it is NULL still): the
 * first whose last segment, after a '/', is name */
static const struct var *var_find(const struct var *vs, size_t n,
	const char *name, size_t nl, uint32_t h, const struct var **scoped)
{
	size_t i;

	for (i = 0; i < n; i++) {
		const struct var *v = &vs[i];

		if (v->len == nl && v->hash == h &&
			!memcmp(v->name, name, nl)) {
			return v;
		}
		if (scoped && !*scoped && v->base && v->len - v->base == nl &&
			v->shash == h && !memcmp(v->name + v->base, name, nl)) {
			*scoped = v;
		}
	}
	return NULL;
}

/* ${name} (n bytes): the script's, the caller's, then scoped ones, the
 * script's first (an unscoped name searches every settings block in
 * iPXE); each list is read once; NULL: unknown */
static const struct var *lookup(const struct ipxe *x, const char *name,
	size_t n)
{
	const struct var *v, *ss = NULL, *ts = NULL;
	int unscoped = !memchr(name, '/', n);
	uint32_t h = name_hash(name, n);

	v = var_find(x->env.v, x->env.nvars, name, n, h,
		unscoped ? &ss : NULL);
	v = v ? v : var_find(x->tab, x->ntab, name, n, h,
		unscoped ? &ts : NULL);
	return v ? v : ss ? ss : ts;
}

/* ---- a line: split, its first command expanded word by word ---- */

static int too_long(struct ipxe *x)
{
	return bootcfg_refuse(x->c, -E2BIG, "%s:%u: a command longer than %d "
		"bytes", x->name, x->line, MAX_LINE);
}

/* what a line holds is stored: printable or tab, as every parser's
 * strings are (a UTF-8 byte is printable here) */
static int printable(struct ipxe *x, const char *s)
{
	const unsigned char *p;

	for (p = (const unsigned char *)s; *p; p++) {
		if ((*p < 0x20 && *p != '\t') || *p == 0x7f) {
			return bootcfg_refuse(x->c, -EINVAL, "%s:%u: a control "
				"character", x->name, x->line);
		}
	}
	return 0;
}

/* the ${...} whose "${" is at buf[at] and whose name ends at buf[n]:
 * replaced by its value from at on; the new end in *n. It pays for its
 * value, and at least for its "${...}" (a reference to nothing too), so
 * that a loop of references ends with the budget. */
static int substitute(struct ipxe *x, size_t at, size_t *n)
{
	const char *name = x->buf + at + 2;
	const struct var *v;
	size_t nl, vl, ref = *n - at + 1;
	int r;

	x->buf[*n] = '\0';
	/* ${name:type}: the type says how iPXE prints it; hop takes the
	 * value as stored */
	nl = strcspn(name, ":");
	v = lookup(x, name, nl);
	/* the caller's values come from the network (a DHCP host name):
	 * refused here, before a note could quote them (the script's own
	 * are made of checked lines and values) */
	if (v && v->bad) {
		return bootcfg_refuse(x->c, -EINVAL, "%s:%u: a control "
			"character", x->name, x->line);
	}
	vl = v ? v->vlen : 0;
	if (at + vl >= MAX_LINE) {
		return too_long(x);
	}
	r = bootcfg_spend(x->c, BOOTCFG_EXPAND, vl > ref ? vl : ref, x->name,
		x->line, NULL);
	if (r < 0) {
		return r;
	}
	if (!v) {
		x->buf[at + 2 + nl] = '\0';
		if (first_time(x, '$', name)) {
			bootcfg_note(x->c, "%s:%u: ${%s} is not set, "
				"expands to nothing", x->name, x->line, name);
		}
	} else {
		memcpy(x->buf + at, v->val, vl);
	}
	*n = at + vl;
	return 0;
}

/* the word s expanded into buf from *n on, NUL ended, *n past it: each
 * "${" opens a name, each '}' closes the innermost open one; values are
 * copied, never read again */
static int expand(struct ipxe *x, const char *s, size_t *n)
{
	size_t depth = 0;
	int r;

	for (; *s; s++) {
		if (*n + 2 >= MAX_LINE) {
			return too_long(x);
		}
		if (s[0] == '$' && s[1] == '{') {
			x->open[depth++] = *n;
			x->buf[(*n)++] = *s++;
			x->buf[(*n)++] = *s;
		} else if (*s == '}' && depth) {
			r = substitute(x, x->open[--depth], n);
			if (r < 0) {
				return r;
			}
		} else {
			x->buf[(*n)++] = *s;
		}
	}
	if (depth) {
		return bootcfg_refuse(x->c, -EINVAL, "%s:%u: '${' without '}'",
			x->name, x->line);
	}
	x->buf[(*n)++] = '\0';
	return 0;
}

/* the line s, checked, cut into raw words at blanks in rw[0..nraw):
 * chains are split later, one command at a time */
static int split(struct ipxe *x, const char *s)
{
	char *p = x->raw;
	size_t n = strlen(s);
	int r = printable(x, s);

	if (r < 0) {
		return r;
	}
	/* the blanks at its end (and a CR, a blank now) are no part of
	 * the line as written */
	while (n && (s[n - 1] == ' ' || s[n - 1] == '\t')) {
		n--;
	}
	if (n > MAX_LINE) {
		return too_long(x);
	}
	memcpy(x->raw, s, n);
	x->raw[n] = '\0';
	for (x->nraw = 0;;) {
		p += strspn(p, " \t");
		if (!*p) {
			break;
		}
		x->rw[x->nraw++] = p;
		p += strcspn(p, " \t");
		if (*p) {
			*p++ = '\0';
		}
	}
	return 0;
}

static int is_sep(const char *w)
{
	return !strcmp(w, "||") || !strcmp(w, "&&");
}

/* raw words [from, to), one command, expanded in w[0..nw) (iPXE expands
 * a command's words when it runs it: "choose t && goto ${t}" goes where
 * choose set) */
static int words(struct ipxe *x, size_t from, size_t to)
{
	size_t n = 0, i;
	int r;

	for (x->nw = 0, i = from; i < to; i++) {
		x->w[x->nw++] = x->buf + n;
		/* the line and every value are checked already */
		r = expand(x, x->rw[i], &n);
		if (r < 0) {
			return r;
		}
	}
	return 0;
}

/* words [from, nw) joined by one space in *dst (NULL when none) */
static int join(struct ipxe *x, size_t from, char **dst)
{
	size_t i, n = 0;
	char *p;

	free(*dst);
	*dst = NULL;
	if (from >= x->nw) {
		return 0;
	}
	for (i = from; i < x->nw; i++) {
		n += strlen(x->w[i]) + 1;
	}
	p = malloc(n);
	if (!p) {
		return oom(x);
	}
	*dst = p;
	for (i = from; i < x->nw; i++) {
		size_t l = strlen(x->w[i]);

		memcpy(p, x->w[i], l);
		p += l;
		*p++ = i + 1 < x->nw ? ' ' : '\0';
	}
	return 0;
}

/* a word hop does not know: a note the first time; as a command it
 * fails, as iPXE's unknown command does */
static int not_understood(struct ipxe *x, const char *word)
{
	if (first_time(x, 'w', word)) {
		bootcfg_note(x->c, "%s:%u: '%s' not understood, skipped",
			x->name, x->line, word);
	}
	return FAIL;
}

/* ---- options, getopt's way (ipxe.org/cmd: "--name NAME", "--name=NAME",
 * "-n NAME", "-nNAME", "-ar"), before the first other word or "--" ---- */

struct opt {
	const char *lng;
	char sht;
	int value;		/* takes a value */
	const char **val;	/* where it goes (NULL: dropped) */
	int *flag;		/* set when given (NULL: dropped) */
};

static const struct opt *find_long(const struct opt *o, const char *s,
	size_t n)
{
	for (; o->lng; o++) {
		if (strlen(o->lng) == n && !strncmp(o->lng, s, n)) {
			return o;
		}
	}
	return NULL;
}

static const struct opt *find_short(const struct opt *o, char c)
{
	for (; o->lng; o++) {
		if (o->sht == c) {
			return o;
		}
	}
	return NULL;
}

static void opt_found(const struct opt *o, const char *v)
{
	if (o->val && v) {
		*o->val = v;
	}
	if (o->flag) {
		*o->flag = 1;
	}
}

/* "-abc", "-nNAME": word i's short options; a value may take word i+1 */
static size_t short_opts(struct ipxe *x, const struct opt *os, size_t i)
{
	const char *s = x->w[i] + 1;
	const struct opt *o;

	for (; *s; s++) {
		o = find_short(os, *s);
		if (!o) {
			not_understood(x, x->w[i]);
			return i + 1;
		}
		if (!o->value) {
			opt_found(o, NULL);
			continue;
		}
		if (s[1]) {
			opt_found(o, s + 1);
			return i + 1;
		}
		opt_found(o, i + 1 < x->nw ? x->w[i + 1] : NULL);
		return i + 2;
	}
	return i + 1;
}

/* the words from 1 that are options of os (ended by one without lng);
 * returns the index of the first argument */
static size_t options(struct ipxe *x, const struct opt *os)
{
	size_t i = 1;

	while (i < x->nw && x->w[i][0] == '-' && x->w[i][1]) {
		const char *s = x->w[i], *eq;
		const struct opt *o;

		if (!strcmp(s, "--")) {
			return i + 1;
		}
		if (s[1] != '-') {
			i = short_opts(x, os, i);
			continue;
		}
		eq = strchr(s, '=');
		o = find_long(os, s + 2, eq ? (size_t)(eq - s - 2) :
			strlen(s + 2));
		if (!o) {
			not_understood(x, s);
			i++;
		} else if (!o->value || eq) {
			opt_found(o, eq ? eq + 1 : NULL);
			i++;
		} else {
			opt_found(o, i + 1 < x->nw ? x->w[i + 1] : NULL);
			i += 2;
		}
	}
	return i < x->nw ? i : x->nw;
}

/* kernel, initrd, chain, boot (ipxe.org/cmd/kernel); *name: --name */
static size_t image_options(struct ipxe *x, const char **name)
{
	const struct opt os[] = {
		{ "name", 'n', 1, name, NULL },
		{ "autofree", 'a', 0, NULL, NULL },
		{ "replace", 'r', 0, NULL, NULL },
		{ "timeout", 't', 1, NULL, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};

	*name = NULL;
	return options(x, os);
}

/* ---- images ---- */

/* no word i, or an empty one ("kernel ${url}" of no url): iPXE fails
 * to fetch it, and "kernel ${url} || goto failed" goes to failed */
static int no_uri(const struct ipxe *x, size_t i)
{
	return i == x->nw || !x->w[i][0];
}

/* uri's image: its name the --name given, else the last segment of its
 * path (iPXE names a fetched image so; a query is no part of it) */
static int image_set(struct ipxe *x, struct image *m, const char *uri,
	const char *name)
{
	size_t n = strcspn(uri, "?#"), b = n;

	while (b && uri[b - 1] != '/') {
		b--;
	}
	image_free(m);
	if (bootcfg_set(&m->uri, uri) < 0 || (name ?
		bootcfg_set(&m->name, name) :
		bootcfg_setn(&m->name, uri + b, n - b)) < 0) {
		return oom(x);
	}
	return 0;
}

/* a URI and its arguments from word i on: the kernel */
static int load_kernel(struct ipxe *x, size_t i, const char *name)
{
	int r = image_set(x, &x->env.kernel, x->w[i], name);

	return r ? r : join(x, i + 1, &x->env.args);
}

/* what is loaded becomes an entry: its label the item's, else "ipxe" */
static int make_entry(struct ipxe *x, const struct item *it, int *made)
{
	const struct env *v = &x->env;
	struct boot_entry *e;
	const char *label = it ? it->label : "ipxe";
	size_t i, bytes = strlen(label) + len0(it ? it->text : NULL) +
		strlen(v->kernel.uri) + len0(v->args);
	int r = bootcfg_new_entry(x->c, x->name, x->line, &e);

	for (i = 0; i < v->ninitrd; i++) {
		bytes += strlen(v->initrd[i].uri);
	}
	/* copied into each entry: an item's run may take the same
	 * images again and again */
	r = r ? r : bootcfg_spend(x->c, BOOTCFG_EXPAND, bytes, x->name,
		x->line, NULL);
	if (r < 0) {
		return r;
	}
	*made = (int)(e - x->c->e);
	if (bootcfg_set(&e->label, label) < 0 ||
		dup0(&e->title, it ? it->text : NULL) < 0 ||
		bootcfg_set(&e->kernel, v->kernel.uri) < 0 ||
		bootcfg_set(&e->cmdline, v->args ? v->args : "") < 0) {
		return oom(x);
	}
	for (i = 0; i < v->ninitrd; i++) {
		if (bootcfg_add_initrd(e, v->initrd[i].uri,
			strlen(v->initrd[i].uri)) < 0) {
			return oom(x);
		}
	}
	return STOP;
}

static int boot_it(struct ipxe *x, const struct item *it, int *made)
{
	if (!x->env.kernel.uri) {
		bootcfg_note(x->c, "%s:%u: boot without a kernel", x->name,
			x->line);
		return STOP;
	}
	return make_entry(x, it, made);
}

/* kernel, initrd or chain without a URI: a note, and it fails */
static int without_uri(struct ipxe *x)
{
	bootcfg_note(x->c, "%s:%u: %s without a URI, skipped", x->name,
		x->line, x->w[0]);
	return FAIL;
}

static int cmd_kernel(struct ipxe *x, const struct item *it, int *made)
{
	const char *name;
	size_t i = image_options(x, &name);

	(void)it, (void)made;
	if (no_uri(x, i)) {
		return without_uri(x);
	}
	return load_kernel(x, i, name);
}

static int cmd_chain(struct ipxe *x, const struct item *it, int *made)
{
	const char *name;
	size_t i = image_options(x, &name);
	int r;

	if (no_uri(x, i)) {
		return without_uri(x);
	}
	r = load_kernel(x, i, name);
	return r < 0 ? r : boot_it(x, it, made);
}

/* boot [NAME [ARGS]]: the kernel, its command line ARGS when given;
 * boot URI [ARGS]: fetched and booted, as chain */
static int cmd_boot(struct ipxe *x, const struct item *it, int *made)
{
	const char *name;
	size_t i = image_options(x, &name);
	int r;

	if (i < x->nw && x->env.kernel.uri &&
		!strcmp(x->w[i], x->env.kernel.name)) {
		r = i + 1 < x->nw ? join(x, i + 1, &x->env.args) : 0;
		return r ? r : boot_it(x, it, made);
	}
	if (i < x->nw) {
		r = load_kernel(x, i, name);
		if (r < 0) {
			return r;
		}
	}
	return boot_it(x, it, made);
}

static int cmd_initrd(struct ipxe *x, const struct item *it, int *made)
{
	const char *name;
	size_t i = image_options(x, &name);
	struct env *e = &x->env;
	int r;

	(void)it, (void)made;
	if (no_uri(x, i)) {
		return without_uri(x);
	}
	if (e->ninitrd == HOP_MAX_INITRD) {
		return bootcfg_refuse(x->c, -E2BIG, "%s:%u: more than %d "
			"initrds", x->name, x->line, HOP_MAX_INITRD);
	}
	r = image_set(x, &e->initrd[e->ninitrd], x->w[i], name);
	if (r < 0) {
		image_free(&e->initrd[e->ninitrd]);
		return r;
	}
	e->ninitrd++;
	if (i + 1 < x->nw) {
		bootcfg_note(x->c, "%s:%u: arguments of an initrd ignored",
			x->name, x->line);
	}
	return GO_ON;
}

/* the initrd named name, -1: none */
static int initrd_named(const struct env *e, const char *name)
{
	size_t i;

	for (i = 0; i < e->ninitrd; i++) {
		if (!strcmp(e->initrd[i].name, name)) {
			return (int)i;
		}
	}
	return -1;
}

/* imgargs NAME [ARGS]: of an initrd it succeeds, as iPXE's does, but
 * hop has no use for an initrd's command line; of no image it fails */
static int cmd_imgargs(struct ipxe *x, const struct item *it, int *made)
{
	int initrd;

	(void)it, (void)made;
	if (x->nw < 2) {
		bootcfg_note(x->c, "%s:%u: imgargs without an image, skipped",
			x->name, x->line);
		return FAIL;
	}
	if (x->env.kernel.uri && !strcmp(x->w[1], x->env.kernel.name)) {
		return join(x, 2, &x->env.args);
	}
	initrd = initrd_named(&x->env, x->w[1]) >= 0;
	bootcfg_note(x->c, "%s:%u: imgargs: '%s' is %s, skipped", x->name,
		x->line, x->w[1], initrd ? "an initrd" : "no image loaded");
	return initrd ? GO_ON : FAIL;
}

static void drop_initrd(struct env *e, size_t i)
{
	image_free(&e->initrd[i]);
	memmove(&e->initrd[i], &e->initrd[i + 1],
		(e->ninitrd - i - 1) * sizeof(e->initrd[0]));
	e->ninitrd--;
	memset(&e->initrd[e->ninitrd], 0, sizeof(e->initrd[0]));
}

static int cmd_imgfree(struct ipxe *x, const struct item *it, int *made)
{
	struct env *e = &x->env;
	int i;

	(void)it, (void)made;
	if (x->nw < 2 || (e->kernel.uri && !strcmp(x->w[1], e->kernel.name))) {
		image_free(&e->kernel);
		free(e->args);
		e->args = NULL;
	}
	if (x->nw < 2) {
		while (e->ninitrd) {
			drop_initrd(e, e->ninitrd - 1);
		}
	} else if ((i = initrd_named(e, x->w[1])) >= 0) {
		drop_initrd(e, (size_t)i);
	}
	return GO_ON;
}

/* ---- variables, labels, the end of a run ---- */

static int cmd_set(struct ipxe *x, const struct item *it, int *made)
{
	char *val = NULL;
	int r;

	(void)it, (void)made;
	if (x->nw < 2 || x->w[1][0] == ':') {
		bootcfg_note(x->c, "%s:%u: %s without a name, skipped", x->name,
			x->line, x->w[0]);
		return FAIL;
	}
	/* "set name:type value": the type is how iPXE stores it */
	x->w[1][strcspn(x->w[1], ":")] = '\0';
	if (!strcmp(x->w[0], "clear")) {
		var_unset(&x->env, x->w[1]);
		return GO_ON;
	}
	r = join(x, 2, &val);
	r = r ? r : var_set(x, x->w[1], val ? val : "");
	free(val);
	return r;
}

/* the label named name, NULL: none (no label is named "") */
static const struct label *find_label(const struct ipxe *x, const char *name)
{
	size_t i, n = strlen(name);
	uint32_t h = name_hash(name, n);

	/* the first of two with one name, as iPXE searches from the top */
	for (i = 0; i < x->nlabels; i++) {
		if (x->labels[i].len == n && x->labels[i].hash == h &&
			!memcmp(x->labels[i].name, name, n)) {
			return &x->labels[i];
		}
	}
	return NULL;
}

static int cmd_goto(struct ipxe *x, const struct item *it, int *made)
{
	const char *to = x->nw > 1 ? x->w[1] : "";
	const struct label *l;

	(void)it, (void)made;
	/* no label is named "": a bare goto (or "goto ${unset}") goes
	 * nowhere, as one to a label missing */
	if (!*to) {
		return bootcfg_refuse(x->c, -EINVAL, "%s:%u: goto without a "
			"label", x->name, x->line);
	}
	l = find_label(x, to);
	if (!l) {
		return bootcfg_refuse(x->c, -EINVAL, "%s:%u: goto '%s': no "
			"label ':%s'", x->name, x->line, to, to);
	}
	x->p = l->next;
	x->line = l->line;
	return JUMP;
}

static int cmd_stop(struct ipxe *x, const struct item *it, int *made)
{
	(void)x, (void)it, (void)made;
	return STOP;
}

static int cmd_sanboot(struct ipxe *x, const struct item *it, int *made)
{
	(void)it, (void)made;
	bootcfg_note(x->c, "%s:%u: sanboot boots a disk, not Linux", x->name,
		x->line);
	return STOP;
}

static int cmd_skip(struct ipxe *x, const struct item *it, int *made)
{
	(void)x, (void)it, (void)made;
	return GO_ON;
}

/* prompt [--key K] [--timeout MS] [TEXT]: hop boots unattended, so no
 * key comes; iPXE's prompt fails so on its timeout (ipxe.org/cmd/prompt),
 * and "prompt ... && shell ||" goes on with the script */
static int cmd_prompt(struct ipxe *x, const struct item *it, int *made)
{
	(void)x, (void)it, (void)made;
	return FAIL;
}

/* a test given another number of words than it takes fails, as iPXE's
 * usage error does: a note once */
static int test_usage(struct ipxe *x, size_t want)
{
	if (x->nw == want) {
		return 0;
	}
	if (first_time(x, 'u', x->w[0])) {
		bootcfg_note(x->c, "%s:%u: %s takes %zu word%s, not %zu: it "
			"fails", x->name, x->line, x->w[0], want - 1,
			want == 2 ? "" : "s", x->nw - 1);
	}
	return FAIL;
}

/* isset VALUE (ipxe.org/cmd/isset): VALUE is expanded already, so
 * "isset ${x}" succeeds when x holds something */
static int cmd_isset(struct ipxe *x, const struct item *it, int *made)
{
	int r = test_usage(x, 2);

	(void)it, (void)made;
	return r ? r : x->w[1][0] ? GO_ON : FAIL;
}

/* iseq A B (ipxe.org/cmd/iseq): the expanded words, byte for byte */
static int cmd_iseq(struct ipxe *x, const struct item *it, int *made)
{
	int r = test_usage(x, 3);

	(void)it, (void)made;
	return r ? r : strcmp(x->w[1], x->w[2]) ? FAIL : GO_ON;
}

/* ---- menus ---- */

static void items_free(struct item *items, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		free(items[i].label);
		free(items[i].text);
	}
	free(items);
}

/* the menu being made forgotten */
static void menu_clear(struct ipxe *x)
{
	items_free(x->items, x->nitems);
	x->items = NULL;
	x->nitems = 0;
}

/* menu [--name NAME] [--delete] [TITLE]: a new menu, its items to come */
static int cmd_menu(struct ipxe *x, const struct item *it, int *made)
{
	(void)it, (void)made;
	menu_clear(x);
	return GO_ON;
}

/* item [--menu M] [--key K] [--default] [--gap] [LABEL [TEXT]] */
static int cmd_item(struct ipxe *x, const struct item *it, int *made)
{
	int gap = 0, def = 0;
	const struct opt os[] = {
		{ "menu", 'm', 1, NULL, NULL }, { "key", 'k', 1, NULL, NULL },
		{ "default", 'd', 0, NULL, &def },
		{ "gap", 'g', 0, NULL, &gap },
		{ NULL, 0, 0, NULL, NULL },
	};
	size_t i = options(x, os), bytes, k;
	struct item *n, *m;
	int r;

	(void)it, (void)made;
	if (gap || i == x->nw) {
		return GO_ON;	/* a line of text between items */
	}
	/* following it sets choose's variable to its label, which takes a
	 * value: "" would unset it */
	if (!x->w[i][0] || strlen(x->w[i]) > MAX_VALUE) {
		bootcfg_note(x->c, "%s:%u: an item whose label is %s, skipped",
			x->name, x->line, x->w[i][0] ? "longer than a value" :
			"empty");
		return GO_ON;
	}
	if (x->nitems == MAX_ITEMS) {
		return bootcfg_refuse(x->c, -E2BIG, "%s:%u: more than %d items "
			"in a menu", x->name, x->line, MAX_ITEMS);
	}
	for (bytes = 0, k = i; k < x->nw; k++) {
		bytes += strlen(x->w[k]) + 1;
	}
	r = bootcfg_spend(x->c, BOOTCFG_EXPAND, bytes, x->name, x->line,
		NULL);
	if (r < 0) {
		return r;
	}
	/* grows by one: MAX_ITEMS bounds it */
	n = realloc(x->items, (x->nitems + 1) * sizeof(*n));
	if (!n) {
		return oom(x);
	}
	x->items = n;
	m = &n[x->nitems];
	memset(m, 0, sizeof(*m));
	m->def = def;
	x->nitems++;
	if (bootcfg_set(&m->label, x->w[i]) < 0) {
		return oom(x);
	}
	return join(x, i + 1, &m->text);
}

/* what a choose follows, made before the runs overwrite buf */
struct choice {
	struct item *items;
	size_t n;
	char *var, *def;
	char *at;		/* the choose line */
	unsigned line;
	struct env saved;	/* the images and variables at the choose */
};

static void choice_free(struct choice *ch)
{
	items_free(ch->items, ch->n);
	free(ch->var);
	free(ch->def);
	env_free(&ch->saved);
}

/* the index of the default item: the choose's --default, item
 * --default, else the first */
static size_t default_item(const struct choice *ch)
{
	size_t i;

	for (i = 0; ch->def && i < ch->n; i++) {
		if (!strcmp(ch->items[i].label, ch->def)) {
			return i;
		}
	}
	for (i = 0; i < ch->n; i++) {
		if (ch->items[i].def) {
			return i;
		}
	}
	return 0;
}

/* one item of ch followed from its label: *made its entry (-1: none) */
static int follow(struct ipxe *x, struct choice *ch, size_t k, int *made)
{
	const struct item *it = &ch->items[k];
	const struct label *l = find_label(x, it->label);
	int r;

	*made = -1;
	x->line = ch->line;
	if (!l) {
		bootcfg_note(x->c, "%s:%u: item '%s' has no label ':%s', "
			"skipped", x->name, ch->line, it->label, it->label);
		return 0;
	}
	/* a run of no line is still a run: the bound counts it */
	if (++x->run > MAX_RUN) {
		return bootcfg_refuse(x->c, -ELOOP, "%s:%u: more than %d lines "
			"run (a goto loop?)", x->name, x->line, MAX_RUN);
	}
	/* the items a run before made and never chose are no part of it */
	menu_clear(x);
	env_free(&x->env);
	r = env_copy(x, &x->env, &ch->saved);
	r = r ? r : var_set(x, ch->var, it->label);
	if (r < 0) {
		return r;
	}
	x->p = l->next;
	x->line = l->line;
	r = run(x, it, made);
	if (r >= 0 && *made < 0) {
		bootcfg_note(x->c, "%s:%u: item '%s' boots no kernel, skipped",
			x->name, ch->line, it->label);
	}
	return r < 0 ? r : 0;
}

/* the runs of ch's items, one after the other; *made: the default's */
static int follow_all(struct ipxe *x, struct choice *ch, int *made)
{
	size_t k, def = default_item(ch);
	int r = 0, m;

	x->chooses[x->depth++] = ch->at;
	for (k = 0; k < ch->n && r == 0; k++) {
		r = follow(x, ch, k, &m);
		if (k == def) {
			*made = m;
		}
	}
	x->depth--;
	if (r == 0 && *made < 0) {
		bootcfg_note(x->c, "%s:%u: the default item '%s' boots no "
			"kernel", x->name, ch->line, ch->items[def].label);
	}
	return r;
}

/* the menu's timeout, of the top menu alone: choose --timeout MS */
static void menu_timeout(struct ipxe *x, const char *ms)
{
	long t = ms ? bootcfg_number(ms) : -1;

	if (!ms || x->depth) {
		return;
	}
	if (t < 0 || t > 100000000) {
		bootcfg_note(x->c, "%s:%u: choose --timeout '%s' is not a "
			"number of milliseconds, ignored", x->name, x->line,
			ms);
		return;
	}
	/* 0: iPXE waits for ever, as a configuration without one */
	x->c->timeout_ds = t ? (int)((t + 99) / 100) : BOOTCFG_NO_TIMEOUT;
}

/* choose [--menu M] [--default LABEL] [--timeout MS] [--keep] VAR: each
 * item of the menu is followed in turn (see the top); a choose already
 * being followed is a way back to its menu, which ends the run */
static int cmd_choose(struct ipxe *x, const struct item *it, int *made)
{
	const char *def = NULL, *ms = NULL;
	const struct opt os[] = {
		{ "menu", 'm', 1, NULL, NULL },
		{ "default", 'd', 1, &def, NULL },
		{ "timeout", 't', 1, &ms, NULL },
		{ "keep", 'k', 0, NULL, NULL },
		{ NULL, 0, 0, NULL, NULL },
	};
	size_t i = options(x, os), k;
	struct choice ch;
	int r;

	(void)it;
	for (k = 0; k < x->depth; k++) {
		if (x->chooses[k] == x->cur) {
			return STOP;
		}
	}
	if (i == x->nw || !x->nitems || x->depth == MAX_DEPTH) {
		bootcfg_note(x->c, "%s:%u: choose %s, skipped", x->name,
			x->line, i == x->nw ? "without a variable" :
			!x->nitems ? "without items" : "nested too deep");
		return STOP;
	}
	menu_timeout(x, ms);
	memset(&ch, 0, sizeof(ch));
	ch.items = x->items;
	ch.n = x->nitems;
	x->items = NULL;
	x->nitems = 0;
	ch.at = x->cur;
	ch.line = x->line;
	ch.saved = x->env;
	memset(&x->env, 0, sizeof(x->env));
	if (bootcfg_set(&ch.var, x->w[i]) < 0 ||
		(def && *def && bootcfg_set(&ch.def, def) < 0)) {
		r = oom(x);
	} else {
		r = follow_all(x, &ch, made);
	}
	/* the choose's own images and variables again */
	env_free(&x->env);
	x->env = ch.saved;
	memset(&ch.saved, 0, sizeof(ch.saved));
	choice_free(&ch);
	return r < 0 ? r : STOP;
}

/* ---- running ---- */

static const struct {
	const char *name;
	int (*fn)(struct ipxe *x, const struct item *it, int *made);
} commands[] = {
	{ "kernel", cmd_kernel }, { "initrd", cmd_initrd },
	{ "module", cmd_initrd }, { "chain", cmd_chain },
	{ "boot", cmd_boot }, { "imgargs", cmd_imgargs },
	{ "imgfree", cmd_imgfree }, { "set", cmd_set }, { "clear", cmd_set },
	{ "goto", cmd_goto }, { "menu", cmd_menu }, { "item", cmd_item },
	{ "choose", cmd_choose },
	{ "exit", cmd_stop }, { "shell", cmd_stop }, { "reboot", cmd_stop },
	{ "poweroff", cmd_stop }, { "sanboot", cmd_sanboot },
	{ "isset", cmd_isset }, { "iseq", cmd_iseq },
	{ "prompt", cmd_prompt },
	/* the network is hop's already; the rest prints or waits */
	{ "echo", cmd_skip }, { "dhcp", cmd_skip }, { "ifopen", cmd_skip },
	{ "ifconf", cmd_skip }, { "ifstat", cmd_skip },
	{ "ifclose", cmd_skip }, { "route", cmd_skip }, { "ntp", cmd_skip },
	{ "sleep", cmd_skip }, { "colour", cmd_skip }, { "cpair", cmd_skip },
	{ "console", cmd_skip },
};

/* the command in w[0..nw): GO_ON, FAIL, JUMP, STOP or a refusal; none
 * (an empty one) succeeds */
static int command(struct ipxe *x, const struct item *it, int *made)
{
	size_t i;

	if (!x->nw) {
		return GO_ON;
	}
	for (i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (!strcmp(x->w[0], commands[i].name)) {
			return commands[i].fn(x, it, made);
		}
	}
	return not_understood(x, x->w[0]);
}

/* the line s, its chain from the left (see the top): GO_ON, STOP or a
 * refusal */
static int one_line(struct ipxe *x, const char *s, const struct item *it,
	int *made)
{
	size_t from = 0, to;
	int r, failed = 0, want;

	s += strspn(s, " \t");
	/* a comment, a label (the pre-pass found it) */
	if (!*s || *s == '#' || *s == ':') {
		return GO_ON;
	}
	r = split(x, s);
	if (r < 0) {
		return r;
	}
	/* want: what the last command run must have done for the next
	 * to run, 1 failed ("||"), 0 succeeded ("&&"), -1 anything (the
	 * first); the separator is read before its command runs, as only
	 * choose's run overwrites rw, and choose ends the line */
	for (want = -1; from <= x->nraw; from = to + 1) {
		int next;

		for (to = from; to < x->nraw && !is_sep(x->rw[to]); to++) {
		}
		next = to < x->nraw ? x->rw[to][0] == '|' : -1;
		if (want < 0 || want == failed) {
			r = words(x, from, to);
			r = r ? r : command(x, it, made);
			if (r < 0 || r == STOP) {
				return r;
			}
			if (r == JUMP) {
				return GO_ON;
			}
			failed = r == FAIL;
		}
		if (next < 0) {
			break;
		}
		want = next;
	}
	return GO_ON;
}

/* from x->p on, until the run stops or the script ends; *made: the
 * entry the run stands for (-1: none) */
static int run(struct ipxe *x, const struct item *it, int *made)
{
	int r = GO_ON;

	*made = -1;
	while (r == GO_ON && x->p < x->end) {
		x->cur = x->p;
		x->p += strlen(x->p) + 1;
		x->line++;
		if (++x->run > MAX_RUN) {
			return bootcfg_refuse(x->c, -ELOOP, "%s:%u: more "
				"than %d lines run (a goto loop?)", x->name,
				x->line, MAX_RUN);
		}
		r = one_line(x, x->cur, it, made);
	}
	if (r == GO_ON && !it && x->env.kernel.uri) {
		bootcfg_note(x->c, "%s: kernel %s loaded but never booted (no "
			"boot)", x->name, x->env.kernel.uri);
	}
	return r < 0 ? r : 0;
}

/* each line NUL ended (its '\n' overwritten: a NUL inside a line would
 * make two of it), blanks and CR at its end made blanks, labels found */
static int prepare(struct ipxe *x)
{
	char *p = x->text, *nl, *e;
	struct label *l;
	size_t n;

	/* x->line: the line read, for messages; the run counts again */
	for (; p < x->end; p = nl + 1) {
		nl = p + strcspn(p, "\n");
		*nl = '\0';
		x->line++;
		for (e = nl; e > p && (e[-1] == ' ' || e[-1] == '\t' ||
			e[-1] == '\r'); e--) {
			e[-1] = ' ';
		}
		p += strspn(p, " \t");
		/* ":name" then anything: the name is the first word (": x"
		 * names nothing), the rest of the line is not run */
		n = *p == ':' ? strcspn(p + 1, " \t") : 0;
		if (!n) {
			continue;
		}
		if (x->nlabels == MAX_LABELS) {
			return bootcfg_refuse(x->c, -E2BIG, "%s:%u: more "
				"than %d labels", x->name, x->line, MAX_LABELS);
		}
		if (x->nlabels == x->label_cap) {
			x->label_cap = x->label_cap ? 2 * x->label_cap : 16;
			l = realloc(x->labels, x->label_cap * sizeof(*l));
			if (!l) {
				return oom(x);
			}
			x->labels = l;
		}
		x->labels[x->nlabels].name = p + 1;
		x->labels[x->nlabels].len = n;
		x->labels[x->nlabels].hash = name_hash(p + 1, n);
		x->labels[x->nlabels].next = nl + 1;
		x->labels[x->nlabels].line = x->line;
		x->nlabels++;
	}
	x->line = 0;
	return 0;
}

/* "#!ipxe" (or iPXE's older "#!gpxe") then a blank or the line's end,
 * after an optional UTF-8 byte order mark (as editors on Windows write
 * it) */
int bootcfg_ipxe_is_script(const char *t)
{
	if (!strncmp(t, "\xef\xbb\xbf", 3)) {
		t += 3;
	}
	if (strncmp(t, "#!ipxe", 6) && strncmp(t, "#!gpxe", 6)) {
		return 0;
	}
	t += 6;
	return !*t || strchr(" \t\r\n", *t);
}

static void ipxe_free(struct ipxe *x)
{
	size_t i;

	env_free(&x->env);
	menu_clear(x);
	for (i = 0; i < x->nnoted; i++) {
		free(x->noted[i]);
	}
	free(x->labels);
	free(x->tab);
	free(x->text);
	free(x);
}

static int parse(struct ipxe *x, const char *text,
	const char *const *vars)
{
	int r, made;

	if (!bootcfg_ipxe_is_script(text)) {
		return bootcfg_refuse(x->c, -EINVAL, "%s: not an iPXE script "
			"(no #!ipxe line)", x->name);
	}
	x->text = strdup(text);
	if (!x->text) {
		return oom(x);
	}
	x->end = x->text + strlen(x->text);
	r = table_load(x, vars);
	r = r ? r : prepare(x);
	if (r < 0) {
		return r;
	}
	/* the byte order mark is no part of the first line */
	x->p = x->text + (strncmp(x->text, "\xef\xbb\xbf", 3) ? 0 : 3);
	r = run(x, NULL, &made);
	if (r < 0) {
		return r;
	}
	x->c->def = made;
	return bootcfg_finish(x->c, x->name);
}

int bootcfg_ipxe_vars(const char *text, const char *name,
	const char *const *vars, struct boot_config *out)
{
	struct bootcfg_budget own;
	struct ipxe *x;
	int r;

	bootcfg_begin(out, &own);
	name = name ? name : "script.ipxe";
	r = bootcfg_spend(out, BOOTCFG_FILES, 1, name, 0, NULL);
	r = r ? r : bootcfg_spend(out, BOOTCFG_READ, strlen(text), name, 0,
		NULL);
	if (r == 0) {
		/* one allocation for the line buffers, off the stack */
		x = calloc(1, sizeof(*x));
		if (!x) {
			r = bootcfg_refuse(out, -ENOMEM, "%s: out of memory",
				name);
		} else {
			x->c = out;
			x->name = name;
			r = parse(x, text, vars);
			ipxe_free(x);
		}
	}
	bootcfg_end(out, &own);
	return r;
}

int bootcfg_ipxe(const char *text, const char *name, struct boot_config *out)
{
	return bootcfg_ipxe_vars(text, name, NULL, out);
}
