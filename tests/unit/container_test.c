/* lib/plan/container.c: which parts of a Unified Kernel Image or a FIT
 * image boot. The UKIs are tests/mkuki.sh's real systemd-stub ones (their
 * heads from uki_fixtures.h in a buffer of the file's length, the
 * .cmdline written at its offset); the FITs tests/mkfit.sh's. */
#define _GNU_SOURCE
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "container.h"
#include "test.h"
#include "uki.h"
#include "uki_fixtures.h"

extern const uint8_t fit_itb[], fit_ext_itb[], fit_pos_itb[];
extern const size_t fit_itb_len, fit_ext_itb_len, fit_pos_itb_len;

static const struct container_arch x86 = { 0x8664, "x86_64", 0 };
static const struct container_arch x86_dtb = { 0x8664, "x86_64", 1 };
static const struct container_arch arm64 = { 0xaa64, "arm64", 1 };
static const struct container_arch arm = { 0x01c2, "arm", 1 };
static struct container_plan p;
static char why[512];

static uint8_t *aligned(size_t n)
{
	void *b;

	if (posix_memalign(&b, 8, n)) {
		abort();
	}
	memset(b, 0, n);
	return b;
}

/* x64.efi whole: its head, its .cmdline (31 bytes) as given */
static uint8_t *x64_uki(const char *cmdline31)
{
	uint8_t *b = aligned(UKI_X64_LEN);

	memcpy(b, uki_x64_head, sizeof(uki_x64_head));
	memcpy(b + 0x11600, cmdline31, 31);
	return b;
}

static void uki_parts(void)
{
	uint8_t *b = x64_uki("console=ttyS0\tquiet hop.x=1\n\n  ");
	int err;

	CHECK_INT("container_probe", container_probe(b, 4096), CONTAINER_UKI);
	err = container_plan(b, UKI_X64_LEN, NULL, NULL, 0, &x86, &p, why,
		sizeof(why));
	CHECK_INT("container_plan uki", err, 0);
	CHECK_INT("uki kind", p.kind, CONTAINER_UKI);
	CHECK_INT("uki kernel", p.kernel.off, 0x11e00);
	CHECK_INT("uki kernel len", p.kernel.len, 5003);
	CHECK_INT("uki initrd", p.initrd.off, 0x13200);
	CHECK_INT("uki initrd len", p.initrd.len, 3001);
	/* x86_64 passes no tree: the .dtb stays out */
	CHECK_INT("uki dtb on x86", p.dtb.len, 0);
	CHECK_INT("uki has cmdline", p.has_cmdline, 1);
	CHECK_STR("uki cmdline", p.cmdline, "console=ttyS0 quiet hop.x=1");
	CHECK_STR("uki name", p.name, "profile 0");
	CHECK_INT("uki no gzip", p.kernel_gzip, 0);

	err = container_plan(b, UKI_X64_LEN, "0", NULL, 0, &x86_dtb, &p, why,
		sizeof(why));
	CHECK_INT("uki profile 0", err, 0);
	CHECK_INT("uki dtb where trees go", p.dtb.off, 0x11800);
	CHECK_INT("uki dtb len", p.dtb.len, 704);

	/* another arch's image, a profile it lacks */
	err = container_plan(b, UKI_X64_LEN, NULL, NULL, 0, &arm64, &p, why,
		sizeof(why));
	CHECK_INT("uki for x86 on arm64", err, -EXDEV);
	CHECK(strstr(why, "x86_64") && strstr(why, "arm64"), "why: %s", why);
	err = container_plan(b, UKI_X64_LEN, NULL, NULL, 0, &arm, &p, why,
		sizeof(why));
	CHECK_INT("uki for x86 on arm", err, -EXDEV);
	err = container_plan(b, UKI_X64_LEN, "1", NULL, 0, &x86, &p, why,
		sizeof(why));
	CHECK_INT("uki profile 1 of 1", err, -ENOENT);
	err = container_plan(b, UKI_X64_LEN, "99999999999999999999", NULL, 0,
		&x86, &p, why, sizeof(why));
	CHECK_INT("uki profile huge", err, -ENOENT);
	err = container_plan(b, UKI_X64_LEN, "debug", NULL, 0, &x86, &p, why,
		sizeof(why));
	CHECK_INT("uki profile by absent ID", err, -ENOENT);
	CHECK(strstr(why, "ID=debug") != NULL, "why: %s", why);

	/* cut short: .initrd, the last section, past the end */
	err = container_plan(b, 0x13200 + 3000, NULL, NULL, 0, &x86, &p, why,
		sizeof(why));
	CHECK_INT("uki cut short", err, -EINVAL);
	free(b);

	/* a .cmdline that is no command line */
	b = x64_uki("console=ttyS0 \x1b[2J quiet     \n");
	err = container_plan(b, UKI_X64_LEN, NULL, NULL, 0, &x86, &p, why,
		sizeof(why));
	CHECK_INT("uki cmdline escape", err, -EINVAL);
	CHECK(strstr(why, ".cmdline") != NULL, "why: %s", why);
	free(b);
}

static void fit_parts(void)
{
	static const char *const virt[] = { "linux,dummy-virt" };
	static const char *const acme[] = { "acme,rev9", "acme,board" };
	const uint8_t *const imgs[] = { fit_itb, fit_ext_itb, fit_pos_itb };
	const size_t lens[] = { fit_itb_len, fit_ext_itb_len, fit_pos_itb_len };
	uint8_t *b;
	size_t i;
	int err;

	for (i = 0; i < 3; i++) {
		b = aligned(lens[i]);
		memcpy(b, imgs[i], lens[i]);
		CHECK_INT("fit probe", container_probe(b, 4096), CONTAINER_FIT);
		/* the machine's compatible picks conf-virt: its kernel, tree,
		 * ramdisk, every hash checked */
		err = container_plan(b, lens[i], NULL, virt, 1, &arm64, &p, why,
			sizeof(why));
		CHECK_INT("fit virt", err, 0);
		CHECK_STR("fit virt name", p.name, "configuration conf-virt");
		CHECK_INT("fit virt kernel", p.kernel.len, 64);
		CHECK(!memcmp(b + p.kernel.off, "KV00KV01", 8), "kernel bytes");
		CHECK(!memcmp(b + p.initrd.off, "RD00RD01", 8), "ramdisk bytes");
		CHECK_INT("fit virt initrd", p.initrd.len, 64);
		CHECK(p.dtb.len > 0 && b[p.dtb.off] == 0xd0, "tree at %llu",
			(unsigned long long)p.dtb.off);
		CHECK(p.hashes >= 9, "hashes %u", p.hashes);
		CHECK_INT("fit virt not signed", p.fit_signed, 0);
		CHECK_INT("fit no cmdline", p.has_cmdline, 0);

		/* the virt kernel is arm64's: on arm it is refused */
		err = container_plan(b, lens[i], "conf-virt", NULL, 0, &arm, &p,
			why, sizeof(why));
		CHECK_INT("fit arm64 kernel on arm", err, -EXDEV);

		/* acme's, by the board's compatible: gzip, an arm kernel */
		err = container_plan(b, lens[i], NULL, acme, 2, &arm, &p, why,
			sizeof(why));
		CHECK_INT("fit acme", err, 0);
		CHECK_STR("fit acme name", p.name, "configuration conf-acme");
		CHECK_INT("fit acme gzip", p.kernel_gzip, 1);
		CHECK(!memcmp(b + p.kernel.off, "KA00", 4), "acme kernel");

		/* by name, signed (said, not checked) */
		err = container_plan(b, lens[i], "conf-own", virt, 1, &arm, &p,
			why, sizeof(why));
		CHECK_INT("fit own", err, 0);
		CHECK_INT("fit own signed", p.fit_signed, 1);
		CHECK_INT("fit own no ramdisk", p.initrd.len, 0);
		err = container_plan(b, lens[i], "conf-nine", virt, 1, &arm, &p,
			why, sizeof(why));
		CHECK_INT("fit absent conf", err, -ENOENT);

		/* no match: the default (conf-acme); x86 takes no tree and an
		 * arm kernel is not its */
		err = container_plan(b, lens[i], NULL, NULL, 0, &arm, &p, why,
			sizeof(why));
		CHECK_INT("fit default", err, 0);
		CHECK_STR("fit default name", p.name, "configuration conf-acme");
		err = container_plan(b, lens[i], NULL, NULL, 0, &x86, &p, why,
			sizeof(why));
		CHECK_INT("fit arm kernel on x86", err, -EXDEV);

		/* one byte of the ramdisk flipped: refused, whatever else */
		err = container_plan(b, lens[i], "conf-virt", NULL, 0, &arm64,
			&p, why, sizeof(why));
		b[p.initrd.off + 10] ^= 0x20;
		err = container_plan(b, lens[i], "conf-virt", NULL, 0, &arm64,
			&p, why, sizeof(why));
		CHECK_INT("fit ramdisk flipped", err, -EBADMSG);
		CHECK(strstr(why, "ramdisk-1") != NULL, "why: %s", why);
		free(b);
	}
}

static void neither(void)
{
	uint8_t *b = aligned(8192);
	int err;

	memcpy(b, "MZ", 2);
	CHECK_INT("probe MZ alone", container_probe(b, 8192), CONTAINER_NONE);
	err = container_plan(b, 8192, NULL, NULL, 0, &x86, &p, why,
		sizeof(why));
	CHECK_INT("plan of no container", err, -ENOEXEC);
	/* a device tree that is no FIT: probed, then refused */
	memcpy(b, "\xd0\x0d\xfe\xed", 4);
	CHECK_INT("probe dtb", container_probe(b, 8192), CONTAINER_FIT);
	err = container_plan(b, 8192, NULL, NULL, 0, &arm64, &p, why,
		sizeof(why));
	CHECK(err == -ENOEXEC || err == -EINVAL, "plain tree: %d %s", err, why);
	free(b);
}

void test_container(void)
{
	uki_parts();
	fit_parts();
	neither();
}
