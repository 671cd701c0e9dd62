/* Unified Kernel Images: the PE headers and section table read, each
 * section a span of the file, profiles resolved; os-release and command
 * line texts decoded (uki.h). Pure: bytes in, spans and strings out.
 *
 * Sources: the Microsoft PE/COFF specification ("MS-DOS Stub", "Signature
 * (Image Only)", "COFF File Header (Object and Image)", "Optional Header
 * (Image Only)", "Section Table (Section Headers)"); the UAPI group's
 * "Unified Kernel Image" specification for the section names and what
 * they hold; systemd's src/boot/pe.c for what systemd-stub does where the
 * two leave room (a section's bytes are min(VirtualSize, SizeOfRawData),
 * profiles split at each .profile) and os-release(5) with systemd's
 * env-file parser for the quoting. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "hop.h"
#include "plan.h"
#include "uki.h"

/* PE/COFF: "MZ", the PE header's offset at 0x3c (e_lfanew), "PE\0\0",
 * the 20-byte COFF header, the optional header, then the section table */
#define DOS_HDR 0x40
#define DOS_LFANEW 0x3c
#define PE_SIG 4
#define COFF_MACHINE 0
#define COFF_NSECT 2
#define COFF_OPTSZ 16
#define COFF_HDR 20
#define OPT_MAGIC_PE32 0x10b
#define OPT_MAGIC_PE32PLUS 0x20b
#define SECT_HDR 40
#define SECT_VSIZE 8
#define SECT_RAWSIZE 16
#define SECT_RAWPTR 20
#define SECT_NAME 8

/* the sections of enum uki_sect, by name (the UKI specification's table;
 * .profile: systemd 257's multi-profile UKIs) */
static const char *const sect_names[UKI_NSECT] = {
	[UKI_LINUX] = ".linux",
	[UKI_INITRD] = ".initrd",
	[UKI_CMDLINE] = ".cmdline",
	[UKI_DTB] = ".dtb",
	[UKI_UNAME] = ".uname",
	[UKI_OSREL] = ".osrel",
	[UKI_PROFILE] = ".profile",
};

/* which of ours the 8-byte Name field is, or -1. Shorter names are NUL
 * padded; a long name is "/N", an offset into the string table, which no
 * UKI section needs (all are 8 bytes or less), so never one of ours */
static int sect_id(const uint8_t *name)
{
	size_t n;
	int i;

	for (i = 0; i < UKI_NSECT; i++) {
		n = strlen(sect_names[i]);
		if (!memcmp(name, sect_names[i], n) &&
			(n == SECT_NAME || name[n] == '\0')) {
			return i;
		}
	}
	return -1;
}

/* a section name for a message: printable ASCII up to the first NUL,
 * anything else as '?' */
static const char *name_str(const uint8_t *name, char buf[SECT_NAME + 1])
{
	size_t i;

	for (i = 0; i < SECT_NAME && name[i]; i++) {
		buf[i] = name[i] > 0x20 && name[i] < 0x7f ? (char)name[i] : '?';
	}
	buf[i] = '\0';
	return buf;
}

/* the section table: its offset in head and its entries; 0 or -errno
 * with why. len is what the caller has (at most UKI_HEAD_MAX). */
static int pe_table(const uint8_t *head, size_t len, uint16_t *machine,
	size_t *tab, size_t *n, char *why, size_t whysz)
{
	size_t pe, opt, end;
	uint16_t magic;

	if (len < 2) {
		return hop_why(why, whysz, -EINVAL, "%zu bytes: too short for "
			"a PE file", len);
	}
	if (head[0] != 'M' || head[1] != 'Z') {
		return hop_why(why, whysz, -ENOEXEC, "not a PE file (no MZ)");
	}
	if (len < DOS_HDR) {
		return hop_why(why, whysz, -EINVAL, "truncated: %zu bytes of "
			"the %d-byte DOS header", len, DOS_HDR);
	}
	/* below 0x40 the PE header would overlap the DOS header's own
	 * fields; systemd-stub refuses it too */
	pe = le32(head + DOS_LFANEW);
	if (pe < DOS_HDR) {
		return hop_why(why, whysz, -ENOEXEC, "not a PE image: its PE "
			"header at 0x%zx, inside the DOS header", pe);
	}
	if (pe > UKI_HEAD_MAX - PE_SIG - COFF_HDR - 2) {
		return hop_why(why, whysz, -EINVAL, "PE header at 0x%zx, past "
			"the first %d bytes", pe, UKI_HEAD_MAX);
	}
	if (len < pe + PE_SIG) {
		return hop_why(why, whysz, -EINVAL, "truncated: the PE "
			"signature at 0x%zx, %zu bytes given", pe, len);
	}
	if (memcmp(head + pe, "PE\0\0", PE_SIG)) {
		return hop_why(why, whysz, -ENOEXEC, "not a PE image (no PE "
			"signature at 0x%zx)", pe);
	}
	if (len < pe + PE_SIG + COFF_HDR + 2) {
		return hop_why(why, whysz, -EINVAL, "truncated: the COFF and "
			"optional headers at 0x%zx, %zu bytes given", pe, len);
	}
	pe += PE_SIG;
	*machine = le16(head + pe + COFF_MACHINE);
	*n = le16(head + pe + COFF_NSECT);
	opt = le16(head + pe + COFF_OPTSZ);
	magic = le16(head + pe + COFF_HDR);
	/* an image has an optional header (PE32 or PE32+); without one it
	 * is an object file, which no firmware starts */
	if (opt < 2 || (magic != OPT_MAGIC_PE32 &&
		magic != OPT_MAGIC_PE32PLUS)) {
		return hop_why(why, whysz, -ENOEXEC, "not a PE image (optional "
			"header magic 0x%x)", opt < 2 ? 0 : magic);
	}
	if (*n == 0) {
		return hop_why(why, whysz, -ENOEXEC, "a PE image without "
			"sections, so no .linux");
	}
	/* the specification's loader limit: a larger count is corruption,
	 * and it bounds the table to 3840 bytes */
	if (*n > UKI_MAX_SECTIONS) {
		return hop_why(why, whysz, -EINVAL, "%zu sections, more than "
			"the %d a PE image may have", *n, UKI_MAX_SECTIONS);
	}
	*tab = pe + COFF_HDR + opt;
	end = *tab + *n * SECT_HDR;
	if (end > UKI_HEAD_MAX) {
		return hop_why(why, whysz, -EINVAL, "the section table ends at "
			"0x%zx, past the first %d bytes", end, UKI_HEAD_MAX);
	}
	if (end > len) {
		return hop_why(why, whysz, -EINVAL, "truncated: the section "
			"table ends at 0x%zx, %zu bytes given", end, len);
	}
	return 0;
}

int uki_probe(const uint8_t *head, size_t head_len)
{
	size_t tab, n, i;
	uint16_t machine;

	if (head_len > UKI_HEAD_MAX) {
		head_len = UKI_HEAD_MAX;
	}
	if (pe_table(head, head_len, &machine, &tab, &n, NULL, 0) < 0) {
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (sect_id(head + tab + i * SECT_HDR) == UKI_LINUX) {
			return 1;
		}
	}
	return 0;
}

int uki_parse(const uint8_t *head, size_t head_len, uint64_t file_len,
	struct uki *u, char *why, size_t whysz)
{
	const uint8_t *s;
	struct uki_view *cur;
	char nb[SECT_NAME + 1];
	size_t tab, n, i, k, where;
	uint64_t off, len;
	unsigned seen = 0;
	int id, err, linux_named = 0;

	memset(u, 0, sizeof(*u));
	/* bytes past the file's end are no part of it */
	if (head_len > file_len) {
		head_len = (size_t)file_len;
	}
	if (head_len > UKI_HEAD_MAX) {
		head_len = UKI_HEAD_MAX;
	}
	err = pe_table(head, head_len, &u->machine, &tab, &n, why, whysz);
	if (err < 0) {
		u->machine = 0;
		return err;
	}
	cur = &u->base;
	for (i = 0; i < n; i++) {
		s = head + tab + i * SECT_HDR;
		off = le32(s + SECT_RAWPTR);
		/* VirtualSize above SizeOfRawData: the rest is zeros in
		 * memory, not in the file; below it: SizeOfRawData is
		 * FileAlignment's padding (UKI specification, systemd's
		 * pe.c). Every section, ours or not, must be inside the
		 * file: one past its end is a cut or corrupt file. */
		len = le32(s + SECT_VSIZE);
		if (le32(s + SECT_RAWSIZE) < len) {
			len = le32(s + SECT_RAWSIZE);
		}
		if (len && (off > file_len || len > file_len - off)) {
			memset(u, 0, sizeof(*u));
			return hop_why(why, whysz, -EINVAL, "section %zu (%s): "
				"bytes 0x%llx-0x%llx, past the file's end (%llu "
				"bytes)", i, name_str(s, nb),
				(unsigned long long)off,
				(unsigned long long)(off + len),
				(unsigned long long)file_len);
		}
		id = sect_id(s);
		if (id < 0) {
			continue;	/* the stub's own, .splash, .pcrsig ... */
		}
		if (id == UKI_PROFILE) {
			/* systemd 257: a .profile starts a profile, which
			 * runs up to the next one */
			if (u->nprofiles == UKI_MAX_PROFILES) {
				memset(u, 0, sizeof(*u));
				return hop_why(why, whysz, -EINVAL, "more than %d "
					"profiles (.profile sections)",
					UKI_MAX_PROFILES);
			}
			cur = &u->prof[u->nprofiles++];
			seen = 0;
		} else if (seen & 1u << id) {
			/* systemd-stub takes the first; another reader
			 * might take the second: which kernel boots would
			 * be a guess */
			where = u->nprofiles;
			memset(u, 0, sizeof(*u));
			if (!where) {
				return hop_why(why, whysz, -EINVAL, "two %s "
					"sections before the first .profile",
					sect_names[id]);
			}
			return hop_why(why, whysz, -EINVAL, "two %s sections in "
				"profile %zu", sect_names[id], where - 1);
		}
		seen |= 1u << id;
		linux_named |= id == UKI_LINUX;
		if (len) {
			cur->s[id].off = off;
			cur->s[id].len = len;
		}
	}
	if (!linux_named) {
		memset(u, 0, sizeof(*u));
		return hop_why(why, whysz, -ENOEXEC, "a PE image without a "
			".linux section: not a UKI");
	}
	/* every profile boots a kernel: its own or the base's */
	for (k = 0; k < (u->nprofiles ? u->nprofiles : 1); k++) {
		if (u->base.s[UKI_LINUX].len ||
			(u->nprofiles && u->prof[k].s[UKI_LINUX].len)) {
			continue;
		}
		where = u->nprofiles;
		memset(u, 0, sizeof(*u));
		if (!where) {
			return hop_why(why, whysz, -EINVAL, "an empty .linux "
				"section");
		}
		return hop_why(why, whysz, -EINVAL, "profile %zu has no .linux "
			"(or an empty one), and the base has none", k);
	}
	return 0;
}

int uki_view(const struct uki *u, size_t k, struct uki_view *out)
{
	size_t i;

	if (k >= (u->nprofiles ? u->nprofiles : 1)) {
		return -ENOENT;
	}
	*out = u->base;
	if (!u->nprofiles) {
		return 0;
	}
	for (i = 0; i < UKI_NSECT; i++) {
		if (u->prof[k].s[i].len) {
			out->s[i] = u->prof[k].s[i];
		}
	}
	return 0;
}

/* out[0, n) printable: valid UTF-8 without control bytes (C0, DEL, C1),
 * what hop's log prints as it is */
static int printable(const char *out, size_t n)
{
	const unsigned char *p = (const unsigned char *)out;
	size_t i = 0, l;

	while (i < n) {
		if (p[i] < 0x20 || p[i] == 0x7f) {
			return 0;
		}
		if (p[i] < 0x80) {
			i++;
			continue;
		}
		l = log_utf8_len(p + i, n - i);
		if (!l) {
			return 0;
		}
		i += l;
	}
	return 1;
}

static int is_blank(uint8_t c)
{
	return c == ' ' || c == '\t';
}

/* systemd's env-file parser ends a line at either */
static int is_newline(uint8_t c)
{
	return c == '\n' || c == '\r';
}

struct sink {
	char *out;	/* NULL: the value is walked, not kept */
	size_t size, n;
};

static void put(struct sink *k, uint8_t c)
{
	if (k->out && k->n + 1 < k->size) {
		k->out[k->n] = (char)c;
	}
	k->n++;
}

/* the value at text[*pos] (after the '='), up to its line's end, into k
 * (quotes removed, escapes applied, unquoted trailing blanks trimmed):
 * os-release(5), as systemd's parse_env_file reads it, so that a text
 * systemd takes gives the same value here. 0, or -EINVAL for an
 * unterminated quote, which runs to the text's end. */
static int value(const uint8_t *t, size_t len, size_t *pos, struct sink *k)
{
	size_t i = *pos, keep;
	uint8_t c, d;
	int err = 0;

	while (i < len && is_blank(t[i])) {
		i++;
	}
	keep = k->n;
	while (i < len && !is_newline(t[i])) {
		c = t[i++];
		if (c == '\'') {
			/* no escapes between single quotes */
			while (i < len && t[i] != '\'') {
				put(k, t[i++]);
			}
			if (i == len) {
				err = -EINVAL;
				break;
			}
			i++;
		} else if (c == '"') {
			/* \" \\ \$ \` are the character; backslash-newline
			 * joins lines; any other backslash stays */
			while (i < len && t[i] != '"') {
				c = t[i++];
				if (c != '\\' || i == len) {
					put(k, c);
					continue;
				}
				d = t[i++];
				if (d == '\n') {
					continue;
				}
				if (!strchr("\"\\$`", d)) {
					put(k, c);
				}
				put(k, d);
			}
			if (i == len) {
				err = -EINVAL;
				break;
			}
			i++;
		} else if (c == '\\') {
			/* unquoted: the next byte as it is, a newline
			 * joining lines */
			if (i < len) {
				d = t[i++];
				if (d != '\n') {
					put(k, d);
				}
			}
		} else {
			put(k, c);
			if (is_blank(c)) {
				continue;
			}
		}
		keep = k->n;
	}
	k->n = keep;
	*pos = i;
	return err;
}

int uki_osrel(const uint8_t *text, size_t len, const char *key, char *out,
	size_t outsz)
{
	struct sink k;
	size_t klen = strlen(key), i = 0, k0;
	int ret = -ENOENT, err, match;

	if (outsz) {
		out[0] = '\0';
	}
	if (!klen) {
		return -EINVAL;
	}
	while (i < len) {
		while (i < len && is_blank(text[i])) {
			i++;
		}
		if (i == len) {
			break;
		}
		if (is_newline(text[i])) {
			i++;
			continue;
		}
		/* KEY=: letters, digits, underscores (os-release(5)'s
		 * fields are upper case); a comment or any other line is
		 * skipped to its end */
		k0 = i;
		while (i < len && (text[i] == '_' ||
			(text[i] >= 'A' && text[i] <= 'Z') ||
			(text[i] >= 'a' && text[i] <= 'z') ||
			(text[i] >= '0' && text[i] <= '9'))) {
			i++;
		}
		match = i - k0 == klen && !memcmp(text + k0, key, klen);
		if (i == k0 || i == len || text[i] != '=') {
			while (i < len && !is_newline(text[i])) {
				i++;
			}
			continue;
		}
		i++;
		k = (struct sink){ .out = match ? out : NULL, .size = outsz };
		err = value(text, len, &i, &k);
		if (!match) {
			continue;
		}
		/* the last assignment wins, as in a shell */
		if (err == 0 && k.n + 1 > outsz) {
			err = -E2BIG;
		}
		if (err == 0 && !printable(out, k.n)) {
			err = -EINVAL;
		}
		if (err == 0) {
			out[k.n] = '\0';
		} else if (outsz) {
			out[0] = '\0';
		}
		ret = err;
	}
	return ret;
}

int uki_cmdline(const uint8_t *text, size_t len, char *out, size_t outsz)
{
	const uint8_t *nul = memchr(text, '\0', len);
	size_t i = 0, keep = 0, l;
	uint8_t c;

	if (outsz) {
		out[0] = '\0';
	}
	/* ukify and objcopy leave the file's bytes; some tools end the
	 * text with a NUL, as systemd-stub reads it: up to the first */
	if (nul) {
		len = (size_t)(nul - text);
	}
	while (i < len) {
		c = text[i];
		if (c == '\t' || c == '\n') {
			i++;
			continue;
		}
		if (c < 0x20 || c == 0x7f) {
			return -EINVAL;
		}
		if (c >= 0x80) {
			l = log_utf8_len(text + i, len - i);
			if (!l) {
				return -EINVAL;
			}
			i += l;
			keep = i;
			continue;
		}
		i++;
		if (c != ' ') {
			keep = i;
		}
	}
	if (keep + 1 > outsz) {
		return -E2BIG;
	}
	/* a command line is one line: the file's newlines (a trailing one
	 * from echo, or one option a line) and tabs are spaces */
	for (i = 0; i < keep; i++) {
		c = text[i];
		out[i] = c == '\t' || c == '\n' ? ' ' : (char)c;
	}
	out[keep] = '\0';
	return 0;
}
