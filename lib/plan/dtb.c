/* The next kernel's device tree for arm and arm64: a copy of the given
 * tree with /chosen rewritten the way kexec_file does it (linux
 * drivers/of/kexec.c of_kexec_alloc_and_setup_fdt; docs/kernel-abi.md
 * §3.3). Pure: no I/O. No arch-specific logic: arm's zImage planner
 * calls this too. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <libfdt.h>

#include "plan.h"

/* room for the new properties: every name, a 12-byte property header
 * each, a /chosen node if missing; the command line comes on top */
#define DTB_SLACK 4096

/* properties of a previous kexec, a kdump kernel, IMA or KHO that would
 * be stale or wrong in the next kernel (drivers/of/kexec.c) */
static const char *const stale[] = {
	"linux,elfcorehdr",
	"linux,usable-memory-range",
	"linux,ima-kexec-buffer",
	"linux,kho-fdt",
	"linux,kho-scratch",
};

/* a big-endian number of 1 or 2 cells */
static int read_cells(const uint8_t *v, int len, uint64_t *out)
{
	if (len == 4) {
		*out = be32(v);
		return 0;
	}
	if (len == 8) {
		*out = (uint64_t)be32(v) << 32 | be32(v + 4);
		return 0;
	}
	return -EINVAL;
}

static int get_num(const void *fdt, int node, const char *name,
	uint64_t *out)
{
	const uint8_t *v;
	int len;

	v = fdt_getprop(fdt, node, name, &len);
	if (!v) {
		return -ENOENT;
	}
	return read_cells(v, len, out);
}

/* <addr size> of a /chosen property in the root's #address-cells and
 * #size-cells (linux,elfcorehdr, linux,ima-kexec-buffer) */
static int get_reg(const void *fdt, int node, const char *name,
	uint64_t *addr, uint64_t *size)
{
	const uint8_t *v;
	int len, ac, sc;

	ac = fdt_address_cells(fdt, 0);
	sc = fdt_size_cells(fdt, 0);
	v = fdt_getprop(fdt, node, name, &len);
	if (!v || ac < 1 || ac > 2 || sc < 1 || sc > 2 ||
		len != 4 * (ac + sc)) {
		return -ENOENT;
	}
	read_cells(v, 4 * ac, addr);
	read_cells(v + 4 * ac, 4 * sc, size);
	return 0;
}

/* removes the /memreserve/ entries at addr whose size is one of sizes[] */
static int del_rsv(void *fdt, uint64_t addr, const uint64_t *sizes,
	size_t nsizes)
{
	uint64_t a, s;
	size_t k;
	int i, err;

	for (i = fdt_num_mem_rsv(fdt) - 1; i >= 0; i--) {
		if (fdt_get_mem_rsv(fdt, i, &a, &s) < 0 || a != addr) {
			continue;
		}
		for (k = 0; k < nsizes; k++) {
			if (s == sizes[k]) {
				break;
			}
		}
		if (k < nsizes && (err = fdt_del_mem_rsv(fdt, i)) < 0) {
			return err;
		}
	}
	return 0;
}

/* removes every /memreserve/ entry of exactly size bytes */
static int del_rsv_size(void *fdt, uint64_t size)
{
	uint64_t a, s;
	int i, err;

	for (i = fdt_num_mem_rsv(fdt) - 1; i >= 0; i--) {
		if (fdt_get_mem_rsv(fdt, i, &a, &s) == 0 && s == size &&
			(err = fdt_del_mem_rsv(fdt, i)) < 0) {
			return err;
		}
	}
	return 0;
}

/* drops the reservations of the old tree, old initrd and of the stale
 * buffers, as the kernel does before handing a tree on (drivers/of/
 * kexec.c fdt_find_and_del_mem_rsv, security/integrity/ima) */
static int drop_old_rsv(void *fdt, int chosen, uint32_t old_totalsize)
{
	uint64_t start, end, addr, size, sizes[4];
	int err;

	if (get_num(fdt, chosen, "linux,initrd-start", &start) == 0 &&
		get_num(fdt, chosen, "linux,initrd-end", &end) == 0 &&
		end > start) {
		/* the exact size, or rounded to a 4K, 16K or 64K page as
		 * the kernel's reservations are */
		sizes[0] = end - start;
		sizes[1] = align_up(end - start, 4096);
		sizes[2] = align_up(end - start, 16384);
		sizes[3] = align_up(end - start, 65536);
		if ((err = del_rsv(fdt, start, sizes, 4)) < 0) {
			return err;
		}
	}
	if (get_reg(fdt, chosen, "linux,elfcorehdr", &addr, &size) == 0 &&
		(err = del_rsv(fdt, addr, &size, 1)) < 0) {
		return err;
	}
	if (get_reg(fdt, chosen, "linux,ima-kexec-buffer", &addr, &size) ==
		0 && (err = del_rsv(fdt, addr, &size, 1)) < 0) {
		return err;
	}
	/* The kernel removes the entry at the old tree's physical address
	 * with its totalsize (initial_boot_params_pa); a tree read from a
	 * file does not tell its address, so match on the size alone.
	 * U-Boot reserves its tree with exactly fdt_totalsize
	 * (fdt_shrink_to_minimum); a heuristic: any other reservation of
	 * that very size would be dropped too. */
	return del_rsv_size(fdt, old_totalsize);
}

/* the header of the tree as given, read bytewise: it may be unaligned */
static int check_input(struct plan *p, const uint8_t *tree, size_t len)
{
	if (len < sizeof(struct fdt_header)) {
		return plan_fail(p, -EINVAL, "dtb: truncated: %zu bytes, less "
			"than the %zu-byte header", len,
			sizeof(struct fdt_header));
	}
	if (be32(tree) != FDT_MAGIC) {
		return plan_fail(p, -EINVAL, "dtb: bad magic 0x%08x (not a "
			"flattened device tree)", be32(tree));
	}
	if (be32(tree + 4) > len) {
		return plan_fail(p, -EINVAL, "dtb: truncated: totalsize %u > "
			"file size %zu", be32(tree + 4), len);
	}
	if (be32(tree + 4) < sizeof(struct fdt_header)) {
		return plan_fail(p, -EINVAL, "dtb: bad totalsize %u, smaller "
			"than the header", be32(tree + 4));
	}
	/* versions before 16 (no dtc has written them since 2007) make
	 * Debian's libfdt 1.6.1 fdt_check_full() dereference NULL: found by
	 * tests/fuzz/dtb.c */
	if (be32(tree + 20) < 16) {
		return plan_fail(p, -EINVAL, "dtb: version %u is older than 16",
			be32(tree + 20));
	}
	return 0;
}

/* the root's #address-cells and #size-cells, 2 when absent; 1 or 2 */
static int root_cells(const void *fdt, uint32_t *ac, uint32_t *sc)
{
	const fdt32_t *v;
	int len;

	*ac = *sc = 2;
	v = fdt_getprop(fdt, 0, "#address-cells", &len);
	if (v && len == 4) {
		*ac = fdt32_to_cpu(*v);
	}
	v = fdt_getprop(fdt, 0, "#size-cells", &len);
	if (v && len == 4) {
		*sc = fdt32_to_cpu(*v);
	}
	if (*ac < 1 || *ac > 2 || *sc < 1 || *sc > 2) {
		return -FDT_ERR_BADNCELLS;
	}
	return 0;
}

/* appends <addr size> in ac and sc cells at cells[*n] */
static void put_reg(fdt32_t *cells, size_t *n, uint32_t ac, uint32_t sc,
	uint64_t a, uint64_t sz)
{
	if (ac == 2) {
		cells[(*n)++] = cpu_to_fdt32((uint32_t)(a >> 32));
	}
	cells[(*n)++] = cpu_to_fdt32((uint32_t)a);
	if (sc == 2) {
		cells[(*n)++] = cpu_to_fdt32((uint32_t)(sz >> 32));
	}
	cells[(*n)++] = cpu_to_fdt32((uint32_t)sz);
}

/* linux,usable-memory-range: <addr size> pairs in the root's cells */
static int set_usable(void *fdt, int chosen, const struct dtb_edit *e)
{
	fdt32_t cells[8 * 4];
	size_t i, n = 0;
	uint32_t ac, sc;
	int err;

	if ((err = root_cells(fdt, &ac, &sc)) < 0) {
		return err;
	}
	for (i = 0; i < e->nusable && i < 8; i++) {
		put_reg(cells, &n, ac, sc, e->usable[i].start,
			e->usable[i].end - e->usable[i].start);
	}
	return fdt_setprop(fdt, chosen, "linux,usable-memory-range", cells,
		(int)(n * sizeof(cells[0])));
}

/* linux,elfcorehdr = <addr size> in the root's cells, and a /memreserve/ so
 * that nothing in the crash kernel allocates over it before /proc/vmcore
 * reads it (docs/kernel-abi.md §3.3, §5.7; drivers/of/kexec.c) */
static int set_elfcorehdr(void *fdt, int chosen, const struct dtb_edit *e)
{
	fdt32_t cells[4];
	size_t n = 0;
	uint32_t ac, sc;
	int err;

	if ((err = root_cells(fdt, &ac, &sc)) < 0) {
		return err;
	}
	put_reg(cells, &n, ac, sc, e->elfcorehdr, e->elfcorehdr_size);
	err = fdt_setprop(fdt, chosen, "linux,elfcorehdr", cells,
		(int)(n * sizeof(cells[0])));
	if (err == 0) {
		err = fdt_add_mem_rsv(fdt, e->elfcorehdr, e->elfcorehdr_size);
	}
	return err;
}

/* /chosen edits; 0 or a libfdt error, with *prop the property at fault */
static int edit_chosen(void *fdt, int chosen, const struct dtb_edit *e,
	const char **prop)
{
	const char *cmdline = e->cmdline ? e->cmdline : "";
	size_t i;
	int err;

	*prop = "bootargs";
	err = *cmdline ? fdt_setprop_string(fdt, chosen, "bootargs", cmdline) :
		fdt_delprop(fdt, chosen, "bootargs");
	if (err < 0 && err != -FDT_ERR_NOTFOUND) {
		return err;
	}
	/* with no initrd, wipe the old addresses: the next kernel would
	 * reserve and unpack whatever is there (kexec-tools f1f2f9e) */
	*prop = "linux,initrd-start";
	err = e->initrd_end ? fdt_setprop_u64(fdt, chosen, *prop,
		e->initrd_start) : fdt_delprop(fdt, chosen, *prop);
	if (err < 0 && err != -FDT_ERR_NOTFOUND) {
		return err;
	}
	*prop = "linux,initrd-end";
	err = e->initrd_end ? fdt_setprop_u64(fdt, chosen, *prop,
		e->initrd_end) : fdt_delprop(fdt, chosen, *prop);
	if (err < 0 && err != -FDT_ERR_NOTFOUND) {
		return err;
	}
	/* the first kernel zeroed kaslr-seed and nop'ed rng-seed when it
	 * consumed them: fresh ones, or none without a seed */
	*prop = "kaslr-seed";
	err = e->seed ? fdt_setprop(fdt, chosen, *prop, e->seed, 8) :
		fdt_delprop(fdt, chosen, *prop);
	if (err < 0 && err != -FDT_ERR_NOTFOUND) {
		return err;
	}
	*prop = "rng-seed";
	err = e->seed ? fdt_setprop(fdt, chosen, *prop, e->seed + 8, 32) :
		fdt_delprop(fdt, chosen, *prop);
	if (err < 0 && err != -FDT_ERR_NOTFOUND) {
		return err;
	}
	for (i = 0; i < sizeof(stale) / sizeof(stale[0]); i++) {
		*prop = stale[i];
		err = fdt_delprop(fdt, chosen, *prop);
		if (err < 0 && err != -FDT_ERR_NOTFOUND) {
			return err;
		}
	}
	/* a panic kernel may use only the reservation (the rest is the
	 * crashed kernel's memory, to be dumped) */
	if (e->nusable) {
		err = set_usable(fdt, chosen, e);
		if (err < 0) {
			*prop = "linux,usable-memory-range";
			return err;
		}
	}
	if (e->elfcorehdr_size) {
		err = set_elfcorehdr(fdt, chosen, e);
		if (err < 0) {
			*prop = "linux,elfcorehdr";
			return err;
		}
	}
	/* what kexec_file adds since linux 6.x: lets the next kernel know */
	*prop = "linux,booted-from-kexec";
	return fdt_setprop_empty(fdt, chosen, *prop);
}

/* the bytes the tree's blocks use, from its start: a tree may end in free
 * space (QEMU's virt tree says 1 MiB for about 10 KiB of nodes), which
 * need not be copied: dtb_build's buffer would touch it all. The
 * standard layout only (header, memory reservations, structure, strings;
 * version 17 has the structure's size); anything else: totalsize */
uint32_t dtb_used_size(const uint8_t *tree)
{
	uint64_t total = be32(tree + 4), st = be32(tree + 8),
		str = be32(tree + 12), rsv = be32(tree + 16), end;

	if (be32(tree + 20) < 17 || rsv < sizeof(struct fdt_header) ||
		rsv > st || st > str) {
		return (uint32_t)total;
	}
	end = str + be32(tree + 32);
	if (st + be32(tree + 36) > str || end > total) {
		return (uint32_t)total;
	}
	return (uint32_t)end;
}

int dtb_build(struct plan *p, const uint8_t *tree, size_t len,
	const struct dtb_edit *e, uint8_t **out, size_t *outlen)
{
	const char *prop = "";
	void *buf = NULL;
	size_t size;
	uint32_t total, used;
	int err, chosen;

	if ((err = check_input(p, tree, len)) < 0) {
		return err;
	}
	if (e->initrd_start > e->initrd_end ||
		(e->initrd_start && e->initrd_start == e->initrd_end)) {
		return plan_fail(p, -EINVAL, "dtb: bad initrd range 0x%llx-0x%llx",
			(unsigned long long)e->initrd_start,
			(unsigned long long)e->initrd_end);
	}
	total = be32(tree + 4);
	used = dtb_used_size(tree);
	size = used + DTB_SLACK + (e->cmdline ? strlen(e->cmdline) : 0);
	if (size > INT32_MAX) {
		return plan_fail(p, -EINVAL, "dtb: %zu bytes is too big", size);
	}
	/* libfdt does aligned 32/64-bit loads: an unaligned buffer dies
	 * with SIGBUS on arm. So the tree is copied first, checked there,
	 * then opened in place (fdt_open_into allows that). */
	if (posix_memalign(&buf, 8, size)) {
		buf = NULL;
	}
	if ((err = plan_own(p, buf)) < 0) {
		return err;
	}
	memcpy(buf, tree, used);
	fdt_set_totalsize(buf, used);
	err = fdt_check_header(buf);
	if (err == 0) {
		err = fdt_check_full(buf, used);
	}
	if (err == 0) {
		err = fdt_open_into(buf, buf, (int)size);
	}
	if (err < 0) {
		return plan_fail(p, -EINVAL, "dtb: corrupt: %s",
			fdt_strerror(err));
	}
	chosen = fdt_path_offset(buf, "/chosen");
	if (chosen == -FDT_ERR_NOTFOUND) {
		chosen = fdt_add_subnode(buf, 0, "chosen");
	}
	if (chosen < 0) {
		return plan_fail(p, -EINVAL, "dtb: cannot find or add /chosen: "
			"%s", fdt_strerror(chosen));
	}
	err = drop_old_rsv(buf, chosen, total);
	if (err < 0) {
		return plan_fail(p, -EINVAL, "dtb: cannot drop a /memreserve/: "
			"%s", fdt_strerror(err));
	}
	err = edit_chosen(buf, chosen, e, &prop);
	if (err < 0) {
		return plan_fail(p, -EINVAL, "dtb: cannot set /chosen/%s: %s",
			prop, fdt_strerror(err));
	}
	err = fdt_pack(buf);
	if (err < 0) {
		return plan_fail(p, -EINVAL, "dtb: cannot pack the tree: %s",
			fdt_strerror(err));
	}
	*out = buf;
	*outlen = fdt_totalsize(buf);
	return 0;
}

int dtb_memory_ranges(const uint8_t *tree, size_t len, struct mem_range *out,
	size_t max)
{
	const fdt32_t *reg, *v;
	uint32_t ac = 2, sc = 2;
	void *buf = NULL;
	size_t n = 0;
	int node, rl, i, err = 0;

	/* totalsize below the header: found by tests/fuzz/dtb.c */
	if (len < 40 || be32(tree) != FDT_MAGIC || be32(tree + 4) > len ||
		be32(tree + 4) < sizeof(struct fdt_header) ||
		be32(tree + 20) < 16) {
		return -EINVAL;
	}
	/* an aligned copy: libfdt loads 32/64-bit words (SIGBUS on arm) */
	if (posix_memalign(&buf, 8, be32(tree + 4))) {
		return -ENOMEM;
	}
	memcpy(buf, tree, be32(tree + 4));
	if (fdt_check_header(buf) < 0) {
		free(buf);
		return -EINVAL;
	}
	v = fdt_getprop(buf, 0, "#address-cells", &rl);
	ac = v && rl == 4 ? fdt32_to_cpu(*v) : ac;
	v = fdt_getprop(buf, 0, "#size-cells", &rl);
	sc = v && rl == 4 ? fdt32_to_cpu(*v) : sc;
	if (ac < 1 || ac > 2 || sc < 1 || sc > 2) {
		free(buf);
		return -EINVAL;
	}
	for (node = fdt_node_offset_by_prop_value(buf, -1, "device_type",
		"memory", sizeof("memory")); node >= 0;
		node = fdt_node_offset_by_prop_value(buf, node, "device_type",
		"memory", sizeof("memory"))) {
		reg = fdt_getprop(buf, node, "reg", &rl);
		for (i = 0; reg && i + (int)(ac + sc) * 4 <= rl && n < max;
			i += (int)(ac + sc) * 4) {
			const fdt32_t *c = reg + i / 4;
			uint64_t a = fdt32_to_cpu(c[0]), s = 0;

			if (ac == 2) {
				a = a << 32 | fdt32_to_cpu(c[1]);
			}
			s = fdt32_to_cpu(c[ac]);
			if (sc == 2) {
				s = s << 32 | fdt32_to_cpu(c[ac + 1]);
			}
			if (s) {
				out[n].start = a;
				out[n++].end = a + s;
			}
		}
	}
	free(buf);
	return err ? err : (int)n;
}
