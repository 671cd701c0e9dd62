/* Placement over busy memory (docs/placement.md): where a large segment's
 * destination goes decides how fast kexec_load copies it. The kernel
 * allocates one page per destination page (linux: kernel/kexec_core.c
 * kimage_load_normal_segment, kimage_alloc_page); a page the allocator
 * hands out that lies inside some segment's destination is set aside on a
 * list every later allocation walks, and its owner is looked up in the
 * whole entry list. A few thousand such pages make a load several times
 * slower than copying the same bytes. Pages in use for the whole load are
 * never handed out: the pages holding the sources' own bytes are such
 * pages (memmap.busy), so the best destination is over them, each source
 * over its own. Pure: the runs come in as data. */
#include "plan.h"

/* a byte over another source's place costs that source one byte over free
 * memory later, and the place is usually its only good one */
#define SEAT_WEIGHT 4

static uint64_t overlap(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
	uint64_t lo = a0 > b0 ? a0 : b0, hi = a1 < b1 ? a1 : b1;

	return lo < hi ? hi - lo : 0;
}

/* does [buf, buf+len) share a byte with source s's run r? (addresses
 * compared as numbers: a run's last page may reach past its source) */
static int holds(const struct memmap *mm, const struct busy_run *r,
	const uint8_t *buf, uint64_t len)
{
	uint64_t v = (uintptr_t)mm->src[r->src].buf + r->off,
		b = (uintptr_t)buf;

	return buf && v < b + len && b < v + (r->end - r->start);
}

/* a source already placed: some segment of p copies from its bytes */
static int placed(const struct plan *p, const struct memmap *mm,
	const struct busy_run *r)
{
	size_t i;

	for (i = 0; i < p->nseg; i++) {
		if (holds(mm, r, p->seg[i].buf, p->seg[i].bufsz)) {
			return 1;
		}
	}
	return 0;
}

/* a is a place plan_find could have answered: aligned, in [min, max),
 * inside one RAM range, clear of p's segments and kept rooms */
static int fits(const struct plan *p, const struct memmap *mm, uint64_t a,
	uint64_t size, uint64_t align, uint64_t min, uint64_t max)
{
	size_t i;

	if ((a & (align - 1)) || a < min || a + size < a || a + size > max) {
		return 0;
	}
	for (i = 0; i < mm->nram; i++) {
		if (mm->ram[i].start <= a && a + size <= mm->ram[i].end) {
			break;
		}
	}
	if (i == mm->nram) {
		return 0;
	}
	for (i = 0; i < p->nseg; i++) {
		if (overlap(a, a + size, p->seg[i].mem,
			p->seg[i].mem + p->seg[i].memsz)) {
			return 0;
		}
	}
	for (i = 0; i < p->nkept; i++) {
		if (overlap(a, a + size, p->kept[i].start, p->kept[i].end)) {
			return 0;
		}
	}
	return 1;
}

/* bytes of [a, a+len) over busy pages, whoever's */
static uint64_t over_busy(const struct memmap *mm, uint64_t a, uint64_t len)
{
	uint64_t v = 0;
	size_t i;

	for (i = 0; i < mm->nbusy; i++) {
		v += overlap(a, a + len, mm->busy[i].start, mm->busy[i].end);
	}
	return v;
}

/* where a source no segment has taken yet would go if it were placed
 * now (page aligned, in one RAM range, clear of p): the window with the
 * most of it over busy pages among its own runs' windows. Its seat: a
 * segment placed before it keeps off, so that it still fits there */
static int seat(const struct plan *p, const struct memmap *mm, unsigned s,
	struct mem_range *w)
{
	uint64_t len = align_up(mm->src[s].len, PLAN_PAGE), best = 0, c[3];
	size_t i, j;
	int found = 0;

	for (i = 0; i < mm->nbusy; i++) {
		const struct busy_run *r = &mm->busy[i];

		if (r->src != s) {
			continue;
		}
		j = 0;
		if (r->start >= r->off) {
			c[j++] = align_down(r->start - r->off, PLAN_PAGE);
		}
		c[j++] = r->start;
		if (r->end >= len) {
			c[j++] = r->end - len;
		}
		while (j--) {
			uint64_t v;

			if (!fits(p, mm, c[j], len, PLAN_PAGE, 0, UINT64_MAX)) {
				continue;
			}
			v = over_busy(mm, c[j], len);
			if (!found || v > best) {
				found = 1;
				best = v;
				*w = (struct mem_range){ c[j], c[j] + len };
			}
		}
	}
	return found;
}

struct seats {
	struct mem_range w[MEMMAP_SRC_MAX];
	size_t n;
};

/* the seats of the sources other than buf's that no segment holds yet */
static void find_seats(const struct plan *p, const struct memmap *mm,
	const uint8_t *buf, uint64_t bufsz, struct seats *st)
{
	unsigned s;

	st->n = 0;
	for (s = 0; s < mm->nsrc; s++) {
		struct busy_run whole = { 0, mm->src[s].len, 0, s };

		if (!holds(mm, &whole, buf, bufsz) && !placed(p, mm, &whole) &&
			seat(p, mm, s, &st->w[st->n])) {
			st->n++;
		}
	}
}

/* what a window [a, a+size) copying bufsz bytes is worth: bytes copied
 * over busy pages, less SEAT_WEIGHT per byte of the window on a seat */
static int64_t score(const struct memmap *mm, const struct seats *st,
	uint64_t bufsz, uint64_t a, uint64_t size)
{
	int64_t v = (int64_t)over_busy(mm, a, align_up(bufsz, PLAN_PAGE));
	size_t i;

	for (i = 0; i < st->n; i++) {
		v -= SEAT_WEIGHT * (int64_t)overlap(a, a + size,
			st->w[i].start, st->w[i].end);
	}
	return v;
}

struct pick {
	int found;
	uint64_t addr;
	int64_t score;
	int top_down;
};

/* bonus: 1 for a window putting the bytes over themselves, which wins a
 * tie */
static void consider(struct pick *k, const struct plan *p,
	const struct memmap *mm, const struct seats *st, uint64_t bufsz,
	uint64_t a, uint64_t size, uint64_t align, uint64_t min, uint64_t max,
	int bonus)
{
	int64_t v;

	if (!fits(p, mm, a, size, align, min, max)) {
		return;
	}
	v = 2 * score(mm, st, bufsz, a, size) + bonus;
	/* ties: the planner's own direction */
	if (!k->found || v > k->score || (v == k->score &&
		(k->top_down ? a > k->addr : a < k->addr))) {
		k->found = 1;
		k->addr = a;
		k->score = v;
	}
}

int plan_find_over(struct plan *p, const struct memmap *mm,
	const void *buf, uint64_t bufsz, uint64_t size, uint64_t align,
	uint64_t min, uint64_t max, int top_down, const char *what,
	uint64_t *addr)
{
	struct pick k = { 0, 0, 0, top_down };
	uint64_t def, copied, cand[6];
	struct seats st;
	int64_t defscore = 0;
	size_t i, j, own;
	int err;

	err = plan_find(p, mm, size, align, min, max, top_down, what, &def);
	if (!mm->nbusy || !buf || bufsz < PLAN_OVER_MIN) {
		*addr = def;
		return err;
	}
	if (align < PLAN_PAGE) {
		align = PLAN_PAGE;
	}
	size = align_up(size, PLAN_PAGE);
	copied = align_up(bufsz, PLAN_PAGE);
	if (!max) {
		max = UINT64_MAX;
	}
	find_seats(p, mm, buf, bufsz, &st);
	if (err == 0) {
		defscore = 2 * score(mm, &st, bufsz, def, size);
	}
	/* candidates: each run's bytes over their own pages (this source's
	 * runs), windows starting or ending with each run, windows just
	 * clear of each seat and of each segment or room already placed */
	for (i = 0; i < mm->nbusy; i++) {
		const struct busy_run *r = &mm->busy[i];

		j = 0;
		if (holds(mm, r, buf, bufsz) && r->start >= r->off) {
			uint64_t at = r->start - r->off + ((uintptr_t)buf -
				(uintptr_t)mm->src[r->src].buf);

			cand[j++] = align_down(at, align);
			cand[j++] = align_up(at, align);
		}
		own = j;
		cand[j++] = align_down(r->start, align);
		cand[j++] = align_up(r->start, align);
		if (r->end >= copied) {
			cand[j++] = align_down(r->end - copied, align);
		}
		while (j--) {
			consider(&k, p, mm, &st, bufsz, cand[j], size, align,
				min, max, j < own);
		}
	}
	for (i = 0; i < st.n + p->nseg + p->nkept; i++) {
		struct mem_range w = i < st.n ? st.w[i] : i < st.n + p->nseg ?
			(struct mem_range){ p->seg[i - st.n].mem,
			p->seg[i - st.n].mem + p->seg[i - st.n].memsz } :
			p->kept[i - st.n - p->nseg];

		consider(&k, p, mm, &st, bufsz, align_up(w.end, align), size,
			align, min, max, 0);
		if (w.start >= size) {
			consider(&k, p, mm, &st, bufsz,
				align_down(w.start - size, align), size, align,
				min, max, 0);
		}
	}
	if (k.found && (err < 0 || k.score > defscore)) {
		*addr = k.addr;
		return 0;
	}
	*addr = def;
	return err;
}

int memmap_add_src(struct memmap *mm, const uint8_t *buf, uint64_t len)
{
	if (mm->nsrc == MEMMAP_SRC_MAX || !buf || !len) {
		return -1;
	}
	mm->src[mm->nsrc] = (struct busy_src){ buf, len };
	return (int)mm->nsrc++;
}

void memmap_add_busy(struct memmap *mm, unsigned src, uint64_t off,
	uint64_t start, uint64_t end)
{
	size_t i, shortest = 0;

	if (src >= mm->nsrc || end <= start || off >= mm->src[src].len) {
		return;
	}
	if (mm->nbusy < MEMMAP_BUSY_MAX) {
		i = mm->nbusy++;
	} else {
		for (i = 1; i < MEMMAP_BUSY_MAX; i++) {
			if (mm->busy[i].end - mm->busy[i].start <
				mm->busy[shortest].end - mm->busy[shortest].start) {
				shortest = i;
			}
		}
		if (mm->busy[shortest].end - mm->busy[shortest].start >=
			end - start) {
			return;
		}
		i = shortest;
	}
	mm->busy[i] = (struct busy_run){ start, end, off, src };
}
