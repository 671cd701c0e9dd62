/* Placement for kexec_load plans: every segment page aligned in address
 * and size, inside usable RAM, overlapping no other, at most 16
 * (docs/kernel-abi.md §1.4; linux kernel/kexec_core.c
 * sanity_check_segment_list). Pure: no I/O. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "plan.h"

void plan_init(struct plan *p)
{
	memset(p, 0, sizeof(*p));
}

void plan_free(struct plan *p)
{
	size_t i;

	for (i = 0; i < p->nowned; i++) {
		free(p->owned[i]);
	}
	p->nowned = 0;
	p->nseg = 0;
	p->nkept = 0;
}

int plan_fail(struct plan *p, int err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(p->why, sizeof(p->why), fmt, ap);
	va_end(ap);
	return err;
}

int plan_own(struct plan *p, void *buf)
{
	if (!buf) {
		return plan_fail(p, -ENOMEM, "out of memory");
	}
	if (p->nowned == PLAN_MAX_OWNED) {
		free(buf);
		return plan_fail(p, -ENOMEM, "too many buffers in one plan");
	}
	p->owned[p->nowned++] = buf;
	return 0;
}

int plan_pack_layout(const struct boot_module *m, size_t n, uint64_t limit,
	uint64_t *off, uint64_t *total)
{
	uint64_t at = 0;
	size_t i;

	if (n > PLAN_MAX_MODULES) {
		return -E2BIG;
	}
	for (i = 0; i < n; i++) {
		/* each step is checked against limit (below 2^63), so at
		 * never wraps */
		if (!m[i].len || m[i].len > limit ||
			align_up(m[i].len, PLAN_PAGE) > limit - at) {
			return -E2BIG;
		}
		off[i] = at;
		at += align_up(m[i].len, PLAN_PAGE);
	}
	*total = at;
	return 0;
}

static int overlaps(uint64_t a0, uint64_t a1, uint64_t b0, uint64_t b1)
{
	return a0 < b1 && b0 < a1;
}

/* the first segment or kept room of p overlapping [start, end): 1 with
 * *hit set to it, *what to its name (when not NULL); 0 when none */
static int collides(const struct plan *p, uint64_t start, uint64_t end,
	struct mem_range *hit, const char **what)
{
	size_t i;

	for (i = 0; i < p->nseg; i++) {
		const struct segment *s = &p->seg[i];

		if (overlaps(start, end, s->mem, s->mem + s->memsz)) {
			*hit = (struct mem_range){ s->mem, s->mem + s->memsz };
			if (what) {
				*what = s->what;
			}
			return 1;
		}
	}
	for (i = 0; i < p->nkept; i++) {
		if (overlaps(start, end, p->kept[i].start, p->kept[i].end)) {
			*hit = p->kept[i];
			if (what) {
				*what = p->kept_what[i];
			}
			return 1;
		}
	}
	return 0;
}

/* bottom-up search in one range [lo, hi) */
static int fit_up(const struct plan *p, uint64_t lo, uint64_t hi,
	uint64_t size, uint64_t align, uint64_t *addr)
{
	struct mem_range s;
	uint64_t a = align_up(lo, align);

	while (a >= lo && a + size > a && a + size <= hi) {
		if (!collides(p, a, a + size, &s, NULL)) {
			*addr = a;
			return 1;
		}
		a = align_up(s.end, align);
	}
	return 0;
}

/* top-down search in one range [lo, hi) */
static int fit_down(const struct plan *p, uint64_t lo, uint64_t hi,
	uint64_t size, uint64_t align, uint64_t *addr)
{
	struct mem_range s;
	uint64_t a;

	if (hi < size) {
		return 0;
	}
	a = align_down(hi - size, align);
	while (a >= lo && a + size <= hi) {
		if (!collides(p, a, a + size, &s, NULL)) {
			*addr = a;
			return 1;
		}
		if (s.start < size) {
			return 0;
		}
		a = align_down(s.start - size, align);
	}
	return 0;
}

int plan_find(struct plan *p, const struct memmap *mm, uint64_t size,
	uint64_t align, uint64_t min, uint64_t max, int top_down,
	const char *what, uint64_t *addr)
{
	size_t i, k;

	if (align < PLAN_PAGE) {
		align = PLAN_PAGE;
	}
	size = align_up(size, PLAN_PAGE);
	if (!max) {
		max = UINT64_MAX;
	}
	for (k = 0; k < mm->nram; k++) {
		const struct mem_range *r;
		uint64_t lo, hi;

		i = top_down ? mm->nram - 1 - k : k;
		r = &mm->ram[i];
		lo = r->start > min ? r->start : min;
		hi = r->end < max ? r->end : max;
		if (lo >= hi) {
			continue;
		}
		if (top_down ? fit_down(p, lo, hi, size, align, addr) :
			fit_up(p, lo, hi, size, align, addr)) {
			return 0;
		}
	}
	if (max == UINT64_MAX && min) {
		return plan_fail(p, -EADDRNOTAVAIL, "no room for the %s: %llu "
			"bytes aligned to 0x%llx above 0x%llx in usable RAM", what,
			(unsigned long long)size, (unsigned long long)align,
			(unsigned long long)min);
	}
	if (min == 0 && max == UINT64_MAX) {
		return plan_fail(p, -EADDRNOTAVAIL, "no room for the %s: %llu "
			"bytes aligned to 0x%llx in usable RAM", what,
			(unsigned long long)size, (unsigned long long)align);
	}
	return plan_fail(p, -EADDRNOTAVAIL, "no room for the %s: %llu bytes "
		"aligned to 0x%llx between 0x%llx and 0x%llx in usable RAM",
		what, (unsigned long long)size, (unsigned long long)align,
		(unsigned long long)min, (unsigned long long)(max - 1));
}

int plan_add(struct plan *p, const void *buf, size_t bufsz, uint64_t mem,
	uint64_t memsz, const char *what)
{
	struct mem_range s;
	const char *hit;
	struct segment *n;

	memsz = align_up(memsz, PLAN_PAGE);
	if (p->nseg == PLAN_MAX_SEGMENTS) {
		return plan_fail(p, -EINVAL, "too many segments: the %s would "
			"be number %d, the kernel takes %d", what,
			PLAN_MAX_SEGMENTS + 1, PLAN_MAX_SEGMENTS);
	}
	if (mem & (PLAN_PAGE - 1)) {
		return plan_fail(p, -EINVAL, "the %s at 0x%llx is not page "
			"aligned", what, (unsigned long long)mem);
	}
	if (bufsz > memsz || mem + memsz < mem) {
		return plan_fail(p, -EINVAL, "the %s: %zu bytes do not fit in "
			"%llu at 0x%llx", what, bufsz,
			(unsigned long long)memsz, (unsigned long long)mem);
	}
	if (collides(p, mem, mem + memsz, &s, &hit)) {
		return plan_fail(p, -EINVAL, "the %s at 0x%llx overlaps the %s "
			"at 0x%llx", what, (unsigned long long)mem, hit,
			(unsigned long long)s.start);
	}
	n = &p->seg[p->nseg++];
	n->buf = buf;
	n->bufsz = bufsz;
	n->mem = mem;
	n->memsz = memsz;
	n->what = what;
	return 0;
}

int plan_keep(struct plan *p, uint64_t mem, uint64_t size, const char *what)
{
	struct mem_range s = { 0, 0 };
	const char *hit = "end of memory";

	size = align_up(size, PLAN_PAGE);
	if (!size) {
		return 0;
	}
	if (p->nkept == PLAN_MAX_KEPT) {
		return plan_fail(p, -EINVAL, "too many kept rooms: the %s's "
			"would be number %d", what, PLAN_MAX_KEPT + 1);
	}
	if (mem + size < mem || collides(p, mem, mem + size, &s, &hit)) {
		return plan_fail(p, -EINVAL, "the %s's room at 0x%llx overlaps "
			"the %s at 0x%llx", what, (unsigned long long)mem, hit,
			(unsigned long long)s.start);
	}
	p->kept[p->nkept] = (struct mem_range){ mem, mem + size };
	p->kept_what[p->nkept++] = what;
	return 0;
}

int plan_place(struct plan *p, const struct memmap *mm,
	const struct place_req *r, uint64_t *addr)
{
	uint64_t a, memsz = r->memsz < r->bufsz ? r->bufsz : r->memsz,
		room = r->room < memsz ? memsz : r->room;
	int err;

	memsz = align_up(memsz, PLAN_PAGE);
	room = align_up(room, PLAN_PAGE);
	err = plan_find_over(p, mm, r->buf, r->bufsz, room, r->align, r->min,
		r->max, r->top_down, r->what, &a);
	if (err == 0) {
		err = plan_add(p, r->buf, r->bufsz, a, memsz, r->what);
	}
	if (err == 0 && room > memsz) {
		err = plan_keep(p, a + memsz, room - memsz, r->what);
	}
	if (err == 0 && addr) {
		*addr = a;
	}
	return err;
}
