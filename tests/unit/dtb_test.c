/* dtb_build (lib/plan/dtb.c) on trees made here with libfdt's sequential-write
 * API: an old /chosen as a kexec'd kdump-capable EFI system leaves it */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <libfdt.h>

#include "plan.h"
#include "sysmem.h"
#include "test.h"

#define TREE_SIZE 8192	/* also the size of its own /memreserve/ */

static uint8_t seed[64];

/* u32 or u64 property, big-endian like every DT cell */
static int prop_u(void *t, const char *name, uint64_t v, int cells)
{
	return cells == 1 ? fdt_property_u32(t, name, (uint32_t)v) :
		fdt_property_u64(t, name, v);
}

/* a tree of TREE_SIZE bytes; with_chosen 0 leaves /chosen out; pad adds
 * a property of that many bytes to the root */
static uint8_t *mk_tree(int with_chosen, size_t pad)
{
	size_t cap = TREE_SIZE + pad;
	uint8_t *t = calloc(1, cap);
	fdt32_t ech[4] = { 0, cpu_to_fdt32(0x60000000), 0,
		cpu_to_fdt32(0x3000) };
	int err = 0;

	err |= fdt_create(t, (int)cap);
	/* the old initrd, page rounded: 0x48000000-0x48000800 */
	err |= fdt_add_reservemap_entry(t, 0x48000000, 0x1000);
	/* same address, another size: not the initrd's, kept */
	err |= fdt_add_reservemap_entry(t, 0x48000000, 0x5000);
	/* firmware's, kept */
	err |= fdt_add_reservemap_entry(t, 0x50000000, 0x10000);
	/* the kdump elfcorehdr */
	err |= fdt_add_reservemap_entry(t, 0x60000000, 0x3000);
	err |= fdt_finish_reservemap(t);
	err |= fdt_begin_node(t, "");
	err |= fdt_property_u32(t, "#address-cells", 2);
	err |= fdt_property_u32(t, "#size-cells", 2);
	err |= fdt_property_string(t, "compatible", "linux,dummy-virt");
	if (pad) {
		char *v;

		err |= fdt_property_placeholder(t, "padding", (int)pad,
			(void **)&v);
		memset(v, 0xa5, pad);
	}
	if (with_chosen) {
		err |= fdt_begin_node(t, "chosen");
		err |= fdt_property_string(t, "bootargs", "console=ttyAMA0 old");
		err |= prop_u(t, "linux,initrd-start", 0x48000000, 1);
		err |= prop_u(t, "linux,initrd-end", 0x48000800, 2);
		err |= prop_u(t, "kaslr-seed", 0, 2);
		err |= fdt_property(t, "linux,elfcorehdr", ech, sizeof(ech));
		err |= fdt_property(t, "linux,usable-memory-range", ech,
			sizeof(ech));
		err |= prop_u(t, "linux,uefi-system-table", 0xbe5f0018, 2);
		err |= prop_u(t, "linux,uefi-mmap-size", 0x1234, 1);
		err |= fdt_property_string(t, "stdout-path", "/pl011@9000000");
		err |= fdt_end_node(t);
	}
	err |= fdt_begin_node(t, "memory@40000000");
	err |= fdt_property_string(t, "device_type", "memory");
	err |= fdt_end_node(t);
	err |= fdt_end_node(t);
	err |= fdt_finish(t);
	/* the tree reserves itself, as U-Boot does: size = totalsize */
	err |= fdt_open_into(t, t, (int)cap);
	err |= fdt_add_mem_rsv(t, 0x4fe00000, cap);
	CHECK(err == 0 && fdt_totalsize(t) == cap, "mk_tree() fixture: "
		"err %d, totalsize %u", err, fdt_totalsize(t));
	return t;
}

static const char *rsvs(const void *t)
{
	static char out[256];
	uint64_t a, s;
	size_t n = 0;
	int i;

	out[0] = '\0';
	for (i = 0; i < fdt_num_mem_rsv(t); i++) {
		fdt_get_mem_rsv(t, i, &a, &s);
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%llx+%llx",
			i ? " " : "", (unsigned long long)a,
			(unsigned long long)s);
	}
	return out;
}

/* a /chosen property as text: "absent", "empty", a u64 in hex, a string */
static const char *chosen(const void *t, const char *name)
{
	static char out[128];
	const uint8_t *v;
	int len, node = fdt_path_offset(t, "/chosen");

	v = node < 0 ? NULL : fdt_getprop(t, node, name, &len);
	if (!v) {
		return "absent";
	}
	if (len == 0) {
		return "empty";
	}
	if (len == 8 && name[0] != 'b') {
		snprintf(out, sizeof(out), "u64 0x%llx", (unsigned long long)
			((uint64_t)be32(v) << 32 | be32(v + 4)));
		return out;
	}
	if (len == 4 && name[0] != 'b') {
		snprintf(out, sizeof(out), "u32 0x%x", be32(v));
		return out;
	}
	snprintf(out, sizeof(out), "%.*s", len, (const char *)v);
	return out;
}

static void test_edits(void)
{
	struct dtb_edit e = { "root=/dev/vda", 0x49000000, 0x49100000, seed,
		NULL, 0, 0, 0 };
	uint8_t *tree = mk_tree(1, 0), *out = NULL;
	const uint8_t *v;
	struct plan p;
	size_t len = 0;
	int err, node;

	plan_init(&p);
	err = dtb_build(&p, tree, TREE_SIZE, &e, &out, &len);
	CHECK(err == 0, "dtb_build() = %d (%s); want 0", err, p.why);
	if (err) {
		goto out;
	}
	CHECK_INT("dtb_build() aligned", (uintptr_t)out & 7, 0);
	CHECK_INT("fdt_check_full(out)", fdt_check_full(out, len), 0);
	CHECK_INT("dtb_build() len", len, fdt_totalsize(out));
	CHECK_INT("dtb_build() owned", p.nowned, 1);
	CHECK_STR("bootargs", chosen(out, "bootargs"), "root=/dev/vda");
	CHECK_STR("linux,initrd-start", chosen(out, "linux,initrd-start"),
		"u64 0x49000000");
	CHECK_STR("linux,initrd-end", chosen(out, "linux,initrd-end"),
		"u64 0x49100000");
	CHECK_STR("kaslr-seed", chosen(out, "kaslr-seed"),
		"u64 0x69c41f7ad5308be6");
	node = fdt_path_offset(out, "/chosen");
	v = fdt_getprop(out, node, "rng-seed", &err);
	CHECK(v && err == 32 && !memcmp(v, seed + 8, 32), "rng-seed: len %d, "
		"want seed[8..40]", err);
	CHECK_STR("linux,elfcorehdr", chosen(out, "linux,elfcorehdr"),
		"absent");
	CHECK_STR("linux,usable-memory-range", chosen(out,
		"linux,usable-memory-range"), "absent");
	CHECK_STR("linux,booted-from-kexec", chosen(out,
		"linux,booted-from-kexec"), "empty");
	CHECK_STR("linux,uefi-system-table", chosen(out,
		"linux,uefi-system-table"), "u64 0xbe5f0018");
	CHECK_STR("linux,uefi-mmap-size", chosen(out, "linux,uefi-mmap-size"),
		"u32 0x1234");
	CHECK_STR("stdout-path", chosen(out, "stdout-path"), "/pl011@9000000");
	CHECK(fdt_path_offset(out, "/memory@40000000") >= 0, "/memory@40000000 "
		"lost");
	/* old initrd (rounded), elfcorehdr and the tree itself are gone */
	CHECK_STR("dtb_build() memreserves", rsvs(out),
		"48000000+5000 50000000+10000");
out:
	plan_free(&p);
	free(tree);
}

static void test_removals(void)
{
	struct dtb_edit e = { "", 0, 0, NULL, NULL, 0, 0, 0 };
	uint8_t *tree = mk_tree(1, 0), *out = NULL;
	struct plan p;
	size_t len = 0;
	int err;

	plan_init(&p);
	err = dtb_build(&p, tree, TREE_SIZE, &e, &out, &len);
	CHECK(err == 0, "dtb_build(no cmdline, no initrd) = %d (%s)", err,
		p.why);
	if (err == 0) {
		CHECK_STR("bootargs", chosen(out, "bootargs"), "absent");
		CHECK_STR("linux,initrd-start", chosen(out,
			"linux,initrd-start"), "absent");
		CHECK_STR("linux,initrd-end", chosen(out, "linux,initrd-end"),
			"absent");
		CHECK_STR("kaslr-seed (no seed)", chosen(out, "kaslr-seed"),
			"absent");
		CHECK_STR("rng-seed (no seed)", chosen(out, "rng-seed"),
			"absent");
	}
	plan_free(&p);
	free(tree);

	/* no /chosen: created; unaligned input is fine */
	tree = mk_tree(0, 0);
	{
		uint8_t *odd = malloc(TREE_SIZE + 1);

		memcpy(odd + 1, tree, TREE_SIZE);
		e.cmdline = "quiet";
		e.seed = seed;
		plan_init(&p);
		err = dtb_build(&p, odd + 1, TREE_SIZE, &e, &out, &len);
		CHECK(err == 0, "dtb_build(no /chosen, unaligned) = %d (%s)",
			err, p.why);
		if (err == 0) {
			CHECK_STR("bootargs (new /chosen)", chosen(out,
				"bootargs"), "quiet");
			CHECK_STR("linux,booted-from-kexec (new /chosen)",
				chosen(out, "linux,booted-from-kexec"), "empty");
			/* no initrd props: only the tree's own reservation
			 * goes */
			CHECK_STR("memreserves (no /chosen)", rsvs(out),
				"48000000+1000 48000000+5000 50000000+10000 "
				"60000000+3000");
		}
		plan_free(&p);
		free(odd);
	}
	free(tree);
}

static void test_refusals(void)
{
	struct dtb_edit e = { "x", 0, 0, seed, NULL, 0, 0, 0 };
	uint8_t *tree = mk_tree(1, 0), *out;
	struct plan p;
	size_t len;
	int err;

	plan_init(&p);
	err = dtb_build(&p, tree, 20, &e, &out, &len);
	CHECK_INT("dtb_build(20 bytes)", err, -EINVAL);
	CHECK_STR("dtb_build(20 bytes) why", p.why,
		"dtb: truncated: 20 bytes, less than the 40-byte header");
	err = dtb_build(&p, tree, TREE_SIZE - 1, &e, &out, &len);
	CHECK_INT("dtb_build(short)", err, -EINVAL);
	CHECK_STR("dtb_build(short) why", p.why,
		"dtb: truncated: totalsize 8192 > file size 8191");
	err = dtb_build(&p, (const uint8_t *)"MZ\0\0 this is not a tree at all "
		"but long enough", 48, &e, &out, &len);
	CHECK_INT("dtb_build(MZ)", err, -EINVAL);
	CHECK_STR("dtb_build(MZ) why", p.why,
		"dtb: bad magic 0x4d5a0000 (not a flattened device tree)");
	/* the structure block pointing past the end */
	fdt_set_off_dt_struct(tree, TREE_SIZE - 4);
	err = dtb_build(&p, tree, TREE_SIZE, &e, &out, &len);
	CHECK_INT("dtb_build(corrupt)", err, -EINVAL);
	CHECK(!strncmp(p.why, "dtb: corrupt: ", 14), "dtb_build(corrupt) why "
		"= \"%s\"; want \"dtb: corrupt: ...\"", p.why);
	free(tree);
	tree = mk_tree(1, 0);
	e.initrd_start = 0x2000;
	e.initrd_end = 0x1000;
	err = dtb_build(&p, tree, TREE_SIZE, &e, &out, &len);
	CHECK_INT("dtb_build(initrd end < start)", err, -EINVAL);
	CHECK_STR("dtb_build(initrd end < start) why", p.why,
		"dtb: bad initrd range 0x2000-0x1000");
	plan_free(&p);
	free(tree);
}

/* a /chosen property's cells as hex words: "60000000 3000" */
static const char *cells(const void *t, const char *name)
{
	static char out[128];
	const uint8_t *v;
	size_t n = 0;
	int len, i;

	v = fdt_getprop(t, fdt_path_offset(t, "/chosen"), name, &len);
	if (!v) {
		return "absent";
	}
	out[0] = '\0';
	for (i = 0; i + 4 <= len; i += 4) {
		n += (size_t)snprintf(out + n, sizeof(out) - n, "%s%x",
			i ? " " : "", be32(v + i));
	}
	return out;
}

/* a panic kernel's tree: linux,elfcorehdr and linux,usable-memory-range
 * in the root's cells, the old header's /memreserve/ replaced by the
 * new one's */
static void test_kdump(void)
{
	static const struct mem_range res = { 0x70000000, 0x80000000 };
	struct dtb_edit e = { "x", 0, 0, NULL, &res, 1, 0x7ff00000, 0x1000 };
	uint8_t *tree = mk_tree(1, 0), *out = NULL, t1[1024];
	struct plan p;
	size_t len;
	int err = 0;

	plan_init(&p);
	CHECK_INT("dtb_build(kdump)", dtb_build(&p, tree, TREE_SIZE, &e, &out,
		&len), 0);
	if (out) {
		CHECK_STR("linux,elfcorehdr (2 cells)", cells(out,
			"linux,elfcorehdr"), "0 7ff00000 0 1000");
		CHECK_STR("linux,usable-memory-range (2 cells)", cells(out,
			"linux,usable-memory-range"), "0 70000000 0 10000000");
		CHECK_STR("dtb_build(kdump) memreserves", rsvs(out),
			"48000000+5000 50000000+10000 7ff00000+1000");
	}
	plan_free(&p);
	free(tree);

	/* a 32-bit board: #address-cells = #size-cells = 1 */
	err |= fdt_create(t1, sizeof(t1));
	err |= fdt_finish_reservemap(t1);
	err |= fdt_begin_node(t1, "");
	err |= fdt_property_u32(t1, "#address-cells", 1);
	err |= fdt_property_u32(t1, "#size-cells", 1);
	err |= fdt_end_node(t1);
	err |= fdt_finish(t1);
	CHECK_INT("1-cell tree fixture", err, 0);
	plan_init(&p);
	out = NULL;
	CHECK_INT("dtb_build(kdump, 1 cell)", dtb_build(&p, t1,
		fdt_totalsize(t1), &e, &out, &len), 0);
	if (out) {
		CHECK_STR("linux,elfcorehdr (1 cell)", cells(out,
			"linux,elfcorehdr"), "7ff00000 1000");
		CHECK_STR("linux,usable-memory-range (1 cell)", cells(out,
			"linux,usable-memory-range"), "70000000 10000000");
		CHECK_STR("dtb_build(kdump, 1 cell) memreserves", rsvs(out),
			"7ff00000+1000");
	}
	plan_free(&p);
}

/* sysmem_fdt: the running tree read up to its used end, totalsize set
 * to that, and still a tree dtb_build takes; what is not a tree comes
 * whole (the checks downstream name it) */
static void test_sysmem_fdt(void)
{
	char root[] = "/tmp/hop-fdt-XXXXXX", path[128];
	uint8_t *tree = mk_tree(1, 0), *got = NULL, *out = NULL;
	struct dtb_edit e = { "root=/dev/vda", 0, 0, seed, NULL, 0, 0, 0 };
	uint32_t used = dtb_used_size(tree);
	struct plan p;
	size_t len = 0;
	FILE *f;
	int err;

	CHECK(used > 40 && used < TREE_SIZE, "fixture: used %u of %u", used,
		TREE_SIZE);
	CHECK(mkdtemp(root) != NULL, "mkdtemp");
	snprintf(path, sizeof(path), "%s/sys", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/firmware", root);
	mkdir(path, 0755);
	snprintf(path, sizeof(path), "%s/sys/firmware/fdt", root);
	f = fopen(path, "wb");
	CHECK(f && fwrite(tree, 1, TREE_SIZE, f) == TREE_SIZE, "write %s",
		path);
	if (f) {
		fclose(f);
	}
	err = sysmem_fdt(root, &got, &len, 2u << 20);
	CHECK_INT("sysmem_fdt()", err, 0);
	if (err == 0) {
		CHECK_INT("sysmem_fdt() length", len, used);
		CHECK_INT("sysmem_fdt() totalsize", fdt_totalsize(got), used);
		CHECK_INT("sysmem_fdt() checks", fdt_check_full(got, len), 0);
		plan_init(&p);
		err = dtb_build(&p, got, len, &e, &out, &len);
		CHECK(err == 0, "dtb_build(sysmem_fdt) = %d (%s)", err, p.why);
		plan_free(&p);
		free(got);
	}
	CHECK_INT("sysmem_fdt(max below used)", sysmem_fdt(root, &got, &len,
		used - 1), -EFBIG);
	/* not a tree: whole */
	f = fopen(path, "wb");
	if (f) {
		fputs("not a tree", f);
		fclose(f);
	}
	err = sysmem_fdt(root, &got, &len, 2u << 20);
	CHECK_INT("sysmem_fdt(not a tree)", err, 0);
	if (err == 0) {
		CHECK_INT("sysmem_fdt(not a tree) length", len, 10);
		free(got);
	}
	unlink(path);
	snprintf(path, sizeof(path), "%s/sys/firmware", root);
	rmdir(path);
	snprintf(path, sizeof(path), "%s/sys", root);
	rmdir(path);
	rmdir(root);
	CHECK_INT("sysmem_fdt(missing)", sysmem_fdt(root, &got, &len,
		2u << 20), -ENOENT);
	free(tree);
}

void test_dtb(void)
{
	size_t i;

	for (i = 0; i < sizeof(seed); i++) {
		seed[i] = (uint8_t)(0x69 + i * 0x5b);
	}
	test_edits();
	test_removals();
	test_refusals();
	test_kdump();
	test_sysmem_fdt();
}
