/* Which parts of a Unified Kernel Image or a FIT image boot (container.h).
 * Pure: the parsers (uki.c, fit.c) read the file; this picks the profile
 * or configuration, checks the arch and the hashes, and says where the
 * kernel, initrd and tree are. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "hop.h"
#if HOP_FEAT_UKI
#include "uki.h"
#endif
#if HOP_FEAT_FIT
#include "fit.h"
#endif

const char *container_kind_name(enum container_kind k)
{
	return k == CONTAINER_UKI ? "Unified Kernel Image" :
		k == CONTAINER_FIT ? "FIT image" : "kernel";
}

enum container_kind container_probe(const uint8_t *head, size_t len)
{
#if HOP_FEAT_UKI
	if (uki_probe(head, len)) {
		return CONTAINER_UKI;
	}
#endif
#if HOP_FEAT_FIT
	/* a FIT's /configurations follows its inline images, megabytes in:
	 * the magic is enough here, fit_parse tells a FIT from another
	 * tree (which is no kernel either) */
	if (len >= 4 && head[0] == 0xd0 && head[1] == 0x0d &&
		head[2] == 0xfe && head[3] == 0xed) {
		return CONTAINER_FIT;
	}
#endif
	(void)head, (void)len;
	return CONTAINER_NONE;
}

#if HOP_FEAT_UKI
/* PE Machine values, for messages (PE/COFF specification, "Machine
 * Types"); arm's stubs are Thumb-2 (ARMNT), its older images ARM */
static const struct {
	uint16_t machine;
	const char *name;
} pe_machines[] = {
	{ 0x8664, "x86_64" }, { 0xaa64, "arm64" }, { 0x01c2, "arm" },
	{ 0x01c4, "arm" }, { 0x014c, "i386" }, { 0x5064, "riscv64" },
	{ 0x6264, "loongarch64" },
};

static const char *pe_machine_name(uint16_t m)
{
	size_t i;

	for (i = 0; i < sizeof(pe_machines) / sizeof(pe_machines[0]); i++) {
		if (pe_machines[i].machine == m) {
			return pe_machines[i].name;
		}
	}
	return "an unknown machine";
}

static int all_digits(const char *s)
{
	if (!*s) {
		return 0;
	}
	for (; *s; s++) {
		if (*s < '0' || *s > '9') {
			return 0;
		}
	}
	return 1;
}

/* a profile's ID= (its .profile section), "" when it has none */
static void profile_id(const uint8_t *buf, const struct uki_view *v,
	char *id, size_t sz)
{
	const struct uki_span *s = &v->s[UKI_PROFILE];

	if (!s->len || uki_osrel(buf + s->off, (size_t)s->len, "ID", id,
		sz) < 0) {
		id[0] = '\0';
	}
}

/* the profile want names: by index ("0", "1": systemd-boot's "@N") or
 * by its .profile's ID= */
static int pick_profile(const uint8_t *buf, const struct uki *u,
	const char *want, size_t *k, char *why, size_t whysz)
{
	size_t n = u->nprofiles ? u->nprofiles : 1, i;
	struct uki_view v;
	char id[CONTAINER_NAME_MAX];

	*k = 0;
	if (!want || !*want) {
		return 0;
	}
	if (all_digits(want)) {
		*k = strlen(want) < 4 ? (size_t)atoi(want) : n;
		if (*k >= n) {
			return hop_why(why, whysz, -ENOENT, "no profile %s: "
				"it has %zu (0 to %zu)", want, n, n - 1);
		}
		return 0;
	}
	for (i = 0; i < n; i++) {
		if (uki_view(u, i, &v) == 0) {
			profile_id(buf, &v, id, sizeof(id));
			if (id[0] && !strcmp(id, want)) {
				*k = i;
				return 0;
			}
		}
	}
	return hop_why(why, whysz, -ENOENT, "no profile with ID=%s (it has "
		"%zu: name one by its index or its .profile's ID=)", want, n);
}

static int plan_uki(const uint8_t *buf, size_t len, const char *want,
	const struct container_arch *arch, struct container_plan *p,
	char *why, size_t whysz)
{
	struct uki *u = malloc(sizeof(*u));
	struct uki_view v;
	char id[CONTAINER_NAME_MAX / 2];
	size_t k = 0;
	int err;

	if (!u) {
		return -ENOMEM;
	}
	err = uki_parse(buf, len < UKI_HEAD_MAX ? len : UKI_HEAD_MAX, len, u,
		why, whysz);
	/* arm's PE images are ARM (0x1c2) or Thumb-2 (0x1c4) */
	if (!err && u->machine != arch->pe_machine &&
		!(arch->pe_machine == 0x01c2 && u->machine == 0x01c4)) {
		err = hop_why(why, whysz, -EXDEV, "made for %s (PE machine "
			"0x%04x), not for %s", pe_machine_name(u->machine),
			u->machine, pe_machine_name(arch->pe_machine));
	}
	err = err ? err : pick_profile(buf, u, want, &k, why, whysz);
	err = err ? err : uki_view(u, k, &v);
	if (err) {
		free(u);
		return err;
	}
	p->kernel.off = v.s[UKI_LINUX].off;
	p->kernel.len = v.s[UKI_LINUX].len;
	p->initrd.off = v.s[UKI_INITRD].off;
	p->initrd.len = v.s[UKI_INITRD].len;
	if (arch->uses_dtb) {
		p->dtb.off = v.s[UKI_DTB].off;
		p->dtb.len = v.s[UKI_DTB].len;
	}
	if (v.s[UKI_CMDLINE].len) {
		err = uki_cmdline(buf + v.s[UKI_CMDLINE].off,
			(size_t)v.s[UKI_CMDLINE].len, p->cmdline,
			sizeof(p->cmdline));
		if (err) {
			free(u);
			return hop_why(why, whysz, -EINVAL, ".cmdline: %s", err ==
				-E2BIG ? "longer than a command line" : "not a "
				"command line (a control byte, or not UTF-8)");
		}
		p->has_cmdline = 1;
	}
	profile_id(buf, &v, id, sizeof(id));
	snprintf(p->name, sizeof(p->name), "profile %zu%s%s%s", k,
		id[0] ? " (ID=" : "", id, id[0] ? ")" : "");
	free(u);
	return 0;
}
#endif

#if HOP_FEAT_FIT
static int plan_fit(const uint8_t *buf, size_t len, const char *want,
	const char *const *compat, size_t ncompat,
	const struct container_arch *arch, struct container_plan *p,
	char *why, size_t whysz)
{
	struct fit *f = malloc(sizeof(*f));
	const struct fit_conf *c;
	const struct fit_image *k;
	int err, i;

	if (!f) {
		return -ENOMEM;
	}
	err = fit_parse(buf, len, f, why, whysz);
	i = err ? err : fit_choose(f, want, compat, ncompat, why, whysz);
	if (i < 0) {
		free(f);
		return i;
	}
	c = &f->conf[i];
	snprintf(p->name, sizeof(p->name), "configuration %s", c->name);
	if (c->kernel < 0) {
		err = hop_why(why, whysz, -EINVAL, "configuration %s names no "
			"kernel", c->name);
		free(f);
		return err;
	}
	/* every hash of the images this configuration boots, before any
	 * of their bytes is used */
	err = fit_verify(f, i, &p->hashes, why, whysz);
	k = &f->img[c->kernel];
	if (!err && k->arch && strcmp(k->arch, arch->fit_arch)) {
		err = hop_why(why, whysz, -EXDEV, "kernel %s is made for %s, "
			"not for %s", k->name, k->arch, arch->fit_arch);
	}
	if (!err && k->comp && strcmp(k->comp, "none")) {
		if (strcmp(k->comp, "gzip")) {
			err = hop_why(why, whysz, -ENOTSUP, "kernel %s: "
				"compression %s (hop inflates gzip)", k->name,
				k->comp);
		}
		p->kernel_gzip = 1;
	}
	/* a ramdisk's compression is the kernel's to undo (an initramfs
	 * may be compressed): its bytes go as stored, as u-boot's do */
	if (!err && arch->uses_dtb && c->fdt >= 0) {
		const struct fit_image *d = &f->img[c->fdt];

		if (d->comp && strcmp(d->comp, "none")) {
			err = hop_why(why, whysz, -ENOTSUP, "fdt %s: "
				"compression %s (a tree is passed as stored)",
				d->name, d->comp);
		}
		p->dtb.off = d->data_off;
		p->dtb.len = d->data_len;
	}
	p->kernel.off = k->data_off;
	p->kernel.len = k->data_len;
	if (c->ramdisk >= 0) {
		p->initrd.off = f->img[c->ramdisk].data_off;
		p->initrd.len = f->img[c->ramdisk].data_len;
	}
	p->fit_signed = c->signed_;
	free(f);
	return err;
}
#endif

int container_plan(const uint8_t *buf, size_t len, const char *want,
	const char *const *compat, size_t ncompat,
	const struct container_arch *arch, struct container_plan *p,
	char *why, size_t whysz)
{
	memset(p, 0, sizeof(*p));
	p->kind = container_probe(buf, len < CONTAINER_PROBE_LEN ? len :
		CONTAINER_PROBE_LEN);
	(void)want, (void)compat, (void)ncompat, (void)arch;
#if HOP_FEAT_UKI
	if (p->kind == CONTAINER_UKI) {
		return plan_uki(buf, len, want, arch, p, why, whysz);
	}
#endif
#if HOP_FEAT_FIT
	if (p->kind == CONTAINER_FIT) {
		return plan_fit(buf, len, want, compat, ncompat, arch, p, why,
			whysz);
	}
#endif
	return hop_why(why, whysz, -ENOEXEC, "not a Unified Kernel Image nor "
		"a FIT image");
}
