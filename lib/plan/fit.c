/* u-boot FIT images (an .itb from mkimage -f): the images, the
 * configurations and the default read from the tree, the configuration
 * for this machine chosen by its compatible strings, and the images'
 * hashes checked. The format is u-boot's doc/usage/fit/source_file_format.rst
 * ("the FIT format" below); where it is silent, what u-boot's
 * boot/image-fit.c does. Pure: bytes in, a result out. */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <bearssl.h>
#include <libfdt.h>

#include "fit.h"
#include "hop.h"
#include "inflate.h"
#include "sha256.h"

/* the FIT format's "Hash nodes" and u-boot's FIT_HASH_NODENAME /
 * FIT_SIG_NODENAME: a node whose name starts so is one */
#define HASH_PREFIX "hash"
#define SIG_PREFIX "signature"
#define HASH_MAX 64	/* sha512's digest, the largest */

static uint32_t rd32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
		(uint32_t)p[2] << 8 | p[3];
}

/* the header read bytewise (buf may be unaligned here): an FDT whose
 * totalsize is inside len. Versions before 16 make Debian's libfdt 1.6.1
 * fdt_check_full() dereference NULL (lib/plan/dtb.c), so they are not
 * one; mkimage writes 17. */
static int is_fdt(const uint8_t *buf, size_t len)
{
	return len >= sizeof(struct fdt_header) && rd32(buf) == FDT_MAGIC &&
		rd32(buf + 4) >= sizeof(struct fdt_header) &&
		rd32(buf + 4) <= len && rd32(buf + 20) >= 16;
}

/* an aligned copy of the tree at buf when buf is not aligned, else buf:
 * libfdt loads 32- and 64-bit words (SIGBUS on arm). *copy is what the
 * caller frees. NULL without memory. */
static const void *aligned_tree(const uint8_t *buf, size_t size, void **copy)
{
	*copy = NULL;
	if (!((uintptr_t)buf & 7)) {
		return buf;
	}
	if (posix_memalign(copy, 8, size ? size : 8)) {
		*copy = NULL;
		return NULL;
	}
	memcpy(*copy, buf, size);
	return *copy;
}

int fit_probe(const uint8_t *buf, size_t len)
{
	const void *fdt;
	void *copy;
	uint32_t total;
	int r = 0;

	if (!is_fdt(buf, len)) {
		return 0;
	}
	total = rd32(buf + 4);
	fdt = aligned_tree(buf, total, &copy);
	/* the FIT format's "Root-node properties": both nodes are
	 * mandatory; a board's device tree has neither */
	if (fdt && !fdt_check_full(fdt, total) &&
		fdt_subnode_offset(fdt, 0, "images") >= 0 &&
		fdt_subnode_offset(fdt, 0, "configurations") >= 0) {
		r = 1;
	}
	free(copy);
	return r;
}

/* a string property: 0 and *s when it is there and holds a NUL (a
 * string list: its first string), -ENOENT when absent, -EINVAL when its
 * bytes run to its end without one */
static int get_str(const void *fit, int node, const char *prop,
	const char **s)
{
	const char *v;
	int len;

	*s = NULL;
	v = fdt_getprop(fit, node, prop, &len);
	if (!v) {
		return -ENOENT;
	}
	if (len < 1 || !memchr(v, '\0', (size_t)len)) {
		return -EINVAL;
	}
	*s = v;
	return 0;
}

/* a number of one cell (u-boot reads data-offset, data-position and
 * data-size as one fdt32) or, with two allowed, of two (load and entry
 * take #address-cells, 1 or 2, in the FIT format's "/images node") */
static int get_num(const void *fit, int node, const char *prop, int cells2,
	uint64_t *out)
{
	const uint8_t *v;
	int len;

	v = fdt_getprop(fit, node, prop, &len);
	if (!v) {
		return -ENOENT;
	}
	if (len == 4) {
		*out = rd32(v);
	} else if (len == 8 && cells2) {
		*out = (uint64_t)rd32(v) << 32 | rd32(v + 4);
	} else {
		return -EINVAL;
	}
	return 0;
}

/* a string property's refusal, or its absence when it is mandatory */
static int str_fail(int err, const char *what, const char *name,
	const char *prop, char *why, size_t whysz)
{
	if (err == -ENOENT) {
		return hop_why(why, whysz, -EINVAL, "%s %s has no \"%s\"",
			what, name, prop);
	}
	return hop_why(why, whysz, -EINVAL, "%s %s: \"%s\" is not a "
		"string (no NUL inside it)", what, name, prop);
}

static enum fit_type type_of(const char *t)
{
	if (!strcmp(t, "kernel") || !strcmp(t, "kernel_noload")) {
		return FIT_KERNEL;
	}
	if (!strcmp(t, "flat_dt")) {
		return FIT_FDT;
	}
	if (!strcmp(t, "ramdisk")) {
		return FIT_RAMDISK;
	}
	return FIT_OTHER;
}

/* where an image's bytes are. u-boot's fit_image_get_data() order: a
 * "data-position" (absolute), else a "data-offset" (after the tree,
 * rounded up to 4: the FIT format's "External data"), each with
 * "data-size"; else the "data" property itself. The span is checked
 * in 64 bits, so no offset and size can wrap around len. */
static int image_data(const uint8_t *buf, size_t len, int node,
	struct fit_image *im, char *why, size_t whysz)
{
	uint64_t pos, size;
	const uint8_t *v;
	const char *which = "data-position";
	int err, plen;

	err = get_num(buf, node, "data-position", 0, &pos);
	if (err == -ENOENT) {
		which = "data-offset";
		err = get_num(buf, node, "data-offset", 0, &pos);
		if (!err) {
			pos += ((uint64_t)rd32(buf + 4) + 3) & ~(uint64_t)3;
		}
	}
	if (err == -ENOENT) {
		v = fdt_getprop(buf, node, "data", &plen);
		if (!v) {
			return hop_why(why, whysz, -EINVAL, "image %s has "
				"no data (no \"data\", \"data-offset\" or "
				"\"data-position\")", im->name);
		}
		/* inside the tree: fdt_check_full() checked that */
		im->data_off = (uint64_t)(v - buf);
		im->data_len = (uint64_t)plen;
		return 0;
	}
	if (err < 0) {
		return hop_why(why, whysz, -EINVAL, "image %s: \"%s\" is "
			"not one 32-bit cell", im->name, which);
	}
	err = get_num(buf, node, "data-size", 0, &size);
	if (err < 0) {
		return hop_why(why, whysz, -EINVAL, "image %s: \"%s\" "
			"without a \"data-size\" of one 32-bit cell", im->name,
			which);
	}
	if (pos > len || size > len - pos) {
		return hop_why(why, whysz, -EINVAL, "image %s: its data "
			"(%llu bytes at %llu) ends past the file's end (%zu "
			"bytes)", im->name, (unsigned long long)size,
			(unsigned long long)pos, len);
	}
	im->data_off = pos;
	im->data_len = size;
	return 0;
}

static int parse_image(const uint8_t *buf, size_t len, int node,
	struct fit_image *im, char *why, size_t whysz)
{
	static const char *const opt[] = { "compression", "arch", "os" };
	const char **dst[] = { &im->comp, &im->arch, &im->os };
	const char *type;
	size_t i;
	int err;

	im->node = node;
	im->name = fdt_get_name(buf, node, NULL);
	if (!im->name) {
		return hop_why(why, whysz, -EINVAL, "an image node "
			"without a name");
	}
	/* "type" is mandatory in the FIT format's "/images node" */
	if ((err = get_str(buf, node, "type", &type)) < 0) {
		return str_fail(err, "image", im->name, "type", why, whysz);
	}
	im->type = type_of(type);
	for (i = 0; i < sizeof(opt) / sizeof(opt[0]); i++) {
		err = get_str(buf, node, opt[i], dst[i]);
		if (err == -EINVAL) {
			return str_fail(err, "image", im->name, opt[i], why,
				whysz);
		}
	}
	err = get_num(buf, node, "load", 1, &im->load);
	if (err == -EINVAL) {
		return hop_why(why, whysz, -EINVAL, "image %s: \"load\" "
			"is not 1 or 2 cells", im->name);
	}
	im->has_load = !err;
	err = get_num(buf, node, "entry", 1, &im->entry);
	if (err == -EINVAL) {
		return hop_why(why, whysz, -EINVAL, "image %s: \"entry\" "
			"is not 1 or 2 cells", im->name);
	}
	im->has_entry = !err;
	return image_data(buf, len, node, im, why, whysz);
}

static const char *const role_name[] = { "kernel", "fdt", "ramdisk" };
static const enum fit_type role_type[] = { FIT_KERNEL, FIT_FDT,
	FIT_RAMDISK };

/* the image a configuration's property names (its first string), which
 * must be there and of the role's type (u-boot's fit_image_load() checks
 * the type too): 0 and *idx, -1 when the property is absent */
static int conf_image(const struct fit *f, const struct fit_conf *c, int role,
	int *idx, char *why, size_t whysz)
{
	const char *name;
	size_t i;
	int err;

	*idx = -1;
	err = get_str(f->buf, c->node, role_name[role], &name);
	if (err == -ENOENT) {
		return 0;
	}
	if (err < 0) {
		return str_fail(err, "configuration", c->name, role_name[role],
			why, whysz);
	}
	for (i = 0; i < f->nimages && strcmp(f->img[i].name, name); i++) {
	}
	if (i == f->nimages) {
		return hop_why(why, whysz, -EINVAL, "configuration %s: "
			"%s \"%s\" is not an image of /images", c->name,
			role_name[role], name);
	}
	if (f->img[i].type != role_type[role]) {
		return hop_why(why, whysz, -EINVAL, "configuration %s: "
			"%s \"%s\" is not a %s image", c->name, role_name[role],
			name, role_name[role]);
	}
	*idx = (int)i;
	return 0;
}

static int parse_conf(struct fit *f, int node, struct fit_conf *c, char *why,
	size_t whysz)
{
	int *idx[] = { &c->kernel, &c->fdt, &c->ramdisk };
	const char *name;
	int err, sub, r;

	c->node = node;
	c->name = fdt_get_name(f->buf, node, NULL);
	if (!c->name) {
		return hop_why(why, whysz, -EINVAL, "a configuration node "
			"without a name");
	}
	if (get_str(f->buf, node, "description", &c->desc) == -EINVAL) {
		return str_fail(-EINVAL, "configuration", c->name,
			"description", why, whysz);
	}
	if (get_str(f->buf, node, "compatible", &c->compatible) == -EINVAL) {
		return str_fail(-EINVAL, "configuration", c->name,
			"compatible", why, whysz);
	}
	for (r = 0; r < 3; r++) {
		if ((err = conf_image(f, c, r, idx[r], why, whysz)) < 0) {
			return err;
		}
	}
	fdt_for_each_subnode(sub, f->buf, node) {
		name = fdt_get_name(f->buf, sub, NULL);
		if (name && !strncmp(name, SIG_PREFIX, strlen(SIG_PREFIX))) {
			c->signed_ = 1;
		}
	}
	return 0;
}

/* the nodes under /images or /configurations: two of one name would
 * make a configuration's reference, or hop.entry, ambiguous */
static int dup_name(const char *name, const char *const *names, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++) {
		if (!strcmp(names[i], name)) {
			return 1;
		}
	}
	return 0;
}

int fit_parse(const uint8_t *buf, size_t len, struct fit *f, char *why,
	size_t whysz)
{
	const char *names[FIT_MAX_IMAGES > FIT_MAX_CONFS ? FIT_MAX_IMAGES :
		FIT_MAX_CONFS];
	const char *def;
	int images, confs, node, err;
	size_t i;

	memset(f, 0, sizeof(*f));
	f->def = -1;
	f->buf = buf;
	f->len = len;
	if (len < 4 || rd32(buf) != FDT_MAGIC) {
		return hop_why(why, whysz, -ENOEXEC, "not a flattened "
			"device tree (no magic d00dfeed)");
	}
	/* a FIT cut short is a broken FIT, not another format */
	if (!is_fdt(buf, len)) {
		return hop_why(why, whysz, -EINVAL, "truncated or bad "
			"header: %zu bytes, totalsize %u, version %u", len,
			len >= 8 ? rd32(buf + 4) : 0,
			len >= 24 ? rd32(buf + 20) : 0);
	}
	if ((uintptr_t)buf & 7) {
		return hop_why(why, whysz, -EINVAL, "the buffer is not "
			"8-byte aligned (the caller copies it)");
	}
	/* every offset, name and property inside the tree and every name
	 * NUL-terminated inside its block, before anything is read */
	err = fdt_check_full(buf, rd32(buf + 4));
	if (err < 0) {
		return hop_why(why, whysz, -EINVAL, "corrupt tree: %s",
			fdt_strerror(err));
	}
	images = fdt_subnode_offset(buf, 0, "images");
	confs = fdt_subnode_offset(buf, 0, "configurations");
	if (images < 0 || confs < 0) {
		return hop_why(why, whysz, -ENOEXEC, "a device tree "
			"without /images and /configurations (not a FIT)");
	}
	fdt_for_each_subnode(node, buf, images) {
		if (f->nimages == FIT_MAX_IMAGES) {
			return hop_why(why, whysz, -EINVAL, "more than %d "
				"images", FIT_MAX_IMAGES);
		}
		err = parse_image(buf, len, node, &f->img[f->nimages], why,
			whysz);
		if (err < 0) {
			return err;
		}
		if (dup_name(f->img[f->nimages].name, names, f->nimages)) {
			return hop_why(why, whysz, -EINVAL, "two images "
				"named %s", f->img[f->nimages].name);
		}
		names[f->nimages] = f->img[f->nimages].name;
		f->nimages++;
	}
	/* "At least one sub-image is required", "At least one of the
	 * configuration sub-nodes is required" */
	if (!f->nimages) {
		return hop_why(why, whysz, -EINVAL, "/images is empty");
	}
	fdt_for_each_subnode(node, buf, confs) {
		if (f->nconfs == FIT_MAX_CONFS) {
			return hop_why(why, whysz, -EINVAL, "more than %d "
				"configurations", FIT_MAX_CONFS);
		}
		err = parse_conf(f, node, &f->conf[f->nconfs], why, whysz);
		if (err < 0) {
			return err;
		}
		if (dup_name(f->conf[f->nconfs].name, names, f->nconfs)) {
			return hop_why(why, whysz, -EINVAL, "two "
				"configurations named %s",
				f->conf[f->nconfs].name);
		}
		names[f->nconfs] = f->conf[f->nconfs].name;
		f->nconfs++;
	}
	if (!f->nconfs) {
		return hop_why(why, whysz, -EINVAL, "/configurations is "
			"empty");
	}
	err = get_str(buf, confs, "default", &def);
	if (err == -EINVAL) {
		return str_fail(err, "node", "/configurations", "default", why,
			whysz);
	}
	if (!err) {
		for (i = 0; i < f->nconfs; i++) {
			if (!strcmp(f->conf[i].name, def)) {
				break;
			}
		}
		if (i == f->nconfs) {
			return hop_why(why, whysz, -EINVAL, "the default "
				"configuration \"%s\" is not one of "
				"/configurations", def);
		}
		f->def = (int)i;
	}
	return 0;
}

/* the smallest i whose compat[i] is one of the strings of the list
 * v[0..len) (a "compatible" property), ncompat when none is */
static size_t rank_list(const char *v, int len, const char *const *compat,
	size_t ncompat)
{
	const char *p, *end = v + len;
	size_t i, best = ncompat, n;

	for (p = v; p < end; p += n + 1) {
		n = strnlen(p, (size_t)(end - p));
		if (n == (size_t)(end - p)) {
			break;	/* the last string has no NUL */
		}
		for (i = 0; i < best; i++) {
			if (compat[i] && !strcmp(compat[i], p)) {
				best = i;
			}
		}
	}
	return best;
}

/* how well configuration c matches compat: its own "compatible" list,
 * else its fdt image's root "compatible" when that tree is stored
 * uncompressed (the FIT format's "Configuration nodes", compatible).
 * The tree is copied to be aligned and checked whole, its span being
 * any bytes of the file. ncompat when it does not match; -ENOMEM. */
static long rank_conf(const struct fit *f, const struct fit_conf *c,
	const char *const *compat, size_t ncompat)
{
	const struct fit_image *im;
	const uint8_t *data;
	const char *v;
	void *copy;
	size_t r = ncompat;
	int len;

	v = fdt_getprop(f->buf, c->node, "compatible", &len);
	if (v) {
		return (long)rank_list(v, len, compat, ncompat);
	}
	if (c->fdt < 0) {
		return (long)ncompat;
	}
	im = &f->img[c->fdt];
	data = f->buf + im->data_off;
	if ((im->comp && strcmp(im->comp, "none")) ||
		!is_fdt(data, (size_t)im->data_len)) {
		return (long)ncompat;
	}
	if (posix_memalign(&copy, 8, rd32(data + 4))) {
		return -ENOMEM;
	}
	memcpy(copy, data, rd32(data + 4));
	if (!fdt_check_full(copy, rd32(data + 4))) {
		v = fdt_getprop(copy, 0, "compatible", &len);
		if (v) {
			r = rank_list(v, len, compat, ncompat);
		}
	}
	free(copy);
	return (long)r;
}

int fit_choose(const struct fit *f, const char *want,
	const char *const *compat, size_t ncompat, char *why, size_t whysz)
{
	size_t i, best_rank = ncompat;
	int best = -1;
	long r;

	if (want && *want) {
		for (i = 0; i < f->nconfs; i++) {
			if (!strcmp(f->conf[i].name, want)) {
				return (int)i;
			}
		}
		return hop_why(why, whysz, -ENOENT, "no configuration "
			"named %s", want);
	}
	/* u-boot's fit_conf_find_compat() ranks the same way: the match
	 * with the most specific of the machine's strings, the first
	 * configuration of equals */
	for (i = 0; i < f->nconfs && ncompat; i++) {
		r = rank_conf(f, &f->conf[i], compat, ncompat);
		if (r < 0) {
			return hop_why(why, whysz, (int)r, "out of memory "
				"for configuration %s's tree", f->conf[i].name);
		}
		if ((size_t)r < best_rank) {
			best_rank = (size_t)r;
			best = (int)i;
		}
	}
	if (best >= 0) {
		return best;
	}
	if (f->def >= 0) {
		return f->def;
	}
	return hop_why(why, whysz, -ENOENT, "no configuration matches "
		"this machine (%s%s) and none is the default", ncompat &&
		compat[0] ? compat[0] : "no compatible", ncompat > 1 ?
		", ..." : "");
}

static void hex(char *out, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	size_t i;

	for (i = 0; i < n; i++) {
		out[2 * i] = digits[p[i] >> 4];
		out[2 * i + 1] = digits[p[i] & 15];
	}
	out[2 * n] = '\0';
}

/* the digest of data by algo into out: its length, 0 when algo is not
 * one hop computes. sha256 is hop's own (lib/base/sha256.c); sha1,
 * sha384 and sha512 BearSSL's, on every link line (configs/ARCH.mk
 * TLS_LIB); crc32 is gzip's CRC-32 (lib/plan/inflate.c, in every build:
 * libdeflate's own brings 12 KB of tables), the 4-byte big-endian cell
 * u-boot's crc32 hash writes */
static size_t digest(const char *algo, const uint8_t *data, size_t n,
	uint8_t out[HASH_MAX])
{
	const br_hash_class *vt = NULL;
	br_hash_compat_context ctx;
	struct sha256 s;
	size_t len = 0;
	uint32_t crc;

	if (!strcmp(algo, "sha256")) {
		sha256_init(&s);
		sha256_update(&s, data, n);
		sha256_final(&s, out);
		return 32;
	}
	if (!strcmp(algo, "crc32")) {
		crc = inflate_crc32(data, n);
		out[0] = (uint8_t)(crc >> 24);
		out[1] = (uint8_t)(crc >> 16);
		out[2] = (uint8_t)(crc >> 8);
		out[3] = (uint8_t)crc;
		return 4;
	}
	if (!strcmp(algo, "sha1")) {
		vt = &br_sha1_vtable;
		len = br_sha1_SIZE;
	} else if (!strcmp(algo, "sha384")) {
		vt = &br_sha384_vtable;
		len = br_sha384_SIZE;
	} else if (!strcmp(algo, "sha512")) {
		vt = &br_sha512_vtable;
		len = br_sha512_SIZE;
	}
	if (!vt) {
		return 0;
	}
	vt->init(&ctx.vtable);
	vt->update(&ctx.vtable, data, n);
	vt->out(&ctx.vtable, out);
	return len;
}

/* every hash node of image im */
static int verify_image(const struct fit *f, const struct fit_image *im,
	unsigned *count, char *why, size_t whysz)
{
	char want_hex[2 * HASH_MAX + 1], got_hex[2 * HASH_MAX + 1];
	const uint8_t *data = f->buf + im->data_off;
	uint8_t got[HASH_MAX];
	const char *name, *algo;
	const uint8_t *value;
	size_t n;
	int node, len, err;

	fdt_for_each_subnode(node, f->buf, im->node) {
		name = fdt_get_name(f->buf, node, NULL);
		if (!name || strncmp(name, HASH_PREFIX, strlen(HASH_PREFIX))) {
			continue;
		}
		if ((err = get_str(f->buf, node, "algo", &algo)) < 0) {
			return hop_why(why, whysz, -EINVAL, "image %s: "
				"hash node %s: %s \"algo\"", im->name, name,
				err == -ENOENT ? "no" : "a non-string");
		}
		value = fdt_getprop(f->buf, node, "value", &len);
		if (!value) {
			return hop_why(why, whysz, -EINVAL, "image %s: "
				"hash node %s has no \"value\"", im->name,
				name);
		}
		/* md5 is what mkimage offers besides these. Left out on
		 * purpose (collisions are made in seconds): a FIT that
		 * rests on it is refused in words, to be remade */
		if (!strcmp(algo, "md5")) {
			return hop_why(why, whysz, -ENOTSUP, "image %s: "
				"hash node %s: md5 is not supported (make the "
				"FIT with sha256)", im->name, name);
		}
		n = digest(algo, data, (size_t)im->data_len, got);
		if (!n) {
			return hop_why(why, whysz, -ENOTSUP, "image %s: "
				"hash node %s: unknown algo \"%.32s\" (hop "
				"checks sha256, sha1, sha384, sha512, crc32)",
				im->name, name, algo);
		}
		hex(got_hex, got, n);
		if ((size_t)len != n) {
			return hop_why(why, whysz, -EBADMSG, "image %s: "
				"hash node %s: %s value is %d bytes, not %zu "
				"(got %s)", im->name, name, algo, len, n,
				got_hex);
		}
		if (memcmp(value, got, n)) {
			hex(want_hex, value, n);
			return hop_why(why, whysz, -EBADMSG, "image %s: "
				"hash node %s: %s mismatch: expected %s, got "
				"%s", im->name, name, algo, want_hex, got_hex);
		}
		(*count)++;
	}
	return 0;
}

int fit_verify(const struct fit *f, int conf, unsigned *verified, char *why,
	size_t whysz)
{
	const struct fit_conf *c;
	unsigned count = 0;
	int idx[3], r, k, err;

	if (verified) {
		*verified = 0;
	}
	if (conf < 0 || (size_t)conf >= f->nconfs) {
		return hop_why(why, whysz, -EINVAL, "no configuration %d",
			conf);
	}
	c = &f->conf[conf];
	idx[0] = c->kernel;
	idx[1] = c->fdt;
	idx[2] = c->ramdisk;
	for (r = 0; r < 3; r++) {
		/* an image in two roles is checked once (the types make
		 * that impossible today; the count stays honest anyway) */
		for (k = 0; k < r && idx[k] != idx[r]; k++) {
		}
		if (idx[r] < 0 || k < r) {
			continue;
		}
		err = verify_image(f, &f->img[idx[r]], &count, why, whysz);
		if (err < 0) {
			return err;
		}
	}
	if (verified) {
		*verified = count;
	}
	return 0;
}
